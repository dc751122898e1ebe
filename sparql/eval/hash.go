package eval

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// hashTable holds the solutions of a join's right side keyed by the
// variables both sides always bind: by the id itself for one key variable
// (the common case: a star join on a subject), by the concatenated ids
// otherwise. Rows with one key are chained through next (no slice per
// key). Rows that leave a key variable unbound (which CertainVars rules
// out, but the table does not rely on it) are kept apart and checked
// against every probe.
type hashTable struct {
	keys  []int
	one   *chain[row]      // len(keys) == 1
	rows  map[string][]row // len(keys) != 1
	loose []row
	n     int // rows held under a key
	bytes int64
	buf   []byte
}

// chain is a multimap from ids to items, the items of a key chained by
// index (newest first) rather than kept in a slice per key: one map entry
// and two slice slots per item.
type chain[T any] struct {
	head  map[graph.ID]int32 // the newest item of a key
	items []T
	next  []int32 // the item after items[i] with its key, or -1
}

func newChain[T any](hint int) *chain[T] {
	return &chain[T]{head: make(map[graph.ID]int32, hint), items: make([]T, 0, hint), next: make([]int32, 0, hint)}
}

// add files v under k; false when the chain is full (2^31 items).
func (c *chain[T]) add(k graph.ID, v T) bool {
	if len(c.items) == math.MaxInt32 {
		return false
	}
	first, ok := c.head[k]
	if !ok {
		first = -1
	}
	c.head[k] = int32(len(c.items))
	c.items = append(c.items, v)
	c.next = append(c.next, first)
	return true
}

// each calls f with the items of k until f returns false, and reports
// whether it went through all of them.
func (c *chain[T]) each(k graph.ID, f func(T) bool) bool {
	i, ok := c.head[k]
	for ok && i >= 0 {
		if !f(c.items[i]) {
			return false
		}
		i = c.next[i]
	}
	return true
}

// maxHint caps the size hint a hash table is allocated with (an estimate
// can be far off; the table grows past it when it must).
const maxHint = 1 << 18

// sizeHint is the number of solutions to allocate for when op's solutions
// are collected with g the active graph: the optimizer's estimate, capped
// at maxHint. Inside GRAPH it is zero: op then runs once per graph, and
// the estimate, over all of them, would allocate that much each time.
func (e *evaluator) sizeHint(op algebra.Op, g graph.Term) int {
	if e.trace == nil || !g.IsDefaultGraph() {
		return 0
	}
	return min(max(int(e.trace.Estimates[op]), 0), maxHint)
}

func newHashTable(keys []int, hint int) *hashTable {
	t := &hashTable{keys: keys}
	hint = min(max(hint, 0), maxHint)
	if len(keys) == 1 {
		t.one = newChain[row](hint)
	} else {
		t.rows = map[string][]row{}
	}
	return t
}

// key appends the key of r to t.buf; ok is false when r leaves a key
// variable unbound.
func (t *hashTable) key(r row) (string, bool) {
	t.buf = t.buf[:0]
	for _, s := range t.keys {
		if r[s] == unbound {
			return "", false
		}
		t.buf = binary.LittleEndian.AppendUint64(t.buf, r[s])
	}
	return string(t.buf), true
}

// add stores r; it returns the bytes r costs.
func (t *hashTable) add(r row) int64 {
	n := rowBytes(r)
	switch {
	case t.one != nil && r[t.keys[0]] != unbound && t.one.add(r[t.keys[0]], r):
		t.n++
	case t.one != nil:
		t.loose = append(t.loose, r)
	default:
		k, ok := t.key(r)
		if !ok {
			t.loose = append(t.loose, r)
			break
		}
		n += int64(len(k))
		t.rows[k] = append(t.rows[k], r)
		t.n++
	}
	return n
}

// build reads the solutions of op with input in into a hash table.
func (e *evaluator) build(op algebra.Op, keys []int, in row, g graph.Term, what string) (*hashTable, bool) {
	hint := e.sizeHint(op, g)
	if e.mem.limit > 0 {
		hint = min(hint, int(e.mem.limit/rowOverhead))
	}
	t := newHashTable(keys, hint)
	for r := range e.eval(op, in, g) {
		n := t.add(r)
		t.bytes += n
		if !e.reserve(n, what) {
			return t, false
		}
	}
	return t, e.err == nil
}

// empty reports whether t holds no row.
func (t *hashTable) empty() bool { return t.n == 0 && len(t.loose) == 0 }

