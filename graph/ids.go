package graph

import (
	"context"
	"iter"
)

// ID is a store's fixed-size identifier of a term (dictionary encoding).
// Within one store two terms have the same ID exactly when they are the
// same RDF term, so joins, grouping and duplicate elimination can compare
// IDs instead of strings and decode only what they output.
type ID = uint64

// LocalIDTag is the top byte of IDs no store issues: a caller that needs
// ids for terms it computes (a query's BIND results, constants absent from
// the store) takes them from this range, so they never collide with a
// stored term's id.
const LocalIDTag = 0x7f

// IsLocalID reports whether id is in the caller's range (LocalIDTag).
func IsLocalID(id ID) bool { return id>>56 == LocalIDTag }

// IDQuad is a quad of term ids in subject, predicate, object, graph order.
type IDQuad [4]ID

// IDPattern is a quad pattern over ids: position i is bound to IDs[i]
// when Bound[i] is set and a wildcard otherwise (IDs has no reserved
// wildcard value; a store may use id 0 for the default graph).
type IDPattern struct {
	IDs   [4]ID
	Bound [4]bool
}

// IDReader is a Reader whose store encodes terms as IDs and can match
// patterns without decoding them. The SPARQL evaluator uses it when a
// reader implements it and falls back to Quads otherwise.
type IDReader interface {
	Reader
	// QuadIDs streams the id quads matching p, in the order of an index
	// scan. The default-graph term in position G is the store's id for it.
	// With the graph unbound, the copies of one triple in several graphs
	// come one after another, so a union of graphs drops repeats by
	// comparing neighbours.
	QuadIDs(ctx context.Context, p IDPattern) iter.Seq2[IDQuad, error]
	// LookupID returns the id of t and true when t occurs in the store (or
	// needs no dictionary entry); false means no quad can contain t.
	LookupID(ctx context.Context, t Term) (ID, bool, error)
	// TermOf decodes an id returned by QuadIDs or LookupID.
	TermOf(ctx context.Context, id ID) (Term, error)
}

// SubjectOrderer is implemented by IDReaders that hold the quads of some
// predicates sorted by subject in memory, as a cache of hot predicates
// can. A merge join on the subject then needs neither a sort nor a copy.
type SubjectOrderer interface {
	// QuadIDsBySubject returns the quads matching p — predicate bound,
	// subject unbound, object and graph bound or not — sorted by subject
	// (then object and graph) as a slice the caller must not modify and
	// may read for as long as it holds the reader. ok is false when the
	// reader cannot do it cheaply for p; the caller scans and sorts.
	QuadIDsBySubject(ctx context.Context, p IDPattern) (s SortedQuads, ok bool)
}

// SortedQuads is the answer of QuadIDsBySubject, with what a union of
// graphs needs to know to use it as is.
type SortedQuads struct {
	Quads []IDQuad
	// Repeats is false when no triple occurs in Quads more than once (in
	// several graphs).
	Repeats bool
	// InDefault is false when no quad of Quads is in the default graph.
	InDefault bool
}

// IntegerIDs is implemented by IDReaders whose ids carry small integer
// literals inline, so that arithmetic and aggregates over counts, sizes
// and ages can read a value straight from its id instead of decoding a
// term and parsing its lexical form.
type IntegerIDs interface {
	// IntegerOfID returns the value and datatype (xsd:integer or one
	// derived from it) of the literal id stands for, when id carries it
	// inline; ok is false for every other id. The literal's lexical form
	// is the canonical form of v, but v may lie outside the datatype's
	// value space (an ill-typed "300"^^xsd:byte): callers check.
	IntegerOfID(id ID) (v int64, datatype string, ok bool)
}
