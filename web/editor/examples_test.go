package editor_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/ontology/vocab"
	"github.com/tessera-fair/tessera/web"
	"github.com/tessera-fair/tessera/web/editor"
)

type binding map[string]struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// run posts a query to the server and returns its bindings.
func run(t *testing.T, h http.Handler, query string) []binding {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/sparql", strings.NewReader(url.Values{"query": {query}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "application/sparql-results+json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var res struct {
		Results struct {
			Bindings []binding `json:"bindings"`
		} `json:"results"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatalf("decode results: %v", err)
	}
	return res.Results.Bindings
}

func sum(t *testing.T, rows []binding, v string) int {
	t.Helper()
	n := 0
	for _, r := range rows {
		k, err := strconv.Atoi(r[v].Value)
		if err != nil {
			t.Fatalf("?%s = %q is not an integer", v, r[v].Value)
		}
		n += k
	}
	return n
}

// TestExamplesOnDemo runs every example query against the demo catalogue
// (with the bundled vocabularies) and checks what each one claims to show.
func TestExamplesOnDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo catalogue (~590k quads, ~10 s): skipped in -short mode")
	}
	ctx := context.Background()
	store, err := badgerstore.Open(t.TempDir(), badgerstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	start := time.Now()
	if _, err := demo.LoadIfEmpty(ctx, store); err != nil {
		t.Fatal(err)
	}
	if _, err := vocab.Install(ctx, store); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo catalogue and vocabularies loaded in %s", time.Since(start).Round(time.Millisecond))
	h := web.New(store, web.Options{UnionDefaultGraph: true, QueryTimeout: 2 * time.Minute}).Handler()

	examples, err := editor.Examples()
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]func(t *testing.T, rows []binding){
		"datasets-per-provider": func(t *testing.T, rows []binding) {
			// Each of the 12 generated providers publishes datasets.
			if len(rows) < 12 {
				t.Errorf("%d providers, want >= 12", len(rows))
			}
			total := run(t, h, `SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/publisher> ?p . ?p <http://xmlns.com/foaf/0.1/name> ?name }`)
			if got, want := sum(t, rows, "datasets"), sum(t, total, "n"); got < want {
				t.Errorf("datasets per provider add up to %d, want at least the %d published datasets", got, want)
			}
		},
		"lung-cancer-datasets": func(t *testing.T, rows []binding) {
			types := map[string]bool{}
			for _, r := range rows {
				types[r["cancerType"].Value] = true
			}
			// Subtypes, not only "Lung": the closure walked skos:broader*.
			if len(types) < 2 || types["Lung"] {
				t.Errorf("cancer types %v: want several lung subtypes", types)
			}
		},
		"patients-per-sex": func(t *testing.T, rows []binding) {
			total := run(t, h, `SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://tessera.example/ns/cdm#Patient> }`)
			if got, want := sum(t, rows, "patients"), sum(t, total, "n"); got != want || want == 0 {
				t.Errorf("patients per sex add up to %d, want all %d patients", got, want)
			}
		},
		"studies-per-modality": func(t *testing.T, rows []binding) {
			total := run(t, h, `SELECT (COUNT(?s) AS ?n) WHERE { ?s a <https://tessera.example/ns/cdm#ImagingStudy> }`)
			if got, want := sum(t, rows, "studies"), sum(t, total, "n"); got != want || want == 0 {
				t.Errorf("studies per modality add up to %d, want all %d studies", got, want)
			}
			for _, r := range rows {
				if strings.HasPrefix(r["modality"].Value, "http") {
					t.Errorf("modality %s has no label in the bundled DICOM vocabulary", r["modality"].Value)
				}
			}
		},
		"age-at-diagnosis": func(t *testing.T, rows []binding) {
			if len(rows) < 5 {
				t.Errorf("%d age bands, want >= 5", len(rows))
			}
		},
	}
	for _, ex := range examples {
		t.Run(ex.ID, func(t *testing.T) {
			rows := run(t, h, ex.Query)
			if len(rows) == 0 {
				t.Fatalf("example %s returns no rows on the demo catalogue", ex.ID)
			}
			if check := checks[ex.ID]; check != nil {
				check(t, rows)
			}
		})
	}
}
