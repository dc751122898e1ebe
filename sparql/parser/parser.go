// Package parser reads SPARQL 1.1 Query and Update text into the syntax tree
// of sparql/ast.
//
// It is a hand-written lexer and recursive-descent parser following the
// grammar of SPARQL 1.1 Query §19.8 and Update §19 (LL(1) with a two-token
// look-ahead for NIL and ANON). Besides the grammar it enforces the static
// rules the W3C syntax tests check: variable scope of SELECT expressions and
// BIND, GROUP BY rules for projections, where aggregates may appear, blank
// node label scope, no blank nodes in DELETE, no variables in INSERT/DELETE
// DATA, and the arity of VALUES rows.
//
// Not implemented: codepoint escapes (\uXXXX) outside strings and IRIs.
// SPARQL defines them as a pre-pass over the whole text, but then an escaped
// quote would end a string, which no implementation does; like Jena and
// Oxigraph this parser decodes them inside strings and IRIs only.
//
// Errors are *syntax.Error values with the file, line and column of the
// offending token and a message saying what was expected and what was found.
package parser

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/sparql/ast"
)

// Options configure parsing. The zero value works: relative IRIs stay
// relative unless the text declares a BASE, and errors name "<input>".
type Options struct {
	// Base is the IRI relative IRIs are resolved against (RFC 3986 §5.1),
	// until a BASE declaration replaces it.
	Base string
	// File names the input in error messages.
	File string
}

// maxDepth bounds the nesting of groups, expressions, paths and
// collections, so that hostile input cannot exhaust the stack.
const maxDepth = 500

// ParseQuery parses a SPARQL 1.1 query.
func ParseQuery(src string, opts Options) (*ast.Query, error) {
	p := newParser(src, opts)
	q := p.query()
	if p.err != nil {
		return nil, p.err
	}
	return q, nil
}

// ParseUpdate parses a SPARQL 1.1 update request.
func ParseUpdate(src string, opts Options) (*ast.Update, error) {
	p := newParser(src, opts)
	u := p.update()
	if p.err != nil {
		return nil, p.err
	}
	return u, nil
}

type parser struct {
	lx       *lexer
	tok      token
	ahead    []token // look-ahead buffer beyond tok
	err      *syntax.Error
	file     string
	base     string
	prefixes map[string]string
	depth    int

	// static-rule state
	aggOK     bool           // aggregates allowed in the expression being parsed
	bgpLabels map[string]int // blank label -> basic graph pattern that used it
	tplLabels map[string]int // blank label -> template/data block that used it
	scopeSeq  int            // source of BGP/template ids
	inTpl     int            // id of the template being parsed, 0 in patterns
	inData    bool           // parsing INSERT DATA / DELETE DATA, whose labels are request-scoped
	curBGP    int            // id of the BGP being parsed
	noBlanks  string         // non-empty: blank nodes forbidden here (names the clause)
	noVars    string         // non-empty: variables forbidden here (names the clause)
}

func newParser(src string, opts Options) *parser {
	p := &parser{
		lx:        newLexer(src),
		file:      opts.File,
		base:      opts.Base,
		prefixes:  map[string]string{},
		bgpLabels: map[string]int{},
		tplLabels: map[string]int{},
	}
	p.tok = p.lx.next()
	p.checkLex()
	return p
}

// checkLex turns a lexer error into the parser's sticky error.
func (p *parser) checkLex() {
	if p.lx.err != nil && p.err == nil {
		e := p.lx.err
		p.err = &syntax.Error{File: p.file, Line: e.pos.Line, Column: e.pos.Column, Msg: e.msg}
	}
}

func (p *parser) next() {
	if p.err != nil {
		p.tok = token{kind: tEOF, pos: p.tok.pos}
		return
	}
	if len(p.ahead) > 0 {
		p.tok = p.ahead[0]
		p.ahead = p.ahead[1:]
	} else {
		p.tok = p.lx.next()
	}
	p.checkLex()
}

// peek returns the token after the current one.
func (p *parser) peek() token {
	if len(p.ahead) == 0 {
		p.ahead = append(p.ahead, p.lx.next())
	}
	return p.ahead[0]
}

