package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/parser"
	"github.com/tessera-fair/tessera/sparql/results"
)

// This file is the query path shared by the SPARQL protocol handler and
// `tessera query`: parse, choose the dataset, choose the output format,
// evaluate on a snapshot, stream the answer.

// DatasetParams are the graphs a request names outside the query text: the
// protocol's default-graph-uri and named-graph-uri parameters (or
// `tessera query --graph`). When either list is non-empty they replace the
// query's FROM / FROM NAMED clauses (SPARQL 1.1 Protocol §2.1.4).
type DatasetParams struct {
	Default, Named []string
}

// IsZero reports whether the request names no dataset.
func (d DatasetParams) IsZero() bool { return len(d.Default) == 0 && len(d.Named) == 0 }

// Prepared is a parsed and translated query.
type Prepared struct {
	Algebra *algebra.Query
}

// Form returns the query form (SELECT, ASK, CONSTRUCT, DESCRIBE).
func (p *Prepared) Form() algebra.Form { return p.Algebra.Form }

// PrepareQuery parses and translates a query. Syntax errors are
// *syntax.Error values carrying line and column.
func PrepareQuery(text, base string) (*Prepared, error) {
	q, err := parser.ParseQuery(text, parser.Options{Base: base, File: "query"})
	if err != nil {
		return nil, err
	}
	alg, err := algebra.Translate(q, algebra.Options{Base: base})
	if err != nil {
		return nil, fmt.Errorf("translate query: %w", err)
	}
	return &Prepared{Algebra: alg}, nil
}

// ChooseOutput picks the response format of a query form: format (a
// ?format= value or a --format flag) wins when set, else the Accept header
// is negotiated. SELECT and ASK take a result format (JSON by default),
// CONSTRUCT and DESCRIBE an RDF syntax (Turtle by default). Only formats
// that can carry the form's result take part: CSV and TSV are defined for
// SELECT only, so an ASK whose Accept prefers CSV gets the next acceptable
// format. It reports false when no acceptable format exists (HTTP 406).
func ChooseOutput(form algebra.Form, accept, format string) (Output, bool) {
	if form == algebra.Construct || form == algebra.Describe {
		if format != "" {
			f, ok := lookupRDF(format)
			return Output{RDF: f}, ok
		}
		f, ok := NegotiateRDF(accept)
		return Output{RDF: f}, ok
	}
	formats := resultFormatsFor(form)
	if format != "" {
		f, ok := results.ParseFormat(format)
		return Output{Results: f}, ok && slices.Contains(formats, f)
	}
	f, ok := results.NegotiateAmong(accept, formats)
	return Output{Results: f}, ok
}

// resultFormatsFor returns the result formats that can carry the result of a
// SELECT or ASK query, in the server's order.
func resultFormatsFor(form algebra.Form) []results.Format {
	var out []results.Format
	for _, f := range results.Formats() {
		if form != algebra.Ask || f.CanBoolean() {
			out = append(out, f)
		}
	}
	return out
}

// outputChoices lists the formats that can carry the result of a query
// form, by ?format= name and by media type, for the messages of a 406.
func outputChoices(form algebra.Form) (names, mediaTypes []string) {
	if form == algebra.Construct || form == algebra.Describe {
		for _, f := range rdfFormats() {
			names, mediaTypes = append(names, f.Name), append(mediaTypes, f.MediaType())
		}
		return names, mediaTypes
	}
	for _, f := range resultFormatsFor(form) {
		names, mediaTypes = append(names, f.String()), append(mediaTypes, f.MediaType())
	}
	return names, mediaTypes
}

// knownFormat reports whether a ?format= value names some format Tessera
// writes, whether or not it fits the query form.
func knownFormat(format string) bool {
	if _, ok := results.ParseFormat(format); ok {
		return true
	}
	_, ok := lookupRDF(format)
	return ok
}

// EvalOptions turns the request's dataset into evaluator options. Protocol
// graphs fix the dataset (the query's FROM clauses are ignored). Otherwise,
// with union set, the default graph is the merge of the store's default
// graph and every named graph; FROM / FROM NAMED in the query still win.
func EvalOptions(ds DatasetParams, union bool) eval.Options {
	var opts eval.Options
	switch {
	case !ds.IsZero():
		opts.FixedDataset = true
		opts.Dataset.RestrictNamed = true
		for _, g := range ds.Default {
			opts.Dataset.Default = append(opts.Dataset.Default, graph.IRI(g))
		}
		// Only named graphs given: the default graph is empty (Protocol §2.1.4).
		opts.Dataset.EmptyDefault = len(opts.Dataset.Default) == 0
		for _, g := range ds.Named {
			opts.Dataset.Named = append(opts.Dataset.Named, graph.IRI(g))
		}
	case union:
		// The union of all graphs: the store's default graph (when it has
		// quads) and every named graph.
		opts.Dataset.UnionDefault, opts.Dataset.UnionIncludesDefault = true, true
	}
	return opts
}

// ErrTooManyRows reports a result longer than the configured row cap.
var ErrTooManyRows = errors.New("web: result exceeds the row limit")

// answer is an evaluated query whose first rows may have been read ahead
// (so that errors and row-limit violations are found before the response
// headers are sent).
type answer struct {
	res  *eval.Result
	out  Output
	max  int64 // row cap, 0 for none
	head []item
	next func() (item, error, bool)
	stop func()
}

