package algebra

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/ast"
)

const (
	rdfFirst = graph.RDFNamespace + "first"
	rdfRest  = graph.RDFNamespace + "rest"
	rdfNil   = graph.RDFNamespace + "nil"
)

// Options configure Translate. The zero value works.
type Options struct {
	// Base is the base IRI the query was parsed with; a BASE declaration in
	// the prologue replaces it. IRI() resolves against the result.
	Base string
}

// Translate turns a parsed query into the algebra of §18.2.
func Translate(q *ast.Query, opts Options) (*Query, error) {
	t := &translator{}
	out := &Query{Base: opts.Base}
	for _, d := range q.Prologue {
		if d.Base {
			out.Base = d.IRI
		}
	}
	for _, d := range q.Dataset {
		out.Dataset = append(out.Dataset, DatasetClause{Named: d.Named, IRI: d.IRI})
	}
	var where Op = &BGP{}
	if q.Where != nil {
		where = t.pattern(q.Where)
	}
	out.Ordered = len(q.OrderBy) > 0
	switch f := q.Form.(type) {
	case *ast.Select:
		op, vars := t.selectQuery(f, where, &q.Modifiers, q.Values)
		out.Form, out.Op, out.Vars = Select, op, vars
	case *ast.Construct:
		out.Form = Construct
		out.Op = t.modifiers(t.joinValues(where, q.Values), &q.Modifiers, nil, false, false)
		var lbl labeller
		for _, tr := range f.Template {
			lbl.template(tr, &out.Template)
		}
	case *ast.Ask:
		out.Form = Ask
		out.Op = t.joinValues(where, q.Values)
	case *ast.Describe:
		out.Form = Describe
		var vars []string
		if f.Star {
			vars = VisibleVars(where)
			for _, v := range vars {
				out.Describe = append(out.Describe, V(v))
			}
		} else {
			for _, n := range f.Targets {
				switch n := n.(type) {
				case *ast.Var:
					out.Describe = append(out.Describe, V(n.Name))
					vars = append(vars, n.Name)
				case *ast.Term:
					out.Describe = append(out.Describe, T(n.Value))
				}
			}
		}
		out.Op = t.modifiers(t.joinValues(where, q.Values), &q.Modifiers, vars, false, false)
	default:
		return nil, fmt.Errorf("algebra: unknown query form %T", q.Form)
	}
	if t.err != nil {
		return nil, t.err
	}
	return out, nil
}

type translator struct {
	fresh int
	err   error
}

func (t *translator) newVar(kind string) string {
	t.fresh++
	return "." + kind + strconv.Itoa(t.fresh)
}

// joinValues joins a trailing VALUES block.
func (t *translator) joinValues(op Op, v *ast.Values) Op {
	if v == nil {
		return op
	}
	return join(op, t.values(v))
}

