package discovery

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/ontology"
)

// SourceOptions configure a Source. The zero value works: no ontology, the
// default (closed) access policy, a 200 ms debounce.
type SourceOptions struct {
	// Ontology returns the current ontology snapshot (ontology.Cache's
	// Current); nil means none. When it returns a new snapshot the index
	// is rebuilt in full.
	Ontology func() *ontology.Ontology
	// Policy returns the current access policy (access.Cache's Current);
	// nil means the default policy. A new policy is swapped in without a
	// rebuild.
	Policy func() *access.Policy
	// Index configures the indexes built.
	Index Options
	// Debounce is how long Run waits after a write for more writes before
	// refreshing (default 200 ms).
	Debounce time.Duration
	// OnRefresh, when set, is called after each refresh attempt.
	OnRefresh func(ix *Index, err error)
}

// Source holds the current Index of a store and keeps it up to date:
// OnWrite records the graphs written, Run refreshes their parts shortly
// after (debounced), and Current swaps in a new policy or asks for a full
// rebuild when the ontology changed. Readers never block.
type Source struct {
	store graph.Store
	opts  SourceOptions
	cur   atomic.Pointer[Index]
	kick  chan struct{}

	mu      sync.Mutex // guards pending and all
	pending map[graph.Term]bool
	all     bool
	refresh sync.Mutex // serialises refreshes
}

// NewSource returns a source over s. Its index is empty until Refresh or
// Run builds one.
func NewSource(s graph.Store, opts SourceOptions) *Source {
	if opts.Debounce <= 0 {
		opts.Debounce = 200 * time.Millisecond
	}
	src := &Source{store: s, opts: opts, kick: make(chan struct{}, 1), all: true, pending: map[graph.Term]bool{}}
	src.cur.Store(Empty(src.ontology(), src.policy(), opts.Index))
	return src
}

func (s *Source) ontology() *ontology.Ontology {
	if s.opts.Ontology != nil {
		if o := s.opts.Ontology(); o != nil {
			return o
		}
	}
	return emptyOntology()
}

func (s *Source) policy() *access.Policy {
	if s.opts.Policy != nil {
		return s.opts.Policy()
	}
	return nil
}

// Current returns the current index (never nil), with the current policy.
func (s *Source) Current() *Index {
	ix := s.cur.Load()
	if p := s.policy(); p != ix.pol {
		nix := ix.WithPolicy(p)
		if s.cur.CompareAndSwap(ix, nix) {
			ix = nix
		} else {
			ix = s.cur.Load()
		}
	}
	if s.ontology() != ix.ont {
		s.invalidate(graph.Term{}) // the ontology changed: rebuild soon
	}
	return ix
}

// OnWrite tells the source that graph g was written (the zero Term: some
// graph, or unknown); it returns at once. Its signature fits
// web.Options.OnWrite.
func (s *Source) OnWrite(g graph.Term) { s.invalidate(g) }

func (s *Source) invalidate(g graph.Term) {
	s.mu.Lock()
	if g.IsZero() {
		s.all = true
	} else {
		s.pending[g] = true
	}
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Refresh brings the index up to date now: a full build the first time,
// after an unknown write or an ontology change, otherwise a rebuild of the
// parts of the graphs written since. It reports whether anything was
// rebuilt.
func (s *Source) Refresh(ctx context.Context) (bool, error) {
	s.refresh.Lock()
	defer s.refresh.Unlock()
	s.mu.Lock()
	all, pending := s.all, s.pending
	s.all, s.pending = false, map[graph.Term]bool{}
	s.mu.Unlock()
	ix := s.cur.Load()
	ont := s.ontology()
	if ont != ix.ont {
		all = true
	}
	if !all && len(pending) == 0 {
		return false, nil
	}
	requeue := func() {
		s.mu.Lock()
		s.all = s.all || all
		for g := range pending {
			s.pending[g] = true
		}
		s.mu.Unlock()
	}
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		requeue()
		return false, fmt.Errorf("discovery: snapshot: %w", err)
	}
	defer snap.Release()
	var nix *Index
	if all {
		nix, err = Build(ctx, snap, ont, s.policy(), s.opts.Index)
	} else {
		nix = ix
		for g := range pending {
			if nix, err = nix.Refresh(ctx, snap, g); err != nil {
				break
			}
		}
	}
	if err != nil {
		requeue()
		return false, err
	}
	s.cur.Store(nix.WithPolicy(s.policy()))
	return true, nil
}

// Run builds the index at once, then refreshes it after writes (waiting
// Debounce for more writes first) until ctx ends. Errors go to OnRefresh
// and are retried after the next write or after a second.
func (s *Source) Run(ctx context.Context) {
	for {
		done, err := s.Refresh(ctx)
		if (done || err != nil) && s.opts.OnRefresh != nil {
			s.opts.OnRefresh(s.cur.Load(), err)
		}
		var retry <-chan time.Time
		if err != nil {
			retry = time.After(time.Second)
		}
		select {
		case <-ctx.Done():
			return
		case <-retry:
			continue
		case <-s.kick:
		}
		select { // debounce: let a burst of writes finish
		case <-ctx.Done():
			return
		case <-time.After(s.opts.Debounce):
		}
	}
}
