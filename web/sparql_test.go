package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphtest"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/sparql/results"
)

const testToken = "s3cret-operator-token"

// req describes one request of a table-driven test.
type req struct {
	method, target string
	header         map[string]string
	body           string
}

func do(t *testing.T, h http.Handler, r req) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, r.target, body)
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, hr)
	return rec
}

func fixtureServer(t *testing.T, opts Options) (*Server, *memstore.Store) {
	t.Helper()
	store := memstore.New()
	graphtest.Add(t, store, graphtest.Fixture()...)
	if opts.WriteToken == "" && !opts.AllowAnonymousWrites {
		opts.WriteToken = testToken
	}
	return New(store, opts), store
}

// apiErr decodes a JSON API error body.
func apiErr(t *testing.T, rec *httptest.ResponseRecorder) Error {
	t.Helper()
	var body struct{ Error Error }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code == "" {
		t.Fatalf("body %q is not a JSON API error: %v", rec.Body, err)
	}
	return body.Error
}

func resultTable(t *testing.T, rec *httptest.ResponseRecorder) results.Table {
	t.Helper()
	f, ok := results.FormatForMediaType(rec.Header().Get("Content-Type"))
	if !ok {
		t.Fatalf("Content-Type %q is not a result format", rec.Header().Get("Content-Type"))
	}
	tab, err := results.ReadTable(bytes.NewReader(rec.Body.Bytes()), f, syntax.Options{})
	if err != nil {
		t.Fatalf("read %s result %q: %v", f, rec.Body, err)
	}
	return tab
}

func q(s string) string { return url.QueryEscape(s) }

const (
	askKnows       = `ASK { ?s <http://example.org/knows> ?o }`
	constructDigit = `CONSTRUCT { ?s <http://example.org/1> ?o } WHERE { ?s <http://example.org/knows> ?o }`
	selectNames    = `SELECT ?n WHERE { <http://example.org/alice> <http://example.org/name> ?n } ORDER BY ?n`
	countAll       = `SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }`
)

