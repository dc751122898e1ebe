package ast

import (
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

func TestIsNumericLexical(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1", graph.XSDInteger},
		{"-12", graph.XSDInteger},
		{"+0", graph.XSDInteger},
		{"1.5", graph.XSDDecimal},
		{".5", graph.XSDDecimal},
		{"-.5", graph.XSDDecimal},
		{"1.", ""},
		{"1e3", graph.XSDDouble},
		{"1.e-3", graph.XSDDouble},
		{".5E+2", graph.XSDDouble},
		{"e3", ""},
		{"1e", ""},
		{"", ""},
		{"-", ""},
		{"1x", ""},
		{"NaN", ""},
	}
	for _, tt := range tests {
		if got := IsNumericLexical(tt.in); got != tt.want {
			t.Errorf("IsNumericLexical(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	x := &Var{Name: "x"}
	one := &Term{Value: graph.Literal("1", graph.XSDInteger)}
	tests := []struct {
		node Node
		want string
	}{
		{&Binary{Op: OpAdd, X: x, Y: one}, "(?x + 1)"},
		{&Unary{Op: OpMinus, X: one}, "-(1)"},
		{&Term{Value: graph.Literal("x y", graph.XSDInteger)}, `"x y"^^<http://www.w3.org/2001/XMLSchema#integer>`},
		{&Term{Value: graph.Literal("1", graph.XSDBoolean)}, `"1"^^<http://www.w3.org/2001/XMLSchema#boolean>`},
		{&Term{Value: graph.LangLiteral("a\"b", "EN")}, `"a\"b"@en`},
		{&Aggregate{Func: "COUNT", Distinct: true, Star: true}, "COUNT(DISTINCT *)"},
		{&Aggregate{Func: "GROUP_CONCAT", Arg: x, HasSeparator: true, Separator: ";"}, `GROUP_CONCAT(?x ; SEPARATOR = ";")`},
		{&PathMod{Path: &PathInverse{Path: &Term{Value: graph.IRI("p")}}, Mod: '*'}, "(^<p>)*"},
		{&PathNegated{Items: []NegatedItem{{IRI: graph.RDFNamespace + "type"}, {Inverse: true, IRI: "q"}}}, "!(a | ^<q>)"},
		{&Filter{Expr: x}, "FILTER (?x)"},
		{&Filter{Expr: &Call{Func: "BOUND", Args: []Expr{x}}}, "FILTER BOUND(?x)"},
		{&Values{Vars: []*Var{x}, Rows: [][]*Term{{one}, {nil}}}, "VALUES (?x) { (1) (UNDEF) }"},
		{&Transfer{Kind: Copy, Silent: true, From: GraphTarget{Kind: TargetDefault}, To: GraphTarget{Kind: TargetGraph, IRI: "g"}}, "COPY SILENT DEFAULT TO GRAPH <g>"},
	}
	for _, tt := range tests {
		if got := Format(tt.node); got != tt.want {
			t.Errorf("Format(%#v) = %s, want %s", tt.node, got, tt.want)
		}
	}
}

func TestEqual(t *testing.T) {
	a := &Binary{Pos: Pos{Line: 1}, Op: OpAdd, X: &Var{Name: "x"}, Y: &Call{Func: "NOW"}}
	b := &Binary{Pos: Pos{Line: 7}, Op: OpAdd, X: &Var{Pos: Pos{Column: 3}, Name: "x"}, Y: &Call{Func: "NOW", Args: []Expr{}}}
	c := &Binary{Op: OpSub, X: &Var{Name: "x"}, Y: &Call{Func: "NOW"}}
	tests := []struct {
		a, b Node
		want bool
	}{
		{a, b, true},
		{a, c, false},
		{&Term{Value: graph.IRI("a")}, &Term{Value: graph.IRI("b")}, false},
		{&Term{Value: graph.String("a")}, &Term{Value: graph.IRI("a")}, false},
		{&Var{Name: "x"}, &BlankNode{Label: "x"}, false},
		{(*Var)(nil), (*Var)(nil), true},
	}
	for _, tt := range tests {
		if got := Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("Equal(%#v, %#v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
