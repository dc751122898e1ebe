package results

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
)

// csvEncoder writes the SPARQL 1.1 Query Results CSV Format
// (https://www.w3.org/TR/sparql11-results-csv-tsv/ §2): variable names in
// the header, plain values (IRI text, lexical forms, _:label) in the rows,
// RFC 4180 quoting and CRLF line ends. It is lossy by design.
type csvEncoder struct{}

func (csvEncoder) name() Format { return CSV }

func (csvEncoder) head(w *bufio.Writer, vars []string) error {
	for i, v := range vars {
		if i > 0 {
			w.WriteByte(',')
		}
		writeCSVField(w, v)
	}
	w.WriteString("\r\n")
	return nil
}

func (csvEncoder) row(w *bufio.Writer, _ []string, s Solution) error {
	for i, t := range s {
		if i > 0 {
			w.WriteByte(',')
		}
		switch t.Kind() {
		case graph.KindNone:
		case graph.KindBlank:
			w.WriteString("_:")
			writeCSVField(w, t.Value())
		default:
			writeCSVField(w, t.Value())
		}
	}
	w.WriteString("\r\n")
	return nil
}

func (csvEncoder) boolean(*bufio.Writer, bool) error {
	return fmt.Errorf("an ASK result: %w", ErrUnsupported)
}

func (csvEncoder) end(*bufio.Writer, bool) error { return nil }

// writeCSVField writes s, quoted as RFC 4180 §2 requires when it holds a
// comma, a double quote, CR or LF, with inner quotes doubled. An empty
// value is written "" so that it differs from an unbound one (and a
// one-column row holding it is not an empty line, which CSV readers skip).
func writeCSVField(w *bufio.Writer, s string) {
	if s == "" {
		w.WriteString(`""`)
		return
	}
	if !strings.ContainsAny(s, ",\"\r\n") {
		writeValidUTF8(w, s)
		return
	}
	w.WriteByte('"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		writeValidUTF8(w, s[:i+1])
		w.WriteByte('"')
		s = s[i+1:]
	}
	writeValidUTF8(w, s)
	w.WriteByte('"')
}

// writeValidUTF8 writes s with invalid UTF-8 replaced by U+FFFD.
func writeValidUTF8(w *bufio.Writer, s string) {
	if utf8.ValidString(s) {
		w.WriteString(s)
		return
	}
	w.WriteString(strings.ToValidUTF8(s, "\uFFFD"))
}

// tsvEncoder writes the SPARQL 1.1 Query Results TSV Format
// (https://www.w3.org/TR/sparql11-results-csv-tsv/ §3): ?-prefixed
// variables in the header, terms in SPARQL/Turtle syntax in the rows (IRIs
// in <>, quoted literals with @lang or ^^<datatype>, the Turtle number
// forms for xsd:integer, xsd:decimal and xsd:double, _:label), LF line ends.
type tsvEncoder struct{}

func (tsvEncoder) name() Format { return TSV }

func (tsvEncoder) head(w *bufio.Writer, vars []string) error {
	for i, v := range vars {
		if i > 0 {
			w.WriteByte('\t')
		}
		w.WriteByte('?')
		w.WriteString(v)
	}
	w.WriteByte('\n')
	return nil
}

func (tsvEncoder) row(w *bufio.Writer, _ []string, s Solution) error {
	for i, t := range s {
		if i > 0 {
			w.WriteByte('\t')
		}
		writeTSVTerm(w, t)
	}
	w.WriteByte('\n')
	return nil
}

func (tsvEncoder) boolean(*bufio.Writer, bool) error {
	return fmt.Errorf("an ASK result: %w", ErrUnsupported)
}

func (tsvEncoder) end(*bufio.Writer, bool) error { return nil }

