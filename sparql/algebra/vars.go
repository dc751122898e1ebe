package algebra

import "strings"

// Hidden reports whether a variable was invented by Translate (its name
// starts with '.'); such variables are never projected by SELECT *.
func Hidden(v string) bool { return strings.HasPrefix(v, ".") }

// VisibleVars returns the in-scope variables of op (§18.2.1) that the query
// wrote, in order of first appearance: what SELECT * projects.
func VisibleVars(op Op) []string {
	var out []string
	for _, v := range MaybeVars(op) {
		if !Hidden(v) {
			out = append(out, v)
		}
	}
	return out
}

// MaybeVars returns every variable a solution of op may bind, hidden ones
// included, in order of first appearance.
func MaybeVars(op Op) []string {
	s := &varSet{seen: map[string]bool{}}
	s.maybe(op)
	return s.list
}

type varSet struct {
	seen map[string]bool
	list []string
}

func (s *varSet) add(v string) {
	if v != "" && !s.seen[v] {
		s.seen[v] = true
		s.list = append(s.list, v)
	}
}

func (s *varSet) node(n Node) { s.add(n.Var) }

func (s *varSet) maybe(op Op) {
	switch op := op.(type) {
	case *BGP:
		for _, t := range op.Triples {
			s.node(t.S)
			s.node(t.P)
			s.node(t.O)
		}
	case *Path:
		s.node(op.S)
		s.node(op.O)
	case *Join:
		s.maybe(op.L)
		s.maybe(op.R)
	case *LeftJoin:
		s.maybe(op.L)
		s.maybe(op.R)
	case *Filter:
		s.maybe(op.Input)
	case *Union:
		s.maybe(op.L)
		s.maybe(op.R)
	case *Minus:
		s.maybe(op.L)
	case *Graph:
		s.node(op.Name)
		s.maybe(op.Input)
	case *Extend:
		s.maybe(op.Input)
		s.add(op.Var)
	case *Group:
		for _, k := range op.Keys {
			s.add(k.Var)
		}
		for _, a := range op.Aggs {
			s.add(a.Var)
		}
	case *Table:
		for _, v := range op.Vars {
			s.add(v)
		}
	case *OrderBy:
		s.maybe(op.Input)
	case *Project:
		for _, v := range op.Vars {
			s.add(v)
		}
	case *Distinct:
		s.maybe(op.Input)
	case *Reduced:
		s.maybe(op.Input)
	case *Slice:
		s.maybe(op.Input)
	case *Service:
		s.node(op.Name)
		s.maybe(op.Input)
	case *ToMultiSet:
		s.maybe(op.Input)
	}
}

// CertainVars returns the variables every solution of op binds (a safe
// under-approximation). The evaluator uses it to decide which bindings of
// an outer solution it may substitute into op.
func CertainVars(op Op) map[string]bool {
	out := map[string]bool{}
	certain(op, out)
	return out
}

func certain(op Op, out map[string]bool) {
	switch op := op.(type) {
	case *BGP:
		for _, t := range op.Triples {
			for _, n := range []Node{t.S, t.P, t.O} {
				if n.IsVar() {
					out[n.Var] = true
				}
			}
		}
	case *Path:
		if op.S.IsVar() {
			out[op.S.Var] = true
		}
		if op.O.IsVar() {
			out[op.O.Var] = true
		}
	case *Join:
		certain(op.L, out)
		certain(op.R, out)
	case *LeftJoin:
		certain(op.L, out)
	case *Filter:
		certain(op.Input, out)
	case *Union:
		l, r := CertainVars(op.L), CertainVars(op.R)
		for v := range l {
			if r[v] {
				out[v] = true
			}
		}
	case *Minus:
		certain(op.L, out)
	case *Graph:
		if op.Name.IsVar() {
			out[op.Name.Var] = true
		}
		certain(op.Input, out)
	case *Extend:
		certain(op.Input, out)
	case *Group:
	case *Table:
		for i, v := range op.Vars {
			all := true
			for _, r := range op.Rows {
				if r[i].IsZero() {
					all = false
					break
				}
			}
			if all {
				out[v] = true
			}
		}
	case *OrderBy:
		certain(op.Input, out)
	case *Project:
		in := CertainVars(op.Input)
		for _, v := range op.Vars {
			if in[v] {
				out[v] = true
			}
		}
	case *Distinct:
		certain(op.Input, out)
	case *Reduced:
		certain(op.Input, out)
	case *Slice:
		certain(op.Input, out)
	case *Service:
	case *ToMultiSet:
		certain(op.Input, out)
	}
}

// ExprVars adds the variables expression e mentions to out, including those
// of the patterns of EXISTS (which see the whole solution by substitution).
func ExprVars(e Expr, out map[string]bool) {
	switch e := e.(type) {
	case *Var:
		out[e.Name] = true
	case *Binary:
		ExprVars(e.X, out)
		ExprVars(e.Y, out)
	case *Unary:
		ExprVars(e.X, out)
	case *In:
		ExprVars(e.X, out)
		for _, x := range e.List {
			ExprVars(x, out)
		}
	case *Call:
		for _, x := range e.Args {
			ExprVars(x, out)
		}
	case *FuncCall:
		for _, x := range e.Args {
			ExprVars(x, out)
		}
	case *Exists:
		AllVars(e.Op, out)
	}
}

// AllVars adds every variable mentioned anywhere in op, inside
// expressions, aggregates and EXISTS patterns included.
func AllVars(op Op, out map[string]bool) {
	Walk(op, func(o Op) {
		for _, v := range MaybeVars(o) {
			out[v] = true
		}
		switch o := o.(type) {
		case *Filter:
			for _, e := range o.Exprs {
				ExprVars(e, out)
			}
		case *LeftJoin:
			if o.Expr != nil {
				ExprVars(o.Expr, out)
			}
		case *Extend:
			ExprVars(o.Expr, out)
		case *Group:
			for _, k := range o.Keys {
				ExprVars(k.Expr, out)
			}
			for _, a := range o.Aggs {
				if a.Agg.Arg != nil {
					ExprVars(a.Agg.Arg, out)
				}
			}
		case *OrderBy:
			for _, c := range o.Conds {
				ExprVars(c.Expr, out)
			}
		}
	})
}

// Walk calls f for op and every operator below it (not those inside
// expressions), parents first.
func Walk(op Op, f func(Op)) {
	f(op)
	switch op := op.(type) {
	case *Join:
		Walk(op.L, f)
		Walk(op.R, f)
	case *LeftJoin:
		Walk(op.L, f)
		Walk(op.R, f)
	case *Filter:
		Walk(op.Input, f)
	case *Union:
		Walk(op.L, f)
		Walk(op.R, f)
	case *Minus:
		Walk(op.L, f)
		Walk(op.R, f)
	case *Graph:
		Walk(op.Input, f)
	case *Extend:
		Walk(op.Input, f)
	case *Group:
		Walk(op.Input, f)
	case *OrderBy:
		Walk(op.Input, f)
	case *Project:
		Walk(op.Input, f)
	case *Distinct:
		Walk(op.Input, f)
	case *Reduced:
		Walk(op.Input, f)
	case *Slice:
		Walk(op.Input, f)
	case *Service:
		Walk(op.Input, f)
	case *ToMultiSet:
		Walk(op.Input, f)
	}
}
