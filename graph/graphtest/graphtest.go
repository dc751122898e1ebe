// Package graphtest is the behaviour suite every graph.Store must pass. A
// store's tests call Run with a constructor for empty stores; the suite checks
// pattern matching against a brute-force filter, graph management, snapshot
// isolation, atomicity and statistics.
package graphtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

// NewStore returns an empty store; the suite closes it.
type NewStore func(t *testing.T) graph.Store

const ex = "http://example.org/"

func iri(s string) graph.Term { return graph.IRI(ex + s) }

// Fixture is a small dataset exercising every kind of term, in the default
// graph and in two named graphs (one named by a blank node).
func Fixture() []graph.Quad {
	g1, g2 := iri("g1"), graph.Blank("gb")
	knows, name, age := iri("knows"), iri("name"), iri("age")
	alice, bob, carol := iri("alice"), iri("bob"), graph.Blank("c")
	return []graph.Quad{
		graph.Triple(alice, knows, bob),
		graph.Triple(alice, name, graph.String("Alice")),
		graph.Triple(alice, name, graph.LangLiteral("Alícia", "pt-BR")),
		graph.Triple(alice, age, graph.Literal("42", graph.XSDInteger)),
		graph.Triple(bob, age, graph.Literal("042", graph.XSDInteger)), // not canonical: must stay exact
		graph.Triple(bob, age, graph.Literal("-7", graph.XSDInteger)),
		graph.Triple(bob, knows, carol),
		graph.Triple(carol, name, graph.String("")),
		graph.Triple(carol, name, graph.String("a much longer string literal with \"quotes\", a\nnewline and ünïcödé, long enough not to be inlined")),
		graph.Triple(carol, iri("flag"), graph.Literal("true", graph.XSDBoolean)),
		graph.Triple(carol, iri("flag"), graph.Literal("1", graph.XSDBoolean)),
		graph.Triple(carol, iri("score"), graph.Literal("1.5e0", graph.XSDDouble)),
		graph.Triple(carol, iri("when"), graph.Literal("2024-01-02", "http://www.w3.org/2001/XMLSchema#date")),
		graph.Triple(carol, iri("big"), graph.Literal("123456789012345678901234567890", graph.XSDInteger)),
		graph.Triple(carol, iri("short"), graph.String("ab")),
		graph.Triple(carol, iri("short"), graph.Literal("ab", "http://example.org/dt")),
		graph.Triple(carol, iri("short"), graph.LangLiteral("ab", "en")),
		graph.Triple(carol, iri("iri"), graph.IRI("urn:x")),
		{S: alice, P: knows, O: bob, G: g1}, // same triple as in the default graph
		{S: alice, P: name, O: graph.String("Alice"), G: g1},
		{S: bob, P: knows, O: alice, G: g1},
		{S: carol, P: knows, O: carol, G: g2},
		{S: g1, P: iri("source"), O: graph.String("provider 1"), G: g2},
	}
}

// Run runs the suite.
func Run(t *testing.T, newStore NewStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s graph.Store)
	}{
		{"Empty", testEmpty},
		{"Patterns", testPatterns},
		{"AddIsIdempotent", testAddIdempotent},
		{"Delete", testDelete},
		{"DefaultGraphIsDistinct", testDefaultGraph},
		{"InvalidQuads", testInvalid},
		{"ReadYourWrites", testReadYourWrites},
		{"SnapshotIsolation", testSnapshotIsolation},
		{"AtomicOnError", testAtomicOnError},
		{"AtomicOnPanic", testAtomicOnPanic},
		{"AtomicOnCancel", testAtomicOnCancel},
		{"LoadStreamError", testLoadStreamError},
		{"GraphManagement", testGraphManagement},
		{"ReplaceGraph", testReplaceGraph},
		{"LoadNothingCreatesGraph", testLoadNothing},
		{"EarlyBreak", testEarlyBreak},
		{"Cancellation", testCancellation},
		{"Stats", testStats},
		{"StatsFrequentObjects", testStatsFrequent},
		{"ManyQuads", testManyQuads},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
	t.Run("Closed", func(t *testing.T) {
		s := newStore(t)
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if _, err := s.Snapshot(context.Background()); !errors.Is(err, graph.ErrClosed) {
			t.Errorf("Snapshot after Close: err = %v, want ErrClosed", err)
		}
		if err := s.Update(context.Background(), func(graph.Tx) error { return nil }); !errors.Is(err, graph.ErrClosed) {
			t.Errorf("Update after Close: err = %v, want ErrClosed", err)
		}
	})
}

