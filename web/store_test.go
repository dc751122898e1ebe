package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphtest"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/iri"
)

func TestGraphStoreProtocol(t *testing.T) {
	auth := "Bearer " + testToken
	ttl := map[string]string{"Content-Type": "text/turtle", "Authorization": auth}
	g := "/store?graph=" + q("http://example.org/g1")
	tests := []struct {
		name   string
		req    req
		status int
		code   string
		quads  int64 // quads in http://example.org/g1 afterwards, -1 to skip
	}{
		{"GET graph", req{"GET", g, nil, ""}, 200, "", 3},
		{"GET as N-Triples", req{"GET", g, map[string]string{"Accept": "application/n-triples"}, ""}, 200, "", 3},
		{"GET format=jsonld", req{"GET", g + "&format=jsonld", nil, ""}, 200, "", 3},
		{"GET as HTML is 406", req{"GET", g, map[string]string{"Accept": "text/html"}, ""}, 406, "not_acceptable", 3},
		{"GET missing graph is 404", req{"GET", "/store?graph=" + q("http://example.org/none"), nil, ""}, 404, "graph_not_found", 3},
		{"HEAD missing graph is 404", req{"HEAD", "/store?graph=" + q("http://example.org/none"), nil, ""}, 404, "", 3},
		{"GET without a graph is 400", req{"GET", "/store", nil, ""}, 400, "missing_graph", 3},
		{"graph and default is 400", req{"GET", g + "&default", nil, ""}, 400, "bad_request", 3},
		{"relative graph IRI is 400", req{"GET", "/store?graph=g1", nil, ""}, 400, "bad_graph_iri", 3},
		{"PATCH is 405", req{"PATCH", g, ttl, ""}, 405, "method_not_allowed", 3},
		{"PUT without token is 401", req{"PUT", g, map[string]string{"Content-Type": "text/turtle"}, "<a:s> <a:p> <a:o> ."}, 401, "unauthorized", 3},
		{"PUT replaces", req{"PUT", g, ttl, "<a:s> <a:p> <a:o> ."}, 204, "", 1},
		{"POST merges", req{"POST", g, ttl, "<a:s> <a:p> <a:o> ."}, 204, "", 4},
		{"PUT with a syntax error changes nothing", req{"PUT", g, ttl, "<a:s> <a:p> <a:o> .\n<a:s> <a:p> \"open ."}, 400, "syntax_error", 3},
		{"unknown content type is 415", req{"PUT", g, map[string]string{"Content-Type": "application/yaml", "Authorization": auth}, "x: 1"}, 415, "unsupported_media_type", 3},
		{"missing content type is 415", req{"PUT", g, map[string]string{"Authorization": auth}, "<a:s> <a:p> <a:o> ."}, 415, "missing_content_type", 3},
		{"DELETE", req{"DELETE", g, map[string]string{"Authorization": auth}, ""}, 204, "", 0},
		{"DELETE missing graph is 404", req{"DELETE", "/store?graph=" + q("http://example.org/none"), map[string]string{"Authorization": auth}, ""}, 404, "graph_not_found", 3},
		{"PUT N-Quads into a graph", req{"PUT", g, map[string]string{"Content-Type": "application/n-quads", "Authorization": auth}, "<a:s> <a:p> <a:o> ."}, 204, "", 1},
		{"PUT N-Quads naming a graph is 400", req{"PUT", g, map[string]string{"Content-Type": "application/n-quads", "Authorization": auth}, "<a:s> <a:p> <a:o> <a:other> ."}, 400, "graph_in_body", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, store := fixtureServer(t, Options{})
			rec := do(t, srv.Handler(), tt.req)
			if rec.Code != tt.status {
				t.Fatalf("%s %s = %d, want %d: %s", tt.req.method, tt.req.target, rec.Code, tt.status, rec.Body)
			}
			if tt.code != "" {
				if e := apiErr(t, rec); e.Code != tt.code {
					t.Errorf("code %q, want %q (%s)", e.Code, tt.code, e.Message)
				}
			}
			if tt.status == 200 && tt.req.method == "GET" {
				mt := strings.Split(rec.Header().Get("Content-Type"), ";")[0]
				qs, err := parseRDF(mt, rec.Body.Bytes())
				if err != nil || len(qs) != 3 {
					t.Errorf("GET body: %d quads, %v", len(qs), err)
				}
			}
			if tt.quads >= 0 {
				st, _ := store.Stats(context.Background())
				if n := st.Graphs[graph.IRI("http://example.org/g1")]; n != tt.quads {
					t.Errorf("g1 has %d quads, want %d", n, tt.quads)
				}
			}
		})
	}
}

