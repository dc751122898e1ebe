package results

import (
	"cmp"
	"mime"
	"strconv"
	"strings"
)

// Format is a SPARQL result format. The zero Format is no format.
type Format uint8

// The result formats Tessera reads and writes, in the server's order of
// preference for content negotiation.
const (
	JSON Format = iota + 1 // application/sparql-results+json
	XML                    // application/sparql-results+xml
	CSV                    // text/csv
	TSV                    // text/tab-separated-values
)

type formatInfo struct {
	name      string
	mediaType string
	aliases   []string // other media types clients send for the same format
	ext       string
	charset   bool // text/* types carry charset=utf-8 in Content-Type
	boolean   bool // can carry an ASK result
}

// formatTable is read-only.
var formatTable = [...]formatInfo{
	JSON: {"json", "application/sparql-results+json", []string{"application/json"}, ".srj", false, true},
	XML:  {"xml", "application/sparql-results+xml", []string{"application/xml", "text/xml"}, ".srx", false, true},
	CSV:  {"csv", "text/csv", nil, ".csv", true, false},
	TSV:  {"tsv", "text/tab-separated-values", nil, ".tsv", true, false},
}

// Formats returns every format, in the server's order of preference.
func Formats() []Format { return []Format{JSON, XML, CSV, TSV} }

func (f Format) info() (formatInfo, bool) {
	if f == 0 || int(f) >= len(formatTable) {
		return formatInfo{}, false
	}
	return formatTable[f], true
}

