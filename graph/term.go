// Package graph is Tessera's RDF 1.1 data model: terms, quads, quad patterns,
// the Store interface every storage engine implements, and the streaming
// iterators that carry quads between packages.
//
// It imports nothing else of Tessera's; every other layer builds on it.
package graph

import (
	"strings"
)

// Well-known datatype IRIs used by the literal rules of RDF 1.1.
const (
	XSDString     = "http://www.w3.org/2001/XMLSchema#string"
	XSDBoolean    = "http://www.w3.org/2001/XMLSchema#boolean"
	XSDInteger    = "http://www.w3.org/2001/XMLSchema#integer"
	XSDDecimal    = "http://www.w3.org/2001/XMLSchema#decimal"
	XSDDouble     = "http://www.w3.org/2001/XMLSchema#double"
	RDFLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
	RDFNamespace  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	XSDNamespace  = "http://www.w3.org/2001/XMLSchema#"
)

// Kind says which sort of RDF term a Term is.
type Kind uint8

// The kinds of term. The zero Kind marks the zero Term, which is not an RDF
// term: in a Pattern it is the wildcard, in a Quad's graph position it means
// the default graph.
const (
	KindNone Kind = iota
	KindIRI
	KindBlank
	KindLiteral
	KindDefaultGraph
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindIRI:
		return "IRI"
	case KindBlank:
		return "blank node"
	case KindLiteral:
		return "literal"
	case KindDefaultGraph:
		return "default graph"
	}
	return "none"
}

// Term is an RDF 1.1 term: an IRI, a blank node or a literal, or the marker
// for the default graph. Terms are comparable values: two terms are == exactly
// when they are the same RDF term (RDF 1.1 term equality), so they can be map
// keys.
//
// Literals always carry a datatype: a simple literal has xsd:string, a literal
// with a language tag has rdf:langString and a lower-cased tag (RDF 1.1 §3.3
// allows the normalisation, and it makes term equality case-insensitive on
// tags as the spec requires).
type Term struct {
	kind     Kind
	value    string // IRI, blank node label or lexical form
	datatype string // literals only
	lang     string // rdf:langString literals only
}

// DefaultGraph is the graph term of quads in the default graph. It is distinct
// from every named graph.
var DefaultGraph = Term{kind: KindDefaultGraph}

// IRI returns the IRI term for an absolute IRI. It does not validate: parsers
// check syntax, and a store accepts what it is given.
func IRI(iri string) Term { return Term{kind: KindIRI, value: iri} }

// Blank returns the blank node with the given label. Labels are only
// meaningful inside one store; loaders scope document labels with BlankScope
// so that two loads never share a blank node by accident.
func Blank(label string) Term { return Term{kind: KindBlank, value: label} }

// Literal returns a literal with the lexical form lex and the datatype IRI
// datatype. An empty datatype means xsd:string (RDF 1.1 simple literal).
func Literal(lex, datatype string) Term {
	if datatype == "" {
		datatype = XSDString
	}
	return Term{kind: KindLiteral, value: lex, datatype: datatype}
}

// String literal shorthand: the simple literal lex (datatype xsd:string).
func String(lex string) Term { return Term{kind: KindLiteral, value: lex, datatype: XSDString} }

// LangLiteral returns a language-tagged string (datatype rdf:langString). The
// tag is stored in lower case.
func LangLiteral(lex, lang string) Term {
	return Term{kind: KindLiteral, value: lex, datatype: RDFLangString, lang: strings.ToLower(lang)}
}

// Kind returns the sort of term.
func (t Term) Kind() Kind { return t.kind }

// Value returns the IRI, the blank node label or the literal's lexical form.
func (t Term) Value() string { return t.value }

// Datatype returns a literal's datatype IRI, or "" for other terms.
func (t Term) Datatype() string { return t.datatype }

// Lang returns a literal's language tag (lower case), or "".
func (t Term) Lang() string { return t.lang }

// IsZero reports whether t is the zero Term (the wildcard in a Pattern).
func (t Term) IsZero() bool { return t.kind == KindNone }

// IsIRI reports whether t is an IRI.
func (t Term) IsIRI() bool { return t.kind == KindIRI }

// IsBlank reports whether t is a blank node.
func (t Term) IsBlank() bool { return t.kind == KindBlank }

// IsLiteral reports whether t is a literal.
func (t Term) IsLiteral() bool { return t.kind == KindLiteral }

