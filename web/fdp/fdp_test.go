package fdp_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/web/fdp"
)

// TestFDPValidates fetches the FDP, a catalogue, a dataset and a
// distribution of the demo federation and validates each document against
// the FDP shapes, and checks the record properties the FDP spec requires.
func TestFDPValidates(t *testing.T) {
	srv := newServer(t, demoStore(t), fdp.Options{})
	for _, tc := range []struct {
		name, iri, path, class, parent string
	}{
		{"fdp", base + "fdp", "/fdp", nsFDP + "FAIRDataPoint", ""},
		{"catalog", turiaCatalog, path(turiaCatalog), nsDCAT + "Catalog", base + "fdp"},
		{"dataset", turiaDataset, path(turiaDataset), nsDCAT + "Dataset", turiaCatalog},
		{"distribution", turiaDist, path(turiaDist), nsDCAT + "Distribution", turiaDataset},
		{"controlled dataset", controlledDS, path(controlledDS), nsDCAT + "Dataset", base + "provider/rive-gauche/catalog"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			quads := fetchRDF(t, srv, tc.path)
			validate(t, tc.path, quads)
			types := objects(quads, tc.iri, nsRDF+"type")
			for _, want := range []string{tc.class, nsDCAT + "Resource"} {
				if !slices.Contains(types, graph.IRI(want)) {
					t.Errorf("%s types = %v, want %s", tc.path, types, want)
				}
			}
			for _, p := range []string{nsFDP + "metadataIdentifier", nsFDP + "metadataIssued", nsFDP + "metadataModified", nsDCT + "conformsTo", nsDCT + "title", nsDCT + "publisher", nsDCAT + "version", nsDCT + "hasVersion", nsDCT + "language"} {
				if len(objects(quads, tc.iri, p)) == 0 {
					t.Errorf("%s has no %s", tc.path, p)
				}
			}
			for _, v := range objects(quads, tc.iri, nsFDP+"metadataModified") {
				if v.Datatype() != graph.XSDNamespace+"dateTime" {
					t.Errorf("%s fdp:metadataModified = %v, want an xsd:dateTime", tc.path, v)
				}
			}
			if tc.parent != "" {
				if got := objects(quads, tc.iri, nsDCT+"isPartOf"); !slices.Contains(got, graph.IRI(tc.parent)) {
					t.Errorf("%s dct:isPartOf = %v, want %s", tc.path, got, tc.parent)
				}
			}
		})
	}
}

