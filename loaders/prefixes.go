package loaders

import "maps"

// commonPrefixes are the namespaces of the vocabularies Tessera's data uses,
// for abbreviating IRIs in Turtle, TriG, RDF/XML and JSON-LD output.
var commonPrefixes = map[string]string{
	"rdf":          "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
	"rdfs":         "http://www.w3.org/2000/01/rdf-schema#",
	"xsd":          "http://www.w3.org/2001/XMLSchema#",
	"owl":          "http://www.w3.org/2002/07/owl#",
	"skos":         "http://www.w3.org/2004/02/skos/core#",
	"dcat":         "http://www.w3.org/ns/dcat#",
	"dct":          "http://purl.org/dc/terms/",
	"foaf":         "http://xmlns.com/foaf/0.1/",
	"vcard":        "http://www.w3.org/2006/vcard/ns#",
	"adms":         "http://www.w3.org/ns/adms#",
	"prov":         "http://www.w3.org/ns/prov#",
	"dcatap":       "http://data.europa.eu/r5r/",
	"healthdcatap": "http://healthdataportal.eu/ns/health#",
	"fdp":          "https://w3id.org/fdp/fdp-o#",
	"ldp":          "http://www.w3.org/ns/ldp#",
	"sh":           "http://www.w3.org/ns/shacl#",
	"schema":       "http://schema.org/",
}

// CommonPrefixes returns a fresh copy of the prefixes Tessera writes by default.
func CommonPrefixes() map[string]string { return maps.Clone(commonPrefixes) }
