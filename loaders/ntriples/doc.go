// Package ntriples reads and writes RDF 1.1 N-Triples and N-Quads, the
// line-based syntaxes every bulk load of Tessera goes through.
//
// # Decoding
//
// NewDecoder reads N-Triples (https://www.w3.org/TR/n-triples/) and
// NewQuadDecoder reads N-Quads (https://www.w3.org/TR/n-quads/). Both stream
// from an io.Reader one line at a time through a read buffer that starts at
// 4 KiB, grows to 256 KiB for large inputs, and beyond that only to hold a
// single longer line, up to MaxLineBytes; memory does not grow with the size
// of the input. Lines end at LF, CR or CRLF.
//
// The whole grammar is checked: IRIREF characters and \u/\U escapes (escapes
// must be Unicode scalar values; IRIs must be absolute, i.e. start with a
// scheme), string literals with ECHAR and UCHAR escapes (raw LF, CR, '"' and
// '\' rejected), blank node labels with the PN_CHARS rules (a '.' inside a
// label but not at its end; no ':', as the W3C tests require), language tags,
// '^^' datatypes, comments, one statement per line, and, for N-Quads, a
// graph label that is an IRI or a blank node. Input must be UTF-8; invalid
// UTF-8 inside a term is an error (comments are not checked). Blank node
// labels are mapped through the decoder's graph.BlankScope, so two documents
// never share a blank node unless the caller shares the scope.
//
// Every error caused by the input is a *syntax.Error with the file name and
// the line and column (in code points, from 1) of the offending character.
// After an error the decoder stays failed.
//
// Deliberate choices beyond the grammar: a UTF-8 byte order mark at the very
// start of the input is skipped; a literal typed rdf:langString without a
// language tag is rejected (RDF 1.1 Concepts §3.3 has no such literal); IRIs
// are not checked against RFC 3987 beyond the IRIREF characters and the
// scheme, and \u escapes may produce any scalar value (the grammar allows
// it, and graph.AppendTerm writes such characters that way).
//
// # Encoding
//
// NewEncoder writes canonical N-Triples and NewQuadEncoder N-Quads: one
// statement per line, single spaces, LF line ends, xsd:string literals
// without their datatype, lower-case language tags, and the escaping of
// graph.AppendTerm (ECHAR for \b \t \n \f \r " \, upper-case UCHAR for other
// control characters, UCHAR for characters IRIREF forbids). The encoder
// refuses what it cannot write as valid input for the decoder: relative
// IRIs, invalid UTF-8, malformed blank node labels or language tags, and, in
// N-Triples, quads outside the default graph.
//
// # Speed
//
// The decoder scans bytes with lookup tables, unescapes only when a
// backslash is present, and allocates little more than each term's own
// string: predicate, datatype and graph IRIs and language tags are interned
// in a small bounded per-decoder cache (looked up before validation, so a
// repeated predicate is neither re-validated nor re-allocated), blank nodes
// are cached by label, and an IRI subject equal to the previous one is
// reused.
package ntriples
