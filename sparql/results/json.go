package results

import (
	"bufio"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
)

// jsonEncoder writes SPARQL 1.1 Query Results JSON
// (https://www.w3.org/TR/sparql11-results-json/): one binding object per
// line inside results.bindings, so the output streams and stays readable.
type jsonEncoder struct{ rows int }

func (*jsonEncoder) name() Format { return JSON }

func (*jsonEncoder) head(w *bufio.Writer, vars []string) error {
	w.WriteString(`{"head":{"vars":[`)
	for i, v := range vars {
		if i > 0 {
			w.WriteByte(',')
		}
		writeJSONString(w, v)
	}
	w.WriteString("]},\"results\":{\"bindings\":[")
	return nil
}

func (e *jsonEncoder) row(w *bufio.Writer, vars []string, s Solution) error {
	if e.rows > 0 {
		w.WriteByte(',')
	}
	e.rows++
	w.WriteString("\n{")
	first := true
	for i, t := range s {
		if t.IsZero() {
			continue
		}
		if !first {
			w.WriteByte(',')
		}
		first = false
		writeJSONString(w, vars[i])
		w.WriteByte(':')
		writeJSONTerm(w, t)
	}
	w.WriteByte('}')
	return nil
}

func (*jsonEncoder) boolean(w *bufio.Writer, answer bool) error {
	if answer {
		w.WriteString("{\"head\":{},\"boolean\":true}\n")
	} else {
		w.WriteString("{\"head\":{},\"boolean\":false}\n")
	}
	return nil
}

func (*jsonEncoder) end(w *bufio.Writer, boolean bool) error {
	if !boolean {
		w.WriteString("\n]}}\n")
	}
	return nil
}

// writeJSONTerm writes the JSON object of one RDF term (§3.2.2).
func writeJSONTerm(w *bufio.Writer, t graph.Term) {
	switch t.Kind() {
	case graph.KindIRI:
		w.WriteString(`{"type":"uri","value":`)
		writeJSONString(w, t.Value())
	case graph.KindBlank:
		w.WriteString(`{"type":"bnode","value":`)
		writeJSONString(w, t.Value())
	default:
		w.WriteString(`{"type":"literal","value":`)
		writeJSONString(w, t.Value())
		switch {
		case t.Lang() != "":
			w.WriteString(`,"xml:lang":`)
			writeJSONString(w, t.Lang())
		case t.Datatype() != graph.XSDString:
			w.WriteString(`,"datatype":`)
			writeJSONString(w, t.Datatype())
		}
	}
	w.WriteByte('}')
}

const lowerHex = "0123456789abcdef"

// writeJSONString writes s as a JSON string (RFC 8259 §7): quotes,
// backslashes and control characters escaped, U+2028 and U+2029 escaped so
// the output is also valid JavaScript, and invalid UTF-8 replaced by U+FFFD.
func writeJSONString(w *bufio.Writer, s string) {
	w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			w.WriteString(s[start:i])
			switch c {
			case '"':
				w.WriteString(`\"`)
			case '\\':
				w.WriteString(`\\`)
			case '\n':
				w.WriteString(`\n`)
			case '\r':
				w.WriteString(`\r`)
			case '\t':
				w.WriteString(`\t`)
			case '\b':
				w.WriteString(`\b`)
			case '\f':
				w.WriteString(`\f`)
			default:
				w.WriteString(`\u00`)
				w.WriteByte(lowerHex[c>>4])
				w.WriteByte(lowerHex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			w.WriteString(s[start:i])
			w.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			w.WriteString(s[start:i])
			w.WriteString(`\u202`)
			w.WriteByte(lowerHex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	w.WriteString(s[start:])
	w.WriteByte('"')
}
