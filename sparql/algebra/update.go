package algebra

import (
	"fmt"

	"github.com/tessera-fair/tessera/sparql/ast"
)

// Quad is one quad pattern of an update template or data block (SPARQL 1.1
// Update §3.1: QuadPattern and QuadData): a triple pattern and the graph it
// belongs to. G is the zero Node for the default graph, which the executor
// reads as the WITH graph when the operation has one.
//
// Blank nodes of a template are constants of kind blank (one per label and
// per anonymous node, shared by all blocks of the template); whoever
// instantiates the template replaces them by fresh blank nodes for each
// solution, as Update §3.1.3 requires.
type Quad struct {
	S, P, O, G Node
}

// TranslatePattern translates the WHERE clause of an update (a group graph
// pattern, Update §3.1.3) to the algebra of Query §18.2, exactly as the
// WHERE of a query is translated: blank nodes become hidden variables,
// syntax sugar and paths are expanded.
func TranslatePattern(p ast.Pattern) (Op, error) {
	if p == nil {
		return &BGP{}, nil
	}
	t := &translator{}
	op := t.pattern(p)
	if t.err != nil {
		return nil, t.err
	}
	return op, nil
}

// TranslateTemplate expands the quad template of INSERT DATA, DELETE DATA,
// DELETE WHERE or a DELETE/INSERT clause (Update §3.1) into quad patterns,
// in order: property lists, `[ ]` and collections are expanded as in a
// CONSTRUCT template. A nil template gives no quads.
func TranslateTemplate(qt *ast.QuadTemplate) ([]Quad, error) {
	if qt == nil {
		return nil, nil
	}
	var lbl labeller
	var out []Quad
	for _, b := range qt.Blocks {
		var g Node
		switch n := b.Graph.(type) {
		case nil:
		case *ast.Var:
			g = V(n.Name)
		case *ast.Term:
			g = T(n.Value)
		default:
			return nil, fmt.Errorf("algebra: graph name %T in a quad template", b.Graph)
		}
		var ts []Triple
		for _, tr := range b.Triples {
			lbl.template(tr, &ts)
		}
		for _, tr := range ts {
			if tr.S == (Node{}) || tr.P == (Node{}) || tr.O == (Node{}) {
				return nil, fmt.Errorf("algebra: a quad template holds a property path or an unknown node")
			}
			out = append(out, Quad{S: tr.S, P: tr.P, O: tr.O, G: g})
		}
	}
	return out, nil
}

// QuadsPattern returns the graph pattern that matches quads, for DELETE
// WHERE (Update §3.1.3.3: DELETE WHERE { QP } is DELETE { QP } WHERE { QP }).
// Consecutive quads of the default graph form one BGP, consecutive quads of
// one named graph a Graph over a BGP, and the parts are joined in order.
// A blank-node constant (which the grammar does not allow there) is read as
// a hidden variable.
func QuadsPattern(qs []Quad) Op {
	var op Op = &BGP{}
	var cur []Triple
	var curG Node
	flush := func() {
		if len(cur) == 0 {
			return
		}
		var part Op = &BGP{Triples: cur}
		if curG != (Node{}) {
			part = &Graph{Name: curG, Input: part}
		}
		op = join(op, part)
		cur = nil
	}
	asVar := func(n Node) Node {
		if !n.IsVar() && n.Term.IsBlank() {
			return V(".b" + n.Term.Value())
		}
		return n
	}
	for _, q := range qs {
		g := asVar(q.G)
		if g != curG {
			flush()
			curG = g
		}
		cur = append(cur, Triple{S: asVar(q.S), P: asVar(q.P), O: asVar(q.O)})
	}
	flush()
	return op
}

// QuadVars adds the variables of quad patterns to out.
func QuadVars(qs []Quad, out map[string]bool) {
	for _, q := range qs {
		for _, n := range [...]Node{q.S, q.P, q.O, q.G} {
			if n.IsVar() {
				out[n.Var] = true
			}
		}
	}
}