// errorAt records the first error and stops the parse: from now on every
// token is tEOF.
func (p *parser) errorAt(pos ast.Pos, format string, args ...any) {
	if p.err == nil {
		p.err = &syntax.Error{File: p.file, Line: pos.Line, Column: pos.Column, Msg: fmt.Sprintf(format, args...)}
	}
	p.tok = token{kind: tEOF, pos: pos}
	p.ahead = nil
}

// expected reports that the current token is not what the grammar wants.
func (p *parser) expected(what string) {
	p.errorAt(p.tok.pos, "expected %s, found %s", what, p.tok.describe())
}

func (p *parser) isPunct(s string) bool { return p.tok.kind == tPunct && p.tok.text == s }

func (p *parser) acceptPunct(s string) bool {
	if p.isPunct(s) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expectPunct(s string) bool {
	if p.acceptPunct(s) {
		return true
	}
	p.expected(strconv.Quote(s))
	return false
}

// isWord reports whether the current token is keyword kw (case-insensitive).
func (p *parser) isWord(kw string) bool {
	return p.tok.kind == tWord && strings.EqualFold(p.tok.text, kw)
}

func isWordTok(t token, kw string) bool { return t.kind == tWord && strings.EqualFold(t.text, kw) }

func (p *parser) acceptWord(kw string) bool {
	if p.isWord(kw) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expectWord(kw string) bool {
	if p.acceptWord(kw) {
		return true
	}
	p.expected(kw)
	return false
}

func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.errorAt(p.tok.pos, "nesting deeper than %d levels", maxDepth)
		return false
	}
	return true
}

func (p *parser) leave() { p.depth-- }

// ---- prologue and IRIs ----

func (p *parser) prologue() []*ast.Decl {
	var ds []*ast.Decl
	for p.err == nil {
		pos := p.tok.pos
		switch {
		case p.isWord("BASE"):
			p.next()
			if p.tok.kind != tIRI {
				p.expected("an IRI after BASE")
				return ds
			}
			b := p.resolve(p.tok.text)
			p.next()
			p.base = b
			ds = append(ds, &ast.Decl{Pos: pos, Base: true, IRI: b})
		case p.isWord("PREFIX"):
			p.next()
			if p.tok.kind != tPNameNS {
				p.expected("a prefix name ending in ':' after PREFIX")
				return ds
			}
			name := p.tok.text
			if name != "" && !validPrefix(name) {
				p.errorAt(p.tok.pos, "invalid prefix name %q", name)
				return ds
			}
			p.next()
			if p.tok.kind != tIRI {
				p.expected("an IRI after PREFIX " + name + ":")
				return ds
			}
			ns := p.resolve(p.tok.text)
			p.next()
			p.prefixes[name] = ns
			ds = append(ds, &ast.Decl{Pos: pos, Prefix: name, IRI: ns})
		default:
			return ds
		}
	}
	return ds
}

// validPrefix checks PN_PREFIX: the lexer guarantees the characters, here
// only the first one needs a look (it must not be '_' or a digit).
func validPrefix(s string) bool {
	c := s[0]
	return c != '_' && !isDigit(c) && c != '-' && c != '.'
}

// resolve resolves an IRI reference against the current base. Without a
// usable base a relative reference is kept as written.
func (p *parser) resolve(ref string) string {
	if p.base == "" && !iri.IsAbsolute(ref) {
		return ref
	}
	s, err := iri.Resolve(p.base, ref)
	if err != nil {
		return ref
	}
	return s
}

// isIRITok reports whether the current token is an IRI or prefixed name.
func (p *parser) isIRITok() bool {
	k := p.tok.kind
	return k == tIRI || k == tPNameLN || k == tPNameNS
}

// iri reads an IRIREF or prefixed name and returns the full IRI.
func (p *parser) iri() (string, bool) {
	t := p.tok
	switch t.kind {
	case tIRI:
		p.next()
		return p.resolve(t.text), true
	case tPNameNS, tPNameLN:
		ns, ok := p.prefixes[t.text]
		if !ok {
			p.errorAt(t.pos, "undefined prefix %q", t.text+":")
			return "", false
		}
		p.next()
		return ns + t.local, true
	}
	p.expected("an IRI")
	return "", false
}

// ---- queries ----

