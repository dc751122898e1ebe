package algebra

import (
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// Format prints op as an S-expression in the style of Jena's SSE, one
// operator per line, indented by depth:
//
//	(project (?s)
//	  (filter (> ?o 1)
//	    (bgp (?s <http://ex/p> ?o))))
//
// It is meant for tests, golden files and EXPLAIN, not for parsing back.
func Format(op Op) string {
	var p printer
	p.op(op)
	return p.b.String()
}

// FormatExpr prints an expression in prefix form, e.g. (+ ?x 1).
func FormatExpr(e Expr) string {
	var p printer
	p.expr(e)
	return p.b.String()
}

// FormatPath prints a path expression, e.g. (seq <p> (path* <q>)).
func FormatPath(pe PathExpr) string {
	var p printer
	p.path(pe)
	return p.b.String()
}

type printer struct {
	b      strings.Builder
	indent int
}

func (p *printer) w(s string) { p.b.WriteString(s) }

func (p *printer) nl() {
	p.b.WriteByte('\n')
	for range p.indent {
		p.b.WriteString("  ")
	}
}

func (p *printer) open(name string) {
	p.w("(" + name)
	p.indent++
}

func (p *printer) close() {
	p.w(")")
	p.indent--
}

func (p *printer) sub(op Op) {
	p.nl()
	p.op(op)
}

func (p *printer) node(n Node) {
	if n.IsVar() {
		p.w("?" + n.Var)
		return
	}
	p.term(n.Term)
}

func (p *printer) term(t graph.Term) {
	if t.IsZero() {
		p.w("UNDEF")
		return
	}
	// Integers, decimals and booleans print bare, as SPARQL writes them.
	if t.IsLiteral() && bareLiteral(t) {
		p.w(t.Value())
		return
	}
	p.w(t.String())
}

func (p *printer) vars(vs []string) {
	p.w("(")
	for i, v := range vs {
		if i > 0 {
			p.w(" ")
		}
		p.w("?" + v)
	}
	p.w(")")
}

func (p *printer) triple(t Triple) {
	p.w("(")
	p.node(t.S)
	p.w(" ")
	p.node(t.P)
	p.w(" ")
	p.node(t.O)
	p.w(")")
}

func (p *printer) op(op Op) {
	switch op := op.(type) {
	case *BGP:
		p.open("bgp")
		for i, t := range op.Triples {
			if i == 0 {
				p.w(" ")
			} else {
				p.nl()
			}
			p.triple(t)
		}
		p.close()
	case *Path:
		p.w("(path ")
		p.node(op.S)
		p.w(" ")
		p.path(op.Path)
		p.w(" ")
		p.node(op.O)
		p.w(")")
	case *Join:
		p.open("join")
		p.sub(op.L)
		p.sub(op.R)
		p.close()
	case *LeftJoin:
		p.open("leftjoin")
		p.sub(op.L)
		p.sub(op.R)
		if op.Expr != nil {
			p.nl()
			p.expr(op.Expr)
		}
		p.close()
	case *Filter:
		p.open("filter ")
		if len(op.Exprs) == 1 {
			p.expr(op.Exprs[0])
		} else {
			p.w("(exprlist")
			for _, e := range op.Exprs {
				p.w(" ")
				p.expr(e)
			}
			p.w(")")
		}
		p.sub(op.Input)
		p.close()
	case *Union:
		p.open("union")
		p.sub(op.L)
		p.sub(op.R)
		p.close()
	case *Minus:
		p.open("minus")
		p.sub(op.L)
		p.sub(op.R)
		p.close()
	case *Graph:
		p.open("graph ")
		p.node(op.Name)
		p.sub(op.Input)
		p.close()
	case *Extend:
		p.open("extend ((?" + op.Var + " ")
		p.expr(op.Expr)
		p.w("))")
		p.sub(op.Input)
		p.close()
	case *Group:
		p.open("group (")
		for i, k := range op.Keys {
			if i > 0 {
				p.w(" ")
			}
			if v, ok := k.Expr.(*Var); ok && v.Name == k.Var {
				p.w("?" + k.Var)
				continue
			}
			p.w("(?" + k.Var + " ")
			p.expr(k.Expr)
			p.w(")")
		}
		p.w(") (")
		for i, a := range op.Aggs {
			if i > 0 {
				p.w(" ")
			}
			p.w("(?" + a.Var + " ")
			p.agg(a.Agg)
			p.w(")")
		}
		p.w(")")
		p.sub(op.Input)
		p.close()
	case *Table:
		p.open("table ")
		p.vars(op.Vars)
		for _, r := range op.Rows {
			p.nl()
			p.w("(row")
			for i, t := range r {
				if t.IsZero() {
					continue
				}
				p.w(" [?" + op.Vars[i] + " ")
				p.term(t)
				p.w("]")
			}
			p.w(")")
		}
		p.close()
	case *OrderBy:
		p.open("order (")
		for i, c := range op.Conds {
			if i > 0 {
				p.w(" ")
			}
			if c.Desc {
				p.w("(desc ")
				p.expr(c.Expr)
				p.w(")")
			} else {
				p.expr(c.Expr)
			}
		}
		p.w(")")
		p.sub(op.Input)
		p.close()
	case *Project:
		p.open("project ")
		p.vars(op.Vars)
		p.sub(op.Input)
		p.close()
	case *Distinct:
		p.open("distinct")
		p.sub(op.Input)
		p.close()
	case *Reduced:
		p.open("reduced")
		p.sub(op.Input)
		p.close()
	case *Slice:
		p.open("slice ")
		if op.Offset > 0 {
			p.w(strconv.FormatInt(op.Offset, 10))
		} else {
			p.w("_")
		}
		p.w(" ")
		if op.Limit >= 0 {
			p.w(strconv.FormatInt(op.Limit, 10))
		} else {
			p.w("_")
		}
		p.sub(op.Input)
		p.close()
	case *Service:
		if op.Silent {
			p.open("service silent ")
		} else {
			p.open("service ")
		}
		p.node(op.Name)
		p.sub(op.Input)
		p.close()
	case *ToMultiSet:
		p.open("tomultiset")
		p.sub(op.Input)
		p.close()
	default:
		p.w("(?)")
	}
}

func (p *printer) agg(a *Aggregate) {
	p.w("(" + strings.ToLower(a.Func))
	if a.Distinct {
		p.w(" distinct")
	}
	if a.Arg != nil {
		p.w(" ")
		p.expr(a.Arg)
	}
	if a.Func == "GROUP_CONCAT" && a.Separator != " " {
		p.w(" " + graph.String(a.Separator).String())
	}
	p.w(")")
}

func (p *printer) path(pe PathExpr) {
	switch pe := pe.(type) {
	case *Link:
		p.term(pe.IRI)
	case *Inverse:
		p.w("(reverse ")
		p.path(pe.Path)
		p.w(")")
	case *Seq:
		p.w("(seq ")
		p.path(pe.L)
		p.w(" ")
		p.path(pe.R)
		p.w(")")
	case *Alt:
		p.w("(alt ")
		p.path(pe.L)
		p.w(" ")
		p.path(pe.R)
		p.w(")")
	case *ZeroOrOne:
		p.w("(path? ")
		p.path(pe.Path)
		p.w(")")
	case *ZeroOrMore:
		p.w("(path* ")
		p.path(pe.Path)
		p.w(")")
	case *OneOrMore:
		p.w("(path+ ")
		p.path(pe.Path)
		p.w(")")
	case *NegatedSet:
		p.w("(notoneof")
		for _, t := range pe.Forward {
			p.w(" ")
			p.term(t)
		}
		for _, t := range pe.Backward {
			p.w(" (reverse ")
			p.term(t)
			p.w(")")
		}
		p.w(")")
	default:
		p.w("?")
	}
}

func (p *printer) expr(e Expr) {
	switch e := e.(type) {
	case *Var:
		p.w("?" + e.Name)
	case *Const:
		p.term(e.Term)
	case *Binary:
		p.w("(" + e.Op.String() + " ")
		p.expr(e.X)
		p.w(" ")
		p.expr(e.Y)
		p.w(")")
	case *Unary:
		p.w("(" + e.Op.String() + " ")
		p.expr(e.X)
		p.w(")")
	case *In:
		if e.Not {
			p.w("(notin ")
		} else {
			p.w("(in ")
		}
		p.expr(e.X)
		for _, x := range e.List {
			p.w(" ")
			p.expr(x)
		}
		p.w(")")
	case *Call:
		p.w("(" + strings.ToLower(e.Func))
		for _, x := range e.Args {
			p.w(" ")
			p.expr(x)
		}
		p.w(")")
	case *FuncCall:
		p.w("(<" + e.IRI + ">")
		for _, x := range e.Args {
			p.w(" ")
			p.expr(x)
		}
		p.w(")")
	case *Exists:
		if e.Not {
			p.open("notexists")
		} else {
			p.open("exists")
		}
		p.sub(e.Op)
		p.close()
	default:
		p.w("?")
	}
}

func bareLiteral(t graph.Term) bool {
	v := t.Value()
	switch t.Datatype() {
	case graph.XSDBoolean:
		return v == "true" || v == "false"
	case graph.XSDInteger, graph.XSDDecimal:
		digits, dot := 0, false
		for i := 0; i < len(v); i++ {
			switch c := v[i]; {
			case c >= '0' && c <= '9':
				digits++
			case c == '.' && !dot && t.Datatype() == graph.XSDDecimal:
				dot = true
			case (c == '-' || c == '+') && i == 0:
			default:
				return false
			}
		}
		return digits > 0 && (dot || t.Datatype() == graph.XSDInteger)
	}
	return false
}
