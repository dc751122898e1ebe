package badgerstore

import (
	"cmp"
	"context"
	"iter"
	"slices"
	"sync"

	"github.com/tessera-fair/tessera/graph"
)

// Hot predicates. A catalogue's aggregate queries scan the same few
// predicates in full (every study's modality, date and size; every
// patient's sex and diagnosis) and its joins look one value up per
// solution; a badger scan costs about 0.25 µs a key and a lookup 5–15 µs
// (transaction, iterator, seek, block). So the store keeps, for the latest
// committed version only, the quads of the predicates queries use heavily,
// in memory, in two orders: object-first (answers ?s p ?o and ?s p o) and
// subject-first (answers s p ?o by binary search). A predicate is loaded
// when a query scans it in full, or after hotProbes lookups of it (a scan
// with a bound object, such as the instances of a class, counting for
// hotObjectScan lookups); the
// whole cache is bounded by Options.HotCacheSize and drops the least
// recently used predicates. Any commit moves the cache to the new version
// (it starts empty); readers of older versions and write transactions read
// badger directly.

const (
	// defaultHotCacheSize bounds the memory of the cache.
	defaultHotCacheSize = 256 << 20
	// hotMinQuads: smaller predicates are scanned from badger, which is
	// cheap for them, until they are looked up hotProbes times: a lookup
	// costs the same 5–15 µs in a small predicate as in a large one.
	hotMinQuads = 2048
	// hotProbes is the number of bound-subject lookups of a predicate
	// after which it is loaded; a scan with a bound object counts for
	// hotObjectScan of them (it reads more: every instance of a class).
	hotProbes     = 256
	hotObjectScan = 32
	// hotQuadBytes is the memory of one quad in both orders.
	hotQuadBytes = 2 * 32
)

// hotCache is the store's cache of hot predicates.
type hotCache struct {
	s        *Store
	budget   int64
	minQuads int // Options.HotMinQuads

	mu    sync.Mutex
	ts    uint64 // the version the entries are of
	used  int64
	tick  uint64
	preds map[hotKey]*hotPred
}

// hotKey names an entry: a predicate in all graphs, or in one graph.
type hotKey struct {
	pred, graph uint64
	inGraph     bool
}

// hotPred is one predicate's entry.
type hotPred struct {
	ready chan struct{} // closed once loaded (or found unfit)
	// byObject is in POSG order, bySubject sorted by subject, object,
	// graph; both nil when the predicate is unfit (small or too big).
	byObject, bySubject []graph.IDQuad
	// repeats: a triple occurs in several graphs; inDefault: some quads
	// are in the default graph (graph.SortedQuads).
	repeats, inDefault bool
	// small: a full scan found fewer than minQuads quads; the predicate
	// is loaded only once looked up often enough.
	small  bool
	err    error
	probes int
	last   uint64
}

func newHotCache(s *Store, budget int64, minQuads int) *hotCache {
	if budget == 0 {
		budget = defaultHotCacheSize
	}
	if budget < 0 {
		return nil
	}
	if minQuads <= 0 {
		minQuads = hotMinQuads
	}
	return &hotCache{s: s, budget: budget, minQuads: minQuads, preds: map[hotKey]*hotPred{}}
}

// quads answers p from the cache when it can: a snapshot at the cache's
// version (or a newer one, which resets it), the predicate bound (in all
// graphs or in one), and the predicate loaded or due to be.
func (c *hotCache) quads(ctx context.Context, r reader, ts uint64, p graph.IDPattern) (iter.Seq2[graph.IDQuad, error], bool) {
	quads, _, ok := c.entry(ctx, r, ts, p, false)
	if !ok {
		return nil, false
	}
	return sliceQuads(ctx, quads, ctx.Err()), true
}

// entry returns the quads of p from the cache (loading the predicate if
// due) and the predicate's entry: in index order, or with bySubject
// sorted by subject (a bound object's quads are both). A cancelled wait
// for a load returns no quads and true (sliceQuads reports ctx.Err()).
func (c *hotCache) entry(ctx context.Context, r reader, ts uint64, p graph.IDPattern, bySubject bool) ([]graph.IDQuad, *hotPred, bool) {
	if !p.Bound[posP] || (p.Bound[posS] && p.Bound[posO]) {
		return nil, nil, false
	}
	pred := hotKey{pred: p.IDs[posP], graph: p.IDs[posG], inGraph: p.Bound[posG]}
	if !pred.inGraph {
		pred.graph = 0
	}
	full := !p.Bound[posS] && !p.Bound[posO]
	c.mu.Lock()
	switch {
	case ts < c.ts:
		c.mu.Unlock()
		return nil, nil, false
	case ts > c.ts:
		c.ts, c.used, c.preds = ts, 0, map[hotKey]*hotPred{}
	}
	c.tick++
	e, ok := c.preds[pred]
	if !ok {
		e = &hotPred{}
		c.preds[pred] = e
	}
	e.last = c.tick
	if e.ready == nil {
		if p.Bound[posO] {
			e.probes += hotObjectScan
		} else {
			e.probes++
		}
		lookups := e.probes >= hotProbes
		if (!full || e.small) && !lookups {
			c.mu.Unlock()
			return nil, nil, false
		}
		e.ready = make(chan struct{})
		c.mu.Unlock()
		c.load(ctx, r, ts, pred, e, lookups) // closes the channel when done
	} else {
		ready := e.ready // read under mu: a small predicate's load resets it
		c.mu.Unlock()
		select {
		case <-ready:
		case <-ctx.Done():
			return nil, nil, true
		}
	}
	if e.err != nil || e.byObject == nil {
		return nil, nil, false
	}
	quads := e.byObject
	if bySubject {
		quads = e.bySubject
	}
	switch {
	case p.Bound[posS]:
		quads = matching(e.bySubject, posS, p.IDs[posS])
	case p.Bound[posO]:
		// In POSG order a bound object's quads are sorted by subject.
		quads = matching(e.byObject, posO, p.IDs[posO])
	}
	return quads, e, true
}

