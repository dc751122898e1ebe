package shacl

import "github.com/tessera-fair/tessera/graph"

// Namespaces of the vocabularies the validator reads and writes.
const (
	// SH is the SHACL namespace.
	SH   = "http://www.w3.org/ns/shacl#"
	rdfN = graph.RDFNamespace
	rdfs = "http://www.w3.org/2000/01/rdf-schema#"
	owlN = "http://www.w3.org/2002/07/owl#"
	xsd  = graph.XSDNamespace
)

// Severities of validation results (SHACL §3.4).
var (
	// Violation is sh:Violation, the default severity.
	Violation = graph.IRI(SH + "Violation")
	// Warning is sh:Warning.
	Warning = graph.IRI(SH + "Warning")
	// Info is sh:Info.
	Info = graph.IRI(SH + "Info")
)

var (
	rdfType     = graph.IRI(rdfN + "type")
	rdfFirst    = graph.IRI(rdfN + "first")
	rdfRest     = graph.IRI(rdfN + "rest")
	rdfNil      = graph.IRI(rdfN + "nil")
	subClassOf  = graph.IRI(rdfs + "subClassOf")
	rdfsClass   = graph.IRI(rdfs + "Class")
	owlClass    = graph.IRI(owlN + "Class")
	xsdBoolean  = graph.XSDBoolean
	trueLiteral = graph.Literal("true", xsdBoolean)
)

func sh(local string) graph.Term { return graph.IRI(SH + local) }

// The SHACL terms the compiler and the report use.
var (
	shNodeShape     = sh("NodeShape")
	shPropertyShape = sh("PropertyShape")
	shShape         = sh("Shape")

	shTargetNode       = sh("targetNode")
	shTargetClass      = sh("targetClass")
	shTargetSubjectsOf = sh("targetSubjectsOf")
	shTargetObjectsOf  = sh("targetObjectsOf")

	shPath            = sh("path")
	shInversePath     = sh("inversePath")
	shAlternativePath = sh("alternativePath")
	shZeroOrMorePath  = sh("zeroOrMorePath")
	shOneOrMorePath   = sh("oneOrMorePath")
	shZeroOrOnePath   = sh("zeroOrOnePath")

	shDeactivated = sh("deactivated")
	shSeverity    = sh("severity")
	shMessage     = sh("message")

	shClass               = sh("class")
	shDatatype            = sh("datatype")
	shNodeKind            = sh("nodeKind")
	shMinCount            = sh("minCount")
	shMaxCount            = sh("maxCount")
	shMinExclusive        = sh("minExclusive")
	shMinInclusive        = sh("minInclusive")
	shMaxExclusive        = sh("maxExclusive")
	shMaxInclusive        = sh("maxInclusive")
	shMinLength           = sh("minLength")
	shMaxLength           = sh("maxLength")
	shPattern             = sh("pattern")
	shFlags               = sh("flags")
	shLanguageIn          = sh("languageIn")
	shUniqueLang          = sh("uniqueLang")
	shEquals              = sh("equals")
	shDisjoint            = sh("disjoint")
	shLessThan            = sh("lessThan")
	shLessThanOrEquals    = sh("lessThanOrEquals")
	shNot                 = sh("not")
	shAnd                 = sh("and")
	shOr                  = sh("or")
	shXone                = sh("xone")
	shNode                = sh("node")
	shProperty            = sh("property")
	shQualifiedValueShape = sh("qualifiedValueShape")
	shQualifiedMinCount   = sh("qualifiedMinCount")
	shQualifiedMaxCount   = sh("qualifiedMaxCount")
	shQualifiedDisjoint   = sh("qualifiedValueShapesDisjoint")
	shClosed              = sh("closed")
	shIgnoredProperties   = sh("ignoredProperties")
	shHasValue            = sh("hasValue")
	shIn                  = sh("in")

	shIRI                = sh("IRI")
	shBlankNode          = sh("BlankNode")
	shLiteral            = sh("Literal")
	shBlankNodeOrIRI     = sh("BlankNodeOrIRI")
	shBlankNodeOrLiteral = sh("BlankNodeOrLiteral")
	shIRIOrLiteral       = sh("IRIOrLiteral")

	shValidationReport = sh("ValidationReport")
	shValidationResult = sh("ValidationResult")
	shConforms         = sh("conforms")
	shResult           = sh("result")
	shFocusNode        = sh("focusNode")
	shResultPath       = sh("resultPath")
	shValue            = sh("value")
	shSourceShape      = sh("sourceShape")
	shSourceComponent  = sh("sourceConstraintComponent")
	shResultSeverity   = sh("resultSeverity")
	shResultMessage    = sh("resultMessage")
)

// Constraint component IRIs (SHACL §4), the sh:sourceConstraintComponent of
// results.
var (
	compClass            = sh("ClassConstraintComponent")
	compDatatype         = sh("DatatypeConstraintComponent")
	compNodeKind         = sh("NodeKindConstraintComponent")
	compMinCount         = sh("MinCountConstraintComponent")
	compMaxCount         = sh("MaxCountConstraintComponent")
	compMinExclusive     = sh("MinExclusiveConstraintComponent")
	compMinInclusive     = sh("MinInclusiveConstraintComponent")
	compMaxExclusive     = sh("MaxExclusiveConstraintComponent")
	compMaxInclusive     = sh("MaxInclusiveConstraintComponent")
	compMinLength        = sh("MinLengthConstraintComponent")
	compMaxLength        = sh("MaxLengthConstraintComponent")
	compPattern          = sh("PatternConstraintComponent")
	compLanguageIn       = sh("LanguageInConstraintComponent")
	compUniqueLang       = sh("UniqueLangConstraintComponent")
	compEquals           = sh("EqualsConstraintComponent")
	compDisjoint         = sh("DisjointConstraintComponent")
	compLessThan         = sh("LessThanConstraintComponent")
	compLessThanOrEquals = sh("LessThanOrEqualsConstraintComponent")
	compNot              = sh("NotConstraintComponent")
	compAnd              = sh("AndConstraintComponent")
	compOr               = sh("OrConstraintComponent")
	compXone             = sh("XoneConstraintComponent")
	compNode             = sh("NodeConstraintComponent")
	compQualifiedMin     = sh("QualifiedMinCountConstraintComponent")
	compQualifiedMax     = sh("QualifiedMaxCountConstraintComponent")
	compClosed           = sh("ClosedConstraintComponent")
	compHasValue         = sh("HasValueConstraintComponent")
	compIn               = sh("InConstraintComponent")
)
