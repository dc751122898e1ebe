package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/tessera-fair/tessera/graph"
)

// IRIs of the generated federation.
const (
	// ResourceBase is the prefix of every generated resource IRI
	// (organisations, catalogues, datasets, patients, studies).
	ResourceBase = "https://tessera.example/provider/"
	// SystemGraph is the named graph that records, for each provider graph,
	// its owner, country and access level (DESIGN.md §1).
	SystemGraph = "https://tessera.example/graph/system/providers"
	// NS is Tessera's own small vocabulary for graph metadata in SystemGraph:
	// tessera:accessLevel with the values tessera:public, tessera:registered
	// and tessera:controlled.
	NS = "https://tessera.example/ns#"
	// CDM is the vocabulary of the record-level descriptors (patients and
	// imaging studies). The terms follow the EUCAIM common data model
	// (mCODE-based) for patients and the DICOM attributes for studies:
	// modality (0008,0060), bodyPartExamined (0018,0015), manufacturer
	// (0008,0070), studyDate (0008,0020), numberOfSeries (0020,1206),
	// numberOfInstances (0020,1208). Codes are NCIt, DICOM and SNOMED IRIs.
	CDM = "https://tessera.example/ns/cdm#"
)

// Access levels of a provider graph, after GA4GH Beacon and EUCAIM.
const (
	AccessPublic     = NS + "public"
	AccessRegistered = NS + "registered"
	AccessControlled = NS + "controlled"
)

// Namespaces of the standards the descriptors use. HealthDCAT-AP and the
// EUCAIM concepts each have two namespaces in real data; some generated
// providers use the older ones so that the alias handling has work to do.
const (
	rdfNS          = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rdfsNS         = "http://www.w3.org/2000/01/rdf-schema#"
	dcatNS         = "http://www.w3.org/ns/dcat#"
	dctNS          = "http://purl.org/dc/terms/"
	dcatapNS       = "http://data.europa.eu/r5r/"
	foafNS         = "http://xmlns.com/foaf/0.1/"
	vcardNS        = "http://www.w3.org/2006/vcard/ns#"
	healthNS       = "https://w3id.org/healthdcat-ap#"
	healthLegacyNS = "http://healthdataportal.eu/ns/health#"
	eucaimNS       = "https://hyperontology.eucaim.cancerimage.eu/#"
	eucaimLegacyNS = "https://cancerimage.eu/ontology/EUCAIM#"
	ncitNS         = "http://purl.obolibrary.org/obo/NCIT_"
	dcmNS          = "http://dicom.nema.org/resources/ontology/DCM/"
	snomedNS       = "http://snomed.info/id/"
	euAuthority    = "http://publications.europa.eu/resource/authority/"
	accessCondNS   = "https://eucaim.github.io/eucaim_dcat_ap/releases/controlled-vocabularies/access-conditions/#"
	cvNS           = "http://data.europa.eu/m8g/"
	dpvNS          = "https://w3id.org/dpv#"
	// healthCatNS and healthThemeNS are the bases of the HealthDCAT-AP
	// health category and health theme concepts exactly as the EUCAIM
	// DCAT-AP dataset example writes them (data/eucaim/dataset-example.ttl).
	healthCatNS   = "http://13.81.34.152:1101/resource/authority/healthcategories/"
	healthThemeNS = "http://13.81.34.152:1101/resource/authority/health-theme/"
	xsdBoolean    = graph.XSDNamespace + "boolean"
	xsdDate       = graph.XSDNamespace + "date"
	xsdNonNeg     = graph.XSDNamespace + "nonNegativeInteger"
	xsdInteger    = graph.XSDInteger
)

// Real concept codes used by the descriptors.
const (
	tier2         = "SPEC1000011" // EUCAIM interoperability Tier 2, as in the EUCAIM dataset example
	diseaseCohort = "SPEC1000007" // EUCAIM collection method "Disease-specific"
	originalData  = "SPEC1000020" // EUCAIM dataset type "Original Dataset" (not processed, not annotated)
	ncitFemale    = "C16576"
	ncitMale      = "C20197"
	ncitUnknown   = "C17998"
	ncitAlive     = "C37987"
	ncitDead      = "C28554"
	ehdsRegulaton = "http://data.europa.eu/eli/reg/2025/327/oj"
)

// provider is one member of the generated federation.
type provider struct {
	slug, name, kind        string
	country, countryName    string // EU authority country code (ISO 3166-1 alpha-3) and English name
	city, lang              string
	access                  string
	legacy                  bool // uses the older HealthDCAT-AP and EUCAIM namespaces
	datasetsPerScale, start int  // datasets per unit of scale; first year of data
}

