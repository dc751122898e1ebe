package jsonld

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// EncoderOptions configure an Encoder. The zero value writes full IRIs.
type EncoderOptions struct {
	// Context maps prefixes to namespaces ("dcat" → "http://www.w3.org/ns/dcat#").
	// It is written as the document's @context and used to shorten IRIs to
	// compact IRIs. Prefixes must be JSON-LD terms: not empty, no ':' or '/',
	// not starting with '@', not "_".
	Context map[string]string
}

// Encoder writes quads as one JSON-LD document: a top-level object with
// @context and @graph, one node object per run of consecutive quads with the
// same graph and subject, and named graphs as {"@id": g, "@graph": [...]}
// entries. Literals are value objects with their exact lexical form, so the
// output reads back (with Decoder) to an isomorphic dataset. It streams: only
// the current node object is held in memory. Sort quads by graph and subject
// (as stores return them) for compact output.
type Encoder struct {
	w        *bufio.Writer
	prefixes []prefix // longest namespace first
	context  map[string]string
	err      error

	started  bool
	firstTop bool // no entry written yet in the top-level @graph
	graph    graph.Term
	inGraph  bool // a named graph entry is open
	firstIn  bool // no node written yet in the open named graph
	subject  graph.Term
	types    []graph.Term
	props    []property // of the current subject, in first-seen order
}

type prefix struct{ name, ns string }

type property struct {
	p       graph.Term
	objects []graph.Term
}

var _ syntax.Encoder = (*Encoder)(nil)

