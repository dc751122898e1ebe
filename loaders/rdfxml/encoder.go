package rdfxml

import (
	"bufio"
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

// ErrNotExpressible reports a quad RDF/XML cannot write: a predicate IRI
// that does not end in an XML name, a quad in a named graph, or a character
// XML 1.0 cannot carry.
var ErrNotExpressible = errors.New("rdfxml: not expressible in RDF/XML")

// EncoderOptions configure an Encoder. The zero value works.
type EncoderOptions struct {
	// Prefixes maps prefix names to namespace IRIs, declared on rdf:RDF and
	// used for predicates in those namespaces. Predicates in other
	// namespaces get a declaration on their own element.
	Prefixes map[string]string
}

// Encoder writes triples as RDF/XML: one rdf:Description per run of
// consecutive quads with the same subject, one property element per quad.
// It streams and keeps only the current subject. IRIs are written absolute.
type Encoder struct {
	w        *bufio.Writer
	prefixes []nsBinding // sorted by prefix
	byNS     map[string]string
	subject  graph.Term
	started  bool
	closed   bool
	err      error
}

var _ syntax.Encoder = (*Encoder)(nil)

// NewEncoder returns an encoder writing RDF/XML to w. Nothing is written
// until the first Encode or Close.
func NewEncoder(w io.Writer, opts EncoderOptions) *Encoder {
	e := &Encoder{w: bufio.NewWriterSize(w, 32<<10), byNS: map[string]string{rdfNS: "rdf"}}
	for p, ns := range opts.Prefixes {
		switch {
		case p == "rdf" && ns != rdfNS:
			e.err = fmt.Errorf("rdfxml: prefix rdf must be %s", rdfNS)
		case p == "rdf":
		case !isWritableName(p) || len(p) >= 3 && strings.EqualFold(p[:3], "xml"):
			e.err = fmt.Errorf("rdfxml: invalid prefix %q", p)
		case !xmlText(ns):
			e.err = fmt.Errorf("rdfxml: namespace %q: %w", ns, ErrNotExpressible)
		default:
			e.prefixes = append(e.prefixes, nsBinding{p, ns})
		}
	}
	slices.SortFunc(e.prefixes, func(a, b nsBinding) int { return strings.Compare(a.prefix, b.prefix) })
	for _, b := range e.prefixes {
		if _, ok := e.byNS[b.uri]; !ok {
			e.byNS[b.uri] = b.prefix
		}
	}
	return e
}

// header writes the XML declaration and the rdf:RDF start tag.
func (e *Encoder) header() {
	e.started = true
	e.w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rdf:RDF xmlns:rdf="` + rdfNS + `"`)
	for _, b := range e.prefixes {
		e.w.WriteString("\n    xmlns:" + b.prefix + `="`)
		writeEscaped(e.w, b.uri, true)
		e.w.WriteByte('"')
	}
	e.w.WriteString(">\n")
}

// Encode writes one quad, which must be in the default graph. A quad that
// RDF/XML cannot express is refused with an error wrapping
// ErrNotExpressible, and nothing of it is written; the encoder stays usable.
func (e *Encoder) Encode(q graph.Quad) error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return fmt.Errorf("rdfxml: encode after close")
	}
	if !q.G.IsZero() && !q.G.IsDefaultGraph() {
		return fmt.Errorf("encode %v: named graph: %w", q, ErrNotExpressible)
	}
	if !q.Valid() {
		return fmt.Errorf("encode %v: %w", q, graph.ErrInvalidQuad)
	}
	ns, local, ok := splitPredicate(q.P.Value())
	if !ok {
		return fmt.Errorf("encode %v: predicate has no XML local name: %w", q, ErrNotExpressible)
	}
	if l := q.O.Lang(); l != "" && !validLang(l) {
		return fmt.Errorf("encode %v: language tag: %w", q, ErrNotExpressible)
	}
	for _, t := range [...]graph.Term{q.S, q.O} {
		if t.IsIRI() && !attrIRI(t.Value()) {
			return fmt.Errorf("encode %v: IRI %s would not read back the same: %w", q, t, ErrNotExpressible)
		}
	}
	if q.O.IsLiteral() && q.O.Lang() == "" && q.O.Datatype() != graph.XSDString && !attrIRI(q.O.Datatype()) {
		return fmt.Errorf("encode %v: datatype would not read back the same: %w", q, ErrNotExpressible)
	}
	if !xmlText(q.S.Value()) || !xmlText(ns) || !xmlText(q.O.Value()) || !xmlText(q.O.Datatype()) {
		return fmt.Errorf("encode %v: character not allowed in XML 1.0: %w", q, ErrNotExpressible)
	}
	if !e.started {
		e.header()
	}
	if q.S != e.subject {
		if !e.subject.IsZero() {
			e.w.WriteString("  </rdf:Description>\n")
		}
		e.subject = q.S
		e.w.WriteString("  <rdf:Description ")
		e.writeNode(q.S, "about")
		e.w.WriteString(">\n")
	}
	e.w.WriteString("    <")
	prefix, declared := e.byNS[ns]
	if !declared {
		prefix = "ns0"
	}
	e.w.WriteString(prefix + ":" + local)
	if !declared {
		e.w.WriteString(` xmlns:ns0="`)
		writeEscaped(e.w, ns, true)
		e.w.WriteByte('"')
	}
	o := q.O
	switch {
	case o.IsLiteral():
		switch {
		case o.Lang() != "":
			e.w.WriteString(` xml:lang="` + o.Lang() + `"`)
		case o.Datatype() != graph.XSDString:
			e.w.WriteString(` rdf:datatype="`)
			writeEscaped(e.w, o.Datatype(), true)
			e.w.WriteByte('"')
		}
		e.w.WriteByte('>')
		writeEscaped(e.w, o.Value(), false)
		e.w.WriteString("</" + prefix + ":" + local + ">\n")
	default:
		e.w.WriteByte(' ')
		e.writeNode(o, "resource")
		e.w.WriteString("/>\n")
	}
	return nil
}

