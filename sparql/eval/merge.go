package eval

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/optimizer"
)

// keyed is a solution with the id it is merged on.
type keyed struct {
	key graph.ID
	r   row
}

// mergeJoin evaluates a join the optimizer marked Merge (a star of triple
// patterns on one subject variable, nested as Join(Join(a, b), c)): each
// branch is evaluated once with the join's input, its solutions sorted by
// the subject, and the sorted lists intersected in one pass. Over a large
// star (every study's modality, size and date) this reads each list
// sequentially where a hash join probes a table at random. When the input
// already binds the subject, the branches are better looked up: it runs
// as a hash join then.
func (e *evaluator) mergeJoin(op *algebra.Join, in row, g graph.Term) seq {
	branches := e.mergeBranches(op, nil)
	subject, ok := e.mergeSubject(op)
	if !ok || in[subject] != unbound {
		return e.hashJoin(op, in, g)
	}
	if ts, ok := e.starPatterns(branches, subject); ok && e.prof == nil {
		return e.starJoin(ts, branches, subject, in, g, e.transient[op])
	}
	return func(yield func(row) bool) {
		lists := make([][]keyed, len(branches))
		var held int64
		defer func() { e.release(held) }()
		for i, b := range branches {
			lists[i] = make([]keyed, 0, e.sizeHint(b, g))
			for r := range e.eval(b, in, g) {
				n := rowBytes(r) + 8
				held += n
				if !e.reserve(n, "merge join") {
					return
				}
				lists[i] = append(lists[i], keyed{r[subject], r})
			}
			if e.err != nil || len(lists[i]) == 0 {
				return
			}
			slices.SortFunc(lists[i], func(a, b keyed) int { return cmp.Compare(a.key, b.key) })
		}
		intersect(keyColumns(lists, func(k keyed) graph.ID { return k.key }), func(_ graph.ID, pos, ends []int) bool {
			return e.alive() && e.product(lists, pos, ends, 0, in, yield)
		})
	}
}

// product yields the compatible merges of one row from each list's run
// [pos[i], ends[i]), starting from acc.
func (e *evaluator) product(lists [][]keyed, pos, ends []int, i int, acc row, yield func(row) bool) bool {
	if i == len(lists) {
		return yield(acc)
	}
	for j := pos[i]; j < ends[i]; j++ {
		r := lists[i][j].r
		if !compatible(acc, r) {
			continue
		}
		if !e.product(lists, pos, ends, i+1, merge(acc, r), yield) {
			return false
		}
	}
	return true
}

// mergeBranches lists the branches of a merge join, left to right.
func (e *evaluator) mergeBranches(op algebra.Op, out []algebra.Op) []algebra.Op {
	if j, ok := op.(*algebra.Join); ok && e.algorithm(j) == optimizer.Merge {
		return append(e.mergeBranches(j.L, out), j.R)
	}
	return append(out, op)
}

// mergeSubject returns the slot of the subject variable a merge join is
// on: that of its right branch's one triple pattern.
func (e *evaluator) mergeSubject(op *algebra.Join) (int, bool) {
	b, ok := op.R.(*algebra.BGP)
	if !ok || len(b.Triples) != 1 || !b.Triples[0].S.IsVar() {
		return 0, false
	}
	s, ok := e.slots[b.Triples[0].S.Var]
	return s, ok
}

// starPatterns returns the compiled triple patterns of branches when every
// branch is one pattern with the subject variable of slot subject, matched
// against the store as is (no entailment).
func (e *evaluator) starPatterns(branches []algebra.Op, subject int) ([]idTriple, bool) {
	if e.ent != nil {
		return nil, false
	}
	ts := make([]algebra.Triple, len(branches))
	for i, b := range branches {
		bgp, ok := b.(*algebra.BGP)
		if !ok || len(bgp.Triples) != 1 {
			return nil, false
		}
		ts[i] = bgp.Triples[0]
	}
	cts := e.compileBGP(ts)
	for i := range cts {
		if cts[i].slot[0] != subject || cts[i].slot[2] == subject {
			return nil, false
		}
	}
	return cts, true
}

// starJoin is mergeJoin for branches that are single triple patterns: the
// scans keep columns of subject and object ids instead of solutions, and
// a solution is built only for each combination that matches — or, when
// reuse is set (the consumer is transient), one row is filled in place
// for every combination.
func (e *evaluator) starJoin(ts []idTriple, branches []algebra.Op, subject int, in row, g graph.Term, reuse bool) seq {
	return func(yield func(row) bool) {
		subjects := make([][]graph.ID, len(ts))
		objects := make([][]graph.ID, len(ts)) // nil for a constant object
		var held int64
		defer func() { e.release(held) }()
		for i := range ts {
			t := &ts[i]
			var p graph.IDPattern
			for j := range 3 {
				if id := t.at(j, in); id != unbound {
					p.IDs[j], p.Bound[j] = id, true
				}
			}
			if p.Bound[0] {
				e.fail(fmt.Errorf("eval: star join over a bound subject"))
				return
			}
			width := int64(8)
			if t.slot[2] >= 0 {
				width = 16
			}
			if n := e.sizeHint(branches[i], g); n > 0 {
				subjects[i] = make([]graph.ID, 0, n)
				if width == 16 {
					objects[i] = make([]graph.ID, 0, n)
				}
			}
			scan, sorted := e.subjectOrdered(p, g)
			if !sorted {
				scan = e.tripleIDs(p, g)
			}
			scan(func(q graph.IDQuad) bool {
				held += width
				if !e.reserve(width, "merge join") {
					return false
				}
				subjects[i] = append(subjects[i], q[0])
				if width == 16 {
					objects[i] = append(objects[i], q[2])
				}
				return true
			})
			if e.err != nil || len(subjects[i]) == 0 {
				return
			}
			if !slices.IsSorted(subjects[i]) {
				sortBySubject(subjects[i], objects[i])
			}
		}
		scratch := slices.Clone(in)
		out := yield
		if !reuse {
			out = func(r row) bool { return yield(slices.Clone(r)) }
		}
		intersect(subjects, func(key graph.ID, pos, ends []int) bool {
			scratch[subject] = key
			return e.alive() && e.starProduct(ts, objects, pos, ends, 0, scratch, out)
		})
	}
}

