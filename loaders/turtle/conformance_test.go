package turtle_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
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
	known := knownFailures(t)
	tests, err := manifest.Load(filepath.Join(testsuite.Must(t), filepath.FromSlash(s.manifest)), s.base)
	if err != nil {
		t.Fatal(err)
	}
	if len(tests) == 0 {
		t.Fatalf("manifest %s lists no tests", s.manifest)
	}
	var passed, failed, knownFailed, skipped int
	for _, tc := range tests {
		name := tc.ID[strings.LastIndexByte(tc.ID, '#')+1:]
		t.Run(name, func(t *testing.T) {
			var err error
			kind := strings.TrimPrefix(tc.Type, manifest.RDFT)
			switch kind {
			case "TestTurtlePositiveSyntax", "TestTrigPositiveSyntax":
				_, err = decodeFile(tc.Action, tc.ActionNode.Value(), s.trig)
			case "TestTurtleNegativeSyntax", "TestTrigNegativeSyntax":
				err = checkNegative(tc.Action, tc.ActionNode.Value(), s.trig)
			case "TestTurtleEval", "TestTrigEval":
				err = checkEval(tc, s.trig)
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
				knownFailed++
				t.Skipf("known failure %s (%s): %v", tc.ID, reason, err)
			default:
				failed++
				t.Errorf("%s (%s): %v", tc.ID, tc.Comment, err)
			}
		})
	}
	t.Logf("%s: %d passed, %d failed (%d known), %d skipped", s.name, passed, failed, knownFailed, skipped)
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

func drain(d syntax.Decoder) ([]graph.Quad, error) {
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

// knownFailures reads testdata/known-failures.txt: a test IRI per line, then
// " # reason". Lines that are empty or start with '#' are comments.
func knownFailures(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(knownFailuresFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, ok := strings.Cut(line, " # ")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("%s:%d: want \"<test IRI> # reason\", got %q", knownFailuresFile, n, line)
		}
		out[strings.TrimSpace(id)] = strings.TrimSpace(reason)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
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
	for id := range knownFailures(t) {
		if !ids[id] {
			t.Errorf("%s lists %s, which no manifest has", knownFailuresFile, id)
		}
	}
}
