// Package rdfxml reads and writes RDF/XML, the XML syntax of RDF 1.1
// (https://www.w3.org/TR/rdf-syntax-grammar/).
//
// Decoder streams triples from an io.Reader with encoding/xml's raw token
// stream, keeping only the stack of open elements, the in-scope namespace
// declarations and the rdf:ID values seen (duplicates are an error), so its
// memory does not grow with the length of the document. It implements the
// whole grammar: node elements (rdf:Description and typed nodes) with
// rdf:about, rdf:ID, rdf:nodeID or none; property attributes; property
// elements with rdf:resource, rdf:nodeID, rdf:datatype and
// rdf:parseType="Resource", "Literal" and "Collection" (other values are
// read as "Literal"); rdf:li numbering; reification through rdf:ID on
// property elements; nested xml:base and xml:lang; empty property elements;
// and the names the grammar forbids. rdf:XMLLiteral values are the
// exclusive canonical form (Exclusive XML Canonicalization 1.0, with
// comments) of the element content. Bad input is reported as a
// *syntax.Error with line and column.
//
// Not implemented: encodings other than UTF-8; external DTD subsets and
// parameter entities (internal <!ENTITY name "value"> declarations are
// expanded as text); XML attribute-value normalisation (encoding/xml keeps
// tabs and newlines in attribute values as they are).
//
// Encoder writes one rdf:Description per run of triples with the same
// subject and one property element per triple. It refuses (with
// ErrNotExpressible) what RDF/XML cannot say: quads in named graphs,
// predicates whose IRI does not end in an XML name, and characters XML 1.0
// cannot carry.
package rdfxml
