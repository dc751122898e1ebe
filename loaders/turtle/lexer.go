package turtle

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/loaders/syntax"
)

// tokKind is the kind of a Turtle/TriG token.
type tokKind uint8

const (
	tEOF       tokKind = iota
	tIRI               // IRIREF; val is the unescaped, unresolved IRI
	tPName             // PNAME_NS or PNAME_LN; val[:split] prefix, val[split:] unescaped local
	tBlank             // BLANK_NODE_LABEL; val is the label
	tAnon              // ANON: '[' WS* ']'
	tString            // any of the four string forms; val is the unescaped value
	tLangTag           // LANGTAG; val is the tag without '@' (also @prefix, @base)
	tInteger           // INTEGER; val as written
	tDecimal           // DECIMAL; val as written
	tDouble            // DOUBLE; val as written
	tName              // a bare word: a, true, false, PREFIX, BASE, GRAPH, or junk
	tDot               // .
	tSemicolon         // ;
	tComma             // ,
	tLBracket          // [
	tRBracket          // ]
	tLParen            // (
	tRParen            // )
	tLBrace            // {
	tRBrace            // }
	tCarets            // ^^
)

// token is one lexed token. val points into the lexer's scratch buffer and is
// valid until the next call of next.
type token struct {
	kind      tokKind
	line, col int
	val       []byte
	split     int
}

// describe names the token for error messages.
func (t *token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tIRI:
		return fmt.Sprintf("IRI <%s>", clip(t.val))
	case tPName:
		return fmt.Sprintf("prefixed name %s:%s", clip(t.val[:t.split]), clip(t.val[t.split:]))
	case tBlank:
		return fmt.Sprintf("blank node _:%s", clip(t.val))
	case tAnon:
		return "[]"
	case tString:
		return fmt.Sprintf("string %q", clip(t.val))
	case tLangTag:
		return fmt.Sprintf("@%s", clip(t.val))
	case tInteger, tDecimal, tDouble:
		return fmt.Sprintf("number %s", t.val)
	case tName:
		return fmt.Sprintf("%q", clip(t.val))
	}
	return fmt.Sprintf("'%s'", punct[t.kind])
}

var punct = map[tokKind]string{
	tDot: ".", tSemicolon: ";", tComma: ",", tLBracket: "[", tRBracket: "]",
	tLParen: "(", tRParen: ")", tLBrace: "{", tRBrace: "}", tCarets: "^^",
}

