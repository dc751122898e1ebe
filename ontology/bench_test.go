package ontology

import (
	"context"
	"testing"

	"github.com/tessera-fair/tessera/graph"
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
