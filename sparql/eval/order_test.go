package eval

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

// TestOrderByLimit checks ORDER BY under LIMIT/OFFSET (a bounded heap)
// against slicing the fully sorted solutions, with ties (kept in input
// order, as a stable sort keeps them), descending and several keys,
// unbound keys, LIMIT 0 and an OFFSET past the end.
func TestOrderByLimit(t *testing.T) {
	ctx := context.Background()
	var data strings.Builder
	for i := range 300 {
		fmt.Fprintf(&data, "<http://ex/s%03d> <http://ex/n> \"%d\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n", i, (i*37)%50)
		if i%4 != 0 {
			fmt.Fprintf(&data, "<http://ex/s%03d> <http://ex/t> \"t%d\" .\n", i, i%7)
		}
	}
	bst, err := badgerstore.Open(t.TempDir(), badgerstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bst.Close()
	orders := []string{"?n", "DESC(?n)", "?t DESC(?n)", "DESC(?t) ?s", "?n ?t"}
	slices := []struct{ offset, limit int }{{0, 1}, {0, 10}, {5, 20}, {290, 50}, {400, 5}, {0, 0}, {7, 0}}
	for name, st := range map[string]graph.Store{"memstore": memstore.New(), "badgerstore": bst} {
		quads := syntax.Quads(ntriples.NewQuadDecoder(strings.NewReader(data.String()), syntax.Options{}))
		if _, err := graph.Load(ctx, st, quads, graph.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, order := range orders {
			q := "SELECT ?s ?n ?t { ?s <http://ex/n> ?n OPTIONAL { ?s <http://ex/t> ?t } } ORDER BY " + order
			all, err := orderedRows(t, ctx, st, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, sl := range slices {
				got, err := orderedRows(t, ctx, st, fmt.Sprintf("%s OFFSET %d LIMIT %d", q, sl.offset, sl.limit))
				if err != nil {
					t.Fatal(err)
				}
				want := all[min(sl.offset, len(all)):min(sl.offset+sl.limit, len(all))]
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s: ORDER BY %s OFFSET %d LIMIT %d:\n got %q\nwant %q", name, order, sl.offset, sl.limit, got, want)
				}
			}
		}
	}
}

// orderedRows runs query over st and returns its solutions in order, one
// string each.
func orderedRows(t *testing.T, ctx context.Context, st graph.Store, query string) ([]string, error) {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer snap.Release()
	res, err := Query(ctx, snap, parse(t, query), Options{})
	if err != nil {
		return nil, err
	}
	var out []string
	for sol, err := range res.Solutions {
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprint(sol))
	}
	return out, nil
}
