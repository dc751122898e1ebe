package optimizer

import "github.com/tessera-fair/tessera/sparql/algebra"

// pushFilters is pass 2: it moves filter conditions down through UNION,
// the left side of OPTIONAL and MINUS, BIND and GRAPH. Conditions over a
// join or BGP stay on top of it: pass 3 places them between its steps.
func (o *opt) pushFilters(op algebra.Op) algebra.Op {
	if f, ok := op.(*algebra.Filter); ok {
		return o.pushInto(f.Exprs, o.pushFilters(f.Input))
	}
	return rebuild(op, o.pushFilters)
}

func exprVars(e algebra.Expr) map[string]bool {
	vs := map[string]bool{}
	algebra.ExprVars(e, vs)
	return vs
}

func hasExists(e algebra.Expr) bool {
	switch x := e.(type) {
	case *algebra.Exists:
		return true
	case *algebra.Binary:
		return hasExists(x.X) || hasExists(x.Y)
	case *algebra.Unary:
		return hasExists(x.X)
	case *algebra.In:
		if hasExists(x.X) {
			return true
		}
		for _, y := range x.List {
			if hasExists(y) {
				return true
			}
		}
	case *algebra.Call:
		for _, y := range x.Args {
			if hasExists(y) {
				return true
			}
		}
	case *algebra.FuncCall:
		for _, y := range x.Args {
			if hasExists(y) {
				return true
			}
		}
	}
	return false
}

func subset(vs, of map[string]bool) bool {
	for v := range vs {
		if !of[v] {
			return false
		}
	}
	return true
}

// wrap returns Filter(es, op), or op when es is empty.
func wrap(es []algebra.Expr, op algebra.Op) algebra.Op {
	if len(es) == 0 {
		return op
	}
	if f, ok := op.(*algebra.Filter); ok {
		return &algebra.Filter{Exprs: append(append([]algebra.Expr(nil), es...), f.Exprs...), Input: f.Input}
	}
	return &algebra.Filter{Exprs: es, Input: op}
}

// partition splits es into the conditions ok accepts and the rest.
func partition(es []algebra.Expr, ok func(algebra.Expr) bool) (yes, no []algebra.Expr) {
	for _, e := range es {
		if ok(e) {
			yes = append(yes, e)
		} else {
			no = append(no, e)
		}
	}
	return yes, no
}

// pushInto returns the equivalent of Filter(es, input) with as many
// conditions as possible moved below input's top operator.
func (o *opt) pushInto(es []algebra.Expr, input algebra.Op) algebra.Op {
	switch in := input.(type) {
	case *algebra.Union:
		o.tr.fire(RulePushFilterUnion, "%d conditions", len(es))
		return &algebra.Union{L: o.pushInto(es, in.L), R: o.pushInto(es, in.R)}
	case *algebra.LeftJoin:
		cert := algebra.CertainVars(in.L)
		yes, no := partition(es, func(e algebra.Expr) bool { return subset(exprVars(e), cert) })
		if len(yes) > 0 {
			o.tr.fire(RulePushFilterOptional, "%d conditions", len(yes))
			return wrap(no, &algebra.LeftJoin{L: o.pushInto(yes, in.L), R: in.R, Expr: in.Expr})
		}
	case *algebra.Minus:
		cert := algebra.CertainVars(in.L)
		yes, no := partition(es, func(e algebra.Expr) bool { return subset(exprVars(e), cert) })
		if len(yes) > 0 {
			o.tr.fire(RulePushFilterMinus, "%d conditions", len(yes))
			return wrap(no, &algebra.Minus{L: o.pushInto(yes, in.L), R: in.R})
		}
	case *algebra.Extend:
		yes, no := partition(es, func(e algebra.Expr) bool { return !exprVars(e)[in.Var] })
		if len(yes) > 0 {
			o.tr.fire(RulePushFilterBind, "%d conditions below ?%s", len(yes), in.Var)
			return wrap(no, &algebra.Extend{Input: o.pushInto(yes, in.Input), Var: in.Var, Expr: in.Expr})
		}
	case *algebra.Graph:
		cert := algebra.CertainVars(in.Input)
		yes, no := partition(es, func(e algebra.Expr) bool { return !hasExists(e) && subset(exprVars(e), cert) })
		if len(yes) > 0 {
			o.tr.fire(RulePushFilterGraph, "%d conditions", len(yes))
			return wrap(no, &algebra.Graph{Name: in.Name, Input: o.pushInto(yes, in.Input)})
		}
	case *algebra.Filter:
		return wrap(es, in)
	}
	return wrap(es, input)
}