func TestGraphStoreDefaultAndCreate(t *testing.T) {
	store := memstore.New()
	srv := New(store, Options{WriteToken: testToken})
	h := map[string]string{"Content-Type": "application/n-triples", "Authorization": "Bearer " + testToken}
	if rec := do(t, srv.Handler(), req{"PUT", "/store?default", h, "<a:s> <a:p> <a:o> .\n"}); rec.Code != 201 {
		t.Fatalf("PUT ?default on an empty store = %d, want 201: %s", rec.Code, rec.Body)
	}
	if rec := do(t, srv.Handler(), req{"PUT", "/store?default", h, "<a:s> <a:p> <a:x> .\n"}); rec.Code != 204 {
		t.Fatalf("second PUT ?default = %d, want 204", rec.Code)
	}
	rec := do(t, srv.Handler(), req{"POST", "http://tessera.test/store", h, "<a:s> <a:p> <a:y> .\n"})
	loc := rec.Header().Get("Location")
	if rec.Code != 201 || !strings.HasPrefix(loc, "http://tessera.test/store/graphs/") {
		t.Fatalf("POST /store = %d, Location %q", rec.Code, loc)
	}
	// The new graph is reachable by direct and by indirect identification.
	for _, target := range []string{loc, "/store?graph=" + q(loc)} {
		if rec := do(t, srv.Handler(), req{"GET", target, map[string]string{"Accept": "application/n-triples"}, ""}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "<a:y>") {
			t.Errorf("GET %s = %d %q", target, rec.Code, rec.Body)
		}
	}
	want := []graph.Quad{graph.Triple(graph.IRI("a:s"), graph.IRI("a:p"), graph.IRI("a:x")), {S: graph.IRI("a:s"), P: graph.IRI("a:p"), O: graph.IRI("a:y"), G: graph.IRI(loc)}}
	if got := graphtest.Dump(t, store); !graph.Isomorphic(got, want) {
		t.Errorf("store = %v, want %v", got, want)
	}
}

