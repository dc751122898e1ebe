package turtle

import "unicode/utf8"

// Character classes of the Turtle grammar (RDF 1.1 Turtle §6.5), shared by
// the lexer and the encoder. ASCII is looked up in a table; the rest goes
// through the range tests.

const (
	clsBase    uint8 = 1 << iota // PN_CHARS_BASE
	clsU                         // PN_CHARS_U minus PN_CHARS_BASE: '_'
	clsChars                     // PN_CHARS minus PN_CHARS_U: '-', digits
	clsLocEsc                    // may follow '\' in PN_LOCAL_ESC
	clsIRIStop                   // ends a run inside IRIREF: forbidden or '\' or '>'
	clsHex                       // HEX
)

var ascii = func() (t [utf8.RuneSelf]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= clsBase
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= clsBase
	}
	t['_'] |= clsU
	t['-'] |= clsChars
	for c := '0'; c <= '9'; c++ {
		t[c] |= clsChars | clsHex
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] |= clsHex
		t[c-'a'+'A'] |= clsHex
	}
	for _, c := range "_~.-!$&'()*+,;=/?#@%" {
		t[c] |= clsLocEsc
	}
	for c := 0; c <= 0x20; c++ {
		t[c] |= clsIRIStop
	}
	for _, c := range "<>\"{}|^`\\" {
		t[c] |= clsIRIStop
	}
	return t
}()

// isPNCharsBase reports whether r is a PN_CHARS_BASE character.
func isPNCharsBase(r rune) bool {
	if uint32(r) < utf8.RuneSelf { // also false for the -1 of invalid UTF-8
		return ascii[r]&clsBase != 0
	}
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

// isPNCharsU reports whether r is a PN_CHARS_U character.
func isPNCharsU(r rune) bool {
	if uint32(r) < utf8.RuneSelf { // also false for the -1 of invalid UTF-8
		return ascii[r]&(clsBase|clsU) != 0
	}
	return isPNCharsBase(r)
}

// isPNChars reports whether r is a PN_CHARS character.
func isPNChars(r rune) bool {
	if uint32(r) < utf8.RuneSelf { // also false for the -1 of invalid UTF-8
		return ascii[r]&(clsBase|clsU|clsChars) != 0
	}
	return r == 0xB7 || r >= 0x300 && r <= 0x36F || r == 0x203F || r == 0x2040 || isPNCharsBase(r)
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool  { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isHex(c byte) bool    { return c < utf8.RuneSelf && ascii[c]&clsHex != 0 }
func isLocEsc(c byte) bool { return c < utf8.RuneSelf && ascii[c]&clsLocEsc != 0 }

// unhex returns the value of a hex digit; the caller checked isHex.
func unhex(c byte) rune {
	switch {
	case c <= '9':
		return rune(c - '0')
	case c >= 'a':
		return rune(c-'a') + 10
	}
	return rune(c-'A') + 10
}

// forbiddenInIRI reports whether r may not appear in an IRIREF, even written
// as a UCHAR (the W3C suites reject <\u0020> and <\u003C>).
func forbiddenInIRI(r rune) bool {
	return uint32(r) < utf8.RuneSelf && ascii[r]&clsIRIStop != 0 && r != '\\'
}

// validPrefix reports whether s is a PN_PREFIX or empty, i.e. usable before
// the ':' of a prefixed name.
func validPrefix(s string) bool {
	if s == "" {
		return true
	}
	if !utf8.ValidString(s) {
		return false
	}
	for i, r := range s {
		switch {
		case i == 0:
			if !isPNCharsBase(r) {
				return false
			}
		case r == '.':
			if i == len(s)-1 {
				return false
			}
		case !isPNChars(r):
			return false
		}
	}
	return true
}

// validBlankLabel reports whether s is usable after "_:" (BLANK_NODE_LABEL).
func validBlankLabel(s string) bool {
	if s == "" || s[len(s)-1] == '.' || !utf8.ValidString(s) {
		return false
	}
	for i, r := range s {
		switch {
		case i == 0:
			if !isPNCharsU(r) && !(r >= '0' && r <= '9') {
				return false
			}
		case r != '.' && !isPNChars(r):
			return false
		}
	}
	return true
}

// validLangTag reports whether s matches LANGTAG without the '@':
// [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.
func validLangTag(s string) bool {
	if s == "" {
		return false
	}
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
