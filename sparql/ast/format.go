package ast

import (
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

const rdfType = graph.RDFNamespace + "type"

// Format returns n as SPARQL text that parses back to the same tree
// (positions aside). It prints queries, updates, forms, operations,
// patterns, expressions, terms, paths, triples, quad templates and
// declarations; other helper nodes (a SelectItem, a Property, ...) print as
// "". The prologue is printed as it was declared, IRIs are
// abbreviated with the declared prefixes where the local part is plain,
// compound expressions and paths are fully parenthesised, and blank-node
// labels and variable names are kept.
func Format(n Node) string {
	var p printer
	p.node(n)
	return p.b.String()
}

// String returns the query as SPARQL text (see Format).
func (q *Query) String() string { return Format(q) }

// String returns the update request as SPARQL text (see Format).
func (u *Update) String() string { return Format(u) }

type printer struct {
	b        strings.Builder
	indent   int
	prefixes []*Decl // PREFIX declarations in effect, latest last
}

func (p *printer) ws(s string) { p.b.WriteString(s) }

func (p *printer) nl() {
	p.b.WriteByte('\n')
	for range p.indent {
		p.b.WriteString("  ")
	}
}

func (p *printer) node(n Node) {
	switch n := n.(type) {
	case *Query:
		p.query(n)
	case *Update:
		p.update(n)
	case Expr:
		p.expr(n)
	case Pattern:
		p.pattern(n)
	case TermNode:
		p.term(n)
	case Path:
		p.path(n)
	case Operation:
		p.operation(n)
	case QueryForm:
		p.form(n)
	case *Decl:
		p.decl(n)
	case *Triples:
		p.triples(n)
	case *QuadTemplate:
		p.quads(n)
	}
}

func (p *printer) decls(ds []*Decl) {
	for _, d := range ds {
		p.decl(d)
		p.nl()
	}
}

func (p *printer) decl(d *Decl) {
	if d.Base {
		p.ws("BASE <")
		p.ws(d.IRI)
		p.ws(">")
		return
	}
	p.ws("PREFIX ")
	p.ws(d.Prefix)
	p.ws(": <")
	p.ws(d.IRI)
	p.ws(">")
	p.prefixes = append(p.prefixes, d)
}

func (p *printer) query(q *Query) {
	p.decls(q.Prologue)
	c, short := q.Form.(*Construct)
	short = short && c.Short
	if short {
		p.ws("CONSTRUCT")
	} else {
		p.form(q.Form)
	}
	for _, d := range q.Dataset {
		p.nl()
		p.dataset("FROM", d)
	}
	switch {
	case short:
		p.nl()
		p.ws("WHERE {")
		p.indent++
		p.triplesList(c.Template)
		p.indent--
		p.nl()
		p.ws("}")
	case q.Where != nil:
		p.nl()
		p.ws("WHERE ")
		p.pattern(q.Where)
	}
	p.modifiers(&q.Modifiers)
	if q.Values != nil {
		p.nl()
		p.values(q.Values)
	}
}

func (p *printer) dataset(kw string, d *DatasetClause) {
	p.ws(kw)
	if d.Named {
		p.ws(" NAMED")
	}
	p.ws(" ")
	p.iri(d.IRI)
}

func (p *printer) form(f QueryForm) {
	switch f := f.(type) {
	case *Select:
		p.selectClause(f)
	case *Construct:
		if f.Short {
			p.ws("CONSTRUCT WHERE ")
		} else {
			p.ws("CONSTRUCT ")
		}
		p.ws("{")
		p.indent++
		p.triplesList(f.Template)
		p.indent--
		p.nl()
		p.ws("}")
	case *Ask:
		p.ws("ASK")
	case *Describe:
		p.ws("DESCRIBE")
		if f.Star {
			p.ws(" *")
		}
		for _, t := range f.Targets {
			p.ws(" ")
			p.term(t)
		}
	}
}

func (p *printer) selectClause(s *Select) {
	p.ws("SELECT")
	switch {
	case s.Distinct:
		p.ws(" DISTINCT")
	case s.Reduced:
		p.ws(" REDUCED")
	}
	if s.Star {
		p.ws(" *")
	}
	for _, it := range s.Items {
		p.ws(" ")
		if it.Expr == nil {
			p.variable(it.Var)
			continue
		}
		p.ws("(")
		p.expr(it.Expr)
		p.ws(" AS ")
		p.variable(it.Var)
		p.ws(")")
	}
}

func (p *printer) modifiers(m *Modifiers) {
	if len(m.GroupBy) > 0 {
		p.nl()
		p.ws("GROUP BY")
		for _, g := range m.GroupBy {
			p.ws(" ")
			switch {
			case g.Var != nil:
				p.ws("(")
				p.expr(g.Expr)
				p.ws(" AS ")
				p.variable(g.Var)
				p.ws(")")
			default:
				p.constraint(g.Expr, true)
			}
		}
	}
	if len(m.Having) > 0 {
		p.nl()
		p.ws("HAVING")
		for _, h := range m.Having {
			p.ws(" ")
			p.constraint(h, false)
		}
	}
	if len(m.OrderBy) > 0 {
		p.nl()
		p.ws("ORDER BY")
		for _, o := range m.OrderBy {
			p.ws(" ")
			if o.Desc {
				p.ws("DESC(")
				p.expr(o.Expr)
				p.ws(")")
				continue
			}
			p.constraint(o.Expr, true)
		}
	}
	if m.Limit != nil {
		p.nl()
		p.ws("LIMIT ")
		p.ws(strconv.FormatInt(*m.Limit, 10))
	}
	if m.Offset != nil {
		p.nl()
		p.ws("OFFSET ")
		p.ws(strconv.FormatInt(*m.Offset, 10))
	}
}

// constraint prints e where the grammar wants a Constraint (a bracketed
// expression or a call), or a variable as well when varOK.
func (p *printer) constraint(e Expr, varOK bool) {
	switch e.(type) {
	case *Call, *FuncCall, *Exists, *Binary, *In:
		p.expr(e) // calls are constraints; Binary and In print bracketed
		return
	case *Var:
		if varOK {
			p.expr(e)
			return
		}
	case *Aggregate:
		// an aggregate is a BuiltInCall in the grammar
		p.expr(e)
		return
	}
	p.ws("(")
	p.expr(e)
	p.ws(")")
}

func (p *printer) pattern(pt Pattern) {
	switch pt := pt.(type) {
	case *Group:
		p.ws("{")
		p.indent++
		for _, e := range pt.Elems {
			p.nl()
			p.pattern(e)
		}
		p.indent--
		p.nl()
		p.ws("}")
	case *SubSelect:
		p.ws("{")
		p.indent++
		p.nl()
		p.selectClause(pt.Select)
		p.nl()
		p.ws("WHERE ")
		if pt.Where != nil {
			p.pattern(pt.Where)
		} else {
			p.ws("{}")
		}
		p.modifiers(&pt.Modifiers)
		if pt.Values != nil {
			p.nl()
			p.values(pt.Values)
		}
		p.indent--
		p.nl()
		p.ws("}")
	case *TriplesBlock:
		for i, t := range pt.Triples {
			if i > 0 {
				p.nl()
			}
			p.triples(t)
			p.ws(" .")
		}
	case *Optional:
		p.ws("OPTIONAL ")
		p.pattern(pt.Pattern)
	case *Minus:
		p.ws("MINUS ")
		p.pattern(pt.Pattern)
	case *Union:
		for i, u := range pt.Patterns {
			if i > 0 {
				p.ws(" UNION ")
			}
			p.pattern(u)
		}
	case *Graph:
		p.ws("GRAPH ")
		p.term(pt.Name)
		p.ws(" ")
		p.pattern(pt.Pattern)
	case *Service:
		p.ws("SERVICE ")
		if pt.Silent {
			p.ws("SILENT ")
		}
		p.term(pt.Name)
		p.ws(" ")
		p.pattern(pt.Pattern)
	case *Filter:
		p.ws("FILTER ")
		p.constraint(pt.Expr, false)
	case *Bind:
		p.ws("BIND (")
		p.expr(pt.Expr)
		p.ws(" AS ")
		p.variable(pt.Var)
		p.ws(")")
	case *Values:
		p.values(pt)
	}
}

func (p *printer) values(v *Values) {
	p.ws("VALUES (")
	for i, x := range v.Vars {
		if i > 0 {
			p.ws(" ")
		}
		p.variable(x)
	}
	p.ws(") {")
	for _, row := range v.Rows {
		p.ws(" (")
		for i, t := range row {
			if i > 0 {
				p.ws(" ")
			}
			if t == nil {
				p.ws("UNDEF")
			} else {
				p.constant(t.Value)
			}
		}
		p.ws(")")
	}
	p.ws(" }")
}

func (p *printer) triplesList(ts []*Triples) {
	for _, t := range ts {
		p.nl()
		p.triples(t)
		p.ws(" .")
	}
}

func (p *printer) triples(t *Triples) {
	p.term(t.Subject)
	if len(t.Props) > 0 {
		p.ws(" ")
		p.props(t.Props)
	}
}

func (p *printer) props(ps []*Property) {
	for i, pr := range ps {
		if i > 0 {
			p.ws(" ; ")
		}
		p.verb(pr.Verb)
		for j, o := range pr.Objects {
			if j > 0 {
				p.ws(",")
			}
			p.ws(" ")
			p.term(o)
		}
	}
}

func (p *printer) verb(v Path) {
	if t, ok := v.(*Term); ok && t.Value.IsIRI() && t.Value.Value() == rdfType {
		p.ws("a")
		return
	}
	p.path(v)
}

func (p *printer) term(t TermNode) {
	switch t := t.(type) {
	case *Var:
		p.variable(t)
	case *Term:
		p.constant(t.Value)
	case *BlankNode:
		p.ws("_:")
		p.ws(t.Label)
	case *BlankNodePropertyList:
		if len(t.Props) == 0 {
			p.ws("[]")
			return
		}
		p.ws("[ ")
		p.props(t.Props)
		p.ws(" ]")
	case *Collection:
		p.ws("(")
		for _, it := range t.Items {
			p.ws(" ")
			p.term(it)
		}
		p.ws(" )")
	}
}

func (p *printer) variable(v *Var) {
	p.ws("?")
	p.ws(v.Name)
}

func (p *printer) path(pt Path) {
	switch pt := pt.(type) {
	case *Var:
		p.variable(pt)
	case *Term:
		if pt.Value.IsIRI() && pt.Value.Value() == rdfType {
			p.ws("a")
			return
		}
		p.constant(pt.Value)
	case *PathAlt:
		p.pathList(pt.Paths, " | ")
	case *PathSeq:
		p.pathList(pt.Paths, " / ")
	case *PathInverse:
		p.ws("^")
		p.pathPrimary(pt.Path)
	case *PathMod:
		p.pathPrimary(pt.Path)
		p.b.WriteByte(pt.Mod)
	case *PathNegated:
		p.ws("!(")
		for i, it := range pt.Items {
			if i > 0 {
				p.ws(" | ")
			}
			if it.Inverse {
				p.ws("^")
			}
			p.iriOrA(it.IRI)
		}
		p.ws(")")
	}
}

func (p *printer) pathList(ps []Path, sep string) {
	p.ws("(")
	for i, x := range ps {
		if i > 0 {
			p.ws(sep)
		}
		p.path(x)
	}
	p.ws(")")
}

// pathPrimary prints pt so that a following modifier or a preceding ^ binds
// to all of it.
func (p *printer) pathPrimary(pt Path) {
	switch pt.(type) {
	case *PathInverse, *PathMod:
		p.ws("(")
		p.path(pt)
		p.ws(")")
	default:
		p.path(pt)
	}
}

func (p *printer) iriOrA(s string) {
	if s == rdfType {
		p.ws("a")
		return
	}
	p.iri(s)
}

// constant prints an IRI or literal, numbers and booleans in their short
// form when the lexical form allows it.
func (p *printer) constant(t graph.Term) {
	switch t.Kind() {
	case graph.KindIRI:
		p.iri(t.Value())
		return
	case graph.KindLiteral:
		lex := t.Value()
		switch t.Datatype() {
		case graph.XSDInteger:
			if IsNumericLexical(lex) == graph.XSDInteger {
				p.ws(lex)
				return
			}
		case graph.XSDDecimal:
			if IsNumericLexical(lex) == graph.XSDDecimal {
				p.ws(lex)
				return
			}
		case graph.XSDDouble:
			if IsNumericLexical(lex) == graph.XSDDouble {
				p.ws(lex)
				return
			}
		case graph.XSDBoolean:
			if lex == "true" || lex == "false" {
				p.ws(lex)
				return
			}
		case graph.XSDString, graph.RDFLangString:
			graph.AppendTerm(&p.b, t)
			return
		}
		graph.AppendTerm(&p.b, graph.String(lex))
		p.ws("^^")
		p.iri(t.Datatype())
		return
	}
	graph.AppendTerm(&p.b, t)
}

// iri prints s as a prefixed name when a declared prefix covers it with a
// plain local part, else as <s>.
func (p *printer) iri(s string) {
	for i := len(p.prefixes) - 1; i >= 0; i-- {
		d := p.prefixes[i]
		local, ok := strings.CutPrefix(s, d.IRI)
		if !ok || !plainLocal(local) || p.shadowed(d, i) {
			continue
		}
		p.ws(d.Prefix)
		p.ws(":")
		p.ws(local)
		return
	}
	p.ws("<")
	p.ws(s)
	p.ws(">")
}

// shadowed reports whether a later declaration redefines d's prefix.
func (p *printer) shadowed(d *Decl, i int) bool {
	for _, e := range p.prefixes[i+1:] {
		if e.Prefix == d.Prefix {
			return true
		}
	}
	return false
}

// plainLocal reports whether s can follow a prefix as a PN_LOCAL without
// escapes: letters, digits, '_' and '-', not starting with '-'.
func plainLocal(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
		case c == '-' && i > 0:
		default:
			return false
		}
	}
	return true
}

