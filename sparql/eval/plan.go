package eval

import (
	"context"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/optimizer"
)

// statser is the optional statistics method a graph.Reader may have
// (stores have it; a snapshot may pass it through).
type statser interface {
	Stats(ctx context.Context) (*graph.Stats, error)
}

// prepare sets the plan to evaluate: q.Op through sparql/optimizer unless
// opts.NoOptimize.
func (e *evaluator) prepare(q *algebra.Query, opts Options) {
	e.root = q.Op
	e.mem.limit = opts.MaxMemory
	if opts.NoOptimize || q.Op == nil {
		return
	}
	st := opts.Stats
	if st == nil {
		if s, ok := e.r.(statser); ok {
			// Without statistics the catalog counts exactly, which is
			// still correct; the error only costs plan quality.
			st, _ = s.Stats(e.ctx)
		}
	}
	cfg := optimizer.Config{Fold: e.fold, AlwaysHash: opts.alwaysHash, Entailment: e.ent != nil}
	e.root, e.trace = cfg.Optimize(e.ctx, q.Op, optimizer.NewCatalog(e.r, st))
}

// fold evaluates a constant expression for the optimizer.
func (e *evaluator) fold(x algebra.Expr) (graph.Term, bool) {
	if e.err != nil {
		return graph.Term{}, false
	}
	v, ok := e.exprIn(x, e.empty(), graph.DefaultGraph)
	if e.err != nil {
		// Folding must not poison the query: leave it to run time.
		e.err = nil
		return graph.Term{}, false
	}
	return v, ok
}

// algorithm returns the join algorithm the optimizer chose for op.
func (e *evaluator) algorithm(op algebra.Op) optimizer.Algorithm {
	if e.trace == nil {
		return optimizer.NestedLoop
	}
	return e.trace.Algorithms[op]
}
