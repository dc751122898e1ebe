package web

import (
	"bufio"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/sparql/results"
)

// Vocabularies of the service description.
const (
	nsSD         = "http://www.w3.org/ns/sparql-service-description#"
	nsFormats    = "http://www.w3.org/ns/formats/"
	nsEntailment = "http://www.w3.org/ns/entailment/"
	nsVoID       = "http://rdfs.org/ns/void#"
	// nsTessera is Tessera's own vocabulary (as in web/fdp and graph/access).
	nsTessera = "https://tessera.example/ns#"
	rdfType   = graph.RDFNamespace + "type"
	// maxDescribedGraphs bounds the named graphs listed in the service
	// description, which must stay small whatever the store holds.
	maxDescribedGraphs = 1000
)

// supportedEntailmentRegime relates the service to an entailment regime a
// query may ask for with entailment= (Tessera's parameter). The Service
// Description vocabulary has no term for it: sd:defaultEntailmentRegime is
// the regime used when none is asked for (simple entailment, here), and
// sd:supportedEntailmentProfile names profiles of that default regime
// (such as the OWL 2 profiles), not other regimes.
const supportedEntailmentRegime = nsTessera + "supportedEntailmentRegime"

// w3cFormats names the formats of the W3C format registry
// (https://www.w3.org/ns/formats/) by the canonical media type of the
// formats sparql/results and loaders serve. It maps names only: which
// formats the service description lists comes from those packages' format
// tables. A served format missing here is left out of the description (and
// fails TestServiceDescriptionFormats).
var w3cFormats = map[string]string{
	"application/sparql-results+json": "SPARQL_Results_JSON",
	"application/sparql-results+xml":  "SPARQL_Results_XML",
	"text/csv":                        "SPARQL_Results_CSV",
	"text/tab-separated-values":       "SPARQL_Results_TSV",
	"text/turtle":                     "Turtle",
	"application/n-triples":           "N-Triples",
	"application/n-quads":             "N-Quads",
	"application/trig":                "TriG",
	"application/ld+json":             "JSON-LD",
	"application/rdf+xml":             "RDF_XML",
	"text/n3":                         "N3",
	"application/owl+xml":             "OWL_XML",
	"application/rdf+json":            "RDF_JSON",
}

// resultFormats returns the W3C format IRIs of every response format of
// /sparql: the result formats of SELECT and ASK (sparql/results) and the
// writable RDF syntaxes of CONSTRUCT and DESCRIBE (loaders), in the
// server's order.
func resultFormats() []string {
	var mts []string
	for _, f := range results.Formats() {
		mts = append(mts, f.MediaType())
	}
	for _, f := range rdfFormats() {
		mts = append(mts, f.MediaType())
	}
	return formatIRIs(mts)
}

// inputFormats returns the W3C format IRIs of every RDF syntax the server
// reads: Graph Store uploads and SPARQL LOAD take every syntax of the
// loaders' table.
func inputFormats() []string {
	var mts []string
	for _, f := range loaders.Formats() {
		mts = append(mts, f.MediaType())
	}
	return formatIRIs(mts)
}

// formatIRIs maps media types to W3C format IRIs, leaving out those the
// registry does not name and duplicates.
func formatIRIs(mediaTypes []string) []string {
	var out []string
	for _, mt := range mediaTypes {
		name, ok := w3cFormats[mt]
		if iri := nsFormats + name; ok && !slices.Contains(out, iri) {
			out = append(out, iri)
		}
	}
	return out
}