// providers is the federation: hospitals and research repositories in
// eleven countries. The names are invented; the shape follows EUCAIM's members.
var providers = [...]provider{
	{"turia", "Hospital Universitario del Turia", "hospital", "ESP", "Spain", "Valencia", "es", AccessPublic, false, 7, 2012},
	{"spreeufer", "Universitätsklinikum Spreeufer", "hospital", "DEU", "Germany", "Berlin", "de", AccessRegistered, false, 6, 2014},
	{"rive-gauche", "Institut Rive Gauche d'Oncologie", "hospital", "FRA", "France", "Paris", "fr", AccessControlled, false, 6, 2011},
	{"lombardo", "Ospedale Oncologico Lombardo", "hospital", "ITA", "Italy", "Milano", "it", AccessRegistered, true, 5, 2013},
	{"amstel", "Amstel Medisch Centrum", "hospital", "NLD", "Netherlands", "Amsterdam", "nl", AccessPublic, false, 6, 2015},
	{"donau", "Klinikum Donau Wien", "hospital", "AUT", "Austria", "Wien", "de", AccessControlled, false, 5, 2012},
	{"tejo", "Centro Oncológico do Tejo", "hospital", "PRT", "Portugal", "Lisboa", "pt", AccessRegistered, true, 5, 2016},
	{"aegean", "Aegean Institute of Medical Imaging", "repository", "GRC", "Greece", "Heraklion", "el", AccessPublic, false, 7, 2010},
	{"nordic-repo", "Nordic Cancer Imaging Repository", "repository", "SWE", "Sweden", "Stockholm", "sv", AccessControlled, false, 6, 2011},
	{"vistula", "Szpital Onkologiczny nad Wisłą", "hospital", "POL", "Poland", "Warszawa", "pl", AccessRegistered, false, 5, 2014},
	{"llobregat", "Hospital Clínic del Llobregat", "hospital", "ESP", "Spain", "Barcelona", "ca", AccessControlled, true, 6, 2013},
	{"paediatric-repo", "European Paediatric Imaging Repository", "repository", "BEL", "Belgium", "Brussels", "nl", AccessPublic, false, 6, 2015},
}

// phrases holds the few words each local language needs.
type phrases struct {
	cohort, desc, keyword, catalog string
}

var local = map[string]phrases{
	"es": {"Cohorte de imagen", "Estudios de imagen seudonimizados de pacientes con %s (%s).", "imagen oncológica", "Catálogo de imagen oncológica"},
	"de": {"Bildgebungskohorte", "Pseudonymisierte Bildgebungsstudien von Patienten mit %s (%s).", "onkologische Bildgebung", "Katalog onkologischer Bildgebung"},
	"fr": {"Cohorte d'imagerie", "Études d'imagerie pseudonymisées de patients atteints de %s (%s).", "imagerie oncologique", "Catalogue d'imagerie oncologique"},
	"it": {"Coorte di imaging", "Studi di imaging pseudonimizzati di pazienti con %s (%s).", "imaging oncologico", "Catalogo di imaging oncologico"},
	"nl": {"Beeldvormingscohort", "Gepseudonimiseerde beeldvormingsstudies van patiënten met %s (%s).", "oncologische beeldvorming", "Catalogus oncologische beeldvorming"},
	"pt": {"Coorte de imagem", "Estudos de imagem pseudonimizados de doentes com %s (%s).", "imagem oncológica", "Catálogo de imagem oncológica"},
	"el": {"Κοορτή απεικόνισης", "Ψευδωνυμοποιημένες απεικονιστικές μελέτες ασθενών με %s (%s).", "ογκολογική απεικόνιση", "Κατάλογος ογκολογικής απεικόνισης"},
	"sv": {"Bilddiagnostisk kohort", "Pseudonymiserade bildundersökningar av patienter med %s (%s).", "onkologisk bilddiagnostik", "Katalog för onkologisk bilddiagnostik"},
	"pl": {"Kohorta obrazowa", "Spseudonimizowane badania obrazowe pacjentów z %s (%s).", "obrazowanie onkologiczne", "Katalog obrazowania onkologicznego"},
	"ca": {"Cohort d'imatge", "Estudis d'imatge pseudonimitzats de pacients amb %s (%s).", "imatge oncològica", "Catàleg d'imatge oncològica"},
}

// manufacturers are Manufacturer (0008,0070) values as real headers carry them.
var manufacturers = [...]string{"SIEMENS", "GE MEDICAL SYSTEMS", "Philips Medical Systems", "Canon Medical Systems", "FUJIFILM Corporation", "HOLOGIC, Inc."}

// manufacturerCodes are the EUCAIM hyperontology concepts of manufacturers,
// in the order of manufacturers (EUCAIM/etl-toolset, concept table:
// IMG1000044 Siemens, IMG1000047 General Electric, IMG1000046 Philips,
// IMG1000050 Canon, IMG1000060 Fujifilm, IMG1000064 Hologic).
var manufacturerCodes = [len(manufacturers)]string{"IMG1000044", "IMG1000047", "IMG1000046", "IMG1000050", "IMG1000060", "IMG1000064"}

