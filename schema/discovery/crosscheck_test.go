package discovery

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/parser"
)

const prefixes = `
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX e1: <https://hyperontology.eucaim.cancerimage.eu/#>
PREFIX e2: <https://cancerimage.eu/ontology/EUCAIM#>
PREFIX h1: <https://w3id.org/healthdcat-ap#>
PREFIX h2: <http://healthdataportal.eu/ns/health#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cdm: <https://tessera.example/ns/cdm#>
PREFIX onc: <https://tessera.example/vocab/oncotree/>
PREFIX ncit: <http://purl.obolibrary.org/obo/NCIT_>
PREFIX dcm: <http://dicom.nema.org/resources/ontology/DCM/>
PREFIX sct: <http://snomed.info/id/>
PREFIX eu: <http://publications.europa.eu/resource/authority/country/>
PREFIX t: <https://tessera.example/ns#>
`

// sparqlCounts runs a SELECT ?key ?n query and returns n by key's value.
func sparqlCounts(t *testing.T, r graph.Reader, query string) map[string]int64 {
	t.Helper()
	a, err := parser.ParseQuery(prefixes+query, parser.Options{})
	if err != nil {
		t.Fatalf("parse %s: %v", query, err)
	}
	q, err := algebra.Translate(a, algebra.Options{})
	if err != nil {
		t.Fatalf("translate: %v", err)
	}
	res, err := eval.Query(context.Background(), r, q, eval.Options{})
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	out := map[string]int64{}
	for row, err := range res.Solutions {
		if err != nil {
			t.Fatalf("query %s: %v", query, err)
		}
		key := ""
		if len(row) > 1 {
			key = row[0].Value()
		}
		n, err := strconv.ParseInt(row[len(row)-1].Value(), 10, 64)
		if err != nil {
			t.Fatalf("count %v: %v", row, err)
		}
		if n > 0 {
			out[key] = n
		}
	}
	return out
}

func facetCounts(vs []FacetValue) map[string]int64 {
	out := map[string]int64{}
	var walk func([]FacetValue)
	walk = func(vs []FacetValue) {
		for _, v := range vs {
			out[v.Value] = int64(v.Count)
			walk(v.Children)
		}
	}
	walk(vs)
	return out
}

