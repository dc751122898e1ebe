package eval

import (
	"cmp"
	"fmt"
	"slices"
	"sort"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/optimizer"
)

// mergeJoin evaluates a join the optimizer marked Merge (a star of triple
// patterns on one subject variable, nested as Join(Join(a, b), c), whose
// first branch may be any pattern binding the subject): each branch is
// evaluated once with the join's input, its solutions sorted by the
// subject, and the sorted lists intersected in one pass. Over a large star
// (every study's modality, size and date) this reads each list
// sequentially where a hash join probes a table at random. A branch that
// is one triple pattern keeps columns of subject and object ids (read in
// subject order from the store when it can), not solutions; a solution is
// built only for each combination that matches — or, when the consumer is
// transient, one row is filled in place for every combination. When the
// input already binds the subject, the branches are better looked up: it
// runs as a hash join then.
func (e *evaluator) mergeJoin(op *algebra.Join, in row, g graph.Term) seq {
	branches := e.mergeBranches(op, nil)
	subject, ok := e.mergeSubject(op)
	if !ok || in[subject] != unbound {
		return e.hashJoin(op, in, g)
	}
	reuse := e.transient[op]
	return func(yield func(row) bool) {
		bs := make([]mergeBranch, len(branches))
		var held int64
		defer func() { e.release(held) }()
		for i, b := range branches {
			var ok bool
			if t, star := e.starPattern(b, subject); star {
				ok = e.scanStar(&bs[i], t, b, in, g, &held)
			} else {
				ok = e.collectSorted(&bs[i], b, subject, in, g, &held)
			}
			if !ok || e.err != nil || bs[i].keys.len() == 0 {
				return
			}
		}
		scratch := slices.Clone(in)
		out := yield
		if !reuse {
			out = func(r row) bool { return yield(slices.Clone(r)) }
		}
		keys := make([]keyList, len(bs))
		for i := range bs {
			keys[i] = bs[i].keys
		}
		intersect(keys, func(key graph.ID, pos, ends []int) bool {
			scratch[subject] = key
			return e.alive() && e.mergeProduct(bs, pos, ends, 0, scratch, out)
		})
	}
}

// mergeBranch is one branch of a merge join, sorted by subject: for a
// triple pattern, columns of subject and object ids (objects nil for a
// constant object); for any other pattern, its solutions.
type mergeBranch struct {
	keys    keyList
	pattern bool
	objects []graph.ID // a pattern's objects when keys is a column
	slot    int        // the object's slot of a pattern; < 0 for a constant
	rows    []row
	bound   []int // scratch: the slots a solution of rows set
}

// object is the object of a pattern branch's j-th triple.
func (b *mergeBranch) object(j int) graph.ID {
	if b.keys.quads != nil {
		return b.keys.quads[j][2]
	}
	return b.objects[j]
}

// keyList is a sorted list of subject ids: a column, or the subjects of
// quads sorted by subject (a reader's slice, read in place).
type keyList struct {
	ids   []graph.ID
	quads []graph.IDQuad
}

func (l *keyList) len() int {
	if l.quads != nil {
		return len(l.quads)
	}
	return len(l.ids)
}

func (l *keyList) at(i int) graph.ID {
	if l.quads != nil {
		return l.quads[i][0]
	}
	return l.ids[i]
}

// seek returns the first index from from on whose key is at least k: a
// few steps, then a galloping search, so that a short list intersected
// with a long one skips most of the long one.
func (l *keyList) seek(from int, k graph.ID) int {
	n := l.len()
	j := from
	for range 4 {
		if j == n || l.at(j) >= k {
			return j
		}
		j++
	}
	if j == n || l.at(j) >= k {
		return j
	}
	lo, step := j, 1 // l.at(lo) < k
	for lo+step < n && l.at(lo+step) < k {
		lo += step
		step *= 2
	}
	hi := min(lo+step, n) // l.at(hi) >= k, or hi == n
	return lo + 1 + sort.Search(hi-lo-1, func(i int) bool { return l.at(lo+1+i) >= k })
}

