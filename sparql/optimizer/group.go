package optimizer

import (
	"slices"

	"github.com/tessera-fair/tessera/sparql/algebra"
)

// groupBeforeLookup is RuleGroupBeforeLookup: a GROUP BY whose keys
// include both variables of a triple pattern (?x p ?y) that only adds ?y
// to the rest of its BGP — the label of a diagnosis code, the name of a
// provider — groups the rest first and looks ?y up once per group:
//
//	Group(K, A, BGP(rest ∪ {?x p ?y})) → Join(Group(K∖{?y}, A, BGP(rest)), BGP(?x p ?y))
//
// A facet over 46,000 patients then joins a few dozen groups with their
// labels instead of 46,000 solutions. It is exact because the pattern
// matches each (x, y) pair at most once (a dataset is a set of triples,
// and a union of graphs is taken as a set): every solution of the rest
// with a given x joins exactly one y-match per label, so each final group
// holds the same solutions as the partial group of its x, and every
// aggregate — DISTINCT, SAMPLE and GROUP_CONCAT included — gets the same
// values. Conditions: ?x and ?y are plain GROUP BY keys, ?x occurs in the
// rest of the BGP (so it is bound), ?y occurs nowhere else (not in the
// rest, other keys, aggregates or the filters between the group and the
// BGP, which stay with the rest). It is off under an entailment regime,
// which may match a triple more than once.
func (o *opt) groupBeforeLookup(g *algebra.Group) algebra.Op {
	// Filters between the group and the BGP stay with the rest: they
	// must not read ?y.
	var filters []*algebra.Filter
	input := g.Input
	for {
		f, ok := input.(*algebra.Filter)
		if !ok {
			break
		}
		filters = append(filters, f)
		input = f.Input
	}
	b, ok := input.(*algebra.BGP)
	if !ok || len(b.Triples) < 2 || o.cfg.Entailment {
		return g
	}
	plain := map[string]bool{}
	for _, k := range g.Keys {
		if v, ok := k.Expr.(*algebra.Var); ok && v.Name == k.Var {
			plain[k.Var] = true
		}
	}
	for i, t := range b.Triples {
		if !t.S.IsVar() || t.P.IsVar() || !t.O.IsVar() || t.S.Var == t.O.Var {
			continue
		}
		x, y := t.S.Var, t.O.Var
		if !plain[x] || !plain[y] {
			continue
		}
		rest := slices.Concat(b.Triples[:i], b.Triples[i+1:])
		restVars := algebra.CertainVars(&algebra.BGP{Triples: rest})
		if !restVars[x] || restVars[y] || !onlyKeyUse(g, y) || filtersRead(filters, y) {
			continue
		}
		var keys []algebra.GroupKey
		for _, k := range g.Keys {
			if k.Var != y {
				keys = append(keys, k)
			}
		}
		o.tr.fire(RuleGroupBeforeLookup, "group by ?%s before %s", x, algebra.Format(&algebra.BGP{Triples: []algebra.Triple{t}}))
		var in algebra.Op = &algebra.BGP{Triples: rest}
		for j := len(filters) - 1; j >= 0; j-- {
			in = &algebra.Filter{Exprs: filters[j].Exprs, Input: in}
		}
		inner := &algebra.Group{Input: in, Keys: keys, Aggs: g.Aggs}
		return &algebra.Join{L: o.groupBeforeLookup(inner), R: &algebra.BGP{Triples: []algebra.Triple{t}}}
	}
	return g
}

// filtersRead reports whether any condition of fs reads variable v.
func filtersRead(fs []*algebra.Filter, v string) bool {
	vars := map[string]bool{}
	for _, f := range fs {
		for _, x := range f.Exprs {
			algebra.ExprVars(x, vars)
		}
	}
	return vars[v]
}

// onlyKeyUse reports whether v appears in g's keys and aggregates only as
// its own plain key.
func onlyKeyUse(g *algebra.Group, v string) bool {
	vars := map[string]bool{}
	for _, k := range g.Keys {
		if k.Var != v {
			algebra.ExprVars(k.Expr, vars)
		}
	}
	for _, a := range g.Aggs {
		if a.Agg.Arg != nil {
			algebra.ExprVars(a.Agg.Arg, vars)
		}
	}
	return !vars[v]
}