func TestQueryProtocol(t *testing.T) {
	srv, _ := fixtureServer(t, Options{})
	form := map[string]string{"Content-Type": mediaForm}
	tests := []struct {
		name   string
		req    req
		status int
		ctype  string // media type prefix of the response
		rows   int    // -1: don't check
		code   string // API error code for errors
	}{
		{"GET json by default", req{"GET", "/sparql?query=" + q(selectNames), nil, ""}, 200, "application/sparql-results+json", 2, ""},
		{"GET trailing slash", req{"GET", "/sparql/?query=" + q(selectNames), nil, ""}, 200, "application/sparql-results+json", 2, ""},
		{"GET Accept xml", req{"GET", "/sparql?query=" + q(selectNames), map[string]string{"Accept": "application/sparql-results+xml"}, ""}, 200, "application/sparql-results+xml", 2, ""},
		{"GET Accept csv with q", req{"GET", "/sparql?query=" + q(selectNames), map[string]string{"Accept": "application/sparql-results+json;q=0.5, text/csv"}, ""}, 200, "text/csv", -1, ""},
		{"GET format=tsv wins over Accept", req{"GET", "/sparql?format=tsv&query=" + q(selectNames), map[string]string{"Accept": "application/sparql-results+xml"}, ""}, 200, "text/tab-separated-values", 2, ""},
		{"POST form", req{"POST", "/sparql", form, "query=" + q(selectNames)}, 200, "application/sparql-results+json", 2, ""},
		{"POST direct", req{"POST", "/sparql", map[string]string{"Content-Type": mediaQuery}, selectNames}, 200, "application/sparql-results+json", 2, ""},
		{"POST direct utf-8 charset", req{"POST", "/sparql", map[string]string{"Content-Type": mediaQuery + "; charset=UTF-8"}, selectNames}, 200, "application/sparql-results+json", 2, ""},
		{"ASK", req{"GET", "/sparql?query=" + q(`ASK { ?s <http://example.org/knows> ?o }`), nil, ""}, 200, "application/sparql-results+json", -1, ""},
		{"CONSTRUCT turtle by default", req{"GET", "/sparql?query=" + q(`CONSTRUCT WHERE { ?s <http://example.org/knows> ?o }`), nil, ""}, 200, "text/turtle", -1, ""},
		{"CONSTRUCT n-triples", req{"GET", "/sparql?query=" + q(`CONSTRUCT WHERE { ?s <http://example.org/knows> ?o }`), map[string]string{"Accept": "application/n-triples"}, ""}, 200, "application/n-triples", -1, ""},
		{"CONSTRUCT json-ld", req{"GET", "/sparql?query=" + q(`CONSTRUCT WHERE { ?s <http://example.org/knows> ?o }`), map[string]string{"Accept": "application/ld+json"}, ""}, 200, "application/ld+json", -1, ""},
		{"CONSTRUCT rdf/xml", req{"GET", "/sparql?query=" + q(`CONSTRUCT WHERE { ?s <http://example.org/knows> ?o }`), map[string]string{"Accept": "application/rdf+xml"}, ""}, 200, "application/rdf+xml", -1, ""},
		{"CONSTRUCT format=nquads", req{"GET", "/sparql?format=nquads&query=" + q(`CONSTRUCT WHERE { ?s <http://example.org/knows> ?o }`), nil, ""}, 200, "application/n-quads", -1, ""},
		{"DESCRIBE", req{"GET", "/sparql?query=" + q(`DESCRIBE <http://example.org/alice>`), nil, ""}, 200, "text/turtle", -1, ""},
		{"SELECT as turtle is 406", req{"GET", "/sparql?query=" + q(selectNames), map[string]string{"Accept": "text/turtle"}, ""}, 406, "application/json", -1, "not_acceptable"},
		{"CONSTRUCT as results is 406", req{"GET", "/sparql?query=" + q(`CONSTRUCT WHERE { ?s ?p ?o }`), map[string]string{"Accept": "application/sparql-results+json"}, ""}, 406, "application/json", -1, "not_acceptable"},
		{"unknown format is 406", req{"GET", "/sparql?format=yaml&query=" + q(selectNames), nil, ""}, 406, "application/json", -1, "unknown_format"},
		// Only formats that can carry the form's result take part: CSV and
		// TSV are defined for SELECT only.
		{"ASK as CSV is 406", req{"GET", "/sparql?query=" + q(askKnows), map[string]string{"Accept": "text/csv"}, ""}, 406, "application/json", -1, "not_acceptable"},
		{"ASK as TSV is 406", req{"GET", "/sparql?query=" + q(askKnows), map[string]string{"Accept": "text/tab-separated-values"}, ""}, 406, "application/json", -1, "not_acceptable"},
		{"ASK falls back from CSV to JSON", req{"GET", "/sparql?query=" + q(askKnows), map[string]string{"Accept": "text/csv, application/sparql-results+json;q=0.5"}, ""}, 200, "application/sparql-results+json", 0, ""},
		{"ASK falls back from TSV to XML", req{"GET", "/sparql?query=" + q(askKnows), map[string]string{"Accept": "text/tab-separated-values, application/sparql-results+xml;q=0.1"}, ""}, 200, "application/sparql-results+xml", 0, ""},
		{"ASK with text/* and */* is JSON", req{"GET", "/sparql?query=" + q(askKnows), map[string]string{"Accept": "text/*, */*;q=0.1"}, ""}, 200, "application/sparql-results+json", 0, ""},
		{"ASK format=csv is 406", req{"GET", "/sparql?format=csv&query=" + q(askKnows), map[string]string{"Accept": "application/sparql-results+json"}, ""}, 406, "application/json", -1, "not_acceptable"},
		{"ASK format=xml", req{"GET", "/sparql?format=xml&query=" + q(askKnows), nil, ""}, 200, "application/sparql-results+xml", 0, ""},
		{"SELECT format=turtle is 406", req{"GET", "/sparql?format=turtle&query=" + q(selectNames), nil, ""}, 406, "application/json", -1, "not_acceptable"},
		{"CONSTRUCT format=csv is 406", req{"GET", "/sparql?format=csv&query=" + q(`CONSTRUCT WHERE { ?s ?p ?o }`), nil, ""}, 406, "application/json", -1, "not_acceptable"},
		{"CONSTRUCT as CSV is 406", req{"GET", "/sparql?query=" + q(`CONSTRUCT WHERE { ?s ?p ?o }`), map[string]string{"Accept": "text/csv"}, ""}, 406, "application/json", -1, "not_acceptable"},
		{"CONSTRUCT falls back from CSV to Turtle", req{"GET", "/sparql?query=" + q(`CONSTRUCT WHERE { ?s ?p ?o }`), map[string]string{"Accept": "text/csv, text/turtle;q=0.1"}, ""}, 200, "text/turtle", -1, ""},
		// RDF/XML cannot write a predicate without an XML local name: the
		// next acceptable syntax, or 406, rather than a broken-off 200.
		{"CONSTRUCT RDF/XML cannot write is 406", req{"GET", "/sparql?query=" + q(constructDigit), map[string]string{"Accept": "application/rdf+xml"}, ""}, 406, "application/json", -1, "not_acceptable"},
		{"CONSTRUCT format=rdfxml cannot write is 406", req{"GET", "/sparql?format=rdfxml&query=" + q(constructDigit), nil, ""}, 406, "application/json", -1, "not_acceptable"},
		{"CONSTRUCT RDF/XML cannot write falls back", req{"GET", "/sparql?query=" + q(constructDigit), map[string]string{"Accept": "application/rdf+xml, application/n-triples;q=0.5"}, ""}, 200, "application/n-triples", -1, ""},
		{"malformed query", req{"GET", "/sparql?query=" + q("SELECT * WHERE {\n  ?s ?p }"), nil, ""}, 400, "application/json", -1, "malformed_query"},
		{"two queries", req{"GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", nil, ""}, 400, "application/json", -1, "bad_request"},
		{"PUT is 405", req{"PUT", "/sparql?query=ASK%7B%7D", nil, ""}, 405, "application/json", -1, "method_not_allowed"},
		{"DELETE is 405", req{"DELETE", "/sparql", nil, ""}, 405, "application/json", -1, "method_not_allowed"},
		{"update by GET is 405", req{"GET", "/sparql?update=" + q("CLEAR ALL"), nil, ""}, 405, "application/json", -1, "method_not_allowed"},
		{"text/plain body is 415", req{"POST", "/sparql", map[string]string{"Content-Type": "text/plain"}, "ASK {}"}, 415, "application/json", -1, "unsupported_media_type"},
		{"no content type is 415", req{"POST", "/sparql", nil, "ASK {}"}, 415, "application/json", -1, "missing_content_type"},
		{"UTF-16 is 415", req{"POST", "/sparql", map[string]string{"Content-Type": mediaQuery + "; charset=UTF-16"}, "ASK {}"}, 415, "application/json", -1, "bad_charset"},
		{"invalid UTF-8 is 400", req{"POST", "/sparql", map[string]string{"Content-Type": mediaQuery}, "ASK { ?s ?p \"\xff\" }"}, 400, "application/json", -1, "bad_encoding"},
		{"query and update together", req{"POST", "/sparql", form, "query=ASK%7B%7D&update=CLEAR%20ALL"}, 400, "application/json", -1, "bad_request"},
		{"empty form", req{"POST", "/sparql", form, "x=1"}, 400, "application/json", -1, "bad_request"},
		{"relative default-graph-uri", req{"GET", "/sparql?default-graph-uri=g1&query=ASK%7B%7D", nil, ""}, 400, "application/json", -1, "bad_graph_iri"},
		{"bad timeout", req{"GET", "/sparql?timeout=soon&query=ASK%7B%7D", nil, ""}, 400, "application/json", -1, "bad_timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, srv.Handler(), tt.req)
			if rec.Code != tt.status {
				t.Fatalf("%s %s = %d, want %d: %s", tt.req.method, tt.req.target, rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type = %q, want %s", ct, tt.ctype)
			}
			if tt.code != "" {
				if e := apiErr(t, rec); e.Code != tt.code {
					t.Errorf("error code = %q, want %q (%s)", e.Code, tt.code, e.Message)
				}
			}
			if tt.rows >= 0 {
				if tab := resultTable(t, rec); len(tab.Rows) != tt.rows {
					t.Errorf("%d rows, want %d:\n%s", len(tab.Rows), tt.rows, rec.Body)
				}
			}
			if tt.status == 200 && strings.HasPrefix(tt.ctype, "text/turtle") || strings.Contains(tt.ctype, "n-triples") {
				if _, err := parseRDF(strings.Split(rec.Header().Get("Content-Type"), ";")[0], rec.Body.Bytes()); err != nil {
					t.Errorf("response does not parse: %v", err)
				}
			}
		})
	}
}

