package parser

import (
	"github.com/tessera-fair/tessera/sparql/ast"
)

// This file holds the static rules of SPARQL 1.1 that the grammar alone
// does not express (§18.2.1 variable scope, §18.2.4.1 grouping, §19.8
// grammar notes).

// checkBind enforces §18.2.1: the variable a BIND assigns must not be in
// scope in the group elements before it.
func (p *parser) checkBind(prev []ast.Pattern, b *ast.Bind) {
	if b.Var == nil {
		return
	}
	scope := map[string]bool{}
	for _, e := range prev {
		inScope(e, scope)
	}
	if scope[b.Var.Name] {
		p.errorAt(b.Var.Pos, "BIND assigns ?%s, which is already in scope", b.Var.Name)
	}
}

// checkSelect enforces the projection rules: a variable bound by
// (expr AS ?v) must be neither in scope in WHERE nor projected before, and
// aggregate queries project only grouped variables.
func (p *parser) checkSelect(sel *ast.Select, where ast.Pattern, m *ast.Modifiers) {
	if p.err != nil || sel == nil {
		return
	}
	scope := map[string]bool{}
	if where != nil {
		inScope(where, scope)
	}
	seen := map[string]bool{}
	for _, it := range sel.Items {
		if it.Expr != nil && (scope[it.Var.Name] || seen[it.Var.Name]) {
			p.errorAt(it.Var.Pos, "SELECT binds ?%s with AS, but it is already in scope", it.Var.Name)
			return
		}
		seen[it.Var.Name] = true
	}
	p.checkGrouping(sel, m)
}

// checkGrouping enforces §18.2.4.1 for aggregate queries (with GROUP BY or
// an aggregate in SELECT, HAVING or ORDER BY): no SELECT *, and every
// variable used outside an aggregate in the projection is a grouping key or
// an earlier projection.
func (p *parser) checkGrouping(sel *ast.Select, m *ast.Modifiers) {
	if p.err != nil || sel == nil {
		return
	}
	agg := len(m.GroupBy) > 0
	for _, it := range sel.Items {
		agg = agg || ast.HasAggregate(it.Expr)
	}
	for _, h := range m.Having {
		agg = agg || ast.HasAggregate(h)
	}
	for _, o := range m.OrderBy {
		agg = agg || ast.HasAggregate(o.Expr)
	}
	if !agg {
		return
	}
	if sel.Star {
		p.errorAt(sel.Pos, "SELECT * is not allowed with GROUP BY or aggregates")
		return
	}
	keys := map[string]bool{}
	for _, g := range m.GroupBy {
		if g.Var != nil {
			keys[g.Var.Name] = true
		} else if v, ok := g.Expr.(*ast.Var); ok {
			keys[v.Name] = true
		}
	}
	for _, it := range sel.Items {
		e := ast.Expr(it.Var)
		if it.Expr != nil {
			e = it.Expr
		}
		var bad *ast.Var
		freeVars(e, func(v *ast.Var) {
			if bad == nil && !keys[v.Name] {
				bad = v
			}
		})
		if bad != nil {
			p.errorAt(bad.Pos, "?%s is projected but neither grouped nor aggregated", bad.Name)
			return
		}
		keys[it.Var.Name] = true
	}
}

// freeVars calls f for each variable of e outside aggregates and EXISTS.
func freeVars(e ast.Expr, f func(*ast.Var)) {
	switch e := e.(type) {
	case *ast.Var:
		f(e)
	case *ast.Binary:
		freeVars(e.X, f)
		freeVars(e.Y, f)
	case *ast.Unary:
		freeVars(e.X, f)
	case *ast.In:
		freeVars(e.X, f)
		for _, a := range e.List {
			freeVars(a, f)
		}
	case *ast.Call:
		for _, a := range e.Args {
			freeVars(a, f)
		}
	case *ast.FuncCall:
		for _, a := range e.Args {
			freeVars(a, f)
		}
	}
}

// inScope adds the variables in scope of pt (§18.2.1) to set.
func inScope(pt ast.Pattern, set map[string]bool) {
	switch pt := pt.(type) {
	case *ast.Group:
		for _, e := range pt.Elems {
			inScope(e, set)
		}
	case *ast.SubSelect:
		if pt.Select == nil {
			return
		}
		if pt.Select.Star {
			if pt.Where != nil {
				inScope(pt.Where, set)
			}
			return
		}
		for _, it := range pt.Select.Items {
			set[it.Var.Name] = true
		}
	case *ast.TriplesBlock:
		for _, t := range pt.Triples {
			triplesVars(t, set)
		}
	case *ast.Optional:
		inScope(pt.Pattern, set)
	case *ast.Union:
		for _, u := range pt.Patterns {
			inScope(u, set)
		}
	case *ast.Graph:
		if v, ok := pt.Name.(*ast.Var); ok {
			set[v.Name] = true
		}
		inScope(pt.Pattern, set)
	case *ast.Service:
		if v, ok := pt.Name.(*ast.Var); ok {
			set[v.Name] = true
		}
		inScope(pt.Pattern, set)
	case *ast.Bind:
		if pt.Var != nil {
			set[pt.Var.Name] = true
		}
	case *ast.Values:
		for _, v := range pt.Vars {
			set[v.Name] = true
		}
	case *ast.Minus, *ast.Filter, nil:
	}
}

func triplesVars(t *ast.Triples, set map[string]bool) {
	if t == nil {
		return
	}
	nodeVars(t.Subject, set)
	propsVars(t.Props, set)
}

func propsVars(ps []*ast.Property, set map[string]bool) {
	for _, pr := range ps {
		if v, ok := pr.Verb.(*ast.Var); ok {
			set[v.Name] = true
		}
		for _, o := range pr.Objects {
			nodeVars(o, set)
		}
	}
}

func nodeVars(n ast.TermNode, set map[string]bool) {
	switch n := n.(type) {
	case *ast.Var:
		set[n.Name] = true
	case *ast.BlankNodePropertyList:
		propsVars(n.Props, set)
	case *ast.Collection:
		for _, it := range n.Items {
			nodeVars(it, set)
		}
	}
}