var manufacturerTerms = func() (t [len(manufacturers)]graph.Term) {
	for i, m := range manufacturers {
		t[i] = graph.String(m)
	}
	return t
}()

// Fixed terms.
var (
	rdfType     = graph.IRI(rdfNS + "type")
	rdfsLabel   = graph.IRI(rdfsNS + "label")
	dcatCat     = graph.IRI(dcatNS + "Catalog")
	dcatDS      = graph.IRI(dcatNS + "Dataset")
	dcatDist    = graph.IRI(dcatNS + "Distribution")
	dcatDSP     = graph.IRI(dcatNS + "dataset")
	dcatDistP   = graph.IRI(dcatNS + "distribution")
	dcatKw      = graph.IRI(dcatNS + "keyword")
	dcatTheme   = graph.IRI(dcatNS + "theme")
	dcatCP      = graph.IRI(dcatNS + "contactPoint")
	dcatAccess  = graph.IRI(dcatNS + "accessURL")
	dcatMedia   = graph.IRI(dcatNS + "mediaType")
	dcatBytes   = graph.IRI(dcatNS + "byteSize")
	dcatLand    = graph.IRI(dcatNS + "landingPage")
	dcatStart   = graph.IRI(dcatNS + "startDate")
	dcatEnd     = graph.IRI(dcatNS + "endDate")
	dctTitle    = graph.IRI(dctNS + "title")
	dctDesc     = graph.IRI(dctNS + "description")
	dctID       = graph.IRI(dctNS + "identifier")
	dctIssued   = graph.IRI(dctNS + "issued")
	dctMod      = graph.IRI(dctNS + "modified")
	dctPub      = graph.IRI(dctNS + "publisher")
	dctLang     = graph.IRI(dctNS + "language")
	dctSpatial  = graph.IRI(dctNS + "spatial")
	dctTemp     = graph.IRI(dctNS + "temporal")
	dctPeriod   = graph.IRI(dctNS + "PeriodOfTime")
	dctAR       = graph.IRI(dctNS + "accessRights")
	dctRights   = graph.IRI(dctNS + "rights")
	dctFormat   = graph.IRI(dctNS + "format")
	dctLicense  = graph.IRI(dctNS + "license")
	dctIsPart   = graph.IRI(dctNS + "isPartOf")
	legisP      = graph.IRI(dcatapNS + "applicableLegislation")
	dcatVersion = graph.IRI(dcatNS + "version")
	dctType     = graph.IRI(dctNS + "type")
	dctProv     = graph.IRI(dctNS + "provenance")
	dctProvSt   = graph.IRI(dctNS + "ProvenanceStatement")
	cvContact   = graph.IRI(cvNS + "contactPoint")
	dpvPseudo   = graph.IRI(dpvNS + "PseudonymisedData")
	typePD      = graph.IRI(euAuthority + "dataset-type/PERSONAL_DATA")
	catEHRS     = graph.IRI(healthCatNS + "EHRS")
	themeCANC   = graph.IRI(healthThemeNS + "CANCER")
	version1    = graph.String("1.0.0")
	falseLit    = graph.Literal("false", xsdBoolean)
	foafOrg     = graph.IRI(foafNS + "Organization")
	foafName    = graph.IRI(foafNS + "name")
	foafHome    = graph.IRI(foafNS + "homepage")
	vcardOrg    = graph.IRI(vcardNS + "Organization")
	vcardFn     = graph.IRI(vcardNS + "fn")
	vcardEmail  = graph.IRI(vcardNS + "hasEmail")
	themeHEAL   = graph.IRI(euAuthority + "data-theme/HEAL")
	langENG     = graph.IRI(euAuthority + "language/ENG")
	fmtDCM      = graph.IRI(euAuthority + "file-type/DCM")
	mediaDICOM  = graph.IRI("https://www.iana.org/assignments/media-types/application/dicom")
	ccBY        = graph.IRI("https://creativecommons.org/licenses/by/4.0/")
	ehds        = graph.IRI(ehdsRegulaton)

	sysAccess = graph.IRI(NS + "accessLevel")
	sysGraph  = graph.IRI(NS + "Graph")

	cdmPatient   = graph.IRI(CDM + "Patient")
	cdmStudy     = graph.IRI(CDM + "ImagingStudy")
	cdmSubject   = graph.IRI(CDM + "subject")
	cdmSex       = graph.IRI(CDM + "sex")
	cdmAge       = graph.IRI(CDM + "ageAtDiagnosis")
	cdmDiagnosis = graph.IRI(CDM + "diagnosis")
	cdmVital     = graph.IRI(CDM + "vitalStatus")
	cdmModality  = graph.IRI(CDM + "modality")
	cdmBodyPart  = graph.IRI(CDM + "bodyPartExamined")
	cdmManuf     = graph.IRI(CDM + "manufacturer")
	cdmDate      = graph.IRI(CDM + "studyDate")
	cdmSeries    = graph.IRI(CDM + "numberOfSeries")
	cdmInstances = graph.IRI(CDM + "numberOfInstances")

	sexes  = [3]graph.Term{graph.IRI(ncitNS + ncitFemale), graph.IRI(ncitNS + ncitMale), graph.IRI(ncitNS + ncitUnknown)}
	vitals = [3]graph.Term{graph.IRI(ncitNS + ncitAlive), graph.IRI(ncitNS + ncitDead), graph.IRI(ncitNS + ncitUnknown)}
)

