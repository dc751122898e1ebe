package browsertest_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/web/browsertest"
)

func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }

// active scopes selectors to Yasgui's visible tab.
const active = ".tabPanel.active"

// TestSPARQLEditor opens the editor, runs an example query, sees its rows in
// the result table, then runs a chart example and sees its bars.
func TestSPARQLEditor(t *testing.T) {
	b := browsertest.Start(t)
	b.Open("/sparql")
	b.WaitVisible("#yasgui .yasqe .CodeMirror")
	if got := browsertest.Eval[string](b, "document.title"); !strings.Contains(got, "SPARQL editor") {
		t.Errorf("title = %q, want the SPARQL editor", got)
	}
	if n := b.Count("button.example"); n < 4 {
		t.Fatalf("%d example buttons, want at least 4", n)
	}
	load := browsertest.Eval[float64](b, `performance.getEntriesByType("navigation")[0].loadEventEnd`)
	t.Logf("editor page loaded in %.0f ms", load)
	b.Screenshot("01-editor")

	b.Click(`button.example[data-example="datasets-per-provider"]`)
	b.WaitTrue(`tesseraEditor.yasgui.getTab().getQuery().includes("foaf:name ?provider")`)
	b.Click(active + " .yasqe_queryButton")
	rows := b.WaitCount(active+" .yasr .dataTable tbody tr", 12)
	// The demo catalogue has 12 generated providers, each with datasets.
	if rows < 12 {
		t.Fatalf("%d result rows, want >= 12 (one per provider)", rows)
	}
	first := b.Text(active + " .yasr .dataTable tbody tr td:nth-child(2)")
	if first == "" {
		t.Errorf("first provider cell is empty")
	}
	header := b.Text(active + " .yasr .dataTable thead")
	if !strings.Contains(header, "provider") || !strings.Contains(header, "datasets") {
		t.Errorf("table header %q lacks the provider and datasets columns", header)
	}
	b.Screenshot("02-results-table")

	b.Click(`button.example[data-example="studies-per-modality"]`)
	b.WaitTrue(`tesseraEditor.yasgui.getTab().getQuery().includes("cdm:modality")`)
	b.Click(active + " .yasqe_queryButton")
	b.WaitCount(active+" .yasr .dataTable tbody tr", 3)
	b.Click(active + " .yasr .select_chart")
	b.WaitVisible(active + " .tessera-chart canvas")
	labels := browsertest.Eval[[]string](b, `Chart.getChart(document.querySelector(".tabPanel.active .tessera-chart canvas")).data.labels`)
	if !contains(labels, "Computed Tomography") {
		t.Errorf("chart labels = %q, want the CT modality among them", labels)
	}
	values := browsertest.Eval[[]float64](b, `Chart.getChart(document.querySelector(".tabPanel.active .tessera-chart canvas")).data.datasets[0].data`)
	if len(values) != len(labels) || len(values) == 0 || values[0] <= 0 {
		t.Errorf("chart values = %v for labels %q, want one positive count per label", values, labels)
	}
	b.Screenshot("03-results-chart")
}

// TestOpenAPIViewer opens the API viewer and finds the /sparql operations.
func TestOpenAPIViewer(t *testing.T) {
	b := browsertest.Start(t)
	b.Open("/openapi")
	b.WaitVisible("#operations-SPARQL-sparqlQueryGet")
	if n := b.Count(".opblock"); n < 10 {
		t.Errorf("%d operations shown, want at least 10", n)
	}
	b.Screenshot("01-viewer")
	b.Click("#operations-SPARQL-sparqlQueryGet .opblock-summary-control")
	b.WaitVisible("#operations-SPARQL-sparqlQueryGet .parameters")
	params := b.Text("#operations-SPARQL-sparqlQueryGet .parameters")
	for _, p := range []string{"query", "default-graph-uri", "named-graph-uri", "timeout"} {
		if !strings.Contains(params, p) {
			t.Errorf("GET /sparql parameters lack %s: %q", p, params)
		}
	}
	b.Screenshot("02-sparql-get")
}

// TestGraphiQL opens the GraphQL playground, when the server has one, and
// runs its first example when the server has a GraphQL schema.
func TestGraphiQL(t *testing.T) {
	base := browsertest.BaseURL(t)
	req, _ := http.NewRequest(http.MethodGet, base+"/graphql", nil)
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Skipf("GET /graphql (text/html) = %d %s: no playground to test yet", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	b := browsertest.Start(t)
	b.Open("/graphql")
	b.WaitVisible(".graphiql-container")
	b.WaitVisible(".graphiql-execute-button")
	b.Screenshot("01-graphiql")

	resp, err = http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"{ __typename }"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Skipf("POST /graphql = %d: the server has no GraphQL schema yet, so no query is run", resp.StatusCode)
	}
	b.Click(".graphiql-execute-button")
	b.WaitTrue(`(document.querySelector(".graphiql-response") || {}).textContent && document.querySelector(".graphiql-response").textContent.includes('"data"')`)
	b.Screenshot("02-graphiql-result")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
