package turtle

import (
	"bufio"
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// EncoderOptions configure an Encoder. The zero value writes full IRIs.
type EncoderOptions struct {
	// Prefixes maps prefix names (without the colon, "" for the default
	// prefix) to namespace IRIs. They are declared at the top, and IRIs in
	// a namespace are written as prefixed names when the rest of the IRI is
	// a valid local name.
	Prefixes map[string]string
	// Base, when set, is declared with @base, and IRIs that resolve back
	// from a shorter relative reference are written relative to it.
	Base string
}

// Encoder writes quads as Turtle or TriG. It streams: consecutive quads with
// the same graph and subject share one statement (predicates separated by
// ';'), and consecutive objects of the same predicate are separated by ','.
// Sorting the input by graph, subject and predicate gives the most compact
// output, but any order is correct.
type Encoder struct {
	w        *bufio.Writer
	trig     bool
	base     string
	prefixes []prefix // longest namespace first
	header   []prefix // sorted by name, for the declarations
	buf      []byte

	started bool
	closed  bool
	err     error
	open    bool // a statement is open (subject written)
	inGraph bool // a named graph block is open
	g, s, p graph.Term
}

type prefix struct{ name, ns string }

// NewEncoder returns an encoder of Turtle writing to w. Quads outside the
// default graph are an error: Turtle has no named graphs.
func NewEncoder(w io.Writer, opts EncoderOptions) *Encoder {
	return newEncoder(w, opts, false)
}

// NewTriGEncoder returns an encoder of TriG writing to w. Default-graph
// triples are written outside graph blocks.
func NewTriGEncoder(w io.Writer, opts EncoderOptions) *Encoder {
	return newEncoder(w, opts, true)
}

var _ syntax.Encoder = (*Encoder)(nil)

func newEncoder(w io.Writer, opts EncoderOptions, trig bool) *Encoder {
	e := &Encoder{w: bufio.NewWriterSize(w, 64<<10), trig: trig, base: opts.Base}
	if e.base != "" && (!iri.IsAbsolute(e.base) || !writableIRI(e.base)) {
		e.err = fmt.Errorf("encoder base %q: not an absolute IRI", e.base)
	}
	for name, ns := range opts.Prefixes {
		if !validPrefix(name) {
			e.err = fmt.Errorf("encoder prefix %q: not a valid prefix name", name)
		}
		if !iri.IsAbsolute(ns) || !writableIRI(ns) {
			e.err = fmt.Errorf("encoder prefix %s: namespace %q is not an absolute IRI that Turtle can write", name, ns)
		}
		e.prefixes = append(e.prefixes, prefix{name, ns})
	}
	e.header = slices.Clone(e.prefixes)
	slices.SortFunc(e.header, func(a, b prefix) int { return strings.Compare(a.name, b.name) })
	slices.SortStableFunc(e.prefixes, func(a, b prefix) int {
		return cmp.Or(cmp.Compare(len(b.ns), len(a.ns)), strings.Compare(a.name, b.name))
	})
	e.g = graph.DefaultGraph
	return e
}

// errEncoderClosed is returned by Encode after Close.
var errEncoderClosed = errors.New("turtle: encoder closed")

// Encode writes q. A quad that Turtle/TriG cannot express (an invalid quad,
// a named graph in Turtle, an IRI with characters no IRIREF may hold, a
// string that is not UTF-8) is an error and nothing of it is written; the
// encoder stays usable.
func (e *Encoder) Encode(q graph.Quad) error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return errEncoderClosed
	}
	q = q.Normalize()
	if !q.Valid() {
		return fmt.Errorf("encode %s: %w", q, graph.ErrInvalidQuad)
	}
	if !e.trig && !q.G.IsDefaultGraph() {
		return fmt.Errorf("encode %s: Turtle has no named graphs (use TriG)", q)
	}
	if !e.started {
		if err := e.writeHeader(); err != nil {
			return err
		}
	}
	b, inGraph, err := e.appendQuad(e.buf[:0], q)
	e.buf = b
	if err != nil {
		return fmt.Errorf("encode %s: %w", q, err)
	}
	if _, err := e.w.Write(b); err != nil {
		e.err = fmt.Errorf("write: %w", err)
		return e.err
	}
	e.inGraph = inGraph
	e.open, e.g, e.s, e.p = true, q.G, q.S, q.P
	return nil
}

