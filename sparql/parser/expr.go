package parser

import (
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/ast"
)

// arity is how many arguments a built-in takes: min..max, or a list.
type arity struct {
	min, max int
	list     bool // ExpressionList: any number, possibly NIL
}

// builtins are the BuiltInCall functions of §17.4 (keyword in upper case)
// other than aggregates, EXISTS and the special forms BOUND, REGEX, SUBSTR
// and REPLACE, which fit the table too.
var builtins = map[string]arity{
	"STR": {1, 1, false}, "LANG": {1, 1, false}, "LANGMATCHES": {2, 2, false},
	"DATATYPE": {1, 1, false}, "BOUND": {1, 1, false}, "IRI": {1, 1, false},
	"URI": {1, 1, false}, "BNODE": {0, 1, false}, "RAND": {0, 0, false},
	"ABS": {1, 1, false}, "CEIL": {1, 1, false}, "FLOOR": {1, 1, false},
	"ROUND": {1, 1, false}, "CONCAT": {0, 0, true}, "SUBSTR": {2, 3, false},
	"STRLEN": {1, 1, false}, "REPLACE": {3, 4, false}, "UCASE": {1, 1, false},
	"LCASE": {1, 1, false}, "ENCODE_FOR_URI": {1, 1, false}, "CONTAINS": {2, 2, false},
	"STRSTARTS": {2, 2, false}, "STRENDS": {2, 2, false}, "STRBEFORE": {2, 2, false},
	"STRAFTER": {2, 2, false}, "YEAR": {1, 1, false}, "MONTH": {1, 1, false},
	"DAY": {1, 1, false}, "HOURS": {1, 1, false}, "MINUTES": {1, 1, false},
	"SECONDS": {1, 1, false}, "TIMEZONE": {1, 1, false}, "TZ": {1, 1, false},
	"NOW": {0, 0, false}, "UUID": {0, 0, false}, "STRUUID": {0, 0, false},
	"MD5": {1, 1, false}, "SHA1": {1, 1, false}, "SHA256": {1, 1, false},
	"SHA384": {1, 1, false}, "SHA512": {1, 1, false}, "COALESCE": {0, 0, true},
	"IF": {3, 3, false}, "STRLANG": {2, 2, false}, "STRDT": {2, 2, false},
	"SAMETERM": {2, 2, false}, "ISIRI": {1, 1, false}, "ISURI": {1, 1, false},
	"ISBLANK": {1, 1, false}, "ISLITERAL": {1, 1, false}, "ISNUMERIC": {1, 1, false},
	"REGEX": {2, 3, false},
}

// canonicalName maps upper-case keywords to the spelling of the spec where
// it is not all upper case.
var canonicalName = map[string]string{
	"SAMETERM": "sameTerm", "ISIRI": "isIRI", "ISURI": "isURI", "ISBLANK": "isBLANK",
	"ISLITERAL": "isLITERAL", "ISNUMERIC": "isNUMERIC",
}

var aggregates = map[string]bool{
	"COUNT": true, "SUM": true, "MIN": true, "MAX": true, "AVG": true, "SAMPLE": true, "GROUP_CONCAT": true,
}

// startsCall reports whether the current token starts a BuiltInCall or a
// FunctionCall (what Constraint allows besides a bracketed expression).
func (p *parser) startsCall() bool {
	switch p.tok.kind {
	case tIRI, tPNameLN, tPNameNS:
		n := p.peek()
		return n.kind == tPunct && n.text == "("
	case tWord:
		up := strings.ToUpper(p.tok.text)
		if _, ok := builtins[up]; ok {
			return true
		}
		return aggregates[up] || up == "EXISTS" || up == "NOT"
	}
	return false
}

// constraint parses Constraint: BrackettedExpression | BuiltInCall |
// FunctionCall.
func (p *parser) constraint() ast.Expr {
	if p.isPunct("(") {
		return p.bracketted()
	}
	if p.startsCall() {
		return p.primary()
	}
	p.expected("'(' or a function call")
	return nil
}

func (p *parser) bracketted() ast.Expr {
	if !p.expectPunct("(") {
		return nil
	}
	e := p.expression()
	p.expectPunct(")")
	return e
}

