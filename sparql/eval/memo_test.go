package eval

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// TestFilterMemo checks filters over one variable, which are memoised per
// value, against answers computed here: repeated integers among decimals,
// strings and unbound values (the memo must keep each value's own answer,
// errors included), and unique values (the memo switches itself off).
func TestFilterMemo(t *testing.T) {
	const n = 6000
	var ttl strings.Builder
	ttl.WriteString("@prefix : <http://ex/> .\n")
	inRange, decimalsIn, strs, noAge, endsIn7 := 0, 0, 0, 0, 0
	for i := range n {
		fmt.Fprintf(&ttl, ":s%d :name \"name %d\" .\n", i, i)
		if strings.HasSuffix(fmt.Sprint(i), "7") {
			endsIn7++
		}
		switch {
		case i%13 == 0:
			noAge++
		case i%11 == 0:
			fmt.Fprintf(&ttl, ":s%d :age \"x%d\" .\n", i, i%5)
			strs++
		case i%7 == 0:
			fmt.Fprintf(&ttl, ":s%d :age %d.5 .\n", i, i%100)
			if a := i % 100; a >= 60 && a < 70 {
				decimalsIn++
			}
		default:
			fmt.Fprintf(&ttl, ":s%d :age %d .\n", i, i%100)
			if a := i % 100; a >= 60 && a < 70 {
				inRange++
			}
		}
	}
	st := turtleStore(t, ttl.String(), graph.DefaultGraph, nil)
	ctx := context.Background()
	tests := []struct {
		query string
		want  int
	}{
		{`SELECT ?s { ?s :age ?a FILTER(?a >= 60 && ?a < 70) }`, inRange + decimalsIn},
		{`SELECT ?s { ?s :age ?a FILTER(?a >= 60 && ?a < 70 && DATATYPE(?a) = xsd:integer) }`, inRange},
		{`SELECT ?s { ?s :age ?a FILTER(isLiteral(?a) && !isNumeric(?a)) }`, strs},
		{`SELECT ?s { ?s :name ?x OPTIONAL { ?s :age ?a } FILTER(!BOUND(?a)) }`, noAge},
		{`SELECT ?s { ?s :name ?x FILTER(STRENDS(?x, "7")) }`, endsIn7},
	}
	for _, tc := range tests {
		got, err := solutions(ctx, st, "PREFIX : <http://ex/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "+tc.query, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if len(got) != tc.want {
			t.Errorf("%s: %d solutions, want %d", tc.query, len(got), tc.want)
		}
	}
}

// TestDeterministic checks which filter expressions may be memoised per
// value: not those calling RAND, UUID, STRUUID or BNODE, nor EXISTS.
func TestDeterministic(t *testing.T) {
	tests := []struct {
		filter string
		want   bool
	}{
		{`?a > 3 && ?a < 7`, true},
		{`REGEX(STR(?a), "^x", "i")`, true},
		{`?a IN (1, 2, ABS(-3))`, true},
		{`?a < NOW()`, true},
		{`xsd:integer(?a) = 3`, true},
		{`?a < RAND()`, false},
		{`STR(?a) != STRUUID()`, false},
		{`?a != UUID()`, false},
		{`isBlank(BNODE())`, false},
		{`EXISTS { ?a ?p ?o }`, false},
		{`!(?a = 1) || NOT EXISTS { ?a ?p ?o }`, false},
	}
	for _, tc := range tests {
		q := parse(t, "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT * { ?s ?p ?a FILTER("+tc.filter+") }")
		var f *algebra.Filter
		algebra.Walk(q.Op, func(o algebra.Op) {
			if x, ok := o.(*algebra.Filter); ok {
				f = x
			}
		})
		if f == nil {
			t.Fatalf("%s: no filter in %s", tc.filter, algebra.Format(q.Op))
		}
		got := true
		for _, x := range f.Exprs {
			got = got && deterministic(x)
		}
		if got != tc.want {
			t.Errorf("deterministic(%s) = %v, want %v", tc.filter, got, tc.want)
		}
	}
}
