package ontology

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tessera-fair/tessera/graph"
)

// Cache holds the current Ontology of some graphs of a store and rebuilds
// it when they change. Readers call Current, which never blocks: it
// returns the last snapshot built, swapped in atomically.
//
// Change detection has two paths. Writers that know they touched a graph
// call Invalidate (exact: the web and load paths should, after commit).
// Refresh, run by Run on a timer, also compares a cheap fingerprint — the
// quad count of each ontology graph — with the one the snapshot was built
// from, to catch writers that do not notify; a change that keeps every
// count the same is only seen through Invalidate.
type Cache struct {
	store  graph.Store
	graphs []graph.Term
	opts   Options

	cur   atomic.Pointer[cached]
	dirty atomic.Bool
	kick  chan struct{}
	mu    sync.Mutex // serialises rebuilds
	// OnRebuild, when set before Run, is called after each rebuild.
	OnRebuild func(o *Ontology, err error)
}

type cached struct {
	o     *Ontology
	print []int64
}

// NewCache returns a cache of the ontology of graphs in s. It holds no
// real snapshot until Refresh or Run builds one; Current returns an empty
// Ontology until then.
func NewCache(s graph.Store, graphs []graph.Term, opts Options) *Cache {
	c := &Cache{store: s, graphs: slices.Clone(graphs), opts: opts, kick: make(chan struct{}, 1)}
	c.dirty.Store(true)
	c.cur.Store(&cached{o: (&builder{ids: map[graph.Term]int32{}}).finish(graphs, nil)})
	return c
}

// Current returns the current snapshot (never nil).
func (c *Cache) Current() *Ontology {
	return c.cur.Load().o
}

// Invalidate marks the snapshot stale because g was written; it returns at
// once and Run rebuilds soon after. Graphs the cache does not read are
// ignored; the zero Term means "some graph".
func (c *Cache) Invalidate(g graph.Term) {
	if !g.IsZero() && !slices.Contains(c.graphs, g) {
		return
	}
	c.dirty.Store(true)
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Refresh rebuilds the snapshot now if it is stale (invalidated, or the
// fingerprint changed) and reports whether it did.
func (c *Cache) Refresh(ctx context.Context) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	snap, err := c.store.Snapshot(ctx)
	if err != nil {
		return false, fmt.Errorf("refresh ontology: %w", err)
	}
	defer snap.Release()
	fp, err := fingerprint(ctx, snap, c.graphs)
	if err != nil {
		return false, err
	}
	old := c.cur.Load()
	wasDirty := c.dirty.Swap(false)
	if !wasDirty && slices.Equal(old.print, fp) {
		return false, nil
	}
	o, err := BuildWith(ctx, snap, c.graphs, c.opts)
	if err != nil {
		c.dirty.Store(true)
		return false, err
	}
	c.cur.Store(&cached{o: o, print: fp})
	return true, nil
}

// Run refreshes the snapshot at once, then whenever Invalidate is called
// and every poll interval (0: only on Invalidate), until ctx ends. Build
// errors go to OnRebuild and are retried at the next tick.
func (c *Cache) Run(ctx context.Context, poll time.Duration) {
	var tick <-chan time.Time
	if poll > 0 {
		t := time.NewTicker(poll)
		defer t.Stop()
		tick = t.C
	}
	for {
		did, err := c.Refresh(ctx)
		if (did || err != nil) && c.OnRebuild != nil {
			c.OnRebuild(c.Current(), err)
		}
		select {
		case <-ctx.Done():
			return
		case <-c.kick:
		case <-tick:
		}
	}
}

// fingerprint is the quad count of each graph.
func fingerprint(ctx context.Context, r graph.Reader, graphs []graph.Term) ([]int64, error) {
	fp := make([]int64, len(graphs))
	for i, g := range graphs {
		n, err := r.Count(ctx, graph.Pattern{G: g})
		if err != nil {
			return nil, fmt.Errorf("refresh ontology: count %s: %w", g, err)
		}
		fp[i] = n
	}
	return fp, nil
}
