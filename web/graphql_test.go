package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/location"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/schema"
)

// fakeGraphQL records the requests it gets and answers with respond (by
// default data {"echo": query}). It stands in for schema.Service.
type fakeGraphQL struct {
	mu      sync.Mutex
	reqs    []schema.Request
	ctxErrs []error
	respond func(ctx context.Context, req schema.Request) *schema.Response
}

func (f *fakeGraphQL) Do(ctx context.Context, req schema.Request) *schema.Response {
	var resp *schema.Response
	if f.respond != nil {
		resp = f.respond(ctx, req)
	} else {
		resp = &schema.Response{Data: map[string]any{"echo": req.Query}}
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.ctxErrs = append(f.ctxErrs, ctx.Err())
	f.mu.Unlock()
	return resp
}

func (f *fakeGraphQL) last(t *testing.T) schema.Request {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.reqs) == 0 {
		t.Fatal("the GraphQL service was not called")
	}
	return f.reqs[len(f.reqs)-1]
}

func (f *fakeGraphQL) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

// gqlBody is a decoded GraphQL response; HasData tells "data": null from
// no data entry.
type gqlBody struct {
	Data       any
	HasData    bool
	Errors     []map[string]any
	Extensions map[string]any
}

func decodeGQL(t *testing.T, rec *httptest.ResponseRecorder) gqlBody {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", rec.Body, err)
	}
	var b gqlBody
	for k, v := range raw {
		var err error
		switch k {
		case "data":
			b.HasData = true
			err = json.Unmarshal(v, &b.Data)
		case "errors":
			err = json.Unmarshal(v, &b.Errors)
		case "extensions":
			err = json.Unmarshal(v, &b.Extensions)
		default:
			t.Fatalf("GraphQL response has member %q: %s", k, rec.Body)
		}
		if err != nil {
			t.Fatalf("member %s of %s: %v", k, rec.Body, err)
		}
	}
	if !b.HasData && len(b.Errors) == 0 {
		t.Fatalf("GraphQL response %s has neither data nor errors", rec.Body)
	}
	return b
}

