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
)

// Vocabularies of the service description.
const (
	nsSD      = "http://www.w3.org/ns/sparql-service-description#"
	nsFormats = "http://www.w3.org/ns/formats/"
	nsVoID    = "http://rdfs.org/ns/void#"
	rdfType   = graph.RDFNamespace + "type"
	// maxDescribedGraphs bounds the named graphs listed in the service
	// description, which must stay small whatever the store holds.
	maxDescribedGraphs = 1000
)

// serviceDescription answers GET /sparql without a query with a SPARQL 1.1
// Service Description (https://www.w3.org/TR/sparql11-service-description/)
// in the negotiated RDF syntax (Turtle by default): the endpoint, the
// languages and formats it supports, the union-default-graph feature when
// on, and the default dataset with triple counts from cached statistics.
func (s *Server) serviceDescription(c echo.Context) error {
	r := c.Request()
	out, ok := NegotiateRDF(r.Header.Get("Accept"))
	if f := r.URL.Query().Get("format"); f != "" {
		out, ok = lookupRDF(f)
	}
	if !ok {
		return apiError(http.StatusBadRequest, "missing_query", "no query parameter; GET /sparql with an RDF Accept header (e.g. text/turtle) returns the service description")
	}
	st, err := s.metrics.stats.get(r.Context())
	if err != nil {
		return apiError(http.StatusServiceUnavailable, "store_unavailable", err.Error())
	}
	quads := s.describeService(s.base(r)+"/sparql", st)
	w := c.Response()
	w.Header().Set("Content-Type", rdfContentType(out))
	w.Header().Set("Vary", "Accept")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	bw := bufio.NewWriter(w)
	enc, err := out.NewEncoder(bw, loaders.EncodeOptions{Prefixes: map[string]string{"sd": nsSD, "void": nsVoID, "formats": nsFormats}})
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
		graph.Triple(svc, sd("defaultEntailmentRegime"), iri("http://www.w3.org/ns/entailment/Simple")),
	}
	for _, f := range []string{"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
		"Turtle", "N-Triples", "N-Quads", "JSON-LD", "RDF_XML", "TriG"} {
		out = append(out, graph.Triple(svc, sd("resultFormat"), iri(nsFormats+f)))
	}
	for _, f := range []string{"Turtle", "N-Triples", "N-Quads", "JSON-LD", "RDF_XML", "TriG"} {
		out = append(out, graph.Triple(svc, sd("inputFormat"), iri(nsFormats+f)))
	}
	if s.opts.UnionDefaultGraph {
		out = append(out, graph.Triple(svc, sd("feature"), sd("UnionDefaultGraph")))
	}
	out = append(out,
		graph.Triple(svc, sd("defaultDataset"), ds),
		graph.Triple(ds, typ, sd("Dataset")),
		graph.Triple(ds, sd("defaultGraph"), dg),
		graph.Triple(dg, typ, sd("Graph")),
	)
	defaultTriples := st.Graphs[graph.DefaultGraph]
	if s.opts.UnionDefaultGraph {
		defaultTriples = st.Quads // an upper bound: the union merges duplicates
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
