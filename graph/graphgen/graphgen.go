// Package graphgen generates deterministic, catalogue-shaped RDF data for
// benchmarks and load tests, so that every store, loader and query benchmark
// of Tessera measures the same realistic data.
//
// Catalog produces what a EUCAIM-style provider publishes: DCAT catalogues,
// datasets with HealthDCAT-AP and EUCAIM properties, distributions, and
// record-level patients and imaging studies. The same (n, seed) always gives
// the same triples in the same order, on every machine. It is synthetic data
// with a realistic shape (IRI lengths, term reuse, literal kinds), not a
// faithful sample of any real provider.
package graphgen

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/tessera-fair/tessera/graph"
)

// Namespaces used by the generator.
const (
	Base      = "https://data.eucaim.example/provider/"
	rdfNS     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	dcatNS    = "http://www.w3.org/ns/dcat#"
	dctNS     = "http://purl.org/dc/terms/"
	foafNS    = "http://xmlns.com/foaf/0.1/"
	vcardNS   = "http://www.w3.org/2006/vcard/ns#"
	healthNS  = "http://healthdataportal.eu/ns/health#"
	eucaimNS  = "https://cancerimage.eu/ontology/EUCAIM#"
	ncitNS    = "http://purl.obolibrary.org/obo/NCIT_"
	dcmNS     = "https://dicom.nema.org/resources/ontology/DCM/"
	snomedNS  = "http://snomed.info/id/"
	themeNS   = "http://publications.europa.eu/resource/authority/data-theme/"
	formatNS  = "http://publications.europa.eu/resource/authority/file-type/"
	licenceNS = "http://publications.europa.eu/resource/authority/licence/"
	xsdDate   = graph.XSDNamespace + "date"
	xsdNonNeg = graph.XSDNamespace + "nonNegativeInteger"
)

var (
	rdfType = graph.IRI(rdfNS + "type")

	dcatCatalog      = graph.IRI(dcatNS + "Catalog")
	dcatDataset      = graph.IRI(dcatNS + "Dataset")
	dcatDistribution = graph.IRI(dcatNS + "Distribution")
	dcatDatasetP     = graph.IRI(dcatNS + "dataset")
	dcatDistP        = graph.IRI(dcatNS + "distribution")
	dcatKeyword      = graph.IRI(dcatNS + "keyword")
	dcatTheme        = graph.IRI(dcatNS + "theme")
	dcatContact      = graph.IRI(dcatNS + "contactPoint")
	dcatAccessURL    = graph.IRI(dcatNS + "accessURL")
	dcatByteSize     = graph.IRI(dcatNS + "byteSize")

	dctTitle       = graph.IRI(dctNS + "title")
	dctDescription = graph.IRI(dctNS + "description")
	dctIssued      = graph.IRI(dctNS + "issued")
	dctPublisher   = graph.IRI(dctNS + "publisher")
	dctFormat      = graph.IRI(dctNS + "format")
	dctLicense     = graph.IRI(dctNS + "license")
	dctIdentifier  = graph.IRI(dctNS + "identifier")
	dctIsPartOf    = graph.IRI(dctNS + "isPartOf")
	dctDate        = graph.IRI(dctNS + "date")

	foafAgent = graph.IRI(foafNS + "Agent")
	foafName  = graph.IRI(foafNS + "name")

	vcardKind     = graph.IRI(vcardNS + "Kind")
	vcardFn       = graph.IRI(vcardNS + "fn")
	vcardHasEmail = graph.IRI(vcardNS + "hasEmail")

	healthIndividuals = graph.IRI(healthNS + "numberOfUniqueIndividuals")
	healthRecords     = graph.IRI(healthNS + "numberOfRecords")
	healthMinAge      = graph.IRI(healthNS + "minTypicalAge")
	healthMaxAge      = graph.IRI(healthNS + "maxTypicalAge")

	eucaimModality    = graph.IRI(eucaimNS + "hasImageModality")
	eucaimBodyPart    = graph.IRI(eucaimNS + "hasImageBodyPart")
	eucaimCondition   = graph.IRI(eucaimNS + "hasCondition")
	eucaimPatient     = graph.IRI(eucaimNS + "Patient")
	eucaimStudy       = graph.IRI(eucaimNS + "ImagingStudy")
	eucaimSex         = graph.IRI(eucaimNS + "hasBirthSex")
	eucaimAge         = graph.IRI(eucaimNS + "ageAtDiagnosis")
	eucaimDiagnosis   = graph.IRI(eucaimNS + "hasDiagnosis")
	eucaimSubject     = graph.IRI(eucaimNS + "subject")
	eucaimSeries      = graph.IRI(eucaimNS + "numberOfSeries")
	eucaimInstances   = graph.IRI(eucaimNS + "numberOfInstances")
	eucaimManufacture = graph.IRI(eucaimNS + "hasEquipmentManufacturer")
)

