package eval

import (
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// hashTable holds the solutions of a join's right side keyed by the
// variables both sides always bind. Rows that leave a key variable
// unbound (which CertainVars rules out, but the table does not rely on
// it) are kept apart and checked against every probe.
type hashTable struct {
	keys  []int
	rows  map[string][]row
	loose []row
	bytes int64
	buf   []byte
}

// key appends the key of r to t.buf; ok is false when r leaves a key
// variable unbound.
func (t *hashTable) key(r row) (string, bool) {
	t.buf = t.buf[:0]
	for _, s := range t.keys {
		if r[s].IsZero() {
			return "", false
		}
		t.buf = termKey(t.buf, r[s])
	}
	return string(t.buf), true
}

// joinKeys returns the slots of the variables both l and r always bind.
func (e *evaluator) joinKeys(l, r algebra.Op) []int {
	lc, rc := algebra.CertainVars(l), algebra.CertainVars(r)
	var keys []int
	for _, v := range algebra.MaybeVars(l) {
		if lc[v] && rc[v] {
			keys = append(keys, e.slot(v))
		}
	}
	return keys
}

// build reads the solutions of op with input in into a hash table.
func (e *evaluator) build(op algebra.Op, keys []int, in row, g graph.Term, what string) (*hashTable, bool) {
	t := &hashTable{keys: keys, rows: map[string][]row{}}
	for r := range e.eval(op, in, g) {
		k, ok := t.key(r)
		n := rowBytes(r) + int64(len(k))
		t.bytes += n
		if !e.reserve(n, what) {
			return t, false
		}
		if !ok {
			t.loose = append(t.loose, r)
			continue
		}
		t.rows[k] = append(t.rows[k], r)
	}
	return t, e.err == nil
}

// probe calls f with the rows of t that may be compatible with l, until f
// returns false.
func (t *hashTable) probe(l row, f func(row) bool) bool {
	k, ok := t.key(l)
	if !ok {
		for _, rs := range t.rows {
			for _, r := range rs {
				if !f(r) {
					return false
				}
			}
		}
	} else {
		for _, r := range t.rows[k] {
			if !f(r) {
				return false
			}
		}
	}
	for _, r := range t.loose {
		if !f(r) {
			return false
		}
	}
	return true
}

// hashJoin evaluates Join(L, R) by building a hash table of R's solutions
// (evaluated once, with the join's input) and probing it with each
// solution of L: {in} ⋈ L ⋈ R = ({in} ⋈ L) ⋈ ({in} ⋈ R), since merging in
// twice changes nothing.
func (e *evaluator) hashJoin(op *algebra.Join, in row, g graph.Term) seq {
	keys := e.joinKeys(op.L, op.R)
	return func(yield func(row) bool) {
		t, ok := e.build(op.R, keys, in, g, "hash join")
		defer e.release(t.bytes)
		if !ok || (len(t.rows) == 0 && len(t.loose) == 0) {
			return
		}
		for l := range e.eval(op.L, in, g) {
			if !e.alive() {
				return
			}
			if !t.probe(l, func(r row) bool {
				return !compatible(l, r) || yield(merge(l, r))
			}) {
				return
			}
		}
	}
}

// hashLeftJoin evaluates OPTIONAL without a filter by a hash table of the
// right side's solutions, evaluated once with the part of the input the
// left side always binds (as leftJoin gives it to the left side): each
// left solution a extends that input, so {a} ⋈ R is the rows of the table
// compatible with a.
func (e *evaluator) hashLeftJoin(op *algebra.LeftJoin, in row, g graph.Term) seq {
	info := e.infoOf(op)
	lin, cut := restrict(in, info.pass)
	keys := e.joinKeys(op.L, op.R)
	return func(yield func(row) bool) {
		t, ok := e.build(op.R, keys, lin, g, "hash left join")
		defer e.release(t.bytes)
		if !ok {
			return
		}
		for a := range e.eval(op.L, lin, g) {
			if !e.alive() {
				return
			}
			if cut && !compatible(a, in) {
				continue
			}
			matched := false
			if !t.probe(a, func(r row) bool {
				if !compatible(a, r) {
					return true
				}
				b := merge(a, r)
				matched = true
				if cut {
					if !compatible(b, in) {
						return true
					}
					b = merge(b, in)
				}
				return yield(b)
			}) {
				return
			}
			if !matched {
				if cut {
					a = merge(a, in)
				}
				if !yield(a) {
					return
				}
			}
		}
	}
}
