package ontology

import (
	"context"
	"fmt"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
)

// BenchmarkDescendants looks up the closure of OncoTree's root with
// equivalents (≥ 1,000 terms).
func BenchmarkDescendants(b *testing.B) {
	s, gs := bundled(b)
	o := build(b, s, gs)
	root := iri(onco + "TISSUE")
	n := len(o.Descendants(root, true))
	if n < 1000 {
		b.Fatalf("%d descendants, want ≥ 1000", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		o.Descendants(root, true)
	}
	b.ReportMetric(float64(n), "terms/op")
}

// BenchmarkReachable is the evaluator's fast path for the whole tree.
func BenchmarkReachable(b *testing.B) {
	s, gs := bundled(b)
	o := build(b, s, gs)
	root, p := iri(onco+"TISSUE"), iri(SKOSBroader)
	b.ReportAllocs()
	for b.Loop() {
		o.Reachable(p, root, true)
	}
}

// BenchmarkBuild builds the snapshot of all bundled vocabularies.
func BenchmarkBuild(b *testing.B) {
	s, gs := bundled(b)
	ctx := context.Background()
	snap, err := s.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer snap.Release()
	var quads int64
	for _, g := range gs {
		n, _ := snap.Count(ctx, graph.Pattern{G: g})
		quads += n
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(ctx, snap, gs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(quads)*float64(b.N)/b.Elapsed().Seconds(), "triples/s")
}

// BenchmarkSearch measures autocomplete latency per query kind.
func BenchmarkSearch(b *testing.B) {
	s, gs := bundled(b)
	o := build(b, s, gs)
	for _, q := range []struct{ name, q string }{{"prefix", "prost"}, {"word", "adenocar"}, {"fuzzy", "prostrate"}} {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				o.Search(q.q, "en", 10)
			}
		})
	}
}

// synthetic builds a snapshot of a skos:broader tree with branching
// factor fan and the given depth below urn:t:root, each concept with an
// owl:equivalentClass twin, and returns it with the root.
func synthetic(tb testing.TB, fan, depth int) (*Ontology, graph.Term) {
	tb.Helper()
	ctx := context.Background()
	s := memstore.New()
	tb.Cleanup(func() { s.Close() })
	g := iri("urn:t:g")
	root := iri("urn:t:root")
	err := s.Update(ctx, func(tx graph.Tx) error {
		level := []graph.Term{root}
		n := 0
		for range depth {
			var next []graph.Term
			for _, parent := range level {
				for range fan {
					n++
					c := iri(fmt.Sprintf("urn:t:c%d", n))
					if err := tx.Add(graph.Quad{S: c, P: iri(SKOSBroader), O: parent, G: g}); err != nil {
						return err
					}
					twin := iri(fmt.Sprintf("urn:u:c%d", n))
					if err := tx.Add(graph.Quad{S: c, P: iri(OWLEquivalentClass), O: twin, G: g}); err != nil {
						return err
					}
					next = append(next, c)
				}
			}
			level = next
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return build(tb, s, []graph.Term{g}), root
}

// BenchmarkDescendants1000 is the target: the closure of a concept
// with 1,110 descendants (2,221 terms with equivalents) under 100 µs.
// "warm" is every lookup after the first on a snapshot (the closure is
// memoised); "cold" is the first, which walks the hierarchy.
func BenchmarkDescendants1000(b *testing.B) {
	o, root := synthetic(b, 10, 3)
	for _, eq := range []bool{false, true} {
		n := len(o.Descendants(root, eq))
		if n < 1000 {
			b.Fatalf("%d descendants, want ≥ 1000", n)
		}
		b.Run(fmt.Sprintf("warm/equivalents=%v", eq), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				o.Descendants(root, eq)
			}
			b.ReportMetric(float64(n), "terms/op")
		})
		b.Run(fmt.Sprintf("cold/equivalents=%v", eq), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				o.memo.Clear()
				o.memoBytes.Store(0)
				o.Descendants(root, eq)
			}
			b.ReportMetric(float64(n), "terms/op")
		})
	}
	b.Run("IsA", func(b *testing.B) {
		leaf := iri("urn:u:c1110")
		for b.Loop() {
			if !o.IsA(leaf, root) {
				b.Fatal("IsA(leaf, root) = false")
			}
		}
	})
}