// writeNode writes an IRI as rdf:<attr>="..." and a blank node as
// rdf:nodeID.
func (e *Encoder) writeNode(t graph.Term, attr string) {
	if t.IsBlank() {
		e.w.WriteString(`rdf:nodeID="` + nodeID(t.Value()) + `"`)
		return
	}
	e.w.WriteString("rdf:" + attr + `="`)
	writeEscaped(e.w, t.Value(), true)
	e.w.WriteByte('"')
}

// Close ends the document and flushes it. It does not close the writer.
func (e *Encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return nil
	}
	e.closed = true
	if !e.started {
		e.header()
	}
	if !e.subject.IsZero() {
		e.w.WriteString("  </rdf:Description>\n")
	}
	e.w.WriteString("</rdf:RDF>\n")
	if err := e.w.Flush(); err != nil {
		return fmt.Errorf("write rdf/xml: %w", err)
	}
	return nil
}

// nodeID returns an rdf:nodeID value for a blank node label. Labels that
// are NCNames are kept unless they start with "x_"; others become "x_" and
// the label in hex, so distinct labels stay distinct.
func nodeID(label string) string {
	if isNCName(label) && !strings.HasPrefix(label, "x_") {
		return label
	}
	return "x_" + hex.EncodeToString([]byte(label))
}

// splitPredicate splits an IRI into a namespace and the longest suffix that
// is an XML NCName encoding/xml reads (isWritableName), the only way RDF/XML can name a property. RDF syntax
// names (rdf:li, rdf:Description, rdf:about, ...) cannot be properties.
func splitPredicate(s string) (ns, local string, ok bool) {
	i := len(s)
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		if !isNameChar(r) || r == utf8.RuneError || !readableNameRune(r, false) {
			break
		}
		i -= n
	}
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isNameStartChar(r) && readableNameRune(r, true) {
			break
		}
		i += n
	}
	ns, local = s[:i], s[i:]
	if local == "" || ns == "" {
		return "", "", false
	}
	if ns == rdfNS {
		if n := classifyRDF(local); n != nameOther {
			return "", "", false
		}
	}
	return ns, local, true
}

// attrIRI reports whether an IRI written in rdf:about, rdf:resource or
// rdf:datatype reads back unchanged: readers resolve those attributes, so
// the IRI must be absolute and free of dot segments.
func attrIRI(s string) bool {
	if !iri.IsAbsolute(s) {
		return false
	}
	n, ok := normalizeAbsolute(s)
	return ok && n == s
}

// xmlText reports whether s is valid UTF-8 made only of XML 1.0 characters.
func xmlText(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0xFFFE, r == 0xFFFF,
			r >= 0xD800 && r <= 0xDFFF:
			return false
		}
	}
	return utf8.ValidString(s)
}

// writeEscaped writes s as XML character data or, with attr, as a
// double-quoted attribute value. Carriage returns (and in attributes tabs and
// newlines) become character references so that XML end-of-line and
// attribute normalisation leave the value intact.
func writeEscaped(w *bufio.Writer, s string, attr bool) {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			if !attr {
				continue
			}
			esc = "&quot;"
		case '\r':
			esc = "&#xD;"
		case '\n':
			if !attr {
				continue
			}
			esc = "&#xA;"
		case '\t':
			if !attr {
				continue
			}
			esc = "&#x9;"
		default:
			continue
		}
		w.WriteString(s[start:i])
		w.WriteString(esc)
		start = i + 1
	}
	w.WriteString(s[start:])
}