// selectQuery translates a SELECT (or sub-select) per §18.2.4 and §18.2.5.
func (t *translator) selectQuery(sel *ast.Select, where Op, m *ast.Modifiers, values *ast.Values) (Op, []string) {
	op := where
	agg := &aggCollector{t: t}
	grouped := len(m.GroupBy) > 0
	for _, it := range sel.Items {
		if it.Expr != nil && ast.HasAggregate(it.Expr) {
			grouped = true
		}
	}
	for _, h := range m.Having {
		_ = h
		grouped = true
	}
	for _, o := range m.OrderBy {
		if ast.HasAggregate(o.Expr) {
			grouped = true
		}
	}
	var keys []GroupKey
	var having []Expr
	type ext struct {
		v string
		e Expr
	}
	var exts []ext
	if grouped {
		for _, g := range m.GroupBy {
			e := t.expr(g.Expr, nil)
			switch {
			case g.Var != nil:
				keys = append(keys, GroupKey{Var: g.Var.Name, Expr: e})
			default:
				if v, ok := e.(*Var); ok {
					keys = append(keys, GroupKey{Var: v.Name, Expr: e})
				} else {
					keys = append(keys, GroupKey{Var: t.newVar("key"), Expr: e})
				}
			}
		}
		for _, h := range m.Having {
			having = append(having, t.expr(h, agg))
		}
	}
	for _, it := range sel.Items {
		if it.Expr != nil {
			var a *aggCollector
			if grouped {
				a = agg
			}
			exts = append(exts, ext{it.Var.Name, t.expr(it.Expr, a)})
		}
	}
	var order []OrderCond
	for _, o := range m.OrderBy {
		var a *aggCollector
		if grouped {
			a = agg
		}
		order = append(order, OrderCond{Expr: t.expr(o.Expr, a), Desc: o.Desc})
	}
	if grouped {
		op = &Group{Input: op, Keys: keys, Aggs: agg.aggs}
		if len(having) > 0 {
			op = &Filter{Exprs: having, Input: op}
		}
	}
	op = t.joinValues(op, values)
	for _, e := range exts {
		op = &Extend{Input: op, Var: e.v, Expr: e.e}
	}
	if len(order) > 0 {
		op = &OrderBy{Input: op, Conds: order}
	}
	var vars []string
	if sel.Star {
		vars = VisibleVars(op)
	} else {
		for _, it := range sel.Items {
			vars = append(vars, it.Var.Name)
		}
	}
	op = &Project{Input: op, Vars: vars}
	switch {
	case sel.Distinct:
		op = &Distinct{Input: op}
	case sel.Reduced:
		op = &Reduced{Input: op}
	}
	op = slice(op, m)
	return op, vars
}

// modifiers applies ORDER BY, an optional projection and OFFSET/LIMIT for
// CONSTRUCT and DESCRIBE.
func (t *translator) modifiers(op Op, m *ast.Modifiers, project []string, distinct, reduced bool) Op {
	if len(m.OrderBy) > 0 {
		var conds []OrderCond
		for _, o := range m.OrderBy {
			conds = append(conds, OrderCond{Expr: t.expr(o.Expr, nil), Desc: o.Desc})
		}
		op = &OrderBy{Input: op, Conds: conds}
	}
	if project != nil {
		op = &Project{Input: op, Vars: project}
	}
	return slice(op, m)
}

func slice(op Op, m *ast.Modifiers) Op {
	if m.Limit == nil && m.Offset == nil {
		return op
	}
	s := &Slice{Input: op, Limit: -1}
	if m.Limit != nil {
		s.Limit = *m.Limit
	}
	if m.Offset != nil {
		s.Offset = *m.Offset
	}
	return s
}

// join builds Join(l, r), dropping the empty BGP (the identity of Join).
func join(l, r Op) Op {
	if isEmptyBGP(l) {
		return r
	}
	if isEmptyBGP(r) {
		return l
	}
	if lb, ok := l.(*BGP); ok {
		if rb, ok := r.(*BGP); ok {
			return &BGP{Triples: append(append([]Triple(nil), lb.Triples...), rb.Triples...)}
		}
	}
	return &Join{L: l, R: r}
}

func isEmptyBGP(op Op) bool {
	b, ok := op.(*BGP)
	return ok && len(b.Triples) == 0
}

// pattern translates a graph pattern (§18.2.2).
func (t *translator) pattern(p ast.Pattern) Op {
	switch p := p.(type) {
	case *ast.Group:
		return t.group(p)
	case *ast.SubSelect:
		op, _ := t.selectQuery(p.Select, t.pattern(p.Where), &p.Modifiers, p.Values)
		return &ToMultiSet{Input: op}
	case *ast.Union:
		var op Op
		for i, q := range p.Patterns {
			if i == 0 {
				op = t.pattern(q)
			} else {
				op = &Union{L: op, R: t.pattern(q)}
			}
		}
		return op
	default:
		return t.group(&ast.Group{Pos: p.Position(), Elems: []ast.Pattern{p}})
	}
}

