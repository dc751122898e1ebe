package optimizer

import (
	"math"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/ast"
)

// Fallbacks when the catalog knows nothing.
const (
	unknownCard   = 1000.0 // a pattern nobody could count
	pathCard      = 1000.0 // a property path with no predicate to count
	serviceCard   = 1000.0
	filterSel     = 0.33 // a condition of unknown selectivity
	equalitySel   = 0.05 // ?x = constant
	groupFraction = 0.1  // groups per input solution of a GROUP BY
)

func (o *opt) note(err error) {
	if err != nil && o.tr.Err == nil {
		o.tr.Err = err
	}
}

// card estimates the number of quads matching p (G ignored).
func (o *opt) card(p graph.Pattern) float64 {
	p.G = o.graph
	if c, ok := o.cards[p]; ok {
		return c
	}
	if o.cards == nil {
		o.cards = map[graph.Pattern]float64{}
	}
	c := o.statsCard(p)
	if o.cat != nil {
		n, ok, err := o.cat.Count(o.ctx, p)
		o.note(err)
		if ok && err == nil {
			c = float64(n)
		}
	}
	o.cards[p] = c
	return c
}

// statsCard estimates p from the statistics alone. A pattern in one named
// graph is scaled by that graph's share of the store's quads (the
// statistics are per predicate over all graphs).
func (o *opt) statsCard(p graph.Pattern) float64 {
	st := o.stats
	if st == nil {
		return unknownCard
	}
	if !p.G.IsZero() {
		share := 0.0
		if st.Quads > 0 {
			share = float64(st.Graphs[p.G]) / float64(st.Quads)
		}
		p.G = graph.Term{}
		return o.statsCard(p) * share
	}
	if !p.P.IsZero() {
		ps, ok := st.Predicates[p.P]
		if !ok {
			return 0
		}
		q := float64(ps.Quads)
		switch {
		case !p.S.IsZero() && !p.O.IsZero():
			return math.Min(q, 1)
		case !p.S.IsZero():
			return q / math.Max(1, float64(ps.Subjects))
		case !p.O.IsZero():
			if n, ok := ps.FrequentObjects[p.O]; ok {
				return float64(n)
			}
			// The other objects share what the frequent ones leave.
			objs := float64(ps.Objects)
			for _, n := range ps.FrequentObjects {
				q -= float64(n)
				objs--
			}
			return math.Max(0, q) / math.Max(1, objs)
		}
		return q
	}
	q := float64(st.Quads)
	switch {
	case !p.S.IsZero() && !p.O.IsZero():
		return math.Min(q, float64(len(st.Predicates)))
	case !p.S.IsZero():
		return q / o.distinct(true)
	case !p.O.IsZero():
		return q / o.distinct(false)
	}
	return q
}

// distinct estimates the number of distinct subjects (or objects) of the
// store: at least the largest count of any predicate.
func (o *opt) distinct(subjects bool) float64 {
	best := 1.0
	if o.stats == nil {
		return best
	}
	for _, ps := range o.stats.Predicates {
		n := ps.Objects
		if subjects {
			n = ps.Subjects
		}
		best = math.Max(best, float64(n))
	}
	return best
}

// tripleEst estimates the solutions of t for one input solution in which
// the variables of bound are bound.
func (o *opt) tripleEst(t algebra.Triple, bound map[string]bool) float64 {
	konst := func(n algebra.Node) graph.Term {
		if n.IsVar() {
			return graph.Term{}
		}
		return n.Term
	}
	p := graph.Pattern{S: konst(t.S), P: konst(t.P), O: konst(t.O)}
	if p.S.IsLiteral() || (!p.P.IsZero() && !p.P.IsIRI()) {
		return 0
	}
	c := o.card(p)
	sb := t.S.IsVar() && bound[t.S.Var]
	ob := t.O.IsVar() && bound[t.O.Var]
	pb := t.P.IsVar() && bound[t.P.Var]
	if !sb && !ob && !pb {
		return c
	}
	if o.stats == nil {
		// No statistics (a small test store): assume a few values per
		// subject and more per object.
		switch {
		case sb && ob:
			return math.Min(c, 1)
		case sb:
			return math.Min(c, 2)
		case ob:
			return math.Min(c, 5)
		}
		return math.Min(c, 10)
	}
	if !p.P.IsZero() {
		ps := o.stats.Predicates[p.P]
		if sb && p.S.IsZero() {
			c /= math.Max(1, float64(ps.Subjects))
		}
		if ob && p.O.IsZero() {
			c /= math.Max(1, float64(ps.Objects))
		}
		return c
	}
	if sb {
		c /= o.distinct(true)
	}
	if ob {
		c /= o.distinct(false)
	}
	if pb {
		c /= math.Max(1, float64(len(o.stats.Predicates)))
	}
	return c
}

