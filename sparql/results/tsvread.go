package results

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// maxTSVLine caps one line (one row) of a TSV document.
const maxTSVLine = 64 << 20

type tsvReader struct {
	br     *bufio.Reader
	file   string
	blanks *graph.BlankScope
	line   int    // number of the line in buf
	buf    []byte // the current line without its end
	vars   []string
}

func readTSV(r io.Reader, opts syntax.Options) (Set, error) {
	d := &tsvReader{br: bufio.NewReaderSize(r, 64<<10), file: opts.File, blanks: opts.BlankScope()}
	ok, err := d.readLine()
	if err != nil {
		return Set{}, err
	}
	if !ok {
		return Set{}, errAt(d.file, 1, 1, "empty document: no header line")
	}
	if len(d.buf) > 0 {
		seen := map[string]bool{}
		col := 1
		for _, field := range strings.Split(string(d.buf), "\t") {
			if len(field) < 2 || (field[0] != '?' && field[0] != '$') || !ValidVarName(field[1:]) {
				return Set{}, errAt(d.file, d.line, col, "bad variable %q in the header", field)
			}
			if seen[field[1:]] {
				return Set{}, errAt(d.file, d.line, col, "variable %q repeated", field)
			}
			seen[field[1:]] = true
			d.vars = append(d.vars, field[1:])
			col += utf8.RuneCountInString(field) + 1
		}
	}
	return Select(d.vars, func(yield func(Solution, error) bool) {
		for {
			ok, err := d.readLine()
			if err != nil {
				yield(nil, err)
				return
			}
			if !ok {
				return
			}
			s, err := d.row()
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(s, nil) {
				return
			}
		}
	}), nil
}