func (p *parser) expression() ast.Expr {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	pos := p.tok.pos
	x := p.andExpr()
	for p.isPunct("||") {
		p.next()
		x = &ast.Binary{Pos: pos, Op: ast.OpOr, X: x, Y: p.andExpr()}
	}
	return x
}

func (p *parser) andExpr() ast.Expr {
	pos := p.tok.pos
	x := p.relational()
	for p.isPunct("&&") {
		p.next()
		x = &ast.Binary{Pos: pos, Op: ast.OpAnd, X: x, Y: p.relational()}
	}
	return x
}

var relOps = map[string]ast.Op{"=": ast.OpEq, "!=": ast.OpNe, "<": ast.OpLt, ">": ast.OpGt, "<=": ast.OpLe, ">=": ast.OpGe}

func (p *parser) relational() ast.Expr {
	pos := p.tok.pos
	x := p.additive()
	if p.tok.kind == tPunct {
		if op, ok := relOps[p.tok.text]; ok {
			p.next()
			return &ast.Binary{Pos: pos, Op: op, X: x, Y: p.additive()}
		}
	}
	switch {
	case p.isWord("IN"):
		p.next()
		return &ast.In{Pos: pos, X: x, List: p.exprList()}
	case p.isWord("NOT") && isWordTok(p.peek(), "IN"):
		p.next()
		p.next()
		return &ast.In{Pos: pos, Not: true, X: x, List: p.exprList()}
	}
	return x
}

// exprList parses ExpressionList: NIL | '(' Expression (',' Expression)* ')'.
func (p *parser) exprList() []ast.Expr {
	if !p.expectPunct("(") {
		return nil
	}
	list := []ast.Expr{}
	if p.acceptPunct(")") {
		return list
	}
	for p.err == nil {
		list = append(list, p.expression())
		if !p.acceptPunct(",") {
			break
		}
	}
	p.expectPunct(")")
	return list
}

func (p *parser) additive() ast.Expr {
	pos := p.tok.pos
	x := p.multiplicative()
	for p.err == nil {
		switch {
		case p.isPunct("+") || p.isPunct("-"):
			op := ast.OpAdd
			if p.tok.text == "-" {
				op = ast.OpSub
			}
			p.next()
			x = &ast.Binary{Pos: pos, Op: op, X: x, Y: p.multiplicative()}
		case (p.tok.kind == tInteger || p.tok.kind == tDecimal || p.tok.kind == tDouble) &&
			(p.tok.text[0] == '+' || p.tok.text[0] == '-'):
			// "?x -1": the sign of the literal is the operator
			op := ast.OpAdd
			if p.tok.text[0] == '-' {
				op = ast.OpSub
			}
			lit := p.tok
			lit.text = lit.text[1:]
			lit.pos.Offset++
			lit.pos.Column++
			p.next()
			var y ast.Expr = &ast.Term{Pos: lit.pos, Value: graph.Literal(lit.text, numericType(lit.kind))}
			for p.isPunct("*") || p.isPunct("/") {
				mop := ast.OpMul
				if p.tok.text == "/" {
					mop = ast.OpDiv
				}
				p.next()
				y = &ast.Binary{Pos: lit.pos, Op: mop, X: y, Y: p.unary()}
			}
			x = &ast.Binary{Pos: pos, Op: op, X: x, Y: y}
		default:
			return x
		}
	}
	return x
}

func numericType(k tokKind) string {
	switch k {
	case tDecimal:
		return graph.XSDDecimal
	case tDouble:
		return graph.XSDDouble
	}
	return graph.XSDInteger
}

func (p *parser) multiplicative() ast.Expr {
	pos := p.tok.pos
	x := p.unary()
	for p.isPunct("*") || p.isPunct("/") {
		op := ast.OpMul
		if p.tok.text == "/" {
			op = ast.OpDiv
		}
		p.next()
		x = &ast.Binary{Pos: pos, Op: op, X: x, Y: p.unary()}
	}
	return x
}

func (p *parser) unary() ast.Expr {
	pos := p.tok.pos
	if p.tok.kind == tPunct {
		var op ast.Op
		switch p.tok.text {
		case "!":
			op = ast.OpNot
		case "+":
			op = ast.OpPlus
		case "-":
			op = ast.OpMinus
		}
		if op != 0 {
			p.next()
			return &ast.Unary{Pos: pos, Op: op, X: p.primary()}
		}
	}
	return p.primary()
}

