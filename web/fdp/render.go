package fdp

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/sparql/results"
)

// rdfPreference is the order among RDF syntaxes when an Accept header allows
// several equally (web.NegotiateRDF's order; this package cannot import web,
// which registers it).
var rdfPreference = [...]string{"turtle", "ntriples", "nquads", "jsonld", "rdfxml", "trig"}

// htmlTypes are the media types of the HTML view.
var htmlTypes = []string{"text/html", "application/xhtml+xml"}

// output is a negotiated representation: an RDF syntax or HTML.
type output struct {
	rdf  loaders.Format
	html bool
}

// negotiate picks the representation from ?format= (a format name, media
// type or "html") or else the Accept header (RFC 9110 §12.5.1). RDF comes
// first in the server's order, so "*/*" and an empty header give Turtle
// while a browser's "text/html, ..." gets HTML.
func negotiate(r *http.Request) (output, bool) {
	if f := r.URL.Query().Get("format"); f != "" {
		if slices.Contains(htmlTypes, f) || strings.EqualFold(f, "html") {
			return output{html: true}, true
		}
		ft, err := loaders.Lookup(f)
		if err != nil || !ft.CanEncode() {
			return output{}, false
		}
		return output{rdf: ft}, true
	}
	return negotiateAmong(r.Header.Get("Accept"), rdfSyntaxes(), true)
}

// rdfSyntaxes returns the RDF syntaxes Tessera writes, in the server's
// order.
func rdfSyntaxes() []loaders.Format {
	var formats []loaders.Format
	for _, name := range rdfPreference {
		if f, err := loaders.Lookup(name); err == nil && f.CanEncode() {
			formats = append(formats, f)
		}
	}
	return formats
}

// negotiateAmong picks from the Accept header among some RDF syntaxes (in
// the server's order) and, with html, the HTML view after them.
func negotiateAmong(accept string, formats []loaders.Format, html bool) (output, bool) {
	candidates := make([][]string, 0, len(formats)+1)
	for _, f := range formats {
		candidates = append(candidates, f.MediaTypes)
	}
	if html {
		candidates = append(candidates, htmlTypes)
	}
	k, ok := results.NegotiateMediaTypes(accept, candidates)
	if !ok {
		return output{}, false
	}
	if k == len(formats) {
		return output{html: true}, true
	}
	return output{rdf: formats[k]}, true
}

// contentType is the Content-Type of an RDF response in f.
func contentType(f loaders.Format) string {
	mt := f.MediaType()
	if strings.HasPrefix(mt, "text/") || strings.HasPrefix(mt, "application/n-") || strings.HasSuffix(mt, "trig") {
		return mt + "; charset=utf-8"
	}
	return mt
}

// notAcceptable answers 406 naming the formats on offer.
func notAcceptable(c echo.Context) error {
	return apiError(c, http.StatusNotAcceptable, "not_acceptable",
		"no acceptable representation: ask for text/turtle, application/ld+json, application/rdf+xml, application/n-triples or text/html (or ?format=turtle|jsonld|rdfxml|ntriples|html)")
}

// writeRDF streams quads (default graph) in the format f. Subjects are
// grouped so that Turtle reads well: first subj, then the rest in order.
// A syntax that cannot write the quads (RDF/XML: a predicate IRI without an
// XML local name; loaders.FirstWritable) yields, before the response
// starts, to the next RDF syntax the Accept header allows, or is a 406;
// so is a syntax fixed by ?format=.
func (s *Service) writeRDF(c echo.Context, f loaders.Format, subj graph.Term, quads []graph.Quad) error {
	r := c.Request()
	sorted := sortQuads(groupBySubject(subj, quads))
	opts := loaders.EncodeOptions{Prefixes: prefixes}
	f, err := loaders.FirstWritable(f, rdfSyntaxes(), sorted, opts, func(left []loaders.Format) (loaders.Format, bool) {
		if r.URL.Query().Get("format") != "" {
			return loaders.Format{}, false
		}
		out, ok := negotiateAmong(r.Header.Get("Accept"), left, false)
		return out.rdf, ok
	})
	var nw *loaders.NotWritableError
	if errors.As(err, &nw) {
		mts := make([]string, 0, len(nw.Left)+1)
		for _, l := range nw.Left {
			mts = append(mts, l.MediaType())
		}
		return apiError(c, http.StatusNotAcceptable, "not_acceptable", fmt.Sprintf("%v: ask for one of %s", err, strings.Join(append(mts, "text/html"), ", ")))
	}
	if err != nil {
		return fmt.Errorf("fdp: choose a syntax: %w", err)
	}
	w := c.Response()
	w.Header().Set("Content-Type", contentType(f))
	w.Header().Add("Vary", "Accept")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	bw := bufio.NewWriter(w)
	enc, err := f.NewEncoder(bw, opts)
	if err != nil {
		return fmt.Errorf("fdp: encoder for %s: %w", f.Name, err)
	}
	for _, q := range sorted {
		if err := enc.Encode(q); err != nil {
			return fmt.Errorf("fdp: write %s: %w", f.Name, err)
		}
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("fdp: write %s: %w", f.Name, err)
	}
	return bw.Flush()
}

// groupBySubject orders quads with subj's first, then by subject in order of
// first appearance, keeping each subject's triples in their order.
func groupBySubject(subj graph.Term, quads []graph.Quad) []graph.Quad {
	order := map[graph.Term]int{subj: 0}
	for _, q := range quads {
		if _, ok := order[q.S]; !ok {
			order[q.S] = len(order)
		}
	}
	out := slices.Clone(quads)
	slices.SortStableFunc(out, func(a, b graph.Quad) int { return order[a.S] - order[b.S] })
	return out
}
