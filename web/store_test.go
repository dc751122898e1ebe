package web

import (
	"context"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphtest"
	"github.com/tessera-fair/tessera/graph/memstore"
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
		{"PUT N-Quads into a graph", req{"PUT", g, map[string]string{"Content-Type": "application/n-quads", "Authorization": auth}, "<a:s> <a:p> <a:o> <a:other> ."}, 204, "", 1},
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