// accessTerms maps an access level to the EU access-right concept of its
// datasets and the EUCAIM access condition of their distributions.
func accessTerms(level string) (rights, condition graph.Term) {
	switch level {
	case AccessPublic:
		return graph.IRI(euAuthority + "access-right/PUBLIC"), graph.IRI(accessCondNS + "DOWNLOAD")
	case AccessRegistered:
		return graph.IRI(euAuthority + "access-right/RESTRICTED"), graph.IRI(accessCondNS + "REMOTE_PROCESSING")
	}
	return graph.IRI(euAuthority + "access-right/NON_PUBLIC"), graph.IRI(accessCondNS + "IN_SITU_PROCESSING")
}

// vocab holds the namespace-dependent predicates of one provider.
type vocab struct {
	individuals, records, minAge, maxAge, tierP, tier2,
	condition, modalityP, bodyPartP, birthSex graph.Term
	// EUCAIM DCAT-AP v2.0 properties and codes.
	healthCategory, healthTheme, codeValues, structured, hdab,
	collection, diseaseCohort, originalData, manufacturerP graph.Term
	manufacturers [len(manufacturers)]graph.Term
}

func newVocab(legacy bool) vocab {
	h, e := healthNS, eucaimNS
	if legacy {
		h, e = healthLegacyNS, eucaimLegacyNS
	}
	return vocab{
		individuals: graph.IRI(h + "numberOfUniqueIndividuals"),
		records:     graph.IRI(h + "numberOfRecords"),
		minAge:      graph.IRI(h + "minTypicalAge"),
		maxAge:      graph.IRI(h + "maxTypicalAge"),
		tierP:       graph.IRI(e + "interoperabilityLevel"),
		tier2:       graph.IRI(e + tier2),
		condition:   graph.IRI(e + "hasCondition"),
		modalityP:   graph.IRI(e + "hasImageModality"),
		bodyPartP:   graph.IRI(e + "hasImageBodyPart"),
		birthSex:    graph.IRI(e + "hasBirthSex"),

		healthCategory: graph.IRI(h + "healthCategory"),
		healthTheme:    graph.IRI(h + "healthTheme"),
		codeValues:     graph.IRI(h + "hasCodeValues"),
		structured:     graph.IRI(h + "hasStructuredData"),
		hdab:           graph.IRI(h + "hdab"),
		collection:     graph.IRI(e + "collectionMethod"),
		diseaseCohort:  graph.IRI(e + diseaseCohort),
		originalData:   graph.IRI(e + originalData),
		manufacturerP:  graph.IRI(e + "hasEquipmentManufacturer"),
		manufacturers: func() (t [len(manufacturers)]graph.Term) {
			for i, c := range manufacturerCodes {
				t[i] = graph.IRI(e + c)
			}
			return t
		}(),
	}
}

// ProviderGraph returns the named graph of the generated provider slug.
func ProviderGraph(slug string) graph.Term { return graph.IRI(GraphBase + slug) }

// Federation streams the generated demo federation at the given scale: the
// system graph SystemGraph, then one named graph per provider (12 providers
// in 11 countries) holding its organisation, contact point, its country's
// health data access body, dcat:Catalog, datasets with EUCAIM DCAT-AP and
// HealthDCAT-AP properties, one DICOM distribution per dataset, and the
// record-level patients and imaging studies behind each dataset. Every
// provider graph conforms to the default "eucaim" shapes (EUCAIM DCAT-AP
// v2.0) without violations or warnings (TestFederationConformsToEUCAIM): each
// dataset names one main eucaim:hasCondition, and lists the codes of all its
// patients' diagnoses as healthdcatap:hasCodeValues.
//
// Scale 1 is the catalogue `make run` starts with: 70 datasets, 20,460
// patients and 51,350 imaging studies, 589,824 quads (pinned by
// TestFederationDeterministic). Scale N has N times as many datasets, and so
// about N times as many patients, studies and quads (scale 2 ≈ 1.2M quads,
// scale 17 ≈ 10M); providers and countries stay fixed. The same scale always gives the
// same quads in the same order, generated as a stream in constant memory.
// A scale below 1 yields an error.
func Federation(scale int) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		if scale < 1 {
			yield(graph.Quad{}, fmt.Errorf("demo federation: scale %d is not positive", scale))
			return
		}
		c, err := parseCodes(codeTable)
		if err != nil {
			yield(graph.Quad{}, fmt.Errorf("demo federation: %w", err))
			return
		}
		e := &emitter{yield: yield, codes: c}
		e.system()
		for i := range providers {
			if e.stopped {
				return
			}
			e.provider(i, scale)
		}
	}
}

