// Package resource holds the value behind every generated GraphQL object
// type, shared by the generated schema (package schema) and the
// hand-designed discovery fields (schema/discovery): a resolver that returns
// a Node lets the generated type's fields load its properties.
package resource

import "github.com/tessera-fair/tessera/graph"

// Node is one RDF resource as a GraphQL object value.
type Node struct {
	// Term is the resource's IRI (or blank node).
	Term graph.Term
	// Graph is the named graph the resource was found in, when known (zero
	// when not): it lets field resolvers honour per-graph access levels.
	Graph graph.Term
}
