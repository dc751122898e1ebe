package rdfxml

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/testsuite"
)

// TestSuiteUnlisted runs suite files whose entries the RDF 1.1 manifest
// comments out (XML literal namespaces and xml:lang inside XML literals,
// which RDF 1.1 made optional). Tessera supports rdf:XMLLiteral, so they
// check the canonicalisation of XML literals.
func TestSuiteUnlisted(t *testing.T) {
	root := filepath.Join(testsuite.Must(t), "rdf-tests", "rdf", "rdf11", "rdf-xml")
	for _, n := range []string{
		"rdfms-xml-literal-namespaces/test001", "rdfms-xml-literal-namespaces/test002",
		"rdfms-xmllang/test001", "rdfms-xmllang/test002",
		"rdfms-empty-property-elements/test003", "rdfms-empty-property-elements/test009",
	} {
		t.Run(n, func(t *testing.T) {
			got, err := parseFile(filepath.Join(root, n+".rdf"), suiteBase+n+".rdf")
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(filepath.Join(root, n+".nt"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			want, err := readNTriples(f)
			if err != nil {
				t.Fatal(err)
			}
			if !graph.Isomorphic(got, want) {
				t.Errorf("got:\n%swant:\n%s", dump(got), dump(want))
			}
			if _, err := roundTrip(got); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("rdfms-empty-property-elements/error003", func(t *testing.T) {
		n := "rdfms-empty-property-elements/error003"
		if qs, err := parseFile(filepath.Join(root, n+".rdf"), suiteBase+n+".rdf"); err == nil {
			t.Errorf("parsed without error: %d triples", len(qs))
		}
	})
}
