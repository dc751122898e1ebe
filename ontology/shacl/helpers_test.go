package shacl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

// parseTurtle reads a Turtle file with the given base IRI.
func parseTurtle(path, base string) ([]graph.Quad, error) {
	qs, _, err := parseTurtlePrefixes(path, base)
	return qs, err
}

// parseTurtlePrefixes reads a Turtle file and returns its prefixes too.
func parseTurtlePrefixes(path, base string) ([]graph.Quad, map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	dec := turtle.NewDecoder(f, syntax.Options{File: path, Base: base})
	var out []graph.Quad
	for {
		q, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return out, dec.Prefixes(), nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("parse %s: %w", path, err)
		}
		out = append(out, q)
	}
}

// storeOf loads quads into a fresh memstore.
func storeOf(quads []graph.Quad) (*memstore.Store, error) {
	st := memstore.New()
	if _, err := graph.Load(context.Background(), st, graph.FromSlice(quads), graph.LoadOptions{}); err != nil {
		return nil, err
	}
	return st, nil
}

// validateQuads compiles shapes and validates data held in a memstore.
func validateQuads(shapes, data []graph.Quad, opts Options) (*Report, error) {
	s, err := Compile(shapes)
	if err != nil {
		return nil, err
	}
	st, err := storeOf(data)
	if err != nil {
		return nil, err
	}
	snap, err := st.Snapshot(context.Background())
	if err != nil {
		return nil, err
	}
	defer snap.Release()
	return s.Validate(context.Background(), snap, opts)
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// parseTurtleString parses Turtle text.
func parseTurtleString(src string) ([]graph.Quad, error) {
	dec := turtle.NewDecoder(strings.NewReader(src), syntax.Options{Base: "http://ex/"})
	var out []graph.Quad
	for {
		q, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
}
