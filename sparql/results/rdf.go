package results

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/tessera-fair/tessera/graph"
)

// RS is the namespace of the result-set vocabulary of the W3C SPARQL test
// suites (rs:ResultSet, rs:resultVariable, rs:solution, rs:binding,
// rs:variable, rs:value, rs:index, rs:boolean).
const RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"

var (
	rdfType           = graph.IRI(graph.RDFNamespace + "type")
	rsResultSet       = graph.IRI(RS + "ResultSet")
	rsResultVariable  = graph.IRI(RS + "resultVariable")
	rsSolution        = graph.IRI(RS + "solution")
	rsBinding         = graph.IRI(RS + "binding")
	rsVariable        = graph.IRI(RS + "variable")
	rsValue           = graph.IRI(RS + "value")
	rsIndex           = graph.IRI(RS + "index")
	rsBoolean         = graph.IRI(RS + "boolean")
	errNotAResultSet  = fmt.Errorf("read rs: result set: no node of type rs:ResultSet")
	errTwoResultSets  = fmt.Errorf("read rs: result set: more than one node of type rs:ResultSet")
	errMixedIndex     = fmt.Errorf("read rs: result set: rs:index on some solutions but not all")
	errBooleanAndRows = fmt.Errorf("read rs: result set: both rs:boolean and rs:solution")
)

// FromRDF reads a result set written in RDF with the rs: vocabulary, as some
// expected results of the W3C suite are. Graph names are ignored. The
// variables come out sorted by name (RDF gives them no order). ordered
// reports whether the solutions carry rs:index, in which case the rows are
// in index order and order matters when comparing.
func FromRDF(quads []graph.Quad) (t Table, ordered bool, err error) {
	bySubject := map[graph.Term][]graph.Quad{}
	var sets []graph.Term
	for _, q := range quads {
		bySubject[q.S] = append(bySubject[q.S], q)
		if q.P == rdfType && q.O == rsResultSet && !slices.Contains(sets, q.S) {
			sets = append(sets, q.S)
		}
	}
	switch {
	case len(sets) == 0:
		return Table{}, false, errNotAResultSet
	case len(sets) > 1:
		return Table{}, false, errTwoResultSets
	}
	objects := func(s, p graph.Term) []graph.Term {
		var out []graph.Term
		for _, q := range bySubject[s] {
			if q.P == p && !slices.Contains(out, q.O) {
				out = append(out, q.O)
			}
		}
		return out
	}
	set := sets[0]
	solutions := objects(set, rsSolution)
	if b := objects(set, rsBoolean); len(b) > 0 {
		if len(b) > 1 || !b[0].IsLiteral() {
			return Table{}, false, fmt.Errorf("read rs: result set: bad rs:boolean %v", b)
		}
		if len(solutions) > 0 {
			return Table{}, false, errBooleanAndRows
		}
		v, err := strconv.ParseBool(b[0].Value())
		if err != nil {
			return Table{}, false, fmt.Errorf("read rs: result set: rs:boolean %v: %w", b[0], err)
		}
		return Table{IsBoolean: true, Boolean: v}, false, nil
	}
	index := map[string]int{}
	for _, v := range objects(set, rsResultVariable) {
		if !v.IsLiteral() || !ValidVarName(v.Value()) {
			return Table{}, false, fmt.Errorf("read rs: result set: bad rs:resultVariable %v", v)
		}
		t.Vars = append(t.Vars, v.Value())
	}
	slices.Sort(t.Vars)
	for i, v := range t.Vars {
		index[v] = i
	}
	type indexed struct {
		row Solution
		idx int64
		has bool
	}
	rows := make([]indexed, 0, len(solutions))
	withIndex := 0
	for _, sol := range solutions {
		row := make(Solution, len(t.Vars))
		for _, b := range objects(sol, rsBinding) {
			vars, vals := objects(b, rsVariable), objects(b, rsValue)
			if len(vars) != 1 || len(vals) != 1 || !vars[0].IsLiteral() {
				return Table{}, false, fmt.Errorf("read rs: result set: binding %v needs one rs:variable and one rs:value", b)
			}
			i, ok := index[vars[0].Value()]
			if !ok {
				return Table{}, false, fmt.Errorf("read rs: result set: binding of %q, which is not an rs:resultVariable", vars[0].Value())
			}
			if !row[i].IsZero() && row[i] != vals[0] {
				return Table{}, false, fmt.Errorf("read rs: result set: %q bound twice in solution %v", vars[0].Value(), sol)
			}
			row[i] = vals[0]
		}
		r := indexed{row: row}
		if idx := objects(sol, rsIndex); len(idx) > 0 {
			n, err := strconv.ParseInt(idx[0].Value(), 10, 64)
			if len(idx) > 1 || err != nil {
				return Table{}, false, fmt.Errorf("read rs: result set: bad rs:index %v of solution %v", idx, sol)
			}
			r.idx, r.has = n, true
			withIndex++
		}
		rows = append(rows, r)
	}
	if withIndex > 0 && withIndex < len(rows) {
		return Table{}, false, errMixedIndex
	}
	ordered = withIndex > 0
	if ordered {
		slices.SortStableFunc(rows, func(a, b indexed) int { return cmp.Compare(a.idx, b.idx) })
	}
	for _, r := range rows {
		t.Rows = append(t.Rows, r.row)
	}
	return t, ordered, nil
}

// ToRDF writes a table in the rs: vocabulary, the inverse of FromRDF: one
// rs:ResultSet node, its variables, and one rs:solution per row with an
// rs:binding per bound variable, numbered with rs:index from 1 when ordered
// is set. The structural nodes are fresh blank nodes of their own scope, so
// they never meet a blank node of the rows.
func ToRDF(t Table, ordered bool) []graph.Quad {
	scope := graph.NewBlankScope()
	set := scope.Fresh()
	out := []graph.Quad{graph.Triple(set, rdfType, rsResultSet)}
	if t.IsBoolean {
		return append(out, graph.Triple(set, rsBoolean, graph.Literal(strconv.FormatBool(t.Boolean), graph.XSDBoolean)))
	}
	for _, v := range t.Vars {
		out = append(out, graph.Triple(set, rsResultVariable, graph.String(v)))
	}
	for n, row := range t.Rows {
		sol := scope.Fresh()
		out = append(out, graph.Triple(set, rsSolution, sol))
		if ordered {
			out = append(out, graph.Triple(sol, rsIndex, graph.Literal(strconv.Itoa(n+1), graph.XSDInteger)))
		}
		for i, v := range row {
			if v.IsZero() || i >= len(t.Vars) {
				continue
			}
			b := scope.Fresh()
			out = append(out,
				graph.Triple(sol, rsBinding, b),
				graph.Triple(b, rsVariable, graph.String(t.Vars[i])),
				graph.Triple(b, rsValue, v))
		}
	}
	return out
}
