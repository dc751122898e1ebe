package turtle_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/manifest"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

// suite is one W3C manifest this package runs, with the IRI the manifest
// was published at (testsuites/README.md).
type suite struct {
	name, manifest, base string
	trig                 bool
}

var (
	turtleSuite = suite{"turtle", "rdf-tests/rdf/rdf11/rdf-turtle/manifest.ttl",
		"https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/manifest.ttl", false}
	trigSuite = suite{"trig", "rdf-tests/rdf/rdf11/rdf-trig/manifest.ttl",
		"https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-trig/manifest.ttl", true}
)

const knownFailuresFile = "testdata/known-failures.txt"

func TestW3CTurtle(t *testing.T) { runSuite(t, turtleSuite) }
func TestW3CTriG(t *testing.T)   { runSuite(t, trigSuite) }

// runSuite runs every entry of a manifest as a subtest. A test that fails
// and is not in testdata/known-failures.txt fails the run, and so does a
// listed test that passes, so the list can only shrink. Evaluation tests
// must also survive a round trip through the encoder.
func runSuite(t *testing.T, s suite) {
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
		name := tc.ID[strings.LastIndexByte(tc.ID, '#')+1:]
		t.Run(name, func(t *testing.T) {
			var check func() error
			switch strings.TrimPrefix(tc.Type, manifest.RDFT) {
			case "TestTurtlePositiveSyntax", "TestTrigPositiveSyntax":
				check = func() error {
					_, err := decodeFile(tc.Action, tc.ActionNode.Value(), s.trig)
					return err
				}
			case "TestTurtleNegativeSyntax", "TestTrigNegativeSyntax":
				check = func() error { return checkNegative(tc.Action, tc.ActionNode.Value(), s.trig) }
			case "TestTurtleEval", "TestTrigEval":
				check = func() error { return checkEval(tc, s.trig) }
			default:
				r.Skip(t, tc.ID, "unsupported test type "+tc.Type)
				return
			}
			r.Run(t, tc.ID, func() error {
				if err := check(); err != nil {
					return fmt.Errorf("%s: %w", tc.Comment, err)
				}
				return nil
			})
		})
	}
	r.Report(t)
}

// decodeFile parses a Turtle or TriG file whose IRI is base.
func decodeFile(path, base string, trig bool) (*turtle.Decoder, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	opts := syntax.Options{File: filepath.Base(path), Base: base}
	d := turtle.NewDecoder(f, opts)
	if trig {
		d = turtle.NewTriGDecoder(f, opts)
	}
	_, err = drain(d)
	return d, err
}

// drain reads a decoder to the end: the quads before an error, and the error.
func drain(d syntax.Decoder) ([]graph.Quad, error) {
	return graph.Collect(syntax.Quads(d))
}

// checkNegative requires the document to be rejected with a positioned
// *syntax.Error.
func checkNegative(path, base string, trig bool) error {
	_, err := decodeFile(path, base, trig)
	if err == nil {
		return errors.New("bad document accepted")
	}
	e, ok := syntax.AsError(err)
	if !ok {
		return fmt.Errorf("error is not a *syntax.Error: %v", err)
	}
	if e.Line < 1 || e.Column < 1 {
		return fmt.Errorf("error without a position: %v", err)
	}
	return nil
}

// checkEval parses the action and compares it with the expected N-Triples or
// N-Quads, then writes it with the encoder (using the document's prefixes
// and base), parses that again and compares once more.
func checkEval(tc manifest.Test, trig bool) error {
	f, err := os.Open(tc.Action)
	if err != nil {
		return err
	}
	defer f.Close()
	opts := syntax.Options{File: filepath.Base(tc.Action), Base: tc.ActionNode.Value()}
	d := turtle.NewDecoder(f, opts)
	if trig {
		d = turtle.NewTriGDecoder(f, opts)
	}
	got, err := drain(d)
	if err != nil {
		return err
	}
	want, err := readNQuads(tc.Result)
	if err != nil {
		return fmt.Errorf("expected result: %w", err)
	}
	if !graph.Isomorphic(got, want) {
		return fmt.Errorf("graph differs from %s:\ngot:\n%s\nwant:\n%s", filepath.Base(tc.Result), dump(got), dump(want))
	}
	var buf bytes.Buffer
	eopts := turtle.EncoderOptions{Prefixes: d.Prefixes(), Base: tc.ActionNode.Value()}
	e := turtle.NewEncoder(&buf, eopts)
	if trig {
		e = turtle.NewTriGEncoder(&buf, eopts)
	}
	for _, q := range got {
		if err := e.Encode(q); err != nil {
			return fmt.Errorf("round trip: %w", err)
		}
	}
	if err := e.Close(); err != nil {
		return fmt.Errorf("round trip: %w", err)
	}
	opts = syntax.Options{File: "encoded", Base: "http://invalid.example/unused"}
	d = turtle.NewDecoder(bytes.NewReader(buf.Bytes()), opts)
	if trig {
		d = turtle.NewTriGDecoder(bytes.NewReader(buf.Bytes()), opts)
	}
	again, err := drain(d)
	if err != nil {
		return fmt.Errorf("round trip: re-parse: %w\n%s", err, buf.Bytes())
	}
	if !graph.Isomorphic(again, want) {
		return fmt.Errorf("round trip changes the graph:\nencoded:\n%s\nwant:\n%s", buf.Bytes(), dump(want))
	}
	return nil
}

func readNQuads(path string) ([]graph.Quad, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return drain(ntriples.NewQuadDecoder(f, syntax.Options{File: filepath.Base(path)}))
}

func dump(qs []graph.Quad) string {
	var b strings.Builder
	for _, q := range qs {
		b.WriteString(q.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestKnownFailuresExist checks that every entry of the known-failures file
// names a test of one of the manifests, so stale entries do not linger.
func TestKnownFailuresExist(t *testing.T) {
	ids := map[string]bool{}
	for _, s := range []suite{turtleSuite, trigSuite} {
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
