package parser

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/manifest"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
	"github.com/tessera-fair/tessera/sparql/ast"
)

const suiteBase = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"

// The syntax test types of the SPARQL 1.1 suite.
const (
	positiveQuery  = manifest.MF + "PositiveSyntaxTest11"
	negativeQuery  = manifest.MF + "NegativeSyntaxTest11"
	positiveUpdate = manifest.MF + "PositiveUpdateSyntaxTest11"
	negativeUpdate = manifest.MF + "NegativeUpdateSyntaxTest11"
)

// syntaxTests returns every SPARQL 1.1 syntax test of the manifests that
// manifest-all.ttl includes.
//
// The manifests are loaded one by one: loaders/manifest cannot read a
// trailing ';' before ']' (knakk/rdf), which nine evaluation manifests use.
// Those are skipped only when they contain no syntax test, so a syntax test
// is never lost silently.
func syntaxTests(t testing.TB) []manifest.Test {
	t.Helper()
	root := filepath.Join(testsuite.Must(t), "rdf-tests", "sparql", "sparql11")
	all, err := manifest.Parse(filepath.Join(root, "manifest-all.ttl"), suiteBase+"manifest-all.ttl")
	if err != nil {
		t.Fatalf("load manifest: %v", err)
	}
	var out []manifest.Test
	seen := map[string]bool{}
	for _, m := range all.Subjects(manifest.RDF+"type", graph.IRI(manifest.MF+"Manifest")) {
		for _, inc := range all.List(all.Object(m, manifest.MF+"include")) {
			path := all.LocalPath(inc.Value())
			tests, err := manifest.Load(path, inc.Value())
			if err != nil {
				data, rerr := os.ReadFile(path)
				if rerr != nil || strings.Contains(string(data), "SyntaxTest11") {
					t.Fatalf("load manifest %s: %v", path, err)
				}
				t.Logf("skipping manifest without syntax tests that loaders/manifest cannot read: %v", err)
				continue
			}
			for _, tc := range tests {
				switch tc.Type {
				case positiveQuery, negativeQuery, positiveUpdate, negativeUpdate:
					if !seen[tc.ID] {
						seen[tc.ID] = true
						out = append(out, tc)
					}
				}
			}
		}
	}
	return out
}

// parseFile parses src as a query, or as an update for .ru files.
func parseFile(path, src, base string) (ast.Node, error) {
	opts := Options{Base: base, File: filepath.Base(path)}
	if strings.HasSuffix(path, ".ru") {
		u, err := ParseUpdate(src, opts)
		if err != nil {
			return nil, err
		}
		return u, nil
	}
	q, err := ParseQuery(src, opts)
	if err != nil {
		return nil, err
	}
	return q, nil
}

// roundTrip checks that n prints to text that parses back to the same tree.
func roundTrip(n ast.Node, base string) error {
	text := ast.Format(n)
	var back ast.Node
	var err error
	switch n.(type) {
	case *ast.Update:
		back, err = parseFile("x.ru", text, base)
	default:
		back, err = parseFile("x.rq", text, base)
	}
	if err != nil {
		return errors.New("printed text does not parse: " + err.Error() + "\n" + text)
	}
	if !ast.Equal(n, back) {
		return errors.New("printed text parses to a different tree:\n" + text)
	}
	return nil
}

// runSyntaxTest runs one test and returns why it failed, or "".
func runSyntaxTest(tc manifest.Test) string {
	data, err := os.ReadFile(tc.Action)
	if err != nil {
		return "read action: " + err.Error()
	}
	base := tc.ActionNode.Value()
	n, err := parseFile(tc.Action, string(data), base)
	switch tc.Type {
	case positiveQuery, positiveUpdate:
		if err != nil {
			return "rejected a valid input: " + err.Error()
		}
		if err := roundTrip(n, base); err != nil {
			return "round trip: " + err.Error()
		}
	default:
		if err == nil {
			return "accepted an invalid input"
		}
		var se *syntax.Error
		if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 {
			return "error is not a positioned *syntax.Error: " + err.Error()
		}
	}
	return ""
}

// TestW3CSyntax runs every syntax test of the SPARQL 1.1 suite: valid
// queries and updates must parse and survive a round trip through the
// printer; invalid ones must be rejected with a positioned *syntax.Error.
func TestW3CSyntax(t *testing.T) {
	tests := syntaxTests(t)
	r := testsuite.NewRunner(t, filepath.Join("testdata", "known-failures.txt"))
	for _, tc := range tests {
		t.Run(tc.ID[len(suiteBase):], func(t *testing.T) {
			r.Run(t, tc.ID, func() error {
				if why := runSyntaxTest(tc); why != "" {
					return fmt.Errorf("%s: %s", tc.Action, why)
				}
				return nil
			})
		})
	}
	r.Report(t)
	if len(tests) < 150 {
		t.Errorf("only %d syntax tests found; the manifests were not read completely", len(tests))
	}
}
