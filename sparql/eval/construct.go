package eval

import (
	"fmt"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// construct instantiates the template once per solution (§16.2): template
// blank nodes are fresh for each solution, triples with an unbound
// variable or that are not valid RDF are left out, and each triple is
// yielded once.
func (e *evaluator) construct(q *algebra.Query) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		seen := map[graph.Quad]struct{}{}
		sol := 0
		for r := range e.eval(e.root, e.empty(), graph.DefaultGraph) {
			sol++
			fresh := map[graph.Term]graph.Term{}
			inst := func(n algebra.Node) graph.Term {
				if n.IsVar() {
					return e.dict.term(r[e.slots[n.Var]])
				}
				if n.Term.IsBlank() {
					b, ok := fresh[n.Term]
					if !ok {
						b = graph.Blank(fmt.Sprintf("%sc%d%s", e.bscope, sol, n.Term.Value()))
						fresh[n.Term] = b
					}
					return b
				}
				return n.Term
			}
			for _, t := range q.Template {
				qd := graph.Triple(inst(t.S), inst(t.P), inst(t.O))
				if !qd.Valid() {
					continue
				}
				if _, ok := seen[qd]; ok {
					continue
				}
				seen[qd] = struct{}{}
				if !yield(qd, nil) {
					return
				}
			}
		}
		if e.err != nil {
			yield(graph.Quad{}, e.err)
		}
	}
}

// describe returns the concise bounded description of each resource
// (§16.4 leaves the form to the service): the triples with the resource as
// subject in the default graph, and recursively those of the blank nodes
// they reach.
func (e *evaluator) describe(q *algebra.Query) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		var resources []graph.Term
		seenRes := map[graph.Term]bool{}
		addRes := func(t graph.Term) {
			if !t.IsZero() && !seenRes[t] {
				seenRes[t] = true
				resources = append(resources, t)
			}
		}
		var vars []algebra.Node
		for _, n := range q.Describe {
			if n.IsVar() {
				vars = append(vars, n)
			} else {
				addRes(n.Term)
			}
		}
		if len(vars) > 0 {
			for r := range e.eval(e.root, e.empty(), graph.DefaultGraph) {
				for _, n := range vars {
					addRes(e.dict.term(r[e.slots[n.Var]]))
				}
			}
		}
		if e.err != nil {
			yield(graph.Quad{}, e.err)
			return
		}
		seen := map[graph.Quad]struct{}{}
		visited := map[graph.Term]bool{}
		queue := resources
		for len(queue) > 0 {
			res := queue[0]
			queue = queue[1:]
			if visited[res] || res.IsLiteral() {
				continue
			}
			visited[res] = true
			stop := false
			e.triples(graph.Pattern{S: res}, graph.DefaultGraph)(func(qd graph.Quad) bool {
				qd.G = graph.DefaultGraph
				if _, ok := seen[qd]; ok {
					return true
				}
				seen[qd] = struct{}{}
				if qd.O.IsBlank() && !visited[qd.O] {
					queue = append(queue, qd.O)
				}
				if !yield(qd, nil) {
					stop = true
					return false
				}
				return true
			})
			if stop {
				return
			}
			if e.err != nil {
				yield(graph.Quad{}, e.err)
				return
			}
		}
	}
}