// TestGraphStoreDirectTrickyIRIs: a graph named by the request path
// (/store/...) whose IRI holds parentheses, quotes, non-ASCII characters or
// percent-encodings is reached by every form a client may send (raw,
// percent-encoded, mixed, either hex case), as a Linked Data page is
// (fdp.CandidateIRIs). A write to a new graph creates the canonical IRI
// (percent-encoded unreserved characters and ucschar decoded); a write
// naming an existing graph in another form goes to that graph.
func TestGraphStoreDirectTrickyIRIs(t *testing.T) {
	const prefix = "http://example.com/store/"
	auth := "Bearer " + testToken
	tests := []struct {
		name  string
		seed  string   // the graph exists beforehand with this IRI (after prefix), "" if not
		write string   // the path (after /store/) PUT and POST write
		want  string   // the IRI (after prefix) of the graph written
		reads []string // paths (after /store/) that reach it; the last one DELETEs it
		miss  []string // paths (after /store/) that name other graphs
	}{
		{"parentheses raw", "", "x(1)", "x(1)", []string{"x(1)", "x%281%29", "x%28%31%29"}, nil},
		{"parentheses encoded are another IRI", "", "x%281%29", "x%281%29", []string{"x%281%29", "x%28%31%29"}, []string{"x(1)"}},
		{"quote, bang, star", "", "it's!*", "it's!*", []string{"it%27s%21%2A", "it's%21*", "it's!*"}, nil},
		{"non-ASCII lowercase hex", "", "caf%c3%a9", "café", []string{"café", "caf%C3%A9", "caf%c3%a9"}, nil},
		{"non-ASCII raw", "", "日本/𝄞", "日本/𝄞", []string{"%E6%97%A5%E6%9C%AC/%F0%9D%84%9E", "日本/%f0%9d%84%9e", "日本/𝄞"}, nil},
		{"mixed", "", "d%28é%29", "d%28é%29", []string{"d%28%C3%A9%29", "d%28%c3%a9%29", "d%28é%29"}, []string{"d(é)"}},
		{"encoded slash is not a separator", "", "a%2fb", "a%2Fb", []string{"a%2Fb", "a%2fb"}, []string{"a/b"}},
		{"encoded unreserved", "", "%7Euser/%41", "~user/A", []string{"~user/A", "%7euser/A"}, nil},
		{"existing graph in URI form", "caf%C3%A9", "café", "caf%C3%A9", []string{"caf%c3%a9", "café", "caf%C3%A9"}, nil},
		{"existing graph with parentheses", "x(1)", "x%281%29", "x(1)", []string{"x(1)", "x%281%29"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := memstore.New()
			created := 201
			if tt.seed != "" {
				graphtest.Add(t, store, graph.Quad{S: graph.IRI("a:s"), P: graph.IRI("a:p"), O: graph.IRI("a:seed"), G: graph.IRI(prefix + tt.seed)})
				created = 204
			}
			h := New(store, Options{WriteToken: testToken}).Handler()
			nt := map[string]string{"Content-Type": "application/n-triples", "Authorization": auth}
			if rec := do(t, h, req{"PUT", "/store/" + tt.write, nt, "<a:s> <a:p> <a:o> .\n"}); rec.Code != created {
				t.Fatalf("PUT /store/%s = %d, want %d: %s", tt.write, rec.Code, created, rec.Body)
			}
			if rec := do(t, h, req{"POST", "/store/" + tt.reads[0], nt, "<a:s> <a:p> <a:o2> .\n"}); rec.Code != 204 {
				t.Fatalf("POST /store/%s = %d, want 204: %s", tt.reads[0], rec.Code, rec.Body)
			}
			for _, q := range graphtest.Dump(t, store) {
				if q.G != graph.IRI(prefix+tt.want) {
					t.Errorf("quad %v written to %s, want graph <%s>", q, q.G, prefix+tt.want)
				}
			}
			for _, path := range tt.reads {
				rec := do(t, h, req{"GET", "/store/" + path, map[string]string{"Accept": "application/n-triples"}, ""})
				if rec.Code != 200 || !strings.Contains(rec.Body.String(), "<a:o>") || !strings.Contains(rec.Body.String(), "<a:o2>") {
					t.Errorf("GET /store/%s = %d %q, want 200 with both triples", path, rec.Code, rec.Body)
				}
				if rec := do(t, h, req{"HEAD", "/store/" + path, nil, ""}); rec.Code != 200 {
					t.Errorf("HEAD /store/%s = %d, want 200", path, rec.Code)
				}
			}
			for _, path := range tt.miss {
				if rec := do(t, h, req{"GET", "/store/" + path, nil, ""}); rec.Code != 404 {
					t.Errorf("GET /store/%s = %d, want 404 (another graph)", path, rec.Code)
				}
			}
			last := tt.reads[len(tt.reads)-1]
			if rec := do(t, h, req{"DELETE", "/store/" + last, map[string]string{"Authorization": auth}, ""}); rec.Code != 204 {
				t.Fatalf("DELETE /store/%s = %d, want 204: %s", last, rec.Code, rec.Body)
			}
			if got := graphtest.Dump(t, store); len(got) != 0 {
				t.Errorf("after DELETE the store holds %v", got)
			}
		})
	}
}

// TestGraphStoreCreateLocation: the Location of a graph POST /store
// creates is a URI (ASCII) that a GET finds the graph by, even when the
// public URL holds parentheses or non-ASCII characters.
func TestGraphStoreCreateLocation(t *testing.T) {
	for _, public := range []string{"http://tessera.test", "http://tessera.test/t(1)/café"} {
		t.Run(public, func(t *testing.T) {
			store := memstore.New()
			h := New(store, Options{WriteToken: testToken, PublicURL: public}).Handler()
			rec := do(t, h, req{"POST", "/store", map[string]string{"Content-Type": "application/n-triples", "Authorization": "Bearer " + testToken}, "<a:s> <a:p> <a:o> .\n"})
			loc := rec.Header().Get("Location")
			if rec.Code != 201 || loc != iri.ToURI(loc) {
				t.Fatalf("POST /store = %d, Location %q (want 201 and a URI)", rec.Code, loc)
			}
			path, ok := strings.CutPrefix(loc, iri.ToURI(public))
			if !ok {
				t.Fatalf("Location %q is not under %s", loc, public)
			}
			if rec := do(t, h, req{"GET", path, map[string]string{"Accept": "application/n-triples"}, ""}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "<a:o>") {
				t.Errorf("GET %s = %d %q", path, rec.Code, rec.Body)
			}
			for _, q := range graphtest.Dump(t, store) {
				if iri.ToURI(q.G.Value()) != loc {
					t.Errorf("graph %s, Location %s", q.G, loc)
				}
			}
		})
	}
}

