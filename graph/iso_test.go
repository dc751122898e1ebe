package graph

import (
	"fmt"
	"testing"
)

func TestIsomorphic(t *testing.T) {
	ex := func(s string) Term { return IRI("http://ex.org/" + s) }
	b := Blank
	p := ex("p")
	tests := []struct {
		name string
		a, b []Quad
		want bool
	}{
		{"empty", nil, nil, true},
		{"ground equal", []Quad{Triple(ex("a"), p, String("x"))}, []Quad{Triple(ex("a"), p, String("x"))}, true},
		{"ground differ", []Quad{Triple(ex("a"), p, String("x"))}, []Quad{Triple(ex("a"), p, String("y"))}, false},
		{"relabel", []Quad{Triple(b("x"), p, b("y"))}, []Quad{Triple(b("1"), p, b("2"))}, true},
		{"blank vs iri", []Quad{Triple(b("x"), p, ex("o"))}, []Quad{Triple(ex("s"), p, ex("o"))}, false},
		{"self loop vs pair", []Quad{Triple(b("x"), p, b("x"))}, []Quad{Triple(b("1"), p, b("2"))}, false},
		{"duplicates ignored", []Quad{Triple(ex("a"), p, ex("b")), Triple(ex("a"), p, ex("b"))}, []Quad{Triple(ex("a"), p, ex("b"))}, true},
		{"blank graph name", []Quad{{S: ex("a"), P: p, O: ex("b"), G: b("g")}}, []Quad{{S: ex("a"), P: p, O: ex("b"), G: b("h")}}, true},
		{"graph name matters", []Quad{{S: ex("a"), P: p, O: ex("b"), G: ex("g")}}, []Quad{Triple(ex("a"), p, ex("b"))}, false},
		{"zero graph is default", []Quad{{S: ex("a"), P: p, O: ex("b")}}, []Quad{Triple(ex("a"), p, ex("b"))}, true},
		{"two cycles vs one cycle", // same colours everywhere: needs backtracking
			[]Quad{Triple(b("a"), p, b("b")), Triple(b("b"), p, b("a")), Triple(b("c"), p, b("d")), Triple(b("d"), p, b("c"))},
			[]Quad{Triple(b("1"), p, b("2")), Triple(b("2"), p, b("3")), Triple(b("3"), p, b("4")), Triple(b("4"), p, b("1"))}, false},
		{"lang case", []Quad{Triple(ex("a"), p, LangLiteral("x", "EN"))}, []Quad{Triple(ex("a"), p, LangLiteral("x", "en"))}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Isomorphic(tt.a, tt.b); got != tt.want {
				t.Errorf("Isomorphic(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := Isomorphic(tt.b, tt.a); got != tt.want {
				t.Errorf("Isomorphic(%v, %v) = %v, want %v", tt.b, tt.a, got, tt.want)
			}
		})
	}
}

// TestIsomorphicSymmetricChains checks a graph whose blank nodes all share a
// colour (a long ring) against a relabelled copy, which needs the search.
func TestIsomorphicRing(t *testing.T) {
	p := IRI("http://ex.org/p")
	var a, b []Quad
	const n = 40
	for i := range n {
		a = append(a, Triple(Blank(fmt.Sprint("a", i)), p, Blank(fmt.Sprint("a", (i+1)%n))))
		b = append(b, Triple(Blank(fmt.Sprint("b", (i*7)%n)), p, Blank(fmt.Sprint("b", ((i+1)*7)%n))))
	}
	if !Isomorphic(a, b) {
		t.Errorf("ring of %d blank nodes not isomorphic to its relabelling", n)
	}
	b[0].O = Blank("b0") // break it: a self loop appears
	if Isomorphic(a, b) {
		t.Errorf("broken ring reported isomorphic")
	}
}
