// Package schema is Tessera's GraphQL API: an executable schema generated
// from the SHACL node shapes and the ontology (see schema/model), the
// hand-designed discovery queries (schema/discovery), and the execution of
// requests, whose resolvers build SPARQL algebra and run it through the
// shared evaluator.
//
// # Schema
//
// Build turns a model.Model into a graphql-go schema. Every model type
// becomes an object type with id (the IRI) and types (rdf:type), one field
// per model field — scalars (String, Int, Float, Boolean, ID and the Date and
// DateTime scalars of this package), language-tagged strings with a lang
// argument (best match: exact tag, a tag sharing its prefix, untagged, the
// default language, any other) and a <field>Langs list of every value with
// its tag, Reference fields as the shared Concept type (labels, equivalents,
// broader and narrower from the ontology), single object fields as the
// target type and list object fields as connections — and an interface
// <Type>Interface for every type another type lists in Interfaces. The root
// Query has a getter (dataset(id)) and a list (datasets) per type, plus the
// discovery fields (BuildOptions.Discovery). Lists take where (per-field
// comparisons eq ne in lt lte gt gte contains regex with caseInsensitive;
// concept filters eq/in/ne expanded to descendants and equivalents unless
// includeDescendants is false; nested conditions on related objects;
// and/or/not), orderBy (a list of one-field keys, always tie-broken by id),
// first/after (opaque cursors) or limit/offset, and return a connection with
// totalCount (counted only when selected), nodes, edges and pageInfo.
// The schema is the same from one build to the next: PrintSDL prints it, and
// introspection lists it, in name order (types, fields, arguments, input
// fields, enum values, interfaces and possible types; introspection.go
// makes graphql-go's introspection, which iterates Go maps, follow it).
//
// # Execution
//
// A list compiles to one algebra query: the type's classes (with their
// subclasses and equivalents, minus subclasses that have a type of their
// own), joined with the positive part of where as graph patterns (a concept
// set becomes a VALUES table the optimizer can start from), filtered by the
// rest (or, not, ne as EXISTS), deduplicated, grouped by sort keys (MIN for
// ASC, MAX for DESC over multi-valued fields), ordered and sliced. Field
// values are loaded by a per-request batch loader: resolvers register what
// they need and return thunks, which graphql-go calls breadth first, so the
// first thunk of a level loads every value of that level in one UNION query
// (VALUES ?s per field) and every nested list of that level in one query per
// field and arguments, paged per parent in Go. Catalogue data is read from
// the union of all named graphs; record-level types (IsRecordClass, or
// BuildOptions.IsRecord) are read from a view of the snapshot holding only
// the graphs the caller may see (graph/access), and a query that touches
// them runs entirely in that view.
//
// Service.Do refuses, before anything runs, documents over MaxQueryBytes,
// fragment cycles (which crash graphql-go's validator), documents whose
// fragment expansion, depth, alias count or cost (lists multiply their
// subtree by first/limit) exceed the limits, and first/limit above MaxFirst;
// parsed and validated documents are cached per query text in a bounded LRU
// that belongs to the schema generation. Rebuild re-derives and swaps the
// schema atomically; OnWrite schedules a debounced rebuild after writes to
// shapes or ontology graphs. Request.Explain returns the algebra of every
// query run in Response.Extensions["explain"] (and their number in
// "queries").
//
// Not implemented: a Relay Node interface and node(id) root field;
// keyset (value-based) cursors — cursors are positions in a deterministic
// order, so a write between two pages can shift them; mutations and
// subscriptions; ordering by object fields; per-user grants beyond
// registered/anonymous.
package schema
