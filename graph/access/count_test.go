package access

import (
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

func TestObfuscateCount(t *testing.T) {
	for _, tt := range []struct{ n, want int64 }{
		{-1, -1}, {0, 0}, {1, 10}, {9, 10}, {10, 10}, {11, 20}, {19, 20}, {20, 20}, {33372, 33380},
	} {
		if got := ObfuscateCount(tt.n); got != tt.want {
			t.Errorf("ObfuscateCount(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

func TestCount(t *testing.T) {
	p := load(t, fixture(t), Options{})
	tests := []struct {
		g          string
		registered bool
		want       int64
		exact      bool
	}{
		{gPub, false, 33, true},
		{gReg, false, 40, false},
		{gReg, true, 33, true},
		{gCtl, false, 40, false},
		{gCtl, true, 40, false}, // never exact for a controlled graph
		{gNone, true, 40, false},
		{gVoc, false, 33, true},
	}
	for _, tt := range tests {
		got, exact := p.Count(iri(tt.g), 33, tt.registered)
		if got != tt.want || exact != tt.exact {
			t.Errorf("Count(%s, 33, registered %v) = %d, %v, want %d, %v", tt.g, tt.registered, got, exact, tt.want, tt.exact)
		}
	}
	if got, exact := (*Policy)(nil).Count(iri(gPub), 33, true); got != 40 || exact {
		t.Errorf("nil policy: Count = %d, %v, want 40, false (fail closed)", got, exact)
	}
}

func TestStats(t *testing.T) {
	p := load(t, fixture(t), Options{})
	pred, obj := iri("urn:p"), iri("urn:o")
	st := &graph.Stats{
		Quads: 3 + 25 + 7 + 2,
		Graphs: map[graph.Term]int64{
			iri(gPub): 3, iri(gReg): 25, iri(gCtl): 7, graph.DefaultGraph: 2,
		},
		Terms:      1234,
		DiskBytes:  4096,
		Predicates: map[graph.Term]graph.PredicateStats{pred: {Quads: 37, Subjects: 12, Objects: 5, FrequentObjects: map[graph.Term]int64{obj: 301}}},
	}
	tests := []struct {
		name       string
		p          *Policy
		registered bool
		graphs     map[graph.Term]int64
		quads      int64
		exact      bool
	}{
		// The default graph is undescribed, hence controlled: 2 → 10.
		{"anonymous", p, false, map[graph.Term]int64{iri(gPub): 3, iri(gReg): 30, iri(gCtl): 10, graph.DefaultGraph: 10}, 53, false},
		{"registered", p, true, map[graph.Term]int64{iri(gPub): 3, iri(gReg): 25, iri(gCtl): 10, graph.DefaultGraph: 10}, 48, false},
		{"all public", load(t, fixture(t), Options{Default: Public, Prefixes: []PrefixLevel{}}), false,
			map[graph.Term]int64{iri(gPub): 3, iri(gReg): 30, iri(gCtl): 10, graph.DefaultGraph: 2}, 45, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, exact := tt.p.Stats(st, tt.registered)
			if exact != tt.exact || got.Quads != tt.quads {
				t.Errorf("Quads = %d (exact %v), want %d (exact %v)", got.Quads, exact, tt.quads, tt.exact)
			}
			for g, want := range tt.graphs {
				if got.Graphs[g] != want {
					t.Errorf("Graphs[%v] = %d, want %d", g, got.Graphs[g], want)
				}
			}
			ps := got.Predicates[pred]
			if ps.Quads != 40 || ps.Subjects != 20 || ps.Objects != 10 || ps.FrequentObjects[obj] != 310 || got.Terms != 1240 || got.DiskBytes != 4096 {
				t.Errorf("store-wide figures not obfuscated: %+v, terms %d, disk %d", ps, got.Terms, got.DiskBytes)
			}
		})
	}
	// Nothing hidden: every figure as it is.
	open := &graph.Stats{Quads: 3, Graphs: map[graph.Term]int64{iri(gPub): 3}, Terms: 7, Predicates: st.Predicates}
	got, exact := p.Stats(open, false)
	if !exact || got.Quads != 3 || got.Graphs[iri(gPub)] != 3 || got.Terms != 7 || got.Predicates[pred].Quads != 37 {
		t.Errorf("public only: %+v (exact %v), want the figures unchanged", got, exact)
	}
	if st.Graphs[iri(gCtl)] != 7 || st.Predicates[pred].FrequentObjects[obj] != 301 {
		t.Error("Stats modified its argument")
	}
	if got, exact := p.Stats(nil, false); got != nil || !exact {
		t.Errorf("Stats(nil) = %v, %v", got, exact)
	}
}
