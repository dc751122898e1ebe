package eval

import (
	"fmt"
	"slices"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// Hierarchy is a precomputed transitive closure the property-path
// evaluator may use for pred+ and pred* with one bound end (rdfs:subClassOf*,
// skos:broader+, ^skos:broader*, skos:narrower*, ...) instead of a
// breadth-first search over the store. The ontology package's snapshot
// satisfies it; cmd wires one in through Options.Hierarchy.
//
// The evaluator uses it only where the answer is provably the same as the
// plain evaluation: every graph of Graphs that holds pred triples must be
// part of the active graph, and no other graph of the active graph may hold
// pred triples (checked once per query with Count). The implementation
// must describe the same store state as the Reader the query runs on.
type Hierarchy interface {
	// Reachable returns the nodes reachable from node by one or more
	// steps of pred over the triples of Graphs (against pred's direction
	// when inverse), each once; node itself only through a cycle. ok is
	// false when the hierarchy does not index pred.
	Reachable(pred, node graph.Term, inverse bool) (nodes []graph.Term, ok bool)
	// Graphs returns the graphs whose triples the closure was computed from.
	Graphs() []graph.Term
}

// hierKey caches, per query, whether the hierarchy applies to a predicate
// in an active graph.
type hierKey struct{ pred, g graph.Term }

// fastReach answers reach for a single link (or its inverse) from the
// hierarchy; ok is false when the hierarchy does not apply.
func (e *evaluator) fastReach(p algebra.PathExpr, start, g graph.Term) ([]graph.Term, bool) {
	if e.hier == nil {
		return nil, false
	}
	inverse := false
	if inv, ok := p.(*algebra.Inverse); ok {
		p, inverse = inv.Path, true
	}
	link, ok := p.(*algebra.Link)
	if !ok || !e.hierApplies(link.IRI, g) {
		return nil, false
	}
	if start.IsLiteral() {
		return nil, true // the search never leaves a literal
	}
	return e.hier.Reachable(link.IRI, start, inverse)
}

// hierApplies reports whether the pred triples of active graph g are
// exactly the pred triples of the hierarchy's graphs.
func (e *evaluator) hierApplies(pred, g graph.Term) bool {
	k := hierKey{pred, g}
	if v, ok := e.hierOK[k]; ok {
		return v
	}
	v, err := e.hierCheck(pred, g)
	if err != nil {
		e.fail(fmt.Errorf("check hierarchy for %v: %w", pred, err))
		v = false
	}
	if e.hierOK == nil {
		e.hierOK = map[hierKey]bool{}
	}
	e.hierOK[k] = v
	return v
}

func (e *evaluator) hierCheck(pred, g graph.Term) (bool, error) {
	count := func(gr graph.Term) (int64, error) {
		return e.r.Count(e.ctx, graph.Pattern{P: pred, G: gr})
	}
	// The active graph as a set of store graphs; allNamed stands for the
	// union of every named graph of the store.
	var active []graph.Term
	allNamed := false
	switch {
	case !g.IsDefaultGraph():
		active = []graph.Term{g}
	case len(e.ds.Default) > 0:
		active = e.ds.Default
	case e.ds.EmptyDefault:
		return false, nil
	case e.ds.UnionDefault && e.named != nil:
		active = e.ds.Named
	case e.ds.UnionDefault:
		allNamed = true
	default:
		active = []graph.Term{graph.DefaultGraph}
	}
	inActive := func(h graph.Term) bool {
		if allNamed {
			return !h.IsDefaultGraph() || e.ds.UnionIncludesDefault
		}
		return slices.Contains(active, h)
	}
	var inH int64
	for _, h := range e.hier.Graphs() {
		n, err := count(h)
		if err != nil {
			return false, err
		}
		if n > 0 && !inActive(h) {
			return false, nil
		}
		inH += n
	}
	var all int64
	if allNamed {
		total, err := e.r.Count(e.ctx, graph.Pattern{P: pred})
		if err != nil {
			return false, err
		}
		def, err := count(graph.DefaultGraph)
		if err != nil {
			return false, err
		}
		all = total - def
	} else {
		seen := map[graph.Term]bool{}
		for _, a := range active {
			if seen[a] {
				continue
			}
			seen[a] = true
			n, err := count(a)
			if err != nil {
				return false, err
			}
			all += n
		}
	}
	// Graphs of the hierarchy listed twice would count twice; they are
	// listed once by contract, and active graphs are deduplicated above.
	return all == inH, nil
}
