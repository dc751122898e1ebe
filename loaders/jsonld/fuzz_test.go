package jsonld

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// FuzzDecode checks that the decoder never panics and reports bad input as
// *syntax.Error or *Error, and that what it decodes round-trips through the
// Encoder to an isomorphic dataset. Seeds are the toRdf suite's inputs.
func FuzzDecode(f *testing.F) {
	dir := suiteDir(f)
	inputs, err := filepath.Glob(filepath.Join(dir, "toRdf", "*-in.jsonld"))
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range inputs {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	loader := suiteLoader(f, dir)
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang would stall the fuzzer without a report: crash instead, so
		// the input is saved.
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("decode hangs on %q", data)) })
		defer watchdog.Stop()
		opts := Options{Loader: loader, MaxBytes: 1 << 20}
		opts.Base = suiteBase + "toRdf/fuzz-in.jsonld"
		quads, err := decodeAll(NewDecoder(bytes.NewReader(data), opts))
		if err != nil {
			var le *Error
			if _, ok := syntax.AsError(err); !ok && !errors.As(err, &le) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if le != nil && le.Code == "internal error" {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		enc := NewEncoder(&buf, EncoderOptions{Context: map[string]string{"ex": "http://example.org/", "xsd": graph.XSDNamespace}})
		var kept []graph.Quad
		for _, q := range quads {
			if enc.Encode(q) == nil {
				kept = append(kept, q)
			}
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		back, err := decodeAll(NewDecoder(&buf, Options{}))
		if err != nil {
			t.Fatalf("encoded output does not decode: %v\n%s", err, buf.String())
		}
		if !graph.Isomorphic(back, kept) {
			t.Fatalf("round trip not isomorphic\n%s\ngot\n%s\nwant\n%s", buf.String(), quadsString(back), quadsString(kept))
		}
	})
}