// Add stores quads in one transaction and fails the test on error.
func Add(t *testing.T, s graph.Store, qs ...graph.Quad) {
	t.Helper()
	err := s.Update(context.Background(), func(tx graph.Tx) error {
		for _, q := range qs {
			if err := tx.Add(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("add: %v", err)
	}
}

// Dump returns every quad of the store, sorted.
func Dump(t *testing.T, s graph.Store) []graph.Quad {
	t.Helper()
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	defer snap.Release()
	return read(t, snap, graph.Pattern{})
}

func read(t *testing.T, r graph.Reader, p graph.Pattern) []graph.Quad {
	t.Helper()
	qs, err := graph.Collect(r.Quads(context.Background(), p))
	if err != nil {
		t.Fatalf("Quads(%v): %v", p, err)
	}
	slices.SortFunc(qs, graph.CompareQuads)
	return qs
}

func sorted(qs []graph.Quad) []graph.Quad {
	out := make([]graph.Quad, len(qs))
	for i, q := range qs {
		out[i] = q.Normalize()
	}
	slices.SortFunc(out, graph.CompareQuads)
	return slices.CompactFunc(out, func(a, b graph.Quad) bool { return a == b })
}

func equal(t *testing.T, what string, got, want []graph.Quad) {
	t.Helper()
	want = sorted(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %d quads %v\nwant %d quads %v", what, len(got), got, len(want), want)
	}
}

func graphs(t *testing.T, r graph.Reader) []graph.Term {
	t.Helper()
	var out []graph.Term
	for g, err := range r.Graphs(context.Background()) {
		if err != nil {
			t.Fatalf("Graphs: %v", err)
		}
		out = append(out, g)
	}
	slices.SortFunc(out, graph.Compare)
	return out
}

func snapshot(t *testing.T, s graph.Store) graph.Snapshot {
	t.Helper()
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	return snap
}

func testEmpty(t *testing.T, s graph.Store) {
	if got := Dump(t, s); len(got) != 0 {
		t.Errorf("empty store has quads %v", got)
	}
	snap := snapshot(t, s)
	defer snap.Release()
	if n, err := snap.Count(context.Background(), graph.Pattern{}); n != 0 || err != nil {
		t.Errorf("Count = %d, %v; want 0", n, err)
	}
	if g := graphs(t, snap); len(g) != 0 {
		t.Errorf("Graphs = %v, want none", g)
	}
	if ok, err := snap.HasGraph(context.Background(), graph.DefaultGraph); !ok || err != nil {
		t.Errorf("HasGraph(default) = %v, %v; want true", ok, err)
	}
}

// testPatterns checks every combination of bound positions, with terms taken
// from the data and terms absent from it, against a brute-force filter.
func testPatterns(t *testing.T, s graph.Store) {
	data := Fixture()
	Add(t, s, data...)
	snap := snapshot(t, s)
	defer snap.Release()
	equal(t, "all quads", read(t, snap, graph.Pattern{}), data)
	probes := append(slices.Clone(data), graph.Quad{S: iri("nobody"), P: iri("nothing"), O: graph.String("nowhere"), G: iri("nograph")},
		graph.Quad{S: iri("alice"), P: iri("age"), O: graph.Literal("42.0", graph.XSDDecimal), G: graph.DefaultGraph})
	for _, q := range probes {
		for mask := range 16 {
			var p graph.Pattern
			if mask&1 != 0 {
				p.S = q.S
			}
			if mask&2 != 0 {
				p.P = q.P
			}
			if mask&4 != 0 {
				p.O = q.O
			}
			if mask&8 != 0 {
				p.G = q.G
			}
			var want []graph.Quad
			for _, d := range data {
				if p.Matches(d) {
					want = append(want, d)
				}
			}
			got := read(t, snap, p)
			equal(t, fmt.Sprintf("Quads(%v)", p), got, want)
			n, err := snap.Count(context.Background(), p)
			if err != nil || n != int64(len(sorted(want))) {
				t.Errorf("Count(%v) = %d, %v; want %d", p, n, err, len(sorted(want)))
			}
		}
	}
}

func testAddIdempotent(t *testing.T, s graph.Store) {
	q := graph.Triple(iri("a"), iri("p"), iri("b"))
	Add(t, s, q, q)
	Add(t, s, q)
	equal(t, "after adding one quad three times", Dump(t, s), []graph.Quad{q})
	if st, err := s.Stats(context.Background()); err != nil || st.Quads != 1 {
		t.Errorf("Stats().Quads = %v, %v; want 1", st, err)
	}
}

func testDelete(t *testing.T, s graph.Store) {
	data := Fixture()
	Add(t, s, data...)
	err := s.Update(context.Background(), func(tx graph.Tx) error {
		if err := tx.Delete(data[0]); err != nil {
			return err
		}
		if err := tx.Delete(data[len(data)-1]); err != nil {
			return err
		}
		return tx.Delete(graph.Triple(iri("absent"), iri("p"), iri("o"))) // no-op
	})
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	equal(t, "after delete", Dump(t, s), data[1:len(data)-1])
}

func testDefaultGraph(t *testing.T, s graph.Store) {
	tr := graph.Triple(iri("s"), iri("p"), iri("o"))
	named := tr
	named.G = iri("g")
	Add(t, s, tr, named, graph.Quad{S: iri("s"), P: iri("p"), O: iri("z")}) // zero graph = default
	snap := snapshot(t, s)
	defer snap.Release()
	equal(t, "default graph", read(t, snap, graph.Pattern{G: graph.DefaultGraph}),
		[]graph.Quad{tr, graph.Triple(iri("s"), iri("p"), iri("z"))})
	equal(t, "named graph", read(t, snap, graph.Pattern{G: iri("g")}), []graph.Quad{named})
	if g := graphs(t, snap); !slices.Equal(g, []graph.Term{iri("g")}) {
		t.Errorf("Graphs = %v, want [%v]", g, iri("g"))
	}
}

func testInvalid(t *testing.T, s graph.Store) {
	bad := []graph.Quad{
		graph.Triple(graph.String("lit"), iri("p"), iri("o")),
		graph.Triple(iri("s"), graph.Blank("p"), iri("o")),
		graph.Triple(iri("s"), iri("p"), graph.Term{}),
		{S: iri("s"), P: iri("p"), O: iri("o"), G: graph.String("g")},
	}
	for _, q := range bad {
		err := s.Update(context.Background(), func(tx graph.Tx) error { return tx.Add(q) })
		if !errors.Is(err, graph.ErrInvalidQuad) {
			t.Errorf("Add(%v): err = %v, want ErrInvalidQuad", q, err)
		}
	}
	if got := Dump(t, s); len(got) != 0 {
		t.Errorf("invalid adds stored %v", got)
	}
}

func testReadYourWrites(t *testing.T, s graph.Store) {
	a := graph.Triple(iri("a"), iri("p"), iri("b"))
	b := graph.Quad{S: iri("b"), P: iri("p"), O: iri("c"), G: iri("g")}
	Add(t, s, a)
	err := s.Update(context.Background(), func(tx graph.Tx) error {
		if err := tx.Add(b); err != nil {
			return err
		}
		if err := tx.Delete(a); err != nil {
			return err
		}
		equal(t, "inside the transaction", read(t, tx, graph.Pattern{}), []graph.Quad{b})
		if ok, err := tx.HasGraph(context.Background(), iri("g")); !ok || err != nil {
			t.Errorf("HasGraph(g) in tx = %v, %v; want true", ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "after commit", Dump(t, s), []graph.Quad{b})
}

func testSnapshotIsolation(t *testing.T, s graph.Store) {
	a := graph.Triple(iri("a"), iri("p"), iri("b"))
	b := graph.Triple(iri("b"), iri("p"), iri("c"))
	Add(t, s, a)
	before := snapshot(t, s)
	defer before.Release()
	err := s.Update(context.Background(), func(tx graph.Tx) error {
		if err := tx.Add(b); err != nil {
			return err
		}
		// A snapshot taken while the transaction is open sees the old state.
		during := snapshot(t, s)
		defer during.Release()
		equal(t, "snapshot during update", read(t, during, graph.Pattern{}), []graph.Quad{a})
		return tx.Delete(a)
	})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "snapshot before update", read(t, before, graph.Pattern{}), []graph.Quad{a})
	after := snapshot(t, s)
	defer after.Release()
	equal(t, "snapshot after update", read(t, after, graph.Pattern{}), []graph.Quad{b})
}

var errBoom = errors.New("boom")

func testAtomicOnError(t *testing.T, s graph.Store) {
	data := Fixture()
	Add(t, s, data[:5]...)
	before := Dump(t, s)
	err := s.Update(context.Background(), func(tx graph.Tx) error {
		for _, q := range data[5:] {
			if err := tx.Add(q); err != nil {
				return err
			}
		}
		if err := tx.Delete(data[0]); err != nil {
			return err
		}
		if err := tx.DropGraph(context.Background(), graph.DefaultGraph); err != nil {
			return err
		}
		if err := tx.CreateGraph(context.Background(), iri("new")); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update returned %v, want errBoom", err)
	}
	equal(t, "after failed update", Dump(t, s), before)
	snap := snapshot(t, s)
	defer snap.Release()
	if ok, _ := snap.HasGraph(context.Background(), iri("new")); ok {
		t.Errorf("graph created by a failed update exists")
	}
	// The store still works.
	Add(t, s, data[5])
	equal(t, "after a later update", Dump(t, s), append(slices.Clone(before), data[5]))
}

func testAtomicOnPanic(t *testing.T, s graph.Store) {
	a := graph.Triple(iri("a"), iri("p"), iri("b"))
	Add(t, s, a)
	func() {
		defer func() { _ = recover() }()
		err := s.Update(context.Background(), func(tx graph.Tx) error {
			_ = tx.Delete(a)
			_ = tx.Add(graph.Triple(iri("x"), iri("p"), iri("y")))
			panic("fn panics")
		})
		if err == nil {
			t.Errorf("Update with a panicking fn returned nil")
		}
	}()
	equal(t, "after panicking update", Dump(t, s), []graph.Quad{a})
	Add(t, s, graph.Triple(iri("c"), iri("p"), iri("d"))) // the writer lock was released
}

func testAtomicOnCancel(t *testing.T, s graph.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	err := s.Update(ctx, func(tx graph.Tx) error {
		if err := tx.Add(graph.Triple(iri("a"), iri("p"), iri("b"))); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a cancelled context returned %v, want context.Canceled", err)
	}
	if got := Dump(t, s); len(got) != 0 {
		t.Errorf("cancelled update stored %v", got)
	}
}

func testLoadStreamError(t *testing.T, s graph.Store) {
	Add(t, s, Fixture()[:3]...)
	before := Dump(t, s)
	stream := func(yield func(graph.Quad, error) bool) {
		for i := range 5000 {
			if !yield(graph.Triple(iri(fmt.Sprint("s", i)), iri("p"), graph.Literal(fmt.Sprint(i), graph.XSDInteger)), nil) {
				return
			}
		}
		yield(graph.Quad{}, errBoom)
	}
	n, err := graph.Load(context.Background(), s, stream, graph.LoadOptions{Graph: iri("g"), Replace: true})
	if !errors.Is(err, errBoom) || n != 5000 {
		t.Errorf("Load = %d, %v; want 5000, errBoom", n, err)
	}
	equal(t, "after a failed load", Dump(t, s), before)
}

func testGraphManagement(t *testing.T, s graph.Store) {
	ctx := context.Background()
	g1, g2 := iri("g1"), iri("g2")
	q1 := graph.Quad{S: iri("a"), P: iri("p"), O: iri("b"), G: g1}
	q2 := graph.Quad{S: iri("a"), P: iri("p"), O: iri("b"), G: g2}
	d := graph.Triple(iri("a"), iri("p"), iri("b"))
	Add(t, s, q1, q2, d)
	err := s.Update(ctx, func(tx graph.Tx) error {
		if err := tx.CreateGraph(ctx, iri("empty")); err != nil {
			return err
		}
		if err := tx.CreateGraph(ctx, g1); !errors.Is(err, graph.ErrGraphExists) {
			t.Errorf("CreateGraph(existing) = %v, want ErrGraphExists", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshot(t, s)
	if got, want := graphs(t, snap), []graph.Term{iri("empty"), g1, g2}; !slices.Equal(got, want) {
		t.Errorf("Graphs = %v, want %v", got, want)
	}
	snap.Release()

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Update(ctx, func(tx graph.Tx) error { return tx.ClearGraph(ctx, g1) }))
	equal(t, "after clear g1", Dump(t, s), []graph.Quad{q2, d})
	snap = snapshot(t, s)
	if ok, _ := snap.HasGraph(ctx, g1); !ok {
		t.Errorf("cleared graph no longer exists")
	}
	snap.Release()

	must(s.Update(ctx, func(tx graph.Tx) error { return tx.DropGraph(ctx, g2) }))
	equal(t, "after drop g2", Dump(t, s), []graph.Quad{d})
	must(s.Update(ctx, func(tx graph.Tx) error { return tx.DropGraph(ctx, graph.DefaultGraph) }))
	equal(t, "after drop default", Dump(t, s), nil)
	err = s.Update(ctx, func(tx graph.Tx) error { return tx.DropGraph(ctx, iri("missing")) })
	if !errors.Is(err, graph.ErrGraphNotFound) {
		t.Errorf("DropGraph(missing) = %v, want ErrGraphNotFound", err)
	}
	snap = snapshot(t, s)
	defer snap.Release()
	if got, want := graphs(t, snap), []graph.Term{iri("empty"), g1}; !slices.Equal(got, want) {
		t.Errorf("Graphs = %v, want %v", got, want)
	}
}

func testReplaceGraph(t *testing.T, s graph.Store) {
	ctx := context.Background()
	g := iri("provider")
	other := graph.Quad{S: iri("x"), P: iri("p"), O: iri("y"), G: iri("other")}
	Add(t, s, graph.Quad{S: iri("old"), P: iri("p"), O: iri("o"), G: g}, other)
	fresh := []graph.Quad{graph.Triple(iri("new1"), iri("p"), iri("o")), graph.Triple(iri("new2"), iri("p"), iri("o"))}
	n, err := graph.Load(ctx, s, graph.FromSlice(fresh), graph.LoadOptions{Graph: g, Replace: true})
	if err != nil || n != 2 {
		t.Fatalf("Load = %d, %v", n, err)
	}
	want := []graph.Quad{other}
	for _, q := range fresh {
		q.G = g
		want = append(want, q)
	}
	equal(t, "after replace", Dump(t, s), want)
}

// testLoadNothing: a load of no quads into a named graph leaves that graph
// existing and empty, with or without Replace; into the default graph it
// changes nothing.
func testLoadNothing(t *testing.T, s graph.Store) {
	ctx := context.Background()
	full := iri("full")
	Add(t, s, graph.Quad{S: iri("s"), P: iri("p"), O: iri("o"), G: full})
	for _, tc := range []struct {
		g       graph.Term
		replace bool
	}{
		{iri("new"), false},
		{iri("new-replaced"), true},
		{full, true},
		{graph.DefaultGraph, false},
	} {
		if _, err := graph.Load(ctx, s, graph.FromSlice(nil), graph.LoadOptions{Graph: tc.g, Replace: tc.replace}); err != nil {
			t.Fatalf("Load(nothing, %v, replace %v) = %v", tc.g, tc.replace, err)
		}
		snap := snapshot(t, s)
		ok, err := snap.HasGraph(ctx, tc.g)
		if !ok || err != nil {
			t.Errorf("after Load(nothing, %v, replace %v): HasGraph = %v, %v; want true", tc.g, tc.replace, ok, err)
		}
		if got := read(t, snap, graph.Pattern{G: tc.g}); len(got) != 0 && tc.g != graph.DefaultGraph {
			t.Errorf("after Load(nothing, %v, replace %v): graph holds %v, want nothing", tc.g, tc.replace, got)
		}
		snap.Release()
	}
	want := []graph.Term{full, iri("new"), iri("new-replaced")}
	snap := snapshot(t, s)
	defer snap.Release()
	if got := graphs(t, snap); !slices.Equal(got, want) {
		t.Errorf("graphs = %v, want %v", got, want)
	}
}

func testEarlyBreak(t *testing.T, s graph.Store) {
	var qs []graph.Quad
	for i := range 3000 {
		qs = append(qs, graph.Triple(iri(fmt.Sprint("s", i)), iri("p"), iri("o")))
	}
	Add(t, s, qs...)
	for range 50 {
		snap := snapshot(t, s)
		for range snap.Quads(context.Background(), graph.Pattern{}) {
			break
		}
		snap.Release()
	}
	Add(t, s, graph.Triple(iri("after"), iri("p"), iri("o")))
	if got := len(Dump(t, s)); got != 3001 {
		t.Errorf("after early breaks: %d quads, want 3001", got)
	}
}

func testCancellation(t *testing.T, s graph.Store) {
	var qs []graph.Quad
	for i := range 20000 {
		qs = append(qs, graph.Triple(iri(fmt.Sprint("s", i)), iri("p"), iri("o")))
	}
	Add(t, s, qs...)
	snap := snapshot(t, s)
	defer snap.Release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	var gotErr error
	for _, err := range snap.Quads(ctx, graph.Pattern{}) {
		if err != nil {
			gotErr = err
			break
		}
		if n++; n == 10 {
			cancel()
		}
	}
	if !errors.Is(gotErr, context.Canceled) || n >= 20000 {
		t.Errorf("cancelled scan read %d quads and ended with %v; want an early context.Canceled", n, gotErr)
	}
}

func testStats(t *testing.T, s graph.Store) {
	data := Fixture()
	Add(t, s, data...)
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Quads != int64(len(data)) {
		t.Errorf("Stats.Quads = %d, want %d", st.Quads, len(data))
	}
	wantGraphs := map[graph.Term]int64{}
	type sets struct{ s, o map[graph.Term]bool }
	preds := map[graph.Term]*sets{}
	wantPred := map[graph.Term]int64{}
	for _, q := range data {
		q = q.Normalize()
		wantGraphs[q.G]++
		wantPred[q.P]++
		if preds[q.P] == nil {
			preds[q.P] = &sets{map[graph.Term]bool{}, map[graph.Term]bool{}}
		}
		preds[q.P].s[q.S], preds[q.P].o[q.O] = true, true
	}
	for g, n := range wantGraphs {
		if st.Graphs[g] != n {
			t.Errorf("Stats.Graphs[%v] = %d, want %d", g, st.Graphs[g], n)
		}
	}
	if len(st.Graphs) != len(wantGraphs) {
		t.Errorf("Stats.Graphs = %v, want %v", st.Graphs, wantGraphs)
	}
	for p, n := range wantPred {
		ps := st.Predicates[p]
		if ps.Quads != n {
			t.Errorf("Stats.Predicates[%v].Quads = %d, want %d", p, ps.Quads, n)
		}
		// Distinct counts may be estimates, but on a handful of values a
		// sound estimator is exact.
		if ps.Subjects != int64(len(preds[p].s)) || ps.Objects != int64(len(preds[p].o)) {
			t.Errorf("Stats.Predicates[%v] = %+v, want %d subjects, %d objects", p, ps, len(preds[p].s), len(preds[p].o))
		}
	}
}

// testStatsFrequent checks the frequent objects of the statistics: a class
// with many instances is listed with its exact count, one with few is not.
func testStatsFrequent(t *testing.T, s graph.Store) {
	typ := graph.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
	big, small := graph.IRI("http://example.org/Study"), graph.IRI("http://example.org/Rare")
	var data []graph.Quad
	for i := range graph.FrequentMin + 40 {
		data = append(data, graph.Quad{S: graph.IRI(fmt.Sprintf("http://example.org/s%d", i)), P: typ, O: big})
	}
	for i := range 3 {
		data = append(data, graph.Quad{S: graph.IRI(fmt.Sprintf("http://example.org/r%d", i)), P: typ, O: small, G: graph.IRI("http://example.org/g")})
	}
	Add(t, s, data...)
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := st.Predicates[typ].FrequentObjects
	want := map[graph.Term]int64{big: graph.FrequentMin + 40}
	if len(got) != len(want) || got[big] != want[big] {
		t.Errorf("FrequentObjects of rdf:type = %v, want %v", got, want)
	}
}

// testManyQuads goes past the sizes where stores batch or flush internally.
func testManyQuads(t *testing.T, s graph.Store) {
	const n = 50_000
	stream := func(yield func(graph.Quad, error) bool) {
		for i := range n {
			q := graph.Quad{S: iri(fmt.Sprint("s", i%5000)), P: iri(fmt.Sprint("p", i%7)), O: graph.Literal(fmt.Sprint(i), graph.XSDInteger), G: iri(fmt.Sprint("g", i%3))}
			if !yield(q, nil) {
				return
			}
		}
	}
	if _, err := graph.Load(context.Background(), s, stream, graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	snap := snapshot(t, s)
	defer snap.Release()
	ctx := context.Background()
	if c, err := snap.Count(ctx, graph.Pattern{}); c != n || err != nil {
		t.Errorf("Count() = %d, %v; want %d", c, err, n)
	}
	if c, _ := snap.Count(ctx, graph.Pattern{G: iri("g1")}); c != n/3+1 && c != n/3 {
		t.Errorf("Count(g1) = %d, want about %d", c, n/3)
	}
	got := read(t, snap, graph.Pattern{S: iri("s42")})
	if len(got) != n/5000 {
		t.Errorf("Quads(S=s42) gave %d quads, want %d", len(got), n/5000)
	}
	for _, q := range got {
		if q.S != iri("s42") {
			t.Errorf("Quads(S=s42) gave %v", q)
		}
	}
}
