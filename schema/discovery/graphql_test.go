package discovery

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/graphql-go/graphql"

	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/schema/resource"
)

// testSchema builds a schema with the discovery fields and a stub Dataset
// type (id only), as package schema does with the generated one.
func testSchema(t testing.TB, h Holder) graphql.Schema {
	t.Helper()
	ds := graphql.NewObject(graphql.ObjectConfig{Name: "Dataset", Fields: graphql.Fields{
		"id": {Type: graphql.NewNonNull(graphql.ID), Resolve: func(p graphql.ResolveParams) (any, error) {
			return p.Source.(resource.Node).Term.Value(), nil
		}},
		"graph": {Type: graphql.ID, Resolve: func(p graphql.ResolveParams) (any, error) {
			return p.Source.(resource.Node).Graph.Value(), nil
		}},
	}})
	s, err := graphql.NewSchema(graphql.SchemaConfig{Query: graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: Fields(h, ds)})})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func do(t testing.TB, s graphql.Schema, ctx context.Context, query string, vars map[string]any) map[string]any {
	t.Helper()
	r := graphql.Do(graphql.Params{Schema: s, RequestString: query, VariableValues: vars, Context: ctx})
	if len(r.Errors) > 0 {
		t.Fatalf("%s: %v", query, r.Errors)
	}
	b, err := json.Marshal(r.Data)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// at walks a decoded JSON value by keys and indexes.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func TestGraphQLSmall(t *testing.T) {
	ix := small(t, Obfuscation{ExactFor: access.Levels})
	s := testSchema(t, Static{ix})
	ctx := context.Background()
	t.Run("search", func(t *testing.T) {
		d := do(t, s, ctx, `{ search(text: "cohort", orderBy: TITLE, first: 2) { totalCount edges { cursor score node { id graph } highlights } pageInfo { hasNextPage endCursor hasPreviousPage startCursor } } }`, nil)
		if n := at(d, "search", "totalCount"); n != 3.0 {
			t.Errorf("totalCount = %v, want 3", n)
		}
		if id := at(d, "search", "edges", 0, "node", "id"); id != "urn:ds:controlled" {
			t.Errorf("first by title = %v", id)
		}
		if h := at(d, "search", "edges", 0, "highlights", 0); h != "<em>Cohort</em> controlled" {
			t.Errorf("highlight = %v", h)
		}
		if at(d, "search", "pageInfo", "hasNextPage") != true {
			t.Error("hasNextPage false with 3 results and first 2")
		}
		after := at(d, "search", "pageInfo", "endCursor").(string)
		d = do(t, s, ctx, `query($a: String) { search(text: "cohort", orderBy: TITLE, first: 2, after: $a) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } }`, map[string]any{"a": after})
		if id := at(d, "search", "edges", 0, "node", "id"); id != "urn:ds:registered" || at(d, "search", "pageInfo", "hasPreviousPage") != true {
			t.Errorf("second page: %v", d)
		}
	})
	t.Run("facets", func(t *testing.T) {
		d := do(t, s, ctx, `{ facets(filters: {accessLevels: [PUBLIC, CONTROLLED]}) { totalCount accessLevel { value label count children { value } } } }`, nil)
		if n := at(d, "facets", "totalCount"); n != 2.0 {
			t.Errorf("totalCount = %v, want 2", n)
		}
		// Disjunctive: the access-level facet ignores its own filter.
		if l := at(d, "facets", "accessLevel").([]any); len(l) != 3 {
			t.Errorf("accessLevel facet = %v, want 3 values", l)
		}
	})
	t.Run("cohort per caller", func(t *testing.T) {
		q := `{ cohort(criteria: {sexes: ["` + ncit + `C16576"]}) { datasets { dataset { id } accessLevel subjects { value display exact suppressed } sex { value label count { value } } } subjects { value exact } policy } }`
		exact := func(d map[string]any) map[string]bool {
			out := map[string]bool{}
			for _, c := range at(d, "cohort", "datasets").([]any) {
				out[at(c, "accessLevel").(string)] = at(c, "subjects", "exact").(bool)
			}
			return out
		}
		anon := exact(do(t, s, ctx, q, nil))
		reg := exact(do(t, s, access.WithCaller(ctx, access.Caller{Registered: true}), q, nil))
		want := map[string]bool{"PUBLIC": true, "REGISTERED": false, "CONTROLLED": false}
		if !mapsEqual(anon, want) {
			t.Errorf("anonymous exact = %v, want %v", anon, want)
		}
		want["REGISTERED"] = true
		if !mapsEqual(reg, want) {
			t.Errorf("registered exact = %v, want %v", reg, want)
		}
	})
	t.Run("errors", func(t *testing.T) {
		for _, q := range []string{
			`{ search(first: 100000) { totalCount } }`,
			`{ search(after: "garbage") { totalCount } }`,
			`{ facets(filters: {countries: ["not an iri"]}) { totalCount } }`,
			`{ facets(filters: {countries: ["not-an-iri"]}) { totalCount } }`,
			`{ cohort(criteria: {sexes: ["not-an-iri"]}) { policy } }`,
			`{ facets(filters: {minAge: 90, maxAge: 10}) { totalCount } }`,
			`{ cohort(criteria: {minAgeAtDiagnosis: 90, maxAgeAtDiagnosis: 10}) { policy } }`,
			`{ cohort(criteria: {yearFrom: 2024, yearTo: 2020}) { policy } }`,
			`{ concepts(text: "x", first: 1000) { id } }`,
			`{ cohort(criteria: {diagnoses: [` + strings.Repeat(`"urn:x",`, 300) + `]}) { policy } }`,
		} {
			r := graphql.Do(graphql.Params{Schema: s, RequestString: q, Context: ctx})
			if len(r.Errors) == 0 {
				t.Errorf("%s: no error", q)
			}
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		c, cancel := context.WithCancel(ctx)
		cancel()
		r := graphql.Do(graphql.Params{Schema: s, RequestString: `{ facets { totalCount } }`, Context: c})
		if len(r.Errors) == 0 {
			t.Error("cancelled request answered")
		}
	})
}

func mapsEqual(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

// TestGraphQLLungQuery is the acceptance query: datasets about
// lung cancer (with subtypes) having CT or MR, from providers in Spain or
// Italy, ordered by number of subjects — one GraphQL query whose result
// equals the hand-written SPARQL query's.
func TestGraphQLLungQuery(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the 588k-quad demo catalogue")
	}
	f := loadFixture(t)
	s := testSchema(t, Static{f.ix})
	d := do(t, s, context.Background(), `{
	  search(orderBy: SUBJECTS, first: 100, filters: {
	    cancerTypes: ["`+onco+`LUNG"], modalities: ["`+dcm+`CT", "`+dcm+`MR"],
	    countries: ["`+eu+`ESP", "`+eu+`ITA"] }) { totalCount edges { node { id } } } }`, nil)
	var got []string
	for _, e := range at(d, "search", "edges").([]any) {
		got = append(got, at(e, "node", "id").(string))
	}
	rows := sparqlCounts(t, f.snap, `SELECT DISTINCT ?d ?n { GRAPH ?g { ?d a dcat:Dataset ; dct:spatial ?country ; h1:numberOfUniqueIndividuals|h2:numberOfUniqueIndividuals ?n ;
		e1:hasImageModality|e2:hasImageModality ?m ; e1:hasCondition|e2:hasCondition ?c VALUES ?country { eu:ESP eu:ITA } VALUES ?m { dcm:CT dcm:MR } }
		GRAPH ?vg { ?o skos:exactMatch ?c ; skos:broader* onc:LUNG } }`)
	want := make([]string, 0, len(rows))
	for k := range rows {
		want = append(want, k)
	}
	slices.SortFunc(want, func(a, b string) int {
		if rows[a] != rows[b] {
			return int(rows[b] - rows[a])
		}
		return strings.Compare(a, b)
	})
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("GraphQL gives %q,\nSPARQL gives %q", got, want)
	}
	c := do(t, s, context.Background(), `{ concepts(text: "lung aden", scheme: CANCER_TYPE) { id label matched kind score scheme } }`, nil)
	if id := at(c, "concepts", 0, "id"); id != onco+"LUAD" {
		t.Errorf("concepts(lung aden)[0] = %v, want LUAD", at(c, "concepts", 0))
	}
	c = do(t, s, context.Background(), `{ concepts(text: "pulmon", lang: "es") { id lang matched } }`, nil)
	if id := at(c, "concepts", 0, "id"); id != onco+"LUNG" {
		t.Errorf("concepts(pulmon, es) = %v, want LUNG", at(c, "concepts"))
	}
	c = do(t, s, context.Background(), `{ concepts(text: "fem", scheme: SEX) { id scheme } }`, nil)
	if id := at(c, "concepts", 0, "id"); id != ncit+"C16576" {
		t.Errorf("concepts(fem, SEX) = %v", at(c, "concepts"))
	}
}

func TestGraphQLWithoutDatasetType(t *testing.T) {
	ix := small(t, Obfuscation{})
	s, err := graphql.NewSchema(graphql.SchemaConfig{Query: graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: Fields(Static{ix}, nil)})})
	if err != nil {
		t.Fatal(err)
	}
	d := do(t, s, context.Background(), `{ search(text: "public") { edges { node { id graph } } } }`, nil)
	if id := at(d, "search", "edges", 0, "node", "id"); id != "urn:ds:public" {
		t.Errorf("search(public) = %v", d)
	}
}