func TestMalformedQueryPosition(t *testing.T) {
	srv, _ := fixtureServer(t, Options{})
	rec := do(t, srv.Handler(), req{"GET", "/sparql?query=" + q("SELECT * WHERE {\n  ?s ?p }"), nil, ""})
	e := apiErr(t, rec)
	d, _ := e.Details.(map[string]any)
	if d["line"] != float64(2) || d["column"] == nil {
		t.Errorf("details = %v, want line 2 and a column", e.Details)
	}
}

func TestDatasetParameters(t *testing.T) {
	ex := func(s string) string { return "http://example.org/" + s }
	store := memstore.New()
	graphtest.Add(t, store,
		graph.Quad{S: graph.IRI(ex("a")), P: graph.IRI(ex("p")), O: graph.String("in g1"), G: graph.IRI(ex("g1"))},
		graph.Quad{S: graph.IRI(ex("b")), P: graph.IRI(ex("p")), O: graph.String("in g2"), G: graph.IRI(ex("g2"))},
		graph.Triple(graph.IRI(ex("c")), graph.IRI(ex("p")), graph.String("in default")),
	)
	count := `SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }`
	countNamed := `SELECT (COUNT(*) AS ?c) WHERE { GRAPH ?g { ?s ?p ?o } }`
	tests := []struct {
		name  string
		union bool
		query string
		extra string
		want  string
	}{
		{"store default graph", false, count, "", "1"},
		{"union default graph includes the default graph", true, count, "", "3"},
		{"FROM wins over union", true, `SELECT (COUNT(*) AS ?c) FROM <` + ex("g1") + `> WHERE { ?s ?p ?o }`, "", "1"},
		{"default-graph-uri", true, count, "&default-graph-uri=" + q(ex("g1")) + "&default-graph-uri=" + q(ex("g2")), "2"},
		{"default-graph-uri overrides FROM", false, `SELECT (COUNT(*) AS ?c) FROM <` + ex("g1") + `> WHERE { ?s ?p ?o }`, "&default-graph-uri=" + q(ex("g2")), "1"},
		{"named-graph-uri restricts GRAPH", false, countNamed, "&named-graph-uri=" + q(ex("g2")), "1"},
		{"named-graph-uri alone leaves the default graph empty", true, count, "&named-graph-uri=" + q(ex("g2")), "0"},
		{"all named graphs by default", false, countNamed, "", "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := New(store, Options{UnionDefaultGraph: tt.union})
			rec := do(t, srv.Handler(), req{"GET", "/sparql?query=" + q(tt.query) + tt.extra, nil, ""})
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			tab := resultTable(t, rec)
			if len(tab.Rows) != 1 || tab.Rows[0][0].Value() != tt.want {
				t.Errorf("count = %v, want %s", tab.Rows, tt.want)
			}
		})
	}
}

