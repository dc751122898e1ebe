package eval

import (
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"slices"
)

// tripleIDs streams the triples of the active graph g matching p (p.IDs[3]
// and p.Bound[3] are ignored) as ids; the graph position of what it yields
// is not meaningful. For the default graph of a dataset that merges several
// graphs, or the union of the named graphs, each triple is yielded once.
func (e *evaluator) tripleIDs(p graph.IDPattern, g graph.Term) func(yield func(graph.IDQuad) bool) {
	return func(yield func(graph.IDQuad) bool) {
		d := e.dict
		if !g.IsDefaultGraph() {
			p.IDs[3], p.Bound[3] = d.id(g), true
			d.scan(p, yield)
			return
		}
		switch {
		case len(e.ds.Default) == 0 && e.ds.EmptyDefault:
			return
		case len(e.ds.Default) == 1:
			p.IDs[3], p.Bound[3] = e.graphID(e.ds.Default[0]), true
			d.scan(p, yield)
		case len(e.ds.Default) > 1 || e.ds.UnionDefault:
			seen := map[[3]graph.ID]struct{}{}
			var held int64
			defer func() { e.release(held) }()
			emit := func(q graph.IDQuad) bool {
				k := [3]graph.ID{q[0], q[1], q[2]}
				if _, ok := seen[k]; ok {
					return true
				}
				held += idTripleBytes
				if !e.reserve(idTripleBytes, "union of graphs") {
					return false
				}
				seen[k] = struct{}{}
				return yield(q)
			}
			if len(e.ds.Default) > 0 {
				for _, dg := range e.ds.Default {
					p.IDs[3], p.Bound[3] = e.graphID(dg), true
					if !d.scan(p, emit) {
						return
					}
				}
				return
			}
			if e.named != nil {
				for _, dg := range e.ds.Named {
					p.IDs[3], p.Bound[3] = e.graphID(dg), true
					if !d.scan(p, emit) {
						return
					}
				}
				return
			}
			p.Bound[3] = false
			if d.ir != nil {
				// With the graph unbound a store's index scan yields the
				// copies of a triple in several graphs one after another
				// (graph.IDReader): repeats are dropped without a set.
				keep := e.unionFilter()
				d.scan(p, func(q graph.IDQuad) bool { return !keep(q) || yield(q) })
				return
			}
			d.scan(p, func(q graph.IDQuad) bool {
				if q[3] == d.defaultGraph && !e.ds.UnionIncludesDefault {
					return true
				}
				return emit(q)
			})
		default:
			p.IDs[3], p.Bound[3] = d.defaultGraph, true
			d.scan(p, yield)
		}
	}
}

// unionFilter returns the test one scan over all graphs passes its quads
// through to read the union default graph: the default graph's quads out
// unless the union includes them, and a triple in several graphs once —
// given that the scan yields a triple's copies one after another.
func (e *evaluator) unionFilter() func(graph.IDQuad) bool {
	var prev graph.IDQuad
	first := true
	return func(q graph.IDQuad) bool {
		if q[3] == e.dict.defaultGraph && !e.ds.UnionIncludesDefault ||
			!first && q[0] == prev[0] && q[1] == prev[1] && q[2] == prev[2] {
			return false
		}
		prev, first = q, false
		return true
	}
}

// idTripleBytes is what the duplicate check of a union holds per triple.
const idTripleBytes = 3*8 + 48

// graphID is the id of graph name g in scans.
func (e *evaluator) graphID(g graph.Term) graph.ID {
	if g.IsDefaultGraph() {
		return e.dict.defaultGraph
	}
	return e.dict.id(g)
}

// triples streams the triples of the active graph g matching p (p.G is
// ignored) as terms, for the operators that work on terms (property
// paths, entailment, DESCRIBE).
func (e *evaluator) triples(p graph.Pattern, g graph.Term) seq3 {
	return func(yield func(graph.Quad) bool) {
		d := e.dict
		var ip graph.IDPattern
		for i, t := range [3]graph.Term{p.S, p.P, p.O} {
			if !t.IsZero() {
				ip.IDs[i], ip.Bound[i] = d.id(t), true
			}
		}
		e.tripleIDs(ip, g)(func(q graph.IDQuad) bool {
			tq := graph.Quad{S: p.S, P: p.P, O: p.O}
			for i, t := range [3]*graph.Term{&tq.S, &tq.P, &tq.O} {
				if !ip.Bound[i] {
					*t = d.term(q[i])
				}
			}
			return e.err == nil && yield(tq)
		})
	}
}

type seq3 = func(yield func(graph.Quad) bool)

// bgp matches a basic graph pattern by index nested-loop join: at each
// step the pattern with the most bound positions under the current
// solution is looked up next.
//
// When ordered is set (the optimizer fixed the order from statistics) the
// patterns are matched in the order given instead.
//
// When its consumer is transient, one private row is extended in place
// and yielded for every match instead of a new row per match.
func (e *evaluator) bgp(b *algebra.BGP, ordered bool, in row, g graph.Term) seq {
	reuse := e.transient[b]
	return func(yield func(row) bool) {
		cts := e.compiledBGP(b)
		done := make([]bool, len(cts))
		if reuse {
			e.matchBGP(cts, ordered, done, len(cts), slices.Clone(in), g, true, yield)
			return
		}
		e.matchBGP(cts, ordered, done, len(cts), in, g, false, yield)
	}
}

