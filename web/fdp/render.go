package fdp

import (
	"bufio"
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
	var formats []loaders.Format
	var candidates [][]string
	for _, name := range rdfPreference {
		if f, err := loaders.Lookup(name); err == nil && f.CanEncode() {
			formats = append(formats, f)
			candidates = append(candidates, f.MediaTypes)
		}
	}
	candidates = append(candidates, htmlTypes)
	k, ok := results.NegotiateMediaTypes(r.Header.Get("Accept"), candidates)
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
func (s *Service) writeRDF(c echo.Context, f loaders.Format, subj graph.Term, quads []graph.Quad) error {
	w := c.Response()
	w.Header().Set("Content-Type", contentType(f))
	w.Header().Add("Vary", "Accept")
	w.WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	sorted := sortQuads(groupBySubject(subj, quads))
	bw := bufio.NewWriter(w)
	enc, err := f.NewEncoder(bw, loaders.EncodeOptions{Prefixes: prefixes})
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
