package rdfxml

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
)

// FuzzDecode checks that the decoder never panics, that every error is a
// *syntax.Error with a position, and that what it reads survives a trip
// through the encoder unchanged (up to blank node labels).
func FuzzDecode(f *testing.F) {
	root := filepath.Join(testsuite.Must(f), "rdf-tests", "rdf", "rdf11", "rdf-xml")
	files, err := filepath.Glob(filepath.Join(root, "*", "*.rdf"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no suite inputs under %s: %v", root, err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := syntax.Options{File: "fuzz.rdf", Base: "http://example.org/base/doc"}
		qs, err := graph.Collect(NewDecoder(bytes.NewReader(data), opts).Quads())
		if err != nil {
			se, ok := syntax.AsError(err)
			if !ok {
				t.Fatalf("error %v is not a *syntax.Error", err)
			}
			if se.Line < 1 || se.Column < 1 {
				t.Fatalf("error %v has no position", err)
			}
			return
		}
		for _, q := range qs {
			if !q.Valid() {
				t.Fatalf("decoder produced invalid quad %v", q)
			}
		}
		var buf bytes.Buffer
		enc := NewEncoder(&buf, EncoderOptions{})
		for _, q := range qs {
			if err := enc.Encode(q); err != nil {
				if errors.Is(err, ErrNotExpressible) {
					return
				}
				t.Fatalf("Encode(%v) = %v", q, err)
			}
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		back, err := graph.Collect(NewDecoder(bytes.NewReader(buf.Bytes()), syntax.Options{}).Quads())
		if err != nil {
			t.Fatalf("decode encoder output: %v\n%s", err, buf.String())
		}
		if !graph.Isomorphic(qs, back) {
			t.Fatalf("round trip changed the graph:\n%s---\n%s---\n%s", dump(qs), dump(back), buf.String())
		}
	})
}