// probe calls f with the rows of t that may be compatible with l, until f
// returns false. Rows of one key come newest first.
func (t *hashTable) probe(l row, f func(row) bool) bool {
	switch {
	case t.one != nil && l[t.keys[0]] != unbound:
		if !t.one.each(l[t.keys[0]], f) {
			return false
		}
	case t.one != nil:
		for _, r := range t.one.items {
			if !f(r) {
				return false
			}
		}
	default:
		k, ok := t.key(l)
		if ok {
			for _, r := range t.rows[k] {
				if !f(r) {
					return false
				}
			}
			break
		}
		for _, rs := range t.rows {
			for _, r := range rs {
				if !f(r) {
					return false
				}
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

// sharedSlots returns the slots both sides of a join evaluated with input
// in may bind: only there can a left and a right solution disagree.
func (e *evaluator) sharedSlots(l, r algebra.Op, in row) []int {
	ml, mr := e.infoOf(l).maybe, e.infoOf(r).maybe
	var out []int
	for s := range in {
		if in[s] != unbound || (s < len(ml) && s < len(mr) && ml[s] && mr[s]) {
			out = append(out, s)
		}
	}
	return out
}

// compatibleOn is compatible for rows that can only disagree on slots.
func compatibleOn(a, b row, slots []int) bool {
	for _, s := range slots {
		if x, y := a[s], b[s]; x != unbound && y != unbound && x != y {
			return false
		}
	}
	return true
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

// hashJoin evaluates Join(L, R) by building a hash table of R's solutions
// (evaluated once, with the join's input) and probing it with each
// solution of L: {in} ⋈ L ⋈ R = ({in} ⋈ L) ⋈ ({in} ⋈ R), since merging in
// twice changes nothing.
func (e *evaluator) hashJoin(op *algebra.Join, in row, g graph.Term) seq {
	keys := e.joinKeys(op.L, op.R)
	if s, ok := e.patternJoin(op, keys, in, g); ok {
		return s
	}
	check := e.sharedSlots(op.L, op.R, in)
	return func(yield func(row) bool) {
		t, ok := e.build(op.R, keys, in, g, "hash join")
		defer e.release(t.bytes)
		if !ok || t.empty() {
			return
		}
		for l := range e.eval(op.L, in, g) {
			if !e.alive() {
				return
			}
			if !t.probe(l, func(r row) bool {
				return !compatibleOn(l, r, check) || yield(merge(l, r))
			}) {
				return
			}
		}
	}
}

// hashLeftJoin evaluates OPTIONAL by a hash table of the right side's
// solutions, evaluated once with the part of the input the left side
// always binds (as leftJoin gives it to the left side): each left solution
// a extends that input, so {a} ⋈ R is the rows of the table compatible
// with a. The OPTIONAL's filter is applied to each merged solution, as
// LeftJoin's definition (§18.5) says.
func (e *evaluator) hashLeftJoin(op *algebra.LeftJoin, in row, g graph.Term) seq {
	info := e.infoOf(op)
	lin, cut := restrict(in, info.pass)
	keys := e.joinKeys(op.L, op.R)
	check := e.sharedSlots(op.L, op.R, lin)
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
				if !compatibleOn(a, r, check) {
					return true
				}
				b := merge(a, r)
				if op.Expr != nil && !e.ebvOf(op.Expr, b, g) {
					return true
				}
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

// patternJoin is hashJoin for a right side that is one triple pattern
// joined on one variable: the table holds the matched id triples (chained
// by index under the key's id) instead of solutions, and a solution is
// built only when a left solution matches one (bindTriple checks the
// pattern's other variables against it). EXPLAIN ANALYZE uses the general
// path, which reports the right side's own counts.
func (e *evaluator) patternJoin(op *algebra.Join, keys []int, in row, g graph.Term) (seq, bool) {
	b, ok := op.R.(*algebra.BGP)
	if !ok || len(b.Triples) != 1 || len(keys) != 1 || e.ent != nil || e.prof != nil {
		return nil, false
	}
	t := &e.compiledBGP(b)[0]
	pos := -1
	for j, s := range t.slot {
		if s == keys[0] {
			pos = j
		}
	}
	if pos < 0 {
		return nil, false
	}
	return func(yield func(row) bool) {
		p := t.pattern(in)
		quads := newChain[graph.IDQuad](e.sizeHint(op.R, g))
		var held int64
		defer func() { e.release(held) }()
		e.tripleIDs(p, g)(func(q graph.IDQuad) bool {
			const n = 32 + 4 + 16
			held += n
			if !e.reserve(n, "hash join") {
				return false
			}
			if !quads.add(q[pos], q) {
				e.fail(fmt.Errorf("%w: a hash join table holds at most 2^31 triples", ErrMemoryLimit))
				return false
			}
			return true
		})
		if e.err != nil || len(quads.items) == 0 {
			return
		}
		for l := range e.eval(op.L, in, g) {
			if !e.alive() {
				return
			}
			if l[keys[0]] == unbound { // not expected (the key is certain), but correct
				for _, q := range quads.items {
					if nr, match := bindTriple(t, q, l); match && !yield(nr) {
						return
					}
				}
				continue
			}
			if !quads.each(l[keys[0]], func(q graph.IDQuad) bool {
				nr, match := bindTriple(t, q, l)
				return !match || yield(nr)
			}) {
				return
			}
		}
	}, true
}
