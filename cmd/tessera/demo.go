package main

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/ontology/demo"
)

// cmdDemo writes the generated demo federation (demo.Federation) as RDF, for
// benchmarks and for loading elsewhere: `tessera demo --scale 17 > fed.nq`.
// It needs no store.
func cmdDemo(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "demo", "[--scale N] [--format F] [--output FILE]")
	scale := f.Int("scale", 1, "size of the federation: N times the `make run` catalogue (1 ≈ 0.59M quads, 17 ≈ 10M)")
	format := f.String("format", "nquads", "output format (nquads or trig keep the provider graphs)")
	output := f.String("output", "-", "output file, - for standard output")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	if *scale < 1 {
		return usagef("--scale must be at least 1")
	}
	fm, err := loaders.Lookup(*format)
	if err != nil {
		return &usageError{err.Error()}
	}
	if !fm.CanEncode() {
		return usagef("cannot write %s; choose one of the writable formats", fm.Name)
	}
	if !fm.Quads {
		return usagef("%s holds no named graphs; the federation needs a quad format (nquads or trig)", fm.Name)
	}
	out := e.stdout
	var file *os.File
	if *output != "-" {
		file, err = os.Create(*output)
		if err != nil {
			return err
		}
		defer file.Close()
		out = file
	}
	bw := bufio.NewWriterSize(out, 1<<16)
	enc, err := fm.NewEncoder(bw, loaders.EncodeOptions{Prefixes: loaders.CommonPrefixes()})
	if err != nil {
		return err
	}
	var n int64
	for q, err := range demo.Federation(*scale) {
		if err != nil {
			return err
		}
		if err := enc.Encode(q); err != nil {
			return fmt.Errorf("write %s: %w", fm.Name, err)
		}
		if n++; n%100_000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write %s: %w", fm.Name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", *output, err)
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return fmt.Errorf("close %s: %w", *output, err)
		}
		fmt.Fprintf(e.stderr, "wrote %d quads to %s\n", n, *output)
	}
	return nil
}
