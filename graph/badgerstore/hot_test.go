package badgerstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphgen"
	"github.com/tessera-fair/tessera/graph/graphtest"
)

// TestHotCache checks that patterns answered from the hot-predicate cache
// give exactly what badger gives (same quads, same order), for full
// predicate scans, bound objects and bound subjects (after enough lookups
// to load the predicate), and that a commit moves the cache to the new
// version while an older snapshot keeps reading its own.
func TestHotCache(t *testing.T) {
	ctx := context.Background()
	st, err := Open(t.TempDir(), Options{NoSync: true, MemTableSize: 8 << 20, HotMinQuads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := graph.Load(ctx, st, graphgen.Catalog(20_000, 1), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	r := snap.(*snapshot).reader
	// fromBadger reads p with the cache bypassed.
	fromBadger := func(r reader, p graph.IDPattern) []graph.IDQuad {
		hot := st.hot
		st.hot = nil
		defer func() { st.hot = hot }()
		return collectIDs(t, r.QuadIDs(ctx, p))
	}
	var preds []uint64
	for _, iri := range []string{
		"http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
		"http://purl.org/dc/terms/date",
		"https://cancerimage.eu/ontology/EUCAIM#hasImageModality",
		"http://www.w3.org/ns/dcat#keyword",
	} {
		id, ok, err := r.LookupID(ctx, graph.IRI(iri))
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", iri, ok, err)
		}
		preds = append(preds, id)
	}
	for _, pred := range preds {
		full := graph.IDPattern{IDs: [4]uint64{0, pred}, Bound: [4]bool{false, true}}
		want := fromBadger(r, full)
		if got := collectIDs(t, r.QuadIDs(ctx, full)); !slices.Equal(got, want) || len(got) == 0 {
			t.Fatalf("predicate %016x: cache gives %d quads, badger %d", pred, len(got), len(want))
		}
		st.hot.mu.Lock()
		e := st.hot.preds[hotKey{pred: pred}]
		st.hot.mu.Unlock()
		if e == nil || e.byObject == nil {
			t.Fatalf("predicate %016x not cached after a full scan", pred)
		}
		for i, q := range want {
			if i%97 != 0 {
				continue
			}
			for _, p := range []graph.IDPattern{
				{IDs: [4]uint64{0, pred, q[posO]}, Bound: [4]bool{false, true, true}},
				{IDs: [4]uint64{q[posS], pred}, Bound: [4]bool{true, true}},
				{IDs: [4]uint64{^uint64(0), pred}, Bound: [4]bool{true, true}},
			} {
				if got, want := collectIDs(t, r.QuadIDs(ctx, p)), fromBadger(r, p); !slices.Equal(got, want) {
					t.Fatalf("%+v: cache gives %v, badger %v", p, got, want)
				}
			}
		}
	}

	// Concurrent first use: several queries want the same predicate at
	// once; one loads it, the others wait, all read the same quads.
	fresh := graph.IDPattern{IDs: [4]uint64{0, preds[3]}, Bound: [4]bool{false, true}}
	st.hot.mu.Lock()
	delete(st.hot.preds, hotKey{pred: preds[3]})
	st.hot.mu.Unlock()
	want := fromBadger(r, fresh)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			var got []graph.IDQuad
			for q, err := range r.QuadIDs(ctx, fresh) {
				if err != nil {
					errs <- err
					return
				}
				got = append(got, q)
			}
			if !slices.Equal(got, want) {
				errs <- fmt.Errorf("concurrent read: %d quads, want %d", len(got), len(want))
				return
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}

	// A commit: new snapshots see it through the cache, the old one does not.
	extra := graph.Quad{S: graph.IRI("https://example.org/new-study"), P: graph.IRI("http://purl.org/dc/terms/date"), O: graph.Literal("2031-01-01", graph.XSDNamespace+"date"), G: graph.DefaultGraph}
	if err := st.Update(ctx, func(tx graph.Tx) error { return tx.Add(extra) }); err != nil {
		t.Fatal(err)
	}
	snap2, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap2.Release()
	r2 := snap2.(*snapshot).reader
	full := graph.IDPattern{IDs: [4]uint64{0, preds[1]}, Bound: [4]bool{false, true}}
	newer := collectIDs(t, r2.QuadIDs(ctx, full))
	older := collectIDs(t, r.QuadIDs(ctx, full))
	if len(newer) != len(older)+1 {
		t.Fatalf("after a commit: %d quads, before %d", len(newer), len(older))
	}
	if want := fromBadger(r2, full); !slices.Equal(newer, want) {
		t.Fatal("after a commit the cache differs from badger")
	}
}

func collectIDs(t *testing.T, seq func(func(graph.IDQuad, error) bool)) []graph.IDQuad {
	t.Helper()
	var out []graph.IDQuad
	for q, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, q)
	}
	return out
}

