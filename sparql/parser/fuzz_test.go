package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
)

// seedFiles returns the suite's query (.rq) or update (.ru) files.
func seedFiles(f *testing.F, ext string) []string {
	root := filepath.Join(testsuite.Must(f), "rdf-tests", "sparql", "sparql11")
	var out []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ext) {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out = append(out, string(data))
		}
		return nil
	})
	if err != nil {
		f.Fatalf("seed corpus: %v", err)
	}
	return out
}

const fuzzBase = "http://example.org/base/q.rq"

// FuzzParseQuery checks that ParseQuery never panics, reports errors as
// positioned *syntax.Error values, and that every query it accepts prints
// to text that parses back to the same tree.
func FuzzParseQuery(f *testing.F) {
	for _, s := range seedFiles(f, ".rq") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		q, err := ParseQuery(src, Options{Base: fuzzBase})
		if err != nil {
			checkSyntaxError(t, src, err)
			return
		}
		if err := roundTrip(q, fuzzBase); err != nil {
			t.Fatalf("ParseQuery(%q): %v", src, err)
		}
	})
}

// FuzzParseUpdate is FuzzParseQuery for update requests.
func FuzzParseUpdate(f *testing.F) {
	for _, s := range seedFiles(f, ".ru") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		u, err := ParseUpdate(src, Options{Base: fuzzBase})
		if err != nil {
			checkSyntaxError(t, src, err)
			return
		}
		if err := roundTrip(u, fuzzBase); err != nil {
			t.Fatalf("ParseUpdate(%q): %v", src, err)
		}
	})
}

func checkSyntaxError(t *testing.T, src string, err error) {
	t.Helper()
	e, isSyntax := syntax.AsError(err)
	if !isSyntax {
		t.Fatalf("parse(%q) error %v is not a *syntax.Error", src, err)
	}
	lines := strings.Count(src, "\n") + 1
	if e.Line < 1 || e.Line > lines || e.Column < 1 {
		t.Fatalf("parse(%q) error %v has a bad position (input has %d lines)", src, err, lines)
	}
}
