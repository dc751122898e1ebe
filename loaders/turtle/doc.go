// Package turtle reads and writes RDF 1.1 Turtle
// (https://www.w3.org/TR/turtle/) and RDF 1.1 TriG
// (https://www.w3.org/TR/trig/).
//
// # Decoding
//
// NewDecoder and NewTriGDecoder return a Decoder that streams quads from an
// io.Reader: a hand-written lexer scans the bytes of a bufio.Reader's buffer,
// and a token-driven push-down automaton emits each triple as soon as its
// object has been read. Memory is constant apart from the prefix table, the
// nesting depth of [ ], ( ) and { } (capped at 10,000 levels), and the
// longest single token (capped at 64 MiB). There are no goroutines, so an
// abandoned Decoder leaks nothing.
//
// The whole grammar of both recommendations is implemented: @prefix/PREFIX
// and @base/BASE (resolved against the current base with RFC 3986 by
// loaders/iri), relative IRIs, prefixed names with every PN_LOCAL rule
// (PLX escapes, %XX, ':' and inner '.'), 'a', predicate-object and object
// lists, [ ] property lists, [] anonymous nodes, ( ) collections as
// rdf:first/rdf:rest/rdf:nil, the four string forms with ECHAR and UCHAR,
// UCHAR in IRIs, language tags, ^^ datatypes, numeric and boolean
// shorthands (lexical forms kept as written), comments, and for TriG graph
// blocks with and without GRAPH, named by IRI, prefixed name or blank node,
// default-graph blocks and triples outside blocks. Both W3C suites pass in
// full (see conformance_test.go).
//
// Blank node labels go through the syntax.Options blank-node scope: _:x is
// Named("x") and every [], [ ... ] and collection cell is Fresh(), so an
// anonymous node never merges with a labelled one. Bad input is reported as
// a *syntax.Error with file, line and column (in code points) of the
// offending token; a Decoder that failed stays failed.
//
// Absolute IRIs are kept exactly as written; only relative references are
// resolved (and so normalised by RFC 3986 remove_dot_segments).
//
// Not implemented: RDF 1.2 / RDF-star (quoted triples, annotations,
// directional language tags); the parser does not check that IRIs conform
// to RFC 3987 beyond what the Turtle grammar requires, nor that literals
// are valid for their datatype.
//
// # Encoding
//
// NewEncoder and NewTriGEncoder return an Encoder that writes quads as they
// come: @base and @prefix lines first, then statements grouping consecutive
// quads of the same subject with ';' and of the same predicate with ','.
// IRIs become prefixed names when the rest of the IRI is a valid local name
// (escaped where PN_LOCAL_ESC allows), else relative references that
// resolve back exactly, else full IRIs. xsd:integer, xsd:decimal,
// xsd:double and xsd:boolean literals are written bare when their lexical
// form is exactly the shorthand's. Every quad the encoder accepts parses
// back unchanged (the fuzz targets check this); a quad Turtle cannot express
// (an IRI with a space, a string that is not UTF-8, a named graph in Turtle)
// is refused with an error. The encoder does not nest blank nodes as [ ] or
// collections as ( ), which would need the whole graph.
package turtle
