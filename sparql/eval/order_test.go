package eval

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
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
	orders := []string{"?n", "DESC(?n)", "?t DESC(?n)", "DESC(?t) ?s", "?n ?t"}
	slices := []struct{ offset, limit int }{{0, 1}, {0, 10}, {5, 20}, {290, 50}, {400, 5}, {0, 0}, {7, 0}}
	for name, st := range loadedStores(t, data.String()) {
		for _, order := range orders {
			q := "SELECT ?s ?n ?t { ?s <http://ex/n> ?n OPTIONAL { ?s <http://ex/t> ?t } } ORDER BY " + order
			all, err := orderedRows(ctx, st, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, sl := range slices {
				got, err := orderedRows(ctx, st, fmt.Sprintf("%s OFFSET %d LIMIT %d", q, sl.offset, sl.limit))
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
func orderedRows(ctx context.Context, st graph.Store, query string) ([]string, error) {
	_, sols, err := querySolutions(ctx, st, query, Options{})
	var out []string
	for _, sol := range sols {
		out = append(out, fmt.Sprint(sol))
	}
	return out, err
}
