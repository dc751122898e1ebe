package results

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
)

func TestEquivalent(t *testing.T) {
	x, y, z, w := graph.Blank("x"), graph.Blank("y"), graph.Blank("z"), graph.Blank("w")
	one, two := graph.Literal("1", xsd+"integer"), graph.Literal("2", xsd+"integer")
	ab := []string{"a", "b"}
	tab := func(vars []string, rows ...Solution) Table { return Table{Vars: vars, Rows: rows} }
	tests := []struct {
		name          string
		a, b          Table
		ordered, want bool
	}{
		{"identical", tab(ab, Solution{exA, one}), tab(ab, Solution{exA, one}), true, true},
		{"different term", tab(ab, Solution{exA, one}), tab(ab, Solution{exA, two}), false, false},
		{"lexical forms differ", tab(ab, Solution{exA, one}), tab(ab, Solution{exA, graph.Literal("01", xsd+"integer")}), false, false},
		{"language tags differ", tab(ab, Solution{graph.LangLiteral("a", "en"), {}}), tab(ab, Solution{graph.LangLiteral("a", "fr"), {}}), false, false},
		{"unbound is not a value", tab(ab, Solution{exA, {}}), tab(ab, Solution{exA, graph.String("")}), false, false},
		{"columns matched by name", tab(ab, Solution{exA, one}), tab([]string{"b", "a"}, Solution{one, exA}), true, true},
		{"different variables", tab(ab, Solution{exA, one}), tab([]string{"a", "c"}, Solution{exA, one}), false, false},
		{"more variables", tab(ab), tab([]string{"a", "b", "c"}), false, false},
		{"order ignored", tab(ab, Solution{exA, one}, Solution{exB, two}), tab(ab, Solution{exB, two}, Solution{exA, one}), false, true},
		{"order kept", tab(ab, Solution{exA, one}, Solution{exB, two}), tab(ab, Solution{exB, two}, Solution{exA, one}), true, false},
		{"multiset counts", tab(ab, Solution{exA, one}, Solution{exA, one}, Solution{exB, one}), tab(ab, Solution{exA, one}, Solution{exB, one}, Solution{exB, one}), false, false},
		{"duplicates kept", tab(ab, Solution{exA, one}, Solution{exA, one}), tab(ab, Solution{exA, one}, Solution{exA, one}), false, true},
		{"row count", tab(ab, Solution{exA, one}), tab(ab, Solution{exA, one}, Solution{exA, one}), false, false},
		{"blank renamed", tab(ab, Solution{x, one}), tab(ab, Solution{y, one}), true, true},
		{"blank vs IRI", tab(ab, Solution{x, one}), tab(ab, Solution{exA, one}), false, false},
		{"one bijection across rows", tab(ab, Solution{x, one}, Solution{x, two}), tab(ab, Solution{y, one}, Solution{z, two}), false, false},
		{"consistent across rows", tab(ab, Solution{x, one}, Solution{x, two}), tab(ab, Solution{y, two}, Solution{y, one}), false, true},
		{"injective", tab(ab, Solution{x, y}), tab(ab, Solution{z, z}), false, false},
		{"injective reversed", tab(ab, Solution{z, z}), tab(ab, Solution{x, y}), false, false},
		{"injective across rows", tab(ab, Solution{x, one}, Solution{y, two}), tab(ab, Solution{z, one}, Solution{z, two}), false, false},
		{"ordered bijection", tab(ab, Solution{x, one}, Solution{y, one}), tab(ab, Solution{z, one}, Solution{w, one}), true, true},
		{"ordered bijection broken", tab(ab, Solution{x, one}, Solution{x, one}), tab(ab, Solution{z, one}, Solution{w, one}), true, false},
		{"swap", tab(ab, Solution{x, y}, Solution{y, x}), tab(ab, Solution{z, w}, Solution{w, z}), false, true},
		{"chain vs cycle", tab(ab, Solution{x, y}, Solution{y, z}, Solution{z, x}), tab(ab, Solution{x, y}, Solution{y, z}, Solution{z, w}), false, false},
		{"ground and blank rows", tab(ab, Solution{exA, one}, Solution{x, one}), tab(ab, Solution{y, one}, Solution{exA, one}), false, true},
		{"ask", askYes, askYes, false, true},
		{"ask differs", askYes, askNo, false, false},
		{"ask vs select", askNo, tab(nil), false, false},
		{"no variables, one row each", tab(nil, Solution{}), tab(nil, Solution{}), false, true},
		{"no variables, rows differ", tab(nil, Solution{}), tab(nil), false, false},
		{"ragged row", tab(ab, Solution{exA}), tab(ab, Solution{exA, one}), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Equivalent(tt.a, tt.b, tt.ordered); got != tt.want {
				t.Errorf("Equivalent(\n%v,\n%v, %v) = %v, want %v", tt.a, tt.b, tt.ordered, got, tt.want)
			}
			if got := Equivalent(tt.b, tt.a, tt.ordered); got != tt.want {
				t.Errorf("Equivalent is not symmetric on %s", tt.name)
			}
		})
	}
}

