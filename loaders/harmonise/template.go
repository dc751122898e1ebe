package harmonise

import (
	"fmt"
	"strings"
)

// template is a URI template of RFC 6570 level 2 restricted to what
// mappings use: literal text, {name} (simple expansion: the value is
// percent-encoded except unreserved characters) and {+name} (reserved
// expansion: reserved characters such as '/' and ':' are kept). A name may
// be a dotted path into nested JSON objects ("study.uid").
type template struct {
	src   string
	parts []tplPart
}

type tplPart struct {
	lit      string
	name     string // "" for a literal part
	reserved bool
}

// parseTemplate parses src; it fails on an unclosed or empty expression.
func parseTemplate(src string) (*template, error) {
	t := &template{src: src}
	rest := src
	for rest != "" {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			t.parts = append(t.parts, tplPart{lit: rest})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, tplPart{lit: rest[:i]})
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("template %q: unclosed {", src)
		}
		name := rest[i+1 : i+j]
		p := tplPart{}
		if strings.HasPrefix(name, "+") {
			p.reserved, name = true, name[1:]
		}
		if name == "" || strings.ContainsAny(name, "{ ") {
			return nil, fmt.Errorf("template %q: bad expression {%s}", src, rest[i+1:i+j])
		}
		p.name = name
		t.parts = append(t.parts, p)
		rest = rest[i+j+1:]
	}
	return t, nil
}

// expand fills the template with lookup; it returns the first name lookup
// does not know (ok false) so the caller can report it.
func (t *template) expand(lookup func(name string) (string, bool)) (s string, missing string, ok bool) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		v, found := lookup(p.name)
		if !found {
			return "", p.name, false
		}
		pctEncode(&b, v, p.reserved)
	}
	return b.String(), "", true
}

const upperHex = "0123456789ABCDEF"

// pctEncode writes v percent-encoded as RFC 6570 §3.2.1 says: unreserved
// characters as they are, reserved ones too when reserved is set, and every
// other byte of the UTF-8 encoding as %XX.
func pctEncode(b *strings.Builder, v string, reserved bool) {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if unreserved(c) || reserved && (strings.IndexByte(":/?#[]@!$&'()*+,;=", c) >= 0 || c == '%' && i+2 < len(v) && isHex(v[i+1]) && isHex(v[i+2])) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
}

func unreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
