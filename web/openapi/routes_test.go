package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/schema"
	"github.com/tessera-fair/tessera/web"
	"github.com/tessera-fair/tessera/web/openapi"
)

// notRoutedYet lists documented paths that web.New does not route yet, with
// the reason. While such a path answers echo's own 404 its operations are
// skipped; once routed they are checked like the rest. The list only
// shrinks.
var notRoutedYet = map[string]string{}

const token = "openapi-test-token"

// TestRoutes asks a real web.Server every operation the description lists,
// with the description's own examples as inputs, and checks that the route
// exists (no 404/405 of the router), that the status is one the operation
// documents, and that the response (status, media type, and JSON bodies
// against their schemas) validates against the description.
func TestRoutes(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	g := graph.IRI("https://tessera.example/graph/provider/turia")
	quads := []graph.Quad{{S: graph.IRI("https://tessera.example/provider/turia/dataset/1"), P: graph.IRI("http://purl.org/dc/terms/title"), O: graph.String("a dataset"), G: g}}
	if _, err := graph.Load(ctx, store, graph.FromSlice(quads), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	h := web.New(store, web.Options{WriteToken: token, GraphQL: typename{}}).Handler()
	e, ok := h.(*echo.Echo)
	if !ok {
		t.Fatalf("web.Server.Handler() is a %T, want *echo.Echo (to read its route table)", h)
	}
	routes := e.Routes()

	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec())
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = nil // match paths without a host
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths.Value(path)
		methods := make([]string, 0, len(item.Operations()))
		for m := range item.Operations() {
			methods = append(methods, m)
		}
		// Writes last, deletes at the very end, so reads see the data.
		order := map[string]int{"GET": 0, "HEAD": 1, "POST": 2, "PUT": 3, "DELETE": 4}
		sort.Slice(methods, func(i, j int) bool { return order[methods[i]] < order[methods[j]] })
		for _, method := range methods {
			op := item.GetOperation(method)
			for _, mt := range bodyTypes(op) {
				name := method + " " + path
				if mt != "" {
					name += " " + mt
				}
				t.Run(name, func(t *testing.T) {
					if !routed(routes, method, path) {
						if reason, ok := notRoutedYet[path]; ok {
							t.Skipf("%s %s is not routed: %s", method, path, reason)
						}
						t.Fatalf("web.Server has no route for %s %s", method, path)
					}
					req := buildRequest(t, path, item, method, op, mt)
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					body := w.Body.Bytes()
					t.Logf("%s %s: %d %s", method, req.URL, w.Code, w.Header().Get("Content-Type"))
					if w.Code == http.StatusNotFound || w.Code == http.StatusMethodNotAllowed {
						var e struct {
							Error struct{ Code string } `json:"error"`
						}
						_ = json.Unmarshal(body, &e)
						if e.Error.Code == http.StatusText(w.Code) {
							t.Fatalf("%s %s: the router answered %d %s", method, req.URL, w.Code, body)
						}
					}
					if _, ok := notRoutedYet[path]; ok {
						t.Errorf("%s is routed now: remove it from notRoutedYet", path)
					}
					if op.Responses.Status(w.Code) == nil && op.Responses.Default() == nil {
						t.Fatalf("%s %s answered %d, which the description does not list (%s)", method, req.URL, w.Code, truncate(body))
					}
					route, params, err := router.FindRoute(req)
					if err != nil {
						t.Fatalf("the description's router does not match %s %s: %v", method, req.URL, err)
					}
					in := &openapi3filter.ResponseValidationInput{
						RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
						Status:                 w.Code,
						Header:                 w.Header(),
						Options:                &openapi3filter.Options{IncludeResponseStatus: true, ExcludeResponseBody: !isJSON(w.Header().Get("Content-Type"))},
					}
					in.SetBodyBytes(body)
					if method == http.MethodHead || len(body) == 0 {
						in.Options.ExcludeResponseBody = true
					}
					if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
						t.Errorf("%s %s: %d response does not match the description: %v\nbody: %s", method, req.URL, w.Code, err, truncate(body))
					}
				})
			}
		}
	}
}

// typename is a GraphQL service that answers every request with
// {"data": {"__typename": "Query"}}; the GraphQL schema has tests of its own.
type typename struct{}

