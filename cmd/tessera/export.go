package main

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
)

func cmdExport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "export", "[--graph IRI] [--format F] [--output FILE]")
	graphFlag := f.String("graph", "", "export only this graph (an absolute IRI, or 'default')")
	format := f.String("format", "nquads", "output format")
	output := f.String("output", "-", "output file, - for standard output")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	g, err := parseGraph("--graph", *graphFlag)
	if err != nil {
		return err
	}
	fm, err := loaders.Lookup(*format)
	if err != nil {
		return &usageError{err.Error()}
	}
	if !fm.CanEncode() {
		return usagef("cannot write %s; choose one of the writable formats", fm.Name)
	}
	store, err := openStore(f.data, true)
	if err != nil {
		return err
	}
	defer store.Close()
	snap, err := store.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Release()

	out := e.stdout
	if *output != "-" {
		file, err := os.Create(*output)
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
	for q, err := range snap.Quads(ctx, graph.Pattern{G: g}) {
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if !fm.Quads && !g.IsZero() {
			q.G = graph.DefaultGraph // a single graph exported as triples
		}
		if err := enc.Encode(q); err != nil {
			return fmt.Errorf("export as %s: %w (use --format nquads or trig for named graphs, or --graph)", fm.Name, err)
		}
		n++
	}
	if err := enc.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if *output != "-" {
		fmt.Fprintf(e.stderr, "exported %d quads to %s\n", n, *output)
	}
	return nil
}