func (p *parser) query() *ast.Query {
	q := &ast.Query{Pos: p.tok.pos}
	q.Prologue = p.prologue()
	pos := p.tok.pos
	switch {
	case p.isWord("SELECT"):
		sel := p.selectClause()
		q.Form = sel
		q.Dataset = p.datasetClauses("FROM")
		q.Where = p.whereClause(true)
		p.solutionModifiers(&q.Modifiers)
		p.checkSelect(sel, q.Where, &q.Modifiers)
	case p.acceptWord("CONSTRUCT"):
		c := &ast.Construct{Pos: pos}
		q.Form = c
		if p.isPunct("{") {
			c.Template = p.template()
			q.Dataset = p.datasetClauses("FROM")
			q.Where = p.whereClause(true)
		} else {
			q.Dataset = p.datasetClauses("FROM")
			if !p.expectWord("WHERE") {
				return nil
			}
			gpos := p.tok.pos
			c.Short = true
			c.Template = p.templateAs(true)
			g := &ast.Group{Pos: gpos}
			if len(c.Template) > 0 {
				g.Elems = []ast.Pattern{&ast.TriplesBlock{Pos: c.Template[0].Pos, Triples: c.Template}}
			}
			q.Where = g
		}
		p.solutionModifiers(&q.Modifiers)
		p.checkGrouping(nil, &q.Modifiers)
	case p.acceptWord("DESCRIBE"):
		d := &ast.Describe{Pos: pos}
		q.Form = d
		if p.acceptPunct("*") {
			d.Star = true
		} else {
			for p.tok.kind == tVar || p.isIRITok() {
				d.Targets = append(d.Targets, p.varOrIRI())
			}
			if len(d.Targets) == 0 {
				p.expected("a variable, an IRI or * after DESCRIBE")
			}
		}
		q.Dataset = p.datasetClauses("FROM")
		if p.isWord("WHERE") || p.isPunct("{") {
			q.Where = p.whereClause(true)
		}
		p.solutionModifiers(&q.Modifiers)
		p.checkGrouping(nil, &q.Modifiers)
	case p.acceptWord("ASK"):
		q.Form = &ast.Ask{Pos: pos}
		q.Dataset = p.datasetClauses("FROM")
		q.Where = p.whereClause(true)
		p.solutionModifiers(&q.Modifiers)
		p.checkGrouping(nil, &q.Modifiers)
	default:
		p.expected("SELECT, CONSTRUCT, DESCRIBE or ASK")
		return nil
	}
	if p.isWord("VALUES") {
		q.Values = p.values()
	}
	if p.tok.kind != tEOF {
		p.expected("end of query")
	}
	return q
}

func (p *parser) datasetClauses(kw string) []*ast.DatasetClause {
	var ds []*ast.DatasetClause
	for p.isWord(kw) {
		d := &ast.DatasetClause{Pos: p.tok.pos}
		p.next()
		d.Named = p.acceptWord("NAMED")
		d.IRI, _ = p.iri()
		ds = append(ds, d)
	}
	return ds
}

func (p *parser) whereClause(optionalKeyword bool) ast.Pattern {
	if !p.acceptWord("WHERE") && !optionalKeyword {
		p.expected("WHERE")
		return nil
	}
	if !p.isPunct("{") {
		p.expected("'{' to open the WHERE pattern")
		return nil
	}
	return p.groupGraphPattern()
}

func (p *parser) selectClause() *ast.Select {
	s := &ast.Select{Pos: p.tok.pos}
	p.next() // SELECT
	if p.acceptWord("DISTINCT") {
		s.Distinct = true
	} else if p.acceptWord("REDUCED") {
		s.Reduced = true
	}
	if p.acceptPunct("*") {
		s.Star = true
		return s
	}
	for p.err == nil {
		switch {
		case p.tok.kind == tVar:
			s.Items = append(s.Items, &ast.SelectItem{Pos: p.tok.pos, Var: p.variable()})
			continue
		case p.isPunct("("):
			it := &ast.SelectItem{Pos: p.tok.pos}
			p.next()
			saved := p.aggOK
			p.aggOK = true
			it.Expr = p.expression()
			p.aggOK = saved
			if !p.expectWord("AS") {
				return s
			}
			if p.tok.kind != tVar {
				p.expected("a variable after AS")
				return s
			}
			it.Var = p.variable()
			p.expectPunct(")")
			s.Items = append(s.Items, it)
			continue
		}
		break
	}
	if len(s.Items) == 0 {
		p.expected("a variable, (expression AS ?var) or * in SELECT")
	}
	return s
}

