// Package model is the GraphQL API's description of the catalogue, derived
// from SHACL node shapes and the ontology before any GraphQL library is
// involved: which object types exist, which fields they have, which RDF paths
// those fields follow and how many values they take. The schema package turns
// a Model into an executable graphql-go schema; keeping the two apart lets the
// derivation be tested (and printed as SDL) on its own.
//
// Derive reads the model from the SHACL shapes stored in some graphs
// (ontology/shapes.Install puts the bundled API shapes, EUCAIM's and
// Tessera's catalogue set, in shapes.APIGraph; operators add their own
// there or in shapes.LocalGraph), so a shape loaded at run time changes the
// API when the model is derived again. Format prints a model for golden
// tests and for people.
//
// Implemented: class targets (explicit and implicit), sh:targetObjectsOf /
// sh:targetSubjectsOf resolved through the sh:class of the pointing
// property, sh:node on node and property shapes, predicate, inverse,
// sequence and alternative paths, sh:datatype, sh:class, sh:nodeKind, sh:in,
// sh:minCount, sh:maxCount, sh:severity, sh:deactivated, sh:name,
// sh:description, sh:qualifiedValueShape (as a filter), rdfs:comment,
// rdfs:label and rdfs:range from the ontology, equivalences and
// rdfs:subClassOf interfaces. Not implemented: sh:and, sh:or and sh:xone
// (their members are not read), sh:targetNode, and paths with
// sh:zeroOrMorePath, sh:oneOrMorePath or sh:zeroOrOnePath (skipped with a
// warning): GraphQL fields follow fixed paths.
package model

import "github.com/tessera-fair/tessera/graph"

// Model is an immutable description of the generated API. Types are sorted
// by Name; names are unique across types, interfaces and built-in scalars.
type Model struct {
	Types []*Type
	// Warnings list what Derive skipped and why (a property shape whose
	// path has no GraphQL form, a node shape with no class to type), sorted;
	// an operator who loads a shape that does not show up reads them here.
	Warnings []string
}

// Type is one object type: the instances of Class (and, through the
// ontology, of its subclasses).
type Type struct {
	// Name is the GraphQL type name (PascalCase, stable, collision-free).
	Name string
	// Class is the shape's sh:targetClass (or the class the shape is).
	Class graph.Term
	// Classes are Class and every class equivalent to it (owl:equivalentClass,
	// namespace aliases): an instance of any of them is of this type.
	Classes []graph.Term
	// Shapes are the node shapes the type was built from.
	Shapes []graph.Term
	// Description comes from sh:description / rdfs:comment of the shape or
	// the class.
	Description string
	// Interfaces names the types of the superclasses (rdfs:subClassOf) that
	// also have a type; each becomes a GraphQL interface as well.
	Interfaces []string
	// Fields are sorted by Name; "id" and "types" are always present and
	// come first.
	Fields []*Field
}

// Kind says what a field's values are.
type Kind uint8

// The kinds of field.
const (
	// Scalar values are literals converted to Scalar.
	Scalar Kind = iota + 1
	// LangString values are literals with a language tag; the field takes a
	// lang argument.
	LangString
	// Object values are resources of type Target.
	Object
	// Reference values are IRIs with no type of their own in the model
	// (concepts, countries, licences): exposed as a Concept-like object with
	// id and labels.
	Reference
)

// Field is one GraphQL field of a Type.
type Field struct {
	Name        string
	Description string
	Kind        Kind
	// Scalar is the GraphQL scalar name for Kind Scalar: String, Int, Long,
	// Float, Boolean, Date, DateTime, ID. Long (64-bit) is chosen only by
	// the shape annotation tessera:graphqlScalar "Long" (ScalarAnnotation).
	Scalar string
	// Target is the name of the target Type for Kind Object.
	Target string
	// Path is the RDF path from the subject to the values: a sequence of
	// steps, each a set of alternative predicates (sh:alternativePath and
	// the ontology's equivalent properties, namespace aliases included).
	Path []Step
	// Single is true when the shape says sh:maxCount 1: the field is a
	// single value, otherwise a list.
	Single bool
	// Required is true when the shape says sh:minCount ≥ 1. Only shapes of
	// severity sh:Violation count, for Single as well. Stored data need not
	// have been validated, so the schema should not make a field non-null
	// on Required alone.
	Required bool
	// Filter, when set, restricts the values to instances of this class:
	// the property shape declared sh:qualifiedValueShape [ sh:class Filter ],
	// the SHACL way to name some of the values of a path without
	// constraining the others (a dataset's patients are the subjects of
	// ^dct:isPartOf that are cdm:Patient; its studies reach it the same
	// way). Two fields may share a Path and differ by Filter. Resolvers
	// must apply it (rdf:type, subclasses and equivalents included).
	Filter graph.Term
}

// Step is one step of a Path: any of Predicates, followed forwards, or
// backwards when Inverse (inverse relations declared with sh:inversePath).
type Step struct {
	Predicates []graph.Term
	Inverse    bool
}
