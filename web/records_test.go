package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/graph/graphtest"
	"github.com/tessera-fair/tessera/graph/memstore"
)

// recordsServer serves a public, a registered and a controlled provider
// graph, each with a dataset and two patients (one with an imaging study),
// filtered by an access.RecordsCache as `tessera serve` wires it. The
// operator token makes a caller registered: it opens the registered graph's
// records, never the controlled one's (access.Policy.CanSeeRecords).
func recordsServer(t *testing.T) http.Handler {
	t.Helper()
	store := recordsStore(t)
	cache := access.NewCache(store, access.Options{})
	if _, err := cache.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	rc := access.NewRecordsCache(cache.Current, isCDMRecord)
	return New(store, Options{WriteToken: testToken, UnionDefaultGraph: true, Records: rc.Filter, OnWrite: rc.Invalidate}).Handler()
}

// recordsCDM is the record vocabulary of recordsStore.
const recordsCDM = "https://w3id.org/cdm#"

// isCDMRecord is the record classes of recordsStore.
func isCDMRecord(c graph.Term) bool { return strings.HasPrefix(c.Value(), recordsCDM) }

// recordsStore holds recordsServer's data: per provider graph (pub, reg,
// ctl) a dataset with a title, an imaging study of patient1 and two
// patients — 8 quads each — and 3 quads in the system graph.
func recordsStore(t *testing.T) *memstore.Store {
	t.Helper()
	const (
		ex  = "https://example.org/"
		cdm = recordsCDM
		typ = graph.RDFNamespace + "type"
	)
	iri := graph.IRI
	sys := iri(access.DefaultSystemGraph)
	quads := []graph.Quad{
		{S: iri(ex + "g/pub"), P: iri(access.LevelPredicate), O: iri(access.NS + "public"), G: sys},
		{S: iri(ex + "g/reg"), P: iri(access.LevelPredicate), O: iri(access.NS + "registered"), G: sys},
		{S: iri(ex + "g/ctl"), P: iri(access.LevelPredicate), O: iri(access.NS + "controlled"), G: sys},
	}
	for _, name := range []string{"pub", "reg", "ctl"} {
		g := iri(ex + "g/" + name)
		ds := iri(ex + name + "/dataset")
		quads = append(quads,
			graph.Quad{S: ds, P: iri(typ), O: iri("http://www.w3.org/ns/dcat#Dataset"), G: g},
			graph.Quad{S: ds, P: iri("http://purl.org/dc/terms/title"), O: graph.String(name + " dataset"), G: g},
			graph.Quad{S: iri(ex + name + "/study1"), P: iri(typ), O: iri(cdm + "ImagingStudy"), G: g},
			graph.Quad{S: iri(ex + name + "/study1"), P: iri(cdm + "subject"), O: iri(ex + name + "/patient1"), G: g},
		)
		for _, p := range []string{"/patient1", "/patient2"} {
			quads = append(quads,
				graph.Quad{S: iri(ex + name + p), P: iri(typ), O: iri(cdm + "Patient"), G: g},
				graph.Quad{S: iri(ex + name + p), P: iri("http://purl.org/dc/terms/isPartOf"), O: ds, G: g},
			)
		}
	}
	store := memstore.New()
	graphtest.Add(t, store, quads...)
	return store
}