// TestGraphStoreNotWritable: a graph RDF/XML cannot write (a predicate IRI
// without an XML local name) asked for as RDF/XML was a 200 broken off
// mid-body with the error in a trailer. The read-ahead triples are now
// test-encoded first: the next acceptable syntax, or 406 listing formats.
func TestGraphStoreNotWritable(t *testing.T) {
	const digits, plain = "http://example.org/digits", "http://example.org/plain"
	tests := []struct {
		name, graph, accept, format string
		method                      string
		status                      int
		contentType                 string // media type of a 200
	}{
		{"RDF/XML only is 406", digits, "application/rdf+xml", "", "GET", 406, ""},
		{"HEAD RDF/XML only is 406", digits, "application/rdf+xml", "", "HEAD", 406, ""},
		{"falls back to Turtle", digits, "application/rdf+xml, text/turtle;q=0.5", "", "GET", 200, "text/turtle"},
		{"falls back to N-Triples", digits, "application/rdf+xml, application/n-triples;q=0.2", "", "GET", 200, "application/n-triples"},
		{"format=rdfxml is 406", digits, "text/turtle", "rdfxml", "GET", 406, ""},
		{"a writable graph stays RDF/XML", plain, "application/rdf+xml, text/turtle;q=0.5", "", "GET", 200, "application/rdf+xml"},
	}
	store := memstore.New()
	graphtest.Add(t, store,
		graph.Quad{S: graph.IRI("http://ex/s"), P: graph.IRI("http://ex/1"), O: graph.String("one"), G: graph.IRI(digits)},
		graph.Quad{S: graph.IRI("http://ex/s"), P: graph.IRI("http://ex/p"), O: graph.String("p"), G: graph.IRI(plain)})
	h := New(store, Options{WriteToken: testToken}).Handler()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := "/store?graph=" + q(tt.graph)
			if tt.format != "" {
				target += "&format=" + tt.format
			}
			rec := do(t, h, req{tt.method, target, map[string]string{"Accept": tt.accept}, ""})
			if rec.Code != tt.status {
				t.Fatalf("%s %s (Accept %s) = %d, want %d: %s", tt.method, target, tt.accept, rec.Code, tt.status, rec.Body)
			}
			if rec.Header().Get(trailerError) != "" {
				t.Errorf("error trailer %q", rec.Header().Get(trailerError))
			}
			if tt.status == 406 {
				if tt.method == "GET" {
					if e := apiErr(t, rec); e.Code != "not_acceptable" || !strings.Contains(e.Message, "text/turtle") || !strings.Contains(e.Message, "application/n-triples") {
						t.Errorf("406 error %q %q, want not_acceptable listing the formats", e.Code, e.Message)
					}
				}
				return
			}
			mt := strings.Split(rec.Header().Get("Content-Type"), ";")[0]
			if mt != tt.contentType {
				t.Fatalf("Content-Type %q, want %s", mt, tt.contentType)
			}
			if qs, err := parseRDF(mt, rec.Body.Bytes()); err != nil || len(qs) != 1 {
				t.Errorf("body: %d quads, %v: %s", len(qs), err, rec.Body)
			}
		})
	}
}

