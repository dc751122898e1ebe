package eval

import "github.com/tessera-fair/tessera/graph"

// idCache is a direct-mapped cache from ids to values for one query: the
// decoded terms of dict, the answers of a memoised filter. It starts small
// (most queries touch a page of values) and grows fourfold, emptied,
// whenever it has missed more than twice per slot since the last growth,
// up to max slots: a working set of a few thousand dates then settles in
// a cache of 16k slots, a lookup one multiplication and one compare away.
// Id 0 (unbound) is never cached.
type idCache[V any] struct {
	slots  []idSlot[V]
	shift  uint // 64 - log2(len(slots))
	misses int
	max    int
}

type idSlot[V any] struct {
	id graph.ID
	v  V
}

// The initial size of an idCache, in slots.
const (
	idCacheMin      = 256
	idCacheMinShift = 64 - 8
)

func newIDCache[V any](max int) *idCache[V] { return &idCache[V]{max: max} }

func (c *idCache[V]) slot(id graph.ID) *idSlot[V] {
	if c.slots == nil {
		c.slots, c.shift = make([]idSlot[V], idCacheMin), idCacheMinShift
	}
	return &c.slots[(id*0x9E3779B97F4A7C15)>>c.shift]
}

// get returns the value cached for id.
func (c *idCache[V]) get(id graph.ID) (V, bool) {
	if id != unbound && c.slots != nil {
		if s := c.slot(id); s.id == id {
			return s.v, true
		}
	}
	var zero V
	return zero, false
}

// put caches v for id (after a get missed).
func (c *idCache[V]) put(id graph.ID, v V) {
	if id == unbound {
		return
	}
	*c.slot(id) = idSlot[V]{id, v}
	if c.misses++; c.misses > 2*len(c.slots) && len(c.slots) < c.max {
		c.slots, c.shift, c.misses = make([]idSlot[V], 4*len(c.slots)), c.shift-2, 0
	}
}
