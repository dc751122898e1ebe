package fdp

import "github.com/tessera-fair/tessera/graph"

// Namespaces of the vocabularies the FAIR Data Point, Linked Data and VoID
// documents use.
const (
	nsRDF      = graph.RDFNamespace
	nsRDFS     = "http://www.w3.org/2000/01/rdf-schema#"
	nsXSD      = graph.XSDNamespace
	nsDCAT     = "http://www.w3.org/ns/dcat#"
	nsDCT      = "http://purl.org/dc/terms/"
	nsFOAF     = "http://xmlns.com/foaf/0.1/"
	nsVCard    = "http://www.w3.org/2006/vcard/ns#"
	nsSKOS     = "http://www.w3.org/2004/02/skos/core#"
	nsLDP      = "http://www.w3.org/ns/ldp#"
	nsFDP      = "https://w3id.org/fdp/fdp-o#"
	nsR3D      = "http://www.re3data.org/schema/3-0#"
	nsVoID     = "http://rdfs.org/ns/void#"
	nsDatacite = "http://purl.org/spar/datacite/"
	nsSH       = "http://www.w3.org/ns/shacl#"
	nsSchema   = "http://schema.org/"
	nsOWL      = "http://www.w3.org/2002/07/owl#"
	nsProv     = "http://www.w3.org/ns/prov#"
	nsADMS     = "http://www.w3.org/ns/adms#"
	nsODRL     = "http://www.w3.org/ns/odrl/2/"
	nsSPDX     = "http://spdx.org/rdf/terms#"
	nsDCATAP   = "http://data.europa.eu/r5r/"
	// nsTessera is Tessera's vocabulary for graph metadata in the system
	// graph (tessera:accessLevel, tessera:loadedAt, ...).
	nsTessera = "https://tessera.example/ns#"
)

// Terms used by name.
var (
	rdfType = graph.IRI(nsRDF + "type")

	rdfsLabel   = graph.IRI(nsRDFS + "label")
	rdfsComment = graph.IRI(nsRDFS + "comment")
	skosPref    = graph.IRI(nsSKOS + "prefLabel")
	foafName    = graph.IRI(nsFOAF + "name")
	vcardFn     = graph.IRI(nsVCard + "fn")

	dcatResource     = graph.IRI(nsDCAT + "Resource")
	dcatCatalog      = graph.IRI(nsDCAT + "Catalog")
	dcatDataset      = graph.IRI(nsDCAT + "Dataset")
	dcatDistribution = graph.IRI(nsDCAT + "Distribution")
	dcatDataService  = graph.IRI(nsDCAT + "DataService")
	dcatDatasetP     = graph.IRI(nsDCAT + "dataset")
	dcatDistP        = graph.IRI(nsDCAT + "distribution")
	dcatVersion      = graph.IRI(nsDCAT + "version")
	dcatEndpointURL  = graph.IRI(nsDCAT + "endpointURL")
	dcatKeyword      = graph.IRI(nsDCAT + "keyword")
	dcatTheme        = graph.IRI(nsDCAT + "theme")
	dcatLanding      = graph.IRI(nsDCAT + "landingPage")
	dcatAccessURL    = graph.IRI(nsDCAT + "accessURL")
	dcatDownloadURL  = graph.IRI(nsDCAT + "downloadURL")
	dcatMediaType    = graph.IRI(nsDCAT + "mediaType")
	dcatStartDate    = graph.IRI(nsDCAT + "startDate")
	dcatEndDate      = graph.IRI(nsDCAT + "endDate")

	dctTitle        = graph.IRI(nsDCT + "title")
	dctDescription  = graph.IRI(nsDCT + "description")
	dctPublisher    = graph.IRI(nsDCT + "publisher")
	dctLicense      = graph.IRI(nsDCT + "license")
	dctLanguage     = graph.IRI(nsDCT + "language")
	dctIssued       = graph.IRI(nsDCT + "issued")
	dctModified     = graph.IRI(nsDCT + "modified")
	dctIdentifier   = graph.IRI(nsDCT + "identifier")
	dctIsPartOf     = graph.IRI(nsDCT + "isPartOf")
	dctConformsTo   = graph.IRI(nsDCT + "conformsTo")
	dctHasVersion   = graph.IRI(nsDCT + "hasVersion")
	dctSpatial      = graph.IRI(nsDCT + "spatial")
	dctTemporal     = graph.IRI(nsDCT + "temporal")
	dctAccessRights = graph.IRI(nsDCT + "accessRights")
	owlVersionInfo  = graph.IRI(nsOWL + "versionInfo")

	fdpFAIRDataPoint      = graph.IRI(nsFDP + "FAIRDataPoint")
	fdpMetadataService    = graph.IRI(nsFDP + "MetadataService")
	fdpMetadataIdentifier = graph.IRI(nsFDP + "metadataIdentifier")
	fdpMetadataIssued     = graph.IRI(nsFDP + "metadataIssued")
	fdpMetadataModified   = graph.IRI(nsFDP + "metadataModified")
	fdpMetadataCatalog    = graph.IRI(nsFDP + "metadataCatalog")
	fdpSoftwareVersion    = graph.IRI(nsFDP + "fdpSoftwareVersion")
	fdpUILanguage         = graph.IRI(nsFDP + "uiLanguage")
	r3dRepository         = graph.IRI(nsR3D + "Repository")
	datacite              = graph.IRI(nsDatacite + "Identifier")

	ldpDirectContainer    = graph.IRI(nsLDP + "DirectContainer")
	ldpMembershipResource = graph.IRI(nsLDP + "membershipResource")
	ldpHasMemberRelation  = graph.IRI(nsLDP + "hasMemberRelation")
	ldpContains           = graph.IRI(nsLDP + "contains")

	tesseraAccessLevel = graph.IRI(nsTessera + "accessLevel")
	tesseraLoadedAt    = graph.IRI(nsTessera + "loadedAt")
)

