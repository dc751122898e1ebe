package eval

import (
	"fmt"

	"github.com/tessera-fair/tessera/graph"
)

// Solutions hold term ids, not terms (row): joins, grouping, DISTINCT and
// hash tables compare and hash 8-byte ids, and a term is decoded only when
// an expression, ORDER BY or the output needs it. This is what lets a GROUP
// BY over every study of a catalogue run at scan speed.
//
// The ids are the store's (graph.IDReader) where it has them. A term the
// store does not hold — a BIND result, an aggregate, a constant of the
// query — gets a local id from the range stores never issue
// (graph.LocalIDTag), interned per query, so within one query two ids are
// equal exactly when their terms are: a computed term equal to a stored
// one takes the stored id (LookupID), never a second one. Over a reader
// without ids (memory stores, filtering views) every term is local and
// scans intern what they read.

// unbound is the id of an unbound variable in a row. Store ids of terms a
// variable can bind are never 0 (a store may use 0 for the default graph,
// which no variable binds).
const unbound graph.ID = 0

// localBase is the first local id.
const localBase = graph.ID(graph.LocalIDTag) << 56

// dict maps terms to ids and back for one query.
type dict struct {
	e *evaluator
	// ir is the reader's id interface, nil when it has none.
	ir graph.IDReader
	// ids caches the id of every term looked up or interned.
	ids map[graph.Term]graph.ID
	// local holds the terms of local ids, by id - localBase.
	local []graph.Term
	// defaultGraph is the id of graph.DefaultGraph in scans.
	defaultGraph graph.ID
	// recent caches the terms decoded: an aggregate or filter reads the
	// same few thousand values (ages, counts, dates, codes) over and over,
	// and a store decodes an inline number into a new string each time.
	recent *idCache[graph.Term]
	// ints is the reader's inline integers, nil when it has none.
	ints graph.IntegerIDs
}

// recentMax bounds dict.recent, in slots (64 bytes each).
const recentMax = 16384

func newDict(e *evaluator, r graph.Reader) *dict {
	d := &dict{e: e, ids: map[graph.Term]graph.ID{}}
	if ir, ok := r.(graph.IDReader); ok {
		d.ir = ir
		d.ints, _ = r.(graph.IntegerIDs)
		id, ok, err := ir.LookupID(e.ctx, graph.DefaultGraph)
		if err != nil || !ok {
			// A store without an id for the default graph cannot take part.
			d.ir = nil
		} else {
			d.defaultGraph = id
			return d
		}
	}
	d.defaultGraph = d.intern(graph.DefaultGraph)
	return d
}

// intern gives t a local id.
func (d *dict) intern(t graph.Term) graph.ID {
	if id, ok := d.ids[t]; ok {
		return id
	}
	id := localBase + graph.ID(len(d.local))
	d.local = append(d.local, t)
	d.ids[t] = id
	return id
}

// id returns the id of t in this query (unbound for the zero Term).
func (d *dict) id(t graph.Term) graph.ID {
	if t.IsZero() {
		return unbound
	}
	if id, ok := d.ids[t]; ok {
		return id
	}
	if d.ir == nil {
		return d.intern(t)
	}
	id, ok, err := d.ir.LookupID(d.e.ctx, t)
	if err != nil {
		d.e.fail(fmt.Errorf("look up %s: %w", t, err))
		return d.intern(t)
	}
	if !ok {
		return d.intern(t)
	}
	if len(d.ids) < maxCachedIDs {
		d.ids[t] = id
	}
	return id
}

// maxCachedIDs bounds the cache of store ids looked up by term (local ids
// are always kept: they are the only record of their term).
const maxCachedIDs = 1 << 16

// term returns the term of id (the zero Term for unbound).
func (d *dict) term(id graph.ID) graph.Term {
	if id == unbound {
		return graph.Term{}
	}
	if graph.IsLocalID(id) {
		if i := id - localBase; i < graph.ID(len(d.local)) {
			return d.local[i]
		}
		d.e.fail(fmt.Errorf("eval: unknown local term id %016x", id))
		return graph.Term{}
	}
	if d.ir == nil {
		d.e.fail(fmt.Errorf("eval: store term id %016x over a reader without ids", id))
		return graph.Term{}
	}
	if d.recent == nil {
		d.recent = newIDCache[graph.Term](recentMax)
	}
	if t, ok := d.recent.get(id); ok {
		return t
	}
	t, err := d.ir.TermOf(d.e.ctx, id)
	if err != nil {
		d.e.fail(fmt.Errorf("decode term: %w", err))
		return graph.Term{}
	}
	d.recent.put(id, t)
	return t
}

// integer returns the value of an integer literal whose id carries it
// inline (graph.IntegerIDs), without decoding a term; false for any
// other id, and for a value outside its datatype's range (ill-typed).
func (d *dict) integer(id graph.ID) (int64, bool) {
	if d.ints == nil || graph.IsLocalID(id) {
		return 0, false
	}
	v, dt, ok := d.ints.IntegerOfID(id)
	if !ok || (dt != graph.XSDInteger && !int64InRange(dt, v)) {
		return 0, false
	}
	return v, true
}

// scan streams the id quads matching p from the reader; it returns false
// when the consumer stopped or an error ended the scan.
func (d *dict) scan(p graph.IDPattern, yield func(graph.IDQuad) bool) bool {
	e := d.e
	if d.ir != nil {
		for i, b := range p.Bound {
			if b && graph.IsLocalID(p.IDs[i]) {
				return e.err == nil // a term the store does not hold
			}
		}
		for q, err := range d.ir.QuadIDs(e.ctx, p) {
			if err != nil {
				e.fail(fmt.Errorf("read: %w", err))
				return false
			}
			if !e.alive() || !yield(q) {
				return false
			}
		}
		return e.err == nil
	}
	var tp graph.Pattern
	for i, t := range [4]*graph.Term{&tp.S, &tp.P, &tp.O, &tp.G} {
		if p.Bound[i] {
			*t = d.term(p.IDs[i])
		}
	}
	for q, err := range e.r.Quads(e.ctx, tp) {
		if err != nil {
			e.fail(fmt.Errorf("read %v: %w", tp, err))
			return false
		}
		iq := graph.IDQuad{d.intern(q.S), d.intern(q.P), d.intern(q.O), d.defaultGraph}
		if !q.G.IsZero() && !q.G.IsDefaultGraph() {
			iq[3] = d.intern(q.G)
		}
		if !e.alive() || !yield(iq) {
			return false
		}
	}
	return e.err == nil
}
