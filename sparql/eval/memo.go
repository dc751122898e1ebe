package eval

import (
	"cmp"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/ast"
)

// A filter over one variable — an age range, a date window, a modality
// test — computes the same answer for every solution that binds the
// variable to the same term, and catalogue data repeats values: 46,000
// patients have about a hundred ages, 90,000 studies a few thousand dates.
// A filter's conditions over one variable are grouped by it, and each
// group's answer (all of them true) is remembered by the id of the
// variable (exprMemo), so each distinct value is decoded and evaluated
// once per query instead of once per solution. A filter passes a
// solution when every condition is true, so the order they are checked
// in does not change its answer.
//
// Only deterministic expressions are memoised: not RAND, UUID, STRUUID or
// BNODE (new values per call, or per solution), not EXISTS (it reads the
// whole solution and the store). NOW is one value per query (§17.4.5.1).
// Within a query equal ids mean equal terms (see dict), so the memo is
// exact.
type exprMemo struct {
	slot    int
	conds   []cond
	results *idCache[bool]
	lookups int
	hits    int
	off     bool
}

// filterCheck is a filter's conditions ready to check: the memoised
// groups, and the conditions evaluated for every solution.
type filterCheck struct {
	memos []*exprMemo
	rest  []cond
}

const (
	// memoMaxSlots bounds a memo's cache (16 bytes a slot).
	memoMaxSlots = 1 << 14
	// memoProbation is the number of lookups after which a memo that
	// hits less than one in memoMinHitRate is switched off: for a filter
	// over unique values (titles, identifiers) it would only cost.
	memoProbation  = 4096
	memoMinHitRate = 8
)

// filterCheckOf returns op's conditions ready to check, shared by every
// evaluation of op in the query.
func (e *evaluator) filterCheckOf(op *algebra.Filter) *filterCheck {
	if fc, ok := e.memos[op]; ok {
		return fc
	}
	fc := &filterCheck{}
	bySlot := map[int]*exprMemo{}
	for _, x := range op.Exprs {
		c := e.newCond(x)
		s, ok := e.memoSlot(x)
		if !ok {
			fc.rest = append(fc.rest, c)
			continue
		}
		m := bySlot[s]
		if m == nil {
			m = &exprMemo{slot: s, results: newIDCache[bool](memoMaxSlots)}
			bySlot[s] = m
			fc.memos = append(fc.memos, m)
		}
		m.conds = append(m.conds, c)
	}
	if e.memos == nil {
		e.memos = map[*algebra.Filter]*filterCheck{}
	}
	e.memos[op] = fc
	return fc
}

// memoSlot returns the slot of x's one variable when x depends on it
// alone, deterministically.
func (e *evaluator) memoSlot(x algebra.Expr) (int, bool) {
	if !deterministic(x) {
		return 0, false
	}
	vars := map[string]bool{}
	algebra.ExprVars(x, vars)
	if len(vars) != 1 {
		return 0, false
	}
	for v := range vars {
		s, ok := e.slots[v]
		return s, ok
	}
	return 0, false
}

// deterministic reports whether x's value depends only on the values of
// its variables (and the query's constants).
func deterministic(x algebra.Expr) bool {
	switch x := x.(type) {
	case *algebra.Var, *algebra.Const:
		return true
	case *algebra.Binary:
		return deterministic(x.X) && deterministic(x.Y)
	case *algebra.Unary:
		return deterministic(x.X)
	case *algebra.In:
		return deterministic(x.X) && allDeterministic(x.List)
	case *algebra.Call:
		switch x.Func {
		case "RAND", "UUID", "STRUUID", "BNODE":
			return false
		}
		return allDeterministic(x.Args)
	case *algebra.FuncCall:
		return allDeterministic(x.Args)
	}
	return false // EXISTS, and anything added later until it is checked
}

func allDeterministic(xs []algebra.Expr) bool {
	for _, x := range xs {
		if !deterministic(x) {
			return false
		}
	}
	return true
}

// passes reports whether every condition of fc is true for r.
func (e *evaluator) passes(fc *filterCheck, r row, g graph.Term) bool {
	for _, m := range fc.memos {
		if !e.memoPasses(m, r, g) {
			return false
		}
	}
	for i := range fc.rest {
		if !e.holds(&fc.rest[i], r, g) {
			return false
		}
	}
	return true
}

