package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/ontology"
	"github.com/tessera-fair/tessera/ontology/vocab"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/federation"
	"github.com/tessera-fair/tessera/web"
)

// maxOperationBytes bounds a query or update read from a file or standard
// input: the parser needs the whole text.
const maxOperationBytes = 16 << 20

func cmdQuery(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "query", "[--format F] [--graph IRI]... [--named-graph IRI]... 'SELECT …' | --file q.rq")
	format := f.String("format", "", "result format: json, xml, csv, tsv (SELECT/ASK; default tsv, ASK prints true/false) or an RDF format (CONSTRUCT/DESCRIBE; default turtle)")
	file := f.String("file", "", "read the query from this file (- for standard input)")
	explain := f.Bool("explain", false, "run the query and print the optimized plan with estimated and actual cardinalities instead of the answer")
	base := f.String("base", "", "base IRI for relative IRIs in the query")
	union := f.Bool("union-default-graph", true, "with no dataset named, the default graph is the union of all graphs (as `tessera serve`)")
	timeout := f.Duration("timeout", 0, "time limit (default none)")
	maxRows := f.Int64("max-rows", 0, "stop with an error after this many rows (0: no limit)")
	entailment := f.String("entailment", "", "entailment regime: rdfs (reason with the bundled vocabularies' subclasses, sub-properties, domains and ranges) or simple (default)")
	var defaults, named listFlag
	f.Var(&defaults, "graph", "a default graph of the dataset, as default-graph-uri (repeatable)")
	f.Var(&named, "named-graph", "a named graph of the dataset, as named-graph-uri (repeatable)")
	var allowService listFlag
	f.Var(&allowService, "allow-service", "endpoint IRI prefix SPARQL SERVICE may query (repeatable; none by default)")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	text, err := operationText(e, rest, *file, "query")
	if err != nil {
		return err
	}
	ds, err := datasetFlags(defaults, named)
	if err != nil {
		return err
	}
	prep, err := web.PrepareQuery(text, *base)
	if err != nil {
		return fmt.Errorf("%s", describeError(err, "query"))
	}
	askPlain := *format == "" && prep.Form() == algebra.Ask
	fm := *format
	if fm == "" && prep.Form() == algebra.Select {
		fm = "tsv"
	}
	out, ok := web.ChooseOutput(prep.Form(), "", fm)
	if !ok && !askPlain {
		return usagef("--format %q cannot carry the result of a %s query", fm, prep.Form())
	}
	store, err := openStore(f.data, true)
	if err != nil {
		return err
	}
	defer store.Close()
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	snap, err := store.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Release()
	opts := web.EvalOptions(ds, *union && ds.IsZero())
	if opts.Entailment, err = queryEntailment(ctx, snap, *entailment); err != nil {
		return err
	}
	opts.Service = federation.New(federation.Options{Allow: allowService})
	if *explain {
		plan, err := eval.Explain(ctx, snap, prep.Algebra, opts, true)
		if err != nil {
			return fmt.Errorf("%s", describeError(err, "query"))
		}
		fmt.Fprint(e.stdout, plan.String())
		return nil
	}
	if askPlain {
		res, err := eval.Query(ctx, snap, prep.Algebra, opts)
		if err != nil {
			return fmt.Errorf("%s", describeError(err, "query"))
		}
		fmt.Fprintln(e.stdout, res.Boolean)
		return nil
	}
	bw := bufio.NewWriterSize(e.stdout, 1<<16)
	start := time.Now()
	n, err := web.RunQuery(ctx, snap, prep, opts, out, bw, *maxRows)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("%s", describeError(err, "query"))
	}
	if prep.Form() != algebra.Ask {
		fmt.Fprintf(e.stderr, "%d %s in %s\n", n, map[bool]string{true: "rows", false: "triples"}[prep.Form() == algebra.Select], time.Since(start).Round(time.Microsecond))
	}
	return nil
}

// operationText returns the query or update from the one positional
// argument or from --file.
func operationText(e *env, rest []string, file, what string) (string, error) {
	switch {
	case file != "" && len(rest) > 0:
		return "", usagef("give the %s as an argument or with --file, not both", what)
	case len(rest) > 1:
		return "", usagef("give one %s (quote it), got %d arguments", what, len(rest))
	case len(rest) == 1:
		return rest[0], nil
	case file == "":
		return "", usagef("no %s: give it as an argument or with --file", what)
	}
	var r io.Reader = e.stdin
	if file != "-" {
		fh, err := os.Open(file)
		if err != nil {
			return "", err
		}
		defer fh.Close()
		r = fh
	}
	b, err := io.ReadAll(io.LimitReader(r, maxOperationBytes+1))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", file, err)
	}
	if len(b) > maxOperationBytes {
		return "", fmt.Errorf("read %s: longer than %d bytes", file, maxOperationBytes)
	}
	return string(b), nil
}

// datasetFlags checks --graph / --named-graph values.
func datasetFlags(defaults, named []string) (web.DatasetParams, error) {
	var ds web.DatasetParams
	for _, g := range defaults {
		if !iri.IsAbsolute(g) {
			return ds, usagef("--graph %q is not an absolute IRI", g)
		}
		ds.Default = append(ds.Default, g)
	}
	for _, g := range named {
		if !iri.IsAbsolute(g) {
			return ds, usagef("--named-graph %q is not an absolute IRI", g)
		}
		ds.Named = append(ds.Named, g)
	}
	return ds, nil
}

// describeError words an operation error as the server's JSON error does.
func describeError(err error, what string) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return what + " exceeded its time limit (--timeout)"
	}
	return web.OperationError(err, what).Message
}

// queryEntailment returns the schema for --entailment: the bundled
// vocabularies read as RDFS with their equivalences (as `tessera serve`
// does for entailment=rdfs) — from the store's vocabulary graphs, or,
// in a store `tessera serve` never installed them in, from the copies
// built into the binary.
func queryEntailment(ctx context.Context, r graph.Reader, regime string) (eval.Entailment, error) {
	switch regime {
	case "", "simple":
		return nil, nil
	case "rdfs":
	default:
		return nil, usagef("--entailment %q: use rdfs or simple", regime)
	}
	var graphs []graph.Term
	var installed int64
	for _, v := range vocab.Graphs() {
		graphs = append(graphs, v.Graph)
		n, err := r.Count(ctx, graph.Pattern{G: v.Graph})
		if err != nil {
			return nil, fmt.Errorf("entailment: %w", err)
		}
		installed += n
	}
	if installed == 0 {
		mem := memstore.New()
		defer mem.Close()
		if _, err := vocab.Install(ctx, mem); err != nil {
			return nil, fmt.Errorf("entailment: %w", err)
		}
		snap, err := mem.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		defer snap.Release()
		r = snap
	}
	o, err := ontology.Build(ctx, r, graphs)
	if err != nil {
		return nil, fmt.Errorf("entailment: %w", err)
	}
	return o.RDFS(true), nil
}