// compiledBGP is compileBGP of b's triples, done once per query: a BGP on
// the right of a nested-loop join is evaluated once per left solution.
func (e *evaluator) compiledBGP(b *algebra.BGP) []idTriple {
	cts, ok := e.compiled[b]
	if !ok {
		cts = e.compileBGP(b.Triples)
		e.compiled[b] = cts
	}
	return cts
}

// idTriple is a triple pattern with each position resolved once per
// evaluation: a variable's row slot (slot ≥ 0), or a constant's id.
type idTriple struct {
	t    algebra.Triple
	slot [3]int
	id   [3]graph.ID
}

func (e *evaluator) compileBGP(ts []algebra.Triple) []idTriple {
	cts := make([]idTriple, len(ts))
	for i, t := range ts {
		ct := &cts[i]
		ct.t = t
		for j, n := range [3]algebra.Node{t.S, t.P, t.O} {
			if n.IsVar() {
				ct.slot[j] = e.slots[n.Var]
			} else {
				ct.slot[j], ct.id[j] = -1, e.dict.id(n.Term)
			}
		}
	}
	return cts
}

// at is the id of position j under r: its binding or its constant.
func (t *idTriple) at(j int, r row) graph.ID {
	if s := t.slot[j]; s >= 0 {
		return r[s]
	}
	return t.id[j]
}

// pattern is t under r: each position bound to its binding or constant,
// a wildcard where the variable is unbound.
func (t *idTriple) pattern(r row) graph.IDPattern {
	var p graph.IDPattern
	for j := range 3 {
		if id := t.at(j, r); id != unbound {
			p.IDs[j], p.Bound[j] = id, true
		}
	}
	return p
}

// termValue is the term n has under r.
func (e *evaluator) termValue(n algebra.Node, r row) graph.Term {
	if n.IsVar() {
		return e.dict.term(r[e.slots[n.Var]])
	}
	return n.Term
}

func (e *evaluator) matchBGP(ts []idTriple, ordered bool, done []bool, left int, r row, g graph.Term, inPlace bool, yield func(row) bool) bool {
	if left == 0 {
		return yield(r)
	}
	best, bestScore := -1, -1
	for i := range ts {
		if done[i] {
			continue
		}
		if ordered {
			best = i
			break
		}
		t := &ts[i]
		sc := 0
		if t.at(0, r) != unbound {
			sc += 4
		}
		if t.at(2, r) != unbound {
			sc += 2
		}
		if t.at(1, r) != unbound {
			sc++
		}
		if sc > bestScore {
			best, bestScore = i, sc
		}
	}
	t := &ts[best]
	done[best] = true
	defer func() { done[best] = false }()
	cont := true
	next := func(q graph.IDQuad) bool {
		nr := r
		var set [3]int
		n := 0
		if inPlace {
			var ok bool
			if n, ok = bindInPlace(t, q, r, &set); !ok {
				return true
			}
		} else {
			var ok bool
			if nr, ok = bindTriple(t, q, r); !ok {
				return true
			}
		}
		cont = e.matchBGP(ts, ordered, done, left-1, nr, g, inPlace, yield)
		for _, s := range set[:n] {
			r[s] = unbound
		}
		return cont
	}
	if e.ent != nil {
		s, p, o := e.termValue(t.t.S, r), e.termValue(t.t.P, r), e.termValue(t.t.O, r)
		if s.IsLiteral() || (!p.IsZero() && !p.IsIRI()) {
			return true
		}
		e.entailed(graph.Pattern{S: s, P: p, O: o}, g)(func(q graph.Quad) bool {
			return next(graph.IDQuad{e.dict.id(q.S), e.dict.id(q.P), e.dict.id(q.O)})
		})
		return cont && e.err == nil
	}
	p := t.pattern(r)
	e.tripleIDs(p, g)(next)
	return cont && e.err == nil
}

// bindInPlace is bindTriple writing into r: it sets the unbound slots of
// t's variables to q's ids and reports them in set (n of them), or
// changes nothing and reports false when q does not match.
func bindInPlace(t *idTriple, q graph.IDQuad, r row, set *[3]int) (n int, ok bool) {
	for i, s := range t.slot {
		switch {
		case s < 0:
		case r[s] == unbound:
			r[s] = q[i]
			set[n] = s
			n++
		case r[s] != q[i]:
			for _, s := range set[:n] {
				r[s] = unbound
			}
			return 0, false
		}
	}
	return n, true
}

// bindTriple extends r with the variables of t matched by q, checking
// repeated variables.
func bindTriple(t *idTriple, q graph.IDQuad, r row) (row, bool) {
	var nr row
	for i, s := range t.slot {
		if s < 0 {
			continue
		}
		cur := r[s]
		if nr != nil {
			cur = nr[s]
		}
		if cur != unbound {
			if cur != q[i] {
				return nil, false
			}
			continue
		}
		if nr == nil {
			nr = make(row, len(r))
			copy(nr, r)
		}
		nr[s] = q[i]
	}
	if nr == nil {
		return r, true
	}
	return nr, true
}
