package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph/memstore"
)

// BenchmarkSelectStream measures a SELECT streamed through the protocol
// handler: 50,000 rows per request, in each result format.
func BenchmarkSelectStream(b *testing.B) {
	const n = 50_000
	store := bigStore(&testing.T{}, n)
	srv := New(store, Options{})
	target := "/sparql?query=" + q(`SELECT ?s ?o WHERE { ?s <http://e/p> ?o }`)
	// Warm the statistics cache (computed once per 15 s, not per query).
	srv.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/sparql?query=ASK%7B%7D", nil))
	for _, accept := range []string{"application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"} {
		b.Run(strings.Split(accept, "/")[1], func(b *testing.B) {
			var bytes int64
			for b.Loop() {
				hr := httptest.NewRequest(http.MethodGet, target, nil)
				hr.Header.Set("Accept", accept)
				w := &discardWriter{header: http.Header{}}
				srv.Handler().ServeHTTP(w, hr)
				if w.code != 200 {
					b.Fatalf("status %d", w.code)
				}
				bytes = w.n
			}
			b.SetBytes(bytes)
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkGraphStorePut measures PUT of 50,000 N-Triples into a graph of
// an in-memory store (parse, validate, replace atomically).
func BenchmarkGraphStorePut(b *testing.B) {
	const n = 50_000
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "<http://e/s%d> <http://e/p%d> \"value %d\" .\n", i, i%13, i)
	}
	body := sb.String()
	srv := New(memstore.New(), Options{WriteToken: testToken})
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		hr := httptest.NewRequest(http.MethodPut, "/store?graph="+q("http://e/g"), strings.NewReader(body))
		hr.Header.Set("Content-Type", "application/n-triples")
		hr.Header.Set("Authorization", "Bearer "+testToken)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, hr)
		if rec.Code/100 != 2 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		_, _ = io.Copy(io.Discard, rec.Body)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "triples/s")
}

// discardWriter is a ResponseWriter that counts and drops the body, so that
// benchmarks measure the server rather than a growing recorder buffer.
type discardWriter struct {
	header http.Header
	code   int
	n      int64
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += int64(len(p))
	return len(p), nil
}

func (w *discardWriter) Flush() {}