// TestFDPTree checks the links an FDP client follows: the FDP lists all
// catalogues (fdp:metadataCatalog and its LDP container), a catalogue its
// datasets, a dataset its distribution.
func TestFDPTree(t *testing.T) {
	srv := newServer(t, demoStore(t), fdp.Options{})
	root := fetchRDF(t, srv, "/fdp")
	cats := objects(root, base+"fdp", nsFDP+"metadataCatalog")
	if len(cats) != demoCatalogs {
		t.Fatalf("fdp:metadataCatalog has %d values, want %d", len(cats), demoCatalogs)
	}
	container := objects(root, base+"fdp#catalogs", nsLDP+"contains")
	if len(container) != demoCatalogs {
		t.Errorf("ldp:contains of the catalogue container has %d values, want %d", len(container), demoCatalogs)
	}
	if got := objects(root, base+"fdp#catalogs", nsLDP+"hasMemberRelation"); len(got) != 1 || got[0].Value() != nsFDP+"metadataCatalog" {
		t.Errorf("container ldp:hasMemberRelation = %v", got)
	}
	if got := objects(root, base+"fdp", nsDCAT+"endpointURL"); len(got) != 1 || got[0].Value() != base+"sparql" {
		t.Errorf("dcat:endpointURL = %v, want %ssparql", got, base)
	}
	cat := fetchRDF(t, srv, path(turiaCatalog))
	if got := objects(cat, turiaCatalog, nsDCAT+"dataset"); len(got) != 7 {
		t.Errorf("turia catalogue lists %d datasets, want 7", len(got))
	}
	// The catalogue has titles in English and Spanish: one dct:title (the
	// preferred language), both as rdfs:label.
	titles := objects(cat, turiaCatalog, nsDCT+"title")
	if len(titles) != 1 || titles[0].Lang() != "en" {
		t.Errorf("catalogue dct:title = %v, want one English title", titles)
	}
	if got := objects(cat, turiaCatalog, nsRDFS+"label"); len(got) != 2 {
		t.Errorf("catalogue rdfs:label = %v, want both titles", got)
	}
	ds := fetchRDF(t, srv, path(turiaDataset))
	if got := objects(ds, turiaDataset, nsDCAT+"distribution"); len(got) != 1 || got[0].Value() != turiaDist {
		t.Errorf("dataset dcat:distribution = %v", got)
	}
	// The dataset has no licence of its own: its distribution's is used.
	if got := objects(ds, turiaDataset, nsDCT+"license"); len(got) != 1 || got[0].Value() != "https://creativecommons.org/licenses/by/4.0/" {
		t.Errorf("dataset dct:license = %v, want the distribution's CC BY 4.0", got)
	}
	dist := fetchRDF(t, srv, path(turiaDist))
	if got := objects(dist, turiaDist, nsDCAT+"mediaType"); len(got) != 1 || got[0].Value() != "application/dicom" || !got[0].IsLiteral() {
		t.Errorf("distribution dcat:mediaType = %v, want the literal application/dicom", got)
	}
	// ?profile=full gives the stored triples unchanged.
	full := fetchRDF(t, srv, path(turiaCatalog)+"?profile=full")
	if got := objects(full, turiaCatalog, nsDCT+"title"); len(got) != 2 {
		t.Errorf("full profile dct:title = %v, want both titles", got)
	}
	if got := objects(full, turiaCatalog, nsFDP+"metadataIdentifier"); len(got) != 0 {
		t.Errorf("full profile has FDP additions: %v", got)
	}
}

