package shacl

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/loaders/testsuite"
)

// FuzzValidate reads a Turtle document as both shapes and data graph:
// Compile and Validate must never panic nor hang, and a report must write
// as valid RDF, text and JSON. Seeds are the W3C suite's files.
func FuzzValidate(f *testing.F) {
	root := filepath.Join(testsuite.Must(f), "shacl", "tests", "core")
	seeds, _ := filepath.Glob(filepath.Join(root, "*", "*.ttl"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		// A watchdog turns a hang into a failure the fuzzer records.
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				panic("fuzz input took more than 5s")
			}
		}()
		qs, err := parseTurtleString(string(src))
		if err != nil {
			return
		}
		s, err := Compile(qs)
		if err != nil {
			return
		}
		st, err := storeOf(qs)
		if err != nil {
			return
		}
		snap, err := st.Snapshot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		rep, err := s.Validate(ctx, snap, Options{MaxResults: 1000})
		if err != nil {
			return
		}
		for _, q := range rep.Quads() {
			if !q.Valid() {
				t.Fatalf("report quad %v is not valid RDF", q)
			}
		}
		if err := rep.WriteText(io.Discard); err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatal(err)
		}
	})
}
