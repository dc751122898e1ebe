package rdfxml

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/manifest"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
)

const (
	suiteBase   = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-xml/"
	rdftXMLEval = "http://www.w3.org/ns/rdftest#TestXMLEval"
	rdftXMLNeg  = "http://www.w3.org/ns/rdftest#TestXMLNegativeSyntax"
)

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
	root := filepath.Join(testsuite.Must(t), "rdf-tests", "rdf", "rdf11", "rdf-xml")
	tests, err := manifest.Load(filepath.Join(root, "manifest.ttl"), suiteBase+"manifest.ttl")
	if err != nil {
		t.Fatal(err)
	}
	if len(tests) == 0 {
		t.Fatal("manifest has no tests")
	}
	r := testsuite.NewRunner(t, filepath.Join("testdata", "known-failures.txt"))
	var roundTripped int
	for _, tc := range tests {
		name := strings.TrimPrefix(tc.ID, suiteBase+"manifest.ttl#")
		t.Run(name, func(t *testing.T) {
			if tc.Type != rdftXMLNeg && tc.Type != rdftXMLEval {
				r.Skip(t, tc.ID, errSkip.Error())
				return
			}
			r.Run(t, tc.ID, func() error { return runSuiteTest(t, root, tc, &roundTripped) })
		})
	}
	r.Report(t)
	t.Logf("%d eval graphs round-tripped through the encoder", roundTripped)
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