// TestPaging walks the FDP's catalogue pages by their Link headers.
func TestPaging(t *testing.T) {
	srv := newServer(t, demoStore(t), fdp.Options{})
	next := "/fdp/page/catalog?page=0&size=5"
	var seen []graph.Term
	pages := 0
	for next != "" {
		status, h, body := get(t, srv, next, turtleMedia)
		if status != http.StatusOK {
			t.Fatalf("GET %s = %d: %s", next, status, body)
		}
		pages++
		quads := parse(t, h.Get("Content-Type"), body)
		for _, q := range quads {
			if q.P.Value() == nsRDF+"type" && q.O.Value() == nsDCAT+"Catalog" && !slices.Contains(seen, q.S) {
				seen = append(seen, q.S)
			}
		}
		next = ""
		for _, l := range strings.Split(h.Get("Link"), ",") {
			if strings.Contains(l, `rel="next"`) {
				next = strings.Trim(strings.TrimSpace(strings.Split(l, ";")[0]), "<>")
			}
		}
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if pages != 3 || len(seen) != demoCatalogs {
		t.Errorf("walked %d pages and %d catalogues, want 3 and %d", pages, len(seen), demoCatalogs)
	}
	// A catalogue's datasets.
	status, h, _ := get(t, srv, path(turiaCatalog)+"/page/dataset?size=3&page=2", turtleMedia)
	if status != http.StatusOK || !strings.Contains(h.Get("Link"), `rel="prev"`) || strings.Contains(h.Get("Link"), `rel="next"`) {
		t.Errorf("last dataset page: status %d, Link %q", status, h.Get("Link"))
	}
	for _, bad := range []string{"?page=-1", "?size=0", "?size=1000", "?page=x"} {
		if status, _, _ := get(t, srv, "/fdp/page/catalog"+bad, turtleMedia); status != http.StatusBadRequest {
			t.Errorf("GET /fdp/page/catalog%s = %d, want 400", bad, status)
		}
	}
	if status, _, _ := get(t, srv, path(turiaCatalog)+"/page/distribution", turtleMedia); status != http.StatusNotFound {
		t.Errorf("catalogue distributions page = %d, want 404", status)
	}
}

// TestNegotiation serves every format by Accept and ?format=, each parsing
// back to the same triples.
func TestNegotiation(t *testing.T) {
	srv := newServer(t, demoStore(t), fdp.Options{})
	want := fetchRDF(t, srv, path(turiaDataset))
	for _, tc := range []struct {
		accept, query, wantType string
	}{
		{"", "", turtleMedia},
		{"*/*", "", turtleMedia},
		{"application/ld+json", "", jsonldMedia},
		{"application/rdf+xml", "", rdfxmlMedia},
		{"application/n-triples", "", ntriplesMedia},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "", "text/html"},
		{"text/html", "?format=jsonld", jsonldMedia},
		{"", "?format=ntriples", ntriplesMedia},
		{"", "?format=html", "text/html"},
	} {
		status, h, body := get(t, srv, path(turiaDataset)+tc.query, tc.accept)
		ct := h.Get("Content-Type")
		if status != http.StatusOK || !strings.HasPrefix(ct, tc.wantType) {
			t.Errorf("Accept %q%s: status %d, Content-Type %q, want %s", tc.accept, tc.query, status, ct, tc.wantType)
			continue
		}
		if !strings.Contains(h.Get("Vary"), "Accept") {
			t.Errorf("Accept %q%s: no Vary: Accept", tc.accept, tc.query)
		}
		if tc.wantType == "text/html" {
			continue
		}
		if got := parse(t, ct, body); !graph.Isomorphic(got, want) {
			t.Errorf("Accept %q%s: %d quads, not isomorphic to the Turtle's %d", tc.accept, tc.query, len(got), len(want))
		}
	}
	if status, _, _ := get(t, srv, path(turiaDataset), "image/png"); status != http.StatusNotAcceptable {
		t.Errorf("Accept image/png = %d, want 406", status)
	}
	if status, _, _ := get(t, srv, path(turiaDataset)+"?format=pdf", ""); status != http.StatusNotAcceptable {
		t.Errorf("?format=pdf = %d, want 406", status)
	}
}

// TestLinkedDataAccess: IRIs dereference; records of controlled graphs do
// not, catalogue metadata of every graph does.
func TestLinkedDataAccess(t *testing.T) {
	srv := newServer(t, demoStore(t), fdp.Options{})
	for _, tc := range []struct {
		path string
		want int
	}{
		{path(turiaPatient), http.StatusOK},
		{path(controlledDS), http.StatusOK},
		{path(controlledPat), http.StatusNotFound},
		{"/provider/turia/no-such-thing", http.StatusNotFound},
		{"/provider/turia/organisation", http.StatusOK},
		{"/provider/rive-gauche/organisation", http.StatusOK},
		{"/graph/provider/turia", http.StatusOK},
	} {
		status, _, body := get(t, srv, tc.path, turtleMedia)
		if status != tc.want {
			t.Errorf("GET %s = %d, want %d: %.200s", tc.path, status, tc.want, body)
		}
		if status == http.StatusNotFound && !strings.Contains(string(body), `"error"`) {
			t.Errorf("GET %s: 404 body %q is not the JSON error format", tc.path, body)
		}
	}
	pat := fetchRDF(t, srv, path(turiaPatient))
	ds := objects(pat, turiaPatient, nsDCT+"isPartOf")
	if len(ds) != 1 || ds[0].Value() != turiaDataset {
		t.Fatalf("patient dct:isPartOf = %v", ds)
	}
	// The referenced dataset's labels come along.
	if got := objects(pat, turiaDataset, nsRDFS+"label"); len(got) == 0 {
		t.Errorf("patient description has no label of its dataset")
	}
}
