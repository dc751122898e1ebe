package federation_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/federation"
	"github.com/tessera-fair/tessera/sparql/parser"
)

// BenchmarkBindJoinHTTP joins 10,000 local solutions with a SERVICE over
// HTTP (a local test endpoint holding 5,000 matching facts).
func BenchmarkBindJoinHTTP(b *testing.B) {
	const n = 10_000
	var local, remote strings.Builder
	for i := range n {
		fmt.Fprintf(&local, "<http://ex/s%d> <http://ex/p> %d .\n", i, i)
		if i%2 == 0 {
			fmt.Fprintf(&remote, "<http://ex/s%d> <http://ex/q> \"r%d\" .\n", i, i)
		}
	}
	t := &testing.T{}
	hs := newHosts()
	ep := &endpoint{st: ttlStore(t, remote.String())}
	srv := hs.serveBench("member.example", ep)
	defer srv.Close()
	c := federation.New(federation.Options{Allow: []string{"http://member.example/"}, HTTPClient: &http.Client{Transport: hs}})
	q, err := parser.ParseQuery(`SELECT (COUNT(*) AS ?n) { ?s <http://ex/p> ?o SERVICE <http://member.example/sparql> { ?s <http://ex/q> ?x } }`, parser.Options{})
	if err != nil {
		b.Fatal(err)
	}
	a, err := algebra.Translate(q, algebra.Options{})
	if err != nil {
		b.Fatal(err)
	}
	st := ttlStore(t, local.String())
	ctx := context.Background()
	// As written (bind join: 100 requests of 100 bindings), and as the
	// optimizer plans it (it may fetch the SERVICE once and join locally).
	for _, mode := range []struct {
		name string
		opts eval.Options
	}{{"bind-join", eval.Options{Service: c, NoOptimize: true}}, {"optimized", eval.Options{Service: c}}} {
		b.Run(mode.name, func(b *testing.B) {
			before := ep.requests.Load()
			for b.Loop() {
				snap, _ := st.Snapshot(ctx)
				res, err := eval.Query(ctx, snap, a, mode.opts)
				if err != nil {
					b.Fatal(err)
				}
				for sol, err := range res.Solutions {
					if err != nil {
						b.Fatal(err)
					}
					if sol[0].Value() != "5000" {
						b.Fatalf("COUNT = %v, want 5000", sol[0])
					}
				}
				snap.Release()
			}
			b.ReportMetric(float64(ep.requests.Load()-before)/float64(b.N), "requests/op")
		})
	}
}
