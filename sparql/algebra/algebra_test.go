package algebra

import (
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/sparql/parser"
)

// TestTranslate checks the translation rules of §18.2 on the printed plan.
func TestTranslate(t *testing.T) {
	tests := []struct {
		name, query, want string
	}{
		{"bgp merged, filter at group end",
			`SELECT * { ?s <p> ?o FILTER(?o > 1) ?o <q> ?z }`,
			`(project (?s ?o ?z)
  (filter (> ?o 1)
    (bgp (?s <p> ?o)
      (?o <q> ?z))))`},
		{"optional with filter becomes leftjoin condition",
			`SELECT ?s { ?s <p> ?o OPTIONAL { ?s <q> ?z FILTER(?z = ?o) } }`,
			`(project (?s)
  (leftjoin
    (bgp (?s <p> ?o))
    (bgp (?s <q> ?z))
    (= ?z ?o)))`},
		{"blank nodes and collections become hidden variables",
			`SELECT * { _:b <p> [ <q> (1) ] }`,
			`(project ()
  (bgp (?.l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> 1)
    (?.l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>)
    (?.b1 <q> ?.l2)
    (?.bb <p> ?.b1)))`},
		{"paths: sequence split, inverse link reversed, closure kept",
			`SELECT * { ?s <p>/^<q>/<r>* ?o }`,
			`(project (?s ?o)
  (join
    (bgp (?s <p> ?.p2)
      (?.p1 <q> ?.p2))
    (path ?.p1 (path* <r>) ?o)))`},
		{"negated property set with both directions",
			`SELECT * { ?s !(<p>|^<q>) ?o }`,
			`(project (?s ?o)
  (path ?s (alt (notoneof <p>) (reverse (notoneof <q>))) ?o))`},
		{"grouping, aggregates, having, select expression, order, slice",
			`SELECT ?g (COUNT(?x) + 1 AS ?n) { ?x <p> ?g } GROUP BY ?g HAVING (SUM(?x) > 2) ORDER BY ?n LIMIT 5`,
			`(slice _ 5
  (project (?g ?n)
    (order (?n)
      (extend ((?n (+ ?.agg2 1)))
        (filter (> ?.agg1 2)
          (group (?g) ((?.agg1 (sum ?x)) (?.agg2 (count ?x)))
            (bgp (?x <p> ?g))))))))`},
		{"bind, minus, union, values, graph",
			`SELECT * { { ?s <p> ?o } UNION { GRAPH ?g { ?s <q> ?o } } BIND(1 AS ?one) MINUS { ?s <r> ?o } VALUES ?s { <a> } }`,
			`(project (?s ?o ?g ?one)
  (join
    (minus
      (extend ((?one 1))
        (union
          (bgp (?s <p> ?o))
          (graph ?g
            (bgp (?s <q> ?o)))))
      (bgp (?s <r> ?o)))
    (table (?s)
      (row [?s <a>]))))`},
		{"sub-select and exists",
			`SELECT ?s { ?s <p> ?o FILTER NOT EXISTS { ?o <q> ?s } { SELECT ?s { ?s <r> ?z } LIMIT 1 } }`,
			`(project (?s)
  (filter (notexists
      (bgp (?o <q> ?s)))
    (join
      (bgp (?s <p> ?o))
      (tomultiset
        (slice _ 1
          (project (?s)
            (bgp (?s <r> ?z))))))))`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := parser.ParseQuery(tc.query, parser.Options{})
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", tc.query, err)
			}
			q, err := Translate(a, Options{})
			if err != nil {
				t.Fatalf("Translate(%q): %v", tc.query, err)
			}
			if got := Format(q.Op); got != tc.want {
				t.Errorf("Translate(%q) =\n%s\nwant\n%s", tc.query, got, tc.want)
			}
		})
	}
}

func TestVars(t *testing.T) {
	a, err := parser.ParseQuery(`SELECT * { ?a <p> ?b OPTIONAL { ?b <q> ?c } { ?d <r> ?e } UNION { ?d <s> ?f } }`, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q, err := Translate(a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(q.Vars, " "); got != "a b c d e f" {
		t.Errorf("SELECT * vars = %q, want %q", got, "a b c d e f")
	}
	in := q.Op.(*Project).Input
	cert := CertainVars(in)
	for v, want := range map[string]bool{"a": true, "b": true, "c": false, "d": true, "e": false, "f": false} {
		if cert[v] != want {
			t.Errorf("CertainVars()[%q] = %v, want %v", v, cert[v], want)
		}
	}
}