// TestQuadIDsBySubject checks the cache's subject-sorted slices: sorted,
// exactly the predicate's quads (all graphs, or one object's), and the
// flags a union of graphs relies on to use them in place.
func TestQuadIDsBySubject(t *testing.T) {
	ctx := context.Background()
	ex := func(s string) graph.Term { return graph.IRI("http://ex/" + s) }
	tests := []struct {
		name               string
		quads              []graph.Quad
		repeats, inDefault bool
	}{
		{"named graphs only", []graph.Quad{
			{S: ex("b"), P: ex("p"), O: ex("x"), G: ex("g1")},
			{S: ex("a"), P: ex("p"), O: ex("y"), G: ex("g2")},
			{S: ex("c"), P: ex("p"), O: ex("x"), G: ex("g1")},
		}, false, false},
		{"a triple in two graphs", []graph.Quad{
			{S: ex("b"), P: ex("p"), O: ex("x"), G: ex("g1")},
			{S: ex("b"), P: ex("p"), O: ex("x"), G: ex("g2")},
			{S: ex("a"), P: ex("p"), O: ex("x"), G: ex("g1")},
		}, true, false},
		{"the default graph", []graph.Quad{
			{S: ex("b"), P: ex("p"), O: ex("x"), G: graph.DefaultGraph},
			{S: ex("a"), P: ex("p"), O: ex("y"), G: ex("g1")},
		}, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := openTest(t, Options{NoSync: true, HotMinQuads: 1})
			graphtest.Add(t, st, tc.quads...)
			snap, err := st.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer snap.Release()
			r := snap.(graph.IDReader)
			p, _, _ := r.LookupID(ctx, ex("p"))
			x, _, _ := r.LookupID(ctx, ex("x"))
			all, ok := snap.(graph.SubjectOrderer).QuadIDsBySubject(ctx, graph.IDPattern{IDs: [4]graph.ID{0, p}, Bound: [4]bool{false, true}})
			if !ok {
				t.Fatal("predicate not served from the cache")
			}
			if len(all.Quads) != len(tc.quads) || all.Repeats != tc.repeats || all.InDefault != tc.inDefault {
				t.Errorf("%d quads, repeats %v, in default %v; want %d, %v, %v", len(all.Quads), all.Repeats, all.InDefault, len(tc.quads), tc.repeats, tc.inDefault)
			}
			byX, ok := snap.(graph.SubjectOrderer).QuadIDsBySubject(ctx, graph.IDPattern{IDs: [4]graph.ID{0, p, x}, Bound: [4]bool{false, true, true}})
			if !ok {
				t.Fatal("bound object not served from the cache")
			}
			for _, s := range [][]graph.IDQuad{all.Quads, byX.Quads} {
				if !slices.IsSortedFunc(s, func(a, b graph.IDQuad) int { return cmp.Compare(a[0], b[0]) }) {
					t.Errorf("not sorted by subject: %v", s)
				}
			}
			for _, q := range byX.Quads {
				if q[2] != x {
					t.Errorf("quad %v of object %d", q, x)
				}
			}
		})
	}
}

// TestHotCacheSmallPredicate checks that a predicate too small to cache
// for its scans (below HotMinQuads) is still cached once it is looked up
// hotProbes times: a lookup costs a badger seek however small it is.
func TestHotCacheSmallPredicate(t *testing.T) {
	ctx := context.Background()
	st := openTest(t, Options{NoSync: true, HotMinQuads: 1000})
	p := graph.IRI("http://ex/p")
	var quads []graph.Quad
	for i := range 100 {
		quads = append(quads, graph.Quad{S: graph.IRI(fmt.Sprintf("http://ex/s%d", i)), P: p, O: graph.String("v"), G: graph.DefaultGraph})
	}
	graphtest.Add(t, st, quads...)
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	r := snap.(graph.IDReader)
	pid, _, _ := r.LookupID(ctx, p)
	full := graph.IDPattern{IDs: [4]graph.ID{0, pid}, Bound: [4]bool{false, true}}
	cached := func() bool {
		_, ok := snap.(graph.SubjectOrderer).QuadIDsBySubject(ctx, full)
		return ok
	}
	for range 2 { // the first scan finds it small, the second reads badger
		if cached() {
			t.Fatal("a 100-quad predicate cached for its scans")
		}
	}
	for i := 0; i < hotProbes; i++ {
		s, _, _ := r.LookupID(ctx, graph.IRI(fmt.Sprintf("http://ex/s%d", i%100)))
		n := 0
		for _, err := range r.QuadIDs(ctx, graph.IDPattern{IDs: [4]graph.ID{s, pid}, Bound: [4]bool{true, true}}) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 1 {
			t.Fatalf("lookup %d: %d quads", i, n)
		}
	}
	if !cached() {
		t.Error("not cached after hotProbes lookups")
	}
}
