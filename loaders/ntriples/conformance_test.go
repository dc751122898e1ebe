package ntriples

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/manifest"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
)

// The W3C suites this package runs, relative to the testsuites folder, with
// the IRI each manifest was published at (testsuites/README.md).
var suites = []struct {
	name, manifest, base string
	quads                bool
}{
	{"n-triples", "rdf-tests/rdf/rdf11/rdf-n-triples/manifest.ttl",
		"https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-n-triples/manifest.ttl", false},
	{"n-quads", "rdf-tests/rdf/rdf11/rdf-n-quads/manifest.ttl",
		"https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-n-quads/manifest.ttl", true},
}

const knownFailuresFile = "testdata/known-failures.txt"

func TestW3CNTriples(t *testing.T) { runSuite(t, 0) }
func TestW3CNQuads(t *testing.T)   { runSuite(t, 1) }

// runSuite runs every entry of a manifest as a subtest. A test that fails
// and is not in testdata/known-failures.txt fails the run, and so does a
// listed test that passes, so the list can only shrink.
func runSuite(t *testing.T, n int) {
	s := suites[n]
	r := testsuite.NewRunner(t, knownFailuresFile)
	r.Name, r.Scope = s.name, s.base+"#"
	tests, err := manifest.Load(filepath.Join(testsuite.Must(t), filepath.FromSlash(s.manifest)), s.base)
	if err != nil {
		t.Fatal(err)
	}
	if len(tests) == 0 {
		t.Fatalf("manifest %s lists no tests", s.manifest)
	}
	for _, tc := range tests {
		t.Run(tc.Name, func(t *testing.T) {
			var check func(path string, quads bool) error
			switch tc.Type {
			case manifest.RDFT + "TestNTriplesPositiveSyntax", manifest.RDFT + "TestNQuadsPositiveSyntax":
				check = checkPositive
			case manifest.RDFT + "TestNTriplesNegativeSyntax", manifest.RDFT + "TestNQuadsNegativeSyntax":
				check = checkNegative
			default:
				r.Skip(t, tc.ID, "unsupported test type "+tc.Type)
				return
			}
			r.Run(t, tc.ID, func() error {
				if err := check(tc.Action, s.quads); err != nil {
					return fmt.Errorf("%s: %w", tc.Comment, err)
				}
				return nil
			})
		})
	}
	r.Report(t)
}

// checkPositive parses a document that must be accepted, then checks that
// encoding and decoding it again gives an isomorphic dataset, and that an
// N-Triples document reads the same as N-Quads.
func checkPositive(path string, quads bool) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	got, err := decodeAll(data, quads, path)
	if err != nil {
		return fmt.Errorf("rejected valid input: %w", err)
	}
	var buf bytes.Buffer
	if err := encodeAll(&buf, got, quads); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	again, err := decodeAll(buf.Bytes(), quads, path+" (re-encoded)")
	if err != nil {
		return fmt.Errorf("re-decode %q: %w", buf.String(), err)
	}
	if !graph.Isomorphic(got, again) {
		return fmt.Errorf("round trip changed the data: %v became %v", got, again)
	}
	if !quads {
		asQuads, err := decodeAll(data, true, path)
		if err != nil {
			return fmt.Errorf("valid N-Triples rejected as N-Quads: %w", err)
		}
		if !graph.Isomorphic(got, asQuads) {
			return fmt.Errorf("read as N-Quads %v, as N-Triples %v", asQuads, got)
		}
	}
	return nil
}

// checkNegative parses a document that must be rejected with a positioned
// *syntax.Error.
func checkNegative(path string, quads bool) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	qs, err := decodeAll(data, quads, path)
	if err == nil {
		return fmt.Errorf("accepted invalid input as %v", qs)
	}
	se, ok := syntax.AsError(err)
	if !ok {
		return fmt.Errorf("error is not a *syntax.Error: %v", err)
	}
	if se.File != path || se.Line < 1 || se.Column < 1 {
		return fmt.Errorf("error has no valid position: %#v", se)
	}
	return nil
}

// decodeAll reads every statement of data.
func decodeAll(data []byte, quads bool, file string) ([]graph.Quad, error) {
	opts := syntax.Options{File: file}
	d := NewDecoder(bytes.NewReader(data), opts)
	if quads {
		d = NewQuadDecoder(bytes.NewReader(data), opts)
	}
	return graph.Collect(syntax.Quads(d))
}

// encodeAll writes qs to w.
func encodeAll(w io.Writer, qs []graph.Quad, quads bool) error {
	e := NewEncoder(w)
	if quads {
		e = NewQuadEncoder(w)
	}
	for _, q := range qs {
		if err := e.Encode(q); err != nil {
			return err
		}
	}
	return e.Close()
}

// TestKnownFailuresExist fails for a listed test that no manifest has, so the
// list cannot hide stale entries.
func TestKnownFailuresExist(t *testing.T) {
	ids := map[string]bool{}
	for _, s := range suites {
		tests, err := manifest.Load(filepath.Join(testsuite.Must(t), filepath.FromSlash(s.manifest)), s.base)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tests {
			ids[tc.ID] = true
		}
	}
	known, err := testsuite.KnownFailures(knownFailuresFile)
	if err != nil {
		t.Fatal(err)
	}
	for id := range known {
		if !ids[id] {
			t.Errorf("%s lists %s, which no manifest has", knownFailuresFile, id)
		}
	}
}
