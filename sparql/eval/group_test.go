package eval

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestGroupBeforeLookup checks the optimizer's group-before-lookup rewrite
// against unoptimised evaluation, on data where it could go wrong: codes
// with two labels, a code without a label, labels repeated in several
// graphs of a union default graph, and every kind of aggregate.
func TestGroupBeforeLookup(t *testing.T) {
	ctx := context.Background()
	var data strings.Builder
	for i := range 400 {
		fmt.Fprintf(&data, "<http://ex/pt%d> <http://ex/dx> <http://ex/code%d> <http://ex/g%d> .\n", i, i%7, i%3)
		fmt.Fprintf(&data, "<http://ex/pt%d> <http://ex/sex> \"%c\" <http://ex/g%d> .\n", i, "MFU"[i%3], i%3)
		fmt.Fprintf(&data, "<http://ex/pt%d> <http://ex/age> \"%d\"^^<http://www.w3.org/2001/XMLSchema#integer> <http://ex/g%d> .\n", i, 20+i%60, i%3)
	}
	for c := range 6 { // code6 has no label
		for g := range 2 { // the same label in two graphs
			fmt.Fprintf(&data, "<http://ex/code%d> <http://ex/label> \"code %d\" <http://ex/t%d> .\n", c, c, g)
		}
	}
	fmt.Fprintf(&data, "<http://ex/code2> <http://ex/label> \"second label\" <http://ex/t0> .\n")
	queries := []string{ // the first four are rewritten
		`SELECT ?dx ?l ?s (COUNT(?pt) AS ?n) { ?pt <http://ex/dx> ?dx ; <http://ex/sex> ?s . ?dx <http://ex/label> ?l } GROUP BY ?dx ?l ?s`,
		`SELECT ?l ?dx (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?sexes) (SUM(?a) AS ?sum) (AVG(?a) AS ?avg) (MIN(?a) AS ?min) (MAX(?pt) AS ?max) (SAMPLE(?dx) AS ?one)
		 { ?pt <http://ex/dx> ?dx ; <http://ex/sex> ?s ; <http://ex/age> ?a . ?dx <http://ex/label> ?l } GROUP BY ?l ?dx`,
		`SELECT ?dx ?l (COUNT(?pt) AS ?n) { ?pt <http://ex/dx> ?dx ; <http://ex/age> ?a . ?dx <http://ex/label> ?l FILTER(?a > 40) } GROUP BY ?dx ?l HAVING (COUNT(?pt) > 10)`,
		`SELECT ?dx ?l (GROUP_CONCAT(?s; separator="") AS ?all) { ?pt <http://ex/dx> ?dx ; <http://ex/sex> ?s . ?dx <http://ex/label> ?l FILTER(?pt = <http://ex/pt14>) } GROUP BY ?dx ?l`,
		// Not rewritten: the label is read by an aggregate, by a filter.
		`SELECT ?dx ?l (COUNT(?l) AS ?n) { ?pt <http://ex/dx> ?dx . ?dx <http://ex/label> ?l } GROUP BY ?dx ?l`,
		`SELECT ?dx ?l (COUNT(?pt) AS ?n) { ?pt <http://ex/dx> ?dx . ?dx <http://ex/label> ?l FILTER(STRLEN(?l) > 6) } GROUP BY ?dx ?l`,
	}
	for name, st := range loadedStores(t, data.String()) {
		ds := Dataset{UnionDefault: true, UnionIncludesDefault: true}
		for i, q := range queries {
			got, err := solutions(ctx, st, q, Options{Dataset: ds})
			if err != nil {
				t.Fatalf("%s: query %d: %v", name, i, err)
			}
			want, err := solutions(ctx, st, q, Options{Dataset: ds, NoOptimize: true})
			if err != nil {
				t.Fatalf("%s: query %d: %v", name, i, err)
			}
			if len(want) == 0 {
				t.Fatalf("%s: query %d has no solutions", name, i)
			}
			snap, err := st.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Explain(ctx, snap, parse(t, q), Options{Dataset: ds}, false)
			snap.Release()
			if err != nil {
				t.Fatal(err)
			}
			if fired := strings.Contains(p.String(), "group-before-lookup"); fired != (i < 4) {
				t.Errorf("%s: query %d: rewritten %v, want %v\n%s", name, i, fired, i < 4, p.String())
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: query %d:\noptimised   %q\nunoptimised %q", name, i, got, want)
			}
		}
	}
}