func (p *parser) variable() *ast.Var {
	v := &ast.Var{Pos: p.tok.pos, Name: p.tok.text}
	if p.noVars != "" {
		p.errorAt(p.tok.pos, "variables are not allowed in %s", p.noVars)
	}
	p.next()
	return v
}

func (p *parser) varOrIRI() ast.TermNode {
	if p.tok.kind == tVar {
		return p.variable()
	}
	pos := p.tok.pos
	s, _ := p.iri()
	return &ast.Term{Pos: pos, Value: graph.IRI(s)}
}

func (p *parser) solutionModifiers(m *ast.Modifiers) {
	saved := p.aggOK
	defer func() { p.aggOK = saved }()
	if p.isWord("GROUP") {
		p.next()
		if !p.expectWord("BY") {
			return
		}
		p.aggOK = false
		for p.err == nil {
			g := &ast.GroupCondition{Pos: p.tok.pos}
			switch {
			case p.tok.kind == tVar:
				g.Expr = p.variable()
			case p.isPunct("("):
				p.next()
				g.Expr = p.expression()
				if p.acceptWord("AS") {
					if p.tok.kind != tVar {
						p.expected("a variable after AS")
						return
					}
					g.Var = p.variable()
				}
				p.expectPunct(")")
			case p.startsCall():
				g.Expr = p.primary()
			default:
				if len(m.GroupBy) == 0 {
					p.expected("a GROUP BY condition")
				}
				g = nil
			}
			if g == nil {
				break
			}
			m.GroupBy = append(m.GroupBy, g)
		}
	}
	if p.acceptWord("HAVING") {
		p.aggOK = true
		for p.err == nil && (p.isPunct("(") || p.startsCall()) {
			m.Having = append(m.Having, p.constraint())
		}
		if len(m.Having) == 0 {
			p.expected("a HAVING condition")
		}
	}
	if p.isWord("ORDER") {
		p.next()
		if !p.expectWord("BY") {
			return
		}
		p.aggOK = true
		for p.err == nil {
			o := &ast.OrderCondition{Pos: p.tok.pos}
			switch {
			case p.isWord("ASC") || p.isWord("DESC"):
				o.Desc = p.isWord("DESC")
				p.next()
				if !p.isPunct("(") {
					p.expected("'(' after ASC/DESC")
					return
				}
				o.Expr = p.bracketted()
			case p.tok.kind == tVar:
				o.Expr = p.variable()
			case p.isPunct("(") || p.startsCall():
				o.Expr = p.constraint()
			default:
				o = nil
			}
			if o == nil {
				break
			}
			m.OrderBy = append(m.OrderBy, o)
		}
		if len(m.OrderBy) == 0 {
			p.expected("an ORDER BY condition")
		}
	}
	for range 2 {
		switch {
		case m.Limit == nil && p.isWord("LIMIT"):
			p.next()
			m.Limit = p.nonNegInt("LIMIT")
		case m.Offset == nil && p.isWord("OFFSET"):
			p.next()
			m.Offset = p.nonNegInt("OFFSET")
		}
	}
}

func (p *parser) nonNegInt(clause string) *int64 {
	if p.tok.kind != tInteger || p.tok.text[0] == '+' || p.tok.text[0] == '-' {
		p.expected("a non-negative integer after " + clause)
		return nil
	}
	n, err := strconv.ParseInt(p.tok.text, 10, 64)
	if err != nil {
		p.errorAt(p.tok.pos, "%s %s is too large", clause, p.tok.text)
		return nil
	}
	p.next()
	return &n
}

// ---- VALUES ----

