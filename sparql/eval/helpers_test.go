package eval

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/parser"
)

// querySolutions runs query over a snapshot of st with opts and returns
// its variables and solutions, in order (those read before an error
// with the error).
func querySolutions(ctx context.Context, st graph.Store, query string, opts Options) ([]string, [][]graph.Term, error) {
	ast, err := parser.ParseQuery(query, parser.Options{})
	if err != nil {
		return nil, nil, err
	}
	q, err := algebra.Translate(ast, algebra.Options{})
	if err != nil {
		return nil, nil, err
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer snap.Release()
	res, err := Query(ctx, snap, q, opts)
	if err != nil {
		return nil, nil, err
	}
	var sols [][]graph.Term
	for sol, err := range res.Solutions {
		if err != nil {
			return res.Vars, sols, err
		}
		sols = append(sols, slices.Clone(sol))
	}
	return res.Vars, sols, nil
}

// loadedStores returns a memstore and a badgerstore (every predicate
// eligible for its hot-predicate cache), by name, each holding the
// N-Quads document nquads.
func loadedStores(t *testing.T, nquads string) map[string]graph.Store {
	t.Helper()
	bst, err := badgerstore.Open(t.TempDir(), badgerstore.Options{NoSync: true, HotMinQuads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bst.Close() })
	stores := map[string]graph.Store{"memstore": memstore.New(), "badgerstore": bst}
	for _, st := range stores {
		quads := syntax.Quads(ntriples.NewQuadDecoder(strings.NewReader(nquads), syntax.Options{}))
		if _, err := graph.Load(context.Background(), st, quads, graph.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return stores
}