// TestGraphStorePutEmpty: a PUT of a document holding no triples creates
// the empty graph. It used to answer 201 Created and leave no graph, so a
// GET said 404 and the next PUT said 201 again.
func TestGraphStorePutEmpty(t *testing.T) {
	srv := New(memstore.New(), Options{WriteToken: testToken})
	h := map[string]string{"Content-Type": "text/turtle", "Authorization": "Bearer " + testToken}
	target := "/store?graph=" + q("http://example.org/empty")
	if rec := do(t, srv.Handler(), req{"PUT", target, h, "@prefix ex: <http://example.org/> .\n"}); rec.Code != 201 {
		t.Fatalf("PUT of an empty document = %d, want 201: %s", rec.Code, rec.Body)
	}
	if rec := do(t, srv.Handler(), req{"GET", target, map[string]string{"Accept": "application/n-triples"}, ""}); rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != "" {
		t.Errorf("GET after it = %d %q, want 200 and no triples", rec.Code, rec.Body)
	}
	if rec := do(t, srv.Handler(), req{"PUT", target, h, ""}); rec.Code != 204 {
		t.Errorf("second PUT = %d, want 204 (the graph exists)", rec.Code)
	}
}

func TestGraphStoreUploadLimit(t *testing.T) {
	srv, store := fixtureServer(t, Options{MaxUploadBytes: 64})
	body := strings.Repeat("<a:s> <a:p> <a:o> .\n", 20)
	rec := do(t, srv.Handler(), req{"PUT", "/store?graph=" + q("http://example.org/g1"), map[string]string{"Content-Type": "application/n-triples", "Authorization": "Bearer " + testToken}, body})
	if rec.Code != 413 {
		t.Errorf("status %d, want 413: %s", rec.Code, rec.Body)
	}
	if st, _ := store.Stats(context.Background()); st.Graphs[graph.IRI("http://example.org/g1")] != 3 {
		t.Errorf("an oversized upload changed the graph")
	}
}

// errReader fails every read: a request body that breaks off.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// TestGraphStoreBodyErrors checks that every error of a written body is the
// client's: 400 with a message saying nothing was changed, never the
// store's 500; the graph keeps its content.
func TestGraphStoreBodyErrors(t *testing.T) {
	g := "/store?graph=" + q("http://example.org/g1")
	jsonLD := "application/ld+json"
	tests := []struct {
		name        string
		ctype, body string
		code        string
		contains    string         // in the message
		details     map[string]any // expected entries of details
	}{
		{"Turtle syntax error", "text/turtle", "<a:s> <a:p> \"open .", "syntax_error", "request body:1:", map[string]any{"file": "request body", "line": 1.0}},
		{"JSON syntax error", jsonLD, `{"@id": }`, "syntax_error", "request body:1:", map[string]any{"line": 1.0}},
		{"@vocab not a string", jsonLD, `{"@context": {"@vocab": 5}, "@id": "http://ex/a"}`, "invalid_jsonld", "invalid vocab mapping", map[string]any{"jsonld_code": "invalid vocab mapping", "file": "request body"}},
		{"@version not 1.1", jsonLD, `{"@context": {"@version": 1.2}, "@id": "http://ex/a"}`, "invalid_jsonld", "@version must be the number 1.1", map[string]any{"jsonld_code": "invalid @version value"}},
		{"context not bundled", jsonLD, `{"@context": "https://w3id.org/healthdcat-ap/context.jsonld", "@id": "http://ex/a"}`, "invalid_jsonld",
			"context https://w3id.org/healthdcat-ap/context.jsonld is not one this server bundles", map[string]any{"jsonld_code": "loading remote context failed"}},
		{"RDF/XML syntax error", "application/rdf+xml", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="`, "syntax_error", "request body:", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, store := fixtureServer(t, Options{})
			rec := do(t, srv.Handler(), req{"PUT", g, map[string]string{"Content-Type": tt.ctype, "Authorization": "Bearer " + testToken}, tt.body})
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			e := apiErr(t, rec)
			if e.Code != tt.code || !strings.Contains(e.Message, tt.contains) || !strings.HasSuffix(e.Message, "; nothing was changed") {
				t.Errorf("error %s %q, want %s containing %q and saying nothing was changed", e.Code, e.Message, tt.code, tt.contains)
			}
			if strings.Contains(e.Message, "%!") || strings.Contains(e.Message, "LoaderOptions") {
				t.Errorf("message %q has text meant for programmers", e.Message)
			}
			details, _ := e.Details.(map[string]any)
			for k, v := range tt.details {
				if details[k] != v {
					t.Errorf("details[%q] = %v, want %v (details %v)", k, details[k], v, details)
				}
			}
			if st, _ := store.Stats(context.Background()); st.Graphs[graph.IRI("http://example.org/g1")] != 3 {
				t.Errorf("a failed PUT changed the graph")
			}
		})
	}

	t.Run("body that breaks off", func(t *testing.T) {
		srv, _ := fixtureServer(t, Options{})
		hr := httptest.NewRequest("PUT", g, io.MultiReader(strings.NewReader("<a:s> <a:p> <a:o> .\n"), errReader{}))
		hr.Header.Set("Content-Type", "application/n-triples")
		hr.Header.Set("Authorization", "Bearer "+testToken)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, hr)
		if e := apiErr(t, rec); rec.Code != http.StatusBadRequest || e.Code != "bad_body" || !strings.Contains(e.Message, "connection reset") {
			t.Errorf("status %d, error %s %q: want 400 bad_body", rec.Code, e.Code, e.Message)
		}
	})
}

