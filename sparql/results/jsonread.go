package results

import (
	"bufio"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// maxRowsBeforeHead caps the rows a JSON reader holds when a document puts
// "results" before "head" (JSON objects are unordered, so that is allowed):
// such rows cannot be streamed, since their columns are not known yet.
const maxRowsBeforeHead = 1 << 20

// jsonState is where a JSON reader stands in the document.
type jsonState uint8

const (
	inTop      jsonState = iota // between the members of the top object
	inResults                   // between the members of "results"
	inBindings                  // between the rows of "bindings"
	atEnd                       // after the top object
)

// jsonReader reads SPARQL 1.1 Query Results JSON with a small streaming
// scanner of its own: constant memory, exact line and column for every
// error, and no allocation beyond the strings of the terms.
type jsonReader struct {
	br      *bufio.Reader
	pos     cursor
	file    string
	blanks  *graph.BlankScope
	scratch []byte
	nested  []frame // the open objects and arrays
	state   jsonState

	vars        []string
	index       map[string]int
	haveHead    bool
	haveResults bool
	haveRows    bool
	haveBoolean bool
	boolean     bool
	early       [][]jsonBinding // rows read before the head
}

// frame is an open object or array.
type frame struct {
	end   byte // '}' or ']'
	comma bool // an element was read, so a comma comes before the next
}

type jsonBinding struct {
	name      string
	term      graph.Term
	line, col int
}

func readJSON(r io.Reader, opts syntax.Options) (Set, error) {
	d := &jsonReader{br: bufio.NewReaderSize(r, 64<<10), pos: newCursor(), file: opts.File, blanks: opts.BlankScope()}
	if b, err := d.br.Peek(3); err == nil && string(b) == "\uFEFF" {
		d.br.Discard(3) // a byte order mark, which some servers send
	}
	if err := d.open('{', "a JSON object"); err != nil {
		return Set{}, err
	}
	streaming, err := d.run(true)
	if err != nil {
		return Set{}, err
	}
	if d.haveBoolean {
		return Ask(d.boolean), nil
	}
	early := d.early
	d.early = nil
	return Select(d.vars, func(yield func(Solution, error) bool) {
		for _, row := range early {
			s, err := d.solution(row)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(s, nil) {
				return
			}
		}
		if !streaming {
			return
		}
		for {
			more, err := d.more()
			if err != nil {
				yield(nil, err)
				return
			}
			if !more {
				break
			}
			s, err := d.streamedRow()
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(s, nil) {
				return
			}
		}
		if err := d.close(); err != nil {
			yield(nil, err)
			return
		}
		d.state = inResults
		if _, err := d.run(false); err != nil {
			yield(nil, err)
		}
	}), nil
}

// run reads the document from the current state. With stream set it stops
// at the first row of "bindings" once the head is known and reports true;
// otherwise it reads to the end of the document, holding any rows.
func (d *jsonReader) run(stream bool) (bool, error) {
	for {
		switch d.state {
		case inTop:
			more, err := d.more()
			if err != nil {
				return false, err
			}
			if !more {
				if err := d.close(); err != nil {
					return false, err
				}
				if err := d.finish(); err != nil {
					return false, err
				}
				d.state = atEnd
				continue
			}
			key, err := d.key()
			if err != nil {
				return false, err
			}
			switch string(key) {
			case "head":
				if d.haveHead {
					return false, d.errorf("repeated \"head\"")
				}
				if err := d.head(); err != nil {
					return false, err
				}
			case "results":
				if d.haveResults {
					return false, d.errorf("repeated \"results\"")
				}
				if d.haveBoolean {
					return false, d.errorf("both \"boolean\" and \"results\"")
				}
				d.haveResults = true
				if err := d.open('{', "the \"results\" object"); err != nil {
					return false, err
				}
				d.state = inResults
			case "boolean":
				if d.haveBoolean {
					return false, d.errorf("repeated \"boolean\"")
				}
				if d.haveResults {
					return false, d.errorf("both \"boolean\" and \"results\"")
				}
				b, err := d.boolValue()
				if err != nil {
					return false, err
				}
				d.haveBoolean, d.boolean = true, b
			default:
				if err := d.skip(); err != nil {
					return false, err
				}
			}
		case inResults:
			more, err := d.more()
			if err != nil {
				return false, err
			}
			if !more {
				if err := d.close(); err != nil {
					return false, err
				}
				d.state = inTop
				continue
			}
			key, err := d.key()
			if err != nil {
				return false, err
			}
			if string(key) != "bindings" {
				if err := d.skip(); err != nil {
					return false, err
				}
				continue
			}
			if d.haveRows {
				return false, d.errorf("repeated \"bindings\"")
			}
			d.haveRows = true
			if err := d.open('[', "the \"bindings\" array"); err != nil {
				return false, err
			}
			d.state = inBindings
		case inBindings:
			if d.haveHead && stream {
				return true, nil
			}
			for {
				more, err := d.more()
				if err != nil {
					return false, err
				}
				if !more {
					break
				}
				row, err := d.row()
				if err != nil {
					return false, err
				}
				if len(d.early) >= maxRowsBeforeHead {
					return false, d.errorf("more than %d rows before \"head\"", maxRowsBeforeHead)
				}
				d.early = append(d.early, row)
			}
			if err := d.close(); err != nil {
				return false, err
			}
			d.state = inResults
		case atEnd:
			return false, nil
		}
	}
}

// finish checks the document as a whole once the top object is closed.
func (d *jsonReader) finish() error {
	c, err := d.peekNonSpace()
	if err == nil {
		return d.errorf("data after the top object: %q", c)
	}
	if err != io.EOF {
		return err
	}
	switch {
	case d.haveBoolean:
		return nil
	case !d.haveHead:
		return d.errorf("no \"head\"")
	case !d.haveResults:
		return d.errorf("neither \"results\" nor \"boolean\"")
	case !d.haveRows:
		return d.errorf("\"results\" has no \"bindings\"")
	}
	return nil
}

// head reads the "head" object: "vars" (and "link", which is ignored).
func (d *jsonReader) head() error {
	if err := d.open('{', "the \"head\" object"); err != nil {
		return err
	}
	d.haveHead = true
	d.index = map[string]int{}
	for {
		more, err := d.more()
		if err != nil {
			return err
		}
		if !more {
			return d.close()
		}
		key, err := d.key()
		if err != nil {
			return err
		}
		if string(key) != "vars" {
			if err := d.skip(); err != nil {
				return err
			}
			continue
		}
		if err := d.open('[', "the \"vars\" array"); err != nil {
			return err
		}
		for {
			more, err := d.more()
			if err != nil {
				return err
			}
			if !more {
				break
			}
			line, col := d.pos.line, d.pos.col+1
			v, err := d.stringValue()
			if err != nil {
				return err
			}
			if !ValidVarName(v) {
				return errAt(d.file, line, col, "bad variable name %q", v)
			}
			if _, dup := d.index[v]; dup {
				return errAt(d.file, line, col, "variable %q repeated", v)
			}
			d.index[v] = len(d.vars)
			d.vars = append(d.vars, v)
		}
		if err := d.close(); err != nil {
			return err
		}
	}
}

// streamedRow reads one binding object straight into a solution.
func (d *jsonReader) streamedRow() (Solution, error) {
	if err := d.open('{', "a binding object"); err != nil {
		return nil, err
	}
	s := make(Solution, len(d.vars))
	for {
		more, err := d.more()
		if err != nil {
			return nil, err
		}
		if !more {
			return s, d.close()
		}
		line, col := d.pos.line, d.pos.col+1
		name, err := d.key()
		if err != nil {
			return nil, err
		}
		i, ok := d.index[string(name)]
		if !ok {
			return nil, errAt(d.file, line, col, "binding of %q, which is not in head.vars", name)
		}
		if !s[i].IsZero() {
			return nil, errAt(d.file, line, col, "%q bound twice in one solution", name)
		}
		if s[i], err = d.term(); err != nil {
			return nil, err
		}
	}
}

// row reads one binding object before the head is known.
func (d *jsonReader) row() ([]jsonBinding, error) {
	if err := d.open('{', "a binding object"); err != nil {
		return nil, err
	}
	var row []jsonBinding
	for {
		more, err := d.more()
		if err != nil {
			return nil, err
		}
		if !more {
			return row, d.close()
		}
		line, col := d.pos.line, d.pos.col+1
		name, err := d.key()
		if err != nil {
			return nil, err
		}
		b := jsonBinding{name: string(name), line: line, col: col}
		if b.term, err = d.term(); err != nil {
			return nil, err
		}
		row = append(row, b)
	}
}

// solution places a row read before the head in the head's columns.
func (d *jsonReader) solution(row []jsonBinding) (Solution, error) {
	s := make(Solution, len(d.vars))
	for _, b := range row {
		i, ok := d.index[b.name]
		if !ok {
			return nil, errAt(d.file, b.line, b.col, "binding of %q, which is not in head.vars", b.name)
		}
		if !s[i].IsZero() {
			return nil, errAt(d.file, b.line, b.col, "%q bound twice in one solution", b.name)
		}
		s[i] = b.term
	}
	return s, nil
}

// term reads the JSON object of an RDF term (§3.2.2); "typed-literal" is
// the older spelling of a literal with a datatype.
func (d *jsonReader) term() (graph.Term, error) {
	line, col := d.pos.line, d.pos.col+1
	if err := d.open('{', "an RDF term object"); err != nil {
		return graph.Term{}, err
	}
	var typ, value, lang, datatype string
	var haveValue bool
	for {
		more, err := d.more()
		if err != nil {
			return graph.Term{}, err
		}
		if !more {
			break
		}
		key, err := d.key()
		if err != nil {
			return graph.Term{}, err
		}
		var dst *string
		switch string(key) {
		case "type":
			dst = &typ
		case "value":
			dst, haveValue = &value, true
		case "xml:lang":
			dst = &lang
		case "datatype":
			dst = &datatype
		default:
			if err := d.skip(); err != nil {
				return graph.Term{}, err
			}
			continue
		}
		if c, err := d.peekNonSpace(); err == nil && c != '"' {
			return graph.Term{}, d.errorf("the %q of a term is not a string (SPARQL 1.2 triple terms are not supported)", key)
		}
		if *dst, err = d.stringValue(); err != nil {
			return graph.Term{}, err
		}
	}
	if err := d.close(); err != nil {
		return graph.Term{}, err
	}
	if !haveValue {
		return graph.Term{}, errAt(d.file, line, col, "term without \"value\"")
	}
	switch typ {
	case "uri":
		return graph.IRI(value), nil
	case "bnode":
		if value == "" {
			return graph.Term{}, errAt(d.file, line, col, "blank node with an empty label")
		}
		return d.blanks.Named(value), nil
	case "literal", "typed-literal":
		t, err := makeLiteral(value, lang, datatype)
		if err != nil {
			return graph.Term{}, errAt(d.file, line, col, "%v", err)
		}
		return t, nil
	case "":
		return graph.Term{}, errAt(d.file, line, col, "term without \"type\"")
	}
	return graph.Term{}, errAt(d.file, line, col, "unknown term type %q", typ)
}

// The scanner. Every method skips the whitespace before what it reads.

func (d *jsonReader) readByte() (byte, error) {
	c, err := d.br.ReadByte()
	if err != nil {
		if err != io.EOF {
			return 0, fmt.Errorf("read JSON results %s: %w", d.file, err)
		}
		return 0, io.EOF
	}
	d.pos.byte(c)
	return c, nil
}

// peekNonSpace skips whitespace and returns the next byte without reading
// it; at the end of the input it returns io.EOF.
func (d *jsonReader) peekNonSpace() (byte, error) {
	for {
		b, err := d.br.Peek(1)
		if err != nil {
			if err != io.EOF {
				return 0, fmt.Errorf("read JSON results %s: %w", d.file, err)
			}
			return 0, io.EOF
		}
		switch b[0] {
		case ' ', '\t', '\n', '\r':
			d.br.Discard(1)
			d.pos.byte(b[0])
		default:
			return b[0], nil
		}
	}
}

// want reads the byte c.
func (d *jsonReader) want(c byte, what string) error {
	got, err := d.peekNonSpace()
	if err != nil {
		return d.eof(err)
	}
	if got != c {
		return d.errorf("want %s, got %q", what, got)
	}
	d.readByte()
	return nil
}

// maxJSONDepth caps the nesting of the objects and arrays a reader skips.
const maxJSONDepth = 10000

// open reads the start of an object or array.
func (d *jsonReader) open(c byte, what string) error {
	if len(d.nested) >= maxJSONDepth {
		return d.errorf("objects and arrays nested more than %d deep", maxJSONDepth)
	}
	if err := d.want(c, what); err != nil {
		return err
	}
	end := byte('}')
	if c == '[' {
		end = ']'
	}
	d.nested = append(d.nested, frame{end: end})
	return nil
}

// more reports whether the innermost open object or array has another
// element, reading the comma before it.
func (d *jsonReader) more() (bool, error) {
	top := &d.nested[len(d.nested)-1]
	c, err := d.peekNonSpace()
	if err != nil {
		return false, d.eof(err)
	}
	if c == top.end {
		return false, nil
	}
	if top.comma {
		if c != ',' {
			return false, d.errorf("want ',' or '%c', got %q", top.end, c)
		}
		d.readByte()
	}
	top.comma = true
	return true, nil
}

// close reads the end of the innermost open object or array.
func (d *jsonReader) close() error {
	top := d.nested[len(d.nested)-1]
	if err := d.want(top.end, fmt.Sprintf("'%c'", top.end)); err != nil {
		return err
	}
	d.nested = d.nested[:len(d.nested)-1]
	return nil
}

// eof turns the end of the input in the middle of the document into a
// syntax error; other errors pass through.
func (d *jsonReader) eof(err error) error {
	if err == io.EOF {
		return d.errorf("unexpected end of input")
	}
	return err
}

func (d *jsonReader) errorf(format string, args ...any) error {
	return errAt(d.file, d.pos.line, d.pos.col+1, format, args...)
}

// key reads an object key and its colon. The bytes are valid until the
// next read.
func (d *jsonReader) key() ([]byte, error) {
	if c, err := d.peekNonSpace(); err != nil {
		return nil, d.eof(err)
	} else if c != '"' {
		return nil, d.errorf("want an object key, got %q", c)
	}
	k, err := d.stringBytes()
	if err != nil {
		return nil, err
	}
	return k, d.want(':', "':'")
}

func (d *jsonReader) stringValue() (string, error) {
	if c, err := d.peekNonSpace(); err != nil {
		return "", d.eof(err)
	} else if c != '"' {
		return "", d.errorf("want a string, got %q", c)
	}
	b, err := d.stringBytes()
	return string(b), err
}

// stringBytes reads a JSON string (RFC 8259 §7) at the next byte, a quote,
// into the scratch buffer.
func (d *jsonReader) stringBytes() ([]byte, error) {
	line, col := d.pos.line, d.pos.col+1
	d.readByte()
	out := d.scratch[:0]
	for {
		at := d.pos // where the character, or the escape, starts
		c, err := d.readByte()
		if err != nil {
			return nil, d.eof(err)
		}
		switch {
		case c == '"':
			d.scratch = out
			if !utf8.Valid(out) {
				return nil, errAt(d.file, line, col, "string is not valid UTF-8")
			}
			return out, nil
		case c < 0x20:
			return nil, errAt(d.file, at.line, at.col+1, "control character %q in a string", c)
		case c != '\\':
			out = append(out, c)
			continue
		}
		e, err := d.readByte()
		if err != nil {
			return nil, d.eof(err)
		}
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, err := d.hex4()
			if err != nil {
				return nil, err
			}
			if utf16.IsSurrogate(r) {
				// A pair is two escapes; a lone half becomes U+FFFD, as
				// encoding/json does.
				if b, _ := d.br.Peek(2); string(b) == `\u` {
					d.readByte()
					d.readByte()
					r2, err := d.hex4()
					if err != nil {
						return nil, err
					}
					if p := utf16.DecodeRune(r, r2); p != utf8.RuneError {
						r = p
					} else {
						out = utf8.AppendRune(out, utf8.RuneError)
						r = r2
						if utf16.IsSurrogate(r) {
							r = utf8.RuneError
						}
					}
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, errAt(d.file, at.line, at.col+1, "bad escape \\%c", e)
		}
	}
}

func (d *jsonReader) hex4() (rune, error) {
	var r rune
	for range 4 {
		c, err := d.readByte()
		if err != nil {
			return 0, d.eof(err)
		}
		v, ok := hexValue(c)
		if !ok {
			return 0, d.errorf("bad hex digit %q in a \\u escape", c)
		}
		r = r<<4 | v
	}
	return r, nil
}

func (d *jsonReader) boolValue() (bool, error) {
	c, err := d.peekNonSpace()
	if err != nil {
		return false, d.eof(err)
	}
	if c != 't' && c != 'f' {
		return false, d.errorf("\"boolean\" is not true or false")
	}
	w, err := d.word()
	if err != nil {
		return false, err
	}
	return w == "true", nil
}

// word reads true, false or null.
func (d *jsonReader) word() (string, error) {
	line, col := d.pos.line, d.pos.col+1
	var buf [5]byte
	n := 0
	for n < len(buf) {
		b, err := d.br.Peek(1)
		if err != nil || b[0] < 'a' || b[0] > 'z' {
			break
		}
		buf[n], _ = d.readByte()
		n++
	}
	switch w := string(buf[:n]); w {
	case "true", "false", "null":
		return w, nil
	}
	return "", errAt(d.file, line, col, "invalid literal %q", buf[:n])
}

// number reads a JSON number (RFC 8259 §6).
func (d *jsonReader) number() error {
	line, col := d.pos.line, d.pos.col+1
	var buf []byte
	for {
		b, err := d.br.Peek(1)
		if err != nil || !(b[0] == '-' || b[0] == '+' || b[0] == '.' || b[0] == 'e' || b[0] == 'E' || (b[0] >= '0' && b[0] <= '9')) {
			break
		}
		c, _ := d.readByte()
		if buf = append(buf, c); len(buf) > 1024 {
			break
		}
	}
	if !validJSONNumber(buf) {
		return errAt(d.file, line, col, "invalid number %q", buf)
	}
	return nil
}

func validJSONNumber(s []byte) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	n := digits(string(s))
	if n == 0 || (n > 1 && s[0] == '0') {
		return false
	}
	s = s[n:]
	if len(s) > 0 && s[0] == '.' {
		m := digits(string(s[1:]))
		if m == 0 {
			return false
		}
		s = s[1+m:]
	}
	if len(s) > 0 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
			s = s[1:]
		}
		m := digits(string(s))
		if m == 0 {
			return false
		}
		s = s[m:]
	}
	return len(s) == 0
}

