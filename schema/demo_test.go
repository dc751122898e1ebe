package schema

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/parser"
)

// The acceptance query of issue 5: datasets about lung cancer (with
// subtypes) having CT or MR, from providers in Spain or Italy, ordered by
// number of subjects — one GraphQL query.
const lungQuery = `query Lung($cancer: ID!, $modalities: [ID!], $countries: [ID!]) {
  datasets(
    where: {condition: {eq: $cancer}, imageModality: {in: $modalities}, publisher: {country: {in: $countries}}}
    orderBy: [{numberOfUniqueIndividuals: DESC}]
    first: 1000
  ) {
    totalCount
    nodes { id numberOfUniqueIndividuals title(lang: "en") condition { label } publisher { name } }
  }
}`

var lungVars = map[string]any{
	"cancer":     onco + "LUNG",
	"modalities": []any{dcm + "CT", dcm + "MR"},
	"countries":  []any{country + "ESP", country + "ITA"},
}

// The same question written by hand in SPARQL: the cancer-type hierarchy
// walked with a property path, codes matched through skos:exactMatch, both
// namespace variants of EUCAIM and HealthDCAT-AP spelt out.
const lungSPARQL = `
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX eu: <https://hyperontology.eucaim.cancerimage.eu/#>
PREFIX euold: <https://cancerimage.eu/ontology/EUCAIM#>
PREFIX hd: <https://w3id.org/healthdcat-ap#>
PREFIX hdold: <http://healthdataportal.eu/ns/health#>
SELECT DISTINCT ?ds ?n WHERE {
  ?ds a dcat:Dataset .
  ?ds eu:hasCondition|euold:hasCondition ?code .
  ?type (skos:broader|^skos:narrower)* <https://tessera.example/vocab/oncotree/LUNG> .
  ?type (skos:exactMatch|^skos:exactMatch)? ?code .
  ?ds eu:hasImageModality|euold:hasImageModality ?mod .
  VALUES ?mod { <http://dicom.nema.org/resources/ontology/DCM/CT> <http://dicom.nema.org/resources/ontology/DCM/MR> }
  ?ds dct:publisher/dct:spatial ?country .
  VALUES ?country { <http://publications.europa.eu/resource/authority/country/ESP> <http://publications.europa.eu/resource/authority/country/ITA> }
  ?ds hd:numberOfUniqueIndividuals|hdold:numberOfUniqueIndividuals ?n .
}
ORDER BY DESC(?n) ?ds`

func sparqlIDs(t *testing.T, r graph.Reader, src string) []string {
	t.Helper()
	a, err := parser.ParseQuery(src, parser.Options{})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	q, err := algebra.Translate(a, algebra.Options{})
	if err != nil {
		t.Fatalf("translate: %v", err)
	}
	res, err := eval.Query(context.Background(), r, q, eval.Options{Dataset: eval.Dataset{UnionDefault: true}})
	if err != nil {
		t.Fatalf("eval: %v", err)
	}
	var out []string
	for row, err := range res.Solutions {
		if err != nil {
			t.Fatalf("eval: %v", err)
		}
		out = append(out, row[0].Value())
	}
	return out
}

func TestAcceptanceLungCancer(t *testing.T) {
	svc := demoService(t, Options{})
	start := time.Now()
	resp := svc.Do(context.Background(), Request{Query: lungQuery, Variables: lungVars})
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %v", resp.Errors)
	}
	t.Logf("GraphQL answered in %v", time.Since(start))
	conn := resp.Data.(map[string]any)["datasets"].(map[string]any)
	var got []string
	prev := 1 << 30
	for _, n := range conn["nodes"].([]any) {
		node := n.(map[string]any)
		got = append(got, node["id"].(string))
		subjects := node["numberOfUniqueIndividuals"].(int)
		if subjects > prev {
			t.Errorf("not ordered by subjects: %d after %d", subjects, prev)
		}
		prev = subjects
		if label := node["condition"].(map[string]any)["label"].(string); !strings.Contains(strings.ToLower(label), "lung") {
			t.Errorf("%s has condition %q", node["id"], label)
		}
	}
	snap, err := demoStore(t).Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	start = time.Now()
	want := sparqlIDs(t, snap, lungSPARQL)
	t.Logf("SPARQL answered in %v", time.Since(start))
	if len(got) == 0 || len(want) == 0 {
		t.Fatalf("empty answer: GraphQL %v, SPARQL %v", got, want)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GraphQL = %v\nSPARQL  = %v", got, want)
	}
	if conn["totalCount"] != len(want) {
		t.Errorf("totalCount = %v, want %d", conn["totalCount"], len(want))
	}
	t.Logf("%d datasets: %v", len(got), got)
}

// queriesOf runs q with explain and returns how many queries it ran.
func queriesOf(t *testing.T, svc *Service, q string) (int, *Response) {
	t.Helper()
	resp := svc.Do(context.Background(), Request{Query: q, Explain: true, Registered: true})
	if len(resp.Errors) > 0 {
		t.Fatalf("Do(%s): %v", q, resp.Errors)
	}
	return resp.Extensions["queries"].(int), resp
}