// item is one row of a SELECT or one triple of a CONSTRUCT/DESCRIBE.
type item struct {
	row  []graph.Term
	quad graph.Quad
}

// newAnswer wraps res and reads up to lookahead items ahead. The error is
// the evaluation error met while reading ahead, or ErrTooManyRows when the
// lookahead already exceeds max.
func newAnswer(res *eval.Result, out Output, max int64, lookahead int) (*answer, error) {
	a := &answer{res: res, out: out, max: max}
	var seq iter.Seq2[item, error]
	switch {
	case res.Solutions != nil:
		seq = func(yield func(item, error) bool) {
			for row, err := range res.Solutions {
				if !yield(item{row: row}, err) {
					return
				}
			}
		}
	case res.Quads != nil:
		seq = func(yield func(item, error) bool) {
			for q, err := range res.Quads {
				if !yield(item{quad: q}, err) {
					return
				}
			}
		}
	default:
		return a, nil
	}
	a.next, a.stop = iter.Pull2(seq)
	for len(a.head) < lookahead {
		it, err, ok := a.next()
		if !ok {
			a.stop()
			a.next = nil
			break
		}
		if err != nil {
			a.close()
			return nil, err
		}
		a.head = append(a.head, it)
		if max > 0 && int64(len(a.head)) > max {
			a.close()
			return nil, ErrTooManyRows
		}
	}
	return a, nil
}

// triples returns the read-ahead triples of a CONSTRUCT or DESCRIBE
// answer, in the default graph, as they will be written.
func (a *answer) triples() []graph.Quad {
	out := make([]graph.Quad, len(a.head))
	for k, it := range a.head {
		out[k] = it.quad
		out[k].G = graph.DefaultGraph
	}
	return out
}

// close stops the evaluation if it is still running.
func (a *answer) close() {
	if a.stop != nil {
		a.stop()
		a.stop, a.next = nil, nil
	}
}

// items yields the read-ahead items, then the rest of the stream.
func (a *answer) items(yield func(item, error) bool) {
	for _, it := range a.head {
		if !yield(it, nil) {
			return
		}
	}
	if a.next == nil {
		return
	}
	for {
		it, err, ok := a.next()
		if !ok || !yield(it, err) || err != nil {
			return
		}
	}
}

// write streams the answer to w, calling flush (when not nil) at most every
// 200 ms while rows keep coming, so that slow results reach the client as
// they are found. It returns the number of rows or triples written. On an
// error, including ErrTooManyRows, the document is left unfinished so that
// no client takes a cut result for a complete one.
func (a *answer) write(ctx context.Context, w io.Writer, flush func()) (int64, error) {
	defer a.close()
	var n int64
	last := time.Now()
	due := func() bool {
		if flush == nil || n&63 != 0 || time.Since(last) < 200*time.Millisecond {
			return false
		}
		last = time.Now()
		return true
	}
	switch {
	case a.out.Results != 0:
		rw, err := results.NewWriter(w, a.out.Results)
		if err != nil {
			return 0, err
		}
		if a.res.Solutions == nil {
			if err := rw.WriteBoolean(a.res.Boolean); err != nil {
				return 0, err
			}
			return 1, rw.Close()
		}
		if err := rw.WriteHead(a.res.Vars); err != nil {
			return 0, err
		}
		for it, err := range a.items {
			if err == nil {
				err = ctx.Err()
			}
			if err == nil && a.max > 0 && n >= a.max {
				err = ErrTooManyRows
			}
			if err != nil {
				_ = rw.Flush() // send the rows written, without the document's end
				return n, err
			}
			if err := rw.WriteSolution(results.Solution(it.row)); err != nil {
				return n, err
			}
			n++
			if due() {
				if err := rw.Flush(); err != nil {
					return n, err
				}
				flush()
			}
		}
		return n, rw.Close()
	default:
		enc, err := a.out.RDF.NewEncoder(w, loaders.EncodeOptions{Prefixes: loaders.CommonPrefixes()})
		if err != nil {
			return 0, err
		}
		for it, err := range a.items {
			if err != nil {
				return n, err
			}
			if err := ctx.Err(); err != nil {
				return n, err
			}
			if a.max > 0 && n >= a.max {
				return n, ErrTooManyRows
			}
			q := it.quad
			q.G = graph.DefaultGraph
			if err := enc.Encode(q); err != nil {
				return n, fmt.Errorf("encode %s: %w", a.out.RDF.Name, err)
			}
			n++
			if due() {
				flush()
			}
		}
		return n, enc.Close()
	}
}

// RunQuery evaluates a prepared query on r and writes the answer to w: the
// path `tessera query` takes (the server adds read-ahead, headers and
// limits around the same steps). maxRows caps the rows or triples written
// (0 for none).
func RunQuery(ctx context.Context, r graph.Reader, p *Prepared, opts eval.Options, out Output, w io.Writer, maxRows int64) (int64, error) {
	res, err := eval.Query(ctx, r, p.Algebra, opts)
	if err != nil {
		return 0, err
	}
	a, err := newAnswer(res, out, maxRows, 0)
	if err != nil {
		return 0, err
	}
	return a.write(ctx, w, nil)
}