// matching returns the quads of sorted, ordered by position pos first, that
// hold id there.
func matching(sorted []graph.IDQuad, pos int, id uint64) []graph.IDQuad {
	i, _ := slices.BinarySearchFunc(sorted, id, func(q graph.IDQuad, id uint64) int { return cmp.Compare(q[pos], id) })
	j := i
	for j < len(sorted) && sorted[j][pos] == id {
		j++
	}
	return sorted[i:j]
}

// sliceQuads streams quads, then err if not nil, checking ctx every
// ctxEvery quads.
func sliceQuads(ctx context.Context, quads []graph.IDQuad, err error) iter.Seq2[graph.IDQuad, error] {
	return func(yield func(graph.IDQuad, error) bool) {
		for i, q := range quads {
			if i%ctxEvery == ctxEvery-1 && ctx.Err() != nil {
				yield(graph.IDQuad{}, ctx.Err())
				return
			}
			if !yield(q, nil) {
				return
			}
		}
		if err != nil {
			yield(graph.IDQuad{}, err)
		}
	}
}

// load reads the predicate from badger into e (both orders) and accounts
// for it, evicting the least recently used entries beyond the budget. A
// predicate that is small or would not fit stays unfit (read from badger)
// for this version; a failed load (a cancelled query) removes the entry,
// so a later query tries again, and its callers read badger, which
// reports the error.
func (c *hotCache) load(ctx context.Context, r reader, ts uint64, pred hotKey, e *hotPred, lookups bool) {
	ready := e.ready
	defer close(ready)
	var quads []graph.IDQuad
	var ids [4]uint64
	ids[posP], ids[posG] = pred.pred, pred.graph
	mask := 1 << posP
	if pred.inGraph {
		mask |= 1 << posG
	}
	sc := rangeFor(&ids, mask)
	txn, _, done, err := r.open()
	if err != nil {
		e.err = err
		return
	}
	limit := int(c.budget / hotQuadBytes)
	tooBig := false
	err = r.s.scanIndex(ctx, txn, sc, func(ids *[4]uint64) bool {
		if len(quads) >= limit {
			tooBig = true
			return false
		}
		quads = append(quads, graph.IDQuad(*ids))
		return true
	})
	done()
	if err != nil {
		e.err = err
		c.mu.Lock()
		if c.preds[pred] == e {
			delete(c.preds, pred)
		}
		c.mu.Unlock()
		return
	}
	if tooBig {
		return
	}
	if len(quads) < c.minQuads && !lookups {
		// Small: scans read badger; lookups may load it later.
		c.mu.Lock()
		if c.preds[pred] == e {
			e.small, e.ready = true, nil
		}
		c.mu.Unlock()
		return
	}
	bySubject := slices.Clone(quads)
	slices.SortFunc(bySubject, func(a, b graph.IDQuad) int {
		return cmp.Or(cmp.Compare(a[posS], b[posS]), cmp.Compare(a[posO], b[posO]), cmp.Compare(a[posG], b[posG]))
	})
	repeats, inDefault := false, false
	for i, q := range bySubject {
		inDefault = inDefault || q[posG] == 0
		repeats = repeats || i > 0 && q[posS] == bySubject[i-1][posS] && q[posO] == bySubject[i-1][posO]
	}
	size := int64(len(quads)) * hotQuadBytes
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ts != ts || c.preds[pred] != e {
		return // the cache moved on to a newer version meanwhile
	}
	e.byObject, e.bySubject, e.repeats, e.inDefault = quads, bySubject, repeats, inDefault
	c.used += size
	for c.used > c.budget {
		var victim hotKey
		var oldest *hotPred
		for p, x := range c.preds {
			if x != e && x.byObject != nil && (oldest == nil || x.last < oldest.last) {
				victim, oldest = p, x
			}
		}
		if oldest == nil {
			break
		}
		c.used -= int64(len(oldest.byObject)) * hotQuadBytes
		delete(c.preds, victim)
	}
}