// Vocabularies the records draw from. They are IRIs of real code systems
// (NCIt, DICOM CID 29, SNOMED CT), used as stand-ins.
var (
	sexes      = iris(ncitNS, "C16576", "C20197", "C17998")
	diagnoses  = iris(ncitNS, "C4872", "C7378", "C2955", "C4878", "C9305", "C3058", "C4910", "C8851", "C4017", "C3224", "C9382", "C4863")
	modalities = iris(dcmNS, "CT", "MR", "PT", "MG", "US", "CR", "DX", "NM", "XA", "RF", "OT", "SEG")
	bodyParts  = iris(snomedNS, "39607008", "76752008", "41216001", "71854001", "12738006", "69536005", "10200004", "64033007", "15497006", "51185008")
	themes     = iris(themeNS, "HEAL", "TECH", "SOCI", "EDUC")
	formats    = iris(formatNS, "DCM", "NIFTI", "CSV", "JSON", "ZIP")
	licences   = iris(licenceNS, "CC_BY_4_0", "CC_BYNC_4_0", "CC0")
	vendors    = []string{"SIEMENS", "GE MEDICAL SYSTEMS", "Philips", "Canon Medical Systems", "FUJIFILM"}
	cancers    = []string{"breast", "lung", "prostate", "colorectal", "pancreatic", "liver", "brain", "kidney"}
	words      = []string{"imaging", "cohort", "screening", "follow-up", "segmentation", "radiomics", "annotated", "longitudinal", "multicentre", "retrospective", "prospective", "MRI", "CT", "PET"}
	languages  = []string{"en", "es", "de", "it", "fr", "nl", "pt", "el"}
)

func iris(ns string, codes ...string) []graph.Term {
	out := make([]graph.Term, len(codes))
	for i, c := range codes {
		out[i] = graph.IRI(ns + c)
	}
	return out
}

// Catalog returns a stream of exactly n triples in the default graph (n ≤ 0
// gives none), the same for the same (n, seed). Providers each publish one
// catalogue of datasets; each dataset has multilingual titles, keywords,
// themes, an xsd:date issue date, a publisher, a blank-node contact point,
// HealthDCAT-AP counts (xsd:integer and xsd:nonNegativeInteger), EUCAIM
// modality/body-part/condition links, two or three distributions, and tens of
// patients with imaging studies. Blank node labels are fixed ("gen<seed>c<n>"),
// so loading the stream twice into one store adds nothing the second time.
func Catalog(n int, seed int64) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		if n <= 0 {
			return
		}
		g := &gen{
			rng:   rand.New(rand.NewPCG(uint64(seed), 0x7e55e7a)),
			seed:  seed,
			left:  n,
			yield: yield,
		}
		g.run()
	}
}

// gen emits triples until left reaches zero or the consumer stops.
type gen struct {
	rng     *rand.Rand
	seed    int64
	left    int
	yield   func(graph.Quad, error) bool
	stopped bool
	blanks  int
}

// emit yields one triple; it reports false once the stream must end.
func (g *gen) emit(s, p, o graph.Term) bool {
	if g.stopped {
		return false
	}
	if !g.yield(graph.Triple(s, p, o), nil) {
		g.stopped = true
		return false
	}
	g.left--
	if g.left == 0 {
		g.stopped = true
	}
	return !g.stopped
}

func (g *gen) pick(ts []graph.Term) graph.Term { return ts[g.rng.IntN(len(ts))] }

func (g *gen) integer(lo, hi int, dt string) graph.Term {
	return graph.Literal(strconv.Itoa(lo+g.rng.IntN(hi-lo+1)), dt)
}

func (g *gen) date(fromYear, years int) graph.Term {
	return graph.Literal(fmt.Sprintf("%04d-%02d-%02d", fromYear+g.rng.IntN(years), 1+g.rng.IntN(12), 1+g.rng.IntN(28)), xsdDate)
}

func (g *gen) run() {
	for p := 0; ; p++ {
		if !g.provider(p) {
			return
		}
	}
}

// provider emits one provider's catalogue and its datasets.
func (g *gen) provider(p int) bool {
	base := fmt.Sprintf("%sp%03d-%s/", Base, p, cancers[p%len(cancers)])
	cat := graph.IRI(base + "catalog")
	org := graph.IRI(base + "organisation")
	ok := g.emit(cat, rdfType, dcatCatalog) &&
		g.emit(cat, dctTitle, graph.LangLiteral(fmt.Sprintf("Imaging catalogue of provider %d", p), "en")) &&
		g.emit(cat, dctPublisher, org) &&
		g.emit(org, rdfType, foafAgent) &&
		g.emit(org, foafName, graph.String(fmt.Sprintf("Hospital %d research imaging unit", p)))
	if !ok {
		return false
	}
	datasets := 5 + g.rng.IntN(20)
	for d := range datasets {
		ds := graph.IRI(fmt.Sprintf("%sdataset/%s-%05d", base, cancers[(p+d)%len(cancers)], d))
		if !g.emit(cat, dcatDatasetP, ds) || !g.dataset(base, ds, org, d) {
			return false
		}
	}
	return true
}