// selectivity estimates the fraction of solutions a condition keeps.
func selectivity(e algebra.Expr) float64 {
	if b, ok := e.(*algebra.Binary); ok && b.Op == ast.OpEq {
		_, xc := b.X.(*algebra.Const)
		_, yc := b.Y.(*algebra.Const)
		if xc || yc {
			return equalitySel
		}
	}
	return filterSel
}

// estimate estimates the solutions of op for one input solution binding
// the variables of bound.
func (o *opt) estimate(op algebra.Op, bound map[string]bool) float64 {
	switch op := op.(type) {
	case *algebra.BGP:
		steps := make([]step, len(op.Triples))
		for i := range op.Triples {
			steps[i] = o.tripleStep(op.Triples[i])
		}
		_, rows := o.order(steps, bound, nil)
		return rows
	case *algebra.Join:
		steps := o.flatten(op, nil)
		_, rows := o.order(steps, bound, nil)
		return rows
	case *algebra.Path:
		return o.pathEst(op.Path)
	case *algebra.LeftJoin:
		l := o.estimate(op.L, bound)
		r := o.estimate(op.R, union(bound, algebra.CertainVars(op.L)))
		return l * math.Max(1, r)
	case *algebra.Filter:
		rows := o.estimate(op.Input, bound)
		for _, e := range op.Exprs {
			rows *= selectivity(e)
		}
		return rows
	case *algebra.Union:
		return o.estimate(op.L, bound) + o.estimate(op.R, bound)
	case *algebra.Minus:
		return o.estimate(op.L, bound)
	case *algebra.Graph:
		b := bound
		if op.Name.IsVar() {
			b = union(bound, map[string]bool{op.Name.Var: true})
		}
		var rows float64
		o.inGraph(op.Name, func() { rows = o.estimate(op.Input, b) })
		return rows
	case *algebra.Extend:
		return o.estimate(op.Input, bound)
	case *algebra.Group:
		if len(op.Keys) == 0 {
			return 1
		}
		for _, k := range op.Keys {
			if bound[k.Var] {
				return 1 // a join on a group key: one group per value
			}
		}
		return math.Max(1, o.estimate(op.Input, nil)*groupFraction)
	case *algebra.Table:
		return float64(len(op.Rows))
	case *algebra.OrderBy:
		return o.subQueryEst(op.Input, bound)
	case *algebra.Project:
		in := map[string]bool{}
		for _, v := range op.Vars {
			if bound[v] {
				in[v] = true
			}
		}
		return o.subQueryEst(op.Input, in)
	case *algebra.Distinct:
		return o.subQueryEst(op.Input, bound)
	case *algebra.Reduced:
		return o.subQueryEst(op.Input, bound)
	case *algebra.Slice:
		rows := math.Max(0, o.estimate(op.Input, nil)-float64(op.Offset))
		if op.Limit >= 0 {
			rows = math.Min(rows, float64(op.Limit))
		}
		return rows
	case *algebra.ToMultiSet:
		return o.subQueryEst(op.Input, bound)
	case *algebra.Service:
		return serviceCard
	}
	return unknownCard
}

// subQueryEst estimates a sub-query's input: evaluated on its own, then
// joined with the bindings of bound that it shares.
func (o *opt) subQueryEst(input algebra.Op, bound map[string]bool) float64 {
	all := o.estimate(input, nil)
	if len(bound) == 0 {
		return all
	}
	return math.Min(all, o.estimate(input, bound))
}

// pathEst estimates a property path by its first predicate.
func (o *opt) pathEst(p algebra.PathExpr) float64 {
	switch p := p.(type) {
	case *algebra.Link:
		return o.card(graph.Pattern{P: p.IRI})
	case *algebra.Inverse:
		return o.pathEst(p.Path)
	case *algebra.Seq:
		return o.pathEst(p.L)
	case *algebra.Alt:
		return o.pathEst(p.L) + o.pathEst(p.R)
	case *algebra.ZeroOrOne:
		return o.pathEst(p.Path)
	case *algebra.ZeroOrMore:
		return o.pathEst(p.Path)
	case *algebra.OneOrMore:
		return o.pathEst(p.Path)
	}
	return pathCard
}

func union(a, b map[string]bool) map[string]bool {
	out := make(map[string]bool, len(a)+len(b))
	for v := range a {
		out[v] = true
	}
	for v := range b {
		out[v] = true
	}
	return out
}