// group translates a group graph pattern with the filter scoping of
// §18.2.2.6: the group's filters apply to the whole group.
func (t *translator) group(g *ast.Group) Op {
	var op Op = &BGP{}
	var filters []Expr
	for _, e := range g.Elems {
		switch e := e.(type) {
		case *ast.TriplesBlock:
			op = join(op, t.triples(e.Triples))
		case *ast.Optional:
			r := t.pattern(e.Pattern)
			var cond Expr
			if f, ok := r.(*Filter); ok && hasFilter(e.Pattern) {
				r = f.Input
				cond = conj(f.Exprs)
			}
			op = &LeftJoin{L: op, R: r, Expr: cond}
		case *ast.Minus:
			op = &Minus{L: op, R: t.pattern(e.Pattern)}
		case *ast.Bind:
			op = &Extend{Input: op, Var: e.Var.Name, Expr: t.expr(e.Expr, nil)}
		case *ast.Filter:
			filters = append(filters, t.expr(e.Expr, nil))
		case *ast.Graph:
			op = join(op, &Graph{Name: t.node(e.Name), Input: t.pattern(e.Pattern)})
		case *ast.Service:
			op = join(op, &Service{Name: t.node(e.Name), Input: t.pattern(e.Pattern), Pattern: e.Pattern, Silent: e.Silent})
		case *ast.Values:
			op = join(op, t.values(e))
		case *ast.Group, *ast.SubSelect, *ast.Union:
			op = join(op, t.pattern(e))
		}
	}
	if len(filters) > 0 {
		op = &Filter{Exprs: filters, Input: op}
	}
	return op
}

// hasFilter reports whether p is a group with a FILTER of its own, whose
// translation is then Filter(F, A) (§18.2.2.6, the OPTIONAL rule).
func hasFilter(p ast.Pattern) bool {
	g, ok := p.(*ast.Group)
	if !ok {
		return false
	}
	for _, e := range g.Elems {
		if _, ok := e.(*ast.Filter); ok {
			return true
		}
	}
	return false
}

func conj(es []Expr) Expr {
	e := es[0]
	for _, x := range es[1:] {
		e = &Binary{Op: ast.OpAnd, X: e, Y: x}
	}
	return e
}

func (t *translator) values(v *ast.Values) *Table {
	tb := &Table{}
	for _, x := range v.Vars {
		tb.Vars = append(tb.Vars, x.Name)
	}
	for _, r := range v.Rows {
		row := make([]graph.Term, len(r))
		for i, c := range r {
			if c != nil {
				row[i] = c.Value
			}
		}
		tb.Rows = append(tb.Rows, row)
	}
	return tb
}

func (t *translator) node(n ast.TermNode) Node {
	switch n := n.(type) {
	case *ast.Var:
		return V(n.Name)
	case *ast.Term:
		return T(n.Value)
	case *ast.BlankNode:
		return V(".b" + n.Label)
	}
	return Node{}
}

// triples expands a run of triple patterns: property lists, `[ ]`,
// collections and paths. Consecutive triple patterns form one BGP; path
// patterns are joined in order.
func (t *translator) triples(ts []*ast.Triples) Op {
	b := &bgpBuilder{t: t, op: &BGP{}}
	for _, tr := range ts {
		s := b.subject(tr.Subject)
		b.props(s, tr.Props)
	}
	b.flush()
	return b.op
}

type bgpBuilder struct {
	t   *translator
	op  Op
	cur []Triple
}

func (b *bgpBuilder) add(s, p, o Node) { b.cur = append(b.cur, Triple{s, p, o}) }

func (b *bgpBuilder) flush() {
	if len(b.cur) > 0 {
		b.op = join(b.op, &BGP{Triples: b.cur})
		b.cur = nil
	}
}

func (b *bgpBuilder) addPath(s Node, p PathExpr, o Node) {
	b.flush()
	b.op = join(b.op, &Path{S: s, Path: p, O: o})
}

