package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	// The gzip that loaders decompresses with (see loaders/source.go).
	"github.com/klauspost/compress/gzip"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/web"
)

func cmdExport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "export", "[--graph IRI] [--format F] [--output FILE[.gz]]")
	graphFlag := f.String("graph", "", "export only this graph (an absolute IRI, or 'default')")
	format := f.String("format", "", "output format (default: from --output's extension as load reads it; nquads on standard output)")
	output := f.String("output", "-", "output file, - for standard output; a name ending in .gz is gzip-compressed")
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
	fm, gz, err := exportFormat(*format, *output)
	if err != nil {
		return err
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
	if !fm.Quads && g.IsZero() {
		// Refuse before writing anything: the encoder would fail at the
		// first quad of a named graph, half-way through the output.
		if err := checkNoNamedGraphs(ctx, snap, fm); err != nil {
			return err
		}
	}

	if *output == "-" {
		_, err := writeExport(ctx, e.stdout, snap, g, fm, gz)
		return err
	}
	file, err := os.Create(*output)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	n, err := writeExport(ctx, file, snap, g, fm, gz)
	if cerr := file.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("export: %w", cerr)
	}
	if err != nil {
		// A partial file would load as if it were the whole export.
		if rerr := os.Remove(*output); rerr != nil {
			return fmt.Errorf("%w (and the partial %s could not be removed: %v)", err, *output, rerr)
		}
		return err
	}
	what := fm.Name
	if gz {
		what += ", gzip"
	}
	fmt.Fprintf(e.stderr, "exported %d quads to %s (%s)\n", n, *output, what)
	return nil
}

// exportFormat chooses the format and compression of an export: --format
// when given, else the format load would read from --output's name (the
// same table, loaders.ForFile), else N-Quads on standard output. A name
// ending in .gz is gzip-compressed however the format was chosen.
func exportFormat(format, output string) (loaders.Format, bool, error) {
	var (
		fm  loaders.Format
		gz  bool
		err error
	)
	switch {
	case output == "-" && format == "":
		fm, err = loaders.Lookup("nquads")
	case output == "-":
		fm, err = loaders.Lookup(format)
	case format == "":
		fm, gz, err = loaders.ForFile(output)
	default:
		_, gz, _ = loaders.ForFile(output) // only the .gz matters here
		fm, err = loaders.Lookup(format)
	}
	if err != nil {
		return loaders.Format{}, false, &usageError{err.Error()}
	}
	if !fm.CanEncode() {
		return loaders.Format{}, false, usagef("cannot write %s; choose one of the writable formats", fm.Name)
	}
	return fm, gz, nil
}

// checkNoNamedGraphs fails when a named graph holds quads that fm, a
// triples-only format, cannot carry.
func checkNoNamedGraphs(ctx context.Context, r graph.Reader, fm loaders.Format) error {
	for name, err := range r.Graphs(ctx) {
		if err != nil {
			return fmt.Errorf("export: list graphs: %w", err)
		}
		n, err := r.Count(ctx, graph.Pattern{G: name})
		if err != nil {
			return fmt.Errorf("export: count graph %s: %w", web.GraphName(name), err)
		}
		if n > 0 {
			return fmt.Errorf("%s cannot hold named graphs, and the store has quads in named graphs (e.g. %s): export one graph with --graph IRI (or --graph default), or choose nquads, trig or jsonld", fm.Name, web.GraphName(name))
		}
	}
	return nil
}

// writeExport writes the quads of graph g (every graph when g is zero) to w
// as fm, gzip-compressed when gz is set, and returns how many it wrote.
func writeExport(ctx context.Context, w io.Writer, r graph.Reader, g graph.Term, fm loaders.Format, gz bool) (int64, error) {
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(w)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	enc, err := fm.NewEncoder(bw, loaders.EncodeOptions{Prefixes: loaders.CommonPrefixes()})
	if err != nil {
		return 0, err
	}
	var n int64
	for q, err := range r.Quads(ctx, graph.Pattern{G: g}) {
		if err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
		if !fm.Quads && !g.IsZero() {
			q.G = graph.DefaultGraph // a single graph exported as triples
		}
		if err := enc.Encode(q); err != nil {
			return n, fmt.Errorf("export as %s: %w (use --format nquads or trig for named graphs, or --graph)", fm.Name, err)
		}
		n++
	}
	if err := enc.Close(); err != nil {
		return n, fmt.Errorf("export as %s: %w", fm.Name, err)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return n, fmt.Errorf("export: gzip: %w", err)
		}
	}
	return n, nil
}
