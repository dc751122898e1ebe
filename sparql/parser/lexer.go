package parser

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/sparql/ast"
)

// tokKind is the kind of a lexical token (SPARQL 1.1 §19.8 terminals).
type tokKind uint8

const (
	tEOF     tokKind = iota
	tIRI             // IRIREF; text is the unescaped IRI, not yet resolved
	tPNameNS         // PNAME_NS; text is the prefix
	tPNameLN         // PNAME_LN; text is the prefix, local the unescaped local part
	tBlank           // BLANK_NODE_LABEL; text is the label
	tVar             // VAR1/VAR2; text is the name
	tLang            // LANGTAG; text is the tag
	tInteger         // INTEGER[_POSITIVE|_NEGATIVE]; text is the lexeme
	tDecimal         // DECIMAL...
	tDouble          // DOUBLE...
	tString          // STRING_LITERAL*; text is the unescaped value
	tWord            // a keyword (or `a`); text as written
	tPunct           // operators and punctuation; text is the symbol
)

func (k tokKind) String() string {
	switch k {
	case tEOF:
		return "end of input"
	case tIRI:
		return "IRI"
	case tPNameNS, tPNameLN:
		return "prefixed name"
	case tBlank:
		return "blank node"
	case tVar:
		return "variable"
	case tLang:
		return "language tag"
	case tInteger, tDecimal, tDouble:
		return "number"
	case tString:
		return "string"
	case tWord:
		return "keyword"
	}
	return "punctuation"
}

type token struct {
	kind  tokKind
	text  string
	local string
	pos   ast.Pos
	end   int // byte offset just after the token
}

// describe renders a token for "expected X, found Y" messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tPunct:
		return fmt.Sprintf("%q", t.text)
	case tWord:
		return fmt.Sprintf("%q", t.text)
	case tVar:
		return "variable ?" + t.text
	case tIRI:
		return "IRI <" + clip(t.text) + ">"
	case tPNameNS:
		return "prefixed name " + t.text + ":"
	case tPNameLN:
		return "prefixed name " + t.text + ":" + clip(t.local)
	case tBlank:
		return "blank node _:" + t.text
	case tString:
		return fmt.Sprintf("string %q", clip(t.text))
	case tLang:
		return "language tag @" + t.text
	}
	return fmt.Sprintf("%s %s", t.kind, t.text)
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// lexer splits a query string into tokens. It tracks line and column
// incrementally so that positions cost O(1) amortised per token.
type lexer struct {
	src string
	off int

	// position bookkeeping
	line      int // line of lineStart
	lineStart int // offset of the first byte of line
	scanned   int // offsets before this have been scanned for newlines
	colOff    int // an offset on the current line whose column is col
	col       int

	err *lexError
}

type lexError struct {
	pos ast.Pos
	msg string
}

func newLexer(src string) *lexer {
	return &lexer{src: src, line: 1, col: 1}
}

// position returns the line/column of byte offset off, which must not be
// smaller than any offset asked before.
func (l *lexer) position(off int) ast.Pos {
	for l.scanned < off {
		i := strings.IndexByte(l.src[l.scanned:off], '\n')
		if i < 0 {
			l.scanned = off
			break
		}
		l.line++
		l.lineStart = l.scanned + i + 1
		l.scanned = l.lineStart
	}
	if l.colOff < l.lineStart || l.colOff > off {
		l.colOff, l.col = l.lineStart, 1
	}
	l.col += utf8.RuneCountInString(l.src[l.colOff:off])
	l.colOff = off
	return ast.Pos{Offset: off, Line: l.line, Column: l.col}
}

func (l *lexer) fail(off int, format string, args ...any) token {
	if l.err == nil {
		l.err = &lexError{pos: l.position(off), msg: fmt.Sprintf(format, args...)}
	}
	l.off = len(l.src)
	return token{kind: tEOF, pos: l.err.pos, end: len(l.src)}
}

// next returns the next token; after an error it returns tEOF forever.
func (l *lexer) next() token {
	if l.err != nil {
		return token{kind: tEOF, pos: l.err.pos, end: len(l.src)}
	}
	l.skipSpace()
	start := l.off
	if start >= len(l.src) {
		return token{kind: tEOF, pos: l.position(start), end: start}
	}
	t := l.scan()
	if t.kind == tEOF && l.err != nil {
		return t
	}
	t.pos = l.position(start)
	t.end = l.off
	return t
}

