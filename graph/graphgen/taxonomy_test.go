package graphgen

import (
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

func TestTaxonomy(t *testing.T) {
	qs, err := graph.Collect(Taxonomy())
	if err != nil {
		t.Fatalf("Taxonomy(): %v", err)
	}
	parent := map[graph.Term]graph.Term{}
	labels := map[graph.Term]int{}
	for _, q := range qs {
		if !q.Valid() || !q.G.IsDefaultGraph() {
			t.Fatalf("Taxonomy() gave %v, not a valid default-graph triple", q)
		}
		switch q.P {
		case rdfsSubClassOf:
			if _, dup := parent[q.S]; dup {
				t.Errorf("Taxonomy(): %v has two parents", q.S)
			}
			parent[q.S] = q.O
		case rdfsLabel:
			labels[q.S]++
		}
	}
	depth := func(c graph.Term) int {
		d := 0
		for ; d <= len(cancerTypes); d++ {
			p, ok := parent[c]
			if !ok {
				return d
			}
			c = p
		}
		t.Fatalf("Taxonomy(): cycle above %v", c)
		return d
	}
	deepest := 0
	for _, d := range diagnoses {
		if labels[d] != 1 {
			t.Errorf("Taxonomy(): diagnosis %v has %d labels, want 1", d, labels[d])
		}
		deepest = max(deepest, depth(d))
	}
	for c, p := range parent {
		if labels[p] != 1 {
			t.Errorf("Taxonomy(): %v has parent %v, which is not a labelled class", c, p)
		}
	}
	if deepest < 4 {
		t.Errorf("Taxonomy(): deepest diagnosis is %d levels below the root, want at least 4", deepest)
	}
}

func TestProviderGraphs(t *testing.T) {
	const n = 60_000
	qs, err := graph.Collect(ProviderGraphs(n, 3))
	if err != nil {
		t.Fatalf("ProviderGraphs(%d, 3): %v", n, err)
	}
	all := map[graph.Quad]bool{}
	for q := range Catalog(n, 3) {
		all[q] = true
	}
	graphs := map[graph.Term]int{}
	links := 0
	for _, q := range qs {
		if !q.Valid() || q.G.IsDefaultGraph() || !strings.HasSuffix(q.S.Value(), "/catalog") {
			t.Fatalf("ProviderGraphs gave %v, want a catalogue triple in a named graph", q)
		}
		if want := strings.TrimSuffix(q.S.Value(), "catalog") + "graph"; q.G.Value() != want {
			t.Errorf("ProviderGraphs put %v in graph %v, want %s", q, q.G, want)
		}
		if d := (graph.Quad{S: q.S, P: q.P, O: q.O, G: graph.DefaultGraph}); !all[d] {
			t.Errorf("ProviderGraphs gave %v, which is not in Catalog(%d, 3)", q, n)
		}
		graphs[q.G]++
		if q.P == dcatDatasetP {
			links++
		}
	}
	if len(graphs) < 2 || links < 10 {
		t.Errorf("ProviderGraphs(%d, 3) gave %d graphs and %d dataset links; want several of each", n, len(graphs), links)
	}
	if len(qs) > n/20 {
		t.Errorf("ProviderGraphs(%d, 3) gave %d quads, want a few percent of n", n, len(qs))
	}
}
