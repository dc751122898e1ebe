package manifest

import (
	"os"
	"path/filepath"
	"testing"
)

func suites(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
	s := filepath.Join(dir, "..", "shared", "testsuites")
	if _, err := os.Stat(s); err != nil {
		t.Fatalf("test suites not found beside the repository: %v", err)
	}
	return s
}

// TestLoadCounts checks the entry counts the suites' README states.
func TestLoadCounts(t *testing.T) {
	root := suites(t)
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