// emitter writes quads to the consumer; after the consumer stops, emit does
// nothing and stopped is true, so loops check stopped at their boundaries.
type emitter struct {
	yield   func(graph.Quad, error) bool
	codes   *codes
	g       graph.Term
	stopped bool
	buf     []byte
	dates   []graph.Term // xsd:date literals by day since epoch
}

func (e *emitter) emit(s, p, o graph.Term) {
	if e.stopped {
		return
	}
	if !e.yield(graph.Quad{S: s, P: p, O: o, G: e.g}, nil) {
		e.stopped = true
	}
}

// iri returns the IRI prefix+parts, built in a reused buffer.
func (e *emitter) iri(prefix string, parts ...string) graph.Term {
	e.buf = append(e.buf[:0], prefix...)
	for _, p := range parts {
		e.buf = append(e.buf, p...)
	}
	return graph.IRI(string(e.buf))
}

// recordIRI returns base + kind + "/" + d + "-" + n (and "-" + k when k > 0).
func (e *emitter) recordIRI(base, kind string, d, n, k int) graph.Term {
	e.buf = append(e.buf[:0], base...)
	e.buf = append(e.buf, kind...)
	e.buf = append(e.buf, '/')
	e.buf = strconv.AppendInt(e.buf, int64(d), 10)
	e.buf = append(e.buf, '-')
	e.buf = strconv.AppendInt(e.buf, int64(n), 10)
	if k > 0 {
		e.buf = append(e.buf, '-')
		e.buf = strconv.AppendInt(e.buf, int64(k), 10)
	}
	return graph.IRI(string(e.buf))
}

func nonNeg(n int) graph.Term  { return graph.Literal(strconv.Itoa(n), xsdNonNeg) }
func integer(n int) graph.Term { return graph.Literal(strconv.Itoa(n), xsdInteger) }

// epoch is day 0 of the generated study dates.
var epoch = time.Date(2010, time.January, 1, 0, 0, 0, 0, time.UTC)

func date(day int) graph.Term {
	return graph.Literal(epoch.AddDate(0, 0, day).Format(time.DateOnly), xsdDate)
}

// date returns the xsd:date literal of day, from a cache (study dates repeat).
func (e *emitter) date(day int) graph.Term {
	if day < 0 || day > 100*366 {
		return date(day)
	}
	for len(e.dates) <= day {
		e.dates = append(e.dates, date(len(e.dates)))
	}
	return e.dates[day]
}

func orgIRI(p *provider) graph.Term { return graph.IRI(ResourceBase + p.slug + "/organisation") }

func countryIRI(p *provider) graph.Term { return graph.IRI(euAuthority + "country/" + p.country) }

// hdabIRI is the (invented) Health Data Access Body of the provider's
// country, the healthdcatap:hdab of its datasets under the EHDS.
func hdabIRI(p *provider) graph.Term { return graph.IRI("https://tessera.example/hdab/" + p.country) }

// system writes the system graph: owner, country and access level of each
// provider graph.
func (e *emitter) system() {
	e.g = graph.IRI(SystemGraph)
	for i := range providers {
		p := &providers[i]
		g := ProviderGraph(p.slug)
		e.emit(g, rdfType, sysGraph)
		e.emit(g, rdfsLabel, graph.LangLiteral(p.name+" (synthetic demo data)", "en"))
		e.emit(g, dctPub, orgIRI(p))
		e.emit(g, dctSpatial, countryIRI(p))
		e.emit(g, sysAccess, graph.IRI(p.access))
	}
}

