package rdfxml

import (
	"encoding/xml"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
)

// Namespaces with a fixed meaning in XML and RDF/XML.
const (
	rdfNS   = graph.RDFNamespace
	xmlNS   = "http://www.w3.org/XML/1998/namespace"
	xmlnsNS = "http://www.w3.org/2000/xmlns/"
)

// IRIs of the RDF vocabulary the grammar produces.
const (
	rdfType       = rdfNS + "type"
	rdfFirst      = rdfNS + "first"
	rdfRest       = rdfNS + "rest"
	rdfNil        = rdfNS + "nil"
	rdfStatement  = rdfNS + "Statement"
	rdfSubject    = rdfNS + "subject"
	rdfPredicate  = rdfNS + "predicate"
	rdfObject     = rdfNS + "object"
	rdfXMLLiteral = rdfNS + "XMLLiteral"
)

// Terms used on every document, built once per package rather than per quad.
var (
	termType      = graph.IRI(rdfType)
	termFirst     = graph.IRI(rdfFirst)
	termRest      = graph.IRI(rdfRest)
	termNil       = graph.IRI(rdfNil)
	termStatement = graph.IRI(rdfStatement)
	termSubject   = graph.IRI(rdfSubject)
	termPredicate = graph.IRI(rdfPredicate)
	termObject    = graph.IRI(rdfObject)
)

// rdfName classifies a local name in the RDF namespace for the grammar's
// name sets (RDF 1.1 XML Syntax §7.2.2–7.2.5).
type rdfName uint8

const (
	nameOther       rdfName = iota // any other rdf: name (rdf:type, rdf:_1, rdf:Bag, ...)
	nameRDF                        // rdf:RDF
	nameID                         // rdf:ID
	nameAbout                      // rdf:about
	nameParseType                  // rdf:parseType
	nameResource                   // rdf:resource
	nameNodeID                     // rdf:nodeID
	nameDatatype                   // rdf:datatype
	nameDescription                // rdf:Description
	nameLi                         // rdf:li
	nameOld                        // rdf:aboutEach, rdf:aboutEachPrefix, rdf:bagID
)

func classifyRDF(local string) rdfName {
	switch local {
	case "RDF":
		return nameRDF
	case "ID":
		return nameID
	case "about":
		return nameAbout
	case "parseType":
		return nameParseType
	case "resource":
		return nameResource
	case "nodeID":
		return nameNodeID
	case "datatype":
		return nameDatatype
	case "Description":
		return nameDescription
	case "li":
		return nameLi
	case "aboutEach", "aboutEachPrefix", "bagID":
		return nameOld
	}
	return nameOther
}

// isCoreSyntaxTerm reports membership of coreSyntaxTerms (§7.2.2).
func (n rdfName) isCoreSyntaxTerm() bool { return n >= nameRDF && n <= nameDatatype }

// isNameStartChar is XML 1.0 (fifth edition) NameStartChar without ':'.
func isNameStartChar(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		return true
	case r < 0xC0:
		return false
	}
	return r <= 0xD6 || (r >= 0xD8 && r <= 0xF6) || (r >= 0xF8 && r <= 0x2FF) ||
		(r >= 0x370 && r <= 0x37D) || (r >= 0x37F && r <= 0x1FFF) ||
		(r >= 0x200C && r <= 0x200D) || (r >= 0x2070 && r <= 0x218F) ||
		(r >= 0x2C00 && r <= 0x2FEF) || (r >= 0x3001 && r <= 0xD7FF) ||
		(r >= 0xF900 && r <= 0xFDCF) || (r >= 0xFDF0 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0xEFFFF)
}

// isNameChar is XML 1.0 (fifth edition) NameChar without ':'.
func isNameChar(r rune) bool {
	return isNameStartChar(r) || r == '-' || r == '.' || (r >= '0' && r <= '9') ||
		r == 0xB7 || (r >= 0x300 && r <= 0x36F) || (r >= 0x203F && r <= 0x2040)
}

// isNCName reports whether s is an XML Namespaces NCName, the syntax of
// rdf:ID and rdf:nodeID values and of prefixes and local names.
func isNCName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == utf8.RuneError {
			return false
		}
		if i == 0 {
			if !isNameStartChar(r) {
				return false
			}
		} else if !isNameChar(r) {
			return false
		}
	}
	return true
}

// isWritableName reports whether s is an NCName that encoding/xml, which
// the decoder reads with, also accepts as an element or attribute name. The
// encoder writes only such names (prefixes and property local names).
func isWritableName(s string) bool {
	if !isNCName(s) {
		return false
	}
	for i, r := range s {
		if !readableNameRune(r, i == 0) {
			return false
		}
	}
	return true
}

// readableNameRune reports whether encoding/xml accepts r at the start of a
// name (start) or after it. encoding/xml checks names against the character
// classes of XML 1.0 fourth edition (Appendix B), narrower than the fifth
// edition's NameStartChar: U+05BC, a combining mark, may start a name in the
// fifth edition, yet encoding/xml rejects <ns0:\u05BC0> as "invalid XML
// name". An encoder is conservative in what it sends, so it writes only
// names both editions accept, and any XML reader, ours included, reads them
// back. ASCII is the same in both; other runes ask encoding/xml itself, once.
func readableNameRune(r rune, start bool) bool {
	if r < utf8.RuneSelf {
		return true
	}
	key := r << 1
	if start {
		key |= 1
	}
	if ok, seen := stdNameRunes.Load(key); seen {
		return ok.(bool)
	}
	doc := "<a" + string(r) + "/>"
	if start {
		doc = "<" + string(r) + "/>"
	}
	_, err := xml.NewDecoder(strings.NewReader(doc)).Token()
	stdNameRunes.Store(key, err == nil)
	return err == nil
}

// stdNameRunes caches readableNameRune's answers: rune<<1 | start → bool.
var stdNameRunes sync.Map

// isXMLSpace reports whether every byte of s is XML white space (S).
func isXMLSpace(s []byte) bool {
	for _, c := range s {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// validIRIChars reports whether s has none of the characters RDF 1.1
// concrete syntaxes forbid in an IRI (controls, space, <>"{}|^`\).
func validIRIChars(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c <= 0x20, c == '<', c == '>', c == '"', c == '{', c == '}', c == '|', c == '^', c == '`', c == '\\':
			return false
		}
	}
	return utf8.ValidString(s)
}

// validLang reports whether s is a well-formed language tag in the loose
// sense of Turtle's LANGTAG: [a-zA-Z]{1,8} ('-' [a-zA-Z0-9]{1,8})*.
func validLang(s string) bool {
	n, first := 0, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-':
			if n == 0 {
				return false
			}
			n, first = 0, false
			continue
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && !first:
		default:
			return false
		}
		n++
		if n > 8 {
			return false
		}
	}
	return n > 0
}
