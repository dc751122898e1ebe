package eval

import (
	"cmp"
	"container/heap"
	"encoding/binary"
	"math/big"
	"slices"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// group evaluates Group (§18.5 Group, Aggregation, AggregateJoin). Groups
// come out in the order their first solution arrived. Group keys that are
// plain variables and COUNT over a variable use the solution's ids without
// decoding a term.
func (e *evaluator) group(op *algebra.Group, g graph.Term) seq {
	return func(yield func(row) bool) {
		type grp struct {
			keys []graph.ID
			accs []accumulator
		}
		index := map[string]*grp{}
		byID := map[graph.ID]*grp{} // the index when there is one key
		// A small cache in front of byID: a facet has a few dozen groups,
		// met in random order.
		recent := newIDCache[*grp](idCacheMin)
		var order []*grp
		newGroup := func(keys []graph.ID) *grp {
			gr := &grp{keys: keys}
			for _, a := range op.Aggs {
				gr.accs = append(gr.accs, e.newAccumulator(a.Agg))
			}
			return gr
		}
		keyVars := make([]int, len(op.Keys))
		for i, k := range op.Keys {
			keyVars[i] = e.varSlot(k.Expr)
		}
		argVars := make([]int, len(op.Aggs))
		for i, a := range op.Aggs {
			argVars[i] = e.varSlot(a.Agg.Arg)
		}
		var kb []byte
		var held int64
		defer func() { e.release(held) }()
		keys := make([]graph.ID, len(op.Keys))
		e.markTransient(op.Input) // keys are copied; accumulators keep values, not rows
		for r := range e.eval(op.Input, e.empty(), g) {
			kb = kb[:0]
			for i, k := range op.Keys {
				if keyVars[i] != notVar {
					keys[i] = e.slotID(keyVars[i], r)
				} else if v, ok := e.exprIn(k.Expr, r, g); ok {
					keys[i] = e.dict.id(v)
				} else {
					keys[i] = unbound
				}
				if len(keys) > 1 {
					kb = binary.LittleEndian.AppendUint64(kb, keys[i])
				}
			}
			var gr *grp
			var ok bool
			if len(keys) == 1 {
				if gr, ok = recent.get(keys[0]); !ok {
					if gr, ok = byID[keys[0]]; ok {
						recent.put(keys[0], gr)
					}
				}
			} else {
				gr, ok = index[string(kb)]
			}
			if !ok {
				n := int64(len(kb)) + rowOverhead + idBytes*int64(len(keys)) + groupBytes*int64(len(op.Aggs))
				held += n
				if !e.reserve(n, "GROUP BY") {
					return
				}
				gr = newGroup(slices.Clone(keys))
				if len(keys) == 1 {
					byID[keys[0]] = gr
				} else {
					index[string(kb)] = gr
				}
				order = append(order, gr)
			}
			for i, a := range op.Aggs {
				acc := gr.accs[i]
				switch {
				case a.Agg.Arg == nil:
					acc.add(graph.Term{}, unbound, true, r)
				case argVars[i] != notVar:
					id := e.slotID(argVars[i], r)
					switch acc := acc.(type) {
					case *countAcc:
						acc.add(graph.Term{}, id, id != unbound, r)
						continue
					case *sumAcc:
						if v, ok := e.dict.integer(id); ok && acc.addSmall(v) {
							continue
						}
					case *minMaxAcc:
						if id != unbound && id == acc.bestID {
							continue // the same term again
						}
					}
					acc.add(e.dict.term(id), id, id != unbound, r)
				default:
					v, ok := e.exprIn(a.Agg.Arg, r, g)
					acc.add(v, unbound, ok, r)
				}
			}
		}
		if e.err != nil {
			return
		}
		if len(order) == 0 && len(op.Keys) == 0 {
			order = append(order, newGroup(nil))
		}
		for _, gr := range order {
			out := e.empty()
			for i, k := range op.Keys {
				out[e.slot(k.Var)] = gr.keys[i]
			}
			for i, a := range op.Aggs {
				if v, ok := gr.accs[i].result(); ok {
					out[e.slot(a.Var)] = e.dict.id(v)
				}
			}
			if !yield(out) {
				return
			}
		}
	}
}

// notVar and noSlot are varSlot's answers for an expression that is not
// a variable, and for a variable without a slot (never bound).
const (
	notVar = -1
	noSlot = -2
)

// varSlot returns the slot of x when x is a variable.
func (e *evaluator) varSlot(x algebra.Expr) int {
	v, ok := x.(*algebra.Var)
	if !ok {
		return notVar
	}
	if s, ok := e.slots[v.Name]; ok {
		return s
	}
	return noSlot
}

// slotID is lookup without decoding: the id of slot s (from varSlot) in
// r, or in the substituted solution of an enclosing EXISTS.
func (e *evaluator) slotID(s int, r row) graph.ID {
	if s == noSlot {
		return unbound
	}
	if id := r[s]; id != unbound {
		return id
	}
	if n := len(e.subst); n > 0 {
		return e.subst[n-1][s]
	}
	return unbound
}

// groupBytes is what one aggregate's accumulator holds, roughly.
const groupBytes = 64

// accumulator computes one aggregate over a group. Following Jena, COUNT
// and SAMPLE skip expression errors; for the other set functions an error
// in any solution makes the aggregate an error (unbound). add gets the
// value v (ok false on an error) and, when it came from a variable, its
// id (unbound otherwise).
type accumulator interface {
	add(v graph.Term, id graph.ID, ok bool, r row)
	result() (graph.Term, bool)
}

func (e *evaluator) newAccumulator(a *algebra.Aggregate) accumulator {
	var base accumulator
	switch a.Func {
	case "COUNT":
		base = &countAcc{star: a.Arg == nil}
	case "SUM":
		base = &sumAcc{sum: number{k: kInteger, r: new(big.Rat)}}
	case "AVG":
		base = &sumAcc{sum: number{k: kInteger, r: new(big.Rat)}, avg: true}
	case "MIN":
		base = &minMaxAcc{}
	case "MAX":
		base = &minMaxAcc{max: true}
	case "SAMPLE":
		base = &sampleAcc{}
	case "GROUP_CONCAT":
		base = &concatAcc{sep: a.Separator}
	default:
		base = &errAcc{}
	}
	if a.Distinct {
		return &distinctAcc{inner: base, seen: map[string]bool{}, star: a.Arg == nil, dict: e.dict}
	}
	return base
}

type distinctAcc struct {
	inner accumulator
	seen  map[string]bool
	star  bool
	dict  *dict
	buf   []byte
}

func (d *distinctAcc) add(v graph.Term, id graph.ID, ok bool, r row) {
	if d.star {
		d.buf = rowKey(d.buf[:0], r)
	} else {
		if !ok {
			d.inner.add(v, id, ok, r)
			return
		}
		if id == unbound {
			id = d.dict.id(v)
		}
		d.buf = binary.LittleEndian.AppendUint64(d.buf[:0], id)
	}
	if d.seen[string(d.buf)] {
		return
	}
	d.seen[string(d.buf)] = true
	d.inner.add(v, id, ok, r)
}

func (d *distinctAcc) result() (graph.Term, bool) { return d.inner.result() }

type countAcc struct {
	star bool
	n    int64
}

func (c *countAcc) add(_ graph.Term, _ graph.ID, ok bool, _ row) {
	if ok || c.star {
		c.n++
	}
}

func (c *countAcc) result() (graph.Term, bool) { return intTerm(c.n), true }

// sumAcc computes SUM and AVG. While every value is a small xsd:integer
// it adds in an int64 (small) and only moves to exact big.Rat arithmetic
// (sum) when another type arrives or the int64 could overflow.
type sumAcc struct {
	sum   number
	small int64
	big   bool // small has been folded into sum
	n     int64
	err   bool
	avg   bool
}

// smallLimit keeps small far enough from overflow that adding an
// 18-digit integer cannot wrap.
const smallLimit = 1 << 62

func (s *sumAcc) add(v graph.Term, _ graph.ID, ok bool, _ row) {
	if s.err {
		return
	}
	if !ok {
		s.err = true
		return
	}
	if !s.big {
		if x, isSmall := smallInteger(v); isSmall && s.small > -smallLimit && s.small < smallLimit {
			s.small += x
			s.n++
			return
		}
		s.fold()
	}
	n, isNum := numeric(v)
	if !isNum {
		s.err = true
		return
	}
	s.sum, _ = arith('+', s.sum, n)
	s.n++
}

// addSmall adds the xsd:integer (or derived) value v while the sum is
// still an int64 that cannot overflow; false means use add.
func (s *sumAcc) addSmall(v int64) bool {
	if s.err {
		return true
	}
	if s.big || s.small <= -smallLimit || s.small >= smallLimit {
		return false
	}
	s.small += v
	s.n++
	return true
}

// fold moves the int64 sum into the exact one.
func (s *sumAcc) fold() {
	if !s.big {
		s.sum, _ = arith('+', s.sum, number{k: kInteger, r: new(big.Rat).SetInt64(s.small)})
		s.small, s.big = 0, true
	}
}

func (s *sumAcc) result() (graph.Term, bool) {
	if s.err {
		return errTerm, false
	}
	if s.avg && !s.big && s.n > 0 {
		// The mean of small integers: exact decimal digits by long
		// division, as formatDecimal would print the big.Rat quotient.
		return graph.Literal(formatRatio(s.small, s.n), graph.XSDDecimal), true
	}
	s.fold()
	if !s.avg {
		return s.sum.term(), true
	}
	if s.n == 0 {
		return intTerm(0), true
	}
	avg, ok := arith('/', s.sum, number{k: kInteger, r: new(big.Rat).SetInt64(s.n)})
	if !ok {
		return errTerm, false
	}
	return avg.term(), true
}

type minMaxAcc struct {
	max  bool
	best graph.Term
	// bestID is best's id when it came from a variable (unbound
	// otherwise): the group skips a solution holding the same id.
	bestID graph.ID
	err    bool
}

func (m *minMaxAcc) add(v graph.Term, id graph.ID, ok bool, _ row) {
	if !ok {
		m.err = true
		return
	}
	if m.best.IsZero() {
		m.best, m.bestID = v, id
		return
	}
	c := orderCompare(v, m.best)
	if (m.max && c > 0) || (!m.max && c < 0) {
		m.best, m.bestID = v, id
	}
}

func (m *minMaxAcc) result() (graph.Term, bool) {
	if m.err || m.best.IsZero() {
		return errTerm, false
	}
	return m.best, true
}

type sampleAcc struct{ v graph.Term }

func (s *sampleAcc) add(v graph.Term, _ graph.ID, ok bool, _ row) {
	if ok && s.v.IsZero() {
		s.v = v
	}
}

func (s *sampleAcc) result() (graph.Term, bool) { return s.v, !s.v.IsZero() }

type concatAcc struct {
	sep   string
	parts []string
	err   bool
}

func (c *concatAcc) add(v graph.Term, _ graph.ID, ok bool, _ row) {
	if !ok || !isStringLike(v) {
		c.err = true
		return
	}
	c.parts = append(c.parts, v.Value())
}

func (c *concatAcc) result() (graph.Term, bool) {
	if c.err {
		return errTerm, false
	}
	// §18.5.1.7: the result is a simple literal, whatever the tags.
	return graph.String(strings.Join(c.parts, c.sep)), true
}

type errAcc struct{}

func (errAcc) add(graph.Term, graph.ID, bool, row) {}
func (errAcc) result() (graph.Term, bool)          { return errTerm, false }

// orderBy sorts the solutions of its input (§15.1); expression errors
// sort as unbound. Under a LIMIT (evaluator.topK) it keeps only the first
// offset+limit solutions in a bounded heap, as they arrive: ORDER BY …
// LIMIT 20 over 100,000 solutions then holds 20, and copies only the
// solutions that enter the heap when its input fills one row in place.
// Ties keep their input order, as a stable sort does.
func (e *evaluator) orderBy(op *algebra.OrderBy, g graph.Term) seq {
	k, top := e.topK[op]
	copyKept := false
	if top && e.reusesRows(op.Input) {
		e.markTransient(op.Input)
		copyKept = true
	}
	return func(yield func(row) bool) {
		type keyed struct {
			r    row
			keys []graph.Term
			seq  int
		}
		less := func(a, b *keyed) int {
			for i, c := range op.Conds {
				d := orderCompare(a.keys[i], b.keys[i])
				if c.Desc {
					d = -d
				}
				if d != 0 {
					return d
				}
			}
			return cmp.Compare(a.seq, b.seq)
		}
		h := &maxHeap[keyed]{cmp: less} // all rows, or the first k when top
		var held int64
		defer func() { e.release(held) }()
		keys := make([]graph.Term, len(op.Conds)) // the current row's, until kept
		seq := 0
		for r := range e.eval(op.Input, e.empty(), g) {
			kr := keyed{keys: keys, seq: seq}
			seq++
			for i, c := range op.Conds {
				keys[i] = graph.Term{}
				if v, ok := e.exprIn(c.Expr, r, g); ok {
					keys[i] = v
				}
			}
			full := top && len(h.items) == int(k)
			if full && (k == 0 || less(&kr, &h.items[0]) >= 0) {
				continue // not among the first k
			}
			kr.keys = slices.Clone(keys)
			if copyKept {
				r = slices.Clone(r)
			}
			kr.r = r
			if full {
				h.items[0] = kr // replaces the largest, held bytes alike
				heap.Fix(h, 0)
				continue
			}
			n := rowBytes(r) + termBytes*int64(len(kr.keys))
			held += n
			if !e.reserve(n, "ORDER BY") {
				return
			}
			if top {
				heap.Push(h, kr)
			} else {
				h.items = append(h.items, kr)
			}
		}
		if e.err != nil {
			return
		}
		slices.SortFunc(h.items, func(a, b keyed) int { return less(&a, &b) })
		for _, kr := range h.items {
			if !yield(kr.r) {
				return
			}
		}
	}
}

// maxHeap is a container/heap of items, largest first under cmp.
type maxHeap[T any] struct {
	items []T
	cmp   func(a, b *T) int
}

func (h *maxHeap[T]) Len() int           { return len(h.items) }
func (h *maxHeap[T]) Less(i, j int) bool { return h.cmp(&h.items[i], &h.items[j]) > 0 }
func (h *maxHeap[T]) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *maxHeap[T]) Push(x any)         { h.items = append(h.items, x.(T)) }
func (h *maxHeap[T]) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}
