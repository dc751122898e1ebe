package badgerstore

import (
	"context"
	"iter"

	"github.com/tessera-fair/tessera/graph"
)

var _ graph.IDReader = reader{}

// hotSnapshot returns r's snapshot when the hot-predicate cache may serve
// it: a snapshot not yet released, with the cache on. Write transactions
// read badger.
func (r reader) hotSnapshot() (*snapshot, bool) {
	sn, ok := r.src.(*snapshot)
	return sn, ok && r.s.hot != nil && !sn.released.Load()
}

// QuadIDs streams the id quads matching p with one prefix scan, decoding
// nothing: the evaluator joins and groups on ids and asks TermOf only for
// the values it outputs or computes with.
func (r reader) QuadIDs(ctx context.Context, p graph.IDPattern) iter.Seq2[graph.IDQuad, error] {
	if sn, ok := r.hotSnapshot(); ok {
		if quads, ok := r.s.hot.quads(ctx, r, sn.ts, p); ok {
			return quads
		}
	}
	return func(yield func(graph.IDQuad, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(graph.IDQuad{}, err)
			return
		}
		txn, _, done, err := r.open()
		if err != nil {
			yield(graph.IDQuad{}, err)
			return
		}
		defer done()
		mask := 0
		for pos, b := range p.Bound {
			if b {
				mask |= 1 << pos
			}
		}
		err = r.s.scanIndex(ctx, txn, rangeFor(&p.IDs, mask), func(ids *[4]uint64) bool {
			return yield(graph.IDQuad(*ids), nil)
		})
		if err != nil {
			yield(graph.IDQuad{}, err)
		}
	}
}

// LookupID returns the id of t when the store holds t (inline terms always
// count as held). The default graph's id is 0.
func (r reader) LookupID(ctx context.Context, t graph.Term) (graph.ID, bool, error) {
	if id, ok := inlineID(t); ok {
		return id, true, nil
	}
	if err := ctx.Err(); err != nil {
		return 0, false, err
	}
	txn, ts, done, err := r.open()
	if err != nil {
		return 0, false, err
	}
	defer done()
	enc, key, check := r.s.termKey(t)
	_, snap := r.src.(*snapshot)
	if snap && r.s.absent.has(ts, key, check) {
		return 0, false, nil
	}
	id, ok, err := r.s.lookupKeyed(txn, enc, key, check)
	if snap && err == nil && !ok {
		r.s.absent.add(ts, key, check)
	}
	return id, ok, err
}

var _ graph.IntegerIDs = reader{}

// IntegerOfID reads an inline integer literal's value from its id.
func (reader) IntegerOfID(id graph.ID) (int64, string, bool) { return inlineInteger(id) }

// TermOf decodes id, from the decode cache when it can.
func (r reader) TermOf(ctx context.Context, id graph.ID) (graph.Term, error) {
	if !isHashed(id) {
		return decodeInline(id)
	}
	if t, ok := r.s.terms.get(id); ok {
		return t, nil
	}
	if err := ctx.Err(); err != nil {
		return graph.Term{}, err
	}
	txn, _, done, err := r.open()
	if err != nil {
		return graph.Term{}, err
	}
	defer done()
	return r.s.decode(txn, id)
}

var _ graph.SubjectOrderer = reader{}

// QuadIDsBySubject returns a predicate's quads (object bound or not) in
// subject order from the hot-predicate cache, loading it: a query that
// wants a whole predicate is what the cache is for. ok is false for other
// patterns, other readers than snapshots, or a predicate the cache does
// not hold. The slice is the cache's own, never modified: a later commit
// or eviction replaces entries, not their contents.
func (r reader) QuadIDsBySubject(ctx context.Context, p graph.IDPattern) (graph.SortedQuads, bool) {
	sn, ok := r.hotSnapshot()
	if !ok || !p.Bound[posP] || p.Bound[posS] {
		return graph.SortedQuads{}, false
	}
	quads, e, ok := r.s.hot.entry(ctx, r, sn.ts, p, true)
	if !ok || e == nil {
		return graph.SortedQuads{}, false
	}
	return graph.SortedQuads{Quads: quads, Repeats: e.repeats, InDefault: e.inDefault}, true
}