// subject returns the node for a subject or object, adding the triples its
// sugar stands for.
func (b *bgpBuilder) subject(n ast.TermNode) Node {
	switch n := n.(type) {
	case *ast.BlankNodePropertyList:
		v := V(b.t.newVar("b"))
		b.props(v, n.Props)
		return v
	case *ast.Collection:
		if len(n.Items) == 0 {
			return T(graph.IRI(rdfNil))
		}
		head := V(b.t.newVar("l"))
		cur := head
		for i, it := range n.Items {
			item := b.subject(it)
			b.add(cur, T(graph.IRI(rdfFirst)), item)
			var next Node
			if i == len(n.Items)-1 {
				next = T(graph.IRI(rdfNil))
			} else {
				next = V(b.t.newVar("l"))
			}
			b.add(cur, T(graph.IRI(rdfRest)), next)
			cur = next
		}
		return head
	}
	return b.t.node(n)
}

func (b *bgpBuilder) props(s Node, ps []*ast.Property) {
	for _, p := range ps {
		for _, o := range p.Objects {
			on := b.subject(o)
			b.path(s, b.t.path(p.Verb), p.Verb, on)
		}
	}
}

// path translates one (s, path, o) per §18.2.2.4.
func (b *bgpBuilder) path(s Node, pe PathExpr, verb ast.Path, o Node) {
	if v, ok := verb.(*ast.Var); ok {
		b.add(s, V(v.Name), o)
		return
	}
	b.pathExpr(s, pe, o)
}

func (b *bgpBuilder) pathExpr(s Node, pe PathExpr, o Node) {
	switch p := pe.(type) {
	case *Link:
		b.add(s, T(p.IRI), o)
	case *Inverse:
		if l, ok := p.Path.(*Link); ok {
			b.add(o, T(l.IRI), s)
			return
		}
		b.addPath(s, pe, o)
	case *Seq:
		m := V(b.t.newVar("p"))
		b.pathExpr(s, p.L, m)
		b.pathExpr(m, p.R, o)
	default:
		b.addPath(s, pe, o)
	}
}

// path translates a syntax path to a path expression.
func (t *translator) path(p ast.Path) PathExpr {
	switch p := p.(type) {
	case *ast.Term:
		return &Link{IRI: p.Value}
	case *ast.Var:
		return nil // handled by the caller
	case *ast.PathAlt:
		var out PathExpr
		for i, x := range p.Paths {
			if i == 0 {
				out = t.path(x)
			} else {
				out = &Alt{L: out, R: t.path(x)}
			}
		}
		return out
	case *ast.PathSeq:
		var out PathExpr
		for i, x := range p.Paths {
			if i == 0 {
				out = t.path(x)
			} else {
				out = &Seq{L: out, R: t.path(x)}
			}
		}
		return out
	case *ast.PathInverse:
		return &Inverse{Path: t.path(p.Path)}
	case *ast.PathMod:
		in := t.path(p.Path)
		switch p.Mod {
		case '*':
			return &ZeroOrMore{Path: in}
		case '+':
			return &OneOrMore{Path: in}
		default:
			return &ZeroOrOne{Path: in}
		}
	case *ast.PathNegated:
		var fwd, bwd []graph.Term
		for _, it := range p.Items {
			if it.Inverse {
				bwd = append(bwd, graph.IRI(it.IRI))
			} else {
				fwd = append(fwd, graph.IRI(it.IRI))
			}
		}
		switch {
		case len(bwd) == 0:
			return &NegatedSet{Forward: fwd}
		case len(fwd) == 0:
			return &Inverse{Path: &NegatedSet{Forward: bwd}}
		}
		return &Alt{L: &NegatedSet{Forward: fwd}, R: &Inverse{Path: &NegatedSet{Forward: bwd}}}
	}
	if t.err == nil {
		t.err = fmt.Errorf("algebra: unknown path %T", p)
	}
	return nil
}

// aggCollector replaces aggregates in the expressions of a grouped query by
// fresh variables and collects their definitions (§18.2.4.1).
type aggCollector struct {
	t    *translator
	aggs []AggBinding
}

func (a *aggCollector) add(ag *Aggregate) string {
	v := a.t.newVar("agg")
	a.aggs = append(a.aggs, AggBinding{Var: v, Agg: ag})
	return v
}

