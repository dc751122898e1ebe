package results

import (
	"bufio"
	"fmt"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
)

// xmlNamespace is the namespace of the SPARQL Query Results XML Format.
const xmlNamespace = "http://www.w3.org/2005/sparql-results#"

// xmlEncoder writes the SPARQL Query Results XML Format
// (https://www.w3.org/TR/rdf-sparql-XMLres/), one <result> per line.
type xmlEncoder struct{}

func (xmlEncoder) name() Format { return XML }

const xmlProlog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sparql xmlns=\"" + xmlNamespace + "\">\n"

func (xmlEncoder) head(w *bufio.Writer, vars []string) error {
	w.WriteString(xmlProlog)
	w.WriteString("<head>\n")
	for _, v := range vars {
		w.WriteString(` <variable name="`)
		if err := writeXMLEscaped(w, v, true); err != nil {
			return err
		}
		w.WriteString("\"/>\n")
	}
	w.WriteString("</head>\n<results>\n")
	return nil
}

func (xmlEncoder) row(w *bufio.Writer, vars []string, s Solution) error {
	w.WriteString(" <result>")
	for i, t := range s {
		if t.IsZero() {
			continue
		}
		w.WriteString(`<binding name="`)
		if err := writeXMLEscaped(w, vars[i], true); err != nil {
			return err
		}
		w.WriteString(`">`)
		if err := writeXMLTerm(w, t); err != nil {
			return fmt.Errorf("?%s: %w", vars[i], err)
		}
		w.WriteString("</binding>")
	}
	w.WriteString("</result>\n")
	return nil
}

func (xmlEncoder) boolean(w *bufio.Writer, answer bool) error {
	w.WriteString(xmlProlog)
	if answer {
		w.WriteString("<head/>\n<boolean>true</boolean>\n")
	} else {
		w.WriteString("<head/>\n<boolean>false</boolean>\n")
	}
	return nil
}

func (xmlEncoder) end(w *bufio.Writer, boolean bool) error {
	if !boolean {
		w.WriteString("</results>\n")
	}
	w.WriteString("</sparql>\n")
	return nil
}

func writeXMLTerm(w *bufio.Writer, t graph.Term) error {
	switch t.Kind() {
	case graph.KindIRI:
		w.WriteString("<uri>")
		if err := writeXMLEscaped(w, t.Value(), false); err != nil {
			return err
		}
		w.WriteString("</uri>")
	case graph.KindBlank:
		w.WriteString("<bnode>")
		if err := writeXMLEscaped(w, t.Value(), false); err != nil {
			return err
		}
		w.WriteString("</bnode>")
	default:
		switch {
		case t.Lang() != "":
			w.WriteString(`<literal xml:lang="`)
			if err := writeXMLEscaped(w, t.Lang(), true); err != nil {
				return err
			}
			w.WriteString(`">`)
		case t.Datatype() != graph.XSDString:
			w.WriteString(`<literal datatype="`)
			if err := writeXMLEscaped(w, t.Datatype(), true); err != nil {
				return err
			}
			w.WriteString(`">`)
		default:
			w.WriteString("<literal>")
		}
		if err := writeXMLEscaped(w, t.Value(), false); err != nil {
			return err
		}
		w.WriteString("</literal>")
	}
	return nil
}

// writeXMLEscaped writes s as XML character data, or as an attribute value
// when attr is set. Markup characters become entity references; CR (and in
// attributes also TAB and LF) become character references so that XML's
// end-of-line and attribute normalisation give back the same string.
// Characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE, U+FFFF)
// are an ErrUnsupported error; invalid UTF-8 is written as U+FFFD, as every
// writer of this package does.
func writeXMLEscaped(w *bufio.Writer, s string, attr bool) error {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				esc = "&amp;"
			case c == '<':
				esc = "&lt;"
			case c == '>':
				esc = "&gt;"
			case c == '"' && attr:
				esc = "&quot;"
			case c == '\r':
				esc = "&#xD;"
			case c == '\n' && attr:
				esc = "&#xA;"
			case c == '\t' && attr:
				esc = "&#x9;"
			case c < 0x20 && c != '\n' && c != '\t':
				return fmt.Errorf("character U+%04X in %q cannot be written in XML 1.0: %w", c, s, ErrUnsupported)
			default:
				i++
				continue
			}
			w.WriteString(s[start:i])
			w.WriteString(esc)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			w.WriteString(s[start:i])
			w.WriteString("\uFFFD")
			start = i + size
		case r == 0xFFFE || r == 0xFFFF:
			return fmt.Errorf("character U+%04X in %q cannot be written in XML 1.0: %w", r, s, ErrUnsupported)
		}
		i += size
	}
	w.WriteString(s[start:])
	return nil
}
