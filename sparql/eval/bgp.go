package eval

import (
	"fmt"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// triples streams the triples of the active graph g matching p (p.G is
// ignored). For the default graph of a dataset that merges several graphs,
// or the union of the named graphs, each triple is yielded once.
func (e *evaluator) triples(p graph.Pattern, g graph.Term) seq3 {
	return func(yield func(graph.Quad) bool) {
		if !g.IsDefaultGraph() {
			p.G = g
			e.scan(p, yield)
			return
		}
		switch {
		case len(e.ds.Default) == 0 && e.ds.EmptyDefault:
			return
		case len(e.ds.Default) == 1:
			p.G = e.ds.Default[0]
			e.scan(p, yield)
		case len(e.ds.Default) > 1 || e.ds.UnionDefault:
			seen := map[graph.Quad]struct{}{}
			var held int64
			defer func() { e.release(held) }()
			emit := func(q graph.Quad) bool {
				q.G = graph.Term{}
				if _, ok := seen[q]; ok {
					return true
				}
				n := rowOverhead + 4*termBytes + int64(len(q.S.Value())+len(q.P.Value())+len(q.O.Value()))
				held += n
				if !e.reserve(n, "union of graphs") {
					return false
				}
				seen[q] = struct{}{}
				return yield(q)
			}
			if len(e.ds.Default) > 0 {
				for _, dg := range e.ds.Default {
					p.G = dg
					if !e.scan(p, emit) {
						return
					}
				}
				return
			}
			if e.named != nil {
				for _, dg := range e.ds.Named {
					p.G = dg
					if !e.scan(p, emit) {
						return
					}
				}
				return
			}
			p.G = graph.Term{}
			e.scan(p, func(q graph.Quad) bool {
				if q.G.IsDefaultGraph() || q.G.IsZero() {
					return true
				}
				return emit(q)
			})
		default:
			p.G = graph.DefaultGraph
			e.scan(p, yield)
		}
	}
}

type seq3 = func(yield func(graph.Quad) bool)

// scan reads the store; it returns false when the consumer stopped or an
// error ended the scan.
func (e *evaluator) scan(p graph.Pattern, yield func(graph.Quad) bool) bool {
	for q, err := range e.r.Quads(e.ctx, p) {
		if err != nil {
			e.fail(fmt.Errorf("read %v: %w", p, err))
			return false
		}
		if !e.alive() || !yield(q) {
			return false
		}
	}
	return e.err == nil
}

// bgp matches a basic graph pattern by index nested-loop join: at each
// step the pattern with the most bound positions under the current
// solution is looked up next.
//
// When ordered is set (the optimizer fixed the order from statistics) the
// patterns are matched in the order given instead.
func (e *evaluator) bgp(ts []algebra.Triple, ordered bool, in row, g graph.Term) seq {
	return func(yield func(row) bool) {
		done := make([]bool, len(ts))
		e.matchBGP(ts, ordered, done, len(ts), in, g, yield)
	}
}

func (e *evaluator) value(n algebra.Node, r row) graph.Term {
	if n.IsVar() {
		return r[e.slots[n.Var]]
	}
	return n.Term
}

func (e *evaluator) matchBGP(ts []algebra.Triple, ordered bool, done []bool, left int, r row, g graph.Term, yield func(row) bool) bool {
	if left == 0 {
		return yield(r)
	}
	best, bestScore := -1, -1
	for i, t := range ts {
		if done[i] {
			continue
		}
		if ordered {
			best = i
			break
		}
		sc := 0
		if !e.value(t.S, r).IsZero() {
			sc += 4
		}
		if !e.value(t.O, r).IsZero() {
			sc += 2
		}
		if !e.value(t.P, r).IsZero() {
			sc++
		}
		if sc > bestScore {
			best, bestScore = i, sc
		}
	}
	t := ts[best]
	s, p, o := e.value(t.S, r), e.value(t.P, r), e.value(t.O, r)
	if s.IsLiteral() || (!p.IsZero() && !p.IsIRI()) {
		return true
	}
	done[best] = true
	defer func() { done[best] = false }()
	cont := true
	e.match(graph.Pattern{S: s, P: p, O: o}, g)(func(q graph.Quad) bool {
		nr, ok := e.bindTriple(t, q, r)
		if !ok {
			return true
		}
		if !e.matchBGP(ts, ordered, done, left-1, nr, g, yield) {
			cont = false
			return false
		}
		return true
	})
	return cont && e.err == nil
}

// bindTriple extends r with the variables of t matched by q, checking
// repeated variables.
func (e *evaluator) bindTriple(t algebra.Triple, q graph.Quad, r row) (row, bool) {
	var nr row
	for _, pair := range [3]struct {
		n algebra.Node
		v graph.Term
	}{{t.S, q.S}, {t.P, q.P}, {t.O, q.O}} {
		if !pair.n.IsVar() {
			continue
		}
		s := e.slots[pair.n.Var]
		cur := r[s]
		if nr != nil {
			cur = nr[s]
		}
		if !cur.IsZero() {
			if cur != pair.v {
				return nil, false
			}
			continue
		}
		if nr == nil {
			nr = make(row, len(r))
			copy(nr, r)
		}
		nr[s] = pair.v
	}
	if nr == nil {
		return r, true
	}
	return nr, true
}