// dataset emits one dataset, its distributions and its records.
func (g *gen) dataset(base string, ds, org graph.Term, d int) bool {
	cancer := cancers[g.rng.IntN(len(cancers))]
	individuals := 20 + g.rng.IntN(60)
	minAge := 18 + g.rng.IntN(30)
	ok := g.emit(ds, rdfType, dcatDataset) &&
		g.emit(ds, dctIdentifier, graph.String(fmt.Sprintf("%s-%05d", cancer, d))) &&
		g.emit(ds, dctPublisher, org) &&
		g.emit(ds, dctIssued, g.date(2015, 10)) &&
		g.emit(ds, dcatTheme, g.pick(themes)) &&
		g.emit(ds, healthIndividuals, graph.Literal(strconv.Itoa(individuals), xsdNonNeg)) &&
		g.emit(ds, healthRecords, g.integer(individuals, individuals*40, graph.XSDInteger)) &&
		g.emit(ds, healthMinAge, graph.Literal(strconv.Itoa(minAge), graph.XSDInteger)) &&
		g.emit(ds, healthMaxAge, graph.Literal(strconv.Itoa(minAge+20+g.rng.IntN(40)), graph.XSDInteger)) &&
		g.emit(ds, eucaimCondition, g.pick(diagnoses)) &&
		g.emit(ds, eucaimModality, g.pick(modalities)) &&
		g.emit(ds, eucaimModality, g.pick(modalities)) &&
		g.emit(ds, eucaimBodyPart, g.pick(bodyParts))
	if !ok {
		return false
	}
	for i := range 1 + g.rng.IntN(3) {
		lang := languages[(d+i)%len(languages)]
		ok = g.emit(ds, dctTitle, graph.LangLiteral(fmt.Sprintf("%s %s %s dataset %d", words[g.rng.IntN(len(words))], cancer, words[g.rng.IntN(len(words))], d), lang)) &&
			g.emit(ds, dctDescription, graph.LangLiteral(fmt.Sprintf("A %s collection of %d %s imaging cases with %s annotations, collected %s (dataset %d).",
				words[g.rng.IntN(len(words))], individuals, cancer, words[g.rng.IntN(len(words))], words[g.rng.IntN(len(words))], d), lang))
		if !ok {
			return false
		}
	}
	for range 2 + g.rng.IntN(3) {
		if !g.emit(ds, dcatKeyword, graph.LangLiteral(words[g.rng.IntN(len(words))], "en")) {
			return false
		}
	}
	g.blanks++
	cp := graph.Blank(fmt.Sprintf("gen%dc%d", g.seed, g.blanks))
	ok = g.emit(ds, dcatContact, cp) &&
		g.emit(cp, rdfType, vcardKind) &&
		g.emit(cp, vcardFn, graph.String(fmt.Sprintf("Data steward %d", d))) &&
		g.emit(cp, vcardHasEmail, graph.IRI(fmt.Sprintf("mailto:steward-%d@provider.example", d)))
	if !ok {
		return false
	}
	dsPath := ds.Value()
	for k := range 2 + g.rng.IntN(2) {
		dist := graph.IRI(fmt.Sprintf("%s/distribution/%d", dsPath, k))
		ok = g.emit(ds, dcatDistP, dist) &&
			g.emit(dist, rdfType, dcatDistribution) &&
			g.emit(dist, dcatAccessURL, graph.IRI(fmt.Sprintf("%s/access/%d", dsPath, k))) &&
			g.emit(dist, dctFormat, g.pick(formats)) &&
			g.emit(dist, dctLicense, g.pick(licences)) &&
			g.emit(dist, dcatByteSize, g.integer(1<<20, 1<<30, xsdNonNeg))
		if !ok {
			return false
		}
	}
	for i := range individuals {
		if !g.patient(dsPath, ds, i, minAge) {
			return false
		}
	}
	return true
}

// patient emits one patient and one to three imaging studies.
func (g *gen) patient(dsPath string, ds graph.Term, i, minAge int) bool {
	pt := graph.IRI(fmt.Sprintf("%s/patient/%06d", dsPath, i))
	ok := g.emit(pt, rdfType, eucaimPatient) &&
		g.emit(pt, dctIsPartOf, ds) &&
		g.emit(pt, eucaimSex, g.pick(sexes)) &&
		g.emit(pt, eucaimAge, g.integer(minAge, minAge+50, graph.XSDInteger)) &&
		g.emit(pt, eucaimDiagnosis, g.pick(diagnoses))
	if !ok {
		return false
	}
	for k := range 1 + g.rng.IntN(3) {
		st := graph.IRI(fmt.Sprintf("%s/study/%06d-%d", dsPath, i, k))
		ok = g.emit(st, rdfType, eucaimStudy) &&
			g.emit(st, eucaimSubject, pt) &&
			g.emit(st, eucaimModality, g.pick(modalities)) &&
			g.emit(st, eucaimBodyPart, g.pick(bodyParts)) &&
			g.emit(st, dctDate, g.date(2010, 15)) &&
			g.emit(st, eucaimSeries, g.integer(1, 12, graph.XSDInteger)) &&
			g.emit(st, eucaimInstances, g.integer(30, 3000, xsdNonNeg)) &&
			g.emit(st, eucaimManufacture, graph.String(vendors[g.rng.IntN(len(vendors))]))
		if !ok {
			return false
		}
	}
	return true
}
