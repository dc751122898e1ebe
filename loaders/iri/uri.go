package iri

import (
	"strings"
	"unicode/utf8"
)

// upperHex are the hex digits percent-encodings are written with (RFC 3986
// §2.1: producers should use uppercase).
const upperHex = "0123456789ABCDEF"

// ToURI maps an IRI (or IRI reference) to a URI as RFC 3987 §3.1 does:
// every character that a URI cannot hold is percent-encoded as the octets
// of its UTF-8 form, in uppercase hex. Those are the non-ASCII characters
// and, defensively, the ASCII ones no URI allows (controls, space,
// `"<>\^{|}` and the backquote) and a '%' that does not start a
// percent-encoding. Everything else is kept byte for byte — reserved
// characters and existing percent-encodings included, whatever the case of
// their hex digits — so a URI maps to itself and an IRI's meaning is kept.
func ToURI(s string) string {
	i := 0
	for i < len(s) && uriByte(s, i) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		if uriByte(s, i) {
			b.WriteByte(s[i])
			continue
		}
		writeEscape(&b, s[i])
	}
	return b.String()
}

// uriByte reports whether s[i] may stay as it is in a URI: an unreserved
// or reserved ASCII character (RFC 3986 §2.2–2.3), or the '%' of a
// well-formed percent-encoding.
func uriByte(s string, i int) bool {
	c := s[i]
	switch {
	case unreserved(c):
		return true
	case c == '%':
		return i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
	}
	return strings.IndexByte(":/?#[]@!$&'()*+,;=", c) >= 0
}

// NormalizePercent applies the percent-encoding normalisations under which
// two IRIs are equivalent: it decodes the percent-encodings of unreserved
// ASCII characters (RFC 3986 §6.2.2.2) and the UTF-8 percent-encodings of
// characters an IRI may hold as they are, ucschar (RFC 3987 §5.3.2.3), and
// writes the hex digits of every other percent-encoding in uppercase
// (RFC 3986 §6.2.2.1). Reserved characters ("/", "(" ...) and '%' stay
// encoded — decoding them can change what an IRI names — and so do
// encodings that are not well-formed UTF-8 or that stand for characters
// outside ucschar (iprivate is left alone: it is allowed only in queries).
// A '%' that starts no percent-encoding is a literal percent sign and is
// written "%25", as ToURI writes it (else "%%341" would become "%41", and
// normalising again "A"). Other characters that are not percent-encoded
// are kept as they are. The result is idempotent.
func NormalizePercent(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c, ok := pctByte(s, i)
		if !ok {
			if s[i] == '%' {
				b.WriteString("%25")
			} else {
				b.WriteByte(s[i])
			}
			i++
			continue
		}
		switch {
		case unreserved(c):
			b.WriteByte(c)
			i += 3
			continue
		case c >= utf8.RuneSelf:
			if r, n := pctRune(s, i); n > 0 && isUcschar(r) {
				b.WriteRune(r)
				i += n
				continue
			}
		}
		writeEscape(&b, c)
		i += 3
	}
	return b.String()
}

// pctRune decodes the UTF-8 character whose octets are percent-encoded
// from s[i] on; n is the length of its encoding in s, 0 when the octets are
// not one well-formed UTF-8 character (overlong forms and surrogates
// included).
func pctRune(s string, i int) (r rune, n int) {
	var octets [utf8.UTFMax]byte
	lead, _ := pctByte(s, i)
	size := 0
	switch {
	case lead&0xE0 == 0xC0:
		size = 2
	case lead&0xF0 == 0xE0:
		size = 3
	case lead&0xF8 == 0xF0:
		size = 4
	default:
		return 0, 0
	}
	for k := range size {
		c, ok := pctByte(s, i+3*k)
		if !ok {
			return 0, 0
		}
		octets[k] = c
	}
	r, w := utf8.DecodeRune(octets[:size])
	if r == utf8.RuneError || w != size {
		return 0, 0
	}
	return r, 3 * size
}

// pctByte returns the octet a percent-encoding at s[i] stands for.
func pctByte(s string, i int) (byte, bool) {
	if i+2 >= len(s) || s[i] != '%' || !isHex(s[i+1]) || !isHex(s[i+2]) {
		return 0, false
	}
	return unhex(s[i+1])<<4 | unhex(s[i+2]), true
}

// isUcschar reports whether r is a ucschar of RFC 3987 §2.2: a non-ASCII
// character an IRI may hold unencoded anywhere (not a private-use
// character, a noncharacter or U+0080–U+009F).
func isUcschar(r rune) bool {
	switch {
	case r < 0xA0:
		return false
	case r <= 0xD7FF:
		return true
	case r < 0xF900:
		return false // surrogates and the private use area
	case r <= 0xFDCF:
		return true
	case r < 0xFDF0:
		return false // noncharacters U+FDD0–U+FDEF
	case r <= 0xFFEF:
		return true
	case r < 0x10000:
		return false
	case r < 0xF0000:
		return r&0xFFFF <= 0xFFFD // planes 1–14, less U+xFFFE and U+xFFFF
	}
	return false // planes 15 and 16: private use (iprivate)
}

// unreserved reports whether c is an unreserved character of RFC 3986
// §2.3, which a percent-encoding may always be replaced with.
func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// writeEscape writes the percent-encoding of c.
func writeEscape(b *strings.Builder, c byte) {
	b.WriteByte('%')
	b.WriteByte(upperHex[c>>4])
	b.WriteByte(upperHex[c&0xF])
}