// readLine reads the next line into d.buf, without its LF or CRLF. It
// reports false at the end of the input.
func (d *tsvReader) readLine() (bool, error) {
	d.buf = d.buf[:0]
	for {
		chunk, err := d.br.ReadSlice('\n')
		d.buf = append(d.buf, chunk...)
		if len(d.buf) > maxTSVLine {
			return false, errAt(d.file, d.line+1, 1, "line longer than %d bytes", maxTSVLine)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == io.EOF {
			if len(d.buf) == 0 {
				return false, nil
			}
			break
		}
		if err != nil {
			return false, fmt.Errorf("read %s: %w", d.name(), err)
		}
		break
	}
	d.line++
	d.buf = bytes.TrimSuffix(d.buf, []byte{'\n'})
	d.buf = bytes.TrimSuffix(d.buf, []byte{'\r'})
	if !utf8.Valid(d.buf) {
		i := 0
		for i < len(d.buf) {
			r, n := utf8.DecodeRune(d.buf[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return false, d.errorf(i, "invalid UTF-8")
	}
	return true, nil
}

func (d *tsvReader) name() string {
	if d.file == "" {
		return "TSV results"
	}
	return d.file
}

// errorf returns a syntax error at byte offset i of the current line.
func (d *tsvReader) errorf(i int, format string, args ...any) error {
	return errAt(d.file, d.line, utf8.RuneCount(d.buf[:min(i, len(d.buf))])+1, format, args...)
}

// row parses the current line into a solution.
func (d *tsvReader) row() (Solution, error) {
	s := make(Solution, len(d.vars))
	i := 0
	for col := range s {
		if col > 0 {
			if i >= len(d.buf) || d.buf[i] != '\t' {
				return nil, d.errorf(i, "%d values for %d variables", col, len(d.vars))
			}
			i++
		}
		t, next, err := d.term(i)
		if err != nil {
			return nil, err
		}
		s[col], i = t, next
	}
	if i < len(d.buf) {
		if d.buf[i] == '\t' {
			return nil, d.errorf(i, "more values than the %d variables", len(d.vars))
		}
		return nil, d.errorf(i, "unexpected %q after a term", d.buf[i])
	}
	return s, nil
}

// term parses the term starting at byte i of the line; an empty field is
// unbound. It returns the term and the offset after it.
func (d *tsvReader) term(i int) (graph.Term, int, error) {
	b := d.buf
	if i >= len(b) || b[i] == '\t' {
		return graph.Term{}, i, nil
	}
	switch c := b[i]; {
	case c == '<':
		iri, next, err := d.iriRef(i)
		return graph.IRI(iri), next, err
	case c == '"' || c == '\'':
		lex, next, err := d.quoted(i)
		if err != nil {
			return graph.Term{}, 0, err
		}
		switch {
		case next < len(b) && b[next] == '@':
			end := next + 1
			for end < len(b) && (isAlnum(b[end]) || b[end] == '-') {
				end++
			}
			lang := string(b[next+1 : end])
			if !validLangTag(lang) {
				return graph.Term{}, 0, d.errorf(next, "bad language tag %q", lang)
			}
			return graph.LangLiteral(lex, lang), end, nil
		case next+1 < len(b) && b[next] == '^' && b[next+1] == '^':
			if next+2 >= len(b) || b[next+2] != '<' {
				return graph.Term{}, 0, d.errorf(next+2, "datatype must be an <IRI>")
			}
			dt, end, err := d.iriRef(next + 2)
			if err != nil {
				return graph.Term{}, 0, err
			}
			t, err := makeLiteral(lex, "", dt)
			if err != nil {
				return graph.Term{}, 0, d.errorf(i, "%v", err)
			}
			return t, end, nil
		}
		return graph.String(lex), next, nil
	case c == '_':
		end := fieldEnd(b, i)
		if end-i < 3 || b[i+1] != ':' || !validBlankLabel(string(b[i+2:end])) {
			return graph.Term{}, 0, d.errorf(i, "bad blank node %q", b[i:end])
		}
		return d.blanks.Named(string(b[i+2 : end])), end, nil
	default:
		end := fieldEnd(b, i)
		word := string(b[i:end])
		switch {
		case word == "true" || word == "false":
			return graph.Literal(word, graph.XSDBoolean), end, nil
		case isTurtleInteger(word):
			return graph.Literal(word, graph.XSDInteger), end, nil
		case isTurtleDecimal(word):
			return graph.Literal(word, graph.XSDDecimal), end, nil
		case isTurtleDouble(word):
			return graph.Literal(word, graph.XSDDouble), end, nil
		}
		return graph.Term{}, 0, d.errorf(i, "bad term %q", word)
	}
}

// fieldEnd returns the offset of the tab ending the field at i, or the end
// of the line.
func fieldEnd(b []byte, i int) int {
	if j := bytes.IndexByte(b[i:], '\t'); j >= 0 {
		return i + j
	}
	return len(b)
}

func isAlnum(c byte) bool {
	return (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// iriRef parses <...> at i (IRIREF of Turtle, with \u and \U escapes).
func (d *tsvReader) iriRef(i int) (string, int, error) {
	b := d.buf
	var out strings.Builder
	for j := i + 1; j < len(b); {
		c := b[j]
		switch {
		case c == '>':
			return out.String(), j + 1, nil
		case c == '\\':
			r, n, err := d.uchar(j)
			if err != nil {
				return "", 0, err
			}
			out.WriteRune(r)
			j += n
		case c <= 0x20 || c == '<' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`':
			return "", 0, d.errorf(j, "character %q not allowed in an IRI", c)
		default:
			out.WriteByte(c)
			j++
		}
	}
	return "", 0, d.errorf(i, "IRI without its closing '>'")
}

// uchar parses \uXXXX or \UXXXXXXXX at j, returning the rune and the length.
func (d *tsvReader) uchar(j int) (rune, int, error) {
	b := d.buf
	if j+1 >= len(b) || (b[j+1] != 'u' && b[j+1] != 'U') {
		return 0, 0, d.errorf(j, "bad escape in an IRI")
	}
	n := 4
	if b[j+1] == 'U' {
		n = 8
	}
	if j+2+n > len(b) {
		return 0, 0, d.errorf(j, "short \\%c escape", b[j+1])
	}
	var r rune
	for _, h := range b[j+2 : j+2+n] {
		v, ok := hexValue(h)
		if !ok {
			return 0, 0, d.errorf(j, "bad hex digit %q in an escape", h)
		}
		r = r<<4 | v
	}
	if r > utf8.MaxRune || (r >= 0xD800 && r <= 0xDFFF) {
		return 0, 0, d.errorf(j, "escape \\%c%s is not a Unicode scalar value", b[j+1], b[j+2:j+2+n])
	}
	return r, 2 + n, nil
}

func hexValue(c byte) (rune, bool) {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0'), true
	case c|0x20 >= 'a' && c|0x20 <= 'f':
		return rune(c|0x20-'a') + 10, true
	}
	return 0, false
}

// quoted parses a "..." or '...' string at i with Turtle's escapes.
func (d *tsvReader) quoted(i int) (string, int, error) {
	b := d.buf
	q := b[i]
	var out strings.Builder
	for j := i + 1; j < len(b); {
		c := b[j]
		switch c {
		case q:
			return out.String(), j + 1, nil
		case '\\':
			if j+1 >= len(b) {
				return "", 0, d.errorf(j, "escape at the end of the line")
			}
			switch e := b[j+1]; e {
			case 't':
				out.WriteByte('\t')
			case 'n':
				out.WriteByte('\n')
			case 'r':
				out.WriteByte('\r')
			case 'b':
				out.WriteByte('\b')
			case 'f':
				out.WriteByte('\f')
			case '"', '\'', '\\':
				out.WriteByte(e)
			case 'u', 'U':
				r, n, err := d.uchar(j)
				if err != nil {
					return "", 0, err
				}
				out.WriteRune(r)
				j += n
				continue
			default:
				return "", 0, d.errorf(j, "unknown escape \\%c", e)
			}
			j += 2
		default:
			out.WriteByte(c)
			j++
		}
	}
	return "", 0, d.errorf(i, "string without its closing quote")
}