// provider writes provider i's graph.
func (e *emitter) provider(i, scale int) {
	p := &providers[i]
	e.g = ProviderGraph(p.slug)
	v := newVocab(p.legacy)
	ph := local[p.lang]
	base := ResourceBase + p.slug + "/"
	org, contact, catalog := orgIRI(p), graph.IRI(base+"contact"), graph.IRI(base+"catalog")
	home := graph.IRI("https://" + p.slug + ".tessera.example/")
	country := countryIRI(p)
	localLang := graph.IRI(euAuthority + "language/" + langCode(p.lang))
	rights, cond := accessTerms(p.access)

	e.emit(org, rdfType, foafOrg)
	e.emit(org, foafName, graph.String(p.name))
	e.emit(org, foafHome, home)
	e.emit(org, dctSpatial, country)
	e.emit(contact, rdfType, vcardOrg)
	e.emit(contact, vcardFn, graph.String(p.name+" data access committee"))
	e.emit(contact, vcardEmail, graph.IRI("mailto:data-access@"+p.slug+".tessera.example"))
	e.emit(org, cvContact, contact)
	hdab := hdabIRI(p)
	e.emit(hdab, rdfType, foafOrg)
	e.emit(hdab, foafName, graph.String("Health Data Access Body of "+p.countryName+" (synthetic)"))
	e.emit(hdab, dctSpatial, country)

	e.emit(catalog, rdfType, dcatCat)
	e.emit(catalog, dctTitle, graph.LangLiteral(p.name+" cancer imaging catalogue", "en"))
	e.emit(catalog, dctTitle, graph.LangLiteral(ph.catalog+" — "+p.name, p.lang))
	e.emit(catalog, dctDesc, graph.LangLiteral("Synthetic demo catalogue of the "+p.kind+" "+p.name+" ("+p.city+", "+p.countryName+"), generated by Tessera.", "en"))
	e.emit(catalog, dctPub, org)
	e.emit(catalog, dctSpatial, country)
	e.emit(catalog, dctLang, langENG)
	e.emit(catalog, dctLang, localLang)
	e.emit(catalog, foafHome, home)
	e.emit(catalog, dctIssued, date((p.start-2010)*365))

	for d := 1; d <= p.datasetsPerScale*scale && !e.stopped; d++ {
		e.dataset(i, d, base, catalog, org, contact, country, localLang, rights, cond, v, ph)
	}
}

// langCode maps a language tag to its EU authority language code.
func langCode(tag string) string {
	switch tag {
	case "es":
		return "SPA"
	case "de":
		return "DEU"
	case "fr":
		return "FRA"
	case "it":
		return "ITA"
	case "nl":
		return "NLD"
	case "pt":
		return "POR"
	case "el":
		return "ELL"
	case "sv":
		return "SWE"
	case "pl":
		return "POL"
	case "ca":
		return "CAT"
	}
	return "ENG"
}

// plan is what a dataset's records are drawn from.
type plan struct {
	conds      []*condition // one or two, the first is the main one
	modalities []modality
	patients   int
	minAge     int // of the population the records are drawn from
	ageSpan    int
	start      int // first study day since epoch
	span       int // days of study dates
	sexBias    int // 0: both, 1: female, 2: male
}

// summary is what a dataset's metadata says about its records.
type summary struct {
	studies, instances int
	minAge, maxAge     int
	firstDay, lastDay  int
	sexes              [3]bool
	modalitySeen       []bool
	manufacturerSeen   [len(manufacturers)]bool
	conditionSeen      []bool // by index in plan.conds
}

// patient is one drawn record with its studies.
type patient struct {
	sex, age, vital int
	diag            *condition
	studies         []study
}

type study struct {
	modality          int // index in plan.modalities
	day               int
	series, instances int
	manufacturer      int
}

// seed mixes provider and dataset numbers into a PCG seed.
func seed(i, d int, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(i)<<32|uint64(d), 0x7e55e7a0_0000_0000^salt))
}

func (e *emitter) newPlan(i, d int) plan {
	r := seed(i, d, 1)
	conds := e.codes.conditions
	main := &conds[r.IntN(len(conds))]
	pl := plan{conds: []*condition{main}}
	if r.IntN(4) == 0 { // a second, related condition (same body part)
		for k := range conds {
			c := &conds[(k+int(r.Uint32()))%len(conds)]
			if c != main && c.bodyPart == main.bodyPart {
				pl.conds = append(pl.conds, c)
				break
			}
		}
	}
	n := 1 + r.IntN(len(main.modalities))
	pl.modalities = main.modalities[:n]
	pl.patients = 150 + r.IntN(301)
	pl.minAge, pl.ageSpan = 25+r.IntN(20), 40+r.IntN(20)
	if main.oncoTree == "NBL" {
		pl.minAge, pl.ageSpan = 0, 15
	}
	switch main.bodyPart.dicom {
	case "BREAST":
		pl.sexBias = 1
	case "PROSTATE":
		pl.sexBias = 2
	}
	pl.start = (providers[i].start-2010)*365 + r.IntN(3*365)
	pl.span = 365 * (2 + r.IntN(6))
	return pl
}