func gqlServer(t *testing.T, g GraphQL, opts Options) *Server {
	t.Helper()
	opts.GraphQL = g
	if opts.WriteToken == "" {
		opts.WriteToken = testToken
	}
	return New(memstore.New(), opts)
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGraphQLHTTP(t *testing.T) {
	const gqlResp = mediaGraphQLResponse + "; charset=utf-8"
	const plainJSON = mediaJSON + "; charset=utf-8"
	refused := func(context.Context, schema.Request) *schema.Response {
		return &schema.Response{Refused: true, Errors: []gqlerrors.FormattedError{{
			Message: `Syntax Error GraphQL (1:3) Expected Name, found EOF`, Locations: []location.SourceLocation{{Line: 1, Column: 3}}}}}
	}
	fieldError := func(context.Context, schema.Request) *schema.Response {
		return &schema.Response{
			Data:   map[string]any{"search": nil},
			Errors: []gqlerrors.FormattedError{{Message: "boom", Path: []any{"search", "edges", 0}}},
		}
	}
	nullData := func(context.Context, schema.Request) *schema.Response {
		return &schema.Response{Errors: []gqlerrors.FormattedError{{Message: "non-null root failed", Path: []any{"facets"}}}}
	}
	tests := []struct {
		name        string
		r           req
		respond     func(context.Context, schema.Request) *schema.Response
		status      int
		contentType string // prefix of Content-Type
		called      bool   // the service ran
		check       func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL)
	}{
		{
			name: "POST JSON, no Accept: application/json",
			r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"},
				body: `{"query":"query Q($n: Int) { search(first: $n) { totalCount } }","operationName":"Q","variables":{"n":3},"extensions":{"x":1}}`},
			status: 200, contentType: plainJSON, called: true,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				got := f.last(t)
				if got.OperationName != "Q" || got.Variables["n"] != float64(3) || got.Extensions["x"] != float64(1) || got.Explain || got.Registered {
					t.Errorf("request = %+v", got)
				}
				b := decodeGQL(t, rec)
				if !b.HasData || b.Errors != nil {
					t.Errorf("body %s", rec.Body)
				}
				if v := rec.Header().Get("Vary"); !strings.Contains(v, "Accept") {
					t.Errorf("Vary = %q", v)
				}
			},
		},
		{
			name: "POST JSON accepting graphql-response+json",
			r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json; charset=utf-8",
				"Accept": "application/graphql-response+json, application/json;q=0.9"}, body: `{"query":"{ a }"}`},
			status: 200, contentType: gqlResp, called: true,
		},
		{
			name: "Accept */* gets application/json",
			r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json", "Accept": "*/*"},
				body: `{"query":"{ a }"}`},
			status: 200, contentType: plainJSON, called: true,
		},
		{
			name: "POST application/graphql with URL parameters",
			r: req{method: "POST", target: "/graphql?operationName=B&variables=" + q(`{"v":"x"}`),
				header: map[string]string{"Content-Type": "application/graphql"}, body: "query A { a } query B($v: String) { b(v: $v) }"},
			status: 200, contentType: plainJSON, called: true,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				got := f.last(t)
				if got.Query != "query A { a } query B($v: String) { b(v: $v) }" || got.OperationName != "B" || got.Variables["v"] != "x" {
					t.Errorf("request = %+v", got)
				}
			},
		},
		{
			name:   "GET query",
			r:      req{method: "GET", target: "/graphql?query=" + q("{ facets { totalCount } }") + "&variables=" + q(`{"a":[1]}`)},
			status: 200, contentType: plainJSON, called: true,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				if got := f.last(t); got.Query != "{ facets { totalCount } }" || len(got.Variables["a"].([]any)) != 1 {
					t.Errorf("request = %+v", got)
				}
			},
		},
		{
			name:   "GET mutation is 405",
			r:      req{method: "GET", target: "/graphql?query=" + q("mutation M { drop }")},
			status: 405, contentType: mediaJSON,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				if rec.Header().Get("Allow") != "POST" || apiErr(t, rec).Code != "method_not_allowed" {
					t.Errorf("headers %v body %s", rec.Header(), rec.Body)
				}
			},
		},
		{
			name:   "GET selecting the query of a document with a mutation",
			r:      req{method: "GET", target: "/graphql?operationName=Read&query=" + q("mutation Write { w } query Read { r }")},
			status: 200, contentType: plainJSON, called: true,
		},
		{
			name:   "GET selecting the mutation is 405",
			r:      req{method: "GET", target: "/graphql?operationName=Write&query=" + q("query Read { r } mutation Write { w }")},
			status: 405, contentType: mediaJSON,
		},
		{
			name:   "POST mutation runs",
			r:      req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{"query":"mutation { w }"}`},
			status: 200, contentType: plainJSON, called: true,
		},
		{
			name:   "PUT is 405",
			r:      req{method: "PUT", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{"query":"{a}"}`},
			status: 405, contentType: mediaJSON,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				if rec.Header().Get("Allow") != "GET, POST" {
					t.Errorf("Allow = %q", rec.Header().Get("Allow"))
				}
			},
		},
		{name: "POST without Content-Type is 415", r: req{method: "POST", target: "/graphql", body: `{"query":"{a}"}`}, status: 415, contentType: mediaJSON},
		{name: "POST text/plain is 415", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "text/plain"}, body: `{"query":"{a}"}`}, status: 415, contentType: mediaJSON},
		{name: "POST latin-1 is 415", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json; charset=iso-8859-1"}, body: `{"query":"{a}"}`}, status: 415, contentType: mediaJSON},
		{name: "Accept text/csv is 406", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json", "Accept": "text/csv"}, body: `{"query":"{a}"}`}, status: 406, contentType: mediaJSON},
		{name: "bad JSON is 400", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json", "Accept": mediaGraphQLResponse}, body: `{"query": "{a}"`}, status: 400, contentType: gqlResp},
		{name: "JSON array is 400", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `[{"query":"{a}"}]`}, status: 400, contentType: plainJSON},
		{name: "trailing data is 400", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{"query":"{a}"} {}`}, status: 400, contentType: plainJSON},
		{name: "empty body is 400", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}}, status: 400, contentType: plainJSON},
		{name: "query not a string is 400", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{"query":{"a":1}}`}, status: 400, contentType: plainJSON},
		{name: "missing query is 400", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{"variables":{}}`}, status: 400, contentType: plainJSON},
		{name: "operationName a number is 400", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{"query":"{a}","operationName":7}`}, status: 400, contentType: plainJSON},
		{name: "variables a string is 400", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{"query":"{a}","variables":"{}"}`}, status: 400, contentType: plainJSON},
		{name: "extensions an array is 400", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{"query":"{a}","extensions":[]}`}, status: 400, contentType: plainJSON},
		{
			name:   "null members are absent",
			r:      req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{"query":"{a}","operationName":null,"variables":null,"extensions":null}`},
			status: 200, contentType: plainJSON, called: true,
		},
		{name: "invalid UTF-8 is 400", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/graphql"}, body: "{ a(s: \"\xff\") }"}, status: 400, contentType: plainJSON},
		{name: "GET without query is 400", r: req{method: "GET", target: "/graphql", header: map[string]string{"Accept": "application/json"}}, status: 400, contentType: plainJSON},
		{name: "GET with two queries is 400", r: req{method: "GET", target: "/graphql?query=%7Ba%7D&query=%7Bb%7D"}, status: 400, contentType: plainJSON},
		{name: "GET with bad variables is 400", r: req{method: "GET", target: "/graphql?query=%7Ba%7D&variables=" + q("{nope")}, status: 400, contentType: plainJSON},
		{name: "query in the URL of an application/graphql POST is 400", r: req{method: "POST", target: "/graphql?query=%7Ba%7D", header: map[string]string{"Content-Type": "application/graphql"}, body: "{b}"}, status: 400, contentType: plainJSON},
		{name: "bad timeout is 400", r: req{method: "GET", target: "/graphql?timeout=-1&query=%7Ba%7D"}, status: 400, contentType: plainJSON},
		{
			name:    "refused, graphql-response+json: 400 without data",
			r:       req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json", "Accept": mediaGraphQLResponse}, body: `{"query":"{ "}`},
			respond: refused, status: 400, contentType: gqlResp, called: true,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				b := decodeGQL(t, rec)
				if b.HasData || len(b.Errors) != 1 {
					t.Fatalf("body %s", rec.Body)
				}
				locs, _ := b.Errors[0]["locations"].([]any)
				if len(locs) != 1 || locs[0].(map[string]any)["column"] != float64(3) {
					t.Errorf("locations = %v", b.Errors[0]["locations"])
				}
				if _, ok := b.Errors[0]["path"]; ok {
					t.Errorf("an error without a path has one: %s", rec.Body)
				}
			},
		},
		{
			name:    "refused, application/json: 200 without data",
			r:       req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json", "Accept": mediaJSON}, body: `{"query":"{ "}`},
			respond: refused, status: 200, contentType: plainJSON, called: true,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				if b := decodeGQL(t, rec); b.HasData {
					t.Errorf("a refused request has data: %s", rec.Body)
				}
			},
		},
		{
			name:    "field error: 200 with data and the error's path",
			r:       req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json", "Accept": mediaGraphQLResponse}, body: `{"query":"{ search { edges { node { id } } } }"}`},
			respond: fieldError, status: 200, contentType: gqlResp, called: true,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				b := decodeGQL(t, rec)
				path, _ := b.Errors[0]["path"].([]any)
				if !b.HasData || len(path) != 3 || path[2] != float64(0) {
					t.Errorf("body %s", rec.Body)
				}
				if _, ok := b.Errors[0]["locations"]; ok {
					t.Errorf("an error without locations has them: %s", rec.Body)
				}
			},
		},
		{
			name:    "execution failed at the root: data null is present",
			r:       req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json", "Accept": mediaGraphQLResponse}, body: `{"query":"{ facets { totalCount } }"}`},
			respond: nullData, status: 200, contentType: gqlResp, called: true,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				if b := decodeGQL(t, rec); !b.HasData || b.Data != nil {
					t.Errorf("body %s, want data null", rec.Body)
				}
			},
		},
		{
			name:   "explain=true",
			r:      req{method: "GET", target: "/graphql?explain=true&query=%7Ba%7D"},
			status: 200, contentType: plainJSON, called: true,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				if !f.last(t).Explain {
					t.Error("Explain not set")
				}
			},
		},
		{
			name:   "extensions.explain",
			r:      req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{"query":"{a}","extensions":{"explain":true}}`},
			status: 200, contentType: plainJSON, called: true,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				if !f.last(t).Explain {
					t.Error("Explain not set")
				}
			},
		},
		{name: "explain=maybe is 400", r: req{method: "GET", target: "/graphql?explain=maybe&query=%7Ba%7D"}, status: 400, contentType: plainJSON},
		{
			name:   "operator token: registered",
			r:      req{method: "GET", target: "/graphql?query=%7Ba%7D", header: map[string]string{"Authorization": "Bearer " + testToken}},
			status: 200, contentType: plainJSON, called: true,
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				if !f.last(t).Registered {
					t.Error("Registered not set for the operator token")
				}
			},
		},
		{name: "wrong token is 401", r: req{method: "GET", target: "/graphql?query=%7Ba%7D", header: map[string]string{"Authorization": "Bearer nope"}}, status: 401, contentType: mediaJSON},
		{
			name:   "browser GET: the playground",
			r:      req{method: "GET", target: "/graphql", header: map[string]string{"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}},
			status: 200, contentType: "text/html; charset=utf-8",
			check: func(t *testing.T, rec *httptest.ResponseRecorder, f *fakeGraphQL) {
				if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
					t.Errorf("Content-Security-Policy = %q", csp)
				}
				if !strings.Contains(rec.Body.String(), `id="tessera-playground-config"`) {
					t.Errorf("page %s", rec.Body)
				}
			},
		},
		{name: "POST preferring HTML is 406", r: req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json", "Accept": "text/html"}, body: `{"query":"{a}"}`}, status: 406, contentType: mediaJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeGraphQL{respond: tt.respond}
			srv := gqlServer(t, f, Options{})
			rec := do(t, srv.Handler(), tt.r)
			if rec.Code != tt.status {
				t.Fatalf("%s %s = %d, want %d: %s", tt.r.method, tt.r.target, rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type = %q, want %q", ct, tt.contentType)
			}
			if called := f.calls() > 0; called != tt.called {
				t.Errorf("service called = %v, want %v", called, tt.called)
			}
			switch {
			case rec.Code == http.StatusBadRequest:
				// Not well-formed GraphQL over HTTP or refused: a GraphQL
				// error response without data.
				if b := decodeGQL(t, rec); b.HasData || len(b.Errors) == 0 {
					t.Errorf("400 body %s: want errors and no data", rec.Body)
				}
			case rec.Code > 400:
				apiErr(t, rec)
			}
			if tt.check != nil {
				tt.check(t, rec, f)
			}
		})
	}
}

func TestGraphQLBodyCap(t *testing.T) {
	f := &fakeGraphQL{}
	srv := gqlServer(t, f, Options{MaxQueryBytes: 64})
	small := `{"query":"{ a }"}`
	big := jsonBody(t, map[string]string{"query": "{ " + strings.Repeat("a ", 64) + "}"})
	for _, tt := range []struct {
		body   string
		status int
	}{{small, 200}, {big, 413}} {
		rec := do(t, srv.Handler(), req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: tt.body})
		if rec.Code != tt.status {
			t.Errorf("POST of %d bytes = %d, want %d: %s", len(tt.body), rec.Code, tt.status, rec.Body)
		}
		if tt.status == 413 && apiErr(t, rec).Code != "body_too_large" {
			t.Errorf("413 body %s", rec.Body)
		}
	}
}

// blockUntilDone is a service that runs until its context ends.
func blockUntilDone(ctx context.Context, _ schema.Request) *schema.Response {
	<-ctx.Done()
	return &schema.Response{Errors: []gqlerrors.FormattedError{gqlerrors.NewFormattedError(ctx.Err().Error())}}
}

func TestGraphQLTimeout(t *testing.T) {
	f := &fakeGraphQL{respond: blockUntilDone}
	srv := gqlServer(t, f, Options{QueryTimeout: 5 * time.Second})
	start := time.Now()
	rec := do(t, srv.Handler(), req{method: "GET", target: "/graphql?timeout=0.05&query=%7Ba%7D", header: map[string]string{"Accept": mediaGraphQLResponse}})
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("?timeout=0.05 took %v", took)
	}
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("timed-out request = %d, want 503: %s", rec.Code, rec.Body)
	}
	if b := decodeGQL(t, rec); b.HasData || len(b.Errors) == 0 {
		t.Errorf("timed-out body %s: want errors, no data", rec.Body)
	}
	if err := f.ctxErrs[0]; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("service context error = %v, want deadline exceeded", err)
	}

	// A partial answer at the deadline keeps its data and is 200.
	f.respond = func(ctx context.Context, _ schema.Request) *schema.Response {
		<-ctx.Done()
		return &schema.Response{Data: map[string]any{"a": 1}, Errors: []gqlerrors.FormattedError{{Message: "timeout", Path: []any{"b"}}}}
	}
	rec = do(t, srv.Handler(), req{method: "GET", target: "/graphql?timeout=0.02&query=%7Ba+b%7D"})
	if b := decodeGQL(t, rec); rec.Code != 200 || !b.HasData {
		t.Errorf("partial answer = %d %s", rec.Code, rec.Body)
	}
}

// TestGraphQLTimeoutWording checks that a request stopped by its time
// limit says so as SPARQL does ("the query exceeded its time limit", code
// timeout), not with the store's or evaluator's text.
func TestGraphQLTimeoutWording(t *testing.T) {
	want := map[string]any{"message": "the query exceeded its time limit", "extensions": map[string]any{"code": "timeout"}}
	tests := []struct {
		name    string
		respond func(ctx context.Context) *schema.Response
		status  int
		errors  []map[string]any
	}{
		{"no data: the snapshot failed", func(ctx context.Context) *schema.Response {
			return &schema.Response{Errors: gqlerrors.FormatErrors(fmt.Errorf("snapshot: %w", ctx.Err()))}
		}, 503, []map[string]any{want}},
		{"no data, no error", func(context.Context) *schema.Response { return &schema.Response{} }, 503, []map[string]any{want}},
		{"partial data", func(ctx context.Context) *schema.Response {
			return &schema.Response{Data: map[string]any{"a": 1, "b": nil, "c": nil}, Errors: []gqlerrors.FormattedError{
				gqlerrors.FormatError(graphql.NewLocatedErrorWithPath(fmt.Errorf("eval: %w", ctx.Err()), nil, []any{"b"})),
				{Message: "c failed", Path: []any{"c"}},
				gqlerrors.FormatError(fmt.Errorf("request stopped: %w (limit 30s)", ctx.Err())),
			}}
		}, 200, []map[string]any{
			{"message": want["message"], "extensions": want["extensions"], "path": []any{"b"}},
			{"message": "c failed", "path": []any{"c"}},
			want,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeGraphQL{respond: func(ctx context.Context, _ schema.Request) *schema.Response {
				<-ctx.Done()
				return tt.respond(ctx)
			}}
			srv := gqlServer(t, f, Options{})
			rec := do(t, srv.Handler(), req{method: "GET", target: "/graphql?timeout=0.000001&query=%7Ba+b+c%7D"})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if strings.Contains(rec.Body.String(), "deadline") {
				t.Errorf("body %s has the internal text", rec.Body)
			}
			b := decodeGQL(t, rec)
			for _, e := range b.Errors {
				delete(e, "locations")
			}
			if got, _ := json.Marshal(b.Errors); string(got) != string(must(json.Marshal(tt.errors))) {
				t.Errorf("errors %s, want %s", got, must(json.Marshal(tt.errors)))
			}
		})
	}
}

// must returns v, for values whose error cannot happen.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestGraphQLClientGone(t *testing.T) {
	started := make(chan struct{})
	f := &fakeGraphQL{respond: func(ctx context.Context, req schema.Request) *schema.Response {
		close(started)
		return blockUntilDone(ctx, req)
	}}
	srv := gqlServer(t, f, Options{QueryTimeout: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	hr := httptest.NewRequest(http.MethodGet, "/graphql?query=%7Ba%7D", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		srv.Handler().ServeHTTP(rec, hr)
		close(done)
	}()
	<-started
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the handler did not return after the client went away")
	}
	if err := f.ctxErrs[0]; !errors.Is(err, context.Canceled) {
		t.Errorf("service context error = %v, want canceled", err)
	}
	if rec.Body.Len() != 0 {
		t.Errorf("a response was written for a client that left: %s", rec.Body)
	}
}

func TestGraphQLUnavailable(t *testing.T) {
	srv := New(memstore.New(), Options{})
	rec := do(t, srv.Handler(), req{method: "GET", target: "/graphql?query=%7Ba%7D"})
	if rec.Code != http.StatusServiceUnavailable || apiErr(t, rec).Code != "graphql_unavailable" {
		t.Errorf("GraphQL without a service = %d %s", rec.Code, rec.Body)
	}
	rec = do(t, srv.Handler(), req{method: "GET", target: "/graphql", header: map[string]string{"Accept": "text/html"}})
	if rec.Code != 200 {
		t.Errorf("playground without a service = %d", rec.Code)
	}
}

func TestGraphQLMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	f := &fakeGraphQL{}
	srv := gqlServer(t, f, Options{Registry: reg})
	h := srv.Handler()
	do(t, h, req{method: "GET", target: "/graphql?query=%7Ba%7D"})
	do(t, h, req{method: "GET", target: "/graphql?query=%7Ba%7D"})
	f.respond = func(context.Context, schema.Request) *schema.Response {
		return &schema.Response{Refused: true, Errors: []gqlerrors.FormattedError{{Message: "too deep"}}}
	}
	do(t, h, req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{"query":"query Q { a }"}`})
	do(t, h, req{method: "POST", target: "/graphql", header: map[string]string{"Content-Type": "application/json"}, body: `{`})
	rec := do(t, h, req{method: "GET", target: "/metrics"})
	body := rec.Body.String()
	for _, want := range []string{
		`tessera_graphql_requests_total{operation="query",outcome="ok"} 2`,
		`tessera_graphql_requests_total{operation="query",outcome="refused"} 1`,
		`tessera_graphql_requests_total{operation="unknown",outcome="bad_request"} 1`,
		`tessera_graphql_errors_total{kind="request"} 2`,
		`tessera_graphql_request_duration_seconds_count{operation="query"} 3`,
		`tessera_http_requests_total{code="200",method="GET",route="/graphql"} 2`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestOperationType(t *testing.T) {
	tests := []struct {
		doc, name, want string
	}{
		{"{ a }", "", "query"},
		{"query { a }", "", "query"},
		{"query Q { a }", "", "query"},
		{"mutation { a }", "", "mutation"},
		{"subscription S { a }", "", "subscription"},
		{"# comment\nmutation M($x: In = {a: {b: 1}}) @d(a: [1]) { a(x: $x) { b } }", "", "mutation"},
		{"query A { a } mutation B { b }", "B", "mutation"},
		{"query A { a } mutation B { b }", "A", "query"},
		{"query A { a } mutation B { b }", "", "unknown"},
		{"query A { a } mutation B { b }", "C", "unknown"},
		{"fragment F on T { a } mutation { ...F }", "", "mutation"},
		{"fragment query on T { a } { ...query }", "", "query"},
		{`query Q { a(s: "mutation {") }`, "", "query"},
		{`mutation { a(s: """ { """) }`, "", "mutation"},
		{"{ a ", "", "query"},
		{"}", "", "unknown"},
		{`{ a(s: "unterminated) }`, "", "unknown"},
		{"", "", "unknown"},
		{"query mutation { a }", "mutation", "query"},
	}
	for _, tt := range tests {
		if got := operationType(tt.doc, tt.name); got != tt.want {
			t.Errorf("operationType(%q, %q) = %q, want %q", tt.doc, tt.name, got, tt.want)
		}
	}
}

// TestOperationTypeDeepNesting checks the scan needs no stack for nesting
// a recursive parser would choke on.
func TestOperationTypeDeepNesting(t *testing.T) {
	doc := "mutation " + strings.Repeat("{ a ", 200_000) + strings.Repeat("}", 200_000)
	if got := operationType(doc, ""); got != "mutation" {
		t.Errorf("operationType of a 200,000-deep mutation = %q", got)
	}
}

// FuzzGraphQLRequest sends arbitrary bodies, content types, URL parameters
// and Accept headers to /graphql: every answer is a status the handler
// chose; 400s are GraphQL error responses without data; other errors are
// JSON API errors; the service only sees UTF-8 queries.
func FuzzGraphQLRequest(f *testing.F) {
	f.Add("POST", `{"query":"{ a }","variables":{"x":1}}`, "application/json", "", "")
	f.Add("POST", `{"query":"mutation { a }"}`, "application/json; charset=utf-8", "explain=true", mediaGraphQLResponse)
	f.Add("POST", "query Q { a }", "application/graphql", "operationName=Q&variables=%7B%7D", "*/*")
	f.Add("GET", "", "", "query=mutation%20%7Ba%7D", "")
	f.Add("GET", "", "", "query=%7Ba%7D&variables=%5B%5D&timeout=0.01", "text/html;q=0.1, application/json")
	f.Add("POST", `{"query":7}`, "application/json", "", "application/xml")
	f.Add("POST", `{"query":"{a}"} trailing`, "application/json", "", "")
	reg := prometheus.NewRegistry()
	fake := &fakeGraphQL{respond: func(_ context.Context, req schema.Request) *schema.Response {
		if !utf8Valid(req.Query) {
			return &schema.Response{Refused: true, Errors: []gqlerrors.FormattedError{{Message: "the service got invalid UTF-8"}}}
		}
		return &schema.Response{Data: map[string]any{"ok": true}}
	}}
	srv := gqlServer(&testing.T{}, fake, Options{Registry: reg, MaxQueryBytes: 4096})
	f.Fuzz(func(t *testing.T, method, body, contentType, params, accept string) {
		if method != "GET" {
			method = "POST"
		}
		hr := httptest.NewRequest(method, "/graphql", strings.NewReader(body))
		hr.URL.RawQuery = params
		if contentType != "" {
			hr.Header.Set("Content-Type", contentType)
		}
		hr.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, hr)
		switch {
		case rec.Code == 500:
			t.Fatalf("%s %q %q: 500: %s", method, body, params, rec.Body)
		case rec.Code == 400:
			var b map[string]json.RawMessage
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || b["errors"] == nil || b["data"] != nil {
				t.Fatalf("400 body %q is not a GraphQL error response", rec.Body)
			}
			if strings.Contains(rec.Body.String(), "invalid UTF-8") && strings.Contains(rec.Body.String(), "service got") {
				t.Fatalf("invalid UTF-8 reached the service: %s", rec.Body)
			}
		case rec.Code > 400:
			if !strings.HasPrefix(rec.Body.String(), `{"error":`) {
				t.Fatalf("status %d without a JSON error: %q", rec.Code, rec.Body)
			}
		case rec.Code == 200:
			if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
				return
			}
			var b map[string]json.RawMessage
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || (b["data"] == nil && b["errors"] == nil) {
				t.Fatalf("200 body %q is not a GraphQL response", rec.Body)
			}
		}
	})
}

