package ntriples

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// flushSize is how many bytes the encoder buffers before writing.
const flushSize = 64 << 10

// ErrClosed is returned by Encode after Close.
var ErrClosed = errors.New("ntriples: encoder closed")

// Encoder writes quads as canonical N-Triples or N-Quads, one statement per
// line. Output is buffered: call Close (or Flush) to write the rest. It is not
// safe for concurrent use.
type Encoder struct {
	w      io.Writer
	quads  bool
	buf    []byte
	err    error // sticky write error
	closed bool
}

var _ syntax.Encoder = (*Encoder)(nil)

// NewEncoder returns an encoder of canonical N-Triples. Quads outside the
// default graph are refused with an error naming the graph.
func NewEncoder(w io.Writer) *Encoder {
	return &Encoder{w: w, buf: make([]byte, 0, flushSize+4096)}
}

// NewQuadEncoder returns an encoder of N-Quads: quads in a named graph get
// the graph's name after the object.
func NewQuadEncoder(w io.Writer) *Encoder {
	e := NewEncoder(w)
	e.quads = true
	return e
}

// Encode writes q. A quad that is not valid RDF (see graph.Quad.Valid), or
// whose terms cannot be written so that a decoder reads them back (relative
// IRIs, invalid UTF-8, malformed blank node labels or language tags), is
// refused with an error and nothing is written; the encoder stays usable.
// A write error is final.
func (e *Encoder) Encode(q graph.Quad) error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return ErrClosed
	}
	q = q.Normalize()
	if !q.Valid() {
		return fmt.Errorf("encode %v: %w", q, graph.ErrInvalidQuad)
	}
	if !e.quads && !q.G.IsDefaultGraph() {
		return fmt.Errorf("encode %v: quad in named graph %v cannot be written as N-Triples (use N-Quads)", q, q.G)
	}
	mark := len(e.buf)
	buf, err := appendTerm(e.buf, q.S)
	if err == nil {
		buf = append(buf, ' ')
		buf, err = appendTerm(buf, q.P)
	}
	if err == nil {
		buf = append(buf, ' ')
		buf, err = appendTerm(buf, q.O)
	}
	if err == nil && !q.G.IsDefaultGraph() {
		buf = append(buf, ' ')
		buf, err = appendTerm(buf, q.G)
	}
	if err != nil {
		e.buf = buf[:mark]
		return fmt.Errorf("encode %v: %w", q, err)
	}
	e.buf = append(buf, " .\n"...)
	if len(e.buf) >= flushSize {
		return e.Flush()
	}
	return nil
}

// Flush writes the buffered statements to the underlying writer.
func (e *Encoder) Flush() error {
	if e.err != nil || len(e.buf) == 0 {
		return e.err
	}
	_, err := e.w.Write(e.buf)
	e.buf = e.buf[:0]
	if err != nil {
		e.err = fmt.Errorf("write n-triples: %w", err)
	}
	return e.err
}

// Close flushes the encoder. It does not close the underlying writer.
// Encode fails after Close; Close itself may be called again.
func (e *Encoder) Close() error {
	err := e.Flush()
	e.closed = true
	return err
}

// AppendTerm appends t in canonical N-Triples syntax to b: the escaping of
// graph.AppendTerm, without its allocations. It fails for what no N-Triples
// decoder could read back: a relative IRI, invalid UTF-8, a malformed blank
// node label or language tag, an rdf:langString literal without a tag, or a
// term that is not an IRI, blank node or literal.
func AppendTerm(b []byte, t graph.Term) ([]byte, error) {
	return appendTerm(b, t)
}

func appendTerm(b []byte, t graph.Term) ([]byte, error) {
	switch t.Kind() {
	case graph.KindIRI:
		return appendIRI(b, t.Value())
	case graph.KindBlank:
		if !validLabel(t.Value()) {
			return b, fmt.Errorf("invalid blank node label %q", t.Value())
		}
		b = append(b, "_:"...)
		return append(b, t.Value()...), nil
	case graph.KindLiteral:
		b = append(b, '"')
		b, err := appendString(b, t.Value())
		if err != nil {
			return b, err
		}
		b = append(b, '"')
		switch {
		case t.Lang() != "":
			if !validLang(t.Lang()) {
				return b, fmt.Errorf("invalid language tag %q", t.Lang())
			}
			b = append(b, '@')
			return append(b, t.Lang()...), nil
		case t.Datatype() == graph.RDFLangString:
			return b, errors.New("rdf:langString literal without a language tag")
		case t.Datatype() != graph.XSDString:
			b = append(b, "^^"...)
			return appendIRI(b, t.Datatype())
		}
		return b, nil
	}
	return b, fmt.Errorf("%s is not an RDF term", t.Kind())
}

// appendIRI writes <s>, escaping the characters IRIREF forbids as \u00XX
// (graph.AppendEscapedIRI). It refuses relative IRIs and invalid UTF-8.
func appendIRI(b []byte, s string) ([]byte, error) {
	if !hasScheme(s) {
		return b, fmt.Errorf("relative IRI <%s> cannot be written: IRIs must be absolute", s)
	}
	if !utf8.ValidString(s) {
		return b, fmt.Errorf("invalid UTF-8 in IRI %q", s)
	}
	b = append(b, '<')
	b = graph.AppendEscapedIRI(b, s)
	return append(b, '>'), nil
}

// appendString writes a lexical form with ECHAR for \b \t \n \f \r " \ and
// UCHAR for the other control characters (graph.AppendEscapedString, as
// graph.AppendTerm writes it). It refuses invalid UTF-8.
func appendString(b []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return b, fmt.Errorf("invalid UTF-8 in literal %q", s)
	}
	return graph.AppendEscapedString(b, s), nil
}
