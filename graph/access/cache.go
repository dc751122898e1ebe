package access

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tessera-fair/tessera/graph"
)

// Cache holds the current Policy of a store and reloads it after writes
// that can change it: to the system graph, or to a graph the policy does
// not know yet (a new graph must be listed). Current never blocks.
type Cache struct {
	store graph.Store
	opts  Options
	cur   atomic.Pointer[Policy]
	stale atomic.Bool
	kick  chan struct{}
	mu    sync.Mutex // serialises reloads

	// OnReload, when set before Run, is called after each reload.
	OnReload func(p *Policy, err error)
}

// NewCache returns a cache of the policy of s. Until the first Refresh,
// Current returns the policy of an empty system graph (everything
// Controlled but the vocabularies): closed, never open, by default.
func NewCache(s graph.Store, opts Options) *Cache {
	c := &Cache{store: s, opts: opts, kick: make(chan struct{}, 1)}
	c.cur.Store(&Policy{opts: opts.withDefaults(), graphs: map[graph.Term]*Graph{}})
	c.stale.Store(true)
	return c
}

// Current returns the current policy (never nil).
func (c *Cache) Current() *Policy { return c.cur.Load() }

// Invalidate tells the cache that graph g was written (the zero Term: some
// graph); it returns at once. Writes to graphs that cannot change the
// policy are ignored.
func (c *Cache) Invalidate(g graph.Term) {
	p := c.Current()
	if !g.IsZero() && g != p.SystemGraph() && p.Knows(g) {
		return
	}
	c.stale.Store(true)
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Refresh reloads the policy now if it is stale and reports whether it did.
func (c *Cache) Refresh(ctx context.Context) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.stale.Swap(false) {
		return false, nil
	}
	snap, err := c.store.Snapshot(ctx)
	if err != nil {
		c.stale.Store(true)
		return false, fmt.Errorf("access: snapshot: %w", err)
	}
	defer snap.Release()
	p, err := Load(ctx, snap, c.opts)
	if err != nil {
		c.stale.Store(true)
		return false, err
	}
	c.cur.Store(p)
	return true, nil
}

// Run reloads the policy at once and then after every Invalidate that
// matters and every poll interval (0: only on Invalidate), until ctx ends.
func (c *Cache) Run(ctx context.Context, poll time.Duration) {
	var tick <-chan time.Time
	if poll > 0 {
		t := time.NewTicker(poll)
		defer t.Stop()
		tick = t.C
	}
	for {
		done, err := c.Refresh(ctx)
		if (done || err != nil) && c.OnReload != nil {
			c.OnReload(c.Current(), err)
		}
		select {
		case <-ctx.Done():
			return
		case <-c.kick:
		case <-tick:
			c.stale.Store(true)
		}
	}
}