// records draws the plan's patients in order and calls fn for each; both
// the summary pass and the emitting pass use it, so they see the same draws.
func records(i, d int, pl *plan, fn func(n int, pt *patient) bool) {
	r := seed(i, d, 2)
	pt := &patient{studies: make([]study, 0, 4)}
	for n := 1; n <= pl.patients; n++ {
		switch pl.sexBias {
		case 1:
			pt.sex = 0
		case 2:
			pt.sex = 1
		default:
			pt.sex = r.IntN(2)
		}
		if r.IntN(100) == 0 {
			pt.sex = 2
		}
		pt.age = pl.minAge + r.IntN(pl.ageSpan+1)
		switch x := r.IntN(20); {
		case x < 14:
			pt.vital = 0
		case x < 19:
			pt.vital = 1
		default:
			pt.vital = 2
		}
		pt.diag = pl.conds[r.IntN(len(pl.conds))]
		pt.studies = pt.studies[:0]
		for k := 1 + r.IntN(4); k > 0; k-- {
			m := r.IntN(len(pl.modalities))
			lo, hi := seriesRange(pl.modalities[m].code)
			s := study{modality: m, day: pl.start + r.IntN(pl.span), series: lo + r.IntN(hi-lo+1)}
			ilo, ihi := instancesPerSeries(pl.modalities[m].code)
			s.instances = s.series * (ilo + r.IntN(ihi-ilo+1))
			s.manufacturer = r.IntN(len(manufacturers) - 1)
			if pl.modalities[m].code == "MG" && r.IntN(2) == 0 {
				s.manufacturer = len(manufacturers) - 1 // mammography: Hologic
			}
			pt.studies = append(pt.studies, s)
		}
		if !fn(n, pt) {
			return
		}
	}
}

func seriesRange(mod string) (int, int) {
	switch mod {
	case "CT":
		return 2, 6
	case "MR":
		return 4, 12
	case "PT":
		return 2, 4
	case "MG":
		return 4, 4
	case "US":
		return 1, 3
	}
	return 1, 2
}

func instancesPerSeries(mod string) (int, int) {
	switch mod {
	case "CT":
		return 100, 600
	case "MR":
		return 20, 200
	case "PT":
		return 200, 400
	case "US":
		return 5, 40
	}
	return 1, 3
}

// summarize runs the records once, without emitting, for the dataset's
// metadata.
func summarize(i, d int, pl *plan) summary {
	s := summary{minAge: 1 << 30, firstDay: 1 << 30, modalitySeen: make([]bool, len(pl.modalities)), conditionSeen: make([]bool, len(pl.conds))}
	records(i, d, pl, func(_ int, pt *patient) bool {
		s.sexes[pt.sex] = true
		s.minAge, s.maxAge = min(s.minAge, pt.age), max(s.maxAge, pt.age)
		for k, c := range pl.conds {
			if c == pt.diag {
				s.conditionSeen[k] = true
			}
		}
		for _, st := range pt.studies {
			s.studies++
			s.instances += st.instances
			s.firstDay, s.lastDay = min(s.firstDay, st.day), max(s.lastDay, st.day)
			s.modalitySeen[st.modality] = true
			s.manufacturerSeen[st.manufacturer] = true
		}
		return true
	})
	return s
}

