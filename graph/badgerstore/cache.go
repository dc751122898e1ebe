package badgerstore

import (
	"sync"
	"sync/atomic"

	"github.com/tessera-fair/tessera/graph"
)

// slot maps an id to a cache slot; ids of hashed terms are already uniform,
// the multiplication spreads inline ones.
func slot(id uint64, mask uint64) uint64 { return (id * 0x9E3779B97F4A7C15 >> 32) & mask }

// termCache is a bounded, lock-free, two-way set-associative id → term cache
// for decoding. An id may live in its slot or the slot's pair (slot^1); a new
// entry takes the slot and moves the one it displaces to the pair, so the
// two most recent ids of a set stay cached. (Direct mapping lost about a
// third of a 90k-term working set to collisions in a 256k-slot cache; two
// ways lose about 3%.)
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
	i := slot(id, c.mask)
	if e := c.slots[i].Load(); e != nil && e.id == id {
		return e.term, true
	}
	if e := c.slots[i^1].Load(); e != nil && e.id == id {
		return e.term, true
	}
	return graph.Term{}, false
}

func (c *termCache) put(id uint64, t graph.Term) {
	i := slot(id, c.mask)
	if old := c.slots[i].Swap(&cachedTerm{id: id, term: t}); old != nil && old.id != id {
		c.slots[i^1].Store(old)
	}
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

// absentTerms remembers terms found to have no dictionary entry at a
// version. A query that computes values (an average per group, a BIND)
// looks each one up to give it the store's id if it has one, and each
// miss was a badger read. Committed dictionary entries are never deleted
// (a rolled-back write's entries were above every version a snapshot
// reads), so a term absent at version v is absent at every older version
// too; a lookup at a newer version starts a fresh set. Only snapshots use
// it: write transactions see their own pending entries.
type absentTerms struct {
	cur atomic.Pointer[absentAt]
	mu  sync.Mutex // serialises starting a fresh set
}

type absentAt struct {
	ver uint64
	set *presence
}

// absentSlots is the size of an absentTerms set (8 bytes a slot).
const absentSlots = 1 << 16

// has reports whether the term (id, check) is known to be absent at ts.
func (a *absentTerms) has(ts, id, check uint64) bool {
	c := a.cur.Load()
	return c != nil && ts <= c.ver && c.set.has(id, check)
}

// add records that the term (id, check) is absent at ts.
func (a *absentTerms) add(ts, id, check uint64) {
	c := a.cur.Load()
	if c == nil || ts > c.ver {
		a.mu.Lock()
		if c = a.cur.Load(); c == nil || ts > c.ver {
			c = &absentAt{ver: ts, set: newPresence(absentSlots)}
			a.cur.Store(c)
		}
		a.mu.Unlock()
	}
	if ts == c.ver {
		c.set.add(id, check)
	}
}
