package optimizer

import (
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/ast"
)

// rebuild returns a copy of op with its child operators replaced by f's
// results, or op itself when it has none. The input is never modified.
func rebuild(op algebra.Op, f func(algebra.Op) algebra.Op) algebra.Op {
	switch op := op.(type) {
	case *algebra.Join:
		return &algebra.Join{L: f(op.L), R: f(op.R)}
	case *algebra.LeftJoin:
		return &algebra.LeftJoin{L: f(op.L), R: f(op.R), Expr: op.Expr}
	case *algebra.Filter:
		return &algebra.Filter{Exprs: op.Exprs, Input: f(op.Input)}
	case *algebra.Union:
		return &algebra.Union{L: f(op.L), R: f(op.R)}
	case *algebra.Minus:
		return &algebra.Minus{L: f(op.L), R: f(op.R)}
	case *algebra.Graph:
		return &algebra.Graph{Name: op.Name, Input: f(op.Input)}
	case *algebra.Extend:
		return &algebra.Extend{Input: f(op.Input), Var: op.Var, Expr: op.Expr}
	case *algebra.Group:
		return &algebra.Group{Input: f(op.Input), Keys: op.Keys, Aggs: op.Aggs}
	case *algebra.OrderBy:
		return &algebra.OrderBy{Input: f(op.Input), Conds: op.Conds}
	case *algebra.Project:
		return &algebra.Project{Input: f(op.Input), Vars: op.Vars}
	case *algebra.Distinct:
		return &algebra.Distinct{Input: f(op.Input)}
	case *algebra.Reduced:
		return &algebra.Reduced{Input: f(op.Input)}
	case *algebra.Slice:
		return &algebra.Slice{Input: f(op.Input), Offset: op.Offset, Limit: op.Limit}
	case *algebra.ToMultiSet:
		return &algebra.ToMultiSet{Input: f(op.Input)}
	}
	// BGP, Path, Table and Service (whose input is evaluated remotely) have
	// no children to rewrite.
	return op
}

func isIdentity(op algebra.Op) bool {
	b, ok := op.(*algebra.BGP)
	return ok && len(b.Triples) == 0
}

// normalise is pass 1.
func (o *opt) normalise(op algebra.Op) algebra.Op {
	op = rebuild(op, o.normalise)
	switch n := op.(type) {
	case *algebra.Join:
		if isIdentity(n.L) {
			o.tr.fire(RuleEliminateIdentityJoin, "join with the empty BGP on the left")
			return n.R
		}
		if isIdentity(n.R) {
			o.tr.fire(RuleEliminateIdentityJoin, "join with the empty BGP on the right")
			return n.L
		}
	case *algebra.LeftJoin:
		if n.Expr != nil {
			n.Expr = o.foldExpr(n.Expr)
		}
	case *algebra.Extend:
		n.Expr = o.foldExpr(n.Expr)
	case *algebra.Group:
		// Keys and aggregates are left alone: their expressions are
		// evaluated once per solution and rarely constant.
		return o.groupBeforeLookup(n)
	case *algebra.OrderBy:
		conds := make([]algebra.OrderCond, len(n.Conds))
		for i, c := range n.Conds {
			conds[i] = algebra.OrderCond{Expr: o.foldExpr(c.Expr), Desc: c.Desc}
		}
		n.Conds = conds
	case *algebra.Filter:
		return o.normaliseFilter(n)
	}
	return op
}

