package rdfxml

import (
	"cmp"
	"encoding/xml"
	"slices"
	"strings"
)

// literalWriter builds the lexical form of an rdf:XMLLiteral from the
// content of a parseType="Literal" element: Exclusive XML Canonicalization
// 1.0 with comments and an empty InclusiveNamespaces PrefixList, as RDF 1.1
// XML Syntax §7.2.17 requires. Namespace declarations are written where a
// prefix is first visibly used, attributes are sorted, empty elements get an
// end tag and text is re-escaped.
type literalWriter struct {
	b        strings.Builder
	rendered []renderedNS   // namespace declarations written on open elements
	top      map[string]int // prefix -> index in rendered of the innermost one
	depth    int
	decls    []nsBinding
	attrs    []litAttr
}

// renderedNS is a namespace declaration written on the element at depth;
// prev is the index of the declaration of the same prefix it hides, or -1.
type renderedNS struct {
	prefix, uri string
	depth, prev int
}

type litAttr struct {
	ns, prefix, local, value string
}

func (w *literalWriter) reset() {
	w.b.Reset()
	w.rendered = w.rendered[:0]
	if w.top == nil {
		w.top = make(map[string]int)
	}
	clear(w.top)
	w.depth = 0
}

// String returns the canonical form written so far.
func (w *literalWriter) String() string { return w.b.String() }

// renderedURI returns the nearest declaration of prefix written on an
// open ancestor.
func (w *literalWriter) renderedURI(prefix string) (string, bool) {
	if i, ok := w.top[prefix]; ok {
		return w.rendered[i].uri, true
	}
	return "", false
}

// use records that prefix is visibly used on the current element; start
// removes repeats.
func (w *literalWriter) use(d *Decoder, prefix string) error {
	if prefix == "xml" {
		return nil
	}
	uri, ok := d.lookupNS(prefix)
	if !ok {
		return d.errorf("undeclared namespace prefix %q", prefix)
	}
	prev, had := w.renderedURI(prefix)
	if prefix == "" && uri == "" {
		// xmlns="" only undoes a default namespace written above.
		if !had || prev == "" {
			return nil
		}
	} else if had && prev == uri {
		return nil
	}
	w.decls = append(w.decls, nsBinding{prefix, uri})
	return nil
}

// start writes a start tag inside the literal.
func (w *literalWriter) start(d *Decoder, t xml.StartElement) error {
	w.depth++
	w.decls, w.attrs = w.decls[:0], w.attrs[:0]
	if err := w.use(d, t.Name.Space); err != nil {
		return err
	}
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		if strings.IndexByte(a.Name.Local, ':') >= 0 {
			return d.errorf("name %q is not namespace-well-formed", a.Name.Local)
		}
		ns := ""
		if a.Name.Space != "" {
			if err := w.use(d, a.Name.Space); err != nil {
				return err
			}
			ns, _ = d.lookupNS(a.Name.Space)
		}
		w.attrs = append(w.attrs, litAttr{ns, a.Name.Space, a.Name.Local, a.Value})
	}
	slices.SortFunc(w.decls, func(a, b nsBinding) int { return cmp.Compare(a.prefix, b.prefix) })
	w.decls = slices.CompactFunc(w.decls, func(a, b nsBinding) bool { return a.prefix == b.prefix })
	slices.SortFunc(w.attrs, func(a, b litAttr) int { return cmp.Or(cmp.Compare(a.ns, b.ns), cmp.Compare(a.local, b.local)) })

	w.b.WriteByte('<')
	w.b.WriteString(qname(t.Name.Space, t.Name.Local))
	for _, n := range w.decls {
		prev, ok := w.top[n.prefix]
		if !ok {
			prev = -1
		}
		w.top[n.prefix] = len(w.rendered)
		w.rendered = append(w.rendered, renderedNS{n.prefix, n.uri, w.depth, prev})
		if n.prefix == "" {
			w.b.WriteString(` xmlns="`)
		} else {
			w.b.WriteString(` xmlns:`)
			w.b.WriteString(n.prefix)
			w.b.WriteString(`="`)
		}
		escapeAttr(&w.b, n.uri)
		w.b.WriteByte('"')
	}
	for _, a := range w.attrs {
		w.b.WriteByte(' ')
		w.b.WriteString(qname(a.prefix, a.local))
		w.b.WriteString(`="`)
		escapeAttr(&w.b, a.value)
		w.b.WriteByte('"')
	}
	w.b.WriteByte('>')
	return nil
}

// end writes an end tag inside the literal.
func (w *literalWriter) end(t xml.EndElement) {
	w.b.WriteString("</")
	w.b.WriteString(qname(t.Name.Space, t.Name.Local))
	w.b.WriteByte('>')
	for len(w.rendered) > 0 && w.rendered[len(w.rendered)-1].depth == w.depth {
		r := w.rendered[len(w.rendered)-1]
		if r.prev < 0 {
			delete(w.top, r.prefix)
		} else {
			w.top[r.prefix] = r.prev
		}
		w.rendered = w.rendered[:len(w.rendered)-1]
	}
	w.depth--
}

// text writes character data, escaped as canonical XML text.
func (w *literalWriter) text(b []byte) {
	start := 0
	for i, c := range b {
		var esc string
		switch c {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		w.b.Write(b[start:i])
		w.b.WriteString(esc)
		start = i + 1
	}
	w.b.Write(b[start:])
}

// comment writes a comment (the "with comments" variant keeps them).
func (w *literalWriter) comment(c xml.Comment) {
	w.b.WriteString("<!--")
	w.b.Write(c)
	w.b.WriteString("-->")
}

// procInst writes a processing instruction.
func (w *literalWriter) procInst(p xml.ProcInst) {
	w.b.WriteString("<?")
	w.b.WriteString(p.Target)
	if len(p.Inst) > 0 {
		w.b.WriteByte(' ')
		w.b.Write(p.Inst)
	}
	w.b.WriteString("?>")
}

// escapeAttr escapes an attribute value as canonical XML does.
func escapeAttr(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '"':
			esc = "&quot;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(esc)
		start = i + 1
	}
	b.WriteString(s[start:])
}