// IsNumericLexical returns the datatype a SPARQL numeric token with text s
// has (xsd:integer, xsd:decimal or xsd:double, with an optional sign), or ""
// when s is not such a token.
func IsNumericLexical(s string) string {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	intDigits := digits()
	dt := graph.XSDInteger
	fracDigits := 0
	if i < len(s) && s[i] == '.' {
		i++
		fracDigits = digits()
		dt = graph.XSDDecimal
	}
	if intDigits == 0 && fracDigits == 0 {
		return ""
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return ""
		}
		dt = graph.XSDDouble
	}
	if i != len(s) {
		return ""
	}
	if dt == graph.XSDDecimal && fracDigits == 0 {
		return "" // "1." is not a DECIMAL token
	}
	return dt
}

func (p *printer) expr(e Expr) {
	switch e := e.(type) {
	case *Var:
		p.variable(e)
	case *Term:
		p.constant(e.Value)
	case *Binary:
		p.ws("(")
		p.expr(e.X)
		p.ws(" ")
		p.ws(e.Op.String())
		p.ws(" ")
		p.expr(e.Y)
		p.ws(")")
	case *Unary:
		p.ws(e.Op.String())
		p.ws("(")
		p.expr(e.X)
		p.ws(")")
	case *In:
		p.ws("(")
		p.expr(e.X)
		if e.Not {
			p.ws(" NOT")
		}
		p.ws(" IN (")
		p.exprList(e.List)
		p.ws("))")
	case *Call:
		p.ws(e.Func)
		p.ws("(")
		p.exprList(e.Args)
		p.ws(")")
	case *FuncCall:
		p.iri(e.IRI)
		p.ws("(")
		if e.Distinct {
			p.ws("DISTINCT ")
		}
		p.exprList(e.Args)
		p.ws(")")
	case *Exists:
		if e.Not {
			p.ws("NOT ")
		}
		p.ws("EXISTS ")
		p.pattern(e.Pattern)
	case *Aggregate:
		p.ws(e.Func)
		p.ws("(")
		if e.Distinct {
			p.ws("DISTINCT ")
		}
		if e.Star {
			p.ws("*")
		} else if e.Arg != nil {
			p.expr(e.Arg)
		}
		if e.HasSeparator {
			p.ws(" ; SEPARATOR = ")
			graph.AppendTerm(&p.b, graph.String(e.Separator))
		}
		p.ws(")")
	}
}

