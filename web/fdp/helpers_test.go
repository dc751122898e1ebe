package fdp_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/ontology/shacl"
	"github.com/tessera-fair/tessera/ontology/shapes"
	"github.com/tessera-fair/tessera/web/fdp"
)

// Demo resources the tests use. turia is public, rive-gauche controlled.
const (
	base           = "https://tessera.example/"
	turiaCatalog   = base + "provider/turia/catalog"
	turiaDataset   = base + "provider/turia/dataset/1"
	turiaDist      = base + "provider/turia/dataset/1/distribution/dicom"
	turiaPatient   = base + "provider/turia/patient/1-1"
	controlledDS   = base + "provider/rive-gauche/dataset/1"
	controlledPat  = base + "provider/rive-gauche/patient/1-1"
	demoCatalogs   = 12
	demoDatasets   = 70
	fixedNow       = "2026-01-02T03:04:05Z"
	turtleMedia    = "text/turtle"
	ntriplesMedia  = "application/n-triples"
	jsonldMedia    = "application/ld+json"
	rdfxmlMedia    = "application/rdf+xml"
	recordsPerGraf = 1 // patients (and their studies) kept per dataset 1 of each provider
)

// catalogueOnly keeps the demo federation's catalogue metadata and, of the
// records, only patient 1-1 of each provider with its studies, so that tests
// on memstore (which scans on every pattern) stay fast.
func catalogueOnly(quads graph.Quads) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		for q, err := range quads {
			if err != nil {
				yield(graph.Quad{}, err)
				return
			}
			s := q.S.Value()
			if strings.Contains(s, "/patient/") && !strings.HasSuffix(s, "/patient/1-1") {
				continue
			}
			if strings.Contains(s, "/study/") && !strings.Contains(s, "/study/1-1-") {
				continue
			}
			if !yield(q, nil) {
				return
			}
		}
	}
}

var (
	demoOnce  sync.Once
	demoQuads []graph.Quad
	demoErr   error
)

// demoStore returns a memstore with the trimmed demo federation.
func demoStore(t testing.TB) *memstore.Store {
	t.Helper()
	demoOnce.Do(func() { demoQuads, demoErr = graph.Collect(catalogueOnly(demo.Federation(1))) })
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	s := memstore.New()
	if _, err := graph.Load(context.Background(), s, graph.FromSlice(demoQuads), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	return s
}

// newServer serves the FDP of store.
func newServer(t testing.TB, store graph.Store, opts fdp.Options) *httptest.Server {
	t.Helper()
	if opts.Now == nil {
		now, _ := time.Parse(time.RFC3339, fixedNow)
		opts.Now = func() time.Time { return now }
	}
	s, err := fdp.New(store, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// get fetches path with an Accept header and returns status, headers, body.
func get(t testing.TB, srv *httptest.Server, path, accept string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

// parse decodes an RDF body by its Content-Type.
func parse(t testing.TB, contentType string, body []byte) []graph.Quad {
	t.Helper()
	f, err := loaders.Lookup(contentType)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", contentType, err)
	}
	var out []graph.Quad
	dec := f.NewDecoder(bytes.NewReader(body), loaders.DecodeOptions{})
	for {
		q, err := dec.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("parse %s: %v\n%s", contentType, err, body)
		}
		out = append(out, q)
	}
}

// fetchRDF gets path as Turtle and parses it.
func fetchRDF(t testing.TB, srv *httptest.Server, path string) []graph.Quad {
	t.Helper()
	status, h, body := get(t, srv, path, turtleMedia)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", path, status, body)
	}
	return parse(t, h.Get("Content-Type"), body)
}

// objects returns the objects of (s, p) in quads.
func objects(quads []graph.Quad, s, p string) []graph.Term {
	var out []graph.Term
	for _, q := range quads {
		if q.S.Value() == s && q.P.Value() == p {
			out = append(out, q.O)
		}
	}
	return out
}

var (
	fdpShapesOnce sync.Once
	fdpShapes     *shacl.Shapes
	fdpShapesErr  error
)

// validate checks quads against the FDP shapes and fails with the report.
func validate(t testing.TB, what string, quads []graph.Quad) {
	t.Helper()
	fdpShapesOnce.Do(func() {
		q, err := shapes.Load("fdp")
		if err != nil {
			fdpShapesErr = err
			return
		}
		fdpShapes, fdpShapesErr = shacl.Compile(q)
	})
	if fdpShapesErr != nil {
		t.Fatal(fdpShapesErr)
	}
	s := memstore.New()
	if _, err := graph.Load(context.Background(), s, graph.FromSlice(quads), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	rep, err := fdpShapes.Validate(context.Background(), snap, shacl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Conforms {
		var buf bytes.Buffer
		_ = rep.WriteText(&buf)
		t.Errorf("%s does not conform to the FDP shapes:\n%s", what, buf.String())
	}
}

const (
	nsDCT  = "http://purl.org/dc/terms/"
	nsDCAT = "http://www.w3.org/ns/dcat#"
	nsFDP  = "https://w3id.org/fdp/fdp-o#"
	nsLDP  = "http://www.w3.org/ns/ldp#"
	nsRDF  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsRDFS = "http://www.w3.org/2000/01/rdf-schema#"
	nsVoID = "http://rdfs.org/ns/void#"
)

// path returns the request path of a demo IRI.
func path(iri string) string { return strings.TrimPrefix(iri, strings.TrimSuffix(base, "/")) }
