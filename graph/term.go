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
// N-Triples form of RDF 1.1 requires.
func AppendTerm(b *strings.Builder, t Term) {
	switch t.kind {
	case KindIRI:
		b.WriteByte('<')
		appendEscapedIRI(b, t.value)
		b.WriteByte('>')
	case KindBlank:
		b.WriteString("_:")
		b.WriteString(t.value)
	case KindLiteral:
		b.WriteByte('"')
		appendEscapedString(b, t.value)
		b.WriteByte('"')
		switch {
		case t.lang != "":
			b.WriteByte('@')
			b.WriteString(t.lang)
		case t.datatype != XSDString:
			b.WriteString("^^<")
			appendEscapedIRI(b, t.datatype)
			b.WriteByte('>')
		}
	case KindDefaultGraph:
		b.WriteString("DEFAULT")
	default:
		b.WriteString("ANY")
	}
}

const hexDigits = "0123456789ABCDEF"

// appendEscapedString escapes a lexical form as canonical N-Triples does:
// ECHAR for \t \b \n \r \f " \ and UCHAR for other control characters.
func appendEscapedString(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var esc string
		switch c {
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '\t':
			esc = `\t`
		case '\b':
			esc = `\b`
		case '\f':
			esc = `\f`
		default:
			if c < 0x20 || c == 0x7f {
				b.WriteString(s[start:i])
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&0xf])
				start = i + 1
			}
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(esc)
		start = i + 1
	}
	b.WriteString(s[start:])
}

// appendEscapedIRI escapes the characters N-Triples forbids inside <...>.
func appendEscapedIRI(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`' || c == '\\' {
			b.WriteString(s[start:i])
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
			start = i + 1
		}
	}
	b.WriteString(s[start:])
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
