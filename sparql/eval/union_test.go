package eval

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

// TestUnionDefault checks the union default graph over a store whose
// triples repeat across graphs: each triple counts once, the store's
// default graph is left out unless UnionIncludesDefault, over a store
// with ids (badgerstore: repeats dropped by comparing neighbours, hot
// predicates read from memory) and one without (memstore: a set), and in
// the star (merge) joins of an aggregate.
func TestUnionDefault(t *testing.T) {
	ctx := context.Background()
	// 300 subjects with :p and :q: subjects 0–99 in the default graph
	// only, 100–199 in graph a, 200–299 in graphs a and b (twice), and
	// 150–249 once more in the default graph.
	var data strings.Builder
	quad := func(s int, g string) {
		for _, p := range []string{"p", "q"} {
			fmt.Fprintf(&data, "<http://ex/s%d> <http://ex/%s> \"v%d\" %s .\n", s, p, s%7, g)
		}
	}
	for s := range 300 {
		switch {
		case s < 100:
			quad(s, "")
		case s < 200:
			quad(s, "<http://ex/a>")
		default:
			quad(s, "<http://ex/a>")
			quad(s, "<http://ex/b>")
		}
		if s >= 150 && s < 250 {
			quad(s, "")
		}
	}
	queries := []struct {
		query      string
		named, all string // solutions: union of named graphs, of all graphs
	}{
		{`SELECT (COUNT(*) AS ?n) { ?s <http://ex/p> ?o }`, "200", "300"},
		{`SELECT (COUNT(*) AS ?n) { ?s <http://ex/p> ?o ; <http://ex/q> ?o2 }`, "200", "300"},
		{`SELECT (COUNT(*) AS ?n) { <http://ex/s220> ?p ?o }`, "2", "2"},
		{`SELECT (COUNT(*) AS ?n) { <http://ex/s50> ?p ?o }`, "0", "2"},
		{`SELECT (COUNT(*) AS ?n) { ?s ?p "v3" }`, "58", "86"},
		{`SELECT ?o (COUNT(?s) AS ?n) { ?s <http://ex/p> ?o ; <http://ex/q> ?o } GROUP BY ?o ORDER BY ?o LIMIT 1`, "v0 28", "v0 43"},
	}
	for name, st := range loadedStores(t, data.String()) {
		for _, q := range queries {
			for _, withDefault := range []bool{false, true} {
				want := q.named
				if withDefault {
					want = q.all
				}
				// Twice: the second run meets badgerstore's hot predicates.
				for run := range 2 {
					got, err := valuesOf(ctx, st, q.query, Options{Dataset: Dataset{UnionDefault: true, UnionIncludesDefault: withDefault}})
					if err != nil {
						t.Fatalf("%s: %s: %v", name, q.query, err)
					}
					if g := got; g != want {
						t.Errorf("%s, default graph included %v, run %d: %s = %s, want %s", name, withDefault, run, q.query, g, want)
					}
				}
			}
		}
	}
}

// valuesOf runs query over st and returns the values of its solutions'
// bindings, in order, separated by spaces.
func valuesOf(ctx context.Context, st graph.Store, query string, opts Options) (string, error) {
	_, sols, err := querySolutions(ctx, st, query, opts)
	var out []string
	for _, sol := range sols {
		for _, v := range sol {
			if !v.IsZero() {
				out = append(out, v.Value())
			}
		}
	}
	return strings.Join(out, " "), err
}