// String returns the format's short name, as used in ?format= ("json",
// "xml", "csv", "tsv").
func (f Format) String() string {
	if i, ok := f.info(); ok {
		return i.name
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// MediaType returns the format's registered media type, without parameters.
func (f Format) MediaType() string {
	i, _ := f.info()
	return i.mediaType
}

// ContentType returns the value of the Content-Type header for a response in
// the format: the media type, with charset=utf-8 for the text/* types.
func (f Format) ContentType() string {
	i, _ := f.info()
	if i.charset {
		return i.mediaType + "; charset=utf-8"
	}
	return i.mediaType
}

// CanBoolean reports whether the format can carry the boolean result of an
// ASK query: JSON and XML can; CSV and TSV are defined for SELECT results
// only (SPARQL 1.1 Query Results CSV and TSV Formats), so their writers
// refuse a boolean with ErrUnsupported.
func (f Format) CanBoolean() bool {
	i, _ := f.info()
	return i.boolean
}

// Extension returns the usual file extension, with the dot (".srj", ".srx",
// ".csv", ".tsv").
func (f Format) Extension() string {
	i, _ := f.info()
	return i.ext
}

// ParseFormat reads the value of a ?format= parameter: a short name or a
// media type (parameters such as charset are ignored), in any case.
func ParseFormat(s string) (Format, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, f := range Formats() {
		if formatTable[f].name == s {
			return f, true
		}
	}
	return FormatForMediaType(s)
}

// FormatForMediaType returns the format of a media type such as
// "application/sparql-results+json; charset=utf-8", including the common
// aliases application/json, application/xml and text/xml.
func FormatForMediaType(mt string) (Format, bool) {
	if base, _, err := mime.ParseMediaType(mt); err == nil {
		mt = base
	} else {
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	for _, f := range Formats() {
		i := formatTable[f]
		if i.mediaType == mt {
			return f, true
		}
		for _, a := range i.aliases {
			if a == mt {
				return f, true
			}
		}
	}
	return 0, false
}

// FormatForExtension returns the format of a file extension, with or without
// the dot, in any case.
func FormatForExtension(ext string) (Format, bool) {
	ext = strings.ToLower(ext)
	if !strings.HasPrefix(ext, ".") {
		ext = "." + ext
	}
	for _, f := range Formats() {
		if formatTable[f].ext == ext {
			return f, true
		}
	}
	return 0, false
}

// Negotiate picks the format of a response from the Accept header of a
// request (RFC 9110 §12.5.1). Each format takes the q-value of the most
// specific media range that matches its registered media type, or one of
// its aliases (application/json, application/xml, text/xml) named exactly; the format with
// the highest q-value above zero wins, ties going to the range that named
// it exactly rather than by wildcard, then to the range listed first, then
// to the server's order (JSON, XML, CSV, TSV). An empty header accepts
// anything and gives JSON. It reports false when no format is acceptable,
// which a server answers with 406 Not Acceptable.
func Negotiate(accept string) (Format, bool) {
	return NegotiateAmong(accept, Formats())
}

// NegotiateAmong is Negotiate over some formats only, in the server's order
// of preference: those that can carry the result at hand (for an ASK
// query, the formats that CanBoolean), so that an Accept header preferring
// one that cannot falls back to the next acceptable one.
func NegotiateAmong(accept string, formats []Format) (Format, bool) {
	candidates := make([][]string, len(formats))
	for k, f := range formats {
		if i, ok := f.info(); ok { // an invalid Format has no media type: never chosen
			candidates[k] = append([]string{i.mediaType}, i.aliases...)
		}
	}
	k, ok := NegotiateMediaTypes(accept, candidates)
	if !ok {
		return 0, false
	}
	return formats[k], true
}

// NegotiateMediaTypes is the content negotiation behind Negotiate, for any
// list of candidates in the server's order of preference, each given by its
// media types (the registered one first, then aliases, which count only
// when the header names them exactly). It returns the index of the
// candidate the Accept header prefers, by the rules Negotiate describes;
// an empty header accepts the first candidate; false means none is
// acceptable.
func NegotiateMediaTypes(accept string, candidates [][]string) (int, bool) {
	if strings.TrimSpace(accept) == "" {
		return 0, len(candidates) > 0
	}
	ranges := parseAccept(accept)
	type score struct {
		q           float64
		specificity int
		pos         int
	}
	better := func(a, b score) bool {
		return cmp.Or(cmp.Compare(a.q, b.q), cmp.Compare(a.specificity, b.specificity), cmp.Compare(b.pos, a.pos)) > 0
	}
	best, found := 0, false
	var bestScore score
	for idx, mts := range candidates {
		s, ok := score{}, false
		for k, mt := range mts {
			m, matched := matchRange(ranges, mt)
			if !matched || (k > 0 && m.specificity < 2) {
				continue // an alias counts only when named: a wildcard gets the registered type
			}
			c := score{m.q, m.specificity, m.pos}
			if !ok || better(c, s) {
				s, ok = c, true
			}
		}
		if !ok || s.q <= 0 {
			continue
		}
		if !found || better(s, bestScore) {
			best, bestScore, found = idx, s, true
		}
	}
	return best, found
}

// mediaRange is one element of an Accept header.
type mediaRange struct {
	typ, sub    string
	q           float64
	specificity int // 0 */*, 1 type/*, 2 type/subtype
	pos         int
}

func parseAccept(accept string) []mediaRange {
	var out []mediaRange
	for i, part := range strings.Split(accept, ",") {
		fields := strings.Split(part, ";")
		typ, sub, ok := strings.Cut(strings.ToLower(strings.TrimSpace(fields[0])), "/")
		if !ok || typ == "" || sub == "" || (typ == "*" && sub != "*") {
			continue
		}
		r := mediaRange{typ: typ, sub: sub, q: 1, pos: i}
		switch {
		case typ == "*":
			r.specificity = 0
		case sub == "*":
			r.specificity = 1
		default:
			r.specificity = 2
		}
		for _, p := range fields[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || q < 0 || q > 1 {
					q = 0 // a malformed weight accepts nothing rather than everything
				}
				r.q = q
				break // parameters after q are accept-extensions
			}
		}
		out = append(out, r)
	}
	return out
}

// matchRange returns the most specific range matching the media type mt.
func matchRange(ranges []mediaRange, mt string) (mediaRange, bool) {
	typ, sub, _ := strings.Cut(mt, "/")
	var best mediaRange
	found := false
	for _, r := range ranges {
		if (r.typ != "*" && r.typ != typ) || (r.sub != "*" && r.sub != sub) {
			continue
		}
		if !found || r.specificity > best.specificity {
			best, found = r, true
		}
	}
	return best, found
}
