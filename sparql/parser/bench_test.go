package parser

import (
	"testing"
)

// catalogueQuery is a typical discovery query of the catalogue: datasets of
// a modality and body site with optional metadata, filters, grouping.
const catalogueQuery = `PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX healthdcatap: <http://healthdataportal.eu/ns/health#>
PREFIX eucaim: <https://cancerimage.eu/ontology/EUCAIM#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

SELECT ?dataset ?title (SAMPLE(?publisherName) AS ?publisher)
       (SUM(?subjects) AS ?totalSubjects) (COUNT(DISTINCT ?dist) AS ?distributions)
       (GROUP_CONCAT(DISTINCT ?modalityLabel; SEPARATOR=", ") AS ?modalities)
FROM NAMED <https://tessera.example/graph/provider/chaimeleon>
WHERE {
  ?catalog a dcat:Catalog ;
           dcat:dataset ?dataset .
  ?dataset a dcat:Dataset ;
           dct:title ?title ;
           eucaim:hasImageModality ?modality ;
           eucaim:hasImageBodyPart/skos:broader* ?site .
  ?modality skos:prefLabel ?modalityLabel .
  FILTER (lang(?modalityLabel) = "en" || lang(?modalityLabel) = "")
  OPTIONAL { ?dataset dct:publisher/skos:prefLabel ?publisherName }
  OPTIONAL { ?dataset healthdcatap:numberOfUniqueIndividuals ?n
             BIND (xsd:integer(?n) AS ?subjects) }
  OPTIONAL { ?dataset dcat:distribution ?dist .
             ?dist dcat:mediaType ?type
             FILTER (CONTAINS(STR(?type), "dicom")) }
  FILTER (?site IN (<http://snomed.info/id/39607008>, <http://snomed.info/id/76752008>))
  FILTER NOT EXISTS { ?dataset dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> }
}
GROUP BY ?dataset ?title
HAVING (SUM(?subjects) >= 10)
ORDER BY DESC(?totalSubjects) ?title
LIMIT 50
`

func BenchmarkParseQuery(b *testing.B) {
	b.SetBytes(int64(len(catalogueQuery)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseQuery(catalogueQuery, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
}

func BenchmarkFormatQuery(b *testing.B) {
	q, err := ParseQuery(catalogueQuery, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = q.String()
	}
}

// BenchmarkParseUpdateData parses a large INSERT DATA, the update form
// whose size grows with the data.
func BenchmarkParseUpdateData(b *testing.B) {
	src := "PREFIX : <http://example.org/>\nINSERT DATA {\n"
	for i := range 2000 {
		src += ":s" + itoa(i) + " :p \"value " + itoa(i) + "\" ; :q " + itoa(i) + " .\n"
	}
	src += "}"
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseUpdate(src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(4000*float64(b.N)/b.Elapsed().Seconds(), "triples/s")
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