// blankTable builds n rows over a cycle of blank nodes: (_:p0 _:p1 i),
// (_:p1 _:p2 i), ...; shuffled, relabelled copies are equivalent.
func blankTable(n int, prefix string, perm []int) Table {
	tab := Table{Vars: []string{"a", "b", "c"}}
	for _, i := range perm {
		tab.Rows = append(tab.Rows, Solution{
			graph.Blank(fmt.Sprintf("%s%d", prefix, i)),
			graph.Blank(fmt.Sprintf("%s%d", prefix, (i+1)%n)),
			graph.String(fmt.Sprint(i % 3)), // few distinct values: symmetric, forces refinement
		})
	}
	return tab
}

// TestEquivalentLarge checks exactness and speed on hundreds of rows of
// blank nodes, shuffled and relabelled, and a near miss.
func TestEquivalentLarge(t *testing.T) {
	const n = 600
	r := rand.New(rand.NewPCG(1, 2))
	a := blankTable(n, "a", r.Perm(n))
	b := blankTable(n, "b", r.Perm(n))
	start := time.Now()
	if !Equivalent(a, b, false) {
		t.Error("shuffled relabelled copies are not equivalent")
	}
	// Two cycles of n/2 instead of one of n: same rows locally, different globally.
	c := blankTable(n, "c", r.Perm(n))
	for i := range c.Rows {
		if c.Rows[i][1] == graph.Blank(fmt.Sprintf("c%d", n/2)) {
			c.Rows[i][1] = graph.Blank("c0")
		}
		if c.Rows[i][1] == graph.Blank("c0") && c.Rows[i][0] == graph.Blank(fmt.Sprintf("c%d", n-1)) {
			c.Rows[i][1] = graph.Blank(fmt.Sprintf("c%d", n/2))
		}
	}
	if Equivalent(a, c, false) {
		t.Error("one cycle and two cycles are equivalent")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Equivalent on %d rows took %v", n, d)
	}
}

func TestCanonicalize(t *testing.T) {
	tests := []struct{ lex, datatype, want string }{
		{"01", "integer", "01→1"},
		{"+5", "integer", "5"},
		{"-0", "integer", "0"},
		{"-007", "integer", "-7"},
		{"1.50", "decimal", "1.5"},
		{"+.5", "decimal", "0.5"},
		{"5.", "decimal", "5.0"},
		{"7", "decimal", "7.0"},
		{"-0.0", "decimal", "0.0"},
		{"1.0e6", "double", "1.0E6"},
		{"1E6", "double", "1.0E6"},
		{"0.001", "double", "1.0E-3"},
		{"-0", "double", "-0.0E0"},
		{"12.5e-1", "double", "1.25E0"},
		{"+INF", "double", "INF"},
		{"1e400", "double", "INF"},
		{"NaN", "double", "NaN"},
		{"0.1", "float", "1.0E-1"},
		{"1", "boolean", "true"},
		{"0", "boolean", "false"},
		{"abc", "integer", "abc"},
		{"1.5", "string", "1.5"},
		{" 12 ", "integer", "12"},
	}
	for _, tt := range tests {
		want := tt.want
		if _, after, ok := strings.Cut(want, "→"); ok {
			want = after
		}
		in := graph.Literal(tt.lex, xsd+tt.datatype)
		got := CanonicalTerm(in)
		if got != graph.Literal(want, xsd+tt.datatype) {
			t.Errorf("CanonicalTerm(%v) = %v, want %q", in, got, want)
		}
	}
	if CanonicalTerm(exA) != exA {
		t.Error("CanonicalTerm changed an IRI")
	}
	a := Table{Vars: []string{"n"}, Rows: []Solution{{graph.Literal("1.0e6", xsd+"double")}}}
	b := Table{Vars: []string{"n"}, Rows: []Solution{{graph.Literal("1.0E6", xsd+"double")}}}
	if Equivalent(a, b, true) || !Equivalent(Canonicalize(a), Canonicalize(b), true) {
		t.Error("Canonicalize does not make 1.0e6 and 1.0E6 equal, or Equivalent already does")
	}
}

func TestEquivalentCSV(t *testing.T) {
	tests := []struct {
		name, a, b    string
		ordered, want bool
	}{
		{"line ends", "a,b\r\n1,_:x\r\n", "a,b\n1,_:x\n", true, true},
		{"blank labels", "a,b\n_:x,_:y\n_:y,_:x\n", "a,b\n_:p,_:q\n_:q,_:p\n", true, true},
		{"blank labels inconsistent", "a,b\n_:x,_:x\n", "a,b\n_:p,_:q\n", true, false},
		{"quoting", "a\n\"x\"\n\"1,2\"\n", "a\nx\n\"1,2\"\n", true, true},
		{"header order matters", "a,b\n1,2\n", "b,a\n2,1\n", true, false},
		{"row order", "a\n1\n2\n", "a\n2\n1\n", true, false},
		{"row order ignored", "a\n1\n2\n", "a\n2\n1\n", false, true},
		{"values differ", "a\n1\n", "a\n2\n", false, false},
		{"unbound vs value", "a,b\n1,\n", "a,b\n1,x\n", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EquivalentCSV(strings.NewReader(tt.a), strings.NewReader(tt.b), tt.ordered)
			if err != nil || got != tt.want {
				t.Errorf("EquivalentCSV(%q, %q) = %v, %v; want %v", tt.a, tt.b, got, err, tt.want)
			}
		})
	}
	if _, err := EquivalentCSV(strings.NewReader("a\n\"x"), strings.NewReader("a\n"), false); err == nil {
		t.Error("EquivalentCSV accepted a broken quote")
	}
}
