package eval

import (
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

// TestIDCache checks that the cache answers what was put for an id (or
// misses, never another id's value), never caches unbound, and grows to
// its bound under a working set larger than its slots.
func TestIDCache(t *testing.T) {
	c := newIDCache[graph.ID](4096)
	if _, ok := c.get(unbound); ok {
		t.Fatal("hit for unbound in an empty cache")
	}
	c.put(unbound, 7)
	if _, ok := c.get(unbound); ok {
		t.Fatal("unbound was cached")
	}
	hits := 0
	for round := range 20 {
		for id := graph.ID(1); id <= 3000; id++ {
			if v, ok := c.get(id); ok {
				if v != id*3 {
					t.Fatalf("get(%d) = %d, want %d", id, v, id*3)
				}
				if round == 19 {
					hits++
				}
				continue
			}
			c.put(id, id*3)
		}
	}
	if len(c.slots) != 4096 {
		t.Errorf("%d slots after a working set of 3000, want 4096 (the bound)", len(c.slots))
	}
	if hits < 1500 {
		t.Errorf("%d hits of 3000 in the last round", hits)
	}
}
