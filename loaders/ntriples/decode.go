package ntriples

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// maxCache bounds each per-decoder cache (interned IRIs, language tags,
// blank nodes). A full cache is emptied and refilled, so memory stays
// constant and the cache adapts to what the input repeats now.
const maxCache = 4096

// Decoder reads N-Triples or N-Quads statements one at a time from a stream.
// It is not safe for concurrent use.
type Decoder struct {
	lr     lineReader
	quads  bool
	file   string
	blanks *graph.BlankScope
	line   int   // number of the line being parsed, from 1
	err    error // sticky: io.EOF, a *syntax.Error or a read error

	scratch []byte                // unescaped value of the term being read
	iris    map[string]string     // predicate, datatype and graph IRIs by their raw token
	langs   map[string]string     // lower-case language tags by their raw token
	nodes   map[string]graph.Term // blank nodes by document label
	subjRaw []byte                // raw token of the last IRI subject
	subj    graph.Term            // and its term
}

var _ syntax.Decoder = (*Decoder)(nil)

// NewDecoder returns a decoder of RDF 1.1 N-Triples: every quad it returns is
// in the default graph, and a fourth term on a line is an error.
func NewDecoder(r io.Reader, opts syntax.Options) *Decoder {
	return newDecoder(r, opts, false)
}

// NewQuadDecoder returns a decoder of RDF 1.1 N-Quads: a statement may name
// its graph with an IRI or a blank node after the object.
func NewQuadDecoder(r io.Reader, opts syntax.Options) *Decoder {
	return newDecoder(r, opts, true)
}

func newDecoder(r io.Reader, opts syntax.Options, quads bool) *Decoder {
	return &Decoder{
		lr:     newLineReader(r),
		quads:  quads,
		file:   opts.File,
		blanks: opts.BlankScope(),
		iris:   make(map[string]string),
		langs:  make(map[string]string),
		nodes:  make(map[string]graph.Term),
	}
}