// dataset writes dataset d of provider i, its distribution and its records.
func (e *emitter) dataset(i, d int, base string, catalog, org, contact, country, localLang, rights, cond graph.Term, v vocab, ph phrases) {
	p := &providers[i]
	pl := e.newPlan(i, d)
	sum := summarize(i, d, &pl)
	ds := e.iri(base, "dataset/", strconv.Itoa(d))
	dist := graph.IRI(ds.Value() + "/distribution/dicom")
	period := graph.IRI(ds.Value() + "/period")
	prov := graph.IRI(ds.Value() + "/provenance")
	main := pl.conds[0]
	var mods string
	for k, m := range pl.modalities {
		if k > 0 {
			mods += ", "
		}
		mods += m.code
	}

	e.emit(catalog, dcatDSP, ds)
	e.emit(ds, rdfType, dcatDS)
	e.emit(ds, dctID, graph.String(p.slug+"-"+strconv.Itoa(d)))
	e.emit(ds, dctTitle, graph.LangLiteral(main.name+" imaging cohort "+strconv.Itoa(d)+" ("+p.name+")", "en"))
	e.emit(ds, dctTitle, graph.LangLiteral(ph.cohort+" "+strconv.Itoa(d)+": "+main.name, p.lang))
	e.emit(ds, dctDesc, graph.LangLiteral(fmt.Sprintf("Pseudonymised %s studies of %d patients with %s at %s, %s. Synthetic demo data.", mods, pl.patients, main.name, p.name, p.city), "en"))
	e.emit(ds, dctDesc, graph.LangLiteral(fmt.Sprintf(ph.desc, main.name, mods), p.lang))
	e.emit(ds, dcatKw, graph.LangLiteral(main.name, "en"))
	e.emit(ds, dcatKw, graph.LangLiteral("cancer imaging", "en"))
	for _, m := range pl.modalities {
		e.emit(ds, dcatKw, graph.LangLiteral(m.name, "en"))
	}
	e.emit(ds, dcatKw, graph.LangLiteral(ph.keyword, p.lang))
	e.emit(ds, dcatTheme, themeHEAL)
	e.emit(ds, dctLang, langENG)
	e.emit(ds, dctPub, org)
	e.emit(ds, dcatCP, contact)
	e.emit(ds, dctSpatial, country)
	e.emit(ds, v.tierP, v.tier2)
	// EUCAIM DCAT-AP v2.0 allows one hasCondition: the main one. The codes of
	// every diagnosis in the records (a second, related condition in some
	// datasets) are the dataset's healthdcatap:hasCodeValues.
	e.emit(ds, v.condition, main.ncitIRI)
	for k, c := range pl.conds {
		if sum.conditionSeen[k] {
			e.emit(ds, v.codeValues, c.ncitIRI)
		}
	}
	for k, m := range pl.modalities {
		if sum.modalitySeen[k] {
			e.emit(ds, v.modalityP, m.iri)
		}
	}
	e.emit(ds, v.bodyPartP, main.bodyPart.snomedIRI)
	for k, seen := range sum.manufacturerSeen {
		if seen {
			e.emit(ds, v.manufacturerP, v.manufacturers[k])
		}
	}
	e.emit(ds, v.collection, v.diseaseCohort)
	for k, seen := range sum.sexes {
		if seen {
			e.emit(ds, v.birthSex, sexes[k])
		}
	}
	e.emit(ds, v.individuals, nonNeg(pl.patients))
	e.emit(ds, v.records, nonNeg(sum.studies))
	e.emit(ds, v.minAge, nonNeg(sum.minAge))
	e.emit(ds, v.maxAge, nonNeg(sum.maxAge))
	e.emit(ds, dctTemp, period)
	e.emit(period, rdfType, dctPeriod)
	e.emit(period, dcatStart, date(sum.firstDay))
	e.emit(period, dcatEnd, date(sum.lastDay))
	e.emit(ds, dctAR, rights)
	e.emit(ds, legisP, ehds)
	e.emit(ds, dcatLand, graph.IRI("https://"+p.slug+".tessera.example/datasets/"+strconv.Itoa(d)))
	e.emit(ds, dctIssued, date(sum.lastDay+30))
	e.emit(ds, dctMod, date(sum.lastDay+90))
	e.emit(ds, dcatDistP, dist)
	e.emit(ds, dcatVersion, version1)
	e.emit(ds, v.healthCategory, catEHRS)
	e.emit(ds, v.healthTheme, themeCANC)
	e.emit(ds, dctType, v.originalData)
	e.emit(ds, dctType, dpvPseudo)
	e.emit(ds, dctType, typePD)
	e.emit(ds, v.structured, falseLit)
	e.emit(ds, v.hdab, hdabIRI(p))
	e.emit(ds, dctProv, prov)
	e.emit(prov, rdfType, dctProvSt)
	e.emit(prov, rdfsLabel, graph.LangLiteral(fmt.Sprintf("Pseudonymised %s studies exported from the imaging archive of %s, %s; synthetic demo data generated by Tessera.", mods, p.name, p.city), "en"))

	e.emit(dist, rdfType, dcatDist)
	e.emit(dist, dctTitle, graph.LangLiteral("DICOM imaging data", "en"))
	e.emit(dist, dcatAccess, graph.IRI("https://"+p.slug+".tessera.example/access/"+strconv.Itoa(d)))
	e.emit(dist, dctFormat, fmtDCM)
	e.emit(dist, dcatMedia, mediaDICOM)
	e.emit(dist, dctRights, cond)
	e.emit(dist, dctLicense, ccBY)
	e.emit(dist, legisP, ehds)
	e.emit(dist, dcatBytes, nonNeg(sum.instances*524288))

	records(i, d, &pl, func(n int, pt *patient) bool {
		pat := e.recordIRI(base, "patient", d, n, 0)
		e.emit(pat, rdfType, cdmPatient)
		e.emit(pat, dctIsPart, ds)
		e.emit(pat, cdmSex, sexes[pt.sex])
		e.emit(pat, cdmAge, integer(pt.age))
		e.emit(pat, cdmDiagnosis, pt.diag.ncitIRI)
		e.emit(pat, cdmVital, vitals[pt.vital])
		for k, st := range pt.studies {
			s := e.recordIRI(base, "study", d, n, k+1)
			m := pl.modalities[st.modality]
			e.emit(s, rdfType, cdmStudy)
			e.emit(s, cdmSubject, pat)
			e.emit(s, dctIsPart, ds)
			e.emit(s, cdmModality, m.iri)
			e.emit(s, cdmBodyPart, main.bodyPart.literal)
			e.emit(s, cdmManuf, manufacturerTerms[st.manufacturer])
			e.emit(s, cdmDate, e.date(st.day))
			e.emit(s, cdmSeries, integer(st.series))
			e.emit(s, cdmInstances, integer(st.instances))
		}
		return !e.stopped
	})
}
