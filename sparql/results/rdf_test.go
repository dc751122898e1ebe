package results

import (
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

func readTurtle(t *testing.T, doc string) []graph.Quad {
	t.Helper()
	qs, err := graph.Collect(syntax.Quads(turtle.NewDecoder(strings.NewReader(doc), syntax.Options{Base: "http://ex/"})))
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

const rsPrefix = "@prefix rs: <http://www.w3.org/2001/sw/DataAccess/tests/result-set#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"

func TestFromRDF(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		want    Table
		ordered bool
	}{
		{"unordered", rsPrefix + `[] a rs:ResultSet ; rs:resultVariable "y", "x" ;
			rs:solution [ rs:binding [ rs:variable "x" ; rs:value <a> ], [ rs:variable "y" ; rs:value "1"^^xsd:integer ] ] ;
			rs:solution [ rs:binding [ rs:variable "y" ; rs:value _:b0 ] ] .`,
			Table{Vars: []string{"x", "y"}, Rows: []Solution{{exA, graph.Literal("1", xsd+"integer")}, {{}, b0}}}, false},
		{"ordered by index", rsPrefix + `[] a rs:ResultSet ; rs:resultVariable "x" ;
			rs:solution [ rs:index 2 ; rs:binding [ rs:variable "x" ; rs:value <b> ] ] ;
			rs:solution [ rs:index 1 ; rs:binding [ rs:variable "x" ; rs:value <a> ] ] .`,
			Table{Vars: []string{"x"}, Rows: []Solution{{exA}, {exB}}}, true},
		{"boolean", rsPrefix + `[] a rs:ResultSet ; rs:boolean true .`, askYes, false},
		{"empty", rsPrefix + `[] a rs:ResultSet ; rs:resultVariable "x" .`, Table{Vars: []string{"x"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ordered, err := FromRDF(readTurtle(t, tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if ordered != tt.ordered || !Equivalent(got, tt.want, true) {
				t.Errorf("FromRDF = %v (ordered %v), want %v (ordered %v)", got, ordered, tt.want, tt.ordered)
			}
			back, ordered2, err := FromRDF(ToRDF(got, ordered))
			if err != nil || ordered2 != ordered || !Equivalent(got, back, true) {
				t.Errorf("FromRDF(ToRDF(%v)) = %v, %v, %v", got, back, ordered2, err)
			}
		})
	}
	bad := map[string]string{
		"no result set":    rsPrefix + `<a> <b> <c> .`,
		"two result sets":  rsPrefix + `<a> a rs:ResultSet . <b> a rs:ResultSet .`,
		"mixed index":      rsPrefix + `[] a rs:ResultSet ; rs:resultVariable "x" ; rs:solution [ rs:index 1 ], [ rs:binding [ rs:variable "x" ; rs:value <a> ] ] .`,
		"undeclared":       rsPrefix + `[] a rs:ResultSet ; rs:resultVariable "x" ; rs:solution [ rs:binding [ rs:variable "y" ; rs:value <a> ] ] .`,
		"binding no value": rsPrefix + `[] a rs:ResultSet ; rs:resultVariable "x" ; rs:solution [ rs:binding [ rs:variable "x" ] ] .`,
		"bad boolean":      rsPrefix + `[] a rs:ResultSet ; rs:boolean "maybe" .`,
		"boolean and rows": rsPrefix + `[] a rs:ResultSet ; rs:boolean true ; rs:solution [] .`,
		"bad variable":     rsPrefix + `[] a rs:ResultSet ; rs:resultVariable <x> .`,
		"bad index":        rsPrefix + `[] a rs:ResultSet ; rs:resultVariable "x" ; rs:solution [ rs:index "one" ] .`,
		"bound twice":      rsPrefix + `[] a rs:ResultSet ; rs:resultVariable "x" ; rs:solution [ rs:binding [ rs:variable "x" ; rs:value <a> ], [ rs:variable "x" ; rs:value <b> ] ] .`,
	}
	for name, doc := range bad {
		if got, _, err := FromRDF(readTurtle(t, doc)); err == nil {
			t.Errorf("%s: FromRDF = %v, want an error", name, got)
		}
	}
}