// TestLoadErrors checks SPARQL LOAD's failures: a source outside the
// allow-list is 403, a source that cannot be fetched (or is too large) 502,
// and one that is not valid RDF 400 naming the document's error, not an
// update syntax error; nothing is changed.
func TestLoadErrors(t *testing.T) {
	docs := map[string]struct{ ctype, body string }{
		"/ok.ttl":       {"text/turtle", "<http://ex/s> <http://ex/p> <http://ex/o> .\n"},
		"/bad.ttl":      {"text/turtle", "<http://ex/s> <http://ex/p> \"open .\n"},
		"/bad.jsonld":   {"application/ld+json", `{"@context": {"@vocab": 5}, "@id": "http://ex/a"}`},
		"/big.nt":       {"application/n-triples", strings.Repeat("<http://ex/s> <http://ex/p> <http://ex/o> .\n", 20)},
		"/notrdf.yaml":  {"application/yaml", "a: 1\n"},
		"/ctx.jsonld":   {"application/ld+json", `{"@context": "https://example.org/nowhere.jsonld", "@id": "http://ex/a"}`},
		"/version.json": {"application/ld+json", `{"@context": {"@version": 1.2}}`},
	}
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, ok := docs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", d.ctype)
		_, _ = io.WriteString(w, d.body)
	}))
	defer src.Close()
	tests := []struct {
		source   string
		status   int
		code     string
		contains string
	}{
		{src.URL + "/ok.ttl", 204, "", ""},
		{src.URL + "/bad.ttl", 400, "syntax_error", "LOAD <" + src.URL + "/bad.ttl>: " + src.URL + "/bad.ttl:1:"},
		{src.URL + "/bad.jsonld", 400, "invalid_jsonld", "invalid vocab mapping"},
		{src.URL + "/ctx.jsonld", 400, "invalid_jsonld", "is not one this server bundles"},
		{src.URL + "/version.json", 400, "invalid_jsonld", "@version must be the number 1.1"},
		{src.URL + "/missing.ttl", 502, "load_failed", "404 Not Found"},
		{src.URL + "/big.nt", 502, "load_failed", "larger than the server's limit of 256 bytes"},
		{src.URL + "/notrdf.yaml", 502, "load_failed", "unknown RDF syntax"},
		{"http://elsewhere.example/data.ttl", 403, "load_denied", "--allow-load"},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			srv, store := fixtureServer(t, Options{AllowLoad: []string{src.URL + "/"}, MaxUploadBytes: 256})
			before := graphtest.Dump(t, store)
			rec := do(t, srv.Handler(), req{"POST", "/sparql", map[string]string{"Content-Type": mediaUpdate, "Authorization": "Bearer " + testToken},
				"INSERT DATA { <http://ex/x> <http://ex/y> 1 } ; LOAD <" + tt.source + "> INTO GRAPH <http://ex/loaded>"})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status == 204 {
				return
			}
			if e := apiErr(t, rec); e.Code != tt.code || !strings.Contains(e.Message, tt.contains) {
				t.Errorf("error %s %q, want %s containing %q", e.Code, e.Message, tt.code, tt.contains)
			}
			if after := graphtest.Dump(t, store); !graph.Isomorphic(after, before) {
				t.Errorf("a failed LOAD changed the store")
			}
		})
	}
}