// primary parses PrimaryExpression.
func (p *parser) primary() ast.Expr {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	pos := p.tok.pos
	switch p.tok.kind {
	case tPunct:
		if p.tok.text == "(" {
			return p.bracketted()
		}
	case tVar:
		return p.variable()
	case tIRI, tPNameLN, tPNameNS:
		s, ok := p.iri()
		if !ok {
			return nil
		}
		if !p.isPunct("(") {
			return &ast.Term{Pos: pos, Value: graph.IRI(s)}
		}
		f := &ast.FuncCall{Pos: pos, IRI: s}
		p.next()
		if p.acceptPunct(")") {
			f.Args = []ast.Expr{}
			return f
		}
		f.Distinct = p.acceptWord("DISTINCT")
		for p.err == nil {
			f.Args = append(f.Args, p.expression())
			if !p.acceptPunct(",") {
				break
			}
		}
		p.expectPunct(")")
		return f
	case tString, tInteger, tDecimal, tDouble:
		return p.constant()
	case tWord:
		up := strings.ToUpper(p.tok.text)
		switch {
		case up == "TRUE" || up == "FALSE":
			return p.constant()
		case up == "EXISTS":
			p.next()
			return &ast.Exists{Pos: pos, Pattern: p.existsGroup()}
		case up == "NOT":
			p.next()
			if !p.expectWord("EXISTS") {
				return nil
			}
			return &ast.Exists{Pos: pos, Not: true, Pattern: p.existsGroup()}
		case aggregates[up]:
			return p.aggregate(up)
		}
		if a, ok := builtins[up]; ok {
			return p.builtin(up, a)
		}
	}
	p.expected("an expression")
	return nil
}

func (p *parser) existsGroup() ast.Pattern {
	if !p.isPunct("{") {
		p.expected("'{' after EXISTS")
		return nil
	}
	return p.groupGraphPattern()
}

func (p *parser) builtin(up string, a arity) ast.Expr {
	c := &ast.Call{Pos: p.tok.pos, Func: up}
	if n, ok := canonicalName[up]; ok {
		c.Func = n
	}
	p.next()
	if !p.isPunct("(") {
		p.expected("'(' after " + c.Func)
		return nil
	}
	if up == "BOUND" {
		p.next()
		if p.tok.kind != tVar {
			p.expected("a variable in BOUND")
			return nil
		}
		c.Args = []ast.Expr{p.variable()}
		p.expectPunct(")")
		return c
	}
	c.Args = p.exprList()
	if p.err != nil {
		return c
	}
	if !a.list && (len(c.Args) < a.min || len(c.Args) > a.max) {
		want := "an argument"
		switch {
		case a.max == 0:
			want = "no arguments"
		case a.min != a.max:
			want = strconv.Itoa(a.min) + " or " + strconv.Itoa(a.max) + " arguments"
		case a.min > 1:
			want = strconv.Itoa(a.min) + " arguments"
		}
		p.errorAt(c.Pos, "%s takes %s, found %d", c.Func, want, len(c.Args))
		return nil
	}
	return c
}

func (p *parser) aggregate(up string) ast.Expr {
	a := &ast.Aggregate{Pos: p.tok.pos, Func: up}
	if !p.aggOK {
		p.errorAt(a.Pos, "aggregate %s is not allowed here (only in SELECT, HAVING and ORDER BY)", up)
		return nil
	}
	p.next()
	if !p.expectPunct("(") {
		return nil
	}
	a.Distinct = p.acceptWord("DISTINCT")
	p.aggOK = false // no nested aggregates
	defer func() { p.aggOK = true }()
	if up == "COUNT" && p.acceptPunct("*") {
		a.Star = true
	} else {
		a.Arg = p.expression()
	}
	if up == "GROUP_CONCAT" && p.acceptPunct(";") {
		if !p.expectWord("SEPARATOR") || !p.expectPunct("=") {
			return nil
		}
		if p.tok.kind != tString {
			p.expected("a string after SEPARATOR =")
			return nil
		}
		a.HasSeparator = true
		a.Separator = p.tok.text
		p.next()
	}
	p.expectPunct(")")
	return a
}