func sameCounts(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	if len(want) == 0 {
		t.Errorf("%s: the SPARQL query counts nothing: the test would prove nothing", what)
	}
	if !maps.Equal(got, want) {
		keys := slices.Sorted(maps.Keys(want))
		for k := range got {
			if _, ok := want[k]; !ok {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			if got[k] != want[k] {
				t.Errorf("%s[%s] = %d, SPARQL says %d", what, k, got[k], want[k])
			}
		}
	}
}

// TestFacetsEqualSPARQL checks facet counts against hand-written SPARQL
// run through the shared evaluator on the demo catalogue.
func TestFacetsEqualSPARQL(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the 588k-quad demo catalogue")
	}
	f := loadFixture(t)
	ctx := context.Background()
	lung := Filters{CancerTypes: []graph.Term{iri(onco + "LUNG")}}
	spainItalyCTMR := Filters{
		Countries:  []graph.Term{iri(eu + "ESP"), iri(eu + "ITA")},
		Modalities: []graph.Term{iri(dcm + "CT"), iri(dcm + "MR")},
	}
	age := 50
	tests := []struct {
		name    string
		filters Filters
		pick    func(*Facets) []FacetValue
		query   string
	}{
		{"modality, no filter", Filters{}, func(f *Facets) []FacetValue { return f.Modality },
			`SELECT ?v (COUNT(DISTINCT ?d) AS ?n) { GRAPH ?g { ?d a dcat:Dataset ; e1:hasImageModality|e2:hasImageModality ?v } } GROUP BY ?v`},
		{"modality in Spain or Italy (own filter ignored)", spainItalyCTMR, func(f *Facets) []FacetValue { return f.Modality },
			`SELECT ?v (COUNT(DISTINCT ?d) AS ?n) { GRAPH ?g { ?d a dcat:Dataset ; dct:spatial ?c ; e1:hasImageModality|e2:hasImageModality ?v VALUES ?c { eu:ESP eu:ITA } } } GROUP BY ?v`},
		{"country with CT or MR", spainItalyCTMR, func(f *Facets) []FacetValue { return f.Country },
			`SELECT ?v (COUNT(DISTINCT ?d) AS ?n) { GRAPH ?g { ?d a dcat:Dataset ; dct:spatial ?v ; e1:hasImageModality|e2:hasImageModality ?m VALUES ?m { dcm:CT dcm:MR } } } GROUP BY ?v`},
		{"body part of lung cancer datasets", lung, func(f *Facets) []FacetValue { return f.BodyPart },
			`SELECT ?v (COUNT(DISTINCT ?d) AS ?n) { GRAPH ?g { ?d a dcat:Dataset ; e1:hasImageBodyPart|e2:hasImageBodyPart ?v ; e1:hasCondition|e2:hasCondition ?c }
			  GRAPH ?vg { ?o skos:exactMatch ?c ; skos:broader* onc:LUNG } } GROUP BY ?v`},
		{"sex of lung cancer datasets in Spain or Italy with CT or MR",
			Filters{CancerTypes: lung.CancerTypes, Countries: spainItalyCTMR.Countries, Modalities: spainItalyCTMR.Modalities},
			func(f *Facets) []FacetValue { return f.Sex },
			`SELECT ?v (COUNT(DISTINCT ?d) AS ?n) { GRAPH ?g { ?d a dcat:Dataset ; e1:hasBirthSex|e2:hasBirthSex ?v ; dct:spatial ?country ;
			  e1:hasImageModality|e2:hasImageModality ?m ; e1:hasCondition|e2:hasCondition ?c VALUES ?country { eu:ESP eu:ITA } VALUES ?m { dcm:CT dcm:MR } }
			  GRAPH ?vg { ?o skos:exactMatch ?c ; skos:broader* onc:LUNG } } GROUP BY ?v`},
		{"cancer types (tree, all nodes)", Filters{}, func(f *Facets) []FacetValue { return f.CancerType },
			`SELECT ?v (COUNT(DISTINCT ?d) AS ?n) { GRAPH ?g { ?d a dcat:Dataset ; e1:hasCondition|e2:hasCondition ?c }
			  GRAPH ?vg { ?o skos:exactMatch ?c ; skos:broader* ?v } } GROUP BY ?v`},
		{"provider with age overlapping 50+", Filters{MinAge: &age}, func(f *Facets) []FacetValue { return f.Provider },
			`SELECT ?v (COUNT(DISTINCT ?d) AS ?n) { GRAPH ?g { ?d a dcat:Dataset ; dct:publisher ?v ; h1:maxTypicalAge|h2:maxTypicalAge ?max FILTER(?max >= 50) } } GROUP BY ?v`},
		{"access level", Filters{}, func(f *Facets) []FacetValue { return f.AccessLevel },
			`SELECT ?v (COUNT(DISTINCT ?d) AS ?n) { GRAPH ?g { ?d a dcat:Dataset } GRAPH <https://tessera.example/graph/system/providers> { ?g t:accessLevel ?l }
			  BIND(IF(?l = t:public, "PUBLIC", IF(?l = t:registered, "REGISTERED", "CONTROLLED")) AS ?v) } GROUP BY ?v`},
		{"tier", Filters{}, func(f *Facets) []FacetValue { return f.Tier },
			`SELECT ?v (COUNT(DISTINCT ?d) AS ?n) { GRAPH ?g { ?d a dcat:Dataset ; e1:interoperabilityLevel|e2:interoperabilityLevel ?t }
			  BIND(IRI(REPLACE(STR(?t), "^https://cancerimage.eu/ontology/EUCAIM#", "https://hyperontology.eucaim.cancerimage.eu/#")) AS ?v) } GROUP BY ?v`},
		{"age range 40-49", Filters{}, func(f *Facets) []FacetValue {
			for _, v := range f.AgeRange {
				if v.Value == "40-49" {
					return []FacetValue{{Value: "", Count: v.Count}}
				}
			}
			return nil
		}, `SELECT (COUNT(DISTINCT ?d) AS ?n) { GRAPH ?g { ?d a dcat:Dataset ; h1:minTypicalAge|h2:minTypicalAge ?min ; h1:maxTypicalAge|h2:maxTypicalAge ?max FILTER(?min <= 49 && ?max >= 40) } }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fa, err := f.ix.Facets(ctx, "", tt.filters, "en")
			if err != nil {
				t.Fatal(err)
			}
			sameCounts(t, "facet", facetCounts(tt.pick(fa)), sparqlCounts(t, f.snap, tt.query))
		})
	}
	t.Run("total: lung cancer with CT or MR in Spain or Italy", func(t *testing.T) {
		fl := spainItalyCTMR
		fl.CancerTypes = lung.CancerTypes
		fa, err := f.ix.Facets(ctx, "", fl, "en")
		if err != nil {
			t.Fatal(err)
		}
		want := sparqlCounts(t, f.snap, `SELECT (COUNT(DISTINCT ?d) AS ?n) { GRAPH ?g { ?d a dcat:Dataset ; dct:spatial ?country ;
			  e1:hasImageModality|e2:hasImageModality ?m ; e1:hasCondition|e2:hasCondition ?c VALUES ?country { eu:ESP eu:ITA } VALUES ?m { dcm:CT dcm:MR } }
			  GRAPH ?vg { ?o skos:exactMatch ?c ; skos:broader* onc:LUNG } }`)
		sameCounts(t, "total", map[string]int64{"": int64(fa.Total)}, want)
	})
}

// TestCohortEqualsSPARQL checks exact cohort counts (before obfuscation)
// against hand-written SPARQL.
func TestCohortEqualsSPARQL(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the 588k-quad demo catalogue")
	}
	f := loadFixture(t)
	ctx := context.Background()
	n := func(i int) *int { return &i }
	tests := []struct {
		name              string
		criteria          Criteria
		filters           Filters
		subjects, studies string
	}{
		{
			name:     "female, age 40-60",
			criteria: Criteria{Sexes: []graph.Term{iri(ncit + "C16576")}, MinAgeAtDiagnosis: n(40), MaxAgeAtDiagnosis: n(60)},
			subjects: `SELECT ?d (COUNT(DISTINCT ?p) AS ?n) { GRAPH ?g { ?p a cdm:Patient ; dct:isPartOf ?d ; cdm:sex ncit:C16576 ; cdm:ageAtDiagnosis ?a FILTER(?a >= 40 && ?a <= 60) } } GROUP BY ?d`,
			studies:  `SELECT ?d (COUNT(DISTINCT ?s) AS ?n) { GRAPH ?g { ?p a cdm:Patient ; dct:isPartOf ?d ; cdm:sex ncit:C16576 ; cdm:ageAtDiagnosis ?a FILTER(?a >= 40 && ?a <= 60) ?s cdm:subject ?p } } GROUP BY ?d`,
		},
		{
			name:     "lung cancer (with subtypes), CT, 2014-2018, in Spain, Italy or France",
			criteria: Criteria{Diagnoses: []graph.Term{iri(onco + "LUNG")}, Modalities: []graph.Term{iri(dcm + "CT")}, YearFrom: n(2014), YearTo: n(2018)},
			filters:  Filters{Countries: []graph.Term{iri(eu + "ESP"), iri(eu + "ITA"), iri(eu + "FRA")}},
			subjects: `SELECT ?d (COUNT(DISTINCT ?p) AS ?n) { GRAPH ?g { ?p a cdm:Patient ; dct:isPartOf ?d ; cdm:diagnosis ?dx . ?d dct:spatial ?c VALUES ?c { eu:ESP eu:ITA eu:FRA }
				?s cdm:subject ?p ; cdm:modality dcm:CT ; cdm:studyDate ?date FILTER(STR(?date) >= "2014" && STR(?date) < "2019") }
				GRAPH ?vg { ?o skos:exactMatch ?dx ; skos:broader* onc:LUNG } } GROUP BY ?d`,
			studies: `SELECT ?d (COUNT(DISTINCT ?s) AS ?n) { GRAPH ?g { ?p a cdm:Patient ; dct:isPartOf ?d ; cdm:diagnosis ?dx . ?d dct:spatial ?c VALUES ?c { eu:ESP eu:ITA eu:FRA }
				?s cdm:subject ?p ; cdm:modality dcm:CT ; cdm:studyDate ?date FILTER(STR(?date) >= "2014" && STR(?date) < "2019") }
				GRAPH ?vg { ?o skos:exactMatch ?dx ; skos:broader* onc:LUNG } } GROUP BY ?d`,
		},
		{
			name:     "male, chest (SNOMED CT), Siemens",
			criteria: Criteria{Sexes: []graph.Term{iri(ncit + "C20197")}, BodyParts: []graph.Term{iri(snomed + "816094009")}, Manufacturers: []string{"siemens"}},
			subjects: `SELECT ?d (COUNT(DISTINCT ?p) AS ?n) { GRAPH ?g { ?p a cdm:Patient ; dct:isPartOf ?d ; cdm:sex ncit:C20197 . ?s cdm:subject ?p ; cdm:bodyPartExamined ?bp ; cdm:manufacturer "SIEMENS" }
				GRAPH ?vg { ?b skos:exactMatch sct:816094009 ; skos:notation ?bp } } GROUP BY ?d`,
			studies: `SELECT ?d (COUNT(DISTINCT ?s) AS ?n) { GRAPH ?g { ?p a cdm:Patient ; dct:isPartOf ?d ; cdm:sex ncit:C20197 . ?s cdm:subject ?p ; cdm:bodyPartExamined ?bp ; cdm:manufacturer "SIEMENS" }
				GRAPH ?vg { ?b skos:exactMatch sct:816094009 ; skos:notation ?bp } } GROUP BY ?d`,
		},
		{
			name:     "breast cancer without subtypes, MR",
			criteria: Criteria{Diagnoses: []graph.Term{iri(onco + "BRCA")}, ExactConcepts: true, Modalities: []graph.Term{iri(dcm + "MR")}},
			subjects: `SELECT ?d (COUNT(DISTINCT ?p) AS ?n) { GRAPH ?g { ?p a cdm:Patient ; dct:isPartOf ?d ; cdm:diagnosis ?dx . ?s cdm:subject ?p ; cdm:modality dcm:MR }
				GRAPH ?vg { onc:BRCA skos:exactMatch ?dx } } GROUP BY ?d`,
			studies: `SELECT ?d (COUNT(DISTINCT ?s) AS ?n) { GRAPH ?g { ?p a cdm:Patient ; dct:isPartOf ?d ; cdm:diagnosis ?dx . ?s cdm:subject ?p ; cdm:modality dcm:MR }
				GRAPH ?vg { onc:BRCA skos:exactMatch ?dx } } GROUP BY ?d`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raws, err := f.ix.cohortCounts(ctx, tt.criteria, tt.filters)
			if err != nil {
				t.Fatal(err)
			}
			subj, stud := map[string]int64{}, map[string]int64{}
			for _, r := range raws {
				subj[r.d.IRI.Value()], stud[r.d.IRI.Value()] = r.subjects, r.studies
			}
			sameCounts(t, "subjects", subj, sparqlCounts(t, f.snap, tt.subjects))
			sameCounts(t, "studies", stud, sparqlCounts(t, f.snap, tt.studies))
			// The obfuscated answer reports the same datasets, never an
			// exact count from a controlled graph, and totals that are
			// the sums of what it reports.
			res, err := f.ix.Cohort(ctx, tt.criteria, tt.filters, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Datasets) != len(raws) {
				t.Errorf("Cohort reports %d datasets, exact counts have %d", len(res.Datasets), len(raws))
			}
			var sum int64
			for _, c := range res.Datasets {
				sum += c.Subjects.Value
				if c.Level == access.Controlled && c.Subjects.Exact {
					t.Errorf("exact count %d from controlled dataset %s", c.Subjects.Value, c.Dataset.IRI.Value())
				}
			}
			if sum != res.Subjects.Value {
				t.Errorf("total subjects %d, sum of reported %d", res.Subjects.Value, sum)
			}
		})
	}
}

var _ = fmt.Sprint
