package algebra

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/sparql/ast"
	"github.com/tessera-fair/tessera/sparql/parser"
)

func formatNode(n Node) string {
	if n.IsVar() {
		return "?" + n.Var
	}
	if n.Term.IsZero() {
		return "_"
	}
	return n.Term.String()
}

func formatQuads(qs []Quad) string {
	var lines []string
	for _, q := range qs {
		lines = append(lines, fmt.Sprintf("%s %s %s %s", formatNode(q.G), formatNode(q.S), formatNode(q.P), formatNode(q.O)))
	}
	return strings.Join(lines, "\n")
}

// TestTranslateTemplate checks the expansion of update templates and the
// pattern DELETE WHERE builds from them.
func TestTranslateTemplate(t *testing.T) {
	tests := []struct {
		name, update string
		quads        string // G S P O per line; _ is the default graph
		pattern      string // QuadsPattern, for DELETE WHERE
	}{
		{"insert data with graph",
			`INSERT DATA { <a> <p> <1> . GRAPH <g> { <a> <p> <2>, <3> } }`,
			"_ <a> <p> <1>\n<g> <a> <p> <2>\n<g> <a> <p> <3>", ""},
		{"template sugar and shared blank labels",
			`INSERT { _:x <p> [ <q> (?v) ] . GRAPH ?g { _:x <r> ?v } } WHERE { ?s ?p ?v }`,
			"_ _:t2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?v\n" +
				"_ _:t2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>\n" +
				"_ _:t1 <q> _:t2\n_ _:lx <p> _:t1\n?g _:lx <r> ?v", ""},
		{"delete where default and graphs",
			`DELETE WHERE { ?s <p> ?o . GRAPH ?g { ?s <q> ?o } GRAPH <h> { ?s <r> <1> } }`,
			"_ ?s <p> ?o\n?g ?s <q> ?o\n<h> ?s <r> <1>",
			`(join
  (join
    (bgp (?s <p> ?o))
    (graph ?g
      (bgp (?s <q> ?o))))
  (graph <h>
    (bgp (?s <r> <1>))))`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := parser.ParseUpdate(tt.update, parser.Options{})
			if err != nil {
				t.Fatalf("ParseUpdate(%q): %v", tt.update, err)
			}
			var tpl *ast.QuadTemplate
			switch op := u.Steps[0].Op.(type) {
			case *ast.InsertData:
				tpl = op.Data
			case *ast.DeleteWhere:
				tpl = op.Pattern
			case *ast.Modify:
				tpl = op.Insert
			}
			qs, err := TranslateTemplate(tpl)
			if err != nil {
				t.Fatalf("TranslateTemplate(%q): %v", tt.update, err)
			}
			if got := formatQuads(qs); got != tt.quads {
				t.Errorf("TranslateTemplate(%q) =\n%s\nwant\n%s", tt.update, got, tt.quads)
			}
			if tt.pattern != "" {
				if got := Format(QuadsPattern(qs)); strings.TrimSpace(got) != tt.pattern {
					t.Errorf("QuadsPattern(%q) =\n%s\nwant\n%s", tt.update, got, tt.pattern)
				}
			}
		})
	}
}

// TestTranslatePattern checks that an update's WHERE translates as a
// query's does.
func TestTranslatePattern(t *testing.T) {
	u, err := parser.ParseUpdate(`DELETE { ?s <p> ?o } WHERE { ?s <p> ?o FILTER(?o > 1) OPTIONAL { ?s <q> _:b } }`, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	op, err := TranslatePattern(u.Steps[0].Op.(*ast.Modify).Where)
	if err != nil {
		t.Fatal(err)
	}
	want := `(filter (> ?o 1)
  (leftjoin
    (bgp (?s <p> ?o))
    (bgp (?s <q> ?.bb))))`
	if got := strings.TrimSpace(Format(op)); got != want {
		t.Errorf("TranslatePattern =\n%s\nwant\n%s", got, want)
	}
	if op, err := TranslatePattern(nil); err != nil || !isEmptyBGP(op) {
		t.Errorf("TranslatePattern(nil) = %v, %v; want the empty BGP", op, err)
	}
}