// IsDefaultGraph reports whether t is the default graph marker.
func (t Term) IsDefaultGraph() bool { return t.kind == KindDefaultGraph }

// String returns t in N-Triples syntax (`<iri>`, `_:label`, `"lex"^^<dt>`,
// `"lex"@lang`); xsd:string literals are written without a datatype. The
// default graph prints as "DEFAULT" and the zero term as "ANY"; neither is
// valid N-Triples.
func (t Term) String() string {
	var b strings.Builder
	AppendTerm(&b, t)
	return b.String()
}

// AppendTerm writes t in N-Triples syntax to b, escaping as the canonical
// N-Triples form of RDF 1.1 requires (see AppendEscapedString and
// AppendEscapedIRI).
func AppendTerm(b *strings.Builder, t Term) {
	var scratch [128]byte // most terms fit: no allocation besides b's own
	b.Write(appendTerm(scratch[:0], t))
}

func appendTerm(dst []byte, t Term) []byte {
	switch t.kind {
	case KindIRI:
		dst = append(dst, '<')
		dst = AppendEscapedIRI(dst, t.value)
		return append(dst, '>')
	case KindBlank:
		dst = append(dst, "_:"...)
		return append(dst, t.value...)
	case KindLiteral:
		dst = append(dst, '"')
		dst = AppendEscapedString(dst, t.value)
		dst = append(dst, '"')
		switch {
		case t.lang != "":
			dst = append(dst, '@')
			return append(dst, t.lang...)
		case t.datatype != XSDString:
			dst = append(dst, "^^<"...)
			dst = AppendEscapedIRI(dst, t.datatype)
			return append(dst, '>')
		}
		return dst
	case KindDefaultGraph:
		return append(dst, "DEFAULT"...)
	default:
		return append(dst, "ANY"...)
	}
}

const hexDigits = "0123456789ABCDEF"

// appendUCHAR appends the UCHAR escape \u00XX of an ASCII byte.
func appendUCHAR(dst []byte, c byte) []byte {
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// AppendEscapedString appends s escaped as the inside of a canonical
// N-Triples STRING_LITERAL_QUOTE: ECHAR for \t \b \n \r \f " \ and
// upper-case UCHAR (\u00XX) for the other control characters (below 0x20,
// and 0x7F); every other byte is copied, so invalid UTF-8 stays invalid
// (writers that must refuse it check first). The N-Triples, N-Quads and
// Turtle encoders and Term.String share it so that all escape alike.
func AppendEscapedString(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var esc byte
		switch c {
		case '"', '\\':
			esc = c
		case '\n':
			esc = 'n'
		case '\r':
			esc = 'r'
		case '\t':
			esc = 't'
		case '\b':
			esc = 'b'
		case '\f':
			esc = 'f'
		default:
			if c >= 0x20 && c != 0x7F {
				continue
			}
		}
		dst = append(dst, s[start:i]...)
		if esc != 0 {
			dst = append(dst, '\\', esc)
		} else {
			dst = appendUCHAR(dst, c)
		}
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// AppendEscapedIRI appends s escaped for the inside of an N-Triples IRIREF:
// the ASCII characters IRIREF forbids ([#x00-#x20<>"{}|^`\]) as upper-case
// UCHAR (\u00XX); every other byte is copied. It does not check that s is
// an absolute IRI or valid UTF-8.
func AppendEscapedIRI(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`' || c == '\\' {
			dst = append(dst, s[start:i]...)
			dst = appendUCHAR(dst, c)
			start = i + 1
		}
	}
	return append(dst, s[start:]...)
}

// Compare orders terms: by kind (default graph, IRIs, blank nodes, literals),
// then value, datatype and language. It gives exports and tests a stable
// order; it is not SPARQL's ORDER BY.
func Compare(a, b Term) int {
	ka, kb := kindRank(a.kind), kindRank(b.kind)
	if ka != kb {
		if ka < kb {
			return -1
		}
		return 1
	}
	if c := strings.Compare(a.value, b.value); c != 0 {
		return c
	}
	if c := strings.Compare(a.datatype, b.datatype); c != 0 {
		return c
	}
	return strings.Compare(a.lang, b.lang)
}

func kindRank(k Kind) int {
	switch k {
	case KindNone:
		return 0
	case KindDefaultGraph:
		return 1
	case KindIRI:
		return 2
	case KindBlank:
		return 3
	}
	return 4
}
