// Package discovery answers the portal's discovery questions — ranked
// search, facet counts, cohort counts and concept autocomplete — from an
// in-memory index derived from the store, and exposes them as the GraphQL
// root fields of the contract in testdata/discovery.graphql (Fields).
//
// # The index
//
// An Index is an immutable snapshot built from a graph.Reader, an
// *ontology.Ontology (hierarchy, equivalences, labels) and an
// *access.Policy. It holds, per named graph (a part):
//
//   - every dcat:Dataset with its catalogue metadata: provider
//     (dct:publisher), country (dct:spatial), tier, conditions, modalities,
//     body parts, sexes, typical age range, subject and study counts, and
//     titles, descriptions and keywords in every language. Both namespace
//     variants of HealthDCAT-AP and of the EUCAIM extension are read, and
//     concepts are reported in the current one;
//   - a columnar record index of the cdm vocabulary (demo.CDM): patients
//     (dataset by dct:isPartOf, sex, age at diagnosis, diagnosis) grouped by
//     dataset, and their imaging studies (cdm:subject; modality, body part,
//     manufacturer, year) grouped by patient. A DICOM Body Part Examined
//     literal ("CHEST") is read as the bundled vocabulary's term for it, so
//     SNOMED CT filters reach it through skos:exactMatch;
//
// and across graphs an inverted text index (BM25F over title, keywords,
// concept labels, description and broader-concept labels; words folded to
// lower case without accents; a query word also matches words it starts)
// and the cancer-type tree of the facets.
//
// Consistency: a write is visible to discovery once the index has been
// refreshed for the written graph. Index.Refresh rebuilds one graph's part
// and shares the others (copy-on-write by graph); Source holds the current
// index, takes OnWrite notifications (web.Options.OnWrite), and refreshes
// the written graphs after a short debounce (Run). A new access policy is
// swapped in without a rebuild; a new ontology snapshot triggers a full
// rebuild.
//
// # Semantics
//
// Filters are OR within a facet and AND across facets; concept filters
// match the concept, its descendants and equivalents (includeDescendants,
// as in GA4GH Beacon), or with ExactConcepts the concept and its
// equivalents. Facet counts are disjunctive: a facet's counts apply every
// filter but its own. Cohort counts follow the CohortCriteria comment of
// the contract and are obfuscated per Obfuscation (EUCAIM's rule by
// default: below 10 reported as 10, others rounded to the nearest 10; never
// an exact count from a controlled graph).
//
// Catalogue metadata of every graph is discoverable by everyone (as in
// EUCAIM's public catalogue); record-level data is only ever reported as
// counts, exact where the caller may see the graph's records and the
// configuration allows.
//
// Not implemented: Laplace noise on counts (Focus adds it; Tessera's
// rounding is deterministic), stemming and stop words in search, patients
// with several sexes, diagnoses or ages (the smallest value by term order
// is used), studies without a patient (not counted), record-level data
// beyond the cdm vocabulary (e.g. FHIR-shaped mCODE).
package discovery