func (o *opt) normaliseFilter(f *algebra.Filter) algebra.Op {
	var exprs []algebra.Expr
	input := f.Input
	add := func(es []algebra.Expr) {
		for _, e := range es {
			exprs = append(exprs, o.split(o.foldExpr(e))...)
		}
	}
	add(f.Exprs)
	for {
		inner, ok := input.(*algebra.Filter)
		if !ok {
			break
		}
		o.tr.fire(RuleMergeFilters, "%d + %d conditions", len(exprs), len(inner.Exprs))
		add(inner.Exprs)
		input = inner.Input
	}
	var kept []algebra.Expr
	for _, e := range exprs {
		c, ok := e.(*algebra.Const)
		if !ok {
			kept = append(kept, e)
			continue
		}
		switch v, known := constEBV(c.Term); {
		case !known:
			kept = append(kept, e)
		case v:
			o.tr.fire(RuleEliminateTrueFilter, "%s", algebra.FormatExpr(e))
		default:
			o.tr.fire(RuleFalseFilter, "%s", algebra.FormatExpr(e))
			return &algebra.Table{}
		}
	}
	if len(kept) == 0 {
		return input
	}
	return &algebra.Filter{Exprs: kept, Input: input}
}

// split splits a conjunction into its conjuncts.
func (o *opt) split(e algebra.Expr) []algebra.Expr {
	b, ok := e.(*algebra.Binary)
	if !ok || b.Op != ast.OpAnd {
		return []algebra.Expr{e}
	}
	o.tr.fire(RuleSplitConjunction, "%s", algebra.FormatExpr(e))
	return append(o.split(b.X), o.split(b.Y)...)
}

// volatile lists the functions whose value changes between calls.
var volatile = map[string]bool{"RAND": true, "NOW": true, "UUID": true, "STRUUID": true, "BNODE": true}

// foldExpr folds the constant sub-expressions of e (bottom-up), returning
// a new expression; e is not modified.
func (o *opt) foldExpr(e algebra.Expr) algebra.Expr {
	if o.cfg.Fold == nil {
		return e
	}
	e, _ = o.fold(e)
	return e
}

// fold returns the folded expression and whether it is a constant.
func (o *opt) fold(e algebra.Expr) (algebra.Expr, bool) {
	allConst := func(xs []algebra.Expr) ([]algebra.Expr, bool) {
		out := make([]algebra.Expr, len(xs))
		ok := true
		for i, x := range xs {
			var c bool
			out[i], c = o.fold(x)
			ok = ok && c
		}
		return out, ok
	}
	var folded algebra.Expr
	switch x := e.(type) {
	case *algebra.Const:
		return x, true
	case *algebra.Var, *algebra.Exists:
		return e, false
	case *algebra.Binary:
		xs, ok := allConst([]algebra.Expr{x.X, x.Y})
		folded = &algebra.Binary{Op: x.Op, X: xs[0], Y: xs[1]}
		if !ok {
			return folded, false
		}
	case *algebra.Unary:
		xs, ok := allConst([]algebra.Expr{x.X})
		folded = &algebra.Unary{Op: x.Op, X: xs[0]}
		if !ok {
			return folded, false
		}
	case *algebra.In:
		xs, ok := allConst(append([]algebra.Expr{x.X}, x.List...))
		folded = &algebra.In{Not: x.Not, X: xs[0], List: xs[1:]}
		if !ok {
			return folded, false
		}
	case *algebra.Call:
		xs, ok := allConst(x.Args)
		folded = &algebra.Call{Func: x.Func, Args: xs}
		if !ok || volatile[x.Func] {
			return folded, false
		}
	case *algebra.FuncCall:
		xs, ok := allConst(x.Args)
		folded = &algebra.FuncCall{IRI: x.IRI, Args: xs}
		if !ok {
			return folded, false
		}
	default:
		return e, false
	}
	v, ok := o.cfg.Fold(folded)
	if !ok || v.IsZero() {
		return folded, false
	}
	o.tr.fire(RuleFoldConstant, "%s → %s", algebra.FormatExpr(e), algebra.FormatExpr(&algebra.Const{Term: v}))
	return &algebra.Const{Term: v}, true
}

// constEBV returns the effective boolean value (§17.2.2) of a constant
// when it is certain, for booleans and plain strings; known is false for
// everything else, which is left to the evaluator.
func constEBV(t graph.Term) (v, known bool) {
	if !t.IsLiteral() {
		return false, false
	}
	switch t.Datatype() {
	case graph.XSDBoolean:
		switch t.Value() {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	case graph.XSDString:
		return t.Value() != "", true
	}
	return false, false
}
