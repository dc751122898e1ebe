package web

import (
	"bytes"
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphtest"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/federation"
	"github.com/tessera-fair/tessera/sparql/results"
)

// formatMediaTypes is the W3C format registry (https://www.w3.org/ns/formats/)
// as the tests know it: format IRI → media type. It is written out here,
// apart from w3cFormats, so that the tests check the description against
// the registry rather than against itself.
var formatMediaTypes = map[string]string{
	nsFormats + "SPARQL_Results_JSON": "application/sparql-results+json",
	nsFormats + "SPARQL_Results_XML":  "application/sparql-results+xml",
	nsFormats + "SPARQL_Results_CSV":  "text/csv",
	nsFormats + "SPARQL_Results_TSV":  "text/tab-separated-values",
	nsFormats + "Turtle":              "text/turtle",
	nsFormats + "N-Triples":           "application/n-triples",
	nsFormats + "N-Quads":             "application/n-quads",
	nsFormats + "TriG":                "application/trig",
	nsFormats + "JSON-LD":             "application/ld+json",
	nsFormats + "RDF_XML":             "application/rdf+xml",
}

// describeServiceNode fetches the service description of h in the RDF
// syntax named format, parses it, and returns the objects of each
// property of the sd:Service node (sorted).
func describeServiceNode(t *testing.T, h http.Handler, format string) map[string][]string {
	t.Helper()
	rec := do(t, h, req{"GET", "http://tessera.test/sparql?format=" + format, nil, ""})
	if rec.Code != 200 {
		t.Fatalf("GET /sparql?format=%s: status %d: %s", format, rec.Code, rec.Body)
	}
	mt := strings.Split(rec.Header().Get("Content-Type"), ";")[0]
	qs, err := parseRDF(mt, rec.Body.Bytes())
	if err != nil {
		t.Fatalf("format %s: %v", format, err)
	}
	var svc []graph.Term
	for _, q := range qs {
		if q.P.Value() == rdfType && q.O == graph.IRI(nsSD+"Service") {
			svc = append(svc, q.S)
		}
	}
	if len(svc) != 1 {
		t.Fatalf("format %s: %d sd:Service nodes, want 1:\n%s", format, len(svc), rec.Body)
	}
	props := map[string][]string{}
	for _, q := range qs {
		if q.S == svc[0] {
			props[q.P.Value()] = append(props[q.P.Value()], q.O.Value())
		}
	}
	for _, vs := range props {
		slices.Sort(vs)
	}
	return props
}

func sorted(vs ...string) []string {
	out := slices.Clone(vs)
	slices.Sort(out)
	return out
}

// TestServiceDescriptionFeatures checks that the service description
// advertises what the server's configuration really offers, in every RDF
// syntax it is served in: sd:BasicFederatedQuery only with a SERVICE
// handler that may reach an endpoint, sd:UnionDefaultGraph only when on,
// the RDFS regime only with a schema, and never an extension function.
func TestServiceDescriptionFeatures(t *testing.T) {
	allowed := federation.New(federation.Options{Allow: []string{"https://other.example/"}})
	rdfs := func() eval.Entailment { return subclassSchema{} }
	tests := []struct {
		name     string
		opts     Options
		features []string // local names in sd:
		rdfs     bool
	}{
		{"zero options", Options{}, []string{"EmptyGraphs"}, false},
		{"serve without --allow-service",
			Options{UnionDefaultGraph: true, Service: federation.New(federation.Options{}), Entailment: rdfs},
			[]string{"EmptyGraphs", "UnionDefaultGraph"}, true},
		{"serve with --allow-service",
			Options{UnionDefaultGraph: true, Service: allowed, FederatedQuery: true, Entailment: rdfs},
			[]string{"EmptyGraphs", "UnionDefaultGraph", "BasicFederatedQuery"}, true},
		{"federated query without a handler", Options{FederatedQuery: true}, []string{"EmptyGraphs"}, false},
	}
	wantResults := slices.Sorted(maps.Keys(formatMediaTypes))
	wantInputs := sorted(nsFormats+"Turtle", nsFormats+"N-Triples", nsFormats+"N-Quads", nsFormats+"TriG", nsFormats+"JSON-LD", nsFormats+"RDF_XML")
	for _, tt := range tests {
		srv := New(memstore.New(), tt.opts)
		for _, f := range rdfFormats() {
			t.Run(tt.name+"/"+f.Name, func(t *testing.T) {
				props := describeServiceNode(t, srv.Handler(), f.Name)
				var features []string
				for _, n := range tt.features {
					features = append(features, nsSD+n)
				}
				var regimes []string
				if tt.rdfs {
					regimes = []string{nsEntailment + "RDFS"}
				}
				want := map[string][]string{
					nsSD + "endpoint":                {"http://tessera.test/sparql"},
					nsSD + "supportedLanguage":       sorted(nsSD+"SPARQL11Query", nsSD+"SPARQL11Update"),
					nsSD + "feature":                 sorted(features...),
					nsSD + "defaultEntailmentRegime": {nsEntailment + "Simple"},
					supportedEntailmentRegime:        regimes,
					nsSD + "resultFormat":            wantResults,
					nsSD + "inputFormat":             wantInputs,
					nsSD + "extensionFunction":       nil,
					nsSD + "extensionAggregate":      nil,
				}
				for p, w := range want {
					if got := props[p]; !slices.Equal(got, w) {
						t.Errorf("<%s> of the service = %q, want %q", p, got, w)
					}
				}
			})
		}
	}
}