// appendQuad writes what q adds to the output: a separator and the object,
// or a new statement (and graph block). It returns whether a named graph
// block is open afterwards.
func (e *Encoder) appendQuad(b []byte, q graph.Quad) ([]byte, bool, error) {
	var err error
	inGraph := e.inGraph
	switch {
	case e.open && q.G == e.g && q.S == e.s && q.P == e.p:
		b = append(b, ", "...)
	case e.open && q.G == e.g && q.S == e.s:
		b = append(b, " ;\n"...)
		b = indent(b, 1, inGraph)
		if b, err = e.appendPredicate(b, q.P); err != nil {
			return b, inGraph, err
		}
		b = append(b, ' ')
	default:
		if e.open {
			b = append(b, " .\n"...)
		}
		if q.G != e.g {
			if inGraph {
				b = append(b, "}\n"...)
			}
			inGraph = false
			if !q.G.IsDefaultGraph() {
				b = append(b, '\n')
				if b, err = e.appendTerm(b, q.G); err != nil {
					return b, inGraph, err
				}
				b = append(b, " {\n"...)
				inGraph = true
			}
		} else if e.open {
			b = append(b, '\n')
		}
		b = indent(b, 0, inGraph)
		if b, err = e.appendTerm(b, q.S); err != nil {
			return b, inGraph, err
		}
		b = append(b, ' ')
		if b, err = e.appendPredicate(b, q.P); err != nil {
			return b, inGraph, err
		}
		b = append(b, ' ')
	}
	b, err = e.appendTerm(b, q.O)
	return b, inGraph, err
}

// Close ends the open statement and graph block and flushes. It does not
// close the underlying writer. A document with no quads still gets its
// prefix declarations.
func (e *Encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return nil
	}
	e.closed = true
	if !e.started {
		if err := e.writeHeader(); err != nil {
			return err
		}
	}
	if e.open {
		e.w.WriteString(" .\n")
	}
	if e.inGraph {
		e.w.WriteString("}\n")
	}
	if err := e.w.Flush(); err != nil {
		e.err = fmt.Errorf("write: %w", err)
		return e.err
	}
	return nil
}

func (e *Encoder) writeHeader() error {
	e.started = true
	b := e.buf[:0]
	if e.base != "" {
		b = append(b, "@base <"...)
		b = append(b, e.base...)
		b = append(b, "> .\n"...)
	}
	for _, p := range e.header {
		b = append(b, "@prefix "...)
		b = append(b, p.name...)
		b = append(b, ": <"...)
		b = append(b, p.ns...)
		b = append(b, "> .\n"...)
	}
	if len(b) > 0 {
		b = append(b, '\n')
	}
	e.buf = b
	if _, err := e.w.Write(b); err != nil {
		e.err = fmt.Errorf("write: %w", err)
	}
	return e.err
}

// indent writes the indentation of a statement line (level 0) or a
// predicate line (level 1), one level deeper inside a graph block.
func indent(b []byte, level int, inGraph bool) []byte {
	if inGraph {
		level++
	}
	for range level {
		b = append(b, "    "...)
	}
	return b
}

func (e *Encoder) appendPredicate(b []byte, p graph.Term) ([]byte, error) {
	if p == rdfType {
		return append(b, 'a'), nil
	}
	return e.appendIRI(b, p.Value())
}

// appendTerm writes an IRI, blank node or literal.
func (e *Encoder) appendTerm(b []byte, t graph.Term) ([]byte, error) {
	switch t.Kind() {
	case graph.KindIRI:
		return e.appendIRI(b, t.Value())
	case graph.KindBlank:
		return appendBlank(b, t.Value()), nil
	case graph.KindLiteral:
		return e.appendLiteral(b, t)
	}
	return b, fmt.Errorf("cannot write %s term", t.Kind())
}

// appendIRI writes an IRI as a prefixed name, a relative reference or <iri>.
func (e *Encoder) appendIRI(b []byte, v string) ([]byte, error) {
	for _, p := range e.prefixes {
		if !strings.HasPrefix(v, p.ns) {
			continue
		}
		n := len(b)
		b = append(b, p.name...)
		b = append(b, ':')
		if out, ok := appendLocal(b, v[len(p.ns):]); ok {
			return out, nil
		}
		b = b[:n]
	}
	if !writableIRI(v) {
		return b, fmt.Errorf("IRI %q has characters an IRIREF cannot hold", v)
	}
	b = append(b, '<')
	b = append(b, e.relative(v)...)
	return append(b, '>'), nil
}

// relative returns the shortest reference to v that resolves back to v
// against the base, or v.
func (e *Encoder) relative(v string) string {
	if e.base == "" {
		return v
	}
	best := v
	try := func(ref string) {
		if len(ref) < len(best) {
			if r, err := iri.Resolve(e.base, ref); err == nil && r == v {
				best = ref
			}
		}
	}
	if rest, ok := strings.CutPrefix(v, e.base); ok {
		try(rest)
	}
	if i := strings.LastIndexByte(e.base, '/'); i >= 0 {
		if rest, ok := strings.CutPrefix(v, e.base[:i+1]); ok {
			try(rest)
		}
	}
	return best
}