// sortBySubject sorts a star branch's columns by subject (objects may be
// nil).
func sortBySubject(subjects, objects []graph.ID) {
	if objects == nil {
		slices.Sort(subjects)
		return
	}
	type pair struct{ s, o graph.ID }
	ps := make([]pair, len(subjects))
	for i := range ps {
		ps[i] = pair{subjects[i], objects[i]}
	}
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.s, b.s) })
	for i, p := range ps {
		subjects[i], objects[i] = p.s, p.o
	}
}

// keyColumns returns the keys of lists' elements, list by list: intersect
// then scans plain id columns, without a call per element.
func keyColumns[T any](lists [][]T, key func(T) graph.ID) [][]graph.ID {
	cols := make([][]graph.ID, len(lists))
	for i, l := range lists {
		cols[i] = make([]graph.ID, len(l))
		for j := range l {
			cols[i][j] = key(l[j])
		}
	}
	return cols
}

// intersect walks lists of keys, each sorted, in step: for every key all
// of them hold, it calls on with the key and, per list, the run [pos[i],
// ends[i]) of its elements with that key, until on returns false or a list
// ends.
func intersect(lists [][]graph.ID, on func(k graph.ID, pos, ends []int) bool) {
	pos := make([]int, len(lists))
	ends := make([]int, len(lists))
	for {
		// The largest current key; every list advances to it.
		var k graph.ID
		for i, l := range lists {
			if pos[i] == len(l) {
				return
			}
			k = max(k, l[pos[i]])
		}
		same := true
		for i, l := range lists {
			j := pos[i]
			for j < len(l) && l[j] < k {
				j++
			}
			if pos[i] = j; j == len(l) {
				return
			}
			if l[j] != k {
				same = false
			}
		}
		if !same {
			continue
		}
		for i, l := range lists {
			j := pos[i]
			for j < len(l) && l[j] == k {
				j++
			}
			ends[i] = j
		}
		if !on(k, pos, ends) {
			return
		}
		copy(pos, ends)
	}
}

// starProduct sets, branch by branch, the object variable to each object
// of the subject's runs in the scratch row r, and yields r for every
// consistent combination.
func (e *evaluator) starProduct(ts []idTriple, objects [][]graph.ID, pos, ends []int, i int, r row, yield func(row) bool) bool {
	if i == len(objects) {
		return yield(r)
	}
	slot := ts[i].slot[2]
	if slot < 0 {
		// A constant object: one match per subject.
		return e.starProduct(ts, objects, pos, ends, i+1, r, yield)
	}
	for _, o := range objects[i][pos[i]:ends[i]] {
		switch r[slot] {
		case unbound:
			r[slot] = o
			ok := e.starProduct(ts, objects, pos, ends, i+1, r, yield)
			r[slot] = unbound
			if !ok {
				return false
			}
		case o:
			if !e.starProduct(ts, objects, pos, ends, i+1, r, yield) {
				return false
			}
		}
	}
	return true
}

// subjectOrdered streams the triples of p (only the predicate bound) in
// the active graph g sorted by subject, when the reader can without a
// sort (graph.SubjectOrderer); false otherwise, and for datasets that
// merge several listed graphs.
func (e *evaluator) subjectOrdered(p graph.IDPattern, g graph.Term) (func(yield func(graph.IDQuad) bool), bool) {
	d := e.dict
	so, ok := d.ir.(graph.SubjectOrderer)
	if !ok || !p.Bound[1] || p.Bound[0] || p.Bound[2] {
		return nil, false
	}
	union := false
	switch {
	case !g.IsDefaultGraph():
		p.IDs[3], p.Bound[3] = d.id(g), true
	case len(e.ds.Default) == 0 && e.ds.EmptyDefault:
		return func(func(graph.IDQuad) bool) {}, true
	case len(e.ds.Default) == 1:
		p.IDs[3], p.Bound[3] = e.graphID(e.ds.Default[0]), true
	case len(e.ds.Default) > 1:
		return nil, false
	case e.ds.UnionDefault:
		if e.named != nil {
			return nil, false
		}
		union = true
	default:
		p.IDs[3], p.Bound[3] = d.defaultGraph, true
	}
	if p.Bound[3] && graph.IsLocalID(p.IDs[3]) {
		return func(func(graph.IDQuad) bool) {}, true // a graph the store does not hold
	}
	quads, ok := so.QuadIDsBySubject(e.ctx, p)
	if !ok {
		return nil, false
	}
	return func(yield func(graph.IDQuad) bool) {
		var prev graph.IDQuad
		seen := false
		for q, err := range quads {
			if err != nil {
				e.fail(fmt.Errorf("read: %w", err))
				return
			}
			if union {
				// The union of the named graphs: the default graph's
				// quads out (unless included), and a triple in several
				// graphs once (sorted by subject, object, graph, its
				// copies are adjacent).
				if q[3] == d.defaultGraph && !e.ds.UnionIncludesDefault || (seen && q[0] == prev[0] && q[2] == prev[2]) {
					continue
				}
				prev, seen = q, true
			}
			if !e.alive() || !yield(q) {
				return
			}
		}
	}, true
}
