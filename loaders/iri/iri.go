// Package iri resolves relative IRI references against a base IRI as RFC 3986
// §5.2 specifies (strict parser, remove_dot_segments), working on IRI strings
// without percent-decoding or normalising them, as RDF syntaxes require.
//
// For the web, where IRIs travel as URIs, ToURI maps an IRI to its URI
// (RFC 3987 §3.1) and NormalizePercent applies the percent-encoding
// normalisations under which two IRIs are equivalent (RFC 3986 §6.2.2,
// RFC 3987 §5.3.2.3); Resolve does neither.
//
// net/url is not used: it normalises and escapes, which changes IRIs that RDF
// must keep character for character.
package iri

import (
	"fmt"
	"strings"
)

// parts are the five components of RFC 3986 §3, with presence flags where an
// empty component differs from an absent one.
type parts struct {
	scheme       string
	authority    string
	hasAuthority bool
	path         string
	query        string
	hasQuery     bool
	fragment     string
	hasFragment  bool
}

// split breaks s into components per the regular expression of RFC 3986
// Appendix B.
func split(s string) parts {
	var p parts
	if i := strings.IndexByte(s, '#'); i >= 0 {
		p.fragment, p.hasFragment = s[i+1:], true
		s = s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		p.query, p.hasQuery = s[i+1:], true
		s = s[:i]
	}
	if i := schemeEnd(s); i > 0 {
		p.scheme = s[:i]
		s = s[i+1:]
	}
	if strings.HasPrefix(s, "//") {
		s = s[2:]
		i := strings.IndexByte(s, '/')
		if i < 0 {
			i = len(s)
		}
		p.authority, p.hasAuthority = s[:i], true
		s = s[i:]
	}
	p.path = s
	return p
}

// schemeEnd returns the index of the ':' ending a scheme at the start of s,
// or -1 when s does not start with a scheme.
func schemeEnd(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case c == ':' && i > 0:
			return i
		default:
			return -1
		}
	}
	return -1
}

// IsAbsolute reports whether s has a scheme (an absolute IRI or IRI with
// fragment).
func IsAbsolute(s string) bool { return schemeEnd(s) > 0 }

// Resolve returns ref resolved against base (RFC 3986 §5.2.2). An absolute
// ref is returned with its dot segments removed; a relative ref needs an
// absolute base.
func Resolve(base, ref string) (string, error) {
	r := split(ref)
	if r.scheme != "" {
		r.path = removeDotSegments(r.path)
		return r.String(), nil
	}
	if !IsAbsolute(base) {
		if base == "" {
			return "", fmt.Errorf("resolve %q: relative IRI without a base IRI", ref)
		}
		return "", fmt.Errorf("resolve %q: base %q is not an absolute IRI", ref, base)
	}
	b := split(base)
	var t parts
	switch {
	case r.hasAuthority:
		t.authority, t.hasAuthority = r.authority, true
		t.path = removeDotSegments(r.path)
		t.query, t.hasQuery = r.query, r.hasQuery
	case r.path == "":
		t.path = b.path
		if r.hasQuery {
			t.query, t.hasQuery = r.query, true
		} else {
			t.query, t.hasQuery = b.query, b.hasQuery
		}
		t.authority, t.hasAuthority = b.authority, b.hasAuthority
	default:
		if strings.HasPrefix(r.path, "/") {
			t.path = removeDotSegments(r.path)
		} else {
			t.path = removeDotSegments(merge(b, r.path))
		}
		t.query, t.hasQuery = r.query, r.hasQuery
		t.authority, t.hasAuthority = b.authority, b.hasAuthority
	}
	t.scheme = b.scheme
	t.fragment, t.hasFragment = r.fragment, r.hasFragment
	return t.String(), nil
}

// merge implements RFC 3986 §5.2.3.
func merge(b parts, ref string) string {
	if b.hasAuthority && b.path == "" {
		return "/" + ref
	}
	i := strings.LastIndexByte(b.path, '/')
	return b.path[:i+1] + ref
}

// removeDotSegments implements RFC 3986 §5.2.4.
func removeDotSegments(in string) string {
	if !strings.Contains(in, ".") {
		return in
	}
	var out []string // output segments, each starting with "/" except maybe the first
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "/..":
			in = "/"
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "." || in == "..":
			in = ""
		default:
			start := 0
			if in[0] == '/' {
				start = 1
			}
			i := strings.IndexByte(in[start:], '/')
			if i < 0 {
				i = len(in)
			} else {
				i += start
			}
			out = append(out, in[:i])
			in = in[i:]
		}
	}
	return strings.Join(out, "")
}

// String recomposes the components (RFC 3986 §5.3).
func (p parts) String() string {
	var b strings.Builder
	if p.scheme != "" {
		b.WriteString(p.scheme)
		b.WriteByte(':')
	}
	if p.hasAuthority {
		b.WriteString("//")
		b.WriteString(p.authority)
	}
	b.WriteString(p.path)
	if p.hasQuery {
		b.WriteByte('?')
		b.WriteString(p.query)
	}
	if p.hasFragment {
		b.WriteByte('#')
		b.WriteString(p.fragment)
	}
	return b.String()
}