// NewEncoder returns an encoder writing to w. An invalid prefix in
// opts.Context makes the first Encode or Close fail.
func NewEncoder(w io.Writer, opts EncoderOptions) *Encoder {
	e := &Encoder{w: bufio.NewWriterSize(w, 64<<10), context: map[string]string{}, firstTop: true}
	for name, ns := range opts.Context {
		if name == "" || name == "_" || strings.ContainsAny(name, ":/") || strings.HasPrefix(name, "@") || !utf8.ValidString(name) {
			e.err = fmt.Errorf("jsonld encode: invalid prefix %q", name)
			continue
		}
		if !wellFormedIRI(ns) {
			e.err = fmt.Errorf("jsonld encode: prefix %s: namespace %q is not an absolute IRI", name, ns)
			continue
		}
		e.context[name] = ns
		e.prefixes = append(e.prefixes, prefix{name, ns})
	}
	slices.SortFunc(e.prefixes, func(a, b prefix) int {
		if c := len(b.ns) - len(a.ns); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	return e
}

// Encode adds a quad. It fails for quads the JSON-LD output could not
// carry faithfully: IRIs that are not absolute and well formed, language
// tags that are not well formed, text that is not UTF-8, and IRIs that would
// read as compact IRIs of a context prefix.
func (e *Encoder) Encode(q graph.Quad) error {
	if e.err != nil {
		return e.err
	}
	q = q.Normalize()
	if !q.Valid() {
		return fmt.Errorf("jsonld encode %s: %w", q, graph.ErrInvalidQuad)
	}
	for _, t := range [...]graph.Term{q.S, q.P, q.O, q.G} {
		if err := e.check(t); err != nil {
			return fmt.Errorf("jsonld encode %s: %w", q, err)
		}
	}
	if !e.started {
		e.start()
	}
	if q.G != e.graph || q.S != e.subject {
		e.flushNode()
		if q.G != e.graph {
			e.closeGraph()
			e.graph = q.G
		}
		e.subject = q.S
	}
	if q.P == graph.IRI(rdfType) && q.O.IsIRI() {
		e.types = append(e.types, q.O)
	} else {
		i := slices.IndexFunc(e.props, func(p property) bool { return p.p == q.P })
		if i < 0 {
			e.props = append(e.props, property{p: q.P})
			i = len(e.props) - 1
		}
		e.props[i].objects = append(e.props[i].objects, q.O)
	}
	return e.err
}

// Close writes the rest of the document and flushes. It does not close the
// underlying writer.
func (e *Encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	if !e.started {
		e.start()
	}
	e.flushNode()
	e.closeGraph()
	e.w.WriteString("\n]}\n")
	if err := e.w.Flush(); err != nil && e.err == nil {
		e.err = fmt.Errorf("jsonld encode: %w", err)
	}
	if e.err != nil {
		return e.err
	}
	e.err = errors.New("jsonld encode: encoder closed")
	return nil
}

// check reports terms the output cannot carry.
func (e *Encoder) check(t graph.Term) error {
	switch t.Kind() {
	case graph.KindIRI:
		if !wellFormedIRI(t.Value()) || !utf8.ValidString(t.Value()) {
			return fmt.Errorf("IRI %q is not absolute and well formed", t.Value())
		}
		if scheme, _, _ := strings.Cut(t.Value(), ":"); e.context[scheme] != "" {
			if _, ok := e.compact(t.Value()); !ok {
				return fmt.Errorf("IRI %q would read as a compact IRI of prefix %s", t.Value(), scheme)
			}
		}
	case graph.KindBlank:
		if !utf8.ValidString(t.Value()) {
			return fmt.Errorf("blank node label %q is not UTF-8", t.Value())
		}
	case graph.KindLiteral:
		if !utf8.ValidString(t.Value()) {
			return errors.New("literal is not UTF-8")
		}
		if t.Lang() != "" && !wellFormedLang(t.Lang()) {
			return fmt.Errorf("language tag %q is not well formed", t.Lang())
		}
		if t.Lang() == "" {
			return e.check(graph.IRI(t.Datatype()))
		}
	}
	return nil
}

// compact returns iri as a compact IRI, if a prefix fits and the result
// reads back as the same IRI.
func (e *Encoder) compact(iri string) (string, bool) {
	for _, p := range e.prefixes {
		if local, ok := strings.CutPrefix(iri, p.ns); ok && !strings.HasPrefix(local, "//") {
			return p.name + ":" + local, true
		}
	}
	return "", false
}

// iri writes an IRI, compacted when possible.
func (e *Encoder) iri(s string) string {
	if c, ok := e.compact(s); ok {
		return c
	}
	return s
}

func (e *Encoder) start() {
	e.started = true
	e.w.WriteString(`{"@context":{`)
	names := make([]string, 0, len(e.context))
	for name := range e.context {
		names = append(names, name)
	}
	slices.Sort(names)
	for i, name := range names {
		if i > 0 {
			e.w.WriteByte(',')
		}
		e.w.WriteString("\n  ")
		e.str(name)
		e.w.WriteByte(':')
		ns := e.context[name]
		// JSON-LD 1.1 uses a term as a prefix only when its IRI ends in a
		// gen-delim character or the definition says "@prefix": true.
		if strings.ContainsAny(ns[len(ns)-1:], ":/?#[]@") {
			e.str(ns)
		} else {
			e.w.WriteString(`{"@id":`)
			e.str(ns)
			e.w.WriteString(`,"@prefix":true}`)
		}
	}
	e.w.WriteString("},\n\"@graph\":[")
}

// closeGraph ends an open named graph entry.
func (e *Encoder) closeGraph() {
	if e.inGraph {
		e.w.WriteString("]}")
		e.inGraph = false
	}
}

// flushNode writes the buffered node object.
func (e *Encoder) flushNode() {
	if len(e.types) == 0 && len(e.props) == 0 {
		return
	}
	named := !e.graph.IsDefaultGraph()
	if named && !e.inGraph {
		e.topSep()
		e.w.WriteString(`{"@id":`)
		e.id(e.graph)
		e.w.WriteString(`,"@graph":[`)
		e.inGraph, e.firstIn = true, true
	}
	if named {
		if !e.firstIn {
			e.w.WriteByte(',')
		}
		e.w.WriteString("\n  ")
		e.firstIn = false
	} else {
		e.topSep()
	}
	e.w.WriteString(`{"@id":`)
	e.id(e.subject)
	if len(e.types) > 0 {
		e.w.WriteString(`,"@type":[`)
		for i, t := range e.types {
			if i > 0 {
				e.w.WriteByte(',')
			}
			e.id(t)
		}
		e.w.WriteByte(']')
	}
	for _, p := range e.props {
		e.w.WriteByte(',')
		e.str(e.iri(p.p.Value()))
		e.w.WriteString(":[")
		for i, o := range p.objects {
			if i > 0 {
				e.w.WriteByte(',')
			}
			e.object(o)
		}
		e.w.WriteByte(']')
	}
	e.w.WriteByte('}')
	e.types = e.types[:0]
	e.props = e.props[:0]
	if err := e.writeErr(); err != nil {
		e.err = err
	}
}

// writeErr returns the first write error, which bufio.Writer keeps, so a
// broken writer stops the encoder early.
func (e *Encoder) writeErr() error {
	if _, err := e.w.Write(nil); err != nil {
		return fmt.Errorf("jsonld encode: %w", err)
	}
	return nil
}

// topSep starts an entry of the top-level @graph array.
func (e *Encoder) topSep() {
	if !e.firstTop {
		e.w.WriteByte(',')
	}
	e.firstTop = false
	e.w.WriteByte('\n')
}

// id writes a node reference string: "_:label" or an IRI.
func (e *Encoder) id(t graph.Term) {
	if t.IsBlank() {
		e.str("_:" + t.Value())
		return
	}
	e.str(e.iri(t.Value()))
}

// object writes a node reference or value object.
func (e *Encoder) object(t graph.Term) {
	if !t.IsLiteral() {
		e.w.WriteString(`{"@id":`)
		e.id(t)
		e.w.WriteByte('}')
		return
	}
	e.w.WriteString(`{"@value":`)
	e.str(t.Value())
	switch {
	case t.Lang() != "":
		e.w.WriteString(`,"@language":`)
		e.str(t.Lang())
	case t.Datatype() != graph.XSDString:
		e.w.WriteString(`,"@type":`)
		e.str(e.iri(t.Datatype()))
	}
	e.w.WriteByte('}')
}

// str writes s as a JSON string.
func (e *Encoder) str(s string) {
	const hex = "0123456789abcdef"
	e.w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		e.w.WriteString(s[start:i])
		switch c {
		case '"', '\\':
			e.w.WriteByte('\\')
			e.w.WriteByte(c)
		case '\n':
			e.w.WriteString(`\n`)
		case '\r':
			e.w.WriteString(`\r`)
		case '\t':
			e.w.WriteString(`\t`)
		default:
			e.w.WriteString(`\u00`)
			e.w.WriteByte(hex[c>>4])
			e.w.WriteByte(hex[c&0xf])
		}
		start = i + 1
	}
	e.w.WriteString(s[start:])
	e.w.WriteByte('"')
}