// writeTSVTerm writes t in the term syntax of the TSV format; the zero term
// (unbound) writes nothing.
func writeTSVTerm(w *bufio.Writer, t graph.Term) {
	switch t.Kind() {
	case graph.KindIRI:
		writeIRIRef(w, t.Value())
	case graph.KindBlank:
		w.WriteString("_:")
		w.WriteString(tsvBlankLabel(t.Value()))
	case graph.KindLiteral:
		lex := t.Value()
		switch t.Datatype() {
		case graph.XSDInteger:
			if isTurtleInteger(lex) {
				w.WriteString(lex)
				return
			}
		case graph.XSDDecimal:
			if isTurtleDecimal(lex) {
				w.WriteString(lex)
				return
			}
		case graph.XSDDouble:
			if isTurtleDouble(lex) {
				w.WriteString(lex)
				return
			}
		}
		w.WriteByte('"')
		writeTurtleString(w, lex)
		w.WriteByte('"')
		switch {
		case t.Lang() != "":
			w.WriteByte('@')
			w.WriteString(t.Lang())
		case t.Datatype() != graph.XSDString:
			w.WriteString("^^")
			writeIRIRef(w, t.Datatype())
		}
	}
}

// writeIRIRef writes <iri>, with the characters IRIREF forbids written as
// \u escapes.
func writeIRIRef(w *bufio.Writer, s string) {
	w.WriteByte('<')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`' || c == '\\' {
			writeValidUTF8(w, s[start:i])
			w.WriteString(`\u00`)
			w.WriteByte(upperHex[c>>4])
			w.WriteByte(upperHex[c&0xf])
			start = i + 1
		}
	}
	writeValidUTF8(w, s[start:])
	w.WriteByte('>')
}

const upperHex = "0123456789ABCDEF"

// writeTurtleString writes the body of a "..." string: TAB, LF and CR
// escaped as the TSV format requires, quote and backslash escaped, other
// control characters as \u escapes.
func writeTurtleString(w *bufio.Writer, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var esc string
		switch c {
		case '\t':
			esc = `\t`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '\b':
			esc = `\b`
		case '\f':
			esc = `\f`
		default:
			if c >= 0x20 && c != 0x7f {
				continue
			}
			writeValidUTF8(w, s[start:i])
			w.WriteString(`\u00`)
			w.WriteByte(upperHex[c>>4])
			w.WriteByte(upperHex[c&0xf])
			start = i + 1
			continue
		}
		writeValidUTF8(w, s[start:i])
		w.WriteString(esc)
		start = i + 1
	}
	writeValidUTF8(w, s[start:])
}

// escapedLabelPrefix starts the TSV label of a blank node whose own label is
// not a Turtle BLANK_NODE_LABEL (or starts with this prefix): the prefix and
// the hex of the label. Every other label is written as it is, so the
// mapping is one to one.
const escapedLabelPrefix = "esc_"

func tsvBlankLabel(label string) string {
	if validBlankLabel(label) && !strings.HasPrefix(label, escapedLabelPrefix) {
		return label
	}
	return escapedLabelPrefix + hex.EncodeToString([]byte(label))
}

// validBlankLabel reports whether s is the part of a Turtle
// BLANK_NODE_LABEL after "_:".
func validBlankLabel(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	last := rune(0)
	for i, r := range s {
		switch {
		case i == 0:
			if !isPNCharsU(r) && !(r >= '0' && r <= '9') {
				return false
			}
		case r == '.' || isPNChars(r):
		default:
			return false
		}
		last = r
	}
	return last != '.'
}

// isTurtleInteger reports whether s matches Turtle's INTEGER: [+-]?[0-9]+.
func isTurtleInteger(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	return s != "" && digits(s) == len(s)
}

// isTurtleDecimal reports whether s matches DECIMAL: [+-]?[0-9]*\.[0-9]+.
func isTurtleDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	n := digits(s)
	if n == len(s) || s[n] != '.' {
		return false
	}
	m := digits(s[n+1:])
	return m > 0 && n+1+m == len(s)
}

// isTurtleDouble reports whether s matches DOUBLE:
// [+-]? ([0-9]+ '.' [0-9]* EXPONENT | '.' [0-9]+ EXPONENT | [0-9]+ EXPONENT).
func isTurtleDouble(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	n := digits(s)
	s = s[n:]
	if s != "" && s[0] == '.' {
		m := digits(s[1:])
		if n == 0 && m == 0 {
			return false
		}
		s = s[1+m:]
	} else if n == 0 {
		return false
	}
	if s == "" || (s[0] != 'e' && s[0] != 'E') {
		return false
	}
	s = s[1:]
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	return s != "" && digits(s) == len(s)
}

// digits counts the ASCII digits at the start of s.
func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
