package ontology

import (
	"slices"
	"sync"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

// TestClosureMemo checks that memoised closures equal a fresh walk for
// every term of the bundled vocabularies, in every direction, that a
// second lookup shares the first one's slice, that concurrent first
// lookups agree (run with -race), and that past the memo's bound answers
// stay right while nothing more is stored.
func TestClosureMemo(t *testing.T) {
	s, gs := bundled(t)
	o := build(t, s, gs)
	fresh := func(d direction, i int32, eq, strict bool) []graph.Term {
		adj := o.adj(d)
		starts := []int32{i}
		if strict {
			starts = adj.next(i)
		}
		return o.setTerms(o.walk(adj, starts, eq))
	}
	step := int32(1)
	if testing.Short() {
		step = 7 // a sample: the full check walks 180,000 closures
	}
	var wg sync.WaitGroup
	for w := range 2 { // two goroutines race to fill the memo
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int32(w) * step; i < int32(len(o.terms)); i += 2 * step {
				for d := range numDirs {
					for _, eq := range []bool{false, true} {
						o.closureOf(closureKey{id: i, dir: d, equivalents: eq})
					}
				}
			}
		}()
	}
	wg.Wait()
	for i := int32(0); i < int32(len(o.terms)); i += step {
		for d := range numDirs {
			for _, eq := range []bool{false, true} {
				for _, strict := range []bool{false, true} {
					k := closureKey{id: i, dir: d, equivalents: eq, strict: strict}
					c := o.closureOf(k)
					got := c.terms
					for x, id := range c.ids {
						if o.terms[id] != got[x] {
							t.Fatalf("closure %+v: id %d is %v, term %v", k, id, o.terms[id], got[x])
						}
					}
					if want := fresh(d, i, eq, strict); !slices.Equal(got, want) {
						t.Fatalf("closure %+v of %v: %d terms, want %d", k, o.terms[i], len(got), len(want))
					}
					if again := o.closureOf(k).terms; len(got) > 0 && &again[0] != &got[0] {
						t.Fatalf("closure %+v computed twice", k)
					}
					if cap(got) != len(got) {
						t.Fatalf("closure %+v has spare capacity: an append would write into the shared array", k)
					}
				}
			}
		}
	}
	// Past the bound: still right, not stored.
	o2 := build(t, s, gs)
	o2.memoBytes.Store(maxMemoBytes)
	root := iri(onco + "TISSUE")
	got := o2.Descendants(root, false)
	if want := o.Descendants(root, false); !slices.Equal(got, want) {
		t.Errorf("Descendants past the memo bound: %d terms, want %d", len(got), len(want))
	}
	n := 0
	o2.memo.Range(func(any, any) bool { n++; return true })
	if n != 0 {
		t.Errorf("memo holds %d closures past its bound, want 0", n)
	}
	if !o2.IsA(iri(onco+"PRAD"), root) || o2.IsA(root, iri(onco+"PRAD")) {
		t.Errorf("IsA past the memo bound is wrong")
	}
}