// serviceDescription answers GET /sparql without a query with a SPARQL 1.1
// Service Description (https://www.w3.org/TR/sparql11-service-description/)
// in the negotiated RDF syntax (Turtle by default): the endpoint, the
// languages, the formats it writes and reads (from the format tables of
// sparql/results and loaders), the features it has with this
// configuration (union default graph, federated query, empty graphs), its
// entailment regimes, and the default dataset with triple counts from
// cached statistics, as the caller may see them (counts.go: the counts of
// graphs whose records the caller may not see are obfuscated, as in VoID).
// It lists no extension functions or aggregates: the evaluator has none
// beyond the built-ins and XSD casts.
func (s *Server) serviceDescription(c echo.Context) error {
	r := c.Request()
	out, ok := NegotiateRDF(r.Header.Get("Accept"))
	if f := r.URL.Query().Get("format"); f != "" {
		out, ok = lookupRDF(f)
	}
	if !ok {
		return apiError(http.StatusBadRequest, "missing_query", "no query parameter; GET /sparql with an RDF Accept header (e.g. text/turtle) returns the service description")
	}
	st, err := s.requestStats(r)
	if err != nil {
		return err
	}
	quads := s.describeService(s.base(r)+"/sparql", st)
	opts := loaders.EncodeOptions{Prefixes: map[string]string{"sd": nsSD, "void": nsVoID, "formats": nsFormats, "ent": nsEntailment, "tessera": nsTessera}}
	if out, err = writableRDF(out, quads, opts, r.Header.Get("Accept"), r.URL.Query().Get("format") != ""); err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set("Content-Type", rdfContentType(out))
	w.Header().Set("Vary", "Accept")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	bw := bufio.NewWriter(w)
	enc, err := out.NewEncoder(bw, opts)
	if err != nil {
		return err
	}
	for _, q := range quads {
		if err := enc.Encode(q); err != nil {
			return fmt.Errorf("write service description: %w", err)
		}
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

func (s *Server) describeService(endpoint string, st *graph.Stats) []graph.Quad {
	iri := graph.IRI
	sd := func(local string) graph.Term { return iri(nsSD + local) }
	count := func(n int64) graph.Term { return graph.Literal(strconv.FormatInt(n, 10), graph.XSDInteger) }
	svc, ds, dg := graph.Blank("service"), graph.Blank("dataset"), graph.Blank("default")
	typ := iri(rdfType)
	out := []graph.Quad{
		graph.Triple(svc, typ, sd("Service")),
		graph.Triple(svc, sd("endpoint"), iri(endpoint)),
		graph.Triple(svc, sd("supportedLanguage"), sd("SPARQL11Query")),
		graph.Triple(svc, sd("supportedLanguage"), sd("SPARQL11Update")),
		graph.Triple(svc, sd("defaultEntailmentRegime"), iri(nsEntailment+"Simple")),
	}
	if s.opts.Entailment != nil {
		out = append(out, graph.Triple(svc, iri(supportedEntailmentRegime), iri(nsEntailment+"RDFS")))
	}
	for _, f := range resultFormats() {
		out = append(out, graph.Triple(svc, sd("resultFormat"), iri(f)))
	}
	for _, f := range inputFormats() {
		out = append(out, graph.Triple(svc, sd("inputFormat"), iri(f)))
	}
	// Every store keeps a graph from CREATE GRAPH until DROP, quads or not.
	out = append(out, graph.Triple(svc, sd("feature"), sd("EmptyGraphs")))
	if s.opts.UnionDefaultGraph {
		out = append(out, graph.Triple(svc, sd("feature"), sd("UnionDefaultGraph")))
	}
	if s.opts.Service != nil && s.opts.FederatedQuery {
		out = append(out, graph.Triple(svc, sd("feature"), sd("BasicFederatedQuery")))
	}
	out = append(out,
		graph.Triple(svc, sd("defaultDataset"), ds),
		graph.Triple(ds, typ, sd("Dataset")),
		graph.Triple(ds, sd("defaultGraph"), dg),
		graph.Triple(dg, typ, sd("Graph")),
	)
	defaultTriples := st.Graphs[graph.DefaultGraph]
	if s.opts.UnionDefaultGraph {
		// An upper bound: the union merges duplicates. st.Quads is the sum
		// of the reported graph counts, so it reveals no hidden count.
		defaultTriples = st.Quads
	}
	out = append(out, graph.Triple(dg, iri(nsVoID+"triples"), count(defaultTriples)))
	var names []graph.Term
	for g := range st.Graphs {
		if !g.IsDefaultGraph() && g.IsIRI() {
			names = append(names, g)
		}
	}
	slices.SortFunc(names, graph.Compare)
	if len(names) > maxDescribedGraphs {
		names = names[:maxDescribedGraphs]
	}
	for i, g := range names {
		ng, gr := graph.Blank(fmt.Sprintf("named%d", i)), graph.Blank(fmt.Sprintf("graph%d", i))
		out = append(out,
			graph.Triple(ds, sd("namedGraph"), ng),
			graph.Triple(ng, typ, sd("NamedGraph")),
			graph.Triple(ng, sd("name"), g),
			graph.Triple(ng, sd("graph"), gr),
			graph.Triple(gr, typ, sd("Graph")),
			graph.Triple(gr, iri(nsVoID+"triples"), count(st.Graphs[g])),
		)
	}
	return out
}
