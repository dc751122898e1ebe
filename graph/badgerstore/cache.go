package badgerstore

import (
	"sync/atomic"

	"github.com/tessera-fair/tessera/graph"
)

// slot maps an id to a cache slot; ids of hashed terms are already uniform,
// the multiplication spreads inline ones.
func slot(id uint64, mask uint64) uint64 { return (id * 0x9E3779B97F4A7C15 >> 32) & mask }

// termCache is a bounded, lock-free, direct-mapped id → term cache for
// decoding. A slot holds one entry; a newer entry replaces an older one.
type termCache struct {
	slots []atomic.Pointer[cachedTerm]
	mask  uint64
}

type cachedTerm struct {
	id   uint64
	term graph.Term
}

func newTermCache(size int) *termCache {
	n := roundPow2(size)
	return &termCache{slots: make([]atomic.Pointer[cachedTerm], n), mask: uint64(n - 1)}
}

func (c *termCache) get(id uint64) (graph.Term, bool) {
	if e := c.slots[slot(id, c.mask)].Load(); e != nil && e.id == id {
		return e.term, true
	}
	return graph.Term{}, false
}

func (c *termCache) put(id uint64, t graph.Term) {
	c.slots[slot(id, c.mask)].Store(&cachedTerm{id: id, term: t})
}

func (c *termCache) reset() {
	for i := range c.slots {
		c.slots[i].Store(nil)
	}
}

// presence remembers terms known to have a dictionary entry under their id,
// so that writes skip the collision check and reads skip the verification
// lookup. A slot holds a second, independent 64-bit hash of the term's
// encoding (keyed per process), so a hit means "this very term", not just
// "some term with this id": a false hit needs both hashes to collide.
type presence struct {
	slots []atomic.Uint64
	mask  uint64
}

func newPresence(size int) *presence {
	n := roundPow2(size)
	return &presence{slots: make([]atomic.Uint64, n), mask: uint64(n - 1)}
}

func (p *presence) has(id, check uint64) bool { return p.slots[slot(id, p.mask)].Load() == check|1 }

func (p *presence) add(id, check uint64) { p.slots[slot(id, p.mask)].Store(check | 1) }

func (p *presence) reset() {
	for i := range p.slots {
		p.slots[i].Store(0)
	}
}

func roundPow2(n int) int {
	p := 1024
	for p < n {
		p <<= 1
	}
	return p
}
