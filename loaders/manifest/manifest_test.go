package manifest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tessera-fair/tessera/loaders/testsuite"
)

// TestLoadCounts checks the entry counts the suites' README states.
func TestLoadCounts(t *testing.T) {
	root := testsuite.Must(t)
	tests := []struct {
		dir, base string
		want      int
	}{
		{"rdf-tests/rdf/rdf11/rdf-n-triples", "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-n-triples/", 70},
		{"rdf-tests/rdf/rdf11/rdf-n-quads", "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-n-quads/", 87},
		{"rdf-tests/rdf/rdf11/rdf-turtle", "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/", 313},
		{"rdf-tests/rdf/rdf11/rdf-trig", "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-trig/", 356},
		{"rdf-tests/rdf/rdf11/rdf-xml", "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-xml/", 166},
	}
	for _, tt := range tests {
		got, err := Load(filepath.Join(root, tt.dir, "manifest.ttl"), tt.base+"manifest.ttl")
		if err != nil {
			t.Fatalf("Load(%s): %v", tt.dir, err)
		}
		if len(got) != tt.want {
			t.Errorf("Load(%s) gave %d tests, want %d", tt.dir, len(got), tt.want)
		}
		for _, test := range got {
			if test.Action == "" {
				t.Errorf("%s: no local action file", test.ID)
				continue
			}
			if _, err := os.Stat(test.Action); err != nil {
				t.Errorf("%s: action %v", test.ID, err)
			}
		}
	}
}

// TestLoadSPARQL reads every SPARQL 1.1 manifest (they use `;` before `]`
// and other syntax the knakk/rdf parser could not read).
func TestLoadSPARQL(t *testing.T) {
	root := testsuite.Must(t)
	const base = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
	got, err := Load(filepath.Join(root, "rdf-tests/sparql/sparql11/manifest-all.ttl"), base+"manifest-all.ttl")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 625 {
		t.Errorf("manifest-all.ttl gave %d tests, want 625 (testsuites README)", len(got))
	}
	for _, test := range got {
		if test.Type == "" || test.ActionNode.IsZero() && test.Type != MF+"ProtocolTest" && test.Type != MF+"GraphStoreProtocolTest" && test.Type != MF+"ServiceDescriptionTest" {
			t.Errorf("%s: type %q, action %v", test.ID, test.Type, test.ActionNode)
		}
	}
}
