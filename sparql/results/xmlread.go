package results

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// xmlLangSpace is the namespace encoding/xml gives the xml: prefix.
const xmlLangSpace = "http://www.w3.org/XML/1998/namespace"

// countingReader hands encoding/xml one byte at a time (it then does no
// read-ahead of its own) and counts lines and columns as it goes, so every
// token has an exact position.
type countingReader struct {
	br  *bufio.Reader
	pos cursor
	err error // the underlying reader's own error, other than io.EOF
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.br.ReadByte()
	if err == nil {
		c.pos.byte(b)
	} else if err != io.EOF {
		c.err = err
	}
	return b, err
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.br.Read(p)
	for _, b := range p[:n] {
		c.pos.byte(b)
	}
	if err != nil && err != io.EOF {
		c.err = err
	}
	return n, err
}

type xmlReader struct {
	dec    *xml.Decoder
	src    *countingReader
	file   string
	blanks *graph.BlankScope
	line   int // position of the start of the last token
	col    int
	vars   []string
	index  map[string]int
}

func readXML(r io.Reader, opts syntax.Options) (Set, error) {
	src := &countingReader{br: bufio.NewReader(r), pos: newCursor()}
	d := &xmlReader{dec: xml.NewDecoder(src), src: src, file: opts.File, blanks: opts.BlankScope()}
	root, err := d.start()
	if err != nil {
		return Set{}, err
	}
	if root.Name.Local != "sparql" {
		return Set{}, d.errorf("root element <%s>, want <sparql>", root.Name.Local)
	}
	head, err := d.start()
	if err != nil {
		return Set{}, err
	}
	if head.Name.Local != "head" {
		return Set{}, d.errorf("<%s>, want <head>", head.Name.Local)
	}
	if err := d.head(); err != nil {
		return Set{}, err
	}
	body, err := d.start()
	if err != nil {
		return Set{}, err
	}
	switch body.Name.Local {
	case "boolean":
		text, err := d.text()
		if err != nil {
			return Set{}, err
		}
		var answer bool
		switch strings.TrimSpace(text) {
		case "true", "1":
			answer = true
		case "false", "0":
		default:
			return Set{}, d.errorf("<boolean> holds %q, want true or false", text)
		}
		if len(d.vars) > 0 {
			return Set{}, d.errorf("an ASK result with variables in <head>")
		}
		if err := d.finish(); err != nil {
			return Set{}, err
		}
		return Ask(answer), nil
	case "results":
	default:
		return Set{}, d.errorf("<%s>, want <results> or <boolean>", body.Name.Local)
	}
	return Select(d.vars, func(yield func(Solution, error) bool) {
		for {
			tok, err := d.next()
			if err != nil {
				yield(nil, err)
				return
			}
			if _, ok := tok.(xml.EndElement); ok {
				break // </results>
			}
			el := tok.(xml.StartElement)
			if el.Name.Local != "result" {
				yield(nil, d.errorf("<%s>, want <result>", el.Name.Local))
				return
			}
			s, err := d.result()
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(s, nil) {
				return
			}
		}
		if err := d.finish(); err != nil {
			yield(nil, err)
		}
	}), nil
}

// head reads <variable name="..."/> and <link href="..."/> up to </head>.
func (d *xmlReader) head() error {
	d.index = map[string]int{}
	for {
		tok, err := d.next()
		if err != nil {
			return err
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			return nil // </head>
		}
		switch el.Name.Local {
		case "variable":
			name, ok := attr(el, "", "name")
			if !ok || !ValidVarName(name) {
				return d.errorf("<variable> with a bad or missing name %q", name)
			}
			if _, dup := d.index[name]; dup {
				return d.errorf("variable %q repeated", name)
			}
			d.index[name] = len(d.vars)
			d.vars = append(d.vars, name)
		case "link":
		default:
			return d.errorf("<%s> in <head>", el.Name.Local)
		}
		if err := d.empty(); err != nil {
			return err
		}
	}
}

// result reads the bindings of one <result> up to </result>.
func (d *xmlReader) result() (Solution, error) {
	s := make(Solution, len(d.vars))
	for {
		tok, err := d.next()
		if err != nil {
			return nil, err
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			return s, nil
		}
		if el.Name.Local != "binding" {
			return nil, d.errorf("<%s>, want <binding>", el.Name.Local)
		}
		name, _ := attr(el, "", "name")
		i, ok := d.index[name]
		if !ok {
			return nil, d.errorf("binding of %q, which is not a <variable> of <head>", name)
		}
		if !s[i].IsZero() {
			return nil, d.errorf("%q bound twice in one result", name)
		}
		if s[i], err = d.term(); err != nil {
			return nil, err
		}
		if tok, err = d.next(); err != nil {
			return nil, err
		}
		if _, ok := tok.(xml.EndElement); !ok {
			return nil, d.errorf("more than one term in <binding>")
		}
	}
}