// writableIRI reports whether v is valid UTF-8 without the characters an
// IRIREF cannot hold even escaped.
func writableIRI(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < utf8.RuneSelf && ascii[c]&clsIRIStop != 0 {
			return false
		}
	}
	return utf8.ValidString(v)
}

// appendLocal writes local as a PN_LOCAL, escaping what PN_LOCAL_ESC allows;
// ok is false when it cannot be written as one.
func appendLocal(b []byte, local string) ([]byte, bool) {
	if !utf8.ValidString(local) {
		return b, false
	}
	for i, r := range local {
		switch {
		case isPNCharsU(r) || r == ':' || r >= '0' && r <= '9':
			b = utf8.AppendRune(b, r)
		case r == '.':
			if i == 0 || i == len(local)-1 {
				b = append(b, '\\', '.')
			} else {
				b = append(b, '.')
			}
		case r == '%':
			if i+2 < len(local) && isHex(local[i+1]) && isHex(local[i+2]) {
				b = append(b, '%')
			} else {
				b = append(b, '\\', '%')
			}
		case i > 0 && isPNChars(r):
			b = utf8.AppendRune(b, r)
		case r < utf8.RuneSelf && isLocEsc(byte(r)):
			b = append(b, '\\', byte(r))
		default:
			return b, false
		}
	}
	return b, true
}

// escapedLabel marks blank node labels written in hex because they are not
// valid BLANK_NODE_LABELs (or start with the marker themselves), so that
// distinct labels stay distinct.
const escapedLabel = "hx_"

func appendBlank(b []byte, label string) []byte {
	b = append(b, "_:"...)
	if validBlankLabel(label) && !strings.HasPrefix(label, escapedLabel) {
		return append(b, label...)
	}
	b = append(b, escapedLabel...)
	return hex.AppendEncode(b, []byte(label))
}

func (e *Encoder) appendLiteral(b []byte, t graph.Term) ([]byte, error) {
	v, dt := t.Value(), t.Datatype()
	switch dt {
	case graph.XSDInteger:
		if isInteger(v) {
			return append(b, v...), nil
		}
	case graph.XSDDecimal:
		if isDecimal(v) {
			return append(b, v...), nil
		}
	case graph.XSDDouble:
		if isDouble(v) {
			return append(b, v...), nil
		}
	case graph.XSDBoolean:
		if v == "true" || v == "false" {
			return append(b, v...), nil
		}
	}
	if !utf8.ValidString(v) {
		return b, fmt.Errorf("literal %q is not valid UTF-8", v)
	}
	b = appendQuoted(b, v)
	switch dt {
	case graph.XSDString:
		return b, nil
	case graph.RDFLangString:
		if !validLangTag(t.Lang()) {
			return b, fmt.Errorf("language tag %q is not a valid LANGTAG", t.Lang())
		}
		b = append(b, '@')
		return append(b, t.Lang()...), nil
	}
	b = append(b, "^^"...)
	return e.appendIRI(b, dt)
}

// appendQuoted writes s as a STRING_LITERAL_QUOTE, escaped as canonical
// N-Triples does (graph.AppendEscapedString), which Turtle reads alike.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	b = graph.AppendEscapedString(b, s)
	return append(b, '"')
}

// isInteger reports whether s matches INTEGER: [+-]? [0-9]+.
func isInteger(s string) bool {
	s = trimSign(s)
	return s != "" && digitsEnd(s, 0) == len(s)
}

// isDecimal reports whether s matches DECIMAL: [+-]? [0-9]* '.' [0-9]+.
func isDecimal(s string) bool {
	s = trimSign(s)
	i := digitsEnd(s, 0)
	if i == len(s) || s[i] != '.' {
		return false
	}
	j := digitsEnd(s, i+1)
	return j > i+1 && j == len(s)
}

// isDouble reports whether s matches DOUBLE:
// [+-]? ([0-9]+ '.' [0-9]* EXPONENT | '.' [0-9]+ EXPONENT | [0-9]+ EXPONENT).
func isDouble(s string) bool {
	s = trimSign(s)
	i := digitsEnd(s, 0)
	mantissa := i > 0
	if i < len(s) && s[i] == '.' {
		j := digitsEnd(s, i+1)
		mantissa = mantissa || j > i+1
		i = j
	}
	if !mantissa || i == len(s) || s[i]|0x20 != 'e' {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	j := digitsEnd(s, i)
	return j > i && j == len(s)
}

func trimSign(s string) string {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		return s[1:]
	}
	return s
}

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}
