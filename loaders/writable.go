package loaders

import (
	"fmt"
	"io"
	"slices"

	"github.com/tessera-fair/tessera/graph"
)

// Some RDF graphs cannot be written in some syntaxes: RDF/XML cannot write
// a predicate IRI without an XML local name ("http://ex/1"), Turtle an IRI
// with characters an IRIREF cannot hold. A server finds out when it
// encodes the offending triple, by then after a 200 and half a document.
// CanWrite and FirstWritable let it find out before the response starts,
// on a sample of the triples (all of them, or those read ahead), and fall
// back to the client's next acceptable syntax.

// WriteSample is how many triples CanWrite encodes: the size of the
// sample servers test before a response starts (the SPARQL endpoint reads
// as many rows ahead).
const WriteSample = 1024

// CanWrite returns the error of the first of the first WriteSample quads
// that f cannot write with opts (encoding them, as given, to nowhere), or
// nil.
func (f Format) CanWrite(quads []graph.Quad, opts EncodeOptions) error {
	enc, err := f.NewEncoder(io.Discard, opts)
	if err != nil {
		return err
	}
	for _, q := range quads[:min(len(quads), WriteSample)] {
		if err := enc.Encode(q); err != nil {
			return err
		}
	}
	return enc.Close()
}

// NotWritableError is FirstWritable's error when no acceptable syntax can
// write the sample: a server answers it 406 Not Acceptable.
type NotWritableError struct {
	// Refused is the last syntax tried, and Err why it cannot write the
	// sample.
	Refused Format
	Err     error
	// Left are the syntaxes on offer that were not refused: the ones the
	// client may ask for instead.
	Left []Format
}

func (e *NotWritableError) Error() string {
	return fmt.Sprintf("the graph cannot be written as %s: %v", e.Refused.Name, e.Err)
}

func (e *NotWritableError) Unwrap() error { return e.Err }

// FirstWritable returns the first syntax that can write sample
// (CanWrite): f, the one content negotiation chose among formats (the
// syntaxes on offer), or else the next choice, made by next among the
// formats not refused so far (left, in the server's order). next returns
// false when nothing in left is acceptable, or the client fixed the syntax
// (?format=); a choice outside left counts as none. Then the error is a
// *NotWritableError.
func FirstWritable(f Format, formats []Format, sample []graph.Quad, opts EncodeOptions, next func(left []Format) (Format, bool)) (Format, error) {
	left := slices.Clone(formats)
	for {
		err := f.CanWrite(sample, opts)
		if err == nil {
			return f, nil
		}
		left = slices.DeleteFunc(left, func(l Format) bool { return l.Name == f.Name })
		refused := f
		var ok bool
		f, ok = next(slices.Clone(left))
		if !ok || !slices.ContainsFunc(left, func(l Format) bool { return l.Name == f.Name }) {
			return Format{}, &NotWritableError{Refused: refused, Err: err, Left: left}
		}
	}
}
