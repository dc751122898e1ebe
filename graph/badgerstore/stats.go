package badgerstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"

	"github.com/tessera-fair/tessera/graph"
)

// Stats returns exact statistics of the committed state. They are computed
// by key-only scans, SPOG (quads, per-graph and per-predicate counts,
// distinct subjects per predicate, as (S, P) runs are contiguous) and POSG
// (distinct objects per predicate and its frequent objects, as (P, O) runs
// are), run in parallel,
// plus the dictionary and graph registry; the result is cached until the
// next commit, so repeated calls are free and the first call after a commit
// costs one pass over the store.
func (s *Store) Stats(ctx context.Context) (*graph.Stats, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	ts := s.pinVisible()
	defer s.unpin(ts)
	if s.stats == nil || s.statsAt != ts {
		st, err := s.computeStats(ctx, ts)
		if err != nil {
			return nil, err
		}
		s.stats, s.statsAt = st, ts
	}
	return cloneStats(s.stats), nil
}

func cloneStats(st *graph.Stats) *graph.Stats {
	out := *st
	out.Graphs = maps.Clone(st.Graphs)
	out.Predicates = maps.Clone(st.Predicates)
	return &out
}

// countFromStats answers Count for the whole store or one whole graph from
// cached statistics of version ts.
func (s *Store) countFromStats(ts uint64, p graph.Pattern) (int64, bool) {
	if !p.S.IsZero() || !p.P.IsZero() || !p.O.IsZero() {
		return 0, false
	}
	if !s.statsMu.TryLock() {
		return 0, false
	}
	defer s.statsMu.Unlock()
	if s.stats == nil || s.statsAt != ts {
		return 0, false
	}
	if p.G.IsZero() {
		return s.stats.Quads, true
	}
	n, ok := s.stats.Graphs[p.G]
	return n, ok || p.G.IsDefaultGraph()
}

type predCounts struct{ quads, subjects int64 }

func (s *Store) computeStats(ctx context.Context, ts uint64) (*graph.Stats, error) {
	var (
		total   int64
		graphs  = map[uint64]int64{}
		preds   = map[uint64]*predCounts{}
		objects = map[uint64]int64{}
		// frequent holds, per predicate, the (P, O) runs of at least
		// graph.FrequentMin quads: object id → count.
		frequent = map[uint64]map[uint64]int64{}
		terms    int64
	)
	errc := make(chan error, 1)
	go func() {
		var run int64
		endRun := func(k []byte) {
			if run >= graph.FrequentMin {
				p := binary.BigEndian.Uint64(k[1:])
				if frequent[p] == nil {
					frequent[p] = map[uint64]int64{}
				}
				frequent[p][binary.BigEndian.Uint64(k[9:])] = run
			}
		}
		var last []byte
		err := s.scan(ctx, ts, pfxPOSG, func(k []byte, prev []byte) {
			if prev == nil || string(k[1:17]) != string(prev[1:17]) {
				if prev != nil {
					endRun(prev)
				}
				objects[binary.BigEndian.Uint64(k[1:])]++
				run = 0
			}
			run++
			last = append(last[:0], k...)
		})
		if len(last) > 0 {
			endRun(last)
		}
		errc <- err // after the last run is recorded: the receiver reads frequent
	}()
	err := s.scan(ctx, ts, pfxSPOG, func(k []byte, prev []byte) {
		total++
		p := binary.BigEndian.Uint64(k[9:])
		graphs[binary.BigEndian.Uint64(k[25:])]++
		pc := preds[p]
		if pc == nil {
			pc = &predCounts{}
			preds[p] = pc
		}
		pc.quads++
		if prev == nil || string(k[1:17]) != string(prev[1:17]) {
			pc.subjects++
		}
	})
	if err == nil {
		err = s.scan(ctx, ts, pfxDict, func([]byte, []byte) { terms++ })
	}
	if err == nil {
		err = s.scan(ctx, ts, pfxGraph, func(k []byte, _ []byte) {
			if g := binary.BigEndian.Uint64(k[1:]); graphs[g] == 0 {
				graphs[g] = 0 // an empty named graph
			}
		})
	}
	if oerr := <-errc; err == nil {
		err = oerr
	}
	if err != nil {
		return nil, fmt.Errorf("badgerstore: stats: %w", err)
	}
	st := &graph.Stats{
		Quads: total, Terms: terms, DiskBytes: s.diskBytes(),
		Graphs:     make(map[graph.Term]int64, len(graphs)),
		Predicates: make(map[graph.Term]graph.PredicateStats, len(preds)),
	}
	txn := s.db.NewTransactionAt(ts, false)
	defer txn.Discard()
	for id, n := range graphs {
		g, err := s.decode(txn, id)
		if err != nil {
			return nil, fmt.Errorf("badgerstore: stats: %w", err)
		}
		st.Graphs[g] = n
	}
	for id, pc := range preds {
		p, err := s.decode(txn, id)
		if err != nil {
			return nil, fmt.Errorf("badgerstore: stats: %w", err)
		}
		ps := graph.PredicateStats{Quads: pc.quads, Subjects: pc.subjects, Objects: objects[id]}
		if f := frequent[id]; len(f) > 0 {
			counts := make(map[graph.Term]int64, len(f))
			for oid, n := range f {
				o, err := s.decode(txn, oid)
				if err != nil {
					return nil, fmt.Errorf("badgerstore: stats: %w", err)
				}
				counts[o] = n
			}
			ps.FrequentObjects = graph.TopFrequent(counts)
		}
		st.Predicates[p] = ps
	}
	return st, nil
}

// scan calls fn for every key with prefix pfx at version ts, with the
// previous key (nil for the first).
func (s *Store) scan(ctx context.Context, ts uint64, pfx byte, fn func(k, prev []byte)) error {
	txn := s.db.NewTransactionAt(ts, false)
	defer txn.Discard()
	prefix := []byte{pfx}
	it := s.keyIterator(txn, prefix)
	defer it.Close()
	var cur, prev []byte
	n := 0
	for it.Seek(prefix); it.Valid(); it.Next() {
		if n++; n%ctxEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		cur = it.Item().KeyCopy(cur)
		fn(cur, prev)
		cur, prev = prev, cur
	}
	return nil
}

// diskBytes sums the space the store's files take (db.Size is refreshed by
// badger only once a minute). Badger preallocates its log files sparsely,
// so where the platform says, allocated blocks count, not apparent sizes.
func (s *Store) diskBytes() int64 {
	var n int64
	_ = filepath.WalkDir(s.dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += allocated(fi)
			}
		}
		return nil
	})
	return n
}
