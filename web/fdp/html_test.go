package fdp_test

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/web/fdp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var ldScript = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// TestHTMLDatasetPage checks the browser view of a dataset: readable parts
// and schema.org Dataset JSON-LD that carries the dataset's metadata.
func TestHTMLDatasetPage(t *testing.T) {
	srv := newServer(t, demoStore(t), fdp.Options{})
	status, h, body := get(t, srv, path(turiaDataset), "text/html")
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, Content-Type %q", status, h.Get("Content-Type"))
	}
	page := string(body)
	for _, want := range []string{
		"<title>Prostate Adenocarcinoma imaging cohort 1 (Hospital Universitario del Turia) · Tessera</title>",
		`<html lang="en">`,
		`href="/provider/turia/catalog"`,                         // crumb to the catalogue
		`href="/provider/turia/dataset/1/distribution/dicom"`,    // link to the distribution
		`>DICOM imaging data</a>`,                                // ... with its label
		`lang="es">Cohorte de imagen 1: Prostate Adenocarcinoma`, // all languages
		`href="/provider/turia/dataset/1?format=turtle"`,         // other formats
		`<caption>Properties</caption>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(page, "http://") && strings.Contains(page, `<link rel="stylesheet"`) || strings.Contains(page, "<script src") {
		t.Errorf("page loads external assets")
	}
	m := ldScript.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no schema.org JSON-LD")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD: %v\n%s", err, m[1])
	}
	for key, want := range map[string]any{
		"@type":               "Dataset",
		"@id":                 turiaDataset,
		"name":                "Prostate Adenocarcinoma imaging cohort 1 (Hospital Universitario del Turia)",
		"license":             "https://creativecommons.org/licenses/by/4.0/",
		"isAccessibleForFree": true,
		"datePublished":       "2017-08-04",
	} {
		if ld[key] != want {
			t.Errorf("JSON-LD %s = %v, want %v", key, ld[key], want)
		}
	}
	if pub, _ := ld["publisher"].(map[string]any); pub["name"] != "Hospital Universitario del Turia" {
		t.Errorf("JSON-LD publisher = %v", ld["publisher"])
	}
	if dist, _ := ld["distribution"].([]any); len(dist) != 1 || dist[0].(map[string]any)["encodingFormat"] != "application/dicom" {
		t.Errorf("JSON-LD distribution = %v", ld["distribution"])
	}
	if tc, _ := ld["temporalCoverage"].(string); !regexp.MustCompile(`^\d{4}-\d\d-\d\d/\d{4}-\d\d-\d\d$`).MatchString(tc) {
		t.Errorf("JSON-LD temporalCoverage = %q", tc)
	}
	if kw, _ := ld["keywords"].([]any); len(kw) < 3 {
		t.Errorf("JSON-LD keywords = %v", ld["keywords"])
	}
	// The catalogue's page is a DataCatalog listing its datasets.
	_, _, body = get(t, srv, path(turiaCatalog), "text/html")
	if m := ldScript.FindSubmatch(body); m == nil || !strings.Contains(string(m[1]), `"DataCatalog"`) {
		t.Errorf("catalogue page has no DataCatalog JSON-LD")
	}
	if !strings.Contains(string(body), `href="/provider/turia/catalog/page/dataset"`) {
		t.Errorf("catalogue page does not link its dataset pages")
	}
	for _, p := range []string{"/fdp", "/fdp/page/catalog", "/.well-known/void", "/fdp/dataset/spec", path(turiaPatient)} {
		if status, h, _ := get(t, srv, p, "text/html"); status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s as HTML: %d %s", p, status, h.Get("Content-Type"))
		}
	}
}

// TestHTMLEscapes: hostile data is text, in the page and in the JSON-LD.
func TestHTMLEscapes(t *testing.T) {
	store := memstore.New()
	ds := graph.IRI(base + "provider/x/dataset/1")
	evil := `</script><script>alert(1)</script>"'&<b>`
	quads := []graph.Quad{
		{S: ds, P: graph.IRI(nsRDF + "type"), O: graph.IRI(nsDCAT + "Dataset"), G: graph.IRI(base + "graph/x")},
		{S: ds, P: graph.IRI(nsDCT + "title"), O: graph.String(evil), G: graph.IRI(base + "graph/x")},
		{S: ds, P: graph.IRI(nsDCT + "description"), O: graph.String(evil), G: graph.IRI(base + "graph/x")},
		{S: ds, P: graph.IRI(nsDCAT + "landingPage"), O: graph.IRI("javascript:alert(1)"), G: graph.IRI(base + "graph/x")},
	}
	if _, err := graph.Load(context.Background(), store, graph.FromSlice(quads), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, store, fdp.Options{})
	status, _, body := get(t, srv, "/provider/x/dataset/1", "text/html")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	page := string(body)
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<b>") || strings.Contains(page, `href="javascript:`) {
		t.Errorf("hostile text reached the page unescaped:\n%s", page)
	}
	m := ldScript.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no JSON-LD (the script element was broken)")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil || ld["name"] != evil {
		t.Errorf("JSON-LD name = %v (%v), want the title unchanged", ld["name"], err)
	}
}

// TestGolden pins the Turtle of the FDP and of a dataset record.
func TestGolden(t *testing.T) {
	srv := newServer(t, demoStore(t), fdp.Options{Version: "test"})
	for _, tc := range []struct{ name, path string }{
		{"fdp.ttl", "/fdp"},
		{"dataset.ttl", path(turiaDataset)},
		{"patient.ttl", path(turiaPatient)},
		{"catalog-spec.ttl", "/fdp/catalog/spec"},
	} {
		status, _, body := get(t, srv, tc.path, turtleMedia)
		if status != http.StatusOK {
			t.Fatalf("GET %s = %d", tc.path, status)
		}
		golden := filepath.Join("testdata", tc.name)
		if *update {
			if err := os.WriteFile(golden, body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./web/fdp -run Golden -update)", err)
		}
		if string(want) != string(body) {
			t.Errorf("GET %s differs from %s (run with -update if the change is meant):\n%s", tc.path, golden, body)
		}
	}
}

// TestSpec serves the FDP shapes, all and per layer.
func TestSpec(t *testing.T) {
	srv := newServer(t, demoStore(t), fdp.Options{})
	shapesOf := func(p string) []string {
		var out []string
		for _, q := range fetchRDF(t, srv, p) {
			if q.P.Value() == "http://www.w3.org/ns/shacl#targetClass" {
				out = append(out, q.O.Value())
			}
		}
		return out
	}
	all := shapesOf("/fdp/spec")
	if len(all) != 8 {
		t.Errorf("/fdp/spec targets %v, want the 8 classes of the FDP shapes", all)
	}
	cat := strings.Join(shapesOf("/fdp/catalog/spec"), " ")
	if !strings.Contains(cat, nsDCAT+"Catalog") || !strings.Contains(cat, nsDCAT+"Resource") || strings.Contains(cat, nsDCAT+"Dataset") {
		t.Errorf("/fdp/catalog/spec targets %s", cat)
	}
	if status, _, _ := get(t, srv, "/fdp/nothing/spec", turtleMedia); status != http.StatusNotFound {
		t.Errorf("/fdp/nothing/spec = %d, want 404", status)
	}
}

// TestVoID checks the statistics and the obfuscation of controlled graphs.
func TestVoID(t *testing.T) {
	store := demoStore(t)
	srv := newServer(t, store, fdp.Options{})
	quads := fetchRDF(t, srv, "/.well-known/void")
	st, err := store.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	all := base + ".well-known/void#tessera"
	if got := objects(quads, all, nsVoID+"sparqlEndpoint"); len(got) != 1 || got[0].Value() != base+"sparql" {
		t.Errorf("void:sparqlEndpoint = %v", got)
	}
	if got := objects(quads, all, nsVoID+"subset"); len(got) != len(st.Graphs) {
		t.Errorf("%d subsets, store has %d graphs", len(got), len(st.Graphs))
	}
	turia := base + "graph/provider/turia"
	if got := objects(quads, turia, nsVoID+"triples"); len(got) != 1 || got[0].Value() != itoa(st.Graphs[graph.IRI(turia)]) {
		t.Errorf("public graph void:triples = %v, want %d", got, st.Graphs[graph.IRI(turia)])
	}
	if got := objects(quads, turia, nsVoID+"dataDump"); len(got) != 1 {
		t.Errorf("public graph void:dataDump = %v", got)
	}
	rg := base + "graph/provider/rive-gauche"
	got := objects(quads, rg, nsVoID+"triples")
	if len(got) != 1 || !strings.HasSuffix(got[0].Value(), "0") || got[0].Value() == itoa(st.Graphs[graph.IRI(rg)]) && st.Graphs[graph.IRI(rg)]%10 != 0 {
		t.Errorf("controlled graph void:triples = %v, want %d rounded up to tens", got, st.Graphs[graph.IRI(rg)])
	}
	if got := objects(quads, rg, nsVoID+"dataDump"); len(got) != 0 {
		t.Errorf("controlled graph has a data dump: %v", got)
	}
	if got := objects(quads, turia, nsVoID+"classPartition"); len(got) < 4 {
		t.Errorf("public graph has %d class partitions", len(got))
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
