package eval

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
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

// TestFastCompare checks the fast path of comparisons between a variable
// and a constant integer or date against the general path (the same
// comparison through COALESCE, which the fast path does not take), over
// values of every kind: inline and large integers, derived and ill-typed
// ones, decimals, strings, dates with and without a zone, malformed
// dates, dateTimes, IRIs and unbound.
func TestFastCompare(t *testing.T) {
	ctx := context.Background()
	values := []string{
		`59`, `60`, `61`, `-3`, `"99999999999999999999"^^xsd:integer`, `"70"^^xsd:byte`, `"300"^^xsd:byte`,
		`"65"^^xsd:long`, `60.0`, `60.5`, `"6.0E1"^^xsd:double`, `"60"`, `"abc"`,
		`"2019-12-31"^^xsd:date`, `"2020-01-01"^^xsd:date`, `"2020-03-15"^^xsd:date`, `"2020-07-01"^^xsd:date`,
		`"2020-03-15Z"^^xsd:date`, `"2020-13-45"^^xsd:date`, `"2020-03-15T10:00:00"^^xsd:dateTime`,
		`"2020-01-01T00:00:00"^^xsd:dateTime`, `<http://ex/iri>`,
	}
	var ttl strings.Builder
	ttl.WriteString("@prefix : <http://ex/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n")
	for i, v := range values {
		fmt.Fprintf(&ttl, ":s%d :v %s .\n", i, v)
	}
	ttl.WriteString(":none :w 1 .\n")
	bst, err := badgerstore.Open(t.TempDir(), badgerstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bst.Close()
	conds := []string{
		`?v >= 60`, `?v < 61`, `60 < ?v`, `?v <= 60`, `?v > -5 && ?v < 65`,
		`?v >= "2020-01-01"^^xsd:date`, `?v < "2020-07-01"^^xsd:date`, `"2020-03-15"^^xsd:date <= ?v`,
		`?v > "2020-01-01T00:00:00"^^xsd:dateTime`,
	}
	prefix := "PREFIX : <http://ex/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
	for name, st := range map[string]graph.Store{"memstore": nil, "badgerstore": bst} {
		st = turtleStore(t, ttl.String(), graph.DefaultGraph, st)
		for _, c := range conds {
			slow := strings.ReplaceAll(c, "?v", "COALESCE(?v)")
			for _, shape := range []string{
				"SELECT ?s { ?s :v ?v FILTER(%s) }",
				"SELECT ?s { ?s ?p ?o OPTIONAL { ?s :v ?v } FILTER(%s) }",
			} {
				got, err := solutions(ctx, st, prefix+fmt.Sprintf(shape, c), Options{})
				if err != nil {
					t.Fatal(err)
				}
				want, err := solutions(ctx, st, prefix+fmt.Sprintf(shape, slow), Options{})
				if err != nil {
					t.Fatal(err)
				}
				if strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("%s: FILTER(%s): %v, general path %v", name, c, got, want)
				}
			}
		}
	}
}