func TestUpdateAuth(t *testing.T) {
	direct := func(auth string) map[string]string {
		h := map[string]string{"Content-Type": mediaUpdate}
		if auth != "" {
			h["Authorization"] = auth
		}
		return h
	}
	ins := `INSERT DATA { <http://example.org/new> <http://example.org/p> "v" }`
	tests := []struct {
		name   string
		opts   Options
		header map[string]string
		status int
		code   string
	}{
		{"no token sent", Options{WriteToken: testToken}, direct(""), 401, "unauthorized"},
		{"wrong token", Options{WriteToken: testToken}, direct("Bearer nope"), 401, "invalid_token"},
		{"not bearer", Options{WriteToken: testToken}, direct("Basic " + testToken), 401, "unauthorized"},
		{"right token", Options{WriteToken: testToken}, direct("Bearer " + testToken), 204, ""},
		{"scheme is case-insensitive", Options{WriteToken: testToken}, direct("bearer " + testToken), 204, ""},
		{"no token configured", Options{}, direct("Bearer anything"), 403, "writes_disabled"},
		{"anonymous allowed", Options{AllowAnonymousWrites: true}, direct(""), 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := memstore.New()
			srv := New(store, tt.opts)
			rec := do(t, srv.Handler(), req{"POST", "/sparql", tt.header, ins})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			n, _ := store.Stats(context.Background())
			if want := map[bool]int64{true: 1, false: 0}[tt.status == 204]; n.Quads != want {
				t.Errorf("store has %d quads after the update, want %d", n.Quads, want)
			}
			if tt.code != "" {
				if e := apiErr(t, rec); e.Code != tt.code {
					t.Errorf("code %q, want %q", e.Code, tt.code)
				}
			}
			if tt.status == 401 && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without WWW-Authenticate: Bearer")
			}
		})
	}
}

