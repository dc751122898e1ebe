package fdp

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/loaders/iri"
)

// IRIs and the paths they are served at.
//
// An IRI Base+rest is served at the path prefix+ToURI(rest): the URI of the
// IRI (RFC 3987 §3.1), which encodes non-ASCII characters as uppercase UTF-8
// percent-encodings and keeps every other character — reserved ones like
// "(" and existing percent-encodings like "%2F" or "%28" — as it is. Links
// are written that way (localPath), so a link names exactly its IRI.
//
// A request path may reach the same IRI in other forms: clients send
// non-ASCII characters raw or encoded, in either hex case, and many encode
// sub-delimiters they need not ("(" as "%28"). pathIRIs maps a request path
// to the IRIs it may name, and the first one the store knows is served:
//
//  1. the path as sent, unchanged (every IRI is reachable by its exact
//     characters, and ASCII IRIs are served as they always were);
//  2. its normal form (iri.NormalizePercent): unreserved characters and
//     ucschar decoded, other hex uppercased — an equivalent IRI by RFC 3986
//     §6.2.2 and RFC 3987 §5.3.2.3, so "caf%c3%a9" finds "café";
//  3. the URI of 2 (iri.ToURI), for IRIs the data writes in URI form
//     ("caf%C3%A9" found by "café");
//  4. 2 with percent-encoded sub-delimiters, ":" and "@" decoded too
//     (decodePchar): not equivalent by RFC 3986 §6.2.2.2, so tried only
//     when no exact form is known, for clients that over-encode (Python's
//     quote, Go's url.PathEscape). ":" and "@" are gen-delims but, like
//     the sub-delimiters, allowed as they are in a path segment (pchar),
//     so decoding them cannot change where the path's segments are;
//  5. the URI of 4.
//
// "/", "?", "#", "[", "]" and "%" are never decoded: "%2F" is not a path
// separator, and an IRI holding "%2F" or "%28" literally is found by 1–3
// before any IRI with "/" or "(" there. Since links keep "(" raw and "%28"
// encoded, both of two IRIs differing only there are reachable and linked.
// IRIs that differ only by equivalent encodings ("café" and "caf%C3%A9")
// are one resource to a browser, which always sends the latter; the
// earlier rule wins. Not covered: IRIs that are not valid RFC 3987 IRIs
// (a space, a stray "%"), IRIs under Base with a query ("?" starts the
// request's query), and dot segments ("/../"), which clients remove.

// RequestPath returns the path of r as the client sent it: percent-encodings
// as written and non-ASCII octets raw. r.URL.EscapedPath re-encodes the
// whole path when the client sent raw non-ASCII octets, turning an encoded
// "%2F" into "/"; RawPath keeps it, and is used whenever it still decodes
// to r.URL.Path (nothing rewrote the path since).
func RequestPath(r *http.Request) string {
	if raw := r.URL.RawPath; raw != "" {
		if p, err := url.PathUnescape(raw); err == nil && p == r.URL.Path {
			return raw
		}
	}
	return r.URL.EscapedPath()
}

// pathIRIs returns the IRIs a request path (as RequestPath gives it) may
// name, in the order they are tried (see above), without repeats and
// without strings that are not UTF-8; false when the path is not under
// Base's path.
func (s *Service) pathIRIs(path string) ([]string, bool) {
	rest, ok := s.pathRest(path)
	if !ok {
		return nil, false
	}
	return s.restIRIs(rest), true
}

// pathRest returns the part of a request path after Base's path, undoing
// the "/." localPath puts before a path starting "//"; false when the path
// is not under Base's path.
func (s *Service) pathRest(path string) (string, bool) {
	if strings.HasPrefix(path, "/.//") {
		path = path[len("/."):]
	}
	return strings.CutPrefix(path, s.prefix)
}

// restIRIs returns the IRIs Base+rest may name (see pathIRIs).
func (s *Service) restIRIs(rest string) []string {
	return CandidateIRIs(s.opts.Base, rest)
}

// CandidateIRIs returns the IRIs base+rest may name, where rest is the part
// of a request path (as RequestPath gives it) after the path of base, in
// the order they are to be tried (rules 1–5 above), without repeats and
// without strings that are not UTF-8. The Graph Store's direct
// identification (/store/...) uses it too.
func CandidateIRIs(base, rest string) []string {
	norm := iri.NormalizePercent(rest)
	lenient := decodePchar(norm)
	var out []string
	for _, r := range []string{rest, norm, iri.ToURI(norm), lenient, iri.ToURI(lenient)} {
		c := base + r
		if utf8.ValidString(c) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// pchar are the characters a path segment may hold besides unreserved ones
// and percent-encodings (RFC 3986 §3.3): sub-delimiters, ":" and "@".
const pchar = "!$&'()*+,;=:@"

// decodePchar decodes the percent-encodings of pchar characters. Other
// percent-encodings are kept, "%2F" and "%25" included.
func decodePchar(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if c, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil && strings.IndexByte(pchar, byte(c)) >= 0 {
				b.WriteByte(byte(c))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// localPath returns the path on this server of an IRI under Base, or "":
// Base's path plus the URI of the rest of the IRI (see pathIRIs). A path
// that would start with "//" — the IRI Base+"/x" — starts "/.//" instead,
// which browsers resolve to the same path but cannot read as a link to the
// host "x".
func (s *Service) localPath(v string) string {
	rest, ok := strings.CutPrefix(v, s.opts.Base)
	if !ok {
		return ""
	}
	p := s.prefix + iri.ToURI(rest)
	if strings.HasPrefix(p, "//") {
		p = "/." + p
	}
	return p
}

// hrefAttr returns the attribute href="u" for the page template. The
// template cannot write it as href="{{.}}": html/template percent-encodes
// "(", ")" and "'" in URL attributes, which changes the IRI a link names
// ("x(1)" and "x%281%29" are different IRIs, RFC 3986 §6.2.2.2) and gives
// lowercase hex. So the attribute is built here, and made as safe as the
// template would make it: u becomes a URI (iri.ToURI: no quote, space,
// "<" or ">" is left), it must be a path, query or fragment of this site
// or an http, https or mailto URL (anything else, javascript: included,
// becomes "#ZgotmplZ", as html/template writes it), and it is
// HTML-escaped inside double quotes.
func hrefAttr(u string) template.HTMLAttr {
	u = iri.ToURI(u)
	if !safeHref(u) {
		u = "#ZgotmplZ"
	}
	return template.HTMLAttr(`href="` + html.EscapeString(u) + `"`)
}

// safeHref reports whether u may be a link target (see hrefAttr).
func safeHref(u string) bool {
	switch {
	case u == "":
		return true // this page, as html/template writes href=""
	case strings.HasPrefix(u, "//"):
		return false // another host
	case strings.HasPrefix(u, "/"), strings.HasPrefix(u, "?"), strings.HasPrefix(u, "#"):
		return true
	}
	scheme, _, ok := strings.Cut(u, ":")
	if !ok {
		return false
	}
	switch strings.ToLower(scheme) {
	case "http", "https", "mailto":
		return true
	}
	return false
}