func (p *parser) values() *ast.Values {
	v := &ast.Values{Pos: p.tok.pos}
	p.next() // VALUES
	if p.tok.kind == tVar {
		v.Vars = []*ast.Var{p.variable()}
		if !p.expectPunct("{") {
			return v
		}
		for p.err == nil && !p.isPunct("}") {
			t, ok := p.dataValue()
			if !ok {
				return v
			}
			v.Rows = append(v.Rows, []*ast.Term{t})
		}
		p.expectPunct("}")
		return v
	}
	if !p.expectPunct("(") {
		return v
	}
	for p.tok.kind == tVar {
		v.Vars = append(v.Vars, p.variable())
	}
	if !p.expectPunct(")") || !p.expectPunct("{") {
		return v
	}
	for p.err == nil && p.isPunct("(") {
		rpos := p.tok.pos
		p.next()
		row := []*ast.Term{}
		for p.err == nil && !p.isPunct(")") {
			t, ok := p.dataValue()
			if !ok {
				return v
			}
			row = append(row, t)
		}
		p.expectPunct(")")
		if len(row) != len(v.Vars) {
			p.errorAt(rpos, "VALUES row has %d values for %d variables", len(row), len(v.Vars))
			return v
		}
		v.Rows = append(v.Rows, row)
	}
	p.expectPunct("}")
	return v
}

// dataValue reads a DataBlockValue; UNDEF is nil.
func (p *parser) dataValue() (*ast.Term, bool) {
	if p.acceptWord("UNDEF") {
		return nil, true
	}
	if p.isIRITok() || p.startsLiteral() {
		t := p.constant()
		return t, t != nil
	}
	p.expected("an IRI, a literal or UNDEF in VALUES")
	return nil, false
}

// ---- group graph patterns ----

// groupGraphPattern parses '{' (SubSelect | GroupGraphPatternSub) '}'.
func (p *parser) groupGraphPattern() ast.Pattern {
	pos := p.tok.pos
	if !p.expectPunct("{") {
		return nil
	}
	if !p.enter() {
		return nil
	}
	defer p.leave()
	savedAgg := p.aggOK
	p.aggOK = false
	defer func() { p.aggOK = savedAgg }()
	if p.isWord("SELECT") {
		s := p.subSelect(pos)
		p.expectPunct("}")
		return s
	}
	g := &ast.Group{Pos: pos}
	bgp := 0 // id of the BGP continuing here, 0 when the last element ends it
	for p.err == nil && !p.isPunct("}") {
		if p.startsTriples() {
			if bgp == 0 {
				p.scopeSeq++
				bgp = p.scopeSeq
			}
			saved := p.curBGP
			p.curBGP = bgp
			g.Elems = append(g.Elems, p.triplesBlock())
			p.curBGP = saved
			if p.isPunct("}") {
				break
			}
		}
		e := p.patternNotTriples()
		if e == nil {
			if p.err == nil {
				p.expected("a triple pattern, OPTIONAL, MINUS, GRAPH, SERVICE, FILTER, BIND, VALUES, '{' or '}'")
			}
			break
		}
		if b, ok := e.(*ast.Bind); ok {
			p.checkBind(g.Elems, b)
		}
		if _, ok := e.(*ast.Filter); !ok {
			bgp = 0
		}
		g.Elems = append(g.Elems, e)
		p.acceptPunct(".")
	}
	p.expectPunct("}")
	return g
}

func (p *parser) subSelect(pos ast.Pos) *ast.SubSelect {
	s := &ast.SubSelect{Pos: pos}
	s.Select = p.selectClause()
	s.Where = p.whereClause(true)
	p.solutionModifiers(&s.Modifiers)
	if p.isWord("VALUES") {
		s.Values = p.values()
	}
	p.checkSelect(s.Select, s.Where, &s.Modifiers)
	return s
}