// skip reads and drops one value of any kind, without recursion.
func (d *jsonReader) skip() error {
	depth := len(d.nested)
	for {
		c, err := d.peekNonSpace()
		if err != nil {
			return d.eof(err)
		}
		switch {
		case c == '{' || c == '[':
			if err := d.open(c, ""); err != nil {
				return err
			}
			more, err := d.more()
			if err != nil {
				return err
			}
			if more {
				if c == '{' {
					if _, err := d.key(); err != nil {
						return err
					}
				}
				continue // to the first element
			}
			if err := d.close(); err != nil {
				return err
			}
		case c == '"':
			if _, err := d.stringBytes(); err != nil {
				return err
			}
		case c == '-' || (c >= '0' && c <= '9'):
			if err := d.number(); err != nil {
				return err
			}
		case c >= 'a' && c <= 'z':
			if _, err := d.word(); err != nil {
				return err
			}
		default:
			return d.errorf("invalid character %q looking for a value", c)
		}
		// A value ended: go on to the next element of the innermost open
		// container, or close the containers it ends.
		for len(d.nested) > depth {
			more, err := d.more()
			if err != nil {
				return err
			}
			if more {
				if d.nested[len(d.nested)-1].end == '}' {
					if _, err := d.key(); err != nil {
						return err
					}
				}
				break
			}
			if err := d.close(); err != nil {
				return err
			}
		}
		if len(d.nested) == depth {
			return nil
		}
	}
}
