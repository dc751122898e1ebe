package turtle

import (
	"io"
	"maps"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// Terms the grammar produces on its own.
var (
	rdfType  = graph.IRI(graph.RDFNamespace + "type")
	rdfFirst = graph.IRI(graph.RDFNamespace + "first")
	rdfRest  = graph.IRI(graph.RDFNamespace + "rest")
	rdfNil   = graph.IRI(graph.RDFNamespace + "nil")
)

// Decoder reads Turtle or TriG and returns its quads one at a time, each as
// soon as the parser has read its object. It implements syntax.Decoder.
//
// The parser is a push-down automaton driven by tokens: its stack holds one
// frame per open construct (a statement, a [ ] property list, a ( )
// collection, a { } graph block, a directive), so memory stays constant
// apart from the declared prefixes and the nesting depth. There are no
// goroutines, and an abandoned Decoder holds nothing but memory.
type Decoder struct {
	lex      lexer
	tok      token
	trig     bool
	blanks   *graph.BlankScope
	base     string
	prefixes map[string]string
	stack    []frame
	graph    graph.Term // graph of the triples being read
	lit      string     // lexical form of a string whose lang/datatype is pending
	out      []graph.Quad
	outPos   int
	err      error // sticky: io.EOF at the end, else the first error
	cache    iriCache
}

// NewDecoder returns a decoder of RDF 1.1 Turtle reading r.
func NewDecoder(r io.Reader, opts syntax.Options) *Decoder {
	return newDecoder(r, opts, false)
}

// NewTriGDecoder returns a decoder of RDF 1.1 TriG reading r. Triples outside
// graph blocks go to the default graph.
func NewTriGDecoder(r io.Reader, opts syntax.Options) *Decoder {
	return newDecoder(r, opts, true)
}

func newDecoder(r io.Reader, opts syntax.Options, trig bool) *Decoder {
	return &Decoder{
		lex:      newLexer(r, opts.File),
		trig:     trig,
		blanks:   opts.BlankScope(),
		base:     opts.Base,
		prefixes: map[string]string{},
		graph:    graph.DefaultGraph,
	}
}

var _ syntax.Decoder = (*Decoder)(nil)

// Prefixes returns a copy of the prefixes declared so far, by name without
// the colon, for writing the data back with the same abbreviations.
func (d *Decoder) Prefixes() map[string]string { return maps.Clone(d.prefixes) }

// Base returns the current base IRI: Options.Base as changed by the @base
// and BASE directives read so far.
func (d *Decoder) Base() string { return d.base }

// Next returns the next quad, io.EOF after the last one, or an error, which
// for bad input is a *syntax.Error and otherwise wraps the reader's error.
// Quads are returned as soon as they are complete, so the quads of a
// statement before a syntax error in it have been returned already. After an
// error every call returns it.
func (d *Decoder) Next() (graph.Quad, error) {
	for d.outPos == len(d.out) {
		if d.err != nil {
			return graph.Quad{}, d.err
		}
		d.out, d.outPos = d.out[:0], 0
		if err := d.read(); err != nil {
			d.err = err
			d.out = d.out[:0]
		}
	}
	q := d.out[d.outPos]
	d.outPos++
	return q, nil
}

// read consumes one token.
func (d *Decoder) read() error {
	t := &d.tok
	if err := d.lex.next(t); err != nil {
		return err
	}
	if t.kind == tEOF {
		if len(d.stack) > 0 {
			return d.unexpected(t, &d.stack[len(d.stack)-1])
		}
		return io.EOF
	}
	if len(d.stack) >= maxDepth {
		return d.errorf(t, "nesting deeper than %d levels", maxDepth)
	}
	for {
		var again bool
		var err error
		if len(d.stack) == 0 {
			again, err = d.top(t)
		} else {
			again, err = d.step(&d.stack[len(d.stack)-1], t)
		}
		if err != nil || !again {
			return err
		}
	}
}

func (d *Decoder) errorf(t *token, format string, args ...any) error {
	return d.lex.errorf(t.line, t.col, format, args...)
}

func (d *Decoder) unexpected(t *token, f *frame) error {
	return d.errorf(t, "unexpected %s, expected %s", t.describe(), f.expecting())
}

func (d *Decoder) emit(s, p, o graph.Term) {
	d.out = append(d.out, graph.Quad{S: s, P: p, O: o, G: d.graph})
}

// maxDepth caps the nesting of [ ], ( ) and { } so that a hostile input
// cannot grow the parser stack without bound (real data nests a handful of
// levels).
const maxDepth = 10_000

func (d *Decoder) push(f frame) { d.stack = append(d.stack, f) }

func (d *Decoder) pop() { d.stack = d.stack[:len(d.stack)-1] }

// frameKind is the construct a frame parses.
type frameKind uint8

const (
	kStatement  frameKind = iota // triples (top level or inside a graph block)
	kPropList                    // [ predicateObjectList ]
	kCollection                  // ( object* )
	kGraph                       // { triplesBlock } (TriG)
	kDirective                   // @prefix, @base, PREFIX, BASE
	kGraphName                   // GRAPH label (TriG)
)

// state is where a frame is inside its construct.
type state uint8

const (
	sSubject       state = iota // statement: a subject
	sVerbOrGraph                // TriG top level after a label: '{' or a verb
	sVerb                       // a verb (required)
	sVerbOpt                    // after ';': a verb, ';' or the end
	sAfterPropSubj              // after a [ ... ] subject: a verb or the end
	sObject                     // an object
	sAfterObject                // ',', ';' or the end
	sLiteral                    // after a string: LANGTAG, '^^' or anything
	sDatatype                   // after '^^': an IRI
	sElement                    // collection: an object or ')'
	sGraphBody                  // graph block: triples or '}'
	sPrefixName                 // directive: PNAME_NS
	sPrefixIRI                  // directive: IRIREF
	sBaseIRI                    // directive: IRIREF
	sDirectiveDot               // directive: '.'
	sGraphLabel                 // GRAPH: a label
	sGraphOpen                  // GRAPH label: '{'
)

// frame is one open construct. subj and pred are the current subject and
// predicate of statements and property lists; a collection keeps its head in
// subj, its last cell in node and, when it is an object, the subject and
// predicate it is the object of in subj2/pred2.
type frame struct {
	kind    frameKind
	st      state
	inGraph bool // statement inside a graph block: '}' also ends it
	sparql  bool // directive in SPARQL style: no final '.'
	isLink  bool // collection used as an object (subj2, pred2 set)
	subj    graph.Term
	pred    graph.Term
	node    graph.Term
	subj2   graph.Term
	pred2   graph.Term
	name    string // prefix being declared
}

// expecting says, for error messages, what the frame wants next.
func (f *frame) expecting() string {
	switch f.st {
	case sSubject:
		return "a subject"
	case sVerbOrGraph:
		return "a predicate or '{'"
	case sVerb:
		return "a predicate"
	case sVerbOpt, sAfterPropSubj, sAfterObject:
		var end string
		switch {
		case f.kind == kPropList:
			end = "']'"
		case f.inGraph:
			end = "'.' or '}'"
		default:
			end = "'.'"
		}
		if f.st == sAfterObject {
			return "',', ';' or " + end
		}
		return "a predicate or " + end
	case sObject:
		return "an object"
	case sLiteral:
		return "a language tag, '^^' or what follows an object"
	case sDatatype:
		return "a datatype IRI"
	case sElement:
		return "an object or ')'"
	case sGraphBody:
		return "triples or '}'"
	case sPrefixName:
		return "a prefix name such as ex:"
	case sPrefixIRI, sBaseIRI:
		return "an IRI in <>"
	case sDirectiveDot:
		return "'.' after the directive"
	case sGraphLabel:
		return "a graph name"
	case sGraphOpen:
		return "'{'"
	}
	return "something else"
}

// top handles a token at the start of a statement (empty stack).
func (d *Decoder) top(t *token) (bool, error) {
	switch t.kind {
	case tLangTag:
		switch string(t.val) {
		case "prefix":
			d.push(frame{kind: kDirective, st: sPrefixName})
			return false, nil
		case "base":
			d.push(frame{kind: kDirective, st: sBaseIRI})
			return false, nil
		}
		return false, d.errorf(t, "unknown directive @%s", t.val)
	case tName:
		switch {
		case keyword(t.val, "PREFIX"):
			d.push(frame{kind: kDirective, st: sPrefixName, sparql: true})
			return false, nil
		case keyword(t.val, "BASE"):
			d.push(frame{kind: kDirective, st: sBaseIRI, sparql: true})
			return false, nil
		case d.trig && keyword(t.val, "GRAPH"):
			d.push(frame{kind: kGraphName, st: sGraphLabel})
			return false, nil
		}
	case tLBrace:
		if d.trig {
			d.push(frame{kind: kGraph, st: sGraphBody})
			d.graph = graph.DefaultGraph
			return false, nil
		}
	case tIRI, tPName, tBlank, tAnon:
		if d.trig { // a subject or a graph name: the next token tells
			s, err := d.term(t)
			if err != nil {
				return false, err
			}
			d.push(frame{kind: kStatement, st: sVerbOrGraph, subj: s})
			return false, nil
		}
	}
	d.push(frame{kind: kStatement, st: sSubject})
	return true, nil
}

// keyword reports whether b is the case-insensitive keyword kw (upper case).
func keyword(b []byte, kw string) bool {
	if len(b) != len(kw) {
		return false
	}
	for i := range b {
		if b[i]&^0x20 != kw[i] {
			return false
		}
	}
	return true
}

// step handles token t in frame f, the top of the stack. It returns true
// when t must be handled again by the new top of the stack.
func (d *Decoder) step(f *frame, t *token) (bool, error) {
	switch f.st {
	case sSubject:
		switch t.kind {
		case tIRI, tPName, tBlank, tAnon:
			s, err := d.term(t)
			if err != nil {
				return false, err
			}
			f.subj, f.st = s, sVerb
		case tLBracket:
			b := d.blanks.Fresh()
			f.subj, f.st = b, sAfterPropSubj
			d.push(frame{kind: kPropList, st: sVerb, subj: b})
		case tLParen:
			f.st = sVerb
			d.push(frame{kind: kCollection, st: sElement})
		default:
			return false, d.unexpected(t, f)
		}
		return false, nil

	case sVerbOrGraph:
		if t.kind == tLBrace {
			*f = frame{kind: kGraph, st: sGraphBody, subj: f.subj}
			d.graph = f.subj
			return false, nil
		}
		f.st = sVerb
		return true, nil

	case sVerb, sVerbOpt, sAfterPropSubj:
		if f.st != sVerb {
			if t.kind == tSemicolon && f.st == sVerbOpt {
				return false, nil
			}
			if f.isEnd(t) {
				return d.end(t), nil
			}
		}
		switch {
		case t.kind == tIRI || t.kind == tPName:
			p, err := d.term(t)
			if err != nil {
				return false, err
			}
			f.pred = p
		case t.kind == tName && string(t.val) == "a":
			f.pred = rdfType
		default:
			return false, d.unexpected(t, f)
		}
		f.st = sObject
		return false, nil

	case sElement:
		if t.kind == tRParen {
			d.closeCollection(f)
			return false, nil
		}
		d.newCell(f)
		return false, d.object(f, t)

	case sObject:
		return false, d.object(f, t)

	case sAfterObject:
		switch {
		case t.kind == tComma:
			f.st = sObject
		case t.kind == tSemicolon:
			f.st = sVerbOpt
		case f.isEnd(t):
			return d.end(t), nil
		default:
			return false, d.unexpected(t, f)
		}
		return false, nil

	case sLiteral:
		switch t.kind {
		case tLangTag:
			d.emitObject(f, graph.LangLiteral(d.lit, string(t.val)))
			return false, nil
		case tCarets:
			f.st = sDatatype
			return false, nil
		}
		d.emitObject(f, graph.String(d.lit))
		return true, nil

	case sDatatype:
		if t.kind != tIRI && t.kind != tPName {
			return false, d.unexpected(t, f)
		}
		dt, err := d.term(t)
		if err != nil {
			return false, err
		}
		d.emitObject(f, graph.Literal(d.lit, dt.Value()))
		return false, nil

	case sGraphBody:
		if t.kind == tRBrace {
			d.pop()
			d.graph = graph.DefaultGraph
			return false, nil
		}
		d.push(frame{kind: kStatement, st: sSubject, inGraph: true})
		return true, nil

	case sPrefixName:
		if t.kind != tPName || t.split != len(t.val) {
			return false, d.unexpected(t, f)
		}
		f.name, f.st = string(t.val), sPrefixIRI
		return false, nil

	case sPrefixIRI, sBaseIRI:
		if t.kind != tIRI {
			return false, d.unexpected(t, f)
		}
		v, err := d.iri(t)
		if err != nil {
			return false, err
		}
		if f.st == sPrefixIRI {
			d.prefixes[f.name] = v
		} else {
			d.base = v
		}
		if f.sparql {
			d.pop()
		} else {
			f.st = sDirectiveDot
		}
		return false, nil

	case sDirectiveDot:
		if t.kind != tDot {
			return false, d.unexpected(t, f)
		}
		d.pop()
		return false, nil

	case sGraphLabel:
		switch t.kind {
		case tIRI, tPName, tBlank, tAnon:
			g, err := d.term(t)
			if err != nil {
				return false, err
			}
			f.subj, f.st = g, sGraphOpen
			return false, nil
		}
		return false, d.unexpected(t, f)

	case sGraphOpen:
		if t.kind != tLBrace {
			return false, d.unexpected(t, f)
		}
		*f = frame{kind: kGraph, st: sGraphBody, subj: f.subj}
		d.graph = f.subj
		return false, nil
	}
	return false, d.unexpected(t, f)
}

// isEnd reports whether t ends the statement or property list f.
func (f *frame) isEnd(t *token) bool {
	switch f.kind {
	case kPropList:
		return t.kind == tRBracket
	case kStatement:
		return t.kind == tDot || f.inGraph && t.kind == tRBrace
	}
	return false
}

// end closes f on its end token t and reports whether t must be handled
// again (a '}' ending the last triples of a graph block also ends the block).
func (d *Decoder) end(t *token) bool {
	d.pop()
	return t.kind == tRBrace
}

// object handles t in object position of f: a statement or property list
// (object of f.subj f.pred) or a collection (element of the cell f.node).
func (d *Decoder) object(f *frame, t *token) error {
	switch t.kind {
	case tIRI, tPName, tBlank, tAnon:
		o, err := d.term(t)
		if err != nil {
			return err
		}
		d.emitObject(f, o)
	case tString:
		d.lit = string(t.val)
		f.st = sLiteral
	case tInteger:
		d.emitObject(f, graph.Literal(string(t.val), graph.XSDInteger))
	case tDecimal:
		d.emitObject(f, graph.Literal(string(t.val), graph.XSDDecimal))
	case tDouble:
		d.emitObject(f, graph.Literal(string(t.val), graph.XSDDouble))
	case tName:
		switch string(t.val) {
		case "true", "false":
			d.emitObject(f, graph.Literal(string(t.val), graph.XSDBoolean))
		default:
			return d.unexpected(t, f)
		}
	case tLBracket:
		b := d.blanks.Fresh()
		d.emitObject(f, b)
		d.push(frame{kind: kPropList, st: sVerb, subj: b}) // f is invalid from here
	case tLParen:
		c := frame{kind: kCollection, st: sElement, isLink: true, subj2: f.subj, pred2: f.pred}
		if f.kind == kCollection {
			c.subj2, c.pred2 = f.node, rdfFirst
			f.st = sElement
		} else {
			f.st = sAfterObject
		}
		d.push(c) // f is invalid from here
	default:
		return d.unexpected(t, f)
	}
	return nil
}

// emitObject emits the triple that o completes in f and moves f on.
func (d *Decoder) emitObject(f *frame, o graph.Term) {
	if f.kind == kCollection {
		d.emit(f.node, rdfFirst, o)
		f.st = sElement
		return
	}
	d.emit(f.subj, f.pred, o)
	f.st = sAfterObject
}

// newCell starts the next cell of collection f, linking it from the
// previous cell or, for the first, from what the collection is the object of.
func (d *Decoder) newCell(f *frame) {
	c := d.blanks.Fresh()
	switch {
	case !f.node.IsZero():
		d.emit(f.node, rdfRest, c)
	case f.isLink:
		f.subj = c
		d.emit(f.subj2, f.pred2, c)
	default:
		f.subj = c
	}
	f.node = c
}

// closeCollection ends collection f at ')'. A collection in subject position
// hands its head (rdf:nil when empty) to the statement below it.
func (d *Decoder) closeCollection(f *frame) {
	head := f.subj
	switch {
	case !f.node.IsZero():
		d.emit(f.node, rdfRest, rdfNil)
	case f.isLink:
		d.emit(f.subj2, f.pred2, rdfNil)
	default:
		head = rdfNil
	}
	isLink := f.isLink
	d.pop()
	if !isLink {
		d.stack[len(d.stack)-1].subj = head
	}
}

// term converts an IRI, prefixed name or blank node token to a term.
func (d *Decoder) term(t *token) (graph.Term, error) {
	switch t.kind {
	case tBlank:
		return d.blanks.Named(string(t.val)), nil
	case tAnon:
		return d.blanks.Fresh(), nil
	}
	v, err := d.iri(t)
	if err != nil {
		return graph.Term{}, err
	}
	return graph.IRI(v), nil
}

// iri returns the absolute IRI of an IRIREF (resolved against the base) or
// of a prefixed name (namespace + local name).
func (d *Decoder) iri(t *token) (string, error) {
	slot := d.cache.slot(t)
	if t.kind == tPName {
		ns, ok := d.prefixes[string(t.val[:t.split])]
		if !ok {
			return "", d.errorf(t, "undefined prefix %q", t.val[:t.split])
		}
		local := t.val[t.split:]
		if v := slot.iri; slot.pname && len(v) == len(ns)+len(local) && v[:len(ns)] == ns && v[len(ns):] == string(local) {
			return v, nil
		}
		v := ns + string(local)
		*slot = cacheSlot{iri: v, pname: true}
		return v, nil
	}
	if v := slot.iri; !slot.pname && v != "" && v == string(t.val) {
		return v, nil
	}
	v := string(t.val)
	if iri.IsAbsolute(v) {
		*slot = cacheSlot{iri: v}
		return v, nil
	}
	if d.base == "" {
		return "", d.errorf(t, "relative IRI <%s> and no base IRI to resolve it against", clip(t.val))
	}
	r, err := iri.Resolve(d.base, v)
	if err != nil {
		return "", d.errorf(t, "resolve IRI <%s>: %v", clip(t.val), err)
	}
	return r, nil
}

// iriCache remembers the IRIs of recent IRIREF and prefixed-name tokens, so
// that the predicates, types and datatypes that fill real data become
// strings once rather than once per triple. It is direct-mapped (one slot
// per hash bucket): constant memory, no eviction bookkeeping. A slot is
// checked against the token itself (the IRI text, or namespace + local
// name), so it needs no key and a prefix redefinition cannot return a stale
// IRI.
type iriCache struct {
	slots [1024]cacheSlot
}

type cacheSlot struct {
	iri   string
	pname bool
}

// slot returns the slot for t: FNV-1a over the token text.
func (c *iriCache) slot(t *token) *cacheSlot {
	h := uint32(2166136261)
	for _, b := range t.val {
		h = (h ^ uint32(b)) * 16777619
	}
	return &c.slots[h%uint32(len(c.slots))]
}
