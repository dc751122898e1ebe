package eval

import (
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/optimizer"
)

// Operators yield solutions as rows of ids, and by default every solution
// is a row of its own: the consumer may keep it (a hash table, a sort, the
// output). Some consumers only read each row until they ask for the next:
// GROUP BY copies its keys and feeds its accumulators, a filter copies the
// rows that pass. They mark their input transient (evaluator.transient),
// and a producer that can — a BGP, a merge join — then extends one private
// row in place and yields it for every solution, undoing its bindings as
// it backtracks: no allocation per solution scanned.

// markTransient records that op's consumer does not keep its solutions
// past the next one (see evaluator.transient).
func (e *evaluator) markTransient(op algebra.Op) {
	if e.transient == nil {
		e.transient = map[algebra.Op]bool{}
	}
	e.transient[op] = true
}

// reusesRows reports whether op fills one row in place for its solutions
// when its consumer is transient (BGPs and merge joins), so that marking
// it saves an allocation per solution.
func (e *evaluator) reusesRows(op algebra.Op) bool {
	switch op := op.(type) {
	case *algebra.BGP:
		return true
	case *algebra.Join:
		return e.algorithm(op) == optimizer.Merge
	}
	return false
}
