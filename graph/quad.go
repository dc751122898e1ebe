package graph

import (
	"cmp"
	"strings"
)

// Quad is an RDF statement in a graph. G is DefaultGraph for the default
// graph; a zero G is read as DefaultGraph everywhere.
type Quad struct {
	S, P, O, G Term
}

// Triple returns the quad (s, p, o) in the default graph.
func Triple(s, p, o Term) Quad { return Quad{S: s, P: p, O: o, G: DefaultGraph} }

// Normalize returns q with a zero graph replaced by DefaultGraph.
func (q Quad) Normalize() Quad {
	if q.G.kind == KindNone {
		q.G = DefaultGraph
	}
	return q
}

// Valid reports whether q is an RDF 1.1 quad: an IRI or blank subject, an IRI
// predicate, any object term, and an IRI, blank node or default graph.
func (q Quad) Valid() bool {
	return (q.S.kind == KindIRI || q.S.kind == KindBlank) &&
		q.P.kind == KindIRI &&
		(q.O.kind == KindIRI || q.O.kind == KindBlank || q.O.kind == KindLiteral) &&
		(q.G.kind == KindIRI || q.G.kind == KindBlank || q.G.kind == KindDefaultGraph || q.G.kind == KindNone)
}

// String returns q as an N-Quads line without the final newline.
func (q Quad) String() string {
	var b strings.Builder
	AppendTerm(&b, q.S)
	b.WriteByte(' ')
	AppendTerm(&b, q.P)
	b.WriteByte(' ')
	AppendTerm(&b, q.O)
	if !q.G.IsDefaultGraph() && !q.G.IsZero() {
		b.WriteByte(' ')
		AppendTerm(&b, q.G)
	}
	b.WriteString(" .")
	return b.String()
}

// CompareQuads orders quads by graph, subject, predicate, object.
func CompareQuads(a, b Quad) int {
	a, b = a.Normalize(), b.Normalize()
	return cmp.Or(Compare(a.G, b.G), Compare(a.S, b.S), Compare(a.P, b.P), Compare(a.O, b.O))
}

// Pattern selects quads. A zero Term in any position is a wildcard; G set to
// DefaultGraph selects only the default graph.
type Pattern struct {
	S, P, O, G Term
}

// Matches reports whether q matches p.
func (p Pattern) Matches(q Quad) bool {
	q = q.Normalize()
	return (p.S.IsZero() || p.S == q.S) &&
		(p.P.IsZero() || p.P == q.P) &&
		(p.O.IsZero() || p.O == q.O) &&
		(p.G.IsZero() || p.G == q.G)
}
