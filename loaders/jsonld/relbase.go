package jsonld

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/loaders/iri"
)

// baseTable resolves relative IRI references as RFC 3986 §5.2 requires,
// around json-gold, whose ld.Resolve goes through net/url: that removes dot
// segments from the base path even for a fragment-only reference, collapses
// empty segments ("http://ab//de//"), turns a non-hierarchical base such as
// "tag:example" into "tag:///", and percent-encodes an invalid base
// ("http://invalid/<>/") into a valid one. Resolution happens inside
// json-gold's expansion, out of our reach, so we make its results
// reversible instead:
//
//   - json-gold is given, for the document base and for every absolute @base
//     of an embedded context, a sentinel base of our own instead:
//     "tessera-baseN-i://t/~t1/~t2/.../~tD/~l?~q", hierarchical, with D
//     directory segments (at least as many as the real base has) and a
//     query, so that every relative reference net/url resolves against it
//     can be read back from the result (which segments it climbed, which
//     path, query and fragment it added);
//   - the converter maps every IRI it meets back with resolve: the
//     reference read back from the sentinel IRI, resolved with iri.Resolve
//     against the real base i.
//
// A relative @base is left to json-gold: it resolves it against a sentinel,
// and the result is again a sentinel IRI of the same base, so the two
// resolutions compose. N is chosen so that the scheme does not occur in the
// input document. A table is used by one decoder only.
type baseTable struct {
	scheme string            // "tessera-baseN-"
	reals  []string          // real base IRI of sentinel i
	depths []int             // D of sentinel i
	byIRI  map[string]string // sentinel → real base, for restore
}

const (
	sentinelAuthority = "//t"
	sentinelLeaf      = "~l"
	sentinelQuery     = "~q"
)

// newBaseTable returns a table whose sentinel scheme does not occur in data.
func newBaseTable(data []byte) *baseTable {
	n := 0
	for bytes.Contains(data, []byte("tessera-base"+strconv.Itoa(n)+"-")) {
		n++
	}
	return &baseTable{scheme: "tessera-base" + strconv.Itoa(n) + "-"}
}

// sentinel returns the sentinel base json-gold is given in place of the
// absolute IRI real.
func (t *baseTable) sentinel(real string) string {
	i := len(t.reals)
	d := max(1, dirSegments(real))
	t.reals = append(t.reals, real)
	t.depths = append(t.depths, d)
	var b strings.Builder
	b.WriteString(t.scheme)
	b.WriteString(strconv.Itoa(i))
	b.WriteString(":")
	b.WriteString(sentinelAuthority)
	for j := 1; j <= d; j++ {
		b.WriteString("/~t")
		b.WriteString(strconv.Itoa(j))
	}
	b.WriteString("/" + sentinelLeaf + "?" + sentinelQuery)
	if t.byIRI == nil {
		t.byIRI = map[string]string{}
	}
	t.byIRI[b.String()] = real
	return b.String()
}

// restore undoes the replacement of @base values in a JSON literal (a
// value of a term with @type @json), which prepareContexts cannot tell
// from a context when it holds an "@context" member.
func (t *baseTable) restore(v any) any {
	if t == nil || len(t.byIRI) == 0 {
		return v
	}
	switch x := v.(type) {
	case string:
		if real, ok := t.byIRI[x]; ok {
			return real
		}
	case []any:
		for i, e := range x {
			x[i] = t.restore(e)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = t.restore(e)
		}
	}
	return v
}

// dirSegments counts the '/' in the path of the absolute IRI s: the number
// of segments a reference can climb with "..".
func dirSegments(s string) int {
	s, _, _ = strings.Cut(s, "#")
	s, _, _ = strings.Cut(s, "?")
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[i+1:]
	}
	if rest, ok := strings.CutPrefix(s, "//"); ok {
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return 0
		}
		s = rest[i:]
	}
	return strings.Count(s, "/")
}

// resolve maps an IRI from json-gold's expansion back: a sentinel IRI
// becomes the reference it encodes resolved against the real base; any
// other string is returned as is. An IRI json-gold cannot have resolved is
// returned as "", which the converter drops.
//
// net/url removes all dot segments when it resolves, so the path of a
// sentinel IRI has none, except those a term appended to a vocabulary
// mapping (a relative @vocab): those are not resolution but concatenation
// (JSON-LD 1.1 API §4.2.2 step 6), and are kept as they are.
func (t *baseTable) resolve(s string) string {
	if t == nil || len(t.reals) == 0 || !strings.HasPrefix(s, t.scheme) {
		return s
	}
	rest := s[len(t.scheme):]
	colon := strings.IndexByte(rest, ':')
	if colon <= 0 {
		return s
	}
	i, err := strconv.Atoi(rest[:colon])
	if err != nil || i < 0 || i >= len(t.reals) {
		return s
	}
	real, d := t.reals[i], t.depths[i]
	s = rest[colon+1:]
	if !strings.HasPrefix(s, sentinelAuthority+"/") {
		// A network-path reference ("//host/path"): only the scheme is
		// the base's.
		return real[:strings.IndexByte(real, ':')+1] + s
	}
	s = s[len(sentinelAuthority):]
	path, tail := s, ""
	if j := strings.IndexAny(s, "?#"); j >= 0 {
		path, tail = s[:j], s[j:]
	}
	k := 0
	for k < d {
		seg := "/~t" + strconv.Itoa(k+1) + "/"
		if !strings.HasPrefix(path, seg) {
			break
		}
		path = path[len(seg)-1:]
		k++
	}
	path = path[1:] // the segments after the k directories of the sentinel
	var ref string
	switch {
	case k == d && path == sentinelLeaf && strings.HasPrefix(tail, "?"+sentinelQuery):
		// The base itself, perhaps with a fragment or, after a @vocab of
		// "" or "#", a term appended.
		r, err := iri.Resolve(real, "")
		if err != nil {
			return ""
		}
		return r + tail[1+len(sentinelQuery):]
	case k == d && path == sentinelLeaf && tail != "":
		// A reference starting with "?" or "#": the base's path is kept.
		ref, path, tail = tail, "", ""
	case k == d:
		ref = "./"
	default:
		// With k == 0, an absolute-path reference or one that climbs
		// above the base's root: alike, except on a base with a rootless
		// path ("tag:example"), where "/g" gives "tag:g", not "tag:/g".
		ref = strings.Repeat("../", d-k)
	}
	dir, err := iri.Resolve(real, ref)
	if err != nil {
		return ""
	}
	return dir + path + tail
}