func (p *printer) exprList(es []Expr) {
	for i, a := range es {
		if i > 0 {
			p.ws(", ")
		}
		p.expr(a)
	}
}

func (p *printer) update(u *Update) {
	for i, s := range u.Steps {
		if i > 0 {
			p.ws(" ;")
			p.nl()
		}
		p.decls(s.Prologue)
		if s.Op != nil {
			p.operation(s.Op)
		}
	}
}

func (p *printer) operation(op Operation) {
	switch op := op.(type) {
	case *InsertData:
		p.ws("INSERT DATA ")
		p.quads(op.Data)
	case *DeleteData:
		p.ws("DELETE DATA ")
		p.quads(op.Data)
	case *DeleteWhere:
		p.ws("DELETE WHERE ")
		p.quads(op.Pattern)
	case *Modify:
		if op.With != "" {
			p.ws("WITH ")
			p.iri(op.With)
			p.nl()
		}
		if op.Delete != nil {
			p.ws("DELETE ")
			p.quads(op.Delete)
			p.nl()
		}
		if op.Insert != nil {
			p.ws("INSERT ")
			p.quads(op.Insert)
			p.nl()
		}
		for _, d := range op.Using {
			p.dataset("USING", d)
			p.nl()
		}
		p.ws("WHERE ")
		p.pattern(op.Where)
	case *Load:
		p.ws("LOAD ")
		if op.Silent {
			p.ws("SILENT ")
		}
		p.iri(op.Source)
		if op.Into != "" {
			p.ws(" INTO GRAPH ")
			p.iri(op.Into)
		}
	case *Clear:
		p.ws("CLEAR ")
		if op.Silent {
			p.ws("SILENT ")
		}
		p.target(op.Target)
	case *Drop:
		p.ws("DROP ")
		if op.Silent {
			p.ws("SILENT ")
		}
		p.target(op.Target)
	case *Create:
		p.ws("CREATE ")
		if op.Silent {
			p.ws("SILENT ")
		}
		p.ws("GRAPH ")
		p.iri(op.Graph)
	case *Transfer:
		p.ws(op.Kind.String())
		p.ws(" ")
		if op.Silent {
			p.ws("SILENT ")
		}
		p.target(op.From)
		p.ws(" TO ")
		p.target(op.To)
	}
}

func (p *printer) target(t GraphTarget) {
	switch t.Kind {
	case TargetDefault:
		p.ws("DEFAULT")
	case TargetNamed:
		p.ws("NAMED")
	case TargetAll:
		p.ws("ALL")
	default:
		p.ws("GRAPH ")
		p.iri(t.IRI)
	}
}

func (p *printer) quads(q *QuadTemplate) {
	p.ws("{")
	p.indent++
	for _, b := range q.Blocks {
		if b.Graph == nil {
			p.triplesList(b.Triples)
			continue
		}
		p.nl()
		p.ws("GRAPH ")
		p.term(b.Graph)
		p.ws(" {")
		p.indent++
		p.triplesList(b.Triples)
		p.indent--
		p.nl()
		p.ws("}")
	}
	p.indent--
	p.nl()
	p.ws("}")
}
