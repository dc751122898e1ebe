package eval

import (
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
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
	exprs   []algebra.Expr
	results *idCache[bool]
	lookups int
	hits    int
	off     bool
}

// filterCheck is a filter's conditions ready to check: the memoised
// groups, and the conditions evaluated for every solution.
type filterCheck struct {
	memos []*exprMemo
	rest  []algebra.Expr
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
		s, ok := e.memoSlot(x)
		if !ok {
			fc.rest = append(fc.rest, x)
			continue
		}
		m := bySlot[s]
		if m == nil {
			m = &exprMemo{slot: s, results: newIDCache[bool](memoMaxSlots)}
			bySlot[s] = m
			fc.memos = append(fc.memos, m)
		}
		m.exprs = append(m.exprs, x)
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
		if !deterministic(x.X) {
			return false
		}
		for _, y := range x.List {
			if !deterministic(y) {
				return false
			}
		}
		return true
	case *algebra.Call:
		switch x.Func {
		case "RAND", "UUID", "STRUUID", "BNODE":
			return false
		}
		for _, y := range x.Args {
			if !deterministic(y) {
				return false
			}
		}
		return true
	case *algebra.FuncCall:
		for _, y := range x.Args {
			if !deterministic(y) {
				return false
			}
		}
		return true
	}
	return false // EXISTS, and anything added later until it is checked
}

// passes reports whether every condition of fc is true for r.
func (e *evaluator) passes(fc *filterCheck, r row, g graph.Term) bool {
	for _, m := range fc.memos {
		if !e.memoPasses(m, r, g) {
			return false
		}
	}
	for _, x := range fc.rest {
		if !e.ebvOf(x, r, g) {
			return false
		}
	}
	return true
}

// memoPasses reports whether m's conditions are all true for r, from the
// memo when it holds r's value of the variable.
func (e *evaluator) memoPasses(m *exprMemo, r row, g graph.Term) bool {
	all := func() bool {
		for _, x := range m.exprs {
			if !e.ebvOf(x, r, g) {
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