// TestServiceDescriptionFormats checks that the advertised formats are the
// ones the server really serves: every sd:resultFormat is answered by
// /sparql when asked for with Accept, every sd:inputFormat is accepted by
// a Graph Store PUT, and every format of the sparql/results and loaders
// tables is advertised.
func TestServiceDescriptionFormats(t *testing.T) {
	srv, store := fixtureServer(t, Options{})
	h := srv.Handler()
	props := describeServiceNode(t, h, "turtle")
	for _, iri := range props[nsSD+"resultFormat"] {
		mt, ok := formatMediaTypes[iri]
		if !ok {
			t.Errorf("result format <%s> is not in the W3C registry", iri)
			continue
		}
		query := "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
		if _, ok := results.FormatForMediaType(mt); ok {
			query = "SELECT * WHERE { ?s ?p ?o }"
		}
		rec := do(t, h, req{"GET", "/sparql?query=" + q(query), map[string]string{"Accept": mt}, ""})
		if got := strings.Split(rec.Header().Get("Content-Type"), ";")[0]; rec.Code != 200 || got != mt {
			t.Errorf("result format <%s>: %s with Accept %s: status %d, Content-Type %q", iri, query, mt, rec.Code, got)
		}
	}
	for _, iri := range props[nsSD+"inputFormat"] {
		mt, ok := formatMediaTypes[iri]
		if !ok {
			t.Errorf("input format <%s> is not in the W3C registry", iri)
			continue
		}
		f, err := loaders.Lookup(mt)
		if err != nil {
			t.Fatalf("input format <%s>: %v", iri, err)
		}
		var body bytes.Buffer
		enc, err := f.NewEncoder(&body, loaders.EncodeOptions{})
		if err != nil {
			t.Fatalf("input format <%s>: encoder: %v", iri, err)
		}
		if err := enc.Encode(graph.Triple(graph.IRI("http://e/s"), graph.IRI("http://e/p"), graph.Literal("in "+f.Name, graph.XSDString))); err != nil {
			t.Fatal(err)
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		g := "http://e/upload/" + f.Name
		rec := do(t, h, req{"PUT", "/store?graph=" + url.QueryEscape(g), map[string]string{"Content-Type": mt, "Authorization": "Bearer " + testToken}, body.String()})
		if rec.Code/100 != 2 {
			t.Errorf("input format <%s>: PUT %s: status %d: %s", iri, mt, rec.Code, rec.Body)
			continue
		}
		n := 0
		for _, qd := range graphtest.Dump(t, store) {
			if qd.G == graph.IRI(g) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("input format <%s>: graph <%s> holds %d quads, want 1", iri, g, n)
		}
	}
	// Every format of the tables is named by the registry, so none is left
	// out of the description.
	var served []string
	for _, f := range results.Formats() {
		served = append(served, f.MediaType())
	}
	for _, f := range loaders.Formats() {
		served = append(served, f.MediaType())
	}
	for _, mt := range served {
		if _, ok := w3cFormats[mt]; !ok {
			t.Errorf("served format %s has no W3C format IRI in w3cFormats: the service description leaves it out", mt)
		}
	}
}

// TestUpdateService checks that SPARQL updates over the protocol evaluate
// SERVICE in their WHERE through the server's handler and allow-list: an
// allowed endpoint's data is inserted, an endpoint off the list makes the
// whole request fail with 403 and changes nothing.
func TestUpdateService(t *testing.T) {
	remoteStore := memstore.New()
	graphtest.Add(t, remoteStore,
		graph.Triple(graph.IRI("http://e/ds1"), graph.IRI("http://purl.org/dc/terms/title"), graph.Literal("Prostate MR", graph.XSDString)),
		graph.Triple(graph.IRI("http://e/ds2"), graph.IRI("http://purl.org/dc/terms/title"), graph.Literal("Breast MG", graph.XSDString)),
	)
	remote := httptest.NewServer(New(remoteStore, Options{}).Handler())
	defer remote.Close()
	other := httptest.NewServer(New(remoteStore, Options{}).Handler())
	defer other.Close()
	store := memstore.New()
	srv := New(store, Options{WriteToken: testToken, FederatedQuery: true,
		Service: federation.New(federation.Options{Allow: []string{remote.URL + "/"}})})
	hdr := map[string]string{"Content-Type": mediaUpdate, "Authorization": "Bearer " + testToken}
	tests := []struct {
		name   string
		update string
		status int
		code   string
		quads  int64
	}{
		{"allowed endpoint", `INSERT { GRAPH <http://e/mirror> { ?d <http://purl.org/dc/terms/title> ?t } } WHERE { SERVICE <` + remote.URL + `/sparql> { ?d <http://purl.org/dc/terms/title> ?t } }`,
			204, "", 2},
		{"endpoint off the allow-list", `INSERT DATA { <http://e/x> <http://e/y> 1 } ; INSERT { ?d <http://e/t> ?t } WHERE { SERVICE <` + other.URL + `/sparql> { ?d <http://purl.org/dc/terms/title> ?t } }`,
			403, "service_denied", 2},
		{"SERVICE SILENT off the allow-list", `INSERT { <http://e/x> <http://e/y> 1 } WHERE { SERVICE SILENT <` + other.URL + `/sparql> { ?d <http://purl.org/dc/terms/title> ?t } }`,
			204, "", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, srv.Handler(), req{"POST", "/sparql", hdr, tt.update})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.code != "" {
				if e := apiErr(t, rec); e.Code != tt.code {
					t.Errorf("code %q, want %q (%s)", e.Code, tt.code, e.Message)
				}
			}
			if st, _ := store.Stats(context.Background()); st.Quads != tt.quads {
				t.Errorf("store has %d quads, want %d: %v", st.Quads, tt.quads, graphtest.Dump(t, store))
			}
		})
	}
}
