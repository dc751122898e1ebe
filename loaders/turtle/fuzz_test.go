package turtle

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
)

// FuzzTurtle checks that the Turtle decoder never panics, reports bad input
// as a positioned *syntax.Error, gives the same result whatever the read
// sizes, emits only valid quads, and that what it read survives a round
// trip through the encoder.
func FuzzTurtle(f *testing.F) { fuzzDecoder(f, false) }

// FuzzTriG is FuzzTurtle for TriG.
func FuzzTriG(f *testing.F) { fuzzDecoder(f, true) }

const fuzzBase = "http://example.com/fuzz/doc"

func fuzzDecoder(f *testing.F, trig bool) {
	dir := filepath.Join(testsuite.Must(f), "rdf-tests", "rdf", "rdf11", "rdf-turtle")
	ext := ".ttl"
	if trig {
		dir, ext = filepath.Join(filepath.Dir(dir), "rdf-trig"), ".trig"
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"+ext))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files in %s: %v", dir, err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkInput(t, data, trig) })
}

// checkInput is the body of the fuzz targets.
func checkInput(t *testing.T, data []byte, trig bool) {
	decode := func(slow bool) (*Decoder, []graph.Quad, error) {
		var in io.Reader = bytes.NewReader(data)
		if slow {
			in = iotest.OneByteReader(in)
		}
		opts := syntax.Options{File: "fuzz", Base: fuzzBase}
		d := NewDecoder(in, opts)
		if trig {
			d = NewTriGDecoder(in, opts)
		}
		qs, err := drain(d)
		return d, qs, err
	}
	d, quads, err := decode(false)
	if err != nil {
		if e, ok := syntax.AsError(err); !ok || e.Line < 1 || e.Column < 1 {
			t.Fatalf("error is not a positioned *syntax.Error: %v", err)
		}
	}
	for _, q := range quads {
		if !q.Valid() || (!trig && !q.G.IsDefaultGraph()) {
			t.Fatalf("invalid quad %v", q)
		}
	}
	_, slowQuads, slowErr := decode(true)
	if errString(err) != errString(slowErr) {
		t.Fatalf("error differs with one-byte reads: %v vs %v", err, slowErr)
	}
	if len(quads) <= 500 && !graph.Isomorphic(quads, slowQuads) {
		t.Fatalf("graph differs with one-byte reads:\n%s\nvs\n%s", dump(quads), dump(slowQuads))
	}

	var buf bytes.Buffer
	eopts := EncoderOptions{Prefixes: d.Prefixes(), Base: fuzzBase}
	e := NewEncoder(&buf, eopts)
	if trig {
		e = NewTriGEncoder(&buf, eopts)
	}
	for _, q := range quads {
		if err := e.Encode(q); err != nil {
			t.Fatalf("encode %v: %v", q, err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	opts := syntax.Options{File: "encoded"}
	d2 := NewDecoder(bytes.NewReader(buf.Bytes()), opts)
	if trig {
		d2 = NewTriGDecoder(bytes.NewReader(buf.Bytes()), opts)
	}
	again, err := drain(d2)
	if err != nil {
		t.Fatalf("re-parse encoded output: %v\n%s", err, buf.Bytes())
	}
	if len(quads) <= 500 && !graph.Isomorphic(quads, again) {
		t.Fatalf("round trip changes the graph:\n%s\nencoded:\n%s\nback:\n%s", dump(quads), buf.Bytes(), dump(again))
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return strings.TrimSpace(err.Error())
}
