// Package shacl validates RDF data against SHACL Core shapes
// (https://www.w3.org/TR/shacl/), so that harmonisers learn exactly what is
// wrong with their metadata.
//
// Compile reads a shapes graph once into Shapes; Shapes.Validate checks one
// graph of a graph.Reader and returns a Report, which can be written as the
// standard sh:ValidationReport (Report.Quads), as readable text grouped by
// focus node (Report.WriteText) or as JSON (Report.MarshalJSON).
//
// Implemented: all of SHACL Core — node and property shapes; explicit
// targets and implicit class targets; sh:deactivated, sh:severity and
// sh:message; every property path form (cycle-safe); and every Core
// constraint component (§4), including qualified value shapes and closed
// shapes. Literal comparisons follow SPARQL operator semantics; sh:datatype
// checks lexical forms of the common XSD types; sh:pattern maps XPath
// regular expressions onto Go's RE2 (no back-references).
//
// Not implemented: SHACL-SPARQL (§5-6), and validation of recursive shapes,
// which the specification leaves undefined: a check that needs its own
// result stops validation with ErrRecursion instead of looping.
//
// By default Validate copies the data graph into an in-memory index first
// (one scan; memory proportional to the graph), because validation needs
// random access and some stores scan on every pattern. Options.DirectLookups
// queries the reader instead, for indexed stores with large graphs.
package shacl
