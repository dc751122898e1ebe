package harvest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
)

// site is a small FDP served from memory; {base} in a document is replaced
// by the server's URL. Tests change documents between runs.
type site struct {
	mu   sync.Mutex
	docs map[string]string // path → Turtle
	srv  *httptest.Server
}

func newSite(t *testing.T, docs map[string]string) *site {
	s := &site{docs: docs}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		doc, ok := s.docs[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		ct := "text/turtle"
		if strings.HasPrefix(doc, "{") {
			ct = "application/ld+json"
		}
		if strings.HasPrefix(doc, "LINK ") {
			line, rest, _ := strings.Cut(doc, "\n")
			w.Header().Set("Link", strings.ReplaceAll(strings.TrimPrefix(line, "LINK "), "{base}", s.srv.URL))
			doc = rest
		}
		w.Header().Set("Content-Type", ct)
		_, _ = w.Write([]byte(strings.ReplaceAll(doc, "{base}", s.srv.URL)))
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) set(path, doc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if doc == "" {
		delete(s.docs, path)
	} else {
		s.docs[path] = doc
	}
}

const prefixes = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix fdp: <https://w3id.org/fdp/fdp-o#> .
@prefix ldp: <http://www.w3.org/ns/ldp#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
`

func fdpDocs() map[string]string {
	return map[string]string{
		"/fdp": prefixes + `<{base}/fdp> a fdp:FAIRDataPoint ; dct:title "Test FDP"@en ;
  fdp:metadataCatalog <{base}/catalog/1> .
<{base}/fdp#catalogs> a ldp:DirectContainer ; ldp:contains <{base}/catalog/1> .`,
		"/catalog/1": prefixes + `<{base}/catalog/1> a dcat:Catalog ; dct:title "Catalogue"@en ;
  dct:publisher [ a foaf:Agent ; foaf:name "Publisher" ] ;
  dcat:dataset <{base}/dataset/a>, <{base}/dataset/b>, <{base}/dataset/gone> .`,
		"/dataset/a": prefixes + `<{base}/dataset/a> a dcat:Dataset ; dct:title "Dataset A"@en ;
  dcat:distribution <{base}/distribution/a1> .`,
		"/dataset/b": prefixes + `<{base}/dataset/b> a dcat:Dataset ; dct:title "Dataset B"@en .`,
		"/distribution/a1": `{"@id": "{base}/distribution/a1", "@type": "http://www.w3.org/ns/dcat#Distribution",
  "http://purl.org/dc/terms/title": "A1 as JSON-LD"}`,
	}
}

func titleOf(t *testing.T, s graph.Store, g graph.Term, subject string) []string {
	t.Helper()
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	var out []string
	for q, err := range snap.Quads(context.Background(), graph.Pattern{S: graph.IRI(subject), P: graph.IRI("http://purl.org/dc/terms/title"), G: g}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, q.O.Value())
	}
	return out
}