func TestUpdateProtocol(t *testing.T) {
	auth := "Bearer " + testToken
	tests := []struct {
		name   string
		req    req
		status int
		code   string
		quads  int64 // quads in the store afterwards, -1 to skip
	}{
		{"form", req{"POST", "/sparql", map[string]string{"Content-Type": mediaForm, "Authorization": auth}, "update=" + q(`INSERT DATA { <http://e/s> <http://e/p> 1 }`)}, 204, "", 1},
		{"two updates", req{"POST", "/sparql", map[string]string{"Content-Type": mediaForm, "Authorization": auth}, "update=CLEAR%20ALL&update=CLEAR%20ALL"}, 400, "bad_request", 0},
		{"syntax error", req{"POST", "/sparql", map[string]string{"Content-Type": mediaUpdate, "Authorization": auth}, "CLEAR XYZ"}, 400, "malformed_update", 0},
		{"using-graph-uri with WITH", req{"POST", "/sparql?using-graph-uri=" + q("http://e/g"), map[string]string{"Content-Type": mediaUpdate, "Authorization": auth}, `WITH <http://e/g> INSERT { ?s ?p 2 } WHERE { ?s ?p ?o }`}, 400, "dataset_conflict", 0},
		{"LOAD is refused without an allow-list", req{"POST", "/sparql", map[string]string{"Content-Type": mediaUpdate, "Authorization": auth}, `LOAD <http://example.org/data.ttl>`}, 403, "load_disabled", 0},
		{"atomic: a failing step undoes the request", req{"POST", "/sparql", map[string]string{"Content-Type": mediaUpdate, "Authorization": auth}, `INSERT DATA { <http://e/s> <http://e/p> 1 } ; CREATE GRAPH <http://e/g> ; CREATE GRAPH <http://e/g>`}, 409, "graph_exists", 0},
		{"relative IRIs resolve against the endpoint", req{"POST", "http://tessera.test/sparql", map[string]string{"Content-Type": mediaUpdate, "Authorization": auth}, `INSERT DATA { <s> <p> <o> }`}, 204, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := memstore.New()
			srv := New(store, Options{WriteToken: testToken})
			rec := do(t, srv.Handler(), tt.req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.code != "" {
				if e := apiErr(t, rec); e.Code != tt.code {
					t.Errorf("code %q, want %q (%s)", e.Code, tt.code, e.Message)
				}
			}
			st, _ := store.Stats(context.Background())
			if tt.quads >= 0 && st.Quads != tt.quads {
				t.Errorf("store has %d quads, want %d", st.Quads, tt.quads)
			}
		})
	}
	t.Run("base IRI", func(t *testing.T) {
		store := memstore.New()
		srv := New(store, Options{WriteToken: testToken})
		do(t, srv.Handler(), req{"POST", "http://tessera.test/sparql", map[string]string{"Content-Type": mediaUpdate, "Authorization": auth}, `INSERT DATA { <s> <p> <o> }`})
		qs := graphtest.Dump(t, store)
		if len(qs) != 1 || qs[0].S.Value() != "http://tessera.test/s" {
			t.Errorf("stored %v, want <http://tessera.test/s>", qs)
		}
	})
}

// bigStore holds n triples with distinct subjects.
func bigStore(t *testing.T, n int) *memstore.Store {
	t.Helper()
	store := memstore.New()
	qs := make([]graph.Quad, n)
	for i := range qs {
		qs[i] = graph.Triple(graph.IRI(fmt.Sprintf("http://e/s%d", i)), graph.IRI("http://e/p"), graph.Literal(fmt.Sprint(i), graph.XSDInteger))
	}
	graphtest.Add(t, store, qs...)
	return store
}