// utf8BOM is skipped at the very start of the input.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Next returns the next statement. At the end of the input it returns
// io.EOF. Bad input gives a *syntax.Error; a failing reader gives its error
// wrapped. Every error is final: later calls return it again.
func (d *Decoder) Next() (graph.Quad, error) {
	if d.err != nil {
		return graph.Quad{}, d.err
	}
	for {
		line, err := d.lr.next()
		if err != nil {
			d.err = d.readError(err)
			return graph.Quad{}, d.err
		}
		d.line++
		if d.line == 1 {
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		q, ok, err := d.statement(line)
		if err != nil {
			d.err = err
			return graph.Quad{}, err
		}
		if ok {
			return q, nil
		}
	}
}

func (d *Decoder) readError(err error) error {
	switch {
	case err == io.EOF:
		return io.EOF
	case errors.Is(err, errLineTooLong):
		return &syntax.Error{File: d.file, Line: d.line + 1, Column: 1,
			Msg: fmt.Sprintf("line longer than %d MiB", MaxLineBytes>>20)}
	}
	name := d.file
	if name == "" {
		name = "input"
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// statement parses one line: blank, a comment, or a statement with an
// optional trailing comment. ok is false when the line holds no statement.
func (d *Decoder) statement(line []byte) (q graph.Quad, ok bool, err error) {
	i := skipSpace(line, 0)
	if i == len(line) || line[i] == '#' {
		return q, false, nil
	}
	if q.S, i, err = d.subject(line, i); err != nil {
		return q, false, err
	}
	i = skipSpace(line, i)
	if i == len(line) || line[i] != '<' {
		return q, false, d.expected(line, i, "predicate IRI")
	}
	if q.P, i, err = d.internedIRI(line, i); err != nil {
		return q, false, err
	}
	i = skipSpace(line, i)
	if q.O, i, err = d.object(line, i); err != nil {
		return q, false, err
	}
	i = skipSpace(line, i)
	q.G = graph.DefaultGraph
	if i < len(line) && (line[i] == '<' || line[i] == '_') {
		if !d.quads {
			return q, false, d.errorAt(line, i, "unexpected fourth term: N-Triples statements have no graph label (use N-Quads)")
		}
		if line[i] == '<' {
			q.G, i, err = d.internedIRI(line, i)
		} else {
			q.G, i, err = d.blank(line, i)
		}
		if err != nil {
			return q, false, err
		}
		i = skipSpace(line, i)
	}
	if i == len(line) || line[i] != '.' {
		if d.quads && q.G.IsDefaultGraph() {
			return q, false, d.expected(line, i, "graph label (IRI or blank node) or '.'")
		}
		return q, false, d.expected(line, i, "'.'")
	}
	i = skipSpace(line, i+1)
	if i < len(line) && line[i] != '#' {
		return q, false, d.errorAt(line, i, "unexpected %s after '.': one statement per line", describe(line, i))
	}
	return q, true, nil
}

func skipSpace(line []byte, i int) int {
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return i
}

// subject reads an IRI or a blank node. An IRI subject equal to the previous
// one is returned without validating or allocating it again.
func (d *Decoder) subject(line []byte, i int) (graph.Term, int, error) {
	switch line[i] {
	case '<':
		if n := len(d.subjRaw); n > 0 && len(line)-i >= n && bytes.Equal(line[i:i+n], d.subjRaw) {
			return d.subj, i + n, nil
		}
		v, j, err := d.iri(line, i)
		if err != nil {
			return graph.Term{}, 0, err
		}
		d.subjRaw = append(d.subjRaw[:0], line[i:j]...)
		d.subj = graph.IRI(v)
		return d.subj, j, nil
	case '_':
		return d.blank(line, i)
	}
	return graph.Term{}, 0, d.expected(line, i, "subject (IRI or blank node)")
}

// object reads an IRI, a blank node or a literal.
func (d *Decoder) object(line []byte, i int) (graph.Term, int, error) {
	if i < len(line) {
		switch line[i] {
		case '<':
			v, j, err := d.iri(line, i)
			return graph.IRI(v), j, err
		case '_':
			return d.blank(line, i)
		case '"':
			return d.literal(line, i)
		}
	}
	return graph.Term{}, 0, d.expected(line, i, "object (IRI, blank node or literal)")
}

// internedIRI reads an IRIREF whose value is likely to repeat (predicates,
// graph names) through the decoder's IRI cache.
func (d *Decoder) internedIRI(line []byte, i int) (graph.Term, int, error) {
	v, j, err := d.internedIRIValue(line, i)
	return graph.IRI(v), j, err
}

// internedIRIValue reads an IRIREF at line[i] == '<' and returns its value.
// A token seen before is found by its raw bytes and neither validated nor
// allocated again: only valid tokens enter the cache.
func (d *Decoder) internedIRIValue(line []byte, i int) (string, int, error) {
	if end := bytes.IndexByte(line[i+1:], '>'); end >= 0 {
		if v, ok := d.iris[string(line[i+1:i+1+end])]; ok {
			return v, i + end + 2, nil
		}
	}
	v, j, err := d.iri(line, i)
	if err != nil {
		return "", 0, err
	}
	if len(d.iris) >= maxCache {
		clear(d.iris)
	}
	if raw := line[i+1 : j-1]; len(raw) == len(v) {
		d.iris[v] = v // no escapes: the raw token is the value
	} else {
		d.iris[string(raw)] = v
	}
	return v, j, nil
}

// iri reads an IRIREF at line[i] == '<' and returns its (unescaped,
// absolute) value and the index after the closing '>'.
func (d *Decoder) iri(line []byte, i int) (string, int, error) {
	esc := false
	from := i + 1 // start of the bytes not yet copied to scratch (when esc)
	j := i + 1
	for j < len(line) {
		c := line[j]
		if c < utf8.RuneSelf && iriChar[c] {
			j++
			continue
		}
		switch {
		case c == '>':
			val := line[i+1 : j]
			if esc {
				d.scratch = append(d.scratch, line[from:j]...)
				val = d.scratch
			}
			if !hasScheme(val) {
				return "", 0, d.errorAt(line, i, "relative IRI <%s> not allowed: IRIs must be absolute", clip(line[i+1:j]))
			}
			return string(val), j + 1, nil
		case c == '\\':
			if !esc {
				esc = true
				d.scratch = d.scratch[:0]
			}
			d.scratch = append(d.scratch, line[from:j]...)
			r, n, err := d.uchar(line, j, "in IRI: only \\uXXXX and \\UXXXXXXXX are allowed")
			if err != nil {
				return "", 0, err
			}
			d.scratch = utf8.AppendRune(d.scratch, r)
			j += n
			from = j
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(line[j:])
			if r == utf8.RuneError && n == 1 {
				return "", 0, d.errorAt(line, j, "invalid UTF-8 in IRI")
			}
			j += n
		default:
			return "", 0, d.errorAt(line, j, "character %s not allowed in IRI", describe(line, j))
		}
	}
	return "", 0, d.errorAt(line, j, "unterminated IRI: missing '>'")
}

// literal reads a string literal at line[i] == '"' with its optional
// language tag or datatype.
func (d *Decoder) literal(line []byte, i int) (graph.Term, int, error) {
	lex, end, err := d.str(line, i)
	if err != nil {
		return graph.Term{}, 0, err
	}
	j := skipSpace(line, end)
	if j < len(line) {
		switch line[j] {
		case '@':
			lang, k, err := d.lang(line, j)
			if err != nil {
				return graph.Term{}, 0, err
			}
			return graph.LangLiteral(lex, lang), k, nil
		case '^':
			if j+1 == len(line) || line[j+1] != '^' {
				return graph.Term{}, 0, d.expected(line, j+1, "'^' (datatype '^^')")
			}
			k := skipSpace(line, j+2)
			if k == len(line) || line[k] != '<' {
				return graph.Term{}, 0, d.expected(line, k, "datatype IRI")
			}
			dt, k2, err := d.internedIRIValue(line, k)
			if err != nil {
				return graph.Term{}, 0, err
			}
			if dt == graph.RDFLangString {
				return graph.Term{}, 0, d.errorAt(line, k, "a literal typed rdf:langString needs a language tag")
			}
			return graph.Literal(lex, dt), k2, nil
		}
	}
	return graph.String(lex), end, nil
}

// str reads a STRING_LITERAL_QUOTE at line[i] == '"' and returns its
// unescaped value and the index after the closing quote.
func (d *Decoder) str(line []byte, i int) (string, int, error) {
	esc := false
	from := i + 1
	j := i + 1
	for j < len(line) {
		c := line[j]
		if c < utf8.RuneSelf && strChar[c] {
			j++
			continue
		}
		switch {
		case c == '"':
			if esc {
				d.scratch = append(d.scratch, line[from:j]...)
				return string(d.scratch), j + 1, nil
			}
			return string(line[i+1 : j]), j + 1, nil
		case c == '\\':
			if !esc {
				esc = true
				d.scratch = d.scratch[:0]
			}
			d.scratch = append(d.scratch, line[from:j]...)
			if e := echar(line, j+1); e != 0 {
				d.scratch = append(d.scratch, e)
				j += 2
			} else {
				r, n, err := d.uchar(line, j, "in string")
				if err != nil {
					return "", 0, err
				}
				d.scratch = utf8.AppendRune(d.scratch, r)
				j += n
			}
			from = j
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(line[j:])
			if r == utf8.RuneError && n == 1 {
				return "", 0, d.errorAt(line, j, "invalid UTF-8 in string")
			}
			j += n
		default: // a raw CR or LF cannot occur: they end the line
			return "", 0, d.errorAt(line, j, "character %s not allowed in string", describe(line, j))
		}
	}
	return "", 0, d.errorAt(line, j, "unterminated string: missing '\"'")
}

// echar returns the character an ECHAR escape letter at line[j] stands for,
// or 0 when line[j] is not one.
func echar(line []byte, j int) byte {
	if j >= len(line) {
		return 0
	}
	switch line[j] {
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 'f':
		return '\f'
	case '"', '\'', '\\':
		return line[j]
	}
	return 0
}

// uchar decodes a \uXXXX or \UXXXXXXXX escape at line[j] == '\\' and returns
// the code point and the escape's length. where completes the message for
// other escapes.
func (d *Decoder) uchar(line []byte, j int, where string) (rune, int, error) {
	if j+1 == len(line) {
		return 0, 0, d.errorAt(line, j, "unfinished escape sequence at end of line")
	}
	var n int
	switch line[j+1] {
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		r, _ := utf8.DecodeRune(line[j+1:])
		return 0, 0, d.errorAt(line, j, "invalid escape '\\%c' %s", r, where)
	}
	var v uint32
	for k := j + 2; k < j+2+n; k++ {
		if k == len(line) {
			return 0, 0, d.errorAt(line, k, "incomplete \\%c escape: want %d hex digits", line[j+1], n)
		}
		h := unhex(line[k])
		if h < 0 {
			return 0, 0, d.errorAt(line, k, "invalid hex digit %s in \\%c escape", describe(line, k), line[j+1])
		}
		v = v<<4 | uint32(h)
	}
	if v > utf8.MaxRune || v >= 0xD800 && v <= 0xDFFF {
		return 0, 0, d.errorAt(line, j, "escape \\%c%0*X is not a Unicode scalar value", line[j+1], n, v)
	}
	return rune(v), n + 2, nil
}

// lang reads a LANGTAG at line[j] == '@' and returns it in lower case.
func (d *Decoder) lang(line []byte, j int) (string, int, error) {
	k := j + 1
	for k < len(line) && isAlpha(line[k]) {
		k++
	}
	if k == j+1 {
		return "", 0, d.errorAt(line, k, "invalid language tag: expected a letter, found %s", describe(line, k))
	}
	for k < len(line) && line[k] == '-' {
		k++
		start := k
		for k < len(line) && (isAlpha(line[k]) || isDigit(line[k])) {
			k++
		}
		if k == start {
			return "", 0, d.errorAt(line, k, "invalid language tag: expected a letter or digit after '-', found %s", describe(line, k))
		}
	}
	raw := line[j+1 : k]
	if v, ok := d.langs[string(raw)]; ok {
		return v, k, nil
	}
	if len(d.langs) >= maxCache {
		clear(d.langs)
	}
	v := strings.ToLower(string(raw))
	d.langs[string(raw)] = v
	return v, k, nil
}

// blank reads a BLANK_NODE_LABEL at line[i] == '_' and returns the scope's
// node for it.
func (d *Decoder) blank(line []byte, i int) (graph.Term, int, error) {
	if i+1 == len(line) || line[i+1] != ':' {
		return graph.Term{}, 0, d.expected(line, i+1, "':' after '_' (blank node label)")
	}
	start := i + 2
	if start == len(line) {
		return graph.Term{}, 0, d.errorAt(line, start, "empty blank node label")
	}
	r, n := rune(line[start]), 1
	if r >= utf8.RuneSelf {
		r, n = utf8.DecodeRune(line[start:])
		if r == utf8.RuneError && n == 1 {
			return graph.Term{}, 0, d.errorAt(line, start, "invalid UTF-8 in blank node label")
		}
	}
	if !isLabelStart(r) {
		return graph.Term{}, 0, d.errorAt(line, start, "blank node label cannot start with %s", describe(line, start))
	}
	k := start + n
	for k < len(line) {
		c := line[k]
		if c < utf8.RuneSelf {
			if labelChar[c] || c == '.' {
				k++
				continue
			}
			break
		}
		r, n := utf8.DecodeRune(line[k:])
		if r == utf8.RuneError && n == 1 {
			return graph.Term{}, 0, d.errorAt(line, k, "invalid UTF-8 in blank node label")
		}
		if !isPNChars(r) {
			break
		}
		k += n
	}
	for line[k-1] == '.' { // a label may not end with '.': it ends the statement
		k--
	}
	if k < len(line) && line[k] == ':' {
		return graph.Term{}, 0, d.errorAt(line, k, "':' not allowed in blank node label")
	}
	label := line[start:k]
	if t, ok := d.nodes[string(label)]; ok {
		return t, k, nil
	}
	if len(d.nodes) >= maxCache {
		clear(d.nodes)
	}
	t := d.blanks.Named(string(label))
	d.nodes[string(label)] = t
	return t, k, nil
}

// expected returns the error for a missing token at line[i].
func (d *Decoder) expected(line []byte, i int, what string) error {
	return d.errorAt(line, i, "expected %s, found %s", what, describe(line, i))
}

// errorAt returns a *syntax.Error at byte offset i of the current line.
func (d *Decoder) errorAt(line []byte, i int, format string, args ...any) error {
	i = min(i, len(line))
	return &syntax.Error{
		File:   d.file,
		Line:   d.line,
		Column: utf8.RuneCount(line[:i]) + 1,
		Msg:    fmt.Sprintf(format, args...),
	}
}

// describe names the character at line[i] for an error message.
func describe(line []byte, i int) string {
	if i >= len(line) {
		return "end of line"
	}
	r, n := utf8.DecodeRune(line[i:])
	if r == utf8.RuneError && n == 1 {
		return fmt.Sprintf("byte 0x%02X (invalid UTF-8)", line[i])
	}
	return fmt.Sprintf("%q", r)
}

// clip shortens a token quoted in an error message.
func clip(b []byte) string {
	const limit = 60
	if utf8.RuneCount(b) <= limit {
		return string(b)
	}
	n := 0
	for i := range string(b) {
		if n == limit {
			return string(b[:i]) + "…"
		}
		n++
	}
	return string(b)
}
