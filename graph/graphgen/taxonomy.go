package graphgen

import (
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// RDFS namespace terms used by Taxonomy.
const rdfsNS = "http://www.w3.org/2000/01/rdf-schema#"

var (
	rdfsClass      = graph.IRI(rdfsNS + "Class")
	rdfsSubClassOf = graph.IRI(rdfsNS + "subClassOf")
	rdfsLabel      = graph.IRI(rdfsNS + "label")
)

// cancerTypes is the class hierarchy behind the diagnosis codes: code,
// parent code ("" for the root) and English label. Every code of diagnoses
// appears, at depths one to four below the root, with a few intermediate
// classes that no record points to directly, so that "all subtypes of X"
// needs rdfs:subClassOf* and not a single hop. The codes are NCIt IRIs
// used as stand-ins; the tree is shaped like NCIt, not copied from it.
var cancerTypes = [][3]string{
	{"C3262", "", "Neoplasm"},
	{"C9305", "C3262", "Malignant Neoplasm"},
	{"C2916", "C9305", "Carcinoma"},
	{"C4872", "C2916", "Breast Carcinoma"},
	{"C4017", "C4872", "Breast Ductal Carcinoma"},
	{"C4878", "C2916", "Lung Carcinoma"},
	{"C4910", "C4878", "Non-Small Cell Lung Carcinoma"},
	{"C2955", "C2916", "Colorectal Carcinoma"},
	{"C4863", "C2916", "Prostate Carcinoma"},
	{"C7927", "C2916", "Liver and Intrahepatic Bile Duct Carcinoma"},
	{"C9382", "C7927", "Hepatocellular Carcinoma"},
	{"C7378", "C2916", "Pancreatic Carcinoma"},
	{"C3059", "C9305", "Glioma"},
	{"C3058", "C3059", "Glioblastoma"},
	{"C3224", "C9305", "Melanoma"},
	{"C3208", "C9305", "Lymphoma"},
	{"C3211", "C3208", "Non-Hodgkin Lymphoma"},
	{"C8851", "C3211", "Diffuse Large B-Cell Lymphoma"},
}

// Taxonomy returns the cancer-type class hierarchy that the diagnoses of
// Catalog (eucaim:hasDiagnosis, eucaim:hasCondition) point into, as
// triples in the default graph: each class is an rdfs:Class with an
// English rdfs:label and an rdfs:subClassOf link to its parent, five
// levels deep. Catalogue queries such as "datasets of any carcinoma"
// follow it with rdfs:subClassOf*. It is the same on every call.
func Taxonomy() graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		for _, c := range cancerTypes {
			cls := graph.IRI(ncitNS + c[0])
			if !yield(graph.Triple(cls, rdfType, rdfsClass), nil) ||
				!yield(graph.Triple(cls, rdfsLabel, graph.LangLiteral(c[2], "en")), nil) {
				return
			}
			if c[1] != "" && !yield(graph.Triple(cls, rdfsSubClassOf, graph.IRI(ncitNS+c[1])), nil) {
				return
			}
		}
	}
}

// ProviderGraphs returns the provider dimension of Catalog(n, seed): for
// each provider, the triples about its catalogue (type, title, publisher
// and one dcat:dataset link per dataset) copied into a named graph of
// its own, <provider base>graph, as a harvester keeps each provider's
// last harvested catalogue record apart. It lets catalogue queries use
// GRAPH without moving the records out of the default graph. It reads
// Catalog(n, seed), so it yields a few percent of n quads.
func ProviderGraphs(n int, seed int64) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		for q, err := range Catalog(n, seed) {
			if err != nil {
				yield(graph.Quad{}, err)
				return
			}
			s := q.S.Value()
			base, ok := strings.CutSuffix(s, "catalog")
			if !q.S.IsIRI() || !ok || !strings.HasPrefix(s, Base) {
				continue
			}
			q.G = graph.IRI(base + "graph")
			if !yield(q, nil) {
				return
			}
		}
	}
}
