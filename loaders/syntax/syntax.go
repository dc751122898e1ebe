// Package syntax holds what every RDF parser of Tessera shares: decoding
// options, the positioned syntax error, and the decoder interface the format
// table hands out.
package syntax

import (
	"errors"
	"fmt"
	"io"

	"github.com/tessera-fair/tessera/graph"
)

// Options configure a decoder. The zero value works: no file name, no base
// IRI, a fresh blank-node scope.
type Options struct {
	// File names the input in error messages ("catalog.ttl", "-").
	File string
	// Base is the base IRI relative IRIs resolve against (RFC 3986 §5.1),
	// usually the IRI the document was published at.
	Base string
	// Blanks scopes blank-node labels; nil means a fresh scope per decoder,
	// so two documents never share a blank node by accident. Pass one scope
	// to several decoders to make them share labels on purpose.
	Blanks *graph.BlankScope
}

// BlankScope returns o.Blanks, or a fresh scope when it is nil.
func (o Options) BlankScope() *graph.BlankScope {
	if o.Blanks == nil {
		return graph.NewBlankScope()
	}
	return o.Blanks
}

// Error is a syntax error at a position in an input. Line and Column count
// from 1; Column counts Unicode code points.
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
}

// Error formats the error as "file:line:col: msg", the form editors jump to.
func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = "<input>"
	}
	return fmt.Sprintf("%s:%d:%d: %s", file, e.Line, e.Column, e.Msg)
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Decoder reads quads one at a time. Next returns io.EOF after the last quad;
// any other error is final and, for bad input, an *Error.
type Decoder interface {
	Next() (graph.Quad, error)
}

// Quads adapts a Decoder to a quad stream that ends at io.EOF.
func Quads(d Decoder) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		for {
			q, err := d.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(graph.Quad{}, err)
				return
			}
			if !yield(q, nil) {
				return
			}
		}
	}
}

// Encoder writes quads in some syntax. Close flushes and writes any trailer;
// it does not close the underlying writer.
type Encoder interface {
	Encode(q graph.Quad) error
	Close() error
}