// FuzzOperationType: the scan never panics and answers one of four types.
func FuzzOperationType(f *testing.F) {
	for _, s := range []string{"{ a }", "mutation M { a }", "query A { a } mutation B { b }", `{ a(s: """x""") }`, "fragment F on T { a }"} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, doc, name string) {
		switch got := operationType(doc, name); got {
		case "query", "mutation", "subscription", "unknown":
		default:
			t.Fatalf("operationType(%q, %q) = %q", doc, name, got)
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestPlaygroundUnderPublicURLPath(t *testing.T) {
	srv := gqlServer(t, &fakeGraphQL{}, Options{PublicURL: "https://example.org/tessera/"})
	rec := do(t, srv.Handler(), req{method: "GET", target: "/graphql", header: map[string]string{"Accept": "text/html"}})
	body := rec.Body.String()
	if !strings.Contains(body, `src="/tessera/graphql/playground/playground.js?v=`) || !strings.Contains(body, `"endpoint":"/tessera/graphql"`) {
		t.Errorf("page under PublicURL path /tessera: %s", body)
	}
}

// BenchmarkGraphQLHandler measures what /graphql adds around the service:
// decoding, the operation scan, negotiation, metrics and encoding.
func BenchmarkGraphQLHandler(b *testing.B) {
	data := map[string]any{"datasets": map[string]any{"totalCount": 70, "nodes": []any{map[string]any{"id": "https://tessera.example/d/1", "title": []any{"A dataset"}}}}}
	f := &fakeGraphQL{respond: func(context.Context, schema.Request) *schema.Response { return &schema.Response{Data: data} }}
	srv := gqlServer(&testing.T{}, f, Options{})
	body := `{"query":"query Q($n: Int) { datasets(first: $n, orderBy: [{title: ASC}]) { totalCount nodes { id title } } }","variables":{"n":10}}`
	h := srv.Handler()
	b.ReportAllocs()
	for b.Loop() {
		f.mu.Lock()
		f.reqs, f.ctxErrs = f.reqs[:0], f.ctxErrs[:0]
		f.mu.Unlock()
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Accept", mediaGraphQLResponse)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

func TestGraphQLUnencodableResponse(t *testing.T) {
	f := &fakeGraphQL{respond: func(context.Context, schema.Request) *schema.Response {
		return &schema.Response{Data: map[string]any{"score": math.NaN()}}
	}}
	srv := gqlServer(t, f, Options{})
	rec := do(t, srv.Handler(), req{method: "GET", target: "/graphql?query=%7Bscore%7D"})
	if rec.Code != http.StatusInternalServerError || apiErr(t, rec).Code != "internal" {
		t.Errorf("NaN in data = %d %s, want a 500 JSON error", rec.Code, rec.Body)
	}
}