// patternNotTriples parses a GraphPatternNotTriples, or returns nil when the
// current token cannot start one.
func (p *parser) patternNotTriples() ast.Pattern {
	pos := p.tok.pos
	switch {
	case p.isPunct("{"):
		first := p.groupGraphPattern()
		if !p.isWord("UNION") {
			return first
		}
		u := &ast.Union{Pos: pos, Patterns: []ast.Pattern{first}}
		for p.acceptWord("UNION") {
			if !p.isPunct("{") {
				p.expected("'{' after UNION")
				return u
			}
			u.Patterns = append(u.Patterns, p.groupGraphPattern())
		}
		return u
	case p.acceptWord("OPTIONAL"):
		return &ast.Optional{Pos: pos, Pattern: p.groupGraphPattern()}
	case p.acceptWord("MINUS"):
		return &ast.Minus{Pos: pos, Pattern: p.groupGraphPattern()}
	case p.acceptWord("GRAPH"):
		g := &ast.Graph{Pos: pos}
		if p.tok.kind != tVar && !p.isIRITok() {
			p.expected("a variable or IRI after GRAPH")
			return g
		}
		g.Name = p.varOrIRI()
		g.Pattern = p.groupGraphPattern()
		return g
	case p.acceptWord("SERVICE"):
		s := &ast.Service{Pos: pos}
		s.Silent = p.acceptWord("SILENT")
		if p.tok.kind != tVar && !p.isIRITok() {
			p.expected("a variable or IRI after SERVICE")
			return s
		}
		s.Name = p.varOrIRI()
		s.Pattern = p.groupGraphPattern()
		return s
	case p.acceptWord("FILTER"):
		if !p.isPunct("(") && !p.startsCall() {
			p.expected("'(' or a function call after FILTER")
			return nil
		}
		return &ast.Filter{Pos: pos, Expr: p.constraint()}
	case p.acceptWord("BIND"):
		b := &ast.Bind{Pos: pos}
		if !p.expectPunct("(") {
			return nil
		}
		b.Expr = p.expression()
		if !p.expectWord("AS") {
			return nil
		}
		if p.tok.kind != tVar {
			p.expected("a variable after AS")
			return nil
		}
		b.Var = p.variable()
		p.expectPunct(")")
		return b
	case p.isWord("VALUES"):
		return p.values()
	}
	return nil
}

// ---- triples ----

func (p *parser) startsLiteral() bool {
	switch p.tok.kind {
	case tString, tInteger, tDecimal, tDouble:
		return true
	case tWord:
		return p.isWord("true") || p.isWord("false")
	}
	return false
}

func (p *parser) startsTerm() bool {
	switch p.tok.kind {
	case tVar, tIRI, tPNameNS, tPNameLN, tBlank:
		return true
	case tPunct:
		return p.tok.text == "[" || p.tok.text == "("
	}
	return p.startsLiteral()
}

func (p *parser) startsTriples() bool { return p.startsTerm() }

// triplesBlock parses TriplesBlock: triples separated by '.'.
func (p *parser) triplesBlock() *ast.TriplesBlock {
	b := &ast.TriplesBlock{Pos: p.tok.pos}
	for p.err == nil {
		b.Triples = append(b.Triples, p.triplesSameSubject(true))
		if !p.acceptPunct(".") || !p.startsTriples() {
			break
		}
	}
	return b
}

// template parses '{' TriplesTemplate? '}' (CONSTRUCT templates).
func (p *parser) template() []*ast.Triples { return p.templateAs(false) }

func (p *parser) templateAs(short bool) []*ast.Triples {
	if !p.expectPunct("{") {
		return nil
	}
	var ts []*ast.Triples
	if short {
		// CONSTRUCT WHERE: the triples are also the query pattern, a BGP
		p.scopeSeq++
		saved := p.curBGP
		p.curBGP = p.scopeSeq
		ts = p.triplesTemplate()
		p.curBGP = saved
	} else {
		p.scopeSeq++
		saved := p.inTpl
		p.inTpl = p.scopeSeq
		ts = p.triplesTemplate()
		p.inTpl = saved
	}
	p.expectPunct("}")
	return ts
}

// triplesTemplate parses TriplesTemplate?: triples without paths.
func (p *parser) triplesTemplate() []*ast.Triples {
	var ts []*ast.Triples
	for p.err == nil && p.startsTriples() {
		ts = append(ts, p.triplesSameSubject(false))
		if !p.acceptPunct(".") {
			break
		}
	}
	return ts
}

// triplesSameSubject parses TriplesSameSubject[Path].
func (p *parser) triplesSameSubject(paths bool) *ast.Triples {
	t := &ast.Triples{Pos: p.tok.pos}
	t.Subject = p.graphNode(paths)
	needProps := true
	switch s := t.Subject.(type) {
	case *ast.BlankNodePropertyList:
		needProps = len(s.Props) == 0
	case *ast.Collection:
		needProps = false
	}
	if p.startsVerb(paths) {
		t.Props = p.propertyList(paths)
	} else if needProps && p.err == nil {
		p.expected("a predicate")
	}
	return t
}

func (p *parser) startsVerb(paths bool) bool {
	switch p.tok.kind {
	case tVar, tIRI, tPNameNS, tPNameLN:
		return true
	case tWord:
		return p.tok.text == "a"
	case tPunct:
		if !paths {
			return false
		}
		switch p.tok.text {
		case "^", "!", "(":
			return true
		}
	}
	return false
}

