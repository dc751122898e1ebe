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

// The --format and --output flags of the commands that write RDF (export,
// demo): one wording, since outputFormat and writeOutput give them one
// meaning.
const (
	formatFlagHelp = "output format (default: from --output's extension as load reads it; nquads on standard output)"
	outputFlagHelp = "output file, - for standard output; a name ending in .gz is gzip-compressed"
)

func cmdExport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "export", "[--graph IRI] [--format F] [--output FILE[.gz]]")
	graphFlag := f.String("graph", "", "export only this graph (an absolute IRI, or 'default')")
	format := f.String("format", "", formatFlagHelp)
	output := f.String("output", "-", outputFlagHelp)
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
	fm, gz, err := outputFormat(*format, *output)
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
	quads := snap.Quads(ctx, graph.Pattern{G: g})
	switch {
	case fm.Quads:
	case g.IsZero():
		// Refuse before writing anything: the encoder would fail at the
		// first quad of a named graph, half-way through the output.
		if err := checkNoNamedGraphs(ctx, snap, fm); err != nil {
			return err
		}
	default:
		quads = inDefaultGraph(quads) // a single graph exported as triples
	}
	return writeOutput(ctx, e, *output, "exported", quads, fm, gz)
}

// outputFormat chooses the format and compression of a command's RDF
// output: --format when given, else the format load would read from
// --output's name (the same table, loaders.ForFile), else N-Quads on
// standard output. A name ending in .gz is gzip-compressed however the
// format was chosen.
func outputFormat(format, output string) (loaders.Format, bool, error) {
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

// writeOutput writes quads as fm, gzip-compressed when gz is set, to the
// file output, or to standard output for "-". Written to a file, it reports
// "<done> N quads to FILE (format)" on standard error; a failure removes
// the partial file, which would load as if it were the whole output.
func writeOutput(ctx context.Context, e *env, output, done string, quads graph.Quads, fm loaders.Format, gz bool) error {
	if output == "-" {
		if _, err := writeQuads(ctx, e.stdout, quads, fm, gz); err != nil {
			return fmt.Errorf("write standard output: %w", err)
		}
		return nil
	}
	file, err := os.Create(output)
	if err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	n, err := writeQuads(ctx, file, quads, fm, gz)
	if cerr := file.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		err = fmt.Errorf("write %s: %w", output, err)
		if rerr := os.Remove(output); rerr != nil {
			return fmt.Errorf("%w (and the partial file could not be removed: %v)", err, rerr)
		}
		return err
	}
	what := fm.Name
	if gz {
		what += ", gzip"
	}
	fmt.Fprintf(e.stderr, "%s %d quads to %s (%s)\n", done, n, output, what)
	return nil
}

// inDefaultGraph moves quads into the default graph, so that one graph
// can be written in a format that holds only triples.
func inDefaultGraph(quads graph.Quads) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		for q, err := range quads {
			q.G = graph.DefaultGraph
			if !yield(q, err) {
				return
			}
		}
	}
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

// writeQuads writes quads to w as fm, gzip-compressed when gz is set, and
// returns how many it wrote. It stops when ctx is done (checked every
// 100,000 quads, since a generated stream such as the demo federation's
// does not check it).
func writeQuads(ctx context.Context, w io.Writer, quads graph.Quads, fm loaders.Format, gz bool) (int64, error) {
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(w)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	enc, err := fm.NewEncoder(bw, loaders.EncodeOptions{Prefixes: loaders.CommonPrefixes()})
	if err != nil {
		return 0, fmt.Errorf("encode %s: %w", fm.Name, err)
	}
	var n int64
	for q, err := range quads {
		if err != nil {
			return n, err
		}
		if err := enc.Encode(q); err != nil {
			return n, fmt.Errorf("encode %s: %w", fm.Name, err)
		}
		if n++; n%100_000 == 0 {
			if err := ctx.Err(); err != nil {
				return n, err
			}
		}
	}
	if err := enc.Close(); err != nil {
		return n, fmt.Errorf("encode %s: %w", fm.Name, err)
	}
	if err := bw.Flush(); err != nil {
		return n, err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return n, fmt.Errorf("gzip: %w", err)
		}
	}
	return n, nil
}