// starPattern returns the compiled triple of branch b when it is one
// triple pattern with the subject variable of slot subject, matched
// against the store as is (no entailment; EXPLAIN ANALYZE evaluates every
// branch, to profile it).
func (e *evaluator) starPattern(b algebra.Op, subject int) (*idTriple, bool) {
	bgp, ok := b.(*algebra.BGP)
	if !ok || len(bgp.Triples) != 1 || e.ent != nil || e.prof != nil {
		return nil, false
	}
	t := &e.compiledBGP(bgp)[0]
	return t, t.slot[0] == subject && t.slot[2] != subject
}

// scanStar reads the (subject, object) columns of star pattern t into mb.
func (e *evaluator) scanStar(mb *mergeBranch, t *idTriple, b algebra.Op, in row, g graph.Term, held *int64) bool {
	p := t.pattern(in)
	if p.Bound[0] {
		e.fail(fmt.Errorf("eval: star join over a bound subject"))
		return false
	}
	mb.pattern, mb.slot = true, t.slot[2]
	width := int64(8)
	if mb.slot >= 0 {
		width = 16
	}
	quads, scan, sorted := e.subjectOrdered(p, g)
	switch {
	case sorted && scan == nil:
		mb.keys.quads = quads // the reader's own, read in place
		return e.err == nil
	case !sorted:
		scan = e.tripleIDs(p, g)
	}
	if n := e.sizeHint(b, g); n > 0 {
		mb.keys.ids = make([]graph.ID, 0, n)
		if width == 16 {
			mb.objects = make([]graph.ID, 0, n)
		}
	}
	scan(func(q graph.IDQuad) bool {
		*held += width
		if !e.reserve(width, "merge join") {
			return false
		}
		mb.keys.ids = append(mb.keys.ids, q[0])
		if width == 16 {
			mb.objects = append(mb.objects, q[2])
		}
		return true
	})
	if e.err == nil && !slices.IsSorted(mb.keys.ids) {
		sortBySubject(mb.keys.ids, mb.objects)
	}
	return e.err == nil
}