// propertyList parses PropertyListNotEmpty / PropertyListPathNotEmpty.
func (p *parser) propertyList(paths bool) []*ast.Property {
	var ps []*ast.Property
	for p.err == nil {
		pr := &ast.Property{Pos: p.tok.pos}
		pr.Verb = p.verb(paths)
		for p.err == nil {
			pr.Objects = append(pr.Objects, p.graphNode(paths))
			if !p.acceptPunct(",") {
				break
			}
		}
		ps = append(ps, pr)
		if !p.isPunct(";") {
			break
		}
		for p.acceptPunct(";") {
		}
		if !p.startsVerb(paths) {
			break
		}
	}
	return ps
}

func (p *parser) verb(paths bool) ast.Path {
	pos := p.tok.pos
	switch {
	case p.tok.kind == tVar:
		return p.variable()
	case paths:
		// 'a' is a PathPrimary too: "a*", "a/:p" and "a|:p" are paths.
		return p.path()
	case p.tok.kind == tWord && p.tok.text == "a":
		p.next()
		return &ast.Term{Pos: pos, Value: graph.IRI(graph.RDFNamespace + "type")}
	case p.isIRITok():
		s, _ := p.iri()
		return &ast.Term{Pos: pos, Value: graph.IRI(s)}
	}
	p.expected("a predicate")
	return nil
}

// graphNode parses GraphNode[Path]: a term, a blank node property list or a
// collection.
func (p *parser) graphNode(paths bool) ast.TermNode {
	pos := p.tok.pos
	switch {
	case p.isPunct("["):
		if !p.enter() {
			return nil
		}
		defer p.leave()
		p.next()
		b := &ast.BlankNodePropertyList{Pos: pos}
		if p.noBlanks != "" {
			p.errorAt(pos, "blank nodes are not allowed in %s", p.noBlanks)
			return b
		}
		if !p.isPunct("]") {
			b.Props = p.propertyList(paths)
		}
		p.expectPunct("]")
		return b
	case p.isPunct("("):
		if p.peek().kind == tPunct && p.peek().text == ")" {
			p.next()
			p.next()
			return &ast.Term{Pos: pos, Value: graph.IRI(graph.RDFNamespace + "nil")}
		}
		if !p.enter() {
			return nil
		}
		defer p.leave()
		p.next()
		c := &ast.Collection{Pos: pos}
		if p.noBlanks != "" {
			p.errorAt(pos, "collections (blank nodes) are not allowed in %s", p.noBlanks)
			return c
		}
		for p.err == nil && !p.isPunct(")") {
			if !p.startsTerm() {
				p.expected("a collection member or ')'")
				return c
			}
			c.Items = append(c.Items, p.graphNode(paths))
		}
		p.expectPunct(")")
		return c
	case p.tok.kind == tVar:
		return p.variable()
	case p.tok.kind == tBlank:
		return p.blankNode()
	case p.isIRITok() || p.startsLiteral():
		t := p.constant()
		if t == nil {
			return nil
		}
		return t
	}
	p.expected("a variable, IRI, literal or blank node")
	return nil
}

func (p *parser) blankNode() *ast.BlankNode {
	b := &ast.BlankNode{Pos: p.tok.pos, Label: p.tok.text}
	if p.noBlanks != "" {
		p.errorAt(p.tok.pos, "blank nodes are not allowed in %s", p.noBlanks)
		return b
	}
	p.next()
	if p.inTpl != 0 && !p.inData {
		return b // a Modify template's labels are its own; see quadPattern
	}
	labels, scope := p.bgpLabels, p.curBGP
	if p.inTpl != 0 {
		labels, scope = p.tplLabels, p.inTpl
	}
	if prev, ok := labels[b.Label]; ok && prev != scope {
		if p.inTpl != 0 {
			p.errorAt(b.Pos, "blank node _:%s is already used in another operation of this request", b.Label)
		} else {
			p.errorAt(b.Pos, "blank node _:%s is already used in another basic graph pattern", b.Label)
		}
		return b
	}
	labels[b.Label] = scope
	return b
}

