// Package memstore is an in-memory graph.Store for tests and small tools.
//
// Every committed state is immutable: a write transaction builds a new state
// (copying the maps on first write) and Update swaps it in, so snapshots are
// free and isolated. Writes cost O(store size); use badgerstore for real data.
package memstore

import (
	"context"
	"fmt"
	"iter"
	"sync"

	"github.com/tessera-fair/tessera/graph"
)

// Store is an in-memory quad store.
type Store struct {
	mu     sync.Mutex // serialises writers
	cur    sync.Mutex // guards state
	state  *state
	closed bool
}

var _ graph.Store = (*Store)(nil)

type state struct {
	quads  map[graph.Quad]struct{}
	graphs map[graph.Term]struct{} // named graphs that exist

	// index lists the quads by each bound term, built on first use of a
	// committed (immutable) state, so a lookup scans only the quads sharing
	// its most selective bound term.
	indexOnce sync.Once
	index     [4]map[graph.Term][]graph.Quad // by S, P, O, G
}

// candidates returns the quads that can match p: the index list of its most
// selective bound position, or nil and false when nothing is bound.
func (st *state) candidates(p graph.Pattern) ([]graph.Quad, bool) {
	bound := [4]graph.Term{p.S, p.P, p.O, p.G}
	if bound == [4]graph.Term{} {
		return nil, false
	}
	st.indexOnce.Do(func() {
		for i := range st.index {
			st.index[i] = map[graph.Term][]graph.Quad{}
		}
		for q := range st.quads {
			for i, t := range [4]graph.Term{q.S, q.P, q.O, q.G} {
				st.index[i][t] = append(st.index[i][t], q)
			}
		}
	})
	var best []graph.Quad
	found := false
	for i, t := range bound {
		if t.IsZero() {
			continue
		}
		if l := st.index[i][t]; !found || len(l) < len(best) {
			best, found = l, true
		}
	}
	return best, true
}

// New returns an empty store.
func New() *Store {
	return &Store{state: &state{quads: map[graph.Quad]struct{}{}, graphs: map[graph.Term]struct{}{}}}
}

func (s *Store) load() (*state, error) {
	s.cur.Lock()
	defer s.cur.Unlock()
	if s.closed {
		return nil, graph.ErrClosed
	}
	return s.state, nil
}

// Snapshot returns the current state; it never changes.
func (s *Store) Snapshot(ctx context.Context) (graph.Snapshot, error) {
	st, err := s.load()
	if err != nil {
		return nil, err
	}
	return &snapshot{reader{st: st}}, nil
}