// clip shortens long token text in messages.
func clip(b []byte) string {
	const max = 40
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

// bufferSize is the lexer's read buffer. Tokens may be longer: they are
// assembled in a scratch buffer as they are scanned.
const bufferSize = 64 << 10

// maxTokenSize caps one token (a long string literal, an IRI) so that a
// hostile or broken input cannot make the lexer buffer without bound.
const maxTokenSize = 64 << 20

// lexer turns a byte stream into tokens. It reads through a bufio.Reader,
// scanning directly in the reader's buffer (Peek/Discard) so that most bytes
// are looked at once and copied once.
type lexer struct {
	r    *bufio.Reader
	buf  []byte // the reader's buffered bytes, from Peek; buf[pos:] is unread
	pos  int
	eof  bool  // the underlying reader reported io.EOF
	rerr error // a read error other than io.EOF

	line, col int // position of buf[pos]
	file      string

	val []byte // scratch for the current token's value

	// dots counts '.' characters consumed after a name that turned out not
	// to belong to it (`ex:a.` ends a statement); they are returned as tDot
	// tokens before anything else is read.
	dots            int
	dotLine, dotCol int
}

func newLexer(r io.Reader, file string) lexer {
	return lexer{r: bufio.NewReaderSize(r, bufferSize), line: 1, col: 1, file: file}
}

// fill makes at least n unread bytes available if the input has them and
// reports whether it did.
func (l *lexer) fill(n int) bool {
	if len(l.buf)-l.pos >= n {
		return true
	}
	if l.eof || l.rerr != nil {
		return false
	}
	if _, err := l.r.Discard(l.pos); err != nil {
		l.rerr = err
		return false
	}
	l.pos = 0
	_, err := l.r.Peek(n)
	switch err {
	case nil, bufio.ErrBufferFull:
	case io.EOF:
		l.eof = true
	default:
		l.rerr = err
	}
	l.buf, _ = l.r.Peek(l.r.Buffered())
	return len(l.buf) >= n
}

// errorf returns a syntax error at a position.
func (l *lexer) errorf(line, col int, format string, args ...any) error {
	return &syntax.Error{File: l.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// endErr is the error for input ending inside a token that started at
// line:col: the read error if there was one, else a syntax error.
func (l *lexer) endErr(line, col int, what string) error {
	if l.rerr != nil {
		return l.readErr()
	}
	return l.errorf(line, col, "unterminated %s", what)
}

func (l *lexer) readErr() error {
	name := l.file
	if name == "" {
		name = "input"
	}
	return fmt.Errorf("read %s: %w", name, l.rerr)
}

// advance moves past n bytes known to be on the current line and counts
// their code points into the column.
func (l *lexer) advance(n int) {
	run := l.buf[l.pos : l.pos+n]
	l.pos += n
	l.col += runeCount(run)
}

// runeCount counts code points by their leading bytes, so that a run cut in
// the middle of a character (at the end of the buffer) still adds up.
func runeCount(b []byte) int {
	n := len(b)
	for _, c := range b {
		if c&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// peekRune decodes the code point at pos; size is 0 at the end of input and
// r is -1 (in no character class) for invalid UTF-8.
func (l *lexer) peekRune() (rune, int) {
	if l.pos < len(l.buf) && l.buf[l.pos] < utf8.RuneSelf {
		return rune(l.buf[l.pos]), 1
	}
	l.fill(utf8.UTFMax)
	if l.pos >= len(l.buf) {
		return 0, 0
	}
	r, size := utf8.DecodeRune(l.buf[l.pos:])
	if r == utf8.RuneError && size == 1 {
		return -1, 1
	}
	return r, size
}

// skipSpace skips white space and comments.
func (l *lexer) skipSpace() {
	for {
		for l.pos < len(l.buf) {
			switch l.buf[l.pos] {
			case ' ', '\t', '\r':
				l.pos++
				l.col++
			case '\n':
				l.pos++
				l.line++
				l.col = 1
			case '#':
				l.skipComment()
			default:
				return
			}
		}
		if !l.fill(1) {
			return
		}
	}
}

// skipComment skips from '#' to the end of the line (not the newline).
func (l *lexer) skipComment() {
	for {
		i := l.pos
		for i < len(l.buf) && l.buf[i] != '\n' && l.buf[i] != '\r' {
			i++
		}
		l.advance(i - l.pos)
		if l.pos < len(l.buf) || !l.fill(1) {
			return
		}
	}
}

// next returns the next token.
func (l *lexer) next(t *token) error {
	if l.dots > 0 {
		l.dots--
		*t = token{kind: tDot, line: l.dotLine, col: l.dotCol}
		l.dotCol++
		return nil
	}
	if cap(l.val) > 1<<20 {
		l.val = nil // let a huge token's buffer go
	}
	l.skipSpace()
	t.line, t.col, t.val, t.split = l.line, l.col, nil, 0
	if !l.fill(1) {
		if l.rerr != nil {
			return l.readErr()
		}
		t.kind = tEOF
		return nil
	}
	c := l.buf[l.pos]
	switch c {
	case '<':
		t.kind = tIRI
		return l.lexIRI(t)
	case '"', '\'':
		t.kind = tString
		return l.lexString(t, c)
	case '@':
		t.kind = tLangTag
		return l.lexLangTag(t)
	case '_':
		t.kind = tBlank
		return l.lexBlank(t)
	case ':':
		t.kind = tPName
		l.val = l.val[:0]
		return l.lexLocal(t)
	case '.':
		if l.fill(2) && isDigit(l.buf[l.pos+1]) {
			return l.lexNumber(t)
		}
		l.advance(1)
		t.kind = tDot
		return nil
	case '+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return l.lexNumber(t)
	case ';':
		t.kind = tSemicolon
	case ',':
		t.kind = tComma
	case ']':
		t.kind = tRBracket
	case '(':
		t.kind = tLParen
	case ')':
		t.kind = tRParen
	case '{':
		t.kind = tLBrace
	case '}':
		t.kind = tRBrace
	case '[':
		l.advance(1)
		l.skipSpace()
		if l.fill(1) && l.buf[l.pos] == ']' {
			l.advance(1)
			t.kind = tAnon
		} else {
			t.kind = tLBracket
		}
		return nil
	case '^':
		if !l.fill(2) || l.buf[l.pos+1] != '^' {
			return l.errorf(t.line, t.col, "expected '^^'")
		}
		l.advance(2)
		t.kind = tCarets
		return nil
	default:
		r, size := l.peekRune()
		if r == 0xFEFF && t.line == 1 && t.col == 1 { // byte order mark
			l.pos += size
			return l.next(t)
		}
		if isPNCharsBase(r) {
			return l.lexName(t)
		}
		if r < 0 {
			return l.errorf(t.line, t.col, "invalid UTF-8")
		}
		return l.errorf(t.line, t.col, "unexpected character %q", r)
	}
	l.advance(1)
	return nil
}

// grow appends run to the token value, enforcing maxTokenSize.
func (l *lexer) grow(t *token, run []byte) error {
	if len(l.val)+len(run) > maxTokenSize {
		return l.errorf(t.line, t.col, "token longer than %d bytes", maxTokenSize)
	}
	l.val = append(l.val, run...)
	return nil
}

// lexIRI scans IRIREF: '<' ([^#x00-#x20<>"{}|^`\] | UCHAR)* '>'.
func (l *lexer) lexIRI(t *token) error {
	l.advance(1)
	l.val = l.val[:0]
	for {
		start := l.pos
		i := start
		for i < len(l.buf) && (l.buf[i] >= utf8.RuneSelf || ascii[l.buf[i]]&clsIRIStop == 0) {
			i++
		}
		if err := l.grow(t, l.buf[start:i]); err != nil {
			return err
		}
		l.advance(i - start)
		if l.pos == len(l.buf) {
			if !l.fill(1) {
				return l.endErr(t.line, t.col, "IRI")
			}
			continue
		}
		switch c := l.buf[l.pos]; c {
		case '>':
			l.advance(1)
			if !utf8.Valid(l.val) {
				return l.errorf(t.line, t.col, "invalid UTF-8 in IRI")
			}
			t.val = l.val
			return nil
		case '\\':
			line, col := l.line, l.col
			r, err := l.uchar()
			if err != nil {
				return err
			}
			if forbiddenInIRI(r) {
				return l.errorf(line, col, "escaped character %q is not allowed in an IRI", r)
			}
			l.val = utf8.AppendRune(l.val, r)
		default:
			return l.errorf(l.line, l.col, "character %q is not allowed in an IRI", c)
		}
	}
}

// uchar reads UCHAR at '\': \uXXXX or \UXXXXXXXX.
func (l *lexer) uchar() (rune, error) {
	line, col := l.line, l.col
	if !l.fill(2) || (l.buf[l.pos+1] != 'u' && l.buf[l.pos+1] != 'U') {
		return 0, l.errorf(line, col, "invalid escape sequence (want \\uXXXX or \\UXXXXXXXX)")
	}
	n := 4
	if l.buf[l.pos+1] == 'U' {
		n = 8
	}
	if !l.fill(2 + n) {
		return 0, l.errorf(line, col, "incomplete \\%c escape", l.buf[l.pos+1])
	}
	var r rune
	for _, c := range l.buf[l.pos+2 : l.pos+2+n] {
		if !isHex(c) {
			return 0, l.errorf(line, col, "invalid hex digit %q in \\%c escape", c, l.buf[l.pos+1])
		}
		r = r<<4 | unhex(c)
	}
	if r > utf8.MaxRune || (r >= 0xD800 && r <= 0xDFFF) {
		return 0, l.errorf(line, col, "escape \\%c%s is not a Unicode scalar value", l.buf[l.pos+1], l.buf[l.pos+2:l.pos+2+n])
	}
	l.advance(2 + n)
	return r, nil
}

// stringStop marks the bytes that end a run inside a string: quotes,
// backslash and line ends.
var stringStop = func() (t [256]bool) {
	for _, c := range "\"'\\\n\r" {
		t[c] = true
	}
	return t
}()

// lexString scans the four string forms; q is the quote character.
func (l *lexer) lexString(t *token, q byte) error {
	long := l.fill(3) && l.buf[l.pos+1] == q && l.buf[l.pos+2] == q
	if long {
		l.advance(3)
	} else {
		l.advance(1)
	}
	l.val = l.val[:0]
	for {
		start := l.pos
		i := start
		for i < len(l.buf) && !stringStop[l.buf[i]] {
			i++
		}
		if err := l.grow(t, l.buf[start:i]); err != nil {
			return err
		}
		l.advance(i - start)
		if l.pos == len(l.buf) {
			if !l.fill(1) {
				return l.endErr(t.line, t.col, "string")
			}
			continue
		}
		c := l.buf[l.pos]
		switch {
		case c == '\\':
			if err := l.echar(); err != nil {
				return err
			}
		case c == q:
			if !long {
				l.advance(1)
				return l.endString(t)
			}
			if l.fill(3) && l.buf[l.pos+1] == q && l.buf[l.pos+2] == q {
				l.advance(3)
				return l.endString(t)
			}
			l.val = append(l.val, c)
			l.advance(1)
		case c == '"' || c == '\'':
			l.val = append(l.val, c)
			l.advance(1)
		case !long:
			return l.errorf(l.line, l.col, "line break in a string (use \"\"\" for long strings)")
		case c == '\n':
			l.val = append(l.val, c)
			l.pos++
			l.line++
			l.col = 1
		default: // '\r' in a long string
			l.val = append(l.val, c)
			l.advance(1)
		}
	}
}

func (l *lexer) endString(t *token) error {
	if !utf8.Valid(l.val) {
		return l.errorf(t.line, t.col, "invalid UTF-8 in string")
	}
	t.val = l.val
	return nil
}

// echar reads ECHAR or UCHAR at '\' inside a string.
func (l *lexer) echar() error {
	if !l.fill(2) {
		return l.endErr(l.line, l.col, "escape sequence")
	}
	var c byte
	switch l.buf[l.pos+1] {
	case 't':
		c = '\t'
	case 'b':
		c = '\b'
	case 'n':
		c = '\n'
	case 'r':
		c = '\r'
	case 'f':
		c = '\f'
	case '"':
		c = '"'
	case '\'':
		c = '\''
	case '\\':
		c = '\\'
	case 'u', 'U':
		r, err := l.uchar()
		if err != nil {
			return err
		}
		l.val = utf8.AppendRune(l.val, r)
		return nil
	default:
		l.fill(1 + utf8.UTFMax)
		r, _ := utf8.DecodeRune(l.buf[l.pos+1:])
		return l.errorf(l.line, l.col, "invalid escape sequence \\%c", r)
	}
	l.val = append(l.val, c)
	l.advance(2)
	return nil
}

// lexLangTag scans '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.
func (l *lexer) lexLangTag(t *token) error {
	l.advance(1)
	l.val = l.val[:0]
	alpha := true // only letters in the first subtag
	for {
		n := 0
		for l.fill(1) {
			c := l.buf[l.pos]
			if !isAlpha(c) && (alpha || !isDigit(c)) {
				break
			}
			l.val = append(l.val, c)
			l.advance(1)
			n++
			if len(l.val) > 256 {
				return l.errorf(t.line, t.col, "language tag too long")
			}
		}
		if n == 0 {
			if alpha {
				return l.errorf(t.line, t.col, "expected a language tag or directive after '@'")
			}
			return l.errorf(t.line, t.col, "empty subtag in language tag @%s", l.val)
		}
		if !l.fill(1) || l.buf[l.pos] != '-' {
			t.val = l.val
			return nil
		}
		l.val = append(l.val, '-')
		l.advance(1)
		alpha = false
	}
}

// lexBlank scans BLANK_NODE_LABEL: '_:' (PN_CHARS_U | [0-9]) ((PN_CHARS | '.')* PN_CHARS)?
func (l *lexer) lexBlank(t *token) error {
	if !l.fill(2) || l.buf[l.pos+1] != ':' {
		return l.errorf(t.line, t.col, "expected ':' after '_' in a blank node label")
	}
	l.advance(2)
	l.val = l.val[:0]
	r, size := l.peekRune()
	if size == 0 || !(isPNCharsU(r) || r >= '0' && r <= '9') {
		return l.errorf(l.line, l.col, "invalid blank node label")
	}
	if err := l.nameChars(t, false); err != nil {
		return err
	}
	t.val = l.val
	return nil
}

// lexName scans a word starting with PN_CHARS_BASE: the prefix of a
// prefixed name, or a keyword when no ':' follows.
func (l *lexer) lexName(t *token) error {
	l.val = l.val[:0]
	if err := l.nameChars(t, false); err != nil {
		return err
	}
	if l.dots == 0 && l.fill(1) && l.buf[l.pos] == ':' {
		t.kind = tPName
		return l.lexLocal(t)
	}
	t.kind = tName
	t.val = l.val
	return nil
}

// lexLocal scans ':' and the PN_LOCAL after it; l.val holds the prefix.
func (l *lexer) lexLocal(t *token) error {
	l.advance(1)
	t.split = len(l.val)
	r, size := l.peekRune()
	if size > 0 && (isPNCharsU(r) || r == ':' || r >= '0' && r <= '9' || r == '%' || r == '\\') {
		if err := l.nameChars(t, true); err != nil {
			return err
		}
	}
	t.val = l.val
	return nil
}

// nameChars appends name characters (PN_CHARS, and '.' not at the end) to
// l.val; local also allows ':' and PLX. A run of dots followed by something
// that cannot continue the name is left as pending tDot tokens.
func (l *lexer) nameChars(t *token, local bool) error {
	for {
		// ASCII fast path.
		start := l.pos
		i := start
		for i < len(l.buf) {
			c := l.buf[i]
			if c >= utf8.RuneSelf || ascii[c]&(clsBase|clsU|clsChars) == 0 && !(local && c == ':') {
				break
			}
			i++
		}
		if err := l.grow(t, l.buf[start:i]); err != nil {
			return err
		}
		l.pos, l.col = i, l.col+i-start
		r, size := l.peekRune() // refills the buffer if the run reached its end
		switch {
		case size == 0:
			return nil
		case r < utf8.RuneSelf && r >= 0 && (ascii[r]&(clsBase|clsU|clsChars) != 0 || local && r == ':'):
			// The run stopped at the end of the buffer: scan on.
		case r >= utf8.RuneSelf && isPNChars(r):
			if err := l.grow(t, l.buf[l.pos:l.pos+size]); err != nil {
				return err
			}
			l.pos += size
			l.col++
		case r == '.':
			if !l.dotsThen(t, local) {
				return nil
			}
		case local && r == '%':
			if !l.fill(3) || !isHex(l.buf[l.pos+1]) || !isHex(l.buf[l.pos+2]) {
				return l.errorf(l.line, l.col, "'%%' in a local name must be followed by two hex digits")
			}
			if err := l.grow(t, l.buf[l.pos:l.pos+3]); err != nil {
				return err
			}
			l.advance(3)
		case local && r == '\\':
			if !l.fill(2) || !isLocEsc(l.buf[l.pos+1]) {
				return l.errorf(l.line, l.col, "invalid escape in a local name (allowed: \\ followed by one of _~.-!$&'()*+,;=/?#@%%)")
			}
			l.val = append(l.val, l.buf[l.pos+1])
			l.advance(2)
		default:
			return nil
		}
	}
}

// dotsThen consumes a run of '.' inside a name. If a name character follows,
// the dots join the name and it returns true; otherwise they become pending
// tDot tokens and it returns false.
func (l *lexer) dotsThen(t *token, local bool) bool {
	line, col := l.line, l.col
	n := 0
	for l.fill(1) && l.buf[l.pos] == '.' {
		l.advance(1)
		n++
	}
	r, size := l.peekRune()
	more := size > 0 && (isPNChars(r) || local && (r == ':' || r == '%' || r == '\\'))
	if more && len(l.val)+n <= maxTokenSize {
		l.val = append(l.val, bytes.Repeat([]byte{'.'}, n)...)
		return true
	}
	l.dots, l.dotLine, l.dotCol = n, line, col
	return false
}

// lexNumber scans INTEGER, DECIMAL or DOUBLE, keeping the lexical form.
func (l *lexer) lexNumber(t *token) error {
	l.val = l.val[:0]
	if c := l.buf[l.pos]; c == '+' || c == '-' {
		l.val = append(l.val, c)
		l.advance(1)
	}
	digits := l.digits()
	t.kind = tInteger
	mantissa := digits > 0
	if l.fill(1) && l.buf[l.pos] == '.' {
		switch {
		case l.fill(2) && isDigit(l.buf[l.pos+1]):
			l.val = append(l.val, '.')
			l.advance(1)
			l.digits()
			t.kind = tDecimal
			mantissa = true
		case digits > 0 && l.exponentAt(1):
			l.val = append(l.val, '.')
			l.advance(1)
		}
	}
	if mantissa && l.exponentAt(0) {
		l.val = append(l.val, l.buf[l.pos])
		l.advance(1)
		if c := l.buf[l.pos]; c == '+' || c == '-' {
			l.val = append(l.val, c)
			l.advance(1)
		}
		l.digits()
		t.kind = tDouble
	}
	if t.kind == tInteger && digits == 0 {
		return l.errorf(t.line, t.col, "invalid number %q", l.val)
	}
	t.val = l.val
	return nil
}

// digits appends [0-9]* and returns how many.
func (l *lexer) digits() int {
	n := 0
	for l.fill(1) && isDigit(l.buf[l.pos]) {
		l.val = append(l.val, l.buf[l.pos])
		l.advance(1)
		n++
	}
	return n
}

// exponentAt reports whether an EXPONENT, [eE] [+-]? [0-9]+, starts off
// bytes after pos.
func (l *lexer) exponentAt(off int) bool {
	if !l.fill(off+2) || l.buf[l.pos+off]|0x20 != 'e' {
		return false
	}
	c := l.buf[l.pos+off+1]
	if c == '+' || c == '-' {
		return l.fill(off+3) && isDigit(l.buf[l.pos+off+2])
	}
	return isDigit(c)
}
