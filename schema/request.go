package schema

import "github.com/graphql-go/graphql/gqlerrors"

// Request is one GraphQL request, as sent over HTTP (GraphQL over HTTP:
// query, operationName, variables, extensions).
type Request struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName,omitempty"`
	Variables     map[string]any `json:"variables,omitempty"`
	Extensions    map[string]any `json:"extensions,omitempty"`
	// Explain asks for the generated SPARQL algebra of every query the
	// request ran, returned in Response.Extensions["explain"].
	Explain bool `json:"-"`
	// Registered is true when the caller is signed in: records (patients,
	// studies) of graphs with access level "registered" become visible.
	Registered bool `json:"-"`
}

// Response is the result of a Request in the GraphQL spec's format.
type Response struct {
	Data       any                        `json:"data,omitempty"`
	Errors     []gqlerrors.FormattedError `json:"errors,omitempty"`
	Extensions map[string]any             `json:"extensions,omitempty"`
	// Refused is true when the request was rejected before execution (syntax
	// or validation error, depth/complexity/alias limits): no data, HTTP 400.
	Refused bool `json:"-"`
}
