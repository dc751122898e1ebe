// Package jsonld reads JSON-LD 1.1 into quads and writes quads as JSON-LD.
//
// The Decoder implements the Deserialize JSON-LD to RDF algorithm of the
// JSON-LD 1.1 Processing Algorithms and API (https://www.w3.org/TR/json-ld11-api/#deserialize-json-ld-to-rdf-algorithm),
// with processing mode json-ld-1.1 by default. Context processing, the hard
// part of expansion, is done by github.com/piprate/json-gold; everything
// around it is ours, and each place where we work around json-gold says why:
//
//   - The expansion algorithm is a copy of json-gold's (expand.go), with two
//     bugs fixed: the values of a term aliasing @nest are expanded with that
//     term's property-scoped context, and a term's container mapping,
//     reverse flag and own scoped context are read in the active context,
//     not in the context its scoped context makes (which may have removed
//     or redefined the term). The bugs lie inside json-gold's recursion, out
//     of reach of any rewriting of the input. The copy applies scoped
//     contexts with json-gold's exported Context.Parse (scopedctx.go), which
//     cannot override protected terms by itself.
//   - DocumentLoader replaces json-gold's loaders, which read local files for
//     non-HTTP IRIs, fetch without timeouts or size limits, and are not
//     goroutine-safe. It serves bundled contexts (contexts/) offline and
//     fetches only from operator-allowed URL prefixes.
//   - Processed contexts are cached per loader: json-gold re-processes a
//     remote context for every document.
//   - The conversion from expanded JSON-LD to quads is ours (tordf.go):
//     json-gold's ignores @direction (rdfDirection), formats large integers
//     and doubles wrongly, does not canonicalise every @json value, does not
//     check IRIs and language tags as the algorithm requires, and relabels
//     blank nodes so that they cannot be scoped per document.
//   - Relative IRIs are resolved as RFC 3986 says, with loaders/iri:
//     json-gold's resolver (net/url) normalises the base and mangles
//     non-hierarchical ones, so json-gold resolves against sentinel bases
//     that the conversion maps back (relbase.go).
//   - Some context errors json-gold misses are checked before expansion
//     (precontext.go): embedded scoped contexts of top-level contexts are
//     validated when their term is defined, and protected terms defined as
//     null cannot be redefined later in the same context array.
//   - Options.ProcessingMode is json-ld-1.0 or json-ld-1.1; json-gold's
//     frame expansion mode and unknown modes are refused.
//   - Any panic inside json-gold is recovered and returned as an error.
//
// Not implemented: JSON-LD 1.0-only behaviour (tests marked specVersion
// json-ld-1.0), generalized RDF (produceGeneralizedRdf; graph.Quad holds
// only RDF quads), HTML script extraction, and remote-document features of
// the API (Link headers, content negotiation for the input document).
//
// A JSON-LD document must be expanded as a whole, so the Decoder holds the
// whole input in memory, capped by Options.MaxBytes. The Encoder streams.
package jsonld