func TestLimits(t *testing.T) {
	store := bigStore(t, 3000)
	all := "/sparql?query=" + q(`SELECT * WHERE { ?s ?p ?o }`)
	cross := "/sparql?query=" + q(`SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }`)

	t.Run("row cap found before streaming is 413", func(t *testing.T) {
		srv := New(store, Options{MaxRows: 10})
		rec := do(t, srv.Handler(), req{"GET", all, nil, ""})
		if rec.Code != 413 || apiErr(t, rec).Code != "too_many_rows" {
			t.Errorf("status %d, body %s; want 413 too_many_rows", rec.Code, rec.Body)
		}
	})
	t.Run("row cap found while streaming truncates with a trailer", func(t *testing.T) {
		srv := New(store, Options{MaxRows: 2000})
		rec := do(t, srv.Handler(), req{"GET", all, map[string]string{"Accept": "text/csv"}, ""})
		res := rec.Result()
		if rec.Code != 200 || res.Trailer.Get(trailerTruncated) != "max-rows=2000" || res.Trailer.Get(trailerError) == "" {
			t.Fatalf("status %d, trailers %v; want 200 with %s", rec.Code, res.Trailer, trailerTruncated)
		}
		if lines := strings.Count(rec.Body.String(), "\n"); lines != 2001 {
			t.Errorf("%d lines, want header + 2000 rows (trailers %v)", lines, res.Trailer)
		}
	})
	t.Run("row cap leaves JSON unfinished", func(t *testing.T) {
		srv := New(store, Options{MaxRows: 2000})
		rec := do(t, srv.Handler(), req{"GET", all, nil, ""})
		if json.Valid(rec.Body.Bytes()) {
			t.Errorf("a truncated JSON result must not be valid JSON")
		}
	})
	t.Run("under the cap", func(t *testing.T) {
		srv := New(store, Options{MaxRows: 3000})
		rec := do(t, srv.Handler(), req{"GET", all, nil, ""})
		if tab := resultTable(t, rec); len(tab.Rows) != 3000 || rec.Result().Trailer.Get(trailerTruncated) != "" {
			t.Errorf("%d rows, trailer %v", len(tab.Rows), rec.Result().Trailer)
		}
	})
	t.Run("client timeout is 503 and the server stays responsive", func(t *testing.T) {
		srv := New(store, Options{})
		start := time.Now()
		rec := do(t, srv.Handler(), req{"GET", cross + "&timeout=0.2", nil, ""})
		if rec.Code != 503 || apiErr(t, rec).Code != "timeout" {
			t.Fatalf("status %d, body %s; want 503 timeout", rec.Code, rec.Body)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("the timeout took %v to stop the query", d)
		}
		if rec := do(t, srv.Handler(), req{"GET", "/sparql?query=ASK%7B%7D", nil, ""}); rec.Code != 200 {
			t.Errorf("next query: %d", rec.Code)
		}
		m := do(t, srv.Handler(), req{"GET", "/metrics", nil, ""})
		if !strings.Contains(m.Body.String(), "tessera_sparql_timeouts_total 1") {
			t.Errorf("metrics do not count the timeout")
		}
	})
	t.Run("server timeout cannot be raised by the client", func(t *testing.T) {
		srv := New(store, Options{QueryTimeout: 200 * time.Millisecond})
		rec := do(t, srv.Handler(), req{"GET", cross + "&timeout=1000", nil, ""})
		if rec.Code != 503 {
			t.Errorf("status %d, want 503", rec.Code)
		}
	})
	t.Run("client disconnect cancels the query", func(t *testing.T) {
		srv := New(store, Options{})
		ctx, cancel := context.WithCancel(context.Background())
		hr := httptest.NewRequest("GET", cross, nil).WithContext(ctx)
		done := make(chan struct{})
		go func() {
			srv.Handler().ServeHTTP(httptest.NewRecorder(), hr)
			close(done)
		}()
		time.Sleep(100 * time.Millisecond)
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("the query went on after the client left")
		}
	})
	t.Run("query body limit is 413", func(t *testing.T) {
		srv := New(store, Options{MaxQueryBytes: 100})
		rec := do(t, srv.Handler(), req{"POST", "/sparql", map[string]string{"Content-Type": mediaQuery}, "ASK {}" + strings.Repeat(" ", 200)})
		if rec.Code != 413 {
			t.Errorf("status %d, want 413", rec.Code)
		}
	})
	t.Run("memory limit is 507", func(t *testing.T) {
		srv := New(store, Options{MaxQueryMemory: 1000})
		rec := do(t, srv.Handler(), req{"GET", "/sparql?query=" + q(`SELECT DISTINCT ?o WHERE { ?s ?p ?o } ORDER BY ?o`), nil, ""})
		if rec.Code != 507 || apiErr(t, rec).Code != "memory_limit" {
			t.Errorf("status %d, body %s; want 507 memory_limit", rec.Code, rec.Body)
		}
	})
}

// panicStore panics on every read, standing in for a bug below the server.
type panicStore struct{ graph.Store }