// Update runs fn against a private copy of the state and publishes it if fn
// returns nil.
func (s *Store) Update(ctx context.Context, fn func(graph.Tx) error) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.load()
	if err != nil {
		return err
	}
	tx := &tx{reader: reader{st: st}}
	defer func() {
		tx.done = true
		if r := recover(); r != nil {
			err = fmt.Errorf("memstore: update panicked: %v", r)
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.cur.Lock()
	s.state = tx.st
	s.cur.Unlock()
	return nil
}

// Stats counts the current state exactly.
func (s *Store) Stats(ctx context.Context) (*graph.Stats, error) {
	st, err := s.load()
	if err != nil {
		return nil, err
	}
	out := &graph.Stats{Graphs: map[graph.Term]int64{}, Predicates: map[graph.Term]graph.PredicateStats{}}
	terms := map[graph.Term]struct{}{}
	subj := map[graph.Term]map[graph.Term]struct{}{}
	obj := map[graph.Term]map[graph.Term]int64{}
	for q := range st.quads {
		out.Quads++
		out.Graphs[q.G]++
		ps := out.Predicates[q.P]
		ps.Quads++
		out.Predicates[q.P] = ps
		for _, t := range [...]graph.Term{q.S, q.P, q.O, q.G} {
			if !t.IsDefaultGraph() {
				terms[t] = struct{}{}
			}
		}
		if subj[q.P] == nil {
			subj[q.P], obj[q.P] = map[graph.Term]struct{}{}, map[graph.Term]int64{}
		}
		subj[q.P][q.S] = struct{}{}
		obj[q.P][q.O]++
	}
	for g := range st.graphs {
		if _, ok := out.Graphs[g]; !ok {
			out.Graphs[g] = 0
		}
	}
	for p, ps := range out.Predicates {
		ps.Subjects, ps.Objects = int64(len(subj[p])), int64(len(obj[p]))
		ps.FrequentObjects = graph.TopFrequent(obj[p])
		out.Predicates[p] = ps
	}
	out.Terms = int64(len(terms))
	return out, nil
}

// Close makes the store unusable.
func (s *Store) Close() error {
	s.cur.Lock()
	defer s.cur.Unlock()
	s.closed = true
	return nil
}

type reader struct {
	st *state
	// writable marks a transaction's private state, which changes under the
	// reader, so it is scanned rather than indexed.
	writable bool
}

func (r reader) Quads(ctx context.Context, p graph.Pattern) graph.Quads {
	st := r.st
	return func(yield func(graph.Quad, error) bool) {
		n := 0
		if !r.writable {
			if list, ok := st.candidates(p); ok {
				for _, q := range list {
					if n++; n%1024 == 0 && ctx.Err() != nil {
						yield(graph.Quad{}, ctx.Err())
						return
					}
					if p.Matches(q) && !yield(q, nil) {
						return
					}
				}
				return
			}
		}
		for q := range st.quads {
			if n++; n%1024 == 0 && ctx.Err() != nil {
				yield(graph.Quad{}, ctx.Err())
				return
			}
			if p.Matches(q) && !yield(q, nil) {
				return
			}
		}
	}
}

func (r reader) Count(ctx context.Context, p graph.Pattern) (int64, error) {
	var n int64
	for _, err := range r.Quads(ctx, p) {
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

func (r reader) Graphs(ctx context.Context) iter.Seq2[graph.Term, error] {
	st := r.st
	return func(yield func(graph.Term, error) bool) {
		for g := range st.graphs {
			if !yield(g, nil) {
				return
			}
		}
	}
}

func (r reader) HasGraph(ctx context.Context, g graph.Term) (bool, error) {
	if g.IsDefaultGraph() || g.IsZero() {
		return true, nil
	}
	_, ok := r.st.graphs[g]
	return ok, nil
}

type snapshot struct{ reader }

func (s *snapshot) Release() {}

type tx struct {
	reader
	copied bool
	done   bool
}

// write makes the transaction's private copy on first write.
func (t *tx) write() error {
	if t.done {
		return graph.ErrClosed
	}
	if t.copied {
		return nil
	}
	st := &state{quads: make(map[graph.Quad]struct{}, len(t.st.quads)), graphs: make(map[graph.Term]struct{}, len(t.st.graphs))}
	for q := range t.st.quads {
		st.quads[q] = struct{}{}
	}
	for g := range t.st.graphs {
		st.graphs[g] = struct{}{}
	}
	t.st, t.copied, t.writable = st, true, true
	return nil
}

func (t *tx) Add(q graph.Quad) error {
	q = q.Normalize()
	if !q.Valid() {
		return fmt.Errorf("add %v: %w", q, graph.ErrInvalidQuad)
	}
	if err := t.write(); err != nil {
		return err
	}
	t.st.quads[q] = struct{}{}
	if !q.G.IsDefaultGraph() {
		t.st.graphs[q.G] = struct{}{}
	}
	return nil
}

func (t *tx) Delete(q graph.Quad) error {
	if err := t.write(); err != nil {
		return err
	}
	delete(t.st.quads, q.Normalize())
	return nil
}

func (t *tx) CreateGraph(ctx context.Context, g graph.Term) error {
	if err := t.write(); err != nil {
		return err
	}
	if _, ok := t.st.graphs[g]; ok || g.IsDefaultGraph() {
		return fmt.Errorf("create %v: %w", g, graph.ErrGraphExists)
	}
	if !g.IsIRI() && !g.IsBlank() {
		return fmt.Errorf("create %v: %w", g, graph.ErrInvalidQuad)
	}
	t.st.graphs[g] = struct{}{}
	return nil
}

func (t *tx) ClearGraph(ctx context.Context, g graph.Term) error {
	if err := t.write(); err != nil {
		return err
	}
	if g.IsZero() {
		g = graph.DefaultGraph
	}
	for q := range t.st.quads {
		if q.G == g {
			delete(t.st.quads, q)
		}
	}
	return nil
}

func (t *tx) DropGraph(ctx context.Context, g graph.Term) error {
	if err := t.write(); err != nil {
		return err
	}
	if g.IsZero() || g.IsDefaultGraph() {
		return t.ClearGraph(ctx, graph.DefaultGraph)
	}
	if _, ok := t.st.graphs[g]; !ok {
		return fmt.Errorf("drop %v: %w", g, graph.ErrGraphNotFound)
	}
	delete(t.st.graphs, g)
	return t.ClearGraph(ctx, g)
}
