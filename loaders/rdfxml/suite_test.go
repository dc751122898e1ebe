package rdfxml

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/manifest"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

const (
	suiteBase   = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-xml/"
	rdftXMLEval = "http://www.w3.org/ns/rdftest#TestXMLEval"
	rdftXMLNeg  = "http://www.w3.org/ns/rdftest#TestXMLNegativeSyntax"
)

// suiteDir returns ../shared/testsuites beside the module root.
func suiteDir(tb testing.TB) string {
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
			tb.Fatal("go.mod not found above the package")
		}
		dir = parent
	}
	s := filepath.Join(dir, "..", "shared", "testsuites")
	if _, err := os.Stat(s); err != nil {
		tb.Fatalf("test suites not found beside the repository: %v", err)
	}
	return s
}

// knownFailures reads testdata/known-failures.txt: one test IRI per line,
// then " # reason".
func knownFailures(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "known-failures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, ok := strings.Cut(line, " # ")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("known-failures.txt: %q has no reason", line)
		}
		known[strings.TrimSpace(id)] = reason
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return known
}

// parseFile decodes an RDF/XML file of the suite with its suite IRI as base.
func parseFile(path, base string) ([]graph.Quad, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return graph.Collect(NewDecoder(bytes.NewReader(data), syntax.Options{File: path, Base: base}).Quads())
}

// TestW3CSuite runs every entry of the RDF 1.1 XML test manifest.
func TestW3CSuite(t *testing.T) {
	root := filepath.Join(suiteDir(t), "rdf-tests", "rdf", "rdf11", "rdf-xml")
	tests, err := manifest.Load(filepath.Join(root, "manifest.ttl"), suiteBase+"manifest.ttl")
	if err != nil {
		t.Fatal(err)
	}
	if len(tests) == 0 {
		t.Fatal("manifest has no tests")
	}
	known := knownFailures(t)
	seen := map[string]bool{}
	var passed, failed, skipped, roundTripped int
	for _, tc := range tests {
		seen[tc.ID] = true
		name := strings.TrimPrefix(tc.ID, suiteBase+"manifest.ttl#")
		t.Run(name, func(t *testing.T) {
			err := runSuiteTest(t, root, tc, &roundTripped)
			reason, isKnown := known[tc.ID]
			switch {
			case errors.Is(err, errSkip):
				skipped++
				t.Skip(err)
			case err != nil && isKnown:
				failed++
				t.Logf("known failure (%s): %v", reason, err)
			case err != nil:
				failed++
				t.Error(err)
			case isKnown:
				passed++
				t.Errorf("passes but is listed in known-failures.txt: remove it")
			default:
				passed++
			}
		})
	}
	for id := range known {
		if !seen[id] {
			t.Errorf("known-failures.txt lists %s, which is not in the manifest", id)
		}
	}
	t.Logf("%d passed, %d failed, %d skipped (%d eval graphs round-tripped through the encoder)", passed, failed, skipped, roundTripped)
}

var errSkip = errors.New("test type not run by this suite")

type suiteError string

func (e suiteError) Error() string { return string(e) }

// runSuiteTest runs one test and returns why it failed, or nil.
// roundTripped counts the eval graphs that went through the encoder.
func runSuiteTest(t *testing.T, root string, tc manifest.Test, roundTripped *int) error {
	actionIRI := suiteBase + filepath.ToSlash(mustRel(t, root, tc.Action))
	switch tc.Type {
	case rdftXMLNeg:
		qs, err := parseFile(tc.Action, actionIRI)
		if err == nil {
			return suiteError("negative syntax test parsed without error; got " + itoa(len(qs)) + " triples")
		}
		if _, ok := syntax.AsError(err); !ok {
			return suiteError("error is not a *syntax.Error: " + err.Error())
		}
		t.Logf("rejected as expected: %v", err)
		return nil
	case rdftXMLEval:
		got, err := parseFile(tc.Action, actionIRI)
		if err != nil {
			return err
		}
		f, err := os.Open(tc.Result)
		if err != nil {
			return err
		}
		defer f.Close()
		want, err := readNTriples(f)
		if err != nil {
			return suiteError("read expected result: " + err.Error())
		}
		if !graph.Isomorphic(got, want) {
			return suiteError("graphs differ\ngot:\n" + dump(got) + "want:\n" + dump(want))
		}
		tripped, err := roundTrip(got)
		if tripped {
			*roundTripped++
		}
		return err
	}
	return errSkip
}

// roundTrip encodes a graph and decodes it again; the result must be
// isomorphic. Graphs RDF/XML cannot express are not round-tripped
// (tripped is false).
func roundTrip(qs []graph.Quad) (tripped bool, err error) {
	var buf bytes.Buffer
	enc := NewEncoder(&buf, EncoderOptions{Prefixes: map[string]string{"ex": "http://example.org/"}})
	for _, q := range qs {
		if err := enc.Encode(q); err != nil {
			if errors.Is(err, ErrNotExpressible) {
				return false, nil
			}
			return false, err
		}
	}
	if err := enc.Close(); err != nil {
		return false, err
	}
	back, err := graph.Collect(NewDecoder(bytes.NewReader(buf.Bytes()), syntax.Options{}).Quads())
	if err != nil {
		return true, suiteError("round trip: decode encoder output: " + err.Error() + "\n" + buf.String())
	}
	if !graph.Isomorphic(qs, back) {
		return true, suiteError("round trip changed the graph\n" + buf.String())
	}
	return true, nil
}

func mustRel(t *testing.T, root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

func dump(qs []graph.Quad) string {
	var b strings.Builder
	for _, q := range qs {
		b.WriteString(q.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
