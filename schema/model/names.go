package model

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
)

// reservedFields are the field names every type has; a derived field never
// takes them.
var reservedFields = map[string]bool{"id": true, "types": true}

// ReservedTypeNames are the names a derived type never takes: GraphQL's
// built-in scalars and root types, Tessera's own scalars and the shared
// types the schema package adds (Concept for Reference fields, Node, and
// the paging types). A class whose local name is one of them is named with
// its namespace prefix (skos:Concept → SkosConcept).
var ReservedTypeNames = []string{
	"Boolean", "Concept", "Date", "DateTime", "Float", "ID", "Int", "LangString", "Long",
	"Mutation", "Node", "PageInfo", "Query", "String", "Subscription",
}

func isReservedType(name string) bool {
	for _, r := range ReservedTypeNames {
		if r == name {
			return true
		}
	}
	return false
}

// validName reports whether s is a GraphQL name (/[_A-Za-z][_0-9A-Za-z]*/)
// not reserved for introspection (a leading "__").
func validName(s string) bool {
	if s == "" || strings.HasPrefix(s, "__") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// camel turns free text ("has image modality", "access URL",
// "number_of-series") into a camelCase GraphQL name ("hasImageModality",
// "accessURL", "numberOfSeries"). Words are runs of ASCII letters and
// digits; a first word in capitals is lower-cased whole ("URL list" →
// "urlList"), others only in their first letter. ok is false when the text
// holds a non-ASCII letter (the caller then falls back to the local name) or
// gives no valid name.
func camel(s string) (string, bool) {
	var b strings.Builder
	words := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !isASCIIAlnum(r) }) {
		if words == 0 {
			if isUpperWord(w) {
				w = strings.ToLower(w)
			} else {
				w = strings.ToLower(w[:1]) + w[1:]
			}
		} else {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
		words++
	}
	for _, r := range s {
		if r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return "", false
		}
	}
	out := b.String()
	return out, validName(out)
}

// pascal turns free text or a local name into a PascalCase GraphQL name:
// every word keeps its letters and gets a capital first letter ("CT scan"
// → "CTScan", "imagingStudy" → "ImagingStudy"). ok is false as for camel.
func pascal(s string) (string, bool) {
	if _, ok := camel(s); !ok {
		return "", false
	}
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !isASCIIAlnum(r) }) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	out := b.String()
	return out, validName(out)
}

func isASCIIAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

func isUpperWord(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if 'a' <= w[i] && w[i] <= 'z' {
			return false
		}
	}
	return true
}

// localName is the part of an IRI after its last '#', '/' or ':'.
func localName(t graph.Term) string {
	v := t.Value()
	if i := strings.LastIndexAny(v, "#/:"); i >= 0 && i < len(v)-1 {
		return v[i+1:]
	}
	return v
}

// namespace is the part of an IRI up to and including its last '#', '/'
// or ':'.
func namespace(t graph.Term) string {
	v := t.Value()
	if i := strings.LastIndexAny(v, "#/:"); i >= 0 {
		return v[:i+1]
	}
	return ""
}

// knownPrefixes name the namespaces of the vocabularies Tessera's
// catalogue uses, for collision suffixes and for Format.
var knownPrefixes = map[string]string{
	"http://www.w3.org/1999/02/22-rdf-syntax-ns#":   "rdf",
	"http://www.w3.org/2000/01/rdf-schema#":         "rdfs",
	"http://www.w3.org/2001/XMLSchema#":             "xsd",
	"http://www.w3.org/2002/07/owl#":                "owl",
	"http://www.w3.org/ns/shacl#":                   "sh",
	"http://www.w3.org/2004/02/skos/core#":          "skos",
	"http://www.w3.org/ns/dcat#":                    "dcat",
	"http://purl.org/dc/terms/":                     "dct",
	"http://xmlns.com/foaf/0.1/":                    "foaf",
	"http://www.w3.org/2006/vcard/ns#":              "vcard",
	"http://www.w3.org/ns/adms#":                    "adms",
	"http://www.w3.org/ns/prov#":                    "prov",
	"http://data.europa.eu/r5r/":                    "dcatap",
	"http://data.europa.eu/m8g/":                    "cv",
	"https://w3id.org/healthdcat-ap#":               "hdcat",
	"http://healthdataportal.eu/ns/health#":         "hdcatx",
	"https://hyperontology.eucaim.cancerimage.eu/#": "eucaim",
	"https://cancerimage.eu/ontology/EUCAIM#":       "eucaimx",
	"https://tessera.example/ns/cdm#":               "cdm",
	"https://tessera.example/ns#":                   "tessera",
	"https://w3id.org/fdp/fdp-o#":                   "fdp",
	"http://schema.org/":                            "schema",
	"https://schema.org/":                           "schema",
	"https://w3id.org/tessera/shapes/eucaim#":       "eush",
	"https://w3id.org/tessera/shapes/catalogue#":    "tsh",
}

// genericSegments are path segments that say nothing about a vocabulary.
var genericSegments = map[string]bool{
	"ns": true, "core": true, "terms": true, "ontology": true, "vocab": true,
	"vocabulary": true, "schema": true, "owl": true, "rdf": true, "def": true, "id": true,
}

// version matches path segments that are versions ("0.1", "v2", "2024-05").
var version = regexp.MustCompile(`^[vV]?[0-9]+([._-][0-9]+)*$`)

// prefix names the namespace of t: its well-known prefix, or the last
// meaningful segment of the namespace IRI ("https://example.org/onto/cancer#"
// → "cancer"), or "ns".
func prefix(t graph.Term) string {
	ns := namespace(t)
	if p, ok := knownPrefixes[ns]; ok {
		return p
	}
	rest := ns
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	segs := strings.FieldsFunc(rest, func(r rune) bool { return r == '/' || r == '#' || r == ':' })
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if i == 0 { // the host: its first label that is not "www"
			for _, l := range strings.Split(s, ".") {
				if c, ok := camel(l); ok && l != "www" {
					return strings.ToLower(c)
				}
			}
			break
		}
		if genericSegments[strings.ToLower(s)] || version.MatchString(s) {
			continue
		}
		if c, ok := camel(s); ok && !strings.ContainsAny(s[:1], "0123456789") {
			return strings.ToLower(c)
		}
	}
	return "ns"
}

// compact writes t as prefix:local when its namespace is well known, else
// in N-Triples form.
func compact(t graph.Term) string {
	if t.IsIRI() {
		if p, ok := knownPrefixes[namespace(t)]; ok {
			return p + ":" + localName(t)
		}
	}
	if t.IsBlank() {
		return "[]" // blank-node labels differ between loads
	}
	return t.String()
}
