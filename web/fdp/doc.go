// Package fdp serves a Tessera store as a FAIR Data Point, as Linked Data and
// as a VoID description, the web faces that make every catalogue entry FAIR:
// resolvable IRIs, machine-readable metadata, standard catalogue endpoints.
//
// # FAIR Data Point
//
// /fdp is the FDP's own metadata (fdp:FAIRDataPoint, also
// fdp:MetadataService, dcat:DataService, dcat:Resource and r3d:Repository),
// listing every dcat:Catalog of the store with fdp:metadataCatalog and an
// LDP direct container, as the reference implementation
// (FAIRDataTeam/FAIRDataPoint) does. Catalogues, datasets and
// distributions are metadata records at their own IRIs, which dereference
// on this server (see Linked Data); their FDP document is the resource's
// triples made to meet the FDP SHACL shapes (ontology/shapes set "fdp"),
// with the record properties the FDP specification adds — see
// Service.fdpView for exactly what changes. Children come page by page at
// {resource}/page/{layer}?page=N&size=M (0-based, sorted by title) with
// Link headers rel=first/last/prev/next, the reference implementation's
// paging. The shapes are served at /fdp/spec, and per layer at
// /fdp/{fdp,catalog,dataset,distribution}/spec, which is also what each
// record's dct:conformsTo names.
//
// # Linked Data
//
// Every IRI under Options.Base is served at the same path on this server:
// https://tessera.example/provider/turia/dataset/1 at
// /provider/turia/dataset/1. The answer is a direct 200 (the FDP convention:
// the IRI names the metadata record, an information resource), never a 303;
// Vary: Accept. A catalogue, dataset or distribution answers with its FDP
// document, or with ?profile=full its plain description; any other resource
// with its concise bounded description: its triples, those of the blank
// nodes it reaches, and rdfs:label of what it references. Blank nodes are
// published as skolem IRIs under /.well-known/genid/, which dereference too.
// Unknown IRIs get 404.
//
// IRIs with non-ASCII characters, parentheses or percent-encodings are
// served at their URI (RFC 3987 §3.1): https://tessera.example/x/café(1)
// at /x/caf%C3%A9(1), which is also how every page links them. Requests
// may name an IRI in the other forms clients send — raw UTF-8, lowercase
// hex, over-encoded "%28" for "(" — and reach it, while "%2F" stays a
// character, never a path separator, and an IRI holding "%28" literally
// stays apart from one holding "(": paths.go gives the rules (pathIRIs).
//
// Formats: Turtle, N-Triples, JSON-LD, RDF/XML (and N-Quads, TriG) by
// Accept or ?format=, and HTML for browsers: a readable page (properties
// with labels, links, breadcrumbs up the FDP tree) that embeds schema.org
// Dataset (or DataCatalog) JSON-LD for search engines. The HTML is rendered
// with html/template, CSS inlined, nothing fetched from elsewhere; link
// targets are written by hrefAttr, because html/template would
// percent-encode "(", ")" and "'" and so link to other IRIs.
//
// # Access
//
// Catalogue metadata is public whatever a graph's access level (DESIGN.md
// §1): a resource typed with a DCAT class, or only with catalogue
// vocabulary classes, is always shown. Anything else — patients, studies,
// untyped resources — is shown only when Options.RecordsVisible allows the
// caller to see the records of its graph; by default only graphs whose
// tessera:accessLevel in the system graph is tessera:public (or that have
// none). A hidden resource is a 404, as if unknown.
//
// # VoID
//
// /.well-known/void describes the store (VoID §7.2): see handleVoID.
//
// Not implemented: writing through the FDP API (POST/PUT/DELETE of
// metadata; Tessera's writes go through SPARQL Update and the Graph Store
// protocol), FDP metadata states (draft/published), the FDP index "ping",
// FAIR metrics, and content negotiation by profile headers (Accept-Profile);
// ?profile= stands in for it.
package fdp