func (l *lexer) skipSpace() {
	for l.off < len(l.src) {
		switch l.src[l.off] {
		case ' ', '\t', '\r', '\n':
			l.off++
		case '#':
			i := strings.IndexByte(l.src[l.off:], '\n')
			if i < 0 {
				l.off = len(l.src)
			} else {
				l.off += i + 1
			}
		default:
			return
		}
	}
}

func (l *lexer) peekByte(i int) byte {
	if l.off+i < len(l.src) {
		return l.src[l.off+i]
	}
	return 0
}

func (l *lexer) punct(n int) token {
	t := token{kind: tPunct, text: l.src[l.off : l.off+n]}
	l.off += n
	return t
}

func (l *lexer) scan() token {
	c := l.src[l.off]
	switch c {
	case '<':
		if t, ok := l.iriRef(); ok {
			return t
		}
		if l.err != nil {
			return token{kind: tEOF}
		}
		if l.peekByte(1) == '=' {
			return l.punct(2)
		}
		return l.punct(1)
	case '>', '!':
		if l.peekByte(1) == '=' {
			return l.punct(2)
		}
		return l.punct(1)
	case '&':
		if l.peekByte(1) == '&' {
			return l.punct(2)
		}
		return l.fail(l.off, "unexpected %q (did you mean &&?)", "&")
	case '|':
		if l.peekByte(1) == '|' {
			return l.punct(2)
		}
		return l.punct(1)
	case '^':
		if l.peekByte(1) == '^' {
			return l.punct(2)
		}
		return l.punct(1)
	case '{', '}', '(', ')', '[', ']', ';', ',', '*', '/', '=':
		return l.punct(1)
	case '.':
		if isDigit(l.peekByte(1)) {
			return l.number()
		}
		return l.punct(1)
	case '+', '-':
		if n := l.peekByte(1); isDigit(n) || n == '.' && isDigit(l.peekByte(2)) {
			return l.number()
		}
		return l.punct(1)
	case '?', '$':
		if l.off+1 < len(l.src) {
			r, _ := decodeRune(l.src[l.off+1:])
			if isPNCharsU(r) || r >= '0' && r <= '9' {
				return l.variable()
			}
		}
		if c == '$' {
			return l.fail(l.off, "expected a variable name after $")
		}
		return l.punct(1)
	case '"', '\'':
		return l.str(c)
	case '@':
		return l.langTag()
	case '_':
		if l.peekByte(1) == ':' {
			return l.blank()
		}
	case ':':
		return l.pname("")
	}
	if isDigit(c) {
		return l.number()
	}
	r, size := utf8.DecodeRuneInString(l.src[l.off:])
	if r == utf8.RuneError && size == 1 {
		return l.fail(l.off, "invalid UTF-8")
	}
	if isPNCharsBase(r) {
		return l.word()
	}
	return l.fail(l.off, "unexpected character %q", r)
}

