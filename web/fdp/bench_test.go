package fdp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/web/fdp"
)

// benchServer serves the full demo federation (588k quads, records
// included) from a badger store, as `make run` does.
func benchServer(b *testing.B) http.Handler {
	b.Helper()
	store, err := badgerstore.Open(b.TempDir(), badgerstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	if _, err := graph.Load(context.Background(), store, demo.Federation(1), graph.LoadOptions{}); err != nil {
		b.Fatal(err)
	}
	s, err := fdp.New(store, fdp.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s.Handler()
}

// BenchmarkRequests times the documents an FDP client and a browser ask
// for, on the full demo federation.
func BenchmarkRequests(b *testing.B) {
	h := benchServer(b)
	for _, bc := range []struct{ name, path, accept string }{
		{"fdp", "/fdp", "text/turtle"},
		{"catalog", path(turiaCatalog), "text/turtle"},
		{"dataset", path(turiaDataset), "text/turtle"},
		{"dataset-html", path(turiaDataset), "text/html"},
		{"patient", path(turiaPatient), "text/turtle"},
		{"catalog-page", "/fdp/page/catalog?size=12", "text/turtle"},
		{"void", "/.well-known/void", "text/turtle"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, bc.path, nil)
				req.Header.Set("Accept", bc.accept)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s = %d", bc.path, w.Code)
				}
			}
		})
	}
}
