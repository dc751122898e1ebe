// Package harmonise maps the records data harmonisers hold — JSON documents,
// JSON Lines streams and CSV exports — onto the shared ontologies as RDF,
// applying code-mapping tables and reporting, record by record, every field
// that did not map.
//
// # Paths
//
// JSON and JSON Lines records go through a JSON-LD mapping: each record is
// given the mapping's @context (and an @id from a template, and a default
// @type) and converted by package jsonld, so JSON-LD semantics are json-gold's
// and jsonld's, not re-implemented here. The mapping document is served to
// jsonld's DocumentLoader under a content-derived urn: IRI, so its processed
// context is cached once and shared by every record.
//
// CSV goes either through the same JSON-LD path (each row becomes an object
// keyed by header; empty cells are left out), or through a CSVW table
// description (https://www.w3.org/TR/tabular-metadata/), converted in the
// minimal mode of CSV2RDF (https://www.w3.org/TR/csv2rdf/). The CSVW subset:
// "url", "@context" with "@base", "@language" and extra prefixes;
// "dialect" delimiter, header, skipRows, trim; "tableSchema" aboutUrl and
// columns with name, titles (matched against the header, so columns may be
// in any order), propertyUrl, valueUrl, aboutUrl, datatype (built-in names,
// prefixed names or IRIs; {"base": "boolean", "format": "Y|N"}), lang,
// null, separator, default, suppressOutput and virtual; inherited
// properties on tableSchema. URI templates are RFC 6570 {name} and {+name},
// with _row and _sourceRow. Not implemented: standard mode (csvw:Table and
// csvw:Row triples), multiple tables, foreign keys, number and date
// formats, length and value constraints, right-to-left tables.
//
// # Code tables and the report
//
// Codes maps local codes per field (a dotted path such as
// "studies.modality" for nested JSON) to concept IRIs, matched
// case-insensitively after trimming unless CodeOptions say otherwise. A
// mapped code becomes a node reference to its concept. A value missing from
// its table, or invalid for its datatype, is reported and then kept as a
// plain literal, dropped, or fails the load (Policy).
//
// Every field that did not map becomes a RecordIssue, streamed to
// Options.OnIssue and summarised in the Decoder's Report: keys with no
// term in the context (JSON-LD would drop them silently), CSV headers with
// no column, unmapped codes, values invalid for their datatype, and @id
// templates whose field is missing. Keys are checked against the top-level
// mapping context, recursing into nested objects unless their term has a
// scoped context or a container other than @set and @list; a record with its
// own @context is not checked. The report also names the code tables no
// record used (Report.UnusedCodes): a table keyed by a misspelt field would
// otherwise change nothing, silently.
//
// # Streaming
//
// Records are read one at a time from a bufio.Reader: JSON arrays element
// by element, JSON Lines (or any sequence of JSON values) value by value,
// CSV row by row; memory is bounded by the largest record
// (Options.MaxRecordBytes), whatever the number of records. Errors are
// *syntax.Error with the file, and the line and column of the record (or of
// the bad byte for malformed JSON).
package harmonise