// prefixes abbreviate IRIs in Turtle, RDF/XML and JSON-LD output and in the
// HTML property tables.
var prefixes = map[string]string{
	"rdf":          nsRDF,
	"rdfs":         nsRDFS,
	"xsd":          nsXSD,
	"owl":          nsOWL,
	"skos":         nsSKOS,
	"dcat":         nsDCAT,
	"dct":          nsDCT,
	"foaf":         nsFOAF,
	"vcard":        nsVCard,
	"ldp":          nsLDP,
	"fdp":          nsFDP,
	"r3d":          nsR3D,
	"void":         nsVoID,
	"datacite":     nsDatacite,
	"sh":           nsSH,
	"prov":         nsProv,
	"adms":         nsADMS,
	"dcatap":       nsDCATAP,
	"odrl":         nsODRL,
	"spdx":         nsSPDX,
	"tessera":      nsTessera,
	"healthdcatap": "https://w3id.org/healthdcat-ap#",
	"eucaim":       "https://hyperontology.eucaim.cancerimage.eu/#",
	"cdm":          "https://tessera.example/ns/cdm#",
}

// catalogueNamespaces are the namespaces whose classes describe catalogue
// metadata (DESIGN.md §1: controlled graphs hide records, not dataset
// descriptions). A resource of a non-public graph is shown to everyone only
// when all its types are in these namespaces, or one of them is a DCAT
// catalogue class.
var catalogueNamespaces = []string{nsDCAT, nsDCT, nsFOAF, nsVCard, nsSKOS, nsFDP, nsR3D, nsADMS, nsODRL, nsSPDX, nsDCATAP, nsLDP, nsOWL, nsRDFS, nsProv, nsDatacite}

// dcatClasses are the catalogue classes always public whatever else the
// resource is typed with.
var dcatClasses = map[graph.Term]bool{dcatCatalog: true, dcatDataset: true, dcatDistribution: true, dcatDataService: true, dcatResource: true}

// labelPredicates give a resource's name, in order of preference.
var labelPredicates = []graph.Term{skosPref, rdfsLabel, dctTitle, foafName, vcardFn}