// iriRef scans IRIREF at l.off ('<'). It reports false, consuming nothing,
// when the text is not an IRI (the '<' is then an operator).
func (l *lexer) iriRef() (token, bool) {
	i := l.off + 1
	var b *strings.Builder
	start := i
	for i < len(l.src) {
		c := l.src[i]
		switch {
		case c == '>':
			var s string
			if b != nil {
				b.WriteString(l.src[start:i])
				s = b.String()
			} else {
				s = l.src[start:i]
			}
			l.off = i + 1
			return token{kind: tIRI, text: s}, true
		case c <= 0x20 || c == '<' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`':
			return token{}, false
		case c == '\\':
			if i+1 >= len(l.src) || (l.src[i+1] != 'u' && l.src[i+1] != 'U') {
				return token{}, false
			}
			r, n, ok := unescapeCodepoint(l.src[i:])
			if !ok {
				l.fail(i, "bad escape sequence in IRI")
				return token{}, false
			}
			if r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r) {
				l.fail(i, "escaped character %q is not allowed in an IRI", r)
				return token{}, false
			}
			if b == nil {
				b = &strings.Builder{}
			}
			b.WriteString(l.src[start:i])
			b.WriteRune(r)
			i += n
			start = i
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(l.src[i:])
			if r == utf8.RuneError && size == 1 {
				l.fail(i, "invalid UTF-8")
				return token{}, false
			}
			i += size
		default:
			i++
		}
	}
	return token{}, false
}

// unescapeCodepoint decodes \uXXXX or \UXXXXXXXX at the start of s.
func unescapeCodepoint(s string) (rune, int, bool) {
	n := 4
	if s[1] == 'U' {
		n = 8
	}
	if len(s) < 2+n {
		return 0, 0, false
	}
	var r rune
	for i := 2; i < 2+n; i++ {
		h := unhex(s[i])
		if h < 0 {
			return 0, 0, false
		}
		r = r<<4 | h
	}
	if r > utf8.MaxRune || r >= 0xD800 && r <= 0xDFFF {
		return 0, 0, false
	}
	return r, 2 + n, true
}

func unhex(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (l *lexer) digits() int {
	n := 0
	for l.off < len(l.src) && isDigit(l.src[l.off]) {
		l.off++
		n++
	}
	return n
}

// number scans INTEGER, DECIMAL or DOUBLE, with an optional sign.
func (l *lexer) number() token {
	start := l.off
	if c := l.src[l.off]; c == '+' || c == '-' {
		l.off++
	}
	kind := tInteger
	l.digits()
	if l.peekByte(0) == '.' {
		switch n := l.peekByte(1); {
		case isDigit(n):
			l.off++
			l.digits()
			kind = tDecimal
		case (n == 'e' || n == 'E') && l.exponentAt(l.off+1):
			l.off++
		}
	}
	if c := l.peekByte(0); (c == 'e' || c == 'E') && l.exponentAt(l.off) {
		l.off++
		if c := l.peekByte(0); c == '+' || c == '-' {
			l.off++
		}
		l.digits()
		kind = tDouble
	}
	return token{kind: kind, text: l.src[start:l.off]}
}

// exponentAt reports whether an exponent [eE][+-]?[0-9]+ starts at i.
func (l *lexer) exponentAt(i int) bool {
	i++
	if i < len(l.src) && (l.src[i] == '+' || l.src[i] == '-') {
		i++
	}
	return i < len(l.src) && isDigit(l.src[i])
}

func (l *lexer) variable() token {
	l.off++
	start := l.off
	for l.off < len(l.src) {
		r, size := decodeRune(l.src[l.off:])
		if !(isPNCharsU(r) || r >= '0' && r <= '9' || r == 0xB7 || r >= 0x300 && r <= 0x36F || r == 0x203F || r == 0x2040) {
			break
		}
		l.off += size
	}
	return token{kind: tVar, text: l.src[start:l.off]}
}

func (l *lexer) blank() token {
	l.off += 2
	start := l.off
	r, size := decodeRune(l.src[l.off:])
	if !(isPNCharsU(r) || r >= '0' && r <= '9') {
		return l.fail(l.off, "expected a blank node label after _:")
	}
	l.off += size
	l.scanNameTail()
	return token{kind: tBlank, text: l.src[start:l.off]}
}

// scanNameTail consumes (PN_CHARS | '.')* not ending in '.'.
func (l *lexer) scanNameTail() {
	last := l.off
	for l.off < len(l.src) {
		r, size := decodeRune(l.src[l.off:])
		if r == '.' {
			l.off += size
			continue
		}
		if !isPNChars(r) {
			break
		}
		l.off += size
		last = l.off
	}
	l.off = last
}

func (l *lexer) langTag() token {
	l.off++
	start := l.off
	n := 0
	for l.off < len(l.src) && isAlpha(l.src[l.off]) {
		l.off++
		n++
	}
	if n == 0 {
		return l.fail(start-1, "expected a language tag after @")
	}
	for l.peekByte(0) == '-' && isAlnum(l.peekByte(1)) {
		l.off++
		for l.off < len(l.src) && isAlnum(l.src[l.off]) {
			l.off++
		}
	}
	return token{kind: tLang, text: l.src[start:l.off]}
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

// word scans a keyword or the prefix of a prefixed name.
func (l *lexer) word() token {
	start := l.off
	_, size := utf8.DecodeRuneInString(l.src[l.off:])
	l.off += size
	for l.off < len(l.src) {
		r, size := decodeRune(l.src[l.off:])
		if r != '.' && !isPNChars(r) {
			break
		}
		l.off += size
	}
	if l.peekByte(0) == ':' && l.src[l.off-1] != '.' {
		return l.pname(l.src[start:l.off])
	}
	for l.src[l.off-1] == '.' {
		l.off--
	}
	return token{kind: tWord, text: l.src[start:l.off]}
}

// pname scans from the ':' of a prefixed name whose prefix was read.
func (l *lexer) pname(prefix string) token {
	l.off++ // ':'
	start := l.off
	var b *strings.Builder
	plain := l.off
	last := l.off // end of the longest valid local name
	first := true
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == '%':
			if l.off+2 >= len(l.src) || unhex(l.src[l.off+1]) < 0 || unhex(l.src[l.off+2]) < 0 {
				return l.fail(l.off, "bad percent escape in prefixed name")
			}
			l.off += 3
		case c == '\\':
			if l.off+1 >= len(l.src) || !strings.ContainsRune("_~.-!$&'()*+,;=/?#@%", rune(l.src[l.off+1])) {
				return l.fail(l.off, "bad escape in prefixed name")
			}
			if b == nil {
				b = &strings.Builder{}
			}
			b.WriteString(l.src[plain:l.off])
			b.WriteByte(l.src[l.off+1])
			l.off += 2
			plain = l.off
		case c == '.' && !first:
			l.off++
			first = false
			continue // a local name may not end with '.'
		case c == ':':
			l.off++
		default:
			r, size := decodeRune(l.src[l.off:])
			if first && !(isPNCharsU(r) || r >= '0' && r <= '9') || !first && !isPNChars(r) {
				goto done
			}
			l.off += size
		}
		first = false
		last = l.off
	}
done:
	l.off = last
	if l.off == start {
		return token{kind: tPNameNS, text: prefix}
	}
	local := l.src[start:l.off]
	if b != nil {
		// plain <= last: an escape always moves both
		b.WriteString(l.src[plain:last])
		local = b.String()
	}
	return token{kind: tPNameLN, text: prefix, local: local}
}

// str scans a short or long string literal opened by quote q.
func (l *lexer) str(q byte) token {
	start := l.off
	long := l.peekByte(1) == q && l.peekByte(2) == q
	if long {
		l.off += 3
	} else {
		l.off++
	}
	var b *strings.Builder
	plain := l.off
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == q:
			if !long {
				s := l.finishStr(b, plain)
				l.off++
				return token{kind: tString, text: s}
			}
			if l.peekByte(1) == q && l.peekByte(2) == q {
				// up to two more quotes may belong to the content
				for l.peekByte(3) == q {
					l.off++
				}
				s := l.finishStr(b, plain)
				l.off += 3
				return token{kind: tString, text: s}
			}
			l.off++
		case c == '\\':
			if b == nil {
				b = &strings.Builder{}
			}
			b.WriteString(l.src[plain:l.off])
			if l.off+1 >= len(l.src) {
				return l.fail(l.off, "unterminated escape in string")
			}
			switch e := l.src[l.off+1]; e {
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 'f':
				b.WriteByte('\f')
			case '"', '\'', '\\':
				b.WriteByte(e)
			case 'u', 'U':
				r, n, ok := unescapeCodepoint(l.src[l.off:])
				if !ok {
					return l.fail(l.off, "bad escape sequence in string")
				}
				b.WriteRune(r)
				l.off += n
				plain = l.off
				continue
			default:
				return l.fail(l.off, "bad escape sequence \\%c in string", e)
			}
			l.off += 2
			plain = l.off
		case (c == '\n' || c == '\r') && !long:
			return l.fail(l.off, "line break in a short string (use \"\"\" for long strings)")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(l.src[l.off:])
			if r == utf8.RuneError && size == 1 {
				return l.fail(l.off, "invalid UTF-8")
			}
			l.off += size
		default:
			l.off++
		}
	}
	return l.fail(start, "unterminated string")
}

func (l *lexer) finishStr(b *strings.Builder, plain int) string {
	if b == nil {
		return l.src[plain:l.off]
	}
	b.WriteString(l.src[plain:l.off])
	return b.String()
}

// decodeRune decodes the first rune of s, returning -1 for invalid UTF-8
// (which no name class accepts, unlike utf8.RuneError).
func decodeRune(s string) (rune, int) {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size <= 1 {
		return -1, 1
	}
	return r, size
}

func isPNCharsBase(r rune) bool {
	switch {
	case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		return true
	case r < 0xC0:
		return false
	}
	return r >= 0xC0 && r <= 0xD6 || r >= 0xD8 && r <= 0xF6 || r >= 0xF8 && r <= 0x2FF ||
		r >= 0x370 && r <= 0x37D || r >= 0x37F && r <= 0x1FFF || r >= 0x200C && r <= 0x200D ||
		r >= 0x2070 && r <= 0x218F || r >= 0x2C00 && r <= 0x2FEF || r >= 0x3001 && r <= 0xD7FF ||
		r >= 0xF900 && r <= 0xFDCF || r >= 0xFDF0 && r <= 0xFFFD || r >= 0x10000 && r <= 0xEFFFF
}

func isPNCharsU(r rune) bool { return r == '_' || isPNCharsBase(r) }

func isPNChars(r rune) bool {
	return isPNCharsU(r) || r == '-' || r >= '0' && r <= '9' || r == 0xB7 ||
		r >= 0x300 && r <= 0x36F || r == 0x203F || r == 0x2040
}
