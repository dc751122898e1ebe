package eval

import (
	"slices"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// pairs receives the (start, end) pairs of a path.
type pairs = func(x, y graph.Term) bool

// pathOp evaluates a Path pattern (§18.4 property path semantics): the
// ends bound by the input are used as start points.
func (e *evaluator) pathOp(op *algebra.Path, in row, g graph.Term) seq {
	return func(yield func(row) bool) {
		s, o := e.termValue(op.S, in), e.termValue(op.O, in)
		if s.IsLiteral() && !isZeroLengthCapable(op.Path) {
			return
		}
		strict := op.S.IsVar() && op.O.IsVar()
		e.path(op.Path, s, o, g, strict, func(x, y graph.Term) bool {
			r, copied := in, false
			bind := func(n algebra.Node, t graph.Term) bool {
				if !n.IsVar() {
					return true
				}
				v := e.dict.id(t)
				i := e.slots[n.Var]
				if r[i] != unbound {
					return r[i] == v
				}
				if !copied {
					r, copied = slices.Clone(in), true
				}
				r[i] = v
				return true
			}
			if !bind(op.S, x) || !bind(op.O, y) {
				return true
			}
			return yield(r)
		})
	}
}

func isZeroLengthCapable(p algebra.PathExpr) bool {
	switch p.(type) {
	case *algebra.ZeroOrMore, *algebra.ZeroOrOne:
		return true
	}
	return false
}

// path yields the pairs of p between s and o (zero Terms are unbound),
// with the multiset semantics of links, sequences and alternatives and the
// set semantics of *, + and ?.
//
// When strict, a zero-length path from a bound end exists only if the term
// is a node of the active graph: the end came from a variable, and the
// path alone would only match nodes of the graph (§18.4 ZeroLengthPath).
func (e *evaluator) path(p algebra.PathExpr, s, o graph.Term, g graph.Term, strict bool, yield pairs) bool {
	if !e.alive() {
		return false
	}
	switch p := p.(type) {
	case *algebra.Link:
		if s.IsLiteral() {
			return true
		}
		cont := true
		e.triples(graph.Pattern{S: s, P: p.IRI, O: o}, g)(func(q graph.Quad) bool {
			cont = yield(q.S, q.O)
			return cont
		})
		return cont && e.err == nil
	case *algebra.Inverse:
		return e.path(p.Path, o, s, g, strict, func(x, y graph.Term) bool { return yield(y, x) })
	case *algebra.Seq:
		if !s.IsZero() || o.IsZero() {
			return e.path(p.L, s, graph.Term{}, g, strict, func(x, m graph.Term) bool {
				return e.path(p.R, m, o, g, strict, func(_, y graph.Term) bool { return yield(x, y) })
			})
		}
		return e.path(p.R, graph.Term{}, o, g, strict, func(m, y graph.Term) bool {
			return e.path(p.L, graph.Term{}, m, g, strict, func(x, _ graph.Term) bool { return yield(x, y) })
		})
	case *algebra.Alt:
		return e.path(p.L, s, o, g, strict, yield) && e.path(p.R, s, o, g, strict, yield)
	case *algebra.NegatedSet:
		if len(p.Backward) > 0 {
			fwd := &algebra.NegatedSet{Forward: p.Forward}
			bwd := &algebra.Inverse{Path: &algebra.NegatedSet{Forward: p.Backward}}
			if len(p.Forward) == 0 {
				return e.path(bwd, s, o, g, strict, yield)
			}
			return e.path(&algebra.Alt{L: fwd, R: bwd}, s, o, g, strict, yield)
		}
		if s.IsLiteral() {
			return true
		}
		cont := true
		e.triples(graph.Pattern{S: s, O: o}, g)(func(q graph.Quad) bool {
			if slices.Contains(p.Forward, q.P) {
				return true
			}
			cont = yield(q.S, q.O)
			return cont
		})
		return cont && e.err == nil
	case *algebra.ZeroOrOne:
		seen := map[[2]graph.Term]bool{}
		var held int64
		defer func() { e.release(held) }()
		emit := func(x, y graph.Term) bool {
			k := [2]graph.Term{x, y}
			if seen[k] {
				return true
			}
			n := pathEntryBytes + int64(len(x.Value())+len(y.Value()))
			held += n
			if !e.reserve(n, "property path") {
				return false
			}
			seen[k] = true
			return yield(x, y)
		}
		if !e.zero(s, o, g, strict, emit) {
			return false
		}
		return e.path(p.Path, s, o, g, strict, emit)
	case *algebra.ZeroOrMore:
		return e.closure(p.Path, s, o, g, true, strict, yield)
	case *algebra.OneOrMore:
		return e.closure(p.Path, s, o, g, false, strict, yield)
	}
	return true
}

// zero yields the zero-length paths between s and o: every node of the
// active graph when both are unbound (§18.4, ZeroLengthPath).
func (e *evaluator) zero(s, o graph.Term, g graph.Term, strict bool, yield pairs) bool {
	if strict && !s.IsZero() && !e.inGraph(s, g) || strict && !o.IsZero() && !e.inGraph(o, g) {
		return true
	}
	switch {
	case !s.IsZero() && !o.IsZero():
		if s == o {
			return yield(s, o)
		}
		return true
	case !s.IsZero():
		return yield(s, s)
	case !o.IsZero():
		return yield(o, o)
	}
	nodes, held := e.nodes(g)
	defer e.release(held)
	for _, n := range nodes {
		if !yield(n, n) {
			return false
		}
	}
	return true
}

// nodes returns the subjects and objects of the active graph, each once,
// and the bytes reserved for them, which the caller releases when done
// with the list.
func (e *evaluator) nodes(g graph.Term) ([]graph.Term, int64) {
	seen := map[graph.Term]bool{}
	var out []graph.Term
	var held int64
	e.triples(graph.Pattern{}, g)(func(q graph.Quad) bool {
		for _, t := range [2]graph.Term{q.S, q.O} {
			if !seen[t] {
				n := 2*pathEntryBytes + int64(len(t.Value()))
				held += n
				if !e.reserve(n, "property path") {
					return false
				}
				seen[t] = true
				out = append(out, t)
			}
		}
		return true
	})
	return out, held
}

// pathEntryBytes is what a visited node or pair of a path search holds
// besides its text, roughly: map entry, term headers, frontier slot.
const pathEntryBytes = 2*termBytes + 48

// closure evaluates p* (withZero) or p+ by breadth-first search from the
// bound end, visiting each node once, so cycles terminate.
func (e *evaluator) closure(p algebra.PathExpr, s, o graph.Term, g graph.Term, withZero, strict bool, yield pairs) bool {
	switch {
	case !s.IsZero():
		if !o.IsZero() {
			found := false
			e.reach(p, s, g, withZero, strict, func(y graph.Term) bool {
				found = y == o
				return !found
			})
			if e.err != nil {
				return false
			}
			return !found || yield(s, o)
		}
		return e.reach(p, s, g, withZero, strict, func(y graph.Term) bool { return yield(s, y) })
	case !o.IsZero():
		return e.reach(&algebra.Inverse{Path: p}, o, g, withZero, strict, func(x graph.Term) bool {
			return yield(x, o)
		})
	}
	nodes, held := e.nodes(g)
	defer e.release(held)
	for _, n := range nodes {
		if !e.reach(p, n, g, withZero, strict, func(y graph.Term) bool { return yield(n, y) }) {
			return false
		}
	}
	return true
}

// reach yields every node reachable from start by one or more steps of p
// (zero or more when withZero), each once. It returns false if yield
// stopped it.
func (e *evaluator) reach(p algebra.PathExpr, start graph.Term, g graph.Term, withZero, strict bool, yield func(graph.Term) bool) bool {
	seen := map[graph.Term]bool{}
	var held int64
	defer func() { e.release(held) }()
	visit := func(y graph.Term) bool {
		n := pathEntryBytes + int64(len(y.Value()))
		held += n
		if !e.reserve(n, "property path") {
			return false
		}
		seen[y] = true
		return true
	}
	if withZero && (!strict || e.inGraph(start, g)) {
		seen[start] = true
		if !yield(start) {
			return false
		}
	}
	if nodes, ok := e.fastReach(p, start, g); ok {
		for _, y := range nodes {
			if seen[y] {
				continue
			}
			if !yield(y) {
				return false
			}
		}
		return e.err == nil
	}
	frontier := []graph.Term{start}
	for len(frontier) > 0 {
		var next []graph.Term
		for _, n := range frontier {
			if n.IsLiteral() {
				continue
			}
			stopped := false
			e.path(p, n, graph.Term{}, g, strict, func(_, y graph.Term) bool {
				if seen[y] {
					return true
				}
				if !visit(y) {
					stopped = true
					return false
				}
				next = append(next, y)
				if !yield(y) {
					stopped = true
					return false
				}
				return true
			})
			if stopped || e.err != nil {
				return false
			}
		}
		frontier = next
	}
	return true
}

// inGraph reports whether t is a subject or object of the active graph.
func (e *evaluator) inGraph(t graph.Term, g graph.Term) bool {
	pats := []graph.Pattern{{O: t}}
	if !t.IsLiteral() {
		pats = append(pats, graph.Pattern{S: t})
	}
	found := false
	for _, p := range pats {
		e.triples(p, g)(func(graph.Quad) bool {
			found = true
			return false
		})
		if found {
			return true
		}
	}
	return false
}