// constant reads an IRI or literal as a *Term.
func (p *parser) constant() *ast.Term {
	pos := p.tok.pos
	t := p.tok
	switch t.kind {
	case tIRI, tPNameNS, tPNameLN:
		s, ok := p.iri()
		if !ok {
			return nil
		}
		return &ast.Term{Pos: pos, Value: graph.IRI(s)}
	case tInteger:
		p.next()
		return &ast.Term{Pos: pos, Value: graph.Literal(t.text, graph.XSDInteger)}
	case tDecimal:
		p.next()
		return &ast.Term{Pos: pos, Value: graph.Literal(t.text, graph.XSDDecimal)}
	case tDouble:
		p.next()
		return &ast.Term{Pos: pos, Value: graph.Literal(t.text, graph.XSDDouble)}
	case tWord:
		if p.isWord("true") || p.isWord("false") {
			p.next()
			return &ast.Term{Pos: pos, Value: graph.Literal(strings.ToLower(t.text), graph.XSDBoolean)}
		}
	case tString:
		p.next()
		switch {
		case p.tok.kind == tLang:
			lang := p.tok.text
			p.next()
			return &ast.Term{Pos: pos, Value: graph.LangLiteral(t.text, lang)}
		case p.acceptPunct("^^"):
			dt, ok := p.iri()
			if !ok {
				return nil
			}
			return &ast.Term{Pos: pos, Value: graph.Literal(t.text, dt)}
		}
		return &ast.Term{Pos: pos, Value: graph.String(t.text)}
	}
	p.expected("an IRI or a literal")
	return nil
}

// ---- property paths ----

func (p *parser) path() ast.Path {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	pos := p.tok.pos
	first := p.pathSeq()
	if !p.isPunct("|") {
		return first
	}
	alt := &ast.PathAlt{Pos: pos, Paths: []ast.Path{first}}
	for p.acceptPunct("|") {
		alt.Paths = append(alt.Paths, p.pathSeq())
	}
	return alt
}

func (p *parser) pathSeq() ast.Path {
	pos := p.tok.pos
	first := p.pathEltOrInverse()
	if !p.isPunct("/") {
		return first
	}
	seq := &ast.PathSeq{Pos: pos, Paths: []ast.Path{first}}
	for p.acceptPunct("/") {
		seq.Paths = append(seq.Paths, p.pathEltOrInverse())
	}
	return seq
}

func (p *parser) pathEltOrInverse() ast.Path {
	pos := p.tok.pos
	if p.acceptPunct("^") {
		return &ast.PathInverse{Pos: pos, Path: p.pathElt()}
	}
	return p.pathElt()
}

func (p *parser) pathElt() ast.Path {
	pos := p.tok.pos
	prim := p.pathPrimary()
	if p.tok.kind == tPunct {
		switch p.tok.text {
		case "*", "+", "?":
			m := &ast.PathMod{Pos: pos, Path: prim, Mod: p.tok.text[0]}
			p.next()
			return m
		}
	}
	return prim
}

func (p *parser) pathPrimary() ast.Path {
	pos := p.tok.pos
	switch {
	case p.isIRITok():
		s, _ := p.iri()
		return &ast.Term{Pos: pos, Value: graph.IRI(s)}
	case p.tok.kind == tWord && p.tok.text == "a":
		p.next()
		return &ast.Term{Pos: pos, Value: graph.IRI(graph.RDFNamespace + "type")}
	case p.acceptPunct("!"):
		n := &ast.PathNegated{Pos: pos}
		if !p.acceptPunct("(") {
			n.Items = append(n.Items, p.pathOneInSet())
			return n
		}
		if p.acceptPunct(")") {
			return n
		}
		for p.err == nil {
			n.Items = append(n.Items, p.pathOneInSet())
			if !p.acceptPunct("|") {
				break
			}
		}
		p.expectPunct(")")
		return n
	case p.acceptPunct("("):
		inner := p.path()
		p.expectPunct(")")
		return inner
	}
	p.expected("a property path")
	return nil
}

func (p *parser) pathOneInSet() ast.NegatedItem {
	var it ast.NegatedItem
	it.Inverse = p.acceptPunct("^")
	if p.tok.kind == tWord && p.tok.text == "a" {
		p.next()
		it.IRI = graph.RDFNamespace + "type"
		return it
	}
	if !p.isIRITok() {
		p.expected("an IRI or 'a' in a negated property set")
		return it
	}
	it.IRI, _ = p.iri()
	return it
}