// memoPasses reports whether m's conditions are all true for r, from the
// memo when it holds r's value of the variable.
func (e *evaluator) memoPasses(m *exprMemo, r row, g graph.Term) bool {
	all := func() bool {
		for i := range m.conds {
			if !e.holds(&m.conds[i], r, g) {
				return false
			}
		}
		return true
	}
	if m.off {
		return all()
	}
	id := e.slotID(m.slot, r)
	m.lookups++
	if b, ok := m.results.get(id); ok {
		m.hits++
		return b
	}
	if m.lookups == memoProbation && m.hits*memoMinHitRate < m.lookups {
		m.off, m.results = true, nil
		return all()
	}
	b := all()
	if e.err == nil {
		m.results.put(id, b)
	}
	return b
}

// cond is one condition of a filter. A comparison of a variable with a
// constant integer or date — an age range, a date window — has a fast
// path (fastCompare) that compares the variable's value directly, with no
// expression evaluation: an inline integer is read from its id, a date's
// fixed-width text compared as text. Values the fast path does not cover
// (other types, malformed literals, unbound) take the general path, which
// gives the same answer for the covered ones (compare's own fast paths).
type cond struct {
	x    algebra.Expr
	fast *fastCompare
}

type fastCompare struct {
	slot  int
	op    ast.Op // OpLt, OpGt, OpLe or OpGe, with the variable on the left
	c     graph.Term
	cInt  int64
	isInt bool // c is a small integer; else a valid zone-less xsd:date or dateTime
	date  bool // c is an xsd:date (not a dateTime)
}

func (e *evaluator) newCond(x algebra.Expr) cond {
	c := cond{x: x}
	b, ok := x.(*algebra.Binary)
	if !ok {
		return c
	}
	op := b.Op
	v, vok := b.X.(*algebra.Var)
	k, kok := b.Y.(*algebra.Const)
	if !vok || !kok {
		// The constant on the left: mirror the operator.
		v, vok = b.Y.(*algebra.Var)
		k, kok = b.X.(*algebra.Const)
		switch op {
		case ast.OpLt:
			op = ast.OpGt
		case ast.OpGt:
			op = ast.OpLt
		case ast.OpLe:
			op = ast.OpGe
		case ast.OpGe:
			op = ast.OpLe
		}
	}
	slot, known := 0, false
	if vok {
		slot, known = e.slots[v.Name]
	}
	if !vok || !kok || !known {
		return c
	}
	switch op {
	case ast.OpLt, ast.OpGt, ast.OpLe, ast.OpGe:
	default:
		return c
	}
	f := &fastCompare{slot: slot, op: op, c: k.Term}
	if n, ok := smallInteger(k.Term); ok && k.Term.Datatype() == graph.XSDInteger {
		f.isInt, f.cInt = true, n
	} else if dt := k.Term.Datatype(); k.Term.IsLiteral() && (dt == xsdDate || dt == xsdDateTime) && plainDateTime(k.Term.Value(), dt == xsdDate) {
		f.date = dt == xsdDate
	} else {
		return c
	}
	c.fast = f
	return c
}

// holds reports whether condition c is true for r.
func (e *evaluator) holds(c *cond, r row, g graph.Term) bool {
	if f := c.fast; f != nil {
		if id := e.slotID(f.slot, r); id != unbound {
			if f.isInt {
				if v, ok := e.dict.integer(id); ok {
					return f.test(cmp.Compare(v, f.cInt))
				}
			} else if t := e.dict.term(id); t.IsLiteral() && t.Datatype() == f.c.Datatype() && plainDateTime(t.Value(), f.date) {
				return f.test(strings.Compare(t.Value(), f.c.Value()))
			}
		}
	}
	return e.ebvOf(c.x, r, g)
}

// test applies f's operator to the comparison d of the variable's value
// with the constant.
func (f *fastCompare) test(d int) bool {
	switch f.op {
	case ast.OpLt:
		return d < 0
	case ast.OpGt:
		return d > 0
	case ast.OpLe:
		return d <= 0
	}
	return d >= 0
}
