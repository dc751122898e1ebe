// Package results is the last stage of Tessera's SPARQL pipeline: it carries
// the solutions of SELECT queries and the answers of ASK queries between the
// evaluator and the outside world, in the W3C result formats, in both
// directions.
//
// # What is implemented
//
//   - The data: Solution (one row, terms in the order of the result
//     variables, the zero graph.Term meaning unbound), Set (the variables
//     and a single-use stream of solutions, or a boolean) and Table (a Set
//     held in memory, for tests and small results).
//   - Streaming writers (NewWriter, Write) for SPARQL 1.1 Query Results JSON
//     (https://www.w3.org/TR/sparql11-results-json/), XML
//     (https://www.w3.org/TR/rdf-sparql-XMLres/), CSV and TSV
//     (https://www.w3.org/TR/sparql11-results-csv-tsv/). Each row is encoded
//     as it arrives through a fixed-size buffer; nothing is kept per row.
//   - Streaming readers (Read) for JSON, XML and TSV. Bad input is reported
//     as a *syntax.Error with file, line and column. Blank-node labels are
//     scoped by syntax.Options like every other parser of Tessera.
//   - The format table (Format, ParseFormat, FormatForMediaType,
//     FormatForExtension) and content negotiation (Negotiate) with q-values.
//   - Result sets written in RDF with the rs: vocabulary of the W3C test
//     suite (FromRDF, ToRDF).
//   - The comparison every SPARQL conformance runner needs (Equivalent):
//     solutions as multisets, or sequences when order matters, up to one
//     blank-node bijection over the whole result, exact (colour refinement,
//     then backtracking). EquivalentCSV compares CSV documents the way the
//     suite's CSV tests do, and Canonicalize maps numeric and boolean
//     literals to their canonical forms for the TSV tests whose expected
//     files were written with normalised numbers.
//
// # What is not
//
//   - No CSV reader into terms: CSV drops the kind, datatype and language of
//     every value, so it cannot be read back into a result set (ReadCSVText
//     reads it as text, for comparisons).
//   - CSV and TSV cannot carry an ASK answer: the W3C note defines them for
//     SELECT results only, so WriteBoolean fails on them.
//   - No SPARQL 1.2 triple terms, and no RDF output for CONSTRUCT and
//     DESCRIBE: those graphs go through the loaders' encoders.
//
// # Limits worth knowing
//
//   - XML 1.0 cannot carry most C0 control characters, U+FFFE or U+FFFF,
//     even escaped: the XML writer fails on a term holding one
//     (ErrUnsupported) rather than change the data; JSON and TSV carry
//     them. Invalid UTF-8 in a term is written as U+FFFD by every writer.
//   - Memory is constant in the number of rows, with two bounded
//     exceptions: a JSON document that puts "results" before "head" must
//     hold its rows until the head arrives (at most 1M rows), and a TSV row
//     is read as one line (at most 64 MiB).
//   - In CSV an unbound value and, in a one-column result, the row holding
//     it are empty; CSV readers skip such empty lines. Empty strings are
//     written "" to keep them apart.
package results