// collectSorted evaluates branch b into mb, sorted by the subject.
func (e *evaluator) collectSorted(mb *mergeBranch, b algebra.Op, subject int, in row, g graph.Term, held *int64) bool {
	type keyed struct {
		key graph.ID
		r   row
	}
	list := make([]keyed, 0, e.sizeHint(b, g))
	for r := range e.eval(b, in, g) {
		n := rowBytes(r) + 16
		*held += n
		if !e.reserve(n, "merge join") {
			return false
		}
		list = append(list, keyed{r[subject], r})
	}
	if e.err != nil {
		return false
	}
	slices.SortFunc(list, func(a, b keyed) int { return cmp.Compare(a.key, b.key) })
	mb.keys.ids, mb.rows = make([]graph.ID, len(list)), make([]row, len(list))
	for i, k := range list {
		mb.keys.ids[i], mb.rows[i] = k.key, k.r
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

// intersect walks lists of keys, each sorted, in step: for every key all
// of them hold, it calls on with the key and, per list, the run [pos[i],
// ends[i]) of its elements with that key, until on returns false or a list
// ends.
func intersect(lists []keyList, on func(k graph.ID, pos, ends []int) bool) {
	pos := make([]int, len(lists))
	ends := make([]int, len(lists))
	for {
		// The largest current key; every list advances to it.
		var k graph.ID
		for i := range lists {
			l := &lists[i]
			if pos[i] == l.len() {
				return
			}
			k = max(k, l.at(pos[i]))
		}
		same := true
		for i := range lists {
			l := &lists[i]
			j := l.seek(pos[i], k)
			if pos[i] = j; j == l.len() {
				return
			}
			if l.at(j) != k {
				same = false
			}
		}
		if !same {
			continue
		}
		for i := range lists {
			l := &lists[i]
			j, n := pos[i], l.len()
			for j < n && l.at(j) == k {
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

// mergeProduct extends the scratch row r, branch by branch, with each
// element of the subject's run [pos[i], ends[i]) that is consistent with
// it — an object id, or a solution's bindings — and yields r for every
// complete combination, undoing its changes as it backtracks.
func (e *evaluator) mergeProduct(bs []mergeBranch, pos, ends []int, i int, r row, yield func(row) bool) bool {
	if i == len(bs) {
		return yield(r)
	}
	b := &bs[i]
	if b.pattern {
		if b.slot < 0 {
			// A constant object: one match per subject.
			return e.mergeProduct(bs, pos, ends, i+1, r, yield)
		}
		for j := pos[i]; j < ends[i]; j++ {
			o := b.object(j)
			switch r[b.slot] {
			case unbound:
				r[b.slot] = o
				ok := e.mergeProduct(bs, pos, ends, i+1, r, yield)
				r[b.slot] = unbound
				if !ok {
					return false
				}
			case o:
				if !e.mergeProduct(bs, pos, ends, i+1, r, yield) {
					return false
				}
			}
		}
		return true
	}
	for _, sol := range b.rows[pos[i]:ends[i]] {
		b.bound = b.bound[:0]
		fits := true
		for s, v := range sol {
			switch r[s] {
			case v:
			case unbound:
				r[s] = v
				b.bound = append(b.bound, s)
			default:
				fits = v == unbound
			}
			if !fits {
				break
			}
		}
		ok := !fits || e.mergeProduct(bs, pos, ends, i+1, r, yield)
		for _, s := range b.bound {
			r[s] = unbound
		}
		if !ok {
			return false
		}
	}
	return true
}

// subjectOrdered returns the triples of p (predicate bound, subject
// unbound) in the active graph g sorted by subject, when the reader holds
// them so (graph.SubjectOrderer): as the reader's own slice when it can
// be used as is, or filtered for a union of graphs (the default graph's
// quads out unless included, a triple in several graphs once). ok is
// false otherwise, and for datasets that merge several listed graphs.
func (e *evaluator) subjectOrdered(p graph.IDPattern, g graph.Term) (quads []graph.IDQuad, filtered func(yield func(graph.IDQuad) bool), ok bool) {
	d := e.dict
	so, ok := d.ir.(graph.SubjectOrderer)
	if !ok || !p.Bound[1] || p.Bound[0] {
		return nil, nil, false
	}
	union := false
	switch {
	case !g.IsDefaultGraph():
		p.IDs[3], p.Bound[3] = d.id(g), true
	case len(e.ds.Default) == 0 && e.ds.EmptyDefault:
		return nil, nil, true
	case len(e.ds.Default) == 1:
		p.IDs[3], p.Bound[3] = e.graphID(e.ds.Default[0]), true
	case len(e.ds.Default) > 1:
		return nil, nil, false
	case e.ds.UnionDefault:
		if e.named != nil {
			return nil, nil, false
		}
		union = true
	default:
		p.IDs[3], p.Bound[3] = d.defaultGraph, true
	}
	if p.Bound[3] && graph.IsLocalID(p.IDs[3]) {
		return nil, nil, true // a graph the store does not hold
	}
	sq, ok := so.QuadIDsBySubject(e.ctx, p)
	if !ok {
		return nil, nil, false
	}
	dropDefault := union && !e.ds.UnionIncludesDefault
	if !union || !sq.Repeats && (!sq.InDefault || !dropDefault) {
		return sq.Quads, nil, true
	}
	return nil, func(yield func(graph.IDQuad) bool) {
		keep := e.unionFilter() // sorted by subject, object, graph: copies are adjacent
		for _, q := range sq.Quads {
			if keep(q) && (!e.alive() || !yield(q)) {
				return
			}
		}
	}, true
}
