package optimizer

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// TestCatalogCounts checks the catalogue's capped counts of patterns with
// a bound object or graph over a store with ids (badgerstore, counted over
// ids) against one without (memstore, counted over terms): exact up to
// countCap, "more" beyond it, zero for terms the store does not hold.
func TestCatalogCounts(t *testing.T) {
	ctx := context.Background()
	var data strings.Builder
	for i := range 900 {
		fmt.Fprintf(&data, "<http://ex/s%d> <http://ex/p> <http://ex/o%d> <http://ex/g%d> .\n", i, i%3, i%2)
		if i < 40 {
			fmt.Fprintf(&data, "<http://ex/s%d> <http://ex/q> \"small\" .\n", i)
		}
	}
	bst, err := badgerstore.Open(t.TempDir(), badgerstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bst.Close()
	iri := graph.IRI
	patterns := []graph.Pattern{
		{P: iri("http://ex/p"), O: iri("http://ex/o1")},   // 450: more than countCap
		{O: iri("http://ex/o2"), G: iri("http://ex/g0")},  // 150
		{P: iri("http://ex/q"), O: graph.String("small")}, // 40
		{P: iri("http://ex/q"), G: graph.DefaultGraph},    // 40
		{O: iri("http://ex/absent")},                      // 0
		{P: iri("http://ex/p"), G: iri("http://ex/g1")},   // 450: more
	}
	want := []struct {
		n  int64
		ok bool
	}{{countCap + 1, false}, {150, true}, {40, true}, {40, true}, {0, true}, {countCap + 1, false}}
	for name, st := range map[string]graph.Store{"memstore": memstore.New(), "badgerstore": bst} {
		quads := syntax.Quads(ntriples.NewQuadDecoder(strings.NewReader(data.String()), syntax.Options{}))
		if _, err := graph.Load(ctx, st, quads, graph.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		snap, err := st.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cat := NewCatalog(snap, &graph.Stats{Quads: 940})
		for i, p := range patterns {
			n, ok, err := cat.Count(ctx, p)
			if err != nil || n != want[i].n || ok != want[i].ok {
				t.Errorf("%s: Count(%v) = %d, %v, %v; want %d, %v", name, p, n, ok, err, want[i].n, want[i].ok)
			}
		}
		snap.Release()
	}
}
