package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tessera-fair/tessera/graph"
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
	return negotiateRDFAmong(accept, rdfFormats())
}

// negotiateRDFAmong is NegotiateRDF over some of the writable formats, in
// the server's order.
func negotiateRDFAmong(accept string, formats []loaders.Format) (loaders.Format, bool) {
	candidates := make([][]string, len(formats))
	for k, f := range formats {
		candidates[k] = f.MediaTypes
	}
	k, ok := results.NegotiateMediaTypes(accept, candidates)
	if !ok {
		return loaders.Format{}, false
	}
	return formats[k], true
}

// writableRDF returns the RDF syntax a graph response is written in: f,
// the one negotiated or fixed by ?format=, when it can write sample (the
// triples, or those read ahead, in the default graph; loaders.CanWrite),
// else the next syntax the Accept header allows among the others. When
// none can, or the client fixed f, it is a 406 naming the syntaxes left:
// refusing before the response starts, rather than breaking the document
// off after a 200 (RDF/XML cannot write a predicate IRI without an XML
// local name).
func writableRDF(f loaders.Format, sample []graph.Quad, opts loaders.EncodeOptions, accept string, fixed bool) (loaders.Format, error) {
	out, err := loaders.FirstWritable(f, rdfFormats(), sample, opts, func(left []loaders.Format) (loaders.Format, bool) {
		if fixed {
			return loaders.Format{}, false
		}
		return negotiateRDFAmong(accept, left)
	})
	var nw *loaders.NotWritableError
	if errors.As(err, &nw) {
		var mts []string
		for _, l := range nw.Left {
			mts = append(mts, l.MediaType())
		}
		return f, apiError(http.StatusNotAcceptable, "not_acceptable", fmt.Sprintf("%v: ask for one of %s", err, strings.Join(mts, ", ")))
	}
	return out, err
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