func (panicStore) Snapshot(context.Context) (graph.Snapshot, error) { panic("boom") }

func TestPanicIsRecovered(t *testing.T) {
	srv := New(panicStore{memstore.New()}, Options{})
	rec := do(t, srv.Handler(), req{"GET", "/sparql?query=ASK%7B%7D", nil, ""})
	if rec.Code != 500 || apiErr(t, rec).Code != "internal" {
		t.Errorf("status %d, body %s; want a 500 JSON error", rec.Code, rec.Body)
	}
}

func TestServiceDescription(t *testing.T) {
	srv, _ := fixtureServer(t, Options{UnionDefaultGraph: true})
	for _, accept := range []string{"text/turtle", "application/n-triples", ""} {
		rec := do(t, srv.Handler(), req{"GET", "http://tessera.test/sparql", map[string]string{"Accept": accept}, ""})
		if rec.Code != 200 {
			t.Fatalf("Accept %q: status %d: %s", accept, rec.Code, rec.Body)
		}
		mt := strings.Split(rec.Header().Get("Content-Type"), ";")[0]
		qs, err := parseRDF(mt, rec.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{nsSD + "endpoint": false, nsSD + "feature": false, nsSD + "namedGraph": false}
		for _, q := range qs {
			if _, ok := want[q.P.Value()]; ok {
				want[q.P.Value()] = true
			}
			if q.P.Value() == nsSD+"endpoint" && q.O.Value() != "http://tessera.test/sparql" {
				t.Errorf("endpoint %v", q.O)
			}
		}
		for p, seen := range want {
			if !seen {
				t.Errorf("Accept %q: no %s in the service description", accept, p)
			}
		}
	}
	rec := do(t, srv.Handler(), req{"GET", "/sparql", map[string]string{"Accept": "application/sparql-results+json"}, ""})
	if rec.Code != 400 {
		t.Errorf("GET /sparql without query for JSON results: %d, want 400", rec.Code)
	}
}

func TestExplain(t *testing.T) {
	srv, _ := fixtureServer(t, Options{})
	rec := do(t, srv.Handler(), req{"GET", "/sparql?explain=true&query=" + q(selectNames), nil, ""})
	var plan map[string]any
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &plan) != nil || plan["plan"] == nil || plan["analyzed"] != true {
		t.Errorf("explain: %d %s", rec.Code, rec.Body)
	}
}

func TestMetrics(t *testing.T) {
	store := memstore.New()
	graphtest.Add(t, store, graphtest.Fixture()...)
	// Every graph public: the quad gauge is exact (counts_test.go covers
	// the obfuscated one).
	srv := New(store, Options{WriteToken: testToken, Policy: publicPolicy(t, store)})
	do(t, srv.Handler(), req{"GET", "/sparql?query=" + q(selectNames), nil, ""})
	do(t, srv.Handler(), req{"GET", "/sparql?query=" + q("SELECT {"), nil, ""})
	rec := do(t, srv.Handler(), req{"GET", "/metrics", nil, ""})
	body := rec.Body.String()
	for _, want := range []string{
		`tessera_http_requests_total{code="200",method="GET",route="/sparql"} 1`,
		`tessera_http_requests_total{code="400",method="GET",route="/sparql"} 1`,
		`tessera_sparql_queries_total{form="select",outcome="ok"} 1`,
		`tessera_sparql_result_rows_total 2`,
		fmt.Sprintf("tessera_store_quads %d", len(graphtest.Fixture())),
		`tessera_http_request_duration_seconds_bucket`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestNegotiateRDF(t *testing.T) {
	tests := []struct{ accept, want string }{
		{"", "turtle"},
		{"*/*", "turtle"},
		{"application/n-triples", "ntriples"},
		{"text/plain", "ntriples"},
		{"application/json", "jsonld"},
		{"application/rdf+xml;q=0.9, text/turtle;q=0.8", "rdfxml"},
		{"text/*", "turtle"},
		{"application/*", "ntriples"},
		{"text/turtle;q=0, */*;q=0.1", "ntriples"},
		{"text/html", ""},
	}
	for _, tt := range tests {
		f, ok := NegotiateRDF(tt.accept)
		if got := map[bool]string{true: f.Name}[ok]; got != tt.want {
			t.Errorf("NegotiateRDF(%q) = %q, want %q", tt.accept, got, tt.want)
		}
	}
}