// term reads the <uri>, <literal> or <bnode> element inside a <binding>.
func (d *xmlReader) term() (graph.Term, error) {
	tok, err := d.next()
	if err != nil {
		return graph.Term{}, err
	}
	el, ok := tok.(xml.StartElement)
	if !ok {
		return graph.Term{}, d.errorf("empty <binding>")
	}
	line, col := d.line, d.col
	switch el.Name.Local {
	case "uri", "bnode", "literal":
	default:
		return graph.Term{}, d.errorf("<%s> in <binding> (SPARQL 1.2 triple terms are not supported)", el.Name.Local)
	}
	text, err := d.text()
	if err != nil {
		return graph.Term{}, err
	}
	switch el.Name.Local {
	case "bnode":
		if text == "" {
			return graph.Term{}, errAt(d.file, line, col, "<bnode> with an empty label")
		}
		return d.blanks.Named(text), nil
	case "literal":
		lang, _ := attr(el, xmlLangSpace, "lang")
		datatype, _ := attr(el, "", "datatype")
		t, err := makeLiteral(text, lang, datatype)
		if err != nil {
			return graph.Term{}, errAt(d.file, line, col, "%v", err)
		}
		return t, nil
	}
	return graph.IRI(text), nil
}

// start reads the next element start.
func (d *xmlReader) start() (xml.StartElement, error) {
	tok, err := d.next()
	if err != nil {
		return xml.StartElement{}, err
	}
	el, ok := tok.(xml.StartElement)
	if !ok {
		return xml.StartElement{}, d.errorf("unexpected </%s>", tok.(xml.EndElement).Name.Local)
	}
	return el, nil
}

// empty reads the end of an element that must have no content.
func (d *xmlReader) empty() error {
	tok, err := d.next()
	if err != nil {
		return err
	}
	if el, ok := tok.(xml.StartElement); ok {
		return d.errorf("unexpected <%s>", el.Name.Local)
	}
	return nil
}

// text reads the character content of an element up to its end.
func (d *xmlReader) text() (string, error) {
	var b strings.Builder
	for {
		tok, err := d.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			return "", d.errorf("unexpected <%s> in a term", t.Name.Local)
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

// next returns the next element start or end in the results namespace,
// skipping comments, processing instructions, directives and whitespace.
func (d *xmlReader) next() (xml.Token, error) {
	for {
		tok, err := d.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != xmlNamespace {
				return nil, d.errorf("<%s> in namespace %q, want %q", t.Name.Local, t.Name.Space, xmlNamespace)
			}
			return t, nil
		case xml.EndElement:
			return t, nil
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) > 0 {
				return nil, d.errorf("unexpected text %q", string(t))
			}
		}
	}
}

// finish reads the end of the document after the body: </sparql>, then
// nothing but comments, processing instructions and whitespace.
func (d *xmlReader) finish() error {
	tok, err := d.next()
	if err != nil {
		return err
	}
	if el, ok := tok.(xml.StartElement); ok {
		return d.errorf("unexpected <%s>", el.Name.Local)
	}
	for {
		tok, err := d.dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return d.wrap(err)
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) > 0 {
				return d.errorf("text after </sparql>")
			}
		default:
			return d.errorf("content after </sparql>")
		}
	}
}

// token reads a token, remembering where it starts.
func (d *xmlReader) token() (xml.Token, error) {
	d.line, d.col = d.src.pos.line, d.src.pos.col+1
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.wrap(err)
	}
	return tok, nil
}

func (d *xmlReader) wrap(err error) error {
	if d.src.err != nil && errors.Is(err, d.src.err) {
		return fmt.Errorf("read XML results %s: %w", d.file, err) // the reader's own error
	}
	msg := strings.TrimPrefix(err.Error(), "xml: ")
	if se, ok := err.(*xml.SyntaxError); ok {
		msg = se.Msg
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF || msg == "unexpected EOF" {
		msg = "unexpected end of input"
	}
	return errAt(d.file, d.src.pos.line, d.src.pos.col+1, "%s", msg)
}

func (d *xmlReader) errorf(format string, args ...any) error {
	return errAt(d.file, d.line, d.col, format, args...)
}

// attr returns the value of an attribute.
func attr(el xml.StartElement, space, local string) (string, bool) {
	for _, a := range el.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value, true
		}
	}
	return "", false
}