func TestSPARQLHidesRecords(t *testing.T) {
	h := recordsServer(t)
	const (
		patients = `SELECT ?p WHERE { ?p a <https://w3id.org/cdm#Patient> } ORDER BY ?p`
		datasets = `SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } ORDER BY ?d`
		count    = `SELECT (COUNT(?p) AS ?n) WHERE { ?p <http://purl.org/dc/terms/isPartOf> ?d }`
		byGraph  = `SELECT ?g ?s WHERE { GRAPH ?g { ?s <https://w3id.org/cdm#subject> ?p } } ORDER BY ?s`
		graphs   = `SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g`
	)
	auth := map[string]string{"Authorization": "Bearer " + testToken}
	tests := []struct {
		name   string
		query  string
		header map[string]string
		want   []string // the first column, in order
	}{
		{"anonymous patients", patients, nil, []string{"pub/patient1", "pub/patient2"}},
		{"operator patients", patients, auth, []string{"pub/patient1", "pub/patient2", "reg/patient1", "reg/patient2"}},
		{"anonymous datasets", datasets, nil, []string{"ctl/dataset", "pub/dataset", "reg/dataset"}},
		{"anonymous count", count, nil, []string{"2"}},
		{"operator count", count, auth, []string{"4"}},
		{"anonymous GRAPH ?g", byGraph, nil, []string{"g/pub"}},
		{"operator GRAPH ?g", byGraph, auth, []string{"g/pub", "g/reg"}},
		{"anonymous graph list", graphs, nil, []string{"g/ctl", "g/pub", "g/reg", access.DefaultSystemGraph}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, h, req{method: http.MethodGet, target: "/sparql?query=" + q(tt.query), header: tt.header})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			tab := resultTable(t, rec)
			var got []string
			for _, row := range tab.Rows {
				got = append(got, strings.TrimPrefix(row[0].Value(), "https://example.org/"))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGraphOutputHidesRecords(t *testing.T) {
	h := recordsServer(t)
	auth := map[string]string{"Authorization": "Bearer " + testToken}
	construct := `CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }`
	describe := func(g string) string { return `DESCRIBE <https://example.org/` + g + `/patient1>` }
	gsp := func(g string) string { return "/store?graph=" + q("https://example.org/g/"+g) }
	tests := []struct {
		name, target string
		header       map[string]string
		graph        string // the provider whose records are checked
		hidden       bool   // whether its patient1 and study1 must be absent
		dataset      bool   // a whole-graph output: its dataset must be present, its study too when not hidden
	}{
		{"anonymous CONSTRUCT reg", "/sparql?query=" + q(construct), nil, "reg", true, true},
		{"anonymous CONSTRUCT pub", "/sparql?query=" + q(construct), nil, "pub", false, true},
		{"operator CONSTRUCT reg", "/sparql?query=" + q(construct), auth, "reg", false, true},
		{"operator CONSTRUCT ctl", "/sparql?query=" + q(construct), auth, "ctl", true, true},
		{"anonymous DESCRIBE reg", "/sparql?query=" + q(describe("reg")), nil, "reg", true, false},
		{"operator DESCRIBE reg", "/sparql?query=" + q(describe("reg")), auth, "reg", false, false},
		{"operator DESCRIBE ctl", "/sparql?query=" + q(describe("ctl")), auth, "ctl", true, false},
		{"anonymous GSP GET reg", gsp("reg"), nil, "reg", true, true},
		{"anonymous GSP GET pub", gsp("pub"), nil, "pub", false, true},
		{"operator GSP GET reg", gsp("reg"), auth, "reg", false, true},
		{"operator GSP GET ctl", gsp("ctl"), auth, "ctl", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := map[string]string{"Accept": "application/n-triples"}
			for k, v := range tt.header {
				header[k] = v
			}
			rec := do(t, h, req{method: http.MethodGet, target: tt.target, header: header})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			body := rec.Body.String()
			checks := []string{"/patient1>"}
			if tt.dataset { // a whole-graph output (DESCRIBE is the patient's own triples)
				checks = append(checks, "/study1>")
			}
			for _, r := range checks {
				if got := strings.Contains(body, tt.graph+r); got == tt.hidden {
					t.Errorf("%s%s present=%v, want %v:\n%s", tt.graph, r, got, !tt.hidden, body)
				}
			}
			if tt.dataset && !strings.Contains(body, tt.graph+"/dataset>") {
				t.Errorf("the dataset of %s is missing:\n%s", tt.graph, body)
			}
		})
	}
	// A token that is not the operator's is refused, never downgraded.
	rec := do(t, h, req{method: http.MethodGet, target: "/sparql?query=" + q(construct), header: map[string]string{"Authorization": "Bearer nope"}})
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("wrong token: status %d, want 401", rec.Code)
	}
}

func TestRecordsFollowWrites(t *testing.T) {
	h := recordsServer(t)
	auth := map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/sparql-update"}
	up := `INSERT DATA { GRAPH <https://example.org/g/reg> { <https://example.org/reg/patient3> a <https://w3id.org/cdm#Patient> } }`
	if rec := do(t, h, req{method: http.MethodPost, target: "/sparql", header: auth, body: up}); rec.Code/100 != 2 {
		t.Fatalf("update: status %d: %s", rec.Code, rec.Body)
	}
	ask := `ASK { <https://example.org/reg/patient3> ?p ?o }`
	for _, tt := range []struct {
		name   string
		header map[string]string
		want   bool
	}{
		{"anonymous", nil, false},
		{"operator", map[string]string{"Authorization": "Bearer " + testToken}, true},
	} {
		rec := do(t, h, req{method: http.MethodGet, target: "/sparql?query=" + q(ask), header: tt.header})
		if tab := resultTable(t, rec); !tab.IsBoolean || tab.Boolean != tt.want {
			t.Errorf("%s ASK about a patient written after the first query: %+v, want %v", tt.name, tab, tt.want)
		}
	}
}
