package fdp

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
)

// FuzzPaging: any ?page= and ?size= give a page in range or an error.
func FuzzPaging(f *testing.F) {
	for _, s := range []string{"page=0&size=10", "page=-1", "size=0", "size=101", "page=99999999999999999999", "page=%zz", "size=1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		page, size, err := parsePaging(q, 10, 100)
		if err == nil && (page < 0 || size < 1 || size > 100) {
			t.Fatalf("parsePaging(%q) = %d, %d", query, page, size)
		}
	})
}

// FuzzRequest sends arbitrary paths, queries and Accept headers to the
// service: it never panics and never answers 5xx.
func FuzzRequest(f *testing.F) {
	store := memstore.New()
	g := graph.IRI("https://tessera.example/graph/x")
	ds := graph.IRI("https://tessera.example/provider/x/dataset/1")
	b := graph.Blank("b1")
	quads := []graph.Quad{
		{S: graph.IRI("https://tessera.example/provider/x/catalog"), P: rdfType, O: dcatCatalog, G: g},
		{S: graph.IRI("https://tessera.example/provider/x/catalog"), P: dcatDatasetP, O: ds, G: g},
		{S: ds, P: rdfType, O: dcatDataset, G: g},
		{S: ds, P: dctTitle, O: graph.LangLiteral("x", "en"), G: g},
		{S: ds, P: dctIssued, O: graph.Literal("not a date", nsXSD+"date"), G: g},
		{S: ds, P: dctPublisher, O: b, G: g},
		{S: b, P: foafName, O: graph.String("p"), G: g},
		{S: ds, P: dcatDistP, O: graph.IRI("https://tessera.example/provider/x/dist"), G: g},
	}
	if _, err := graph.Load(context.Background(), store, graph.FromSlice(quads), graph.LoadOptions{}); err != nil {
		f.Fatal(err)
	}
	s, err := New(store, Options{})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	for _, seed := range [][3]string{
		{"/fdp", "", "text/turtle"},
		{"/provider/x/dataset/1", "format=html", ""},
		{"/provider/x/catalog/page/dataset", "page=0&size=1", "application/ld+json"},
		{"/.well-known/genid/b1", "profile=full", "application/rdf+xml"},
		{"/fdp/catalog/spec", "", "text/html"},
		{"/.well-known/void", "format=ntriples", ""},
		{"/provider/x/dataset/1/page/distribution", "page=5", "*/*;q=0"},
		{"/provider/x/café(1)/page/dataset", "", "text/html"},
		{"/.//provider/x/dataset/1", "", "text/turtle"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, path, query, accept string) {
		u := &url.URL{Path: "/" + path, RawQuery: query}
		req, err := http.NewRequest(http.MethodGet, "http://x"+u.RequestURI(), nil)
		if err != nil {
			return
		}
		req.Header.Set("Accept", accept)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("GET %s (Accept %q) = %d: %s", u.RequestURI(), accept, w.Code, w.Body.String())
		}
	})
}