func (typename) Do(context.Context, schema.Request) *schema.Response {
	return &schema.Response{Data: map[string]any{"__typename": "Query"}}
}

// routed reports whether echo's route table has method on the documented
// path: {name} matches a :param segment, and a trailing {name} also matches
// a * wildcard.
func routed(routes []*echo.Route, method, path string) bool {
	want := strings.Split(path, "/")
	for _, r := range routes {
		// RouteNotFound routes (web/fdp's Linked Data catch-all) are
		// not routes of the documented operations.
		if r.Method != method {
			continue
		}
		got := strings.Split(r.Path, "/")
		if matchSegments(want, got) {
			return true
		}
	}
	return false
}

func matchSegments(want, got []string) bool {
	for i, w := range want {
		if i >= len(got) {
			return false
		}
		g := got[i]
		param := strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}")
		switch {
		case g == "*" && i == len(got)-1:
			return param || w != ""
		case param && strings.HasPrefix(g, ":"):
		case w != g:
			return false
		}
	}
	return len(want) == len(got)
}

func isJSON(ct string) bool {
	return strings.Contains(ct, "json")
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// bodyTypes lists the request-body media types of op that have an example
// (one request each), or [""] when op takes no body.
func bodyTypes(op *openapi3.Operation) []string {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return []string{""}
	}
	var out []string
	for mt, c := range op.RequestBody.Value.Content {
		if c.Example != nil {
			out = append(out, mt)
		}
	}
	sort.Strings(out)
	return out
}

// buildRequest makes a request for one operation from the description's
// examples: path parameters (example or first enum value), query
// parameters that have an example, the example body of media type mt (if
// not empty), and the operator token when the operation needs it.
func buildRequest(t *testing.T, path string, item *openapi3.PathItem, method string, op *openapi3.Operation, mt string) *http.Request {
	t.Helper()
	params := append(openapi3.Parameters{}, item.Parameters...)
	params = append(params, op.Parameters...)
	target := path
	query := url.Values{}
	for _, ref := range params {
		p := ref.Value
		v, ok := example(p, p.In == openapi3.ParameterInPath)
		switch {
		case p.In == openapi3.ParameterInPath:
			if !ok {
				t.Fatalf("path parameter %s of %s has no example", p.Name, path)
			}
			target = strings.ReplaceAll(target, "{"+p.Name+"}", url.PathEscape(v))
		case p.In == openapi3.ParameterInQuery && ok:
			query.Set(p.Name, v)
		}
	}
	if method != http.MethodGet && method != http.MethodHead {
		// A read's example query would make a POST ambiguous.
		query.Del("query")
	}
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var body io.Reader
	var ctype string
	if mt != "" {
		ctype = mt
		switch v := op.RequestBody.Value.Content[mt].Example.(type) {
		case string:
			body = strings.NewReader(v)
		case map[string]any:
			if mt == "application/x-www-form-urlencoded" {
				form := url.Values{}
				for k, x := range v {
					form.Set(k, fmt.Sprint(x))
				}
				body = strings.NewReader(form.Encode())
			} else {
				b, _ := json.Marshal(v)
				body = bytes.NewReader(b)
			}
		default:
			t.Fatalf("example of %s is a %T", mt, v)
		}
	}
	req := httptest.NewRequest(method, target, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if op.Security != nil {
		for _, req0 := range *op.Security {
			if _, ok := req0["operatorToken"]; ok {
				req.Header.Set("Authorization", "Bearer "+token)
			}
		}
	}
	return req
}

// example returns a parameter's example value as a string, or, if
// useEnum, its first enum value.
func example(p *openapi3.Parameter, useEnum bool) (string, bool) {
	if p.Example != nil {
		return fmt.Sprint(p.Example), true
	}
	if p.Schema != nil && p.Schema.Value != nil {
		if p.Schema.Value.Example != nil {
			return fmt.Sprint(p.Schema.Value.Example), true
		}
		if useEnum && len(p.Schema.Value.Enum) > 0 {
			switch v := p.Schema.Value.Enum[0].(type) {
			case string:
				return v, true
			case float64:
				return strconv.FormatFloat(v, 'f', -1, 64), true
			}
		}
	}
	return "", false
}
