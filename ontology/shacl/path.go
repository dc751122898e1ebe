package shacl

import (
	"fmt"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// PathKind says which SHACL property path (SHACL §2.3.1) a Path is.
type PathKind uint8

// The kinds of property path.
const (
	// PathPredicate is an IRI: the values of one predicate.
	PathPredicate PathKind = iota + 1
	// PathInverse is sh:inversePath.
	PathInverse
	// PathSequence is an RDF list of paths.
	PathSequence
	// PathAlternative is sh:alternativePath.
	PathAlternative
	// PathZeroOrMore is sh:zeroOrMorePath.
	PathZeroOrMore
	// PathOneOrMore is sh:oneOrMorePath.
	PathOneOrMore
	// PathZeroOrOne is sh:zeroOrOnePath.
	PathZeroOrOne
)

// Path is a SHACL property path, the sh:path of a property shape and the
// sh:resultPath of its results. It is immutable once compiled.
type Path struct {
	// Kind is the sort of path.
	Kind PathKind
	// Pred is the predicate of a PathPredicate.
	Pred graph.Term
	// Elems are the sub-paths: the members of a sequence or alternative,
	// or the single operand of the unary paths.
	Elems []*Path
}

// PredicatePath returns the path of the single predicate p.
func PredicatePath(p graph.Term) *Path { return &Path{Kind: PathPredicate, Pred: p} }

// String writes the path in SPARQL 1.1 property path syntax with full IRIs,
// e.g. `^<http://ex/p>/<http://ex/q>*`.
func (p *Path) String() string { return p.Format(nil) }

// Format writes the path in SPARQL property path syntax, abbreviating IRIs
// with prefixes (prefix name → namespace) where one matches.
func (p *Path) Format(prefixes map[string]string) string {
	var b strings.Builder
	p.format(&b, prefixes, false)
	return b.String()
}

func (p *Path) format(b *strings.Builder, prefixes map[string]string, nested bool) {
	if p == nil {
		return
	}
	switch p.Kind {
	case PathPredicate:
		b.WriteString(compact(p.Pred, prefixes))
	case PathInverse:
		b.WriteByte('^')
		p.Elems[0].format(b, prefixes, true)
	case PathSequence, PathAlternative:
		sep := "/"
		if p.Kind == PathAlternative {
			sep = "|"
		}
		if nested {
			b.WriteByte('(')
		}
		for i, e := range p.Elems {
			if i > 0 {
				b.WriteString(sep)
			}
			e.format(b, prefixes, true)
		}
		if nested {
			b.WriteByte(')')
		}
	case PathZeroOrMore, PathOneOrMore, PathZeroOrOne:
		p.Elems[0].format(b, prefixes, true)
		b.WriteByte("*+?"[p.Kind-PathZeroOrMore])
	}
}

// Quads returns the path's RDF form (SHACL §2.3.1) as the node that stands
// for the path and the triples describing it. A predicate path is its IRI
// and needs no triples; other paths are written with fresh blank nodes from
// scope.
func (p *Path) Quads(scope *graph.BlankScope) (graph.Term, []graph.Quad) {
	var out []graph.Quad
	n := p.rdf(scope, &out)
	return n, out
}

func (p *Path) rdf(scope *graph.BlankScope, out *[]graph.Quad) graph.Term {
	if p.Kind == PathPredicate {
		return p.Pred
	}
	n := scope.Fresh()
	switch p.Kind {
	case PathSequence:
		return writeList(scope, out, p.Elems)
	case PathAlternative:
		*out = append(*out, graph.Triple(n, shAlternativePath, writeList(scope, out, p.Elems)))
	case PathInverse:
		*out = append(*out, graph.Triple(n, shInversePath, p.Elems[0].rdf(scope, out)))
	case PathZeroOrMore:
		*out = append(*out, graph.Triple(n, shZeroOrMorePath, p.Elems[0].rdf(scope, out)))
	case PathOneOrMore:
		*out = append(*out, graph.Triple(n, shOneOrMorePath, p.Elems[0].rdf(scope, out)))
	case PathZeroOrOne:
		*out = append(*out, graph.Triple(n, shZeroOrOnePath, p.Elems[0].rdf(scope, out)))
	}
	return n
}

func writeList(scope *graph.BlankScope, out *[]graph.Quad, elems []*Path) graph.Term {
	head := rdfNil
	for i := len(elems) - 1; i >= 0; i-- {
		cell := scope.Fresh()
		*out = append(*out, graph.Triple(cell, rdfFirst, elems[i].rdf(scope, out)), graph.Triple(cell, rdfRest, head))
		head = cell
	}
	return head
}

// maxPathDepth bounds the nesting of paths in a shapes graph, so that a
// cyclic path structure is reported instead of recursing forever.
const maxPathDepth = 64

// parsePath reads the path whose RDF form starts at n in the shapes graph.
func (c *compiler) parsePath(n graph.Term, depth int) (*Path, error) {
	if depth > maxPathDepth {
		return nil, fmt.Errorf("path nested deeper than %d (cyclic?)", maxPathDepth)
	}
	if n.IsIRI() && n != rdfNil {
		return PredicatePath(n), nil
	}
	if !n.IsBlank() {
		return nil, fmt.Errorf("path %v is neither an IRI nor a blank node", n)
	}
	if !c.sg.one(n, rdfFirst).IsZero() {
		items, err := c.sg.list(n)
		if err != nil {
			return nil, err
		}
		if len(items) < 2 {
			return nil, fmt.Errorf("sequence path %v has %d members, needs at least 2", n, len(items))
		}
		return c.pathList(PathSequence, items, depth)
	}
	unary := []struct {
		p    graph.Term
		kind PathKind
	}{
		{shInversePath, PathInverse},
		{shZeroOrMorePath, PathZeroOrMore},
		{shOneOrMorePath, PathOneOrMore},
		{shZeroOrOnePath, PathZeroOrOne},
	}
	for _, u := range unary {
		if o := c.sg.one(n, u.p); !o.IsZero() {
			sub, err := c.parsePath(o, depth+1)
			if err != nil {
				return nil, err
			}
			return &Path{Kind: u.kind, Elems: []*Path{sub}}, nil
		}
	}
	if o := c.sg.one(n, shAlternativePath); !o.IsZero() {
		items, err := c.sg.list(o)
		if err != nil {
			return nil, err
		}
		if len(items) < 2 {
			return nil, fmt.Errorf("alternative path %v has %d members, needs at least 2", n, len(items))
		}
		return c.pathList(PathAlternative, items, depth)
	}
	return nil, fmt.Errorf("blank node %v is not a well-formed path", n)
}

func (c *compiler) pathList(kind PathKind, items []graph.Term, depth int) (*Path, error) {
	p := &Path{Kind: kind}
	for _, it := range items {
		sub, err := c.parsePath(it, depth+1)
		if err != nil {
			return nil, err
		}
		p.Elems = append(p.Elems, sub)
	}
	return p, nil
}

// eval returns the distinct nodes reached from start by p (forward), or the
// nodes from which start is reached (inverse), in first-seen order. Closure
// paths keep a visited set, so cycles in the data end.
func (v *validator) evalPath(p *Path, start graph.Term, inverse bool) []graph.Term {
	return v.evalPathFrom(p, []graph.Term{start}, inverse)
}

func (v *validator) evalPathFrom(p *Path, from []graph.Term, inverse bool) []graph.Term {
	switch p.Kind {
	case PathPredicate:
		var out []graph.Term
		var seen map[graph.Term]struct{}
		if len(from) > 1 {
			seen = map[graph.Term]struct{}{}
		}
		for _, n := range from {
			var next []graph.Term
			if inverse {
				next = v.data.subjects(p.Pred, n)
			} else {
				next = v.data.objects(n, p.Pred)
			}
			out = appendDistinct(out, seen, next)
		}
		return out
	case PathInverse:
		return v.evalPathFrom(p.Elems[0], from, !inverse)
	case PathSequence:
		cur := from
		for i := range p.Elems {
			e := p.Elems[i]
			if inverse {
				e = p.Elems[len(p.Elems)-1-i]
			}
			cur = v.evalPathFrom(e, cur, inverse)
			if len(cur) == 0 {
				break
			}
		}
		return cur
	case PathAlternative:
		var out []graph.Term
		seen := map[graph.Term]struct{}{}
		for _, e := range p.Elems {
			out = appendDistinct(out, seen, v.evalPathFrom(e, from, inverse))
		}
		return out
	case PathZeroOrOne:
		seen := map[graph.Term]struct{}{}
		out := appendDistinct(nil, seen, from)
		return appendDistinct(out, seen, v.evalPathFrom(p.Elems[0], from, inverse))
	case PathZeroOrMore, PathOneOrMore:
		seen := map[graph.Term]struct{}{}
		var out []graph.Term
		if p.Kind == PathZeroOrMore {
			out = appendDistinct(out, seen, from)
		}
		frontier := from
		for len(frontier) > 0 && !v.failed() {
			step := v.evalPathFrom(p.Elems[0], frontier, inverse)
			n := len(out)
			out = appendDistinct(out, seen, step)
			frontier = out[n:]
		}
		return out
	}
	return nil
}

// appendDistinct appends the terms of add not yet in seen (nil seen: add
// is known distinct and out empty).
func appendDistinct(out []graph.Term, seen map[graph.Term]struct{}, add []graph.Term) []graph.Term {
	if seen == nil {
		return append(out, add...)
	}
	for _, t := range add {
		if _, ok := seen[t]; !ok {
			seen[t] = struct{}{}
			out = append(out, t)
		}
	}
	return out
}
