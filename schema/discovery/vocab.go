package discovery

import (
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// Vocabulary the index reads. HealthDCAT-AP and the EUCAIM DCAT-AP
// extension each have two namespaces in real data (DESIGN.md §1); the
// index reads both and reports concepts in the current one.
const (
	rdfType       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	dcatNS        = "http://www.w3.org/ns/dcat#"
	dctNS         = "http://purl.org/dc/terms/"
	foafName      = "http://xmlns.com/foaf/0.1/name"
	skosPrefLabel = "http://www.w3.org/2004/02/skos/core#prefLabel"

	healthNS       = "https://w3id.org/healthdcat-ap#"
	healthLegacyNS = "http://healthdataportal.eu/ns/health#"
	eucaimNS       = "https://hyperontology.eucaim.cancerimage.eu/#"
	eucaimLegacyNS = "https://cancerimage.eu/ontology/EUCAIM#"

	// CDM is the record-level vocabulary (patients and imaging studies) of
	// the demo catalogue, after the EUCAIM common data model and DICOM.
	CDM = "https://tessera.example/ns/cdm#"

	// bodyPartBase names the DICOM Body Part Examined terms of the bundled
	// vocabulary; a study's body part literal "CHEST" is read as
	// bodyPartBase+"CHEST" when the ontology knows that term.
	bodyPartBase = "https://tessera.example/vocab/dicom/body-part/"
)

var (
	termType        = graph.IRI(rdfType)
	termDataset     = graph.IRI(dcatNS + "Dataset")
	termPatient     = graph.IRI(CDM + "Patient")
	termStudy       = graph.IRI(CDM + "ImagingStudy")
	termIsPartOf    = graph.IRI(dctNS + "isPartOf")
	termSubject     = graph.IRI(CDM + "subject")
	termSex         = graph.IRI(CDM + "sex")
	termAge         = graph.IRI(CDM + "ageAtDiagnosis")
	termDiagnosis   = graph.IRI(CDM + "diagnosis")
	termModality    = graph.IRI(CDM + "modality")
	termBodyPart    = graph.IRI(CDM + "bodyPartExamined")
	termManufacture = graph.IRI(CDM + "manufacturer")
	termStudyDate   = graph.IRI(CDM + "studyDate")
	termFoafName    = graph.IRI(foafName)
)

// datasetProp is what a dataset predicate fills in.
type datasetProp uint8

const (
	propNone datasetProp = iota
	propTitle
	propDescription
	propKeyword
	propPublisher
	propSpatial
	propTier
	propCondition
	propModality
	propBodyPart
	propSex
	propSubjects
	propStudies
	propMinAge
	propMaxAge
)

// datasetProps maps every accepted predicate, in both namespace variants,
// to its property.
var datasetProps = func() map[string]datasetProp {
	m := map[string]datasetProp{
		dctNS + "title":       propTitle,
		dctNS + "description": propDescription,
		dcatNS + "keyword":    propKeyword,
		dctNS + "publisher":   propPublisher,
		dctNS + "spatial":     propSpatial,
	}
	for _, h := range []string{healthNS, healthLegacyNS} {
		m[h+"numberOfUniqueIndividuals"] = propSubjects
		m[h+"numberOfRecords"] = propStudies
		m[h+"minTypicalAge"] = propMinAge
		m[h+"maxTypicalAge"] = propMaxAge
	}
	for _, e := range []string{eucaimNS, eucaimLegacyNS} {
		m[e+"interoperabilityLevel"] = propTier
		m[e+"hasCondition"] = propCondition
		m[e+"hasImageModality"] = propModality
		m[e+"hasImageBodyPart"] = propBodyPart
		m[e+"hasBirthSex"] = propSex
	}
	return m
}()

// canon returns the current-namespace form of a concept from a legacy
// namespace (EUCAIM, HealthDCAT-AP), so that facets count the two spellings
// of one concept as one value.
func canon(t graph.Term) graph.Term {
	if !t.IsIRI() {
		return t
	}
	v := t.Value()
	switch {
	case strings.HasPrefix(v, eucaimLegacyNS):
		return graph.IRI(eucaimNS + v[len(eucaimLegacyNS):])
	case strings.HasPrefix(v, healthLegacyNS):
		return graph.IRI(healthNS + v[len(healthLegacyNS):])
	}
	return t
}

// fallbackLabels name well-known codes the bundled vocabularies do not
// label: the NCIt sex codes of the EUCAIM data model and the EU
// authority countries.
var fallbackLabels = func() map[string]string {
	m := map[string]string{
		"http://purl.obolibrary.org/obo/NCIT_C16576": "Female",
		"http://purl.obolibrary.org/obo/NCIT_C20197": "Male",
		"http://purl.obolibrary.org/obo/NCIT_C17998": "Unknown",
		"http://purl.obolibrary.org/obo/NCIT_C46109": "Male",
		"http://purl.obolibrary.org/obo/NCIT_C46110": "Female",
	}
	countries := map[string]string{
		"AUT": "Austria", "BEL": "Belgium", "BGR": "Bulgaria", "HRV": "Croatia", "CYP": "Cyprus",
		"CZE": "Czechia", "DNK": "Denmark", "EST": "Estonia", "FIN": "Finland", "FRA": "France",
		"DEU": "Germany", "GRC": "Greece", "HUN": "Hungary", "IRL": "Ireland", "ITA": "Italy",
		"LVA": "Latvia", "LTU": "Lithuania", "LUX": "Luxembourg", "MLT": "Malta", "NLD": "Netherlands",
		"POL": "Poland", "PRT": "Portugal", "ROU": "Romania", "SVK": "Slovakia", "SVN": "Slovenia",
		"ESP": "Spain", "SWE": "Sweden", "NOR": "Norway", "ISL": "Iceland", "LIE": "Liechtenstein",
		"CHE": "Switzerland", "GBR": "United Kingdom",
	}
	for code, name := range countries {
		m["http://publications.europa.eu/resource/authority/country/"+code] = name
	}
	return m
}()

// localName returns the part of an IRI after its last '#', '/' or ':'.
func localName(iri string) string {
	if i := strings.LastIndexAny(iri, "#/:"); i >= 0 && i+1 < len(iri) {
		return iri[i+1:]
	}
	return iri
}
