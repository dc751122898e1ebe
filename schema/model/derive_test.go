package model

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/ontology"
)

const ttlPrefixes = `@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix hdcat: <https://w3id.org/healthdcat-ap#> .
@prefix hdcatx: <http://healthdataportal.eu/ns/health#> .
@prefix ex: <https://example.org/ns#> .
@prefix other: <https://other.example/vocab/medical#> .
`

var (
	shapesG = graph.IRI("https://example.org/graph/shapes")
	ontG    = graph.IRI("https://example.org/graph/ontology")
)

func parseInto(t testing.TB, text string, g graph.Term) []graph.Quad {
	t.Helper()
	dec := turtle.NewDecoder(strings.NewReader(ttlPrefixes+text), syntax.Options{File: g.Value()})
	var out []graph.Quad
	for {
		q, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("parse %s: %v", g.Value(), err)
		}
		q.G = g
		out = append(out, q)
	}
}

// deriveTTL derives the model of shapes (Turtle) over the ontology onto
// (Turtle, may be empty).
func deriveTTL(t testing.TB, shapes, onto string) *Model {
	t.Helper()
	ctx := context.Background()
	st := memstore.New()
	qs := append(parseInto(t, shapes, shapesG), parseInto(t, onto, ontG)...)
	if _, err := graph.Load(ctx, st, graph.FromSlice(qs), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	ont, err := ontology.Build(ctx, snap, []graph.Term{ontG})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Derive(ctx, snap, []graph.Term{shapesG}, ont)
	if err != nil {
		t.Fatalf("Derive = %v", err)
	}
	checkWellFormed(t, m)
	return m
}

// summary lists every field as "Type.field: GraphQLType  path[  filter C]"
// and every type as "Type: class [interfaces]".
func summary(m *Model) []string {
	var out []string
	for _, t := range m.Types {
		line := t.Name + ": " + compact(t.Class)
		if len(t.Classes) > 1 {
			var cs []string
			for _, c := range t.Classes {
				cs = append(cs, compact(c))
			}
			line += " = " + strings.Join(cs, " ")
		}
		if len(t.Interfaces) > 0 {
			line += " implements " + strings.Join(t.Interfaces, " & ")
		}
		out = append(out, line)
		for _, f := range t.Fields {
			line := fmt.Sprintf("%s.%s: %s", t.Name, f.Name, fieldType(f))
			if len(f.Path) > 0 {
				line += "  " + FormatPath(f.Path)
			}
			if !f.Filter.IsZero() {
				line += "  filter " + compact(f.Filter)
			}
			out = append(out, line)
		}
	}
	for _, w := range m.Warnings {
		out = append(out, "warning: "+w)
	}
	for i, l := range out {
		out[i] = exIRI.ReplaceAllString(l, "ex:$1")
	}
	return out
}

// exIRI abbreviates the test namespace ex: in summaries.
var exIRI = regexp.MustCompile(`<https://example\.org/ns#([^>]*)>`)

// checkWellFormed asserts the Model's invariants: types sorted with
// unique valid names, fields with id and types first then sorted, unique
// and valid, Object targets existing, interfaces existing with their
// fields present in the implementing type.
func checkWellFormed(t testing.TB, m *Model) {
	t.Helper()
	seen := map[string]bool{}
	for i, ty := range m.Types {
		if !validName(ty.Name) || isReservedType(ty.Name) || seen[ty.Name] {
			t.Errorf("type name %q invalid, reserved or repeated", ty.Name)
		}
		seen[ty.Name] = true
		if i > 0 && m.Types[i-1].Name >= ty.Name {
			t.Errorf("types not sorted: %q before %q", m.Types[i-1].Name, ty.Name)
		}
		if !slices.Contains(ty.Classes, ty.Class) {
			t.Errorf("type %s: Classes %v lack Class %v", ty.Name, ty.Classes, ty.Class)
		}
		if len(ty.Fields) < 2 || ty.Fields[0].Name != "id" || ty.Fields[1].Name != "types" {
			t.Errorf("type %s does not start with id, types", ty.Name)
			continue
		}
		names := map[string]bool{}
		for j, f := range ty.Fields {
			if !validName(f.Name) || names[f.Name] || strings.ToLower(f.Name[:1]) != f.Name[:1] {
				t.Errorf("type %s: field name %q invalid, not camelCase or repeated", ty.Name, f.Name)
			}
			names[f.Name] = true
			if j > 2 && ty.Fields[j-1].Name >= f.Name {
				t.Errorf("type %s: fields not sorted: %q before %q", ty.Name, ty.Fields[j-1].Name, f.Name)
			}
			if f.Kind == Object && m.Type(f.Target) == nil {
				t.Errorf("type %s field %s: target %q is not a type", ty.Name, f.Name, f.Target)
			}
			if f.Kind == Scalar && f.Scalar == "" {
				t.Errorf("type %s field %s: scalar without a name", ty.Name, f.Name)
			}
			if j > 1 && len(f.Path) == 0 {
				t.Errorf("type %s field %s has no path", ty.Name, f.Name)
			}
		}
		for _, in := range ty.Interfaces {
			it := m.Type(in)
			if it == nil {
				t.Errorf("type %s implements unknown %s", ty.Name, in)
				continue
			}
			for _, f := range it.Fields {
				g := ty.Field(f.Name)
				if g == nil || !compatible(g, f) || (f.Required && !g.Required) {
					t.Errorf("type %s lacks interface %s's field %s as %s", ty.Name, in, f.Name, fieldType(f))
				}
			}
		}
	}
}

func TestDeriveRules(t *testing.T) {
	tests := []struct {
		name         string
		shapes, onto string
		want         []string // lines that must be in the summary
		not          []string // substrings no line may contain
	}{
		{
			name: "target class and datatypes",
			shapes: `ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property
				[ sh:path ex:count ; sh:datatype xsd:integer ; sh:maxCount 1 ],
				[ sh:path ex:size ; sh:datatype xsd:nonNegativeInteger ],
				[ sh:path ex:ratio ; sh:datatype xsd:decimal ],
				[ sh:path ex:weight ; sh:datatype xsd:double ],
				[ sh:path ex:ok ; sh:datatype xsd:boolean ],
				[ sh:path ex:day ; sh:datatype xsd:date ],
				[ sh:path ex:at ; sh:datatype xsd:dateTime ],
				[ sh:path ex:code ; sh:datatype xsd:string ],
				[ sh:path ex:link ; sh:datatype xsd:anyURI ],
				[ sh:path ex:year ; sh:datatype xsd:gYear ],
				[ sh:path ex:label ; sh:datatype rdf:langString ],
				[ sh:path ex:ident ; sh:or ( [ sh:datatype xsd:string ] [ sh:datatype xsd:anyURI ] ) ],
				[ sh:path ex:amount ; sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) ],
				[ sh:path ex:when ; sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:dateTime ] ) ],
				[ sh:path ex:either ; sh:or ( [ sh:datatype xsd:integer ] [ sh:class ex:Thing ] ) ] .`,
			want: []string{
				"Thing: ex:Thing",
				"Thing.id: ID!",
				"Thing.types: [Reference]  rdf:type",
				"Thing.count: Int  ex:count",
				"Thing.size: [Int]  ex:size",
				"Thing.ratio: [Float]  ex:ratio",
				"Thing.weight: [Float]  ex:weight",
				"Thing.ok: [Boolean]  ex:ok",
				"Thing.day: [Date]  ex:day",
				"Thing.at: [DateTime]  ex:at",
				"Thing.code: [String]  ex:code",
				"Thing.link: [String]  ex:link",
				"Thing.year: [String]  ex:year",
				"Thing.label: [LangString]  ex:label",
				"Thing.ident: [String]  ex:ident",
				"Thing.amount: [Float]  ex:amount",
				"Thing.when: [String]  ex:when",
				"Thing.either: [String]  ex:either", // sh:or with a non-datatype member: unknown
			},
		},
		{
			name: "scalar annotation",
			shapes: `ex:S sh:targetClass ex:Thing ; sh:property
				[ sh:path ex:bytes ; sh:datatype xsd:nonNegativeInteger ; sh:maxCount 1 ;
				  <https://tessera.example/ns#graphqlScalar> "Long" ],
				[ sh:path ex:odd ; sh:datatype xsd:integer ; <https://tessera.example/ns#graphqlScalar> "Quaternion" ] .
			ex:T sh:targetClass ex:Thing ; sh:property [ sh:path ex:bytes ; sh:datatype xsd:integer ] .`,
			want: []string{
				"Thing.bytes: Long  ex:bytes", // the annotation wins over both datatypes
				"Thing.odd: [Int]  ex:odd",    // an unknown scalar name is ignored
			},
		},
		{
			name: "node kinds, code lists, classes and node shapes",
			shapes: `ex:S sh:targetClass ex:Thing ; sh:property
				[ sh:path ex:text ; sh:nodeKind sh:Literal ],
				[ sh:path ex:concept ; sh:nodeKind sh:IRI ; sh:maxCount 1 ],
				[ sh:path ex:code ; sh:in ( ex:a ex:b ) ],
				[ sh:path ex:grade ; sh:in ( 1 2 3 ) ],
				[ sh:path ex:owner ; sh:class ex:Person ],
				[ sh:path ex:country ; sh:class ex:Country ],
				[ sh:path ex:friend ; sh:node ex:PersonShape ; sh:maxCount 1 ] .
			ex:PersonShape sh:targetClass ex:Person ; sh:property [ sh:path ex:name ; sh:datatype xsd:string ] .`,
			want: []string{
				"Thing.text: [LangString]  ex:text",
				"Thing.concept: Reference  ex:concept",
				"Thing.code: [Reference]  ex:code",
				"Thing.grade: [Int]  ex:grade",
				"Thing.owner: [Person]  ex:owner",
				"Thing.country: [Reference]  ex:country",
				"Thing.friend: Person  ex:friend",
				"Person.name: [String]  ex:name",
			},
		},
		{
			name: "shape that is a class",
			shapes: `ex:Thing a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:p ; sh:datatype xsd:string ] .
			ex:Other a owl:Class . # a class that is no shape is no type`,
			want: []string{"Thing: ex:Thing", "Thing.p: [String]  ex:p"},
			not:  []string{"Other"},
		},
		{
			name: "cardinality and severity",
			shapes: `ex:S sh:targetClass ex:Thing ; sh:property
				[ sh:path ex:a ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ],
				[ sh:path ex:b ; sh:minCount 2 ; sh:datatype xsd:string ],
				[ sh:path ex:c ; sh:minCount 1 ; sh:maxCount 1 ; sh:severity sh:Warning ; sh:datatype xsd:string ],
				[ sh:path ex:d ; sh:maxCount 3 ; sh:datatype xsd:string ] .`,
			want: []string{
				"Thing.a: String!  ex:a",
				"Thing.b: [String]!  ex:b",
				"Thing.c: [String]  ex:c",
				"Thing.d: [String]  ex:d",
			},
		},
		{
			name: "paths",
			shapes: `ex:S sh:targetClass ex:Thing ; sh:property
				[ sh:path ( ex:publisher ex:name ) ; sh:datatype xsd:string ],
				[ sh:path [ sh:alternativePath ( ex:x ex:y ) ] ; sh:datatype xsd:string ],
				[ sh:path [ sh:inversePath ex:partOf ] ; sh:name "parts" ],
				[ sh:path [ sh:inversePath ( ex:a ex:b ) ] ; sh:name "back" ],
				[ sh:path ( ex:a [ sh:inversePath ex:b ] ) ; sh:name "siblings" ],
				[ sh:path [ sh:zeroOrMorePath ex:broader ] ; sh:name "ancestors" ],
				[ sh:path [ sh:alternativePath ( ex:x ( ex:y ex:z ) ) ] ; sh:name "mixed" ] .`,
			want: []string{
				"Thing.publisherName: [String]  ex:publisher/ex:name",
				"Thing.x: [String]  (ex:x|ex:y)",
				"Thing.parts: [Reference]  ^ex:partOf",
				"Thing.back: [Reference]  ^ex:b/^ex:a",
				"Thing.siblings: [Reference]  ex:a/^ex:b",
				`warning: type Thing: property shape "ancestors": sh:zeroOrMorePath has no GraphQL field form; skipped`,
				`warning: type Thing: property shape "mixed": alternative of paths that are not all single predicates in one direction; skipped`,
			},
			not: []string{"Thing.ancestors", "Thing.mixed"},
		},
		{
			name: "equivalent properties and namespace aliases",
			shapes: `ex:S sh:targetClass ex:Thing ; sh:property
				[ sh:path ex:title ; sh:datatype xsd:string ],
				[ sh:path hdcat:minTypicalAge ; sh:datatype xsd:integer ; sh:maxCount 1 ] .`,
			onto: `ex:title owl:equivalentProperty dct:title .
				hdcat:minTypicalAge rdfs:label "minimum typical age"@en .`,
			want: []string{
				"Thing.title: [String]  (dct:title|ex:title)",
				"Thing.minimumTypicalAge: Int  (hdcatx:minTypicalAge|hdcat:minTypicalAge)",
			},
		},
		{
			name: "shapes of one class merge",
			shapes: `ex:A sh:targetClass ex:Thing ; sh:property
				[ sh:path ex:owner ; sh:minCount 1 ],
				[ sh:path ex:n ; sh:datatype xsd:integer ],
				[ sh:path ex:t ; sh:nodeKind sh:Literal ],
				[ sh:path ex:k ; sh:nodeKind sh:IRI ] .
			ex:B sh:targetClass ex:Thing ; sh:property
				[ sh:path ex:owner ; sh:class ex:Person ; sh:maxCount 1 ; sh:name "ownedBy" ],
				[ sh:path ex:n ; sh:datatype xsd:decimal ],
				[ sh:path ex:t ; sh:datatype xsd:string ],
				[ sh:path ex:k ; sh:nodeKind sh:IRI ; sh:description "kind" ],
				[ sh:path ex:extra ; sh:datatype xsd:boolean ] .
			ex:P sh:targetClass ex:Person .`,
			want: []string{
				"Thing.ownedBy: Person!  ex:owner",
				"Thing.n: [Float]  ex:n",
				"Thing.t: [String]  ex:t",
				"Thing.k: [Reference]  ex:k",
				"Thing.extra: [Boolean]  ex:extra",
			},
			not: []string{"Thing.owner:"},
		},
		{
			name: "equivalent classes share a type",
			shapes: `ex:A sh:targetClass ex:Patient ; sh:property [ sh:path ex:a ; sh:datatype xsd:string ] .
			ex:B sh:targetClass other:Patient ; sh:property [ sh:path ex:b ; sh:datatype xsd:string ] .`,
			onto: `ex:Patient owl:equivalentClass other:Patient .`,
			want: []string{
				"Patient: ex:Patient = ex:Patient <https://other.example/vocab/medical#Patient>",
				"Patient.a: [String]  ex:a",
				"Patient.b: [String]  ex:b",
			},
		},
		{
			name: "field names from labels, local names and sh:name",
			shapes: `ex:S sh:targetClass ex:Thing ; sh:property
				[ sh:path ex:hasImageModality ; sh:nodeKind sh:IRI ],
				[ sh:path ex:url ; sh:nodeKind sh:IRI ],
				[ sh:path ex:noLabel ; sh:nodeKind sh:IRI ],
				[ sh:path ex:geburt ; sh:nodeKind sh:IRI ],
				[ sh:path ex:p ; sh:name "Number of subjects" ; sh:datatype xsd:integer ],
				[ sh:path [ sh:inversePath ex:subject ] ],
				[ sh:path ex:ident ; sh:datatype xsd:string ],
				[ sh:path ex:kinds ; sh:nodeKind sh:IRI ] .`,
			onto: `ex:hasImageModality rdfs:label "has image modality"@en, "hat Bildmodalität"@de .
				ex:url rdfs:label "access URL"@en .
				ex:geburt rdfs:label "Geburtsgröße"@en .
				ex:ident rdfs:label "id" .
				ex:kinds rdfs:label "types"@en .
				ex:subject rdfs:label "subject"@en .`,
			want: []string{
				"Thing.hasImageModality: [Reference]  ex:hasImageModality",
				"Thing.accessURL: [Reference]  ex:url",
				"Thing.noLabel: [Reference]  ex:noLabel",
				"Thing.geburt: [Reference]  ex:geburt",
				"Thing.numberOfSubjects: [Int]  ex:p",
				"Thing.subjectOf: [Reference]  ^ex:subject",
				"Thing.idExample: [String]  ex:ident",
				"Thing.typesExample: [Reference]  ex:kinds",
			},
		},
		{
			name: "field name collisions",
			shapes: `ex:S sh:targetClass ex:Thing ; sh:property
				[ sh:path dct:title ; sh:datatype xsd:string ],
				[ sh:path ex:title ; sh:datatype xsd:string ],
				[ sh:path other:title ; sh:datatype xsd:string ],
				[ sh:path ex:label ; sh:name "name" ; sh:datatype xsd:string ],
				[ sh:path foaf:name ; sh:datatype xsd:string ] .`,
			want: []string{
				"Thing.title: [String]  dct:title",
				"Thing.titleExample: [String]  ex:title",
				"Thing.titleMedical: [String]  <https://other.example/vocab/medical#title>",
				"Thing.name: [String]  ex:label",
				"Thing.nameFoaf: [String]  foaf:name",
			},
		},
		{
			name: "type names",
			shapes: `ex:A sh:targetClass foaf:Organization .
			ex:B sh:targetClass vcard:Organization .
			ex:C sh:targetClass other:Organization ; sh:name "Hospital" .
			ex:D sh:targetClass skos:Concept .
			ex:E sh:targetClass ex:imaging_study .`,
			want: []string{
				// Without sh:name the least class IRI keeps the name.
				"Organization: vcard:Organization",
				"FoafOrganization: foaf:Organization",
				"Hospital: <https://other.example/vocab/medical#Organization>",
				"SkosConcept: skos:Concept",
				"ImagingStudy: ex:imaging_study",
			},
		},
		{
			name: "interfaces and inherited fields",
			shapes: `ex:DS sh:targetClass dcat:Dataset ; sh:property
				[ sh:path dct:title ; sh:datatype xsd:string ; sh:minCount 1 ],
				[ sh:path ex:size ; sh:datatype xsd:integer ; sh:maxCount 1 ] .
			ex:CS sh:targetClass dcat:Catalog ; sh:property
				[ sh:path dcat:dataset ; sh:class dcat:Dataset ; sh:name "datasets" ],
				[ sh:path ex:other ; sh:name "size" ; sh:datatype xsd:string ] .
			ex:RS sh:targetClass dcat:Resource ; sh:property [ sh:path dct:identifier ; sh:datatype xsd:string ] .
			ex:US sh:targetClass ex:Unrelated .`,
			onto: `dcat:Catalog rdfs:subClassOf dcat:Dataset . dcat:Dataset rdfs:subClassOf dcat:Resource .`,
			want: []string{
				"Catalog: dcat:Catalog implements Dataset & Resource",
				"Dataset: dcat:Dataset implements Resource",
				"Resource: dcat:Resource",
				"Unrelated: ex:Unrelated",
				"Catalog.title: [String]!  dct:title",
				"Catalog.size: Int  ex:size",
				"Catalog.sizeExample: [String]  ex:other",
				"Catalog.identifier: [String]  dct:identifier",
				"Catalog.datasets: [Dataset]  dcat:dataset",
				"Dataset.identifier: [String]  dct:identifier",
			},
			not: []string{"Resource.title", "Dataset.datasets", "Unrelated implements"},
		},
		{
			name: "targetObjectsOf joins the class named by the pointing property",
			shapes: `ex:DS sh:targetClass ex:Dataset ; sh:property [ sh:path ex:distribution ; sh:class ex:Distribution ] .
			ex:Dist sh:targetClass ex:Distribution ; sh:property [ sh:path ex:url ; sh:nodeKind sh:IRI ] .
			ex:DistByUse sh:targetObjectsOf ex:distribution ; sh:property [ sh:path ex:size ; sh:datatype xsd:integer ] .
			ex:Orphan sh:targetObjectsOf ex:unknown ; sh:property [ sh:path ex:z ; sh:datatype xsd:integer ] .`,
			want: []string{
				"Distribution.url: [Reference]  ex:url",
				"Distribution.size: [Int]  ex:size",
				"warning: node shape ex:Orphan targets values of ex:unknown whose class is not known from a property shape's sh:class (found 0 typed classes); skipped",
			},
			not: []string{".z:"},
		},
		{
			name: "qualified value shapes filter one path into several fields",
			shapes: `ex:DS sh:targetClass ex:Dataset ; sh:property
				[ sh:path [ sh:inversePath ex:partOf ] ; sh:name "patients" ; sh:qualifiedValueShape [ sh:class ex:Patient ] ; sh:qualifiedMinCount 0 ],
				[ sh:path [ sh:inversePath ex:partOf ] ; sh:name "studies" ; sh:qualifiedValueShape [ sh:class ex:Study ] ; sh:qualifiedMinCount 0 ],
				[ sh:path [ sh:inversePath ex:partOf ] ; sh:name "things" ; sh:qualifiedValueShape [ sh:class ex:Untyped ] ; sh:qualifiedMinCount 0 ] .
			ex:PS sh:targetClass ex:Patient . ex:SS sh:targetClass ex:Study .`,
			want: []string{
				"Dataset.patients: [Patient]  ^ex:partOf  filter ex:Patient",
				"Dataset.studies: [Study]  ^ex:partOf  filter ex:Study",
				"Dataset.things: [Reference]  ^ex:partOf  filter ex:Untyped",
			},
		},
		{
			name: "unconstrained fields take the ontology's range",
			shapes: `ex:S sh:targetClass ex:Thing ; sh:property
				[ sh:path ex:n ], [ sh:path ex:lit ], [ sh:path ex:obj ], [ sh:path ex:dp ], [ sh:path ex:op ],
				[ sh:path ex:other ], [ sh:path ex:nothing ], [ sh:path [ sh:inversePath ex:n ] ; sh:name "back" ] .
			ex:O sh:targetClass ex:Other .`,
			onto: `ex:n rdfs:range xsd:integer . ex:lit rdfs:range rdfs:Literal . ex:obj rdfs:range ex:Other .
				ex:dp a owl:DatatypeProperty . ex:op a owl:ObjectProperty . ex:other rdfs:range ex:Unknown .`,
			want: []string{
				"Thing.n: [Int]  ex:n",
				"Thing.lit: [LangString]  ex:lit",
				"Thing.obj: [Other]  ex:obj",
				"Thing.dp: [LangString]  ex:dp",
				"Thing.op: [Reference]  ex:op",
				"Thing.other: [Reference]  ex:other",
				"Thing.nothing: [String]  ex:nothing",
				"Thing.back: [Reference]  ^ex:n",
			},
		},
		{
			name: "deactivated shapes and sh:node on node shapes",
			shapes: `ex:S sh:targetClass ex:Thing ; sh:node ex:Mixin ; sh:property
				[ sh:path ex:off ; sh:deactivated true ],
				[ sh:path ex:on ; sh:datatype xsd:string ] .
			ex:Mixin sh:node ex:S ; sh:property [ sh:path ex:mixed ; sh:datatype xsd:string ] .
			ex:Gone sh:targetClass ex:Gone ; sh:deactivated true .`,
			want: []string{"Thing.on: [String]  ex:on", "Thing.mixed: [String]  ex:mixed"},
			not:  []string{"Thing.off", "Gone"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := deriveTTL(t, tt.shapes, tt.onto)
			lines := summary(m)
			for _, w := range tt.want {
				if !slices.Contains(lines, w) {
					t.Errorf("missing %q", w)
				}
			}
			if t.Failed() {
				t.Logf("summary:\n%s", strings.Join(lines, "\n"))
			}
			for _, n := range tt.not {
				for _, l := range lines {
					if strings.Contains(l, n) {
						t.Errorf("unexpected %q in line %q", n, l)
					}
				}
			}
		})
	}
}

func TestDescriptions(t *testing.T) {
	m := deriveTTL(t, `ex:S sh:targetClass ex:Thing ; rdfs:comment "shape comment" ; sh:property
		[ sh:path ex:a ; sh:description "from sh:description"@en, "aus sh:description"@de ; rdfs:comment "ignored" ],
		[ sh:path ex:b ; rdfs:comment "from the shape's comment" ],
		[ sh:path ex:c ],
		[ sh:path ex:d ] .
	ex:T sh:targetClass ex:Other .
	ex:U sh:targetClass ex:Third ; sh:description "third"@de, "Third"@en .`,
		`ex:c rdfs:comment "from the predicate" . ex:Other rdfs:comment "class comment" .`)
	for _, tc := range []struct{ typ, field, want string }{
		{"Thing", "", "shape comment"},
		{"Other", "", "class comment"},
		{"Third", "", "Third"},
		{"Thing", "a", "from sh:description"},
		{"Thing", "b", "from the shape's comment"},
		{"Thing", "c", "from the predicate"},
		{"Thing", "d", ""},
	} {
		ty := m.Type(tc.typ)
		if ty == nil {
			t.Fatalf("no type %s", tc.typ)
		}
		got := ty.Description
		if tc.field != "" {
			f := ty.Field(tc.field)
			if f == nil {
				t.Fatalf("no field %s.%s", tc.typ, tc.field)
			}
			got = f.Description
		}
		if got != tc.want {
			t.Errorf("description of %s.%s = %q, want %q", tc.typ, tc.field, got, tc.want)
		}
	}
}

// TestDeriveNilOntology derives without an ontology: no labels, no
// equivalences, but the same structure.
func TestDeriveNilOntology(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	qs := parseInto(t, `ex:S sh:targetClass ex:Thing ; sh:property [ sh:path hdcat:minTypicalAge ; sh:datatype xsd:integer ; sh:maxCount 1 ] .`, shapesG)
	if _, err := graph.Load(ctx, st, graph.FromSlice(qs), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, _ := st.Snapshot(ctx)
	defer snap.Release()
	m, err := Derive(ctx, snap, []graph.Term{shapesG}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(m); !slices.Contains(got, "Thing.minTypicalAge: Int  hdcat:minTypicalAge") {
		t.Errorf("Derive without ontology = %v", got)
	}
}

// TestDeriveEmpty: no shapes, no types, no error; a cancelled context is
// an error.
func TestDeriveEmpty(t *testing.T) {
	m := deriveTTL(t, "", "")
	if len(m.Types) != 0 || len(m.Warnings) != 0 {
		t.Errorf("Derive of nothing = %v", summary(m))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st := memstore.New()
	snap, _ := st.Snapshot(context.Background())
	defer snap.Release()
	if _, err := Derive(ctx, snap, []graph.Term{shapesG}, nil); err == nil {
		t.Error("Derive with a cancelled context succeeded")
	}
}

// TestDeriveLimit: shapes graphs over Options.MaxQuads are refused.
func TestDeriveLimit(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	qs := parseInto(t, `ex:S sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ] .`, shapesG)
	if _, err := graph.Load(ctx, st, graph.FromSlice(qs), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, _ := st.Snapshot(ctx)
	defer snap.Release()
	if _, err := DeriveWith(ctx, snap, []graph.Term{shapesG}, nil, Options{MaxQuads: len(qs) - 1}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("DeriveWith(MaxQuads %d) over %d quads = %v, want ErrTooLarge", len(qs)-1, len(qs), err)
	}
	if _, err := DeriveWith(ctx, snap, []graph.Term{shapesG}, nil, Options{MaxQuads: len(qs)}); err != nil {
		t.Errorf("DeriveWith(MaxQuads %d) = %v", len(qs), err)
	}
}

// TestDeriveHostile: cyclic lists, self-referencing sh:node and deep
// paths neither hang nor panic.
func TestDeriveHostile(t *testing.T) {
	deep := "ex:p"
	for range 100 {
		deep = "[ sh:inversePath " + deep + " ]"
	}
	m := deriveTTL(t, `ex:S sh:targetClass ex:Thing ; sh:node ex:S ; sh:property
		[ sh:path _:l ; sh:name "cyclic" ], [ sh:path `+deep+` ; sh:name "deep" ], [ sh:name "nopath" ],
		[ sh:path "literal" ; sh:name "lit" ], [ sh:path ex:ok ; sh:node ex:S ] .
	_:l rdf:first ex:a ; rdf:rest _:l .`, "")
	lines := summary(m)
	if !slices.Contains(lines, "Thing.ok: [Thing]  ex:ok") {
		t.Errorf("hostile shapes lost the good field: %v", lines)
	}
	if len(m.Warnings) != 4 {
		t.Errorf("warnings = %v, want 4 (cyclic, deep, nopath, literal)", m.Warnings)
	}
}

func TestCamel(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"has image modality", "hasImageModality", true},
		{"access URL", "accessURL", true},
		{"URL list", "urlList", true},
		{"number_of-series", "numberOfSeries", true},
		{"numberOfSeries", "numberOfSeries", true},
		{"Title", "title", true},
		{"3D scan", "3DScan", false},
		{"Geburtsgröße", "", false},
		{"", "", false},
		{"  ", "", false},
	} {
		got, ok := camel(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("camel(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"imagingStudy", "ImagingStudy"}, {"CT scan", "CTScan"}, {"imaging_study", "ImagingStudy"}, {"Organization", "Organization"},
	} {
		if got, ok := pascal(tc.in); !ok || got != tc.want {
			t.Errorf("pascal(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestPrefix(t *testing.T) {
	for _, tc := range []struct{ iri, want string }{
		{"http://xmlns.com/foaf/0.1/name", "foaf"},
		{"https://other.example/vocab/medical#title", "medical"},
		{"https://example.org/ns#title", "example"},
		{"https://example.org/onto/v2/ns/x", "onto"},
		{"urn:x:y", "x"},
	} {
		if got := prefix(graph.IRI(tc.iri)); got != tc.want {
			t.Errorf("prefix(%s) = %q, want %q", tc.iri, got, tc.want)
		}
	}
}