func TestNoNPlusOne(t *testing.T) {
	svc := demoService(t, Options{})
	// Three levels of objects: datasets, their publishers, the
	// publishers' countries (concept labels come from the ontology).
	three := `{ datasets(first: %d) { totalCount nodes { title identifier publisher { name homepage { id } country { label } } } } }`
	small, _ := queriesOf(t, svc, fmt.Sprintf(three, 2))
	large, _ := queriesOf(t, svc, fmt.Sprintf(three, 60))
	if large != small {
		t.Errorf("queries grow with the page: %d for 2 datasets, %d for 60", small, large)
	}
	if large > 3+1 {
		t.Errorf("3-level query ran %d queries, want at most 4", large)
	}
	// Nested lists batch per level too: datasets → patients → studies.
	nested := `{ datasets(first: %d) { nodes { title patients(first: 3) { totalCount nodes { sex { label } ageAtDiagnosis studies(first: 2) { nodes { modality { label } studyDate } } } } } } }`
	small, _ = queriesOf(t, svc, fmt.Sprintf(nested, 2))
	large, resp := queriesOf(t, svc, fmt.Sprintf(nested, 40))
	if large != small || large > 6 {
		t.Errorf("nested lists ran %d queries for 2 datasets, %d for 40; want the same, at most 6", small, large)
	}
	// Sanity: the nested lists are not empty for public graphs.
	found := false
	for _, n := range resp.Data.(map[string]any)["datasets"].(map[string]any)["nodes"].([]any) {
		ps := n.(map[string]any)["patients"].(map[string]any)
		if ps["totalCount"].(int) > 0 && len(ps["nodes"].([]any)) == 3 {
			found = true
		}
	}
	if !found {
		t.Error("no dataset has visible patients")
	}
}

func TestExplain(t *testing.T) {
	svc := demoService(t, Options{})
	resp := svc.Do(context.Background(), Request{Query: lungQuery, Variables: lungVars, Explain: true})
	if len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	plans, _ := resp.Extensions["explain"].([]string)
	if len(plans) == 0 || len(plans) != resp.Extensions["queries"] {
		t.Fatalf("explain = %v (queries %v)", plans, resp.Extensions["queries"])
	}
	first := plans[0]
	for _, want := range []string{"(order", "(table", "NCIT_C3512", "(slice", "numberOfUniqueIndividuals"} {
		if !strings.Contains(first, want) {
			t.Errorf("explain of the list does not mention %q:\n%s", want, first)
		}
	}
	// Without Explain there is no extension.
	if resp := svc.Do(context.Background(), Request{Query: lungQuery, Variables: lungVars}); resp.Extensions != nil {
		t.Errorf("extensions without explain: %v", resp.Extensions)
	}
}

func TestRecordAccess(t *testing.T) {
	svc := demoService(t, Options{})
	count := func(registered bool, graphSlug string) int {
		q := fmt.Sprintf(`{ patients(where: {dataset: {publisher: {id: {eq: "https://tessera.example/provider/%s/organisation"}}}}) { totalCount } }`, graphSlug)
		resp := svc.Do(context.Background(), Request{Query: q, Registered: registered})
		if len(resp.Errors) > 0 {
			t.Fatalf("%s: %v", graphSlug, resp.Errors)
		}
		return resp.Data.(map[string]any)["patients"].(map[string]any)["totalCount"].(int)
	}
	// turia is public, spreeufer registered, rive-gauche controlled.
	if n := count(false, "turia"); n == 0 {
		t.Error("public patients invisible to anonymous callers")
	}
	if n := count(false, "spreeufer"); n != 0 {
		t.Errorf("anonymous caller sees %d registered-graph patients", n)
	}
	if n := count(true, "spreeufer"); n == 0 {
		t.Error("registered caller does not see registered-graph patients")
	}
	if n := count(true, "rive-gauche"); n != 0 {
		t.Errorf("registered caller sees %d controlled-graph patients", n)
	}
	// Catalogue metadata of controlled providers stays visible.
	resp := svc.Do(context.Background(), Request{Query: `{ datasets(where: {publisher: {id: {eq: "https://tessera.example/provider/rive-gauche/organisation"}}}) { totalCount } }`})
	if n := resp.Data.(map[string]any)["datasets"].(map[string]any)["totalCount"].(int); n == 0 {
		t.Error("controlled provider's datasets are hidden from the catalogue")
	}
}

func BenchmarkDatasetList(b *testing.B) {
	svc := demoService(b, Options{})
	q := `{ datasets(first: 50, orderBy: [{numberOfUniqueIndividuals: DESC}]) { totalCount nodes {
		id title(lang: "en") identifier numberOfUniqueIndividuals keywords condition { id label } imageModality { label }
		publisher { name country { label } } } } }`
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if resp := svc.Do(ctx, Request{Query: q}); len(resp.Errors) > 0 {
			b.Fatal(resp.Errors)
		}
	}
}

func BenchmarkAcceptance(b *testing.B) {
	svc := demoService(b, Options{})
	ctx := context.Background()
	for b.Loop() {
		if resp := svc.Do(ctx, Request{Query: lungQuery, Variables: lungVars}); len(resp.Errors) > 0 {
			b.Fatal(resp.Errors)
		}
	}
}

// TestLongByteSize reads and filters dcat:byteSize above 2^31: the catalogue
// shape annotates it tessera:graphqlScalar "Long", so archive sizes are not
// lost to GraphQL's 32-bit Int.
func TestLongByteSize(t *testing.T) {
	svc := demoService(t, Options{})
	const min = int64(3_000_000_000)
	resp := svc.Do(context.Background(), Request{
		Query:     `query Big($min: Long) { distributions(where: {byteSize: {gt: $min}}, first: 5) { totalCount nodes { id byteSize } } }`,
		Variables: map[string]any{"min": min},
	})
	if len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	list := resp.Data.(map[string]any)["distributions"].(map[string]any)
	nodes := list["nodes"].([]any)
	if len(nodes) == 0 || list["totalCount"].(int) == 0 {
		t.Fatalf("no distribution above %d bytes: %v", min, list)
	}
	for _, n := range nodes {
		size, ok := n.(map[string]any)["byteSize"].(int64)
		if !ok || size <= min {
			t.Errorf("distribution %v: byteSize %v, want an int64 above %d", n.(map[string]any)["id"], n.(map[string]any)["byteSize"], min)
		}
	}
}
