package ntriples

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/manifest"
	"github.com/tessera-fair/tessera/loaders/syntax"
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
	known := knownFailures(t)
	tests, err := manifest.Load(filepath.Join(suiteRoot(t), filepath.FromSlash(s.manifest)), s.base)
	if err != nil {
		t.Fatal(err)
	}
	if len(tests) == 0 {
		t.Fatalf("manifest %s lists no tests", s.manifest)
	}
	var passed, failed, skipped int
	for _, tc := range tests {
		t.Run(tc.Name, func(t *testing.T) {
			var err error
			switch tc.Type {
			case manifest.RDFT + "TestNTriplesPositiveSyntax", manifest.RDFT + "TestNQuadsPositiveSyntax":
				err = checkPositive(tc.Action, s.quads)
			case manifest.RDFT + "TestNTriplesNegativeSyntax", manifest.RDFT + "TestNQuadsNegativeSyntax":
				err = checkNegative(tc.Action, s.quads)
			default:
				skipped++
				t.Skipf("%s: unsupported test type %s", tc.ID, tc.Type)
			}
			reason, listed := known[tc.ID]
			switch {
			case err == nil && listed:
				failed++
				t.Errorf("%s passes but is listed in %s (%s): remove it from the list", tc.ID, knownFailuresFile, reason)
			case err == nil:
				passed++
			case listed:
				failed++
				t.Skipf("known failure %s (%s): %v", tc.ID, reason, err)
			default:
				failed++
				t.Errorf("%s (%s): %v", tc.ID, tc.Comment, err)
			}
		})
	}
	t.Logf("%s: %d passed, %d failed, %d skipped", s.name, passed, failed, skipped)
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
	var out []graph.Quad
	for {
		q, err := d.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, q)
	}
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

// suiteRoot finds ../shared/testsuites beside the module root.
func suiteRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
	root := filepath.Join(dir, "..", "shared", "testsuites")
	if _, err := os.Stat(root); err != nil {
		tb.Fatalf("W3C test suites missing: %v", err)
	}
	return root
}

// knownFailures reads testdata/known-failures.txt: one test IRI per line
// followed by " # reason"; blank lines and lines starting with '#' are
// ignored.
func knownFailures(tb testing.TB) map[string]string {
	tb.Helper()
	f, err := os.Open(knownFailuresFile)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, ok := strings.Cut(line, " # ")
		if !ok || strings.TrimSpace(reason) == "" {
			tb.Fatalf("%s:%d: want \"<test IRI> # reason\", got %q", knownFailuresFile, n, line)
		}
		known[strings.TrimSpace(id)] = strings.TrimSpace(reason)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return known
}

// TestKnownFailuresExist fails for a listed test that no manifest has, so the
// list cannot hide stale entries.
func TestKnownFailuresExist(t *testing.T) {
	ids := map[string]bool{}
	for _, s := range suites {
		tests, err := manifest.Load(filepath.Join(suiteRoot(t), filepath.FromSlash(s.manifest)), s.base)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tests {
			ids[tc.ID] = true
		}
	}
	for id := range knownFailures(t) {
		if !ids[id] {
			t.Errorf("%s lists %s, which no manifest has", knownFailuresFile, id)
		}
	}
}
