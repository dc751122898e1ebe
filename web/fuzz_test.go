package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph/graphtest"
	"github.com/tessera-fair/tessera/graph/memstore"
)

// FuzzSPARQLEndpoint sends arbitrary queries, Accept headers and content
// types to /sparql: the server must answer every one with a status it
// chose (never a recovered panic) and, for errors, a JSON error body.
func FuzzSPARQLEndpoint(f *testing.F) {
	f.Add("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json", "application/sparql-query", "")
	f.Add("ASK {}", "text/csv;q=0.5, */*;q=0.1", "application/x-www-form-urlencoded", "default-graph-uri=http://e/g")
	f.Add("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle, application/ld+json;q=0.9", "application/sparql-query; charset=utf-8", "named-graph-uri=http://e/g1&timeout=0.5")
	f.Add("DESCRIBE <http://example.org/alice>", "application/rdf+xml", "text/plain", "format=jsonld")
	f.Add("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }", "", "application/sparql-query", "timeout=0.05")
	f.Add("INSERT DATA { <a:s> <a:p> 1 }", "", "application/sparql-update", "using-graph-uri=http://e/g")
	store := memstore.New()
	graphtest.Add(&testing.T{}, store, graphtest.Fixture()...)
	srv := New(store, Options{MaxRows: 5, AllowAnonymousWrites: true})
	f.Fuzz(func(t *testing.T, query, accept, contentType, params string) {
		body := query
		if strings.HasPrefix(contentType, mediaForm) {
			body = "query=" + q(query)
		}
		hr := httptest.NewRequest(http.MethodPost, "/sparql", strings.NewReader(body))
		hr.URL.RawQuery = params
		hr.Header.Set("Accept", accept)
		hr.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, hr)
		if rec.Code == http.StatusInternalServerError && strings.Contains(rec.Body.String(), `"internal"`) {
			t.Fatalf("query %q: recovered panic: %s", query, rec.Body)
		}
		if rec.Code >= 400 && !strings.HasPrefix(rec.Body.String(), `{"error":`) {
			t.Fatalf("query %q: status %d without a JSON error: %q", query, rec.Code, rec.Body)
		}
	})
}