// expr translates an expression; aggregates are replaced through agg (nil
// outside a grouped context).
func (t *translator) expr(e ast.Expr, agg *aggCollector) Expr {
	switch e := e.(type) {
	case *ast.Var:
		return &Var{Name: e.Name}
	case *ast.Term:
		return &Const{Term: e.Value}
	case *ast.Binary:
		return &Binary{Op: e.Op, X: t.expr(e.X, agg), Y: t.expr(e.Y, agg)}
	case *ast.Unary:
		return &Unary{Op: e.Op, X: t.expr(e.X, agg)}
	case *ast.In:
		in := &In{Not: e.Not, X: t.expr(e.X, agg)}
		for _, x := range e.List {
			in.List = append(in.List, t.expr(x, agg))
		}
		return in
	case *ast.Call:
		c := &Call{Func: strings.ToUpper(e.Func)}
		for _, x := range e.Args {
			c.Args = append(c.Args, t.expr(x, agg))
		}
		return c
	case *ast.FuncCall:
		c := &FuncCall{IRI: e.IRI}
		for _, x := range e.Args {
			c.Args = append(c.Args, t.expr(x, agg))
		}
		return c
	case *ast.Exists:
		return &Exists{Not: e.Not, Op: t.pattern(e.Pattern)}
	case *ast.Aggregate:
		ag := &Aggregate{Func: e.Func, Distinct: e.Distinct, Separator: " "}
		if e.HasSeparator {
			ag.Separator = e.Separator
		}
		if !e.Star && e.Arg != nil {
			ag.Arg = t.expr(e.Arg, nil)
		}
		if agg == nil {
			if t.err == nil {
				t.err = fmt.Errorf("algebra: aggregate %s outside a grouped query", e.Func)
			}
			return &Const{}
		}
		return &Var{Name: agg.add(ag)}
	}
	if t.err == nil {
		t.err = fmt.Errorf("algebra: unknown expression %T", e)
	}
	return &Const{}
}

// labeller turns a CONSTRUCT template into triples whose blank nodes are
// blank-node constants (one per label or anonymous node).
type labeller struct {
	n int
}

func (l *labeller) fresh() Node {
	l.n++
	return T(graph.Blank("t" + strconv.Itoa(l.n)))
}

func (l *labeller) template(tr *ast.Triples, out *[]Triple) {
	s := l.node(tr.Subject, out)
	l.props(s, tr.Props, out)
}

func (l *labeller) props(s Node, ps []*ast.Property, out *[]Triple) {
	for _, p := range ps {
		var pn Node
		switch v := p.Verb.(type) {
		case *ast.Var:
			pn = V(v.Name)
		case *ast.Term:
			pn = T(v.Value)
		default:
			continue // paths cannot appear in templates
		}
		for _, o := range p.Objects {
			*out = append(*out, Triple{s, pn, l.node(o, out)})
		}
	}
}

func (l *labeller) node(n ast.TermNode, out *[]Triple) Node {
	switch n := n.(type) {
	case *ast.Var:
		return V(n.Name)
	case *ast.Term:
		return T(n.Value)
	case *ast.BlankNode:
		return T(graph.Blank("l" + n.Label))
	case *ast.BlankNodePropertyList:
		b := l.fresh()
		l.props(b, n.Props, out)
		return b
	case *ast.Collection:
		if len(n.Items) == 0 {
			return T(graph.IRI(rdfNil))
		}
		head := l.fresh()
		cur := head
		for i, it := range n.Items {
			item := l.node(it, out)
			*out = append(*out, Triple{cur, T(graph.IRI(rdfFirst)), item})
			var next Node
			if i == len(n.Items)-1 {
				next = T(graph.IRI(rdfNil))
			} else {
				next = l.fresh()
			}
			*out = append(*out, Triple{cur, T(graph.IRI(rdfRest)), next})
			cur = next
		}
		return head
	}
	return Node{}
}
