package eval

import (
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// A filter over one variable — an age range, a date window, a modality
// test — computes the same answer for every solution that binds the
// variable to the same term, and catalogue data repeats values: 46,000
// patients have about a hundred ages, 90,000 studies a few thousand dates.
// exprMemo remembers a filter expression's effective boolean value by the
// id of its one variable, so each distinct value is decoded and evaluated
// once per query instead of once per solution.
//
// Only deterministic expressions are memoised: not RAND, UUID, STRUUID or
// BNODE (new values per call, or per solution), not EXISTS (it reads the
// whole solution and the store). NOW is one value per query (§17.4.5.1).
// Within a query equal ids mean equal terms (see dict), so the memo is
// exact.
type exprMemo struct {
	slot    int
	results *idCache[bool]
	lookups int
	hits    int
	off     bool
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

// filterMemos returns op's memos, one per expression (nil where an
// expression cannot be memoised), shared by every evaluation of op in
// the query.
func (e *evaluator) filterMemos(op *algebra.Filter) []*exprMemo {
	if ms, ok := e.memos[op]; ok {
		return ms
	}
	ms := make([]*exprMemo, len(op.Exprs))
	for i, x := range op.Exprs {
		ms[i] = e.newMemo(x)
	}
	if e.memos == nil {
		e.memos = map[*algebra.Filter][]*exprMemo{}
	}
	e.memos[op] = ms
	return ms
}

// newMemo returns a memo for x, or nil when x does not depend on exactly
// one variable deterministically.
func (e *evaluator) newMemo(x algebra.Expr) *exprMemo {
	if !deterministic(x) {
		return nil
	}
	vars := map[string]bool{}
	algebra.ExprVars(x, vars)
	if len(vars) != 1 {
		return nil
	}
	for v := range vars {
		if s, ok := e.slots[v]; ok {
			return &exprMemo{slot: s, results: newIDCache[bool](memoMaxSlots)}
		}
	}
	return nil
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

// ebvMemo is ebvOf through m (when not nil).
func (e *evaluator) ebvMemo(m *exprMemo, x algebra.Expr, r row, g graph.Term) bool {
	if m == nil || m.off {
		return e.ebvOf(x, r, g)
	}
	id := e.slotID(m.slot, r)
	m.lookups++
	if b, ok := m.results.get(id); ok {
		m.hits++
		return b
	}
	if m.lookups == memoProbation && m.hits*memoMinHitRate < m.lookups {
		m.off, m.results = true, nil
		return e.ebvOf(x, r, g)
	}
	b := e.ebvOf(x, r, g)
	if e.err == nil {
		m.results.put(id, b)
	}
	return b
}