func count(t *testing.T, s graph.Store, p graph.Pattern) int64 {
	t.Helper()
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	n, err := snap.Count(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestHarvestWalksFDP(t *testing.T) {
	site := newSite(t, fdpDocs())
	store := memstore.New()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	opts := Options{Now: func() time.Time { return now }}
	rep, err := Harvest(context.Background(), store, site.srv.URL+"/fdp", opts)
	if err != nil {
		t.Fatal(err)
	}
	g := GraphFor(DefaultGraphBase, site.srv.URL+"/fdp")
	if rep.Graph != g.Value() || !strings.HasPrefix(g.Value(), DefaultGraphBase+"127.0.0.1") {
		t.Errorf("graph = %s (report %s)", g, rep.Graph)
	}
	// fdp, catalogue, a, b, a1 and the failing "gone".
	if rep.Documents != 6 {
		t.Errorf("documents = %d, want 6", rep.Documents)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].Status != http.StatusNotFound || !strings.HasSuffix(rep.Failures[0].URL, "/dataset/gone") {
		t.Errorf("failures = %+v, want the 404 of /dataset/gone", rep.Failures)
	}
	if got := titleOf(t, store, g, site.srv.URL+"/dataset/a"); !slices.Equal(got, []string{"Dataset A"}) {
		t.Errorf("dataset a title = %v", got)
	}
	if got := titleOf(t, store, g, site.srv.URL+"/distribution/a1"); !slices.Equal(got, []string{"A1 as JSON-LD"}) {
		t.Errorf("JSON-LD distribution title = %v", got)
	}
	if rep.Datasets != 2 || len(rep.NewDatasets) != 2 || rep.Added != rep.Triples || rep.Removed != 0 {
		t.Errorf("report = %+v, want 2 new datasets and every triple added", rep)
	}
	if n := count(t, store, graph.Pattern{G: g}); n != int64(rep.Triples) {
		t.Errorf("graph holds %d quads, report says %d", n, rep.Triples)
	}
	// The run is recorded.
	sys := graph.IRI(DefaultSystemGraph)
	for _, p := range []graph.Term{harvestedFrom, loadedAt, tripleCount, contentHash, accessLevel} {
		if n := count(t, store, graph.Pattern{S: g, P: p, G: sys}); n != 1 {
			t.Errorf("system graph has %d %s for the harvest graph, want 1", n, p)
		}
	}

	// The same source again: nothing changes, blank nodes included.
	rep2, err := Harvest(context.Background(), store, site.srv.URL+"/fdp", opts)
	if err != nil {
		t.Fatal(err)
	}
	if !rep2.Unchanged() || rep2.ContentHash != rep.ContentHash || len(rep2.NewDatasets)+len(rep2.ChangedDatasets)+len(rep2.RemovedDatasets) != 0 {
		t.Errorf("second run of an unchanged source: %+v", rep2)
	}
	if n := count(t, store, graph.Pattern{S: g, P: loadedAt, G: sys}); n != 1 {
		t.Errorf("after two runs the system graph has %d load times, want 1", n)
	}
}

func TestHarvestReportsChanges(t *testing.T) {
	site := newSite(t, fdpDocs())
	store := memstore.New()
	src := site.srv.URL + "/fdp"
	if _, err := Harvest(context.Background(), store, src, Options{}); err != nil {
		t.Fatal(err)
	}
	// b is retitled, a is dropped from the catalogue, c is new.
	site.set("/catalog/1", prefixes+`<{base}/catalog/1> a dcat:Catalog ; dct:title "Catalogue"@en ;
  dcat:dataset <{base}/dataset/b>, <{base}/dataset/c> .`)
	site.set("/dataset/b", prefixes+`<{base}/dataset/b> a dcat:Dataset ; dct:title "Dataset B, revised"@en .`)
	site.set("/dataset/c", prefixes+`<{base}/dataset/c> a dcat:Dataset ; dct:title "Dataset C"@en .`)
	rep, err := Harvest(context.Background(), store, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	u := site.srv.URL
	if !slices.Equal(rep.NewDatasets, []string{u + "/dataset/c"}) || !slices.Equal(rep.RemovedDatasets, []string{u + "/dataset/a"}) || !slices.Equal(rep.ChangedDatasets, []string{u + "/dataset/b"}) {
		t.Errorf("new %v removed %v changed %v", rep.NewDatasets, rep.RemovedDatasets, rep.ChangedDatasets)
	}
	if rep.Added == 0 || rep.Removed == 0 {
		t.Errorf("added %d removed %d, want both", rep.Added, rep.Removed)
	}
	g := graph.IRI(rep.Graph)
	// Replaced, not merged: a's triples are gone.
	if got := titleOf(t, store, g, u+"/dataset/a"); len(got) != 0 {
		t.Errorf("dataset a still has titles %v after the re-harvest", got)
	}
	if got := titleOf(t, store, g, u+"/dataset/b"); !slices.Equal(got, []string{"Dataset B, revised"}) {
		t.Errorf("dataset b title = %v", got)
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"new      " + u + "/dataset/c", "removed  " + u + "/dataset/a", "changed  " + u + "/dataset/b"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js, &back); err != nil || !slices.Equal(back.NewDatasets, rep.NewDatasets) {
		t.Errorf("JSON report does not round-trip: %v %s", err, js)
	}
}

func TestHarvestFailureChangesNothing(t *testing.T) {
	site := newSite(t, fdpDocs())
	store := memstore.New()
	src := site.srv.URL + "/fdp"
	first, err := Harvest(context.Background(), store, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := graph.IRI(first.Graph)
	before := count(t, store, graph.Pattern{})
	for _, tc := range []struct {
		name   string
		change func()
		opts   Options
		want   error
	}{
		{"source 404", func() { site.set("/fdp", "") }, Options{}, ErrSource},
		{"source not RDF", func() { site.set("/fdp", "this is < not turtle") }, Options{}, ErrSource},
		{"too many documents", func() { site.set("/fdp", fdpDocs()["/fdp"]) }, Options{MaxDocuments: 3}, ErrLimit},
		{"too many triples", func() {}, Options{MaxTriples: 5}, ErrLimit},
		{"partial failure refused", func() {}, Options{FailOnPartial: true}, nil},
		{"document too large", func() {}, Options{MaxBytes: 64}, ErrSource},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.change()
			_, err := Harvest(context.Background(), store, src, tc.opts)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("Harvest = %v, want %v", err, tc.want)
			}
			if n := count(t, store, graph.Pattern{}); n != before {
				t.Errorf("store has %d quads after a failed harvest, had %d", n, before)
			}
			if got := titleOf(t, store, g, site.srv.URL+"/dataset/a"); !slices.Equal(got, []string{"Dataset A"}) {
				t.Errorf("previous graph damaged: dataset a title = %v", got)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Harvest(ctx, store, src, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled harvest = %v, want context.Canceled", err)
	}
}

func TestHarvestPagingAndHosts(t *testing.T) {
	docs := map[string]string{
		"/list": "LINK <{base}/list2>; rel=\"next\", <{base}/list>; rel=\"first\"\n" + prefixes +
			`<{base}/cat> a dcat:Catalog ; dcat:dataset <{base}/d1>, <https://elsewhere.example/d9> .`,
		"/list2": prefixes + `<{base}/cat> dcat:dataset <{base}/d2> .`,
		"/d1":    prefixes + `<{base}/d1> a dcat:Dataset .`,
		"/d2":    prefixes + `<{base}/d2> a dcat:Dataset .`,
	}
	site := newSite(t, docs)
	store := memstore.New()
	rep, err := Harvest(context.Background(), store, site.srv.URL+"/list", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Datasets != 2 || rep.Documents != 4 {
		t.Errorf("datasets %d documents %d, want 2 and 4 (the next page followed)", rep.Datasets, rep.Documents)
	}
	if !slices.Equal(rep.Skipped, []string{"https://elsewhere.example/d9"}) {
		t.Errorf("skipped = %v, want the other host's link", rep.Skipped)
	}
}

// A DCAT catalogue in one document: described datasets are not fetched.
func TestHarvestSingleDocument(t *testing.T) {
	site := newSite(t, map[string]string{"/catalog.ttl": prefixes + `<{base}/cat> a dcat:Catalog ;
  dcat:dataset <{base}/x>, <{base}/y> .
<{base}/x> a dcat:Dataset ; dct:title "X" .
<{base}/y> a dcat:Dataset ; dct:title "Y" .`})
	store := memstore.New()
	rep, err := Harvest(context.Background(), store, site.srv.URL+"/catalog.ttl", Options{Graph: graph.IRI("https://tessera.example/graph/harvest/test")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Documents != 1 || rep.Datasets != 2 || len(rep.Failures) != 0 || rep.Graph != "https://tessera.example/graph/harvest/test" {
		t.Errorf("report = %+v", rep)
	}
}

func TestGraphFor(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"https://fdp.example.org/fdp", "fdp.example.org/fdp"},
		{"https://fdp.example.org/", "fdp.example.org"},
		{"http://host:8080/a b/c?x=1#f", "host:8080/a%20b/c"},
		{"https://example.org/ünï", "example.org/%C3%BCn%C3%AF"},
	} {
		if got := GraphFor("https://g/", tc.src).Value(); got != "https://g/"+tc.want {
			t.Errorf("GraphFor(%q) = %s, want https://g/%s", tc.src, got, tc.want)
		}
	}
}