// TestGraphStoreOneGraph checks that a Graph Store write takes only the
// default graph of a body in a quad syntax: a quad in a named graph is a
// 400 and nothing is changed, not a quad moved silently into the graph of
// the request.
func TestGraphStoreOneGraph(t *testing.T) {
	auth := "Bearer " + testToken
	g := "/store?graph=" + q("http://example.org/g1")
	trig := map[string]string{"Content-Type": "application/trig", "Authorization": auth}
	tests := []struct {
		name     string
		req      req
		status   int
		contains string // in the error message
		quads    int64  // in g1 afterwards
	}{
		{"TriG default graph", req{"PUT", g, trig, `<http://ex/s> <http://ex/p> "x" .`}, 204, "", 1},
		{"TriG braces without a name", req{"PUT", g, trig, `{ <http://ex/s> <http://ex/p> "x" . }`}, 204, "", 1},
		{"TriG named graph", req{"PUT", g, trig, `<http://ex/other> { <http://ex/s> <http://ex/p> "x" . }`}, 400,
			"the body names graph <http://ex/other>; the Graph Store Protocol writes the one graph of the request (<http://example.org/g1>)", 3},
		{"TriG named graph after default triples", req{"POST", g, trig, "<http://ex/s> <http://ex/p> \"x\" .\nGRAPH <http://ex/other> { <http://ex/s> <http://ex/p> \"y\" . }"}, 400, "<http://ex/other>", 3},
		{"TriG graph named by the request itself", req{"PUT", g, trig, `<http://example.org/g1> { <http://ex/s> <http://ex/p> "x" . }`}, 400, "<http://example.org/g1>", 3},
		{"TriG blank-node graph", req{"PUT", g, trig, `_:g { <http://ex/s> <http://ex/p> "x" . }`}, 400, "the body names graph _:", 3},
		{"JSON-LD named graph", req{"PUT", g, map[string]string{"Content-Type": "application/ld+json", "Authorization": auth},
			`{"@id": "http://ex/other", "@graph": [{"@id": "http://ex/s", "http://ex/p": "x"}]}`}, 400, "<http://ex/other>", 3},
		{"JSON-LD default graph", req{"PUT", g, map[string]string{"Content-Type": "application/ld+json", "Authorization": auth},
			`{"@graph": [{"@id": "http://ex/s", "http://ex/p": "x"}]}`}, 204, "", 1},
		{"multipart part naming a graph", req{"POST", g, map[string]string{"Content-Type": "multipart/form-data; boundary=XX", "Authorization": auth},
			"--XX\r\nContent-Type: text/turtle\r\n\r\n<a:s> <a:p> <a:o1> .\r\n--XX\r\nContent-Type: application/n-quads\r\n\r\n<a:s> <a:p> <a:o2> <a:g> .\r\n--XX--\r\n"}, 400, "<a:g>", 3},
		{"default graph target", req{"PUT", "/store?default", trig, `<http://ex/other> { <http://ex/s> <http://ex/p> "x" . }`}, 400, "of the request (the default graph)", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, store := fixtureServer(t, Options{})
			before := graphtest.Dump(t, store)
			rec := do(t, srv.Handler(), tt.req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if st, _ := store.Stats(context.Background()); st.Graphs[graph.IRI("http://example.org/g1")] != tt.quads {
				t.Errorf("g1 has %d quads, want %d", st.Graphs[graph.IRI("http://example.org/g1")], tt.quads)
			}
			if tt.status != 400 {
				return
			}
			e := apiErr(t, rec)
			if e.Code != "graph_in_body" || !strings.Contains(e.Message, tt.contains) || !strings.HasSuffix(e.Message, "; nothing was changed") {
				t.Errorf("error %s %q, want graph_in_body containing %q and saying nothing was changed", e.Code, e.Message, tt.contains)
			}
			if after := graphtest.Dump(t, store); !graph.Isomorphic(after, before) {
				t.Errorf("a refused write changed the store")
			}
		})
	}

	// POST to the store itself creates no graph from a body naming one.
	srv, store := fixtureServer(t, Options{})
	before := graphtest.Dump(t, store)
	if rec := do(t, srv.Handler(), req{"POST", "/store", trig, `<http://ex/other> { <http://ex/s> <http://ex/p> "x" . }`}); rec.Code != 400 || rec.Header().Get("Location") != "" {
		t.Errorf("POST /store with a named graph = %d, Location %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if after := graphtest.Dump(t, store); !graph.Isomorphic(after, before) {
		t.Errorf("a refused POST /store changed the store")
	}
}
