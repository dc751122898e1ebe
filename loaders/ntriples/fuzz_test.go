package ntriples

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
)

// FuzzNTriples checks that the N-Triples decoder never panics, reports bad
// input as a positioned *syntax.Error, returns only valid default-graph
// triples, round-trips them through the encoder, and accepts everything it
// accepts also as N-Quads, with the same result.
func FuzzNTriples(f *testing.F) {
	seedFromSuites(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, false) })
}

// FuzzNQuads is FuzzNTriples for the N-Quads decoder and encoder.
func FuzzNQuads(f *testing.F) {
	seedFromSuites(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, true) })
}

// seedFromSuites adds every N-Triples and N-Quads file of the W3C suites,
// valid and invalid, plus a few inputs for the line-end and buffer code.
func seedFromSuites(f *testing.F) {
	root := testsuite.Must(f)
	for _, glob := range []string{"rdf-n-triples/*.nt", "rdf-n-quads/*.nq"} {
		files, err := filepath.Glob(filepath.Join(root, "rdf-tests/rdf/rdf11", glob))
		if err != nil || len(files) == 0 {
			f.Fatalf("no seed files for %s: %v", glob, err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("\uFEFF_:a.b <http://x/p> \"\\u00E9\\t\"@en-GB _:g .\r<http://x/s> <http://x/p> \"1\"^^<http://x/d> <http://x/g> .\r\n"))
	f.Add([]byte("<http://x/\\U0001F600> <http://x/p> _:é·‿ .\n\n#c\r\r"))
}

// maxFuzzQuads bounds the work per input.
const maxFuzzQuads = 10000

func fuzzDecode(t *testing.T, data []byte, quads bool) {
	got, err := fuzzRead(data, quads)
	if err != nil {
		se, ok := syntax.AsError(err)
		if !ok {
			t.Fatalf("decode %q: error %v is not a *syntax.Error", data, err)
		}
		if se.File != "fuzz" || se.Line < 1 || se.Line > bytes.Count(data, []byte{'\n'})+bytes.Count(data, []byte{'\r'})+1 ||
			se.Column < 1 || se.Column > len(data)+1 || se.Msg == "" {
			t.Fatalf("decode %q: error %#v has an impossible position", data, se)
		}
		return
	}
	for _, q := range got {
		if !q.Valid() || q.G.IsZero() || (!quads && !q.G.IsDefaultGraph()) {
			t.Fatalf("decode %q: invalid quad %v", data, q)
		}
	}
	var buf bytes.Buffer
	if err := encodeAll(&buf, got, quads); err != nil {
		t.Fatalf("encode %v (from %q): %v", got, data, err)
	}
	again, err := fuzzRead(buf.Bytes(), quads)
	if err != nil {
		t.Fatalf("decode of encoded %q (from %q): %v", buf.Bytes(), data, err)
	}
	if !sameUpToBlanks(got, again) {
		t.Fatalf("round trip of %q: %v became %v", data, got, again)
	}
	if !quads {
		asQuads, err := fuzzRead(data, true)
		if err != nil || !sameUpToBlanks(got, asQuads) {
			t.Fatalf("N-Triples %q read as %v, as N-Quads %v (%v)", data, got, asQuads, err)
		}
	}
}

func fuzzRead(data []byte, quads bool) ([]graph.Quad, error) {
	opts := syntax.Options{File: "fuzz"}
	d := NewDecoder(bytes.NewReader(data), opts)
	if quads {
		d = NewQuadDecoder(bytes.NewReader(data), opts)
	}
	var out []graph.Quad
	for len(out) < maxFuzzQuads {
		q, err := d.Next()
		if err != nil {
			if err == io.EOF {
				return out, nil
			}
			return out, err
		}
		out = append(out, q)
	}
	return out, nil
}

// sameUpToBlanks reports whether a and b are the same quads in the same
// order up to a one-to-one renaming of blank nodes: stricter than
// graph.Isomorphic, which the conformance runner uses, since both sides come
// from the same statements in the same order.
func sameUpToBlanks(a, b []graph.Quad) bool {
	if len(a) != len(b) {
		return false
	}
	fwd, back := map[graph.Term]graph.Term{}, map[graph.Term]graph.Term{}
	same := func(x, y graph.Term) bool {
		if !x.IsBlank() || !y.IsBlank() {
			return x == y
		}
		if m, ok := fwd[x]; ok {
			return m == y
		}
		if _, ok := back[y]; ok {
			return false
		}
		fwd[x], back[y] = y, x
		return true
	}
	for i := range a {
		if !same(a[i].S, b[i].S) || !same(a[i].P, b[i].P) || !same(a[i].O, b[i].O) || !same(a[i].G, b[i].G) {
			return false
		}
	}
	return graph.Isomorphic(a, b)
}
