package editor

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/sparql/parser"
	"github.com/tessera-fair/tessera/web/asset"
)

func TestExamples(t *testing.T) {
	examples, err := Examples()
	if err != nil {
		t.Fatal(err)
	}
	if len(examples) < 4 {
		t.Fatalf("%d examples, want at least 4", len(examples))
	}
	seen := map[string]bool{}
	for _, ex := range examples {
		t.Run(ex.ID, func(t *testing.T) {
			if ex.ID == "" || seen[ex.ID] {
				t.Errorf("ID %q is empty or repeated", ex.ID)
			}
			seen[ex.ID] = true
			if ex.Title == "" || ex.Description == "" {
				t.Errorf("title %q, description %q: want both", ex.Title, ex.Description)
			}
			// Parsing also checks that every prefix used is declared.
			if _, err := parser.ParseQuery(ex.Query, parser.Options{}); err != nil {
				t.Errorf("ParseQuery(%s) = %v", ex.ID, err)
			}
		})
	}
}

func TestPrefixes(t *testing.T) {
	want := map[string]string{
		"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
		"skos": "http://www.w3.org/2004/02/skos/core#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
		"xsd": "http://www.w3.org/2001/XMLSchema#", "hdcat": "https://w3id.org/healthdcat-ap#",
		"eucaim": "https://hyperontology.eucaim.cancerimage.eu/#", "cdm": "https://tessera.example/ns/cdm#",
		"tessera": "https://tessera.example/ns#",
	}
	got := map[string]string{}
	for _, p := range Prefixes {
		if _, dup := got[p.Name]; dup {
			t.Errorf("prefix %s declared twice", p.Name)
		}
		got[p.Name] = p.IRI
	}
	for name, iri := range want {
		if got[name] != iri {
			t.Errorf("prefix %s = %q, want %q", name, got[name], iri)
		}
	}
	// A query made of the declarations alone must parse.
	var b strings.Builder
	for _, p := range Prefixes {
		b.WriteString("PREFIX " + p.Name + ": <" + p.IRI + ">\n")
	}
	b.WriteString("SELECT * WHERE { ?s dcat:dataset ?o }")
	if _, err := parser.ParseQuery(b.String(), parser.Options{}); err != nil {
		t.Errorf("the prefix declarations do not parse: %v", err)
	}
}

var configJSON = regexp.MustCompile(`(?s)<script type="application/json" id="editor-config">(.*?)</script>`)
var localRef = regexp.MustCompile(`(?:src|href)="(/static/editor/[^"?]+)\?v=([0-9a-f]+)"`)

func TestPage(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	page := e.Page()
	m := configJSON.FindSubmatch(page)
	if m == nil {
		t.Fatal("the page has no editor-config script")
	}
	var cfg struct {
		Endpoint string    `json:"endpoint"`
		Prefixes []Prefix  `json:"prefixes"`
		Examples []Example `json:"examples"`
	}
	if err := json.Unmarshal(m[1], &cfg); err != nil {
		t.Fatalf("editor-config is not JSON: %v", err)
	}
	examples, _ := Examples()
	if cfg.Endpoint != "/sparql" || len(cfg.Prefixes) != len(Prefixes) || len(cfg.Examples) != len(examples) {
		t.Errorf("config: endpoint %q, %d prefixes, %d examples; want /sparql, %d, %d", cfg.Endpoint, len(cfg.Prefixes), len(cfg.Examples), len(Prefixes), len(examples))
	}
	for _, ex := range examples {
		if !strings.Contains(string(page), `data-example="`+ex.ID+`"`) {
			t.Errorf("no button for example %s", ex.ID)
		}
	}
	// Every asset the page names exists, at its current version.
	refs := localRef.FindAllSubmatch(page, -1)
	if len(refs) < 4 {
		t.Fatalf("the page references %d local assets, want yasgui js+css, chart.js, editor js+css", len(refs))
	}
	for _, r := range refs {
		name := strings.TrimPrefix(string(r[1]), AssetPrefix)
		if v := e.Assets().Version(name); v == "" || v != string(r[2]) {
			t.Errorf("the page references %s?v=%s; the asset's version is %q", r[1], r[2], v)
		}
	}
	// A config value with "</script>" cannot end the element early.
	if strings.Count(string(page), "</script>") != strings.Count(string(page), "<script") {
		t.Errorf("unbalanced script elements")
	}
}

// TestNoExternalReferences checks the page and every bundled file for
// scripts, styles, fonts or requests from another origin.
func TestNoExternalReferences(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if refs := asset.ExternalRefs("page.html", e.Page()); len(refs) > 0 {
		t.Errorf("the page loads from other origins: %q", refs)
	}
	names := e.Assets().Names()
	if len(names) < 5 {
		t.Fatalf("%d assets, want at least 5", len(names))
	}
	for _, name := range names {
		if refs := asset.ExternalRefs(name, e.Assets().Content(name)); len(refs) > 0 {
			t.Errorf("%s loads from other origins: %q", name, refs)
		}
	}
	js := string(e.Assets().Content("editor.js"))
	for _, want := range []string{`autocompleters = completers`, `prefixCcApi = null`, `endpointCatalogueOptions`} {
		if !strings.Contains(js, want) {
			t.Errorf("editor.js no longer sets %s (Yasgui would call other servers)", want)
		}
	}
}

func TestServePage(t *testing.T) {
	e, err := New(Options{Endpoint: "https://other.example/sparql", AssetPrefix: "/x/"})
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		w := httptest.NewRecorder()
		e.ServePage(w, httptest.NewRequest(method, "/sparql", nil))
		if w.Code != 200 || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: %d %s", method, w.Code, w.Header().Get("Content-Type"))
		}
		if !strings.Contains(w.Header().Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("%s: CSP %q", method, w.Header().Get("Content-Security-Policy"))
		}
		if method == http.MethodHead && w.Body.Len() != 0 {
			t.Errorf("HEAD wrote %d bytes", w.Body.Len())
		}
	}
	page := string(e.Page())
	if !strings.Contains(page, `"endpoint":"https://other.example/sparql"`) || !strings.Contains(page, `src="/x/editor.js?v=`) {
		t.Errorf("Options not applied to the page")
	}
}
