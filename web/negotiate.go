package web

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/sparql/results"
)

// rdfPreference is the server's order among RDF syntaxes when an Accept
// header allows several equally: Turtle first (readable, compact), then the
// line formats, JSON-LD, RDF/XML and TriG.
var rdfPreference = [...]string{"turtle", "ntriples", "nquads", "jsonld", "rdfxml", "trig"}

// rdfFormats returns the writable RDF formats in the server's order.
func rdfFormats() []loaders.Format {
	var out []loaders.Format
	for _, name := range rdfPreference {
		if f, err := loaders.Lookup(name); err == nil && f.CanEncode() {
			out = append(out, f)
		}
	}
	return out
}

// NegotiateRDF picks the RDF syntax of a graph response from the Accept
// header (RFC 9110 §12.5.1), as results.Negotiate does for result sets: the
// highest q-value wins, ties going to the range that named the type exactly,
// then to the range listed first, then to the server's order (Turtle,
// N-Triples, N-Quads, JSON-LD, RDF/XML, TriG). An empty header gives Turtle.
// Alias media types (application/json, text/plain, application/xml) count
// only when named exactly. It reports false when nothing is acceptable.
func NegotiateRDF(accept string) (loaders.Format, bool) {
	formats := rdfFormats()
	if strings.TrimSpace(accept) == "" {
		return formats[0], true
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
	var best loaders.Format
	var bestScore score
	found := false
	for _, f := range formats {
		var s score
		ok := false
		for k, mt := range f.MediaTypes {
			m, matched := matchRange(ranges, mt)
			if !matched || (k > 0 && m.specificity < 2) {
				continue
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
			best, bestScore, found = f, s, true
		}
	}
	return best, found
}

// lookupRDF reads a ?format= value naming a writable RDF syntax.
func lookupRDF(name string) (loaders.Format, bool) {
	f, err := loaders.Lookup(name)
	if err != nil || !f.CanEncode() {
		return loaders.Format{}, false
	}
	return f, true
}

// rdfContentType is the Content-Type of a response in f: text/* types and
// the JSON-based ones carry charset=utf-8 (the Graph Store tests expect
// "text/turtle; charset=utf-8").
func rdfContentType(f loaders.Format) string {
	mt := f.MediaType()
	if strings.HasPrefix(mt, "text/") || strings.HasPrefix(mt, "application/n-") || strings.HasSuffix(mt, "trig") {
		return mt + "; charset=utf-8"
	}
	return mt
}

// Output is the format of a query response: a result format for SELECT and
// ASK, an RDF syntax for CONSTRUCT and DESCRIBE. Exactly one is set.
type Output struct {
	Results results.Format
	RDF     loaders.Format
}

// ContentType is the value of the response's Content-Type header.
func (o Output) ContentType() string {
	if o.Results != 0 {
		return o.Results.ContentType()
	}
	return rdfContentType(o.RDF)
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
		r := mediaRange{typ: typ, sub: sub, q: 1, pos: i, specificity: 2}
		switch {
		case typ == "*":
			r.specificity = 0
		case sub == "*":
			r.specificity = 1
		}
		for _, p := range fields[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || q < 0 || q > 1 {
					q = 0
				}
				r.q = q
				break
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
