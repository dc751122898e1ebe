// Package schema is Tessera's GraphQL API: an executable schema generated
// from the SHACL node shapes and the ontology (see schema/model), the
// hand-designed discovery queries (schema/discovery), and the execution of
// requests, whose resolvers build SPARQL algebra and run it through the
// shared evaluator.
package schema
