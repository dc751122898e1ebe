package ntriples

import "unicode/utf8"

// Byte classes for the ASCII part of the grammar; bytes >= 0x80 start UTF-8
// sequences and are decoded separately. The tables are never written after
// package initialisation.
var (
	// iriChar: ASCII allowed as is in IRIREF ([^#x00-#x20<>"{}|^`\]).
	iriChar = asciiTable(func(b byte) bool {
		return b > 0x20 && b != '<' && b != '>' && b != '"' && b != '{' && b != '}' &&
			b != '|' && b != '^' && b != '`' && b != '\\'
	})
	// strChar: ASCII allowed as is in STRING_LITERAL_QUOTE ([^#x22#x5C#xA#xD]).
	strChar = asciiTable(func(b byte) bool { return b != '"' && b != '\\' && b != '\n' && b != '\r' })
	// labelChar: ASCII PN_CHARS (letters, digits, '_', '-'). '.' is handled
	// apart because it may not end a label.
	labelChar = asciiTable(func(b byte) bool { return isAlpha(b) || isDigit(b) || b == '_' || b == '-' })
)

func asciiTable(in func(byte) bool) (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = in(byte(c))
	}
	return t
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// unhex returns the value of a hexadecimal digit, or -1.
func unhex(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// isPNCharsBase reports whether r is a PN_CHARS_BASE character.
func isPNCharsBase(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return isAlpha(byte(r))
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

// isPNChars reports whether r is a PN_CHARS character (without ':', which
// the N-Triples grammar lists but the W3C tests reject).
func isPNChars(r rune) bool {
	if r < utf8.RuneSelf {
		return labelChar[r]
	}
	return isPNCharsBase(r) || r == 0xB7 || r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}

// isLabelStart reports whether r may start a blank node label
// (PN_CHARS_U | [0-9]).
func isLabelStart(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || isPNCharsBase(r)
}

// hasScheme reports whether b starts with an RFC 3986 scheme and ':'
// (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"), i.e. is an absolute IRI.
// It is iri.IsAbsolute for byte slices too, so the hot path need not
// allocate.
func hasScheme[T string | []byte](b T) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case isAlpha(c):
		case i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.'):
		case c == ':' && i > 0:
			return true
		default:
			return false
		}
	}
	return false
}

// validLabel reports whether s is a valid BLANK_NODE_LABEL without "_:".
func validLabel(s string) bool {
	if s == "" || s[len(s)-1] == '.' {
		return false
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError && len(s[i:]) > 0 && !validRuneAt(s, i):
			return false
		case i == 0:
			if !isLabelStart(r) {
				return false
			}
		case r != '.' && !isPNChars(r):
			return false
		}
	}
	return true
}

// validRuneAt reports whether the RuneError at s[i] was really U+FFFD.
func validRuneAt(s string, i int) bool {
	_, n := utf8.DecodeRuneInString(s[i:])
	return n == 3
}

// validLang reports whether s is a LANGTAG without '@':
// [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.
func validLang(s string) bool {
	i := 0
	for i < len(s) && isAlpha(s[i]) {
		i++
	}
	if i == 0 {
		return false
	}
	for i < len(s) {
		if s[i] != '-' {
			return false
		}
		i++
		j := i
		for i < len(s) && (isAlpha(s[i]) || isDigit(s[i])) {
			i++
		}
		if i == j {
			return false
		}
	}
	return true
}
