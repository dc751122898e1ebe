// Package optimizer rewrites SPARQL algebra (sparql/algebra) into a plan
// that gives the same solutions faster, using the store's real statistics.
//
// Optimize runs a short list of named passes, each a set of named rewrite
// rules (the Trace records which fired, so tests and EXPLAIN can say why a
// plan looks the way it does):
//
//  1. normalise: remove identity joins (a join with the empty BGP),
//     merge nested filters, split FILTER(a && b) into two conditions, fold
//     constant expressions (with Config.Fold), drop conditions that are
//     constant true and turn a FILTER that is constant false into the
//     empty table.
//  2. push-filters: move filter conditions towards the patterns that bind
//     their variables: into both branches of UNION, into the left side of
//     OPTIONAL and MINUS when the left side always binds them (never into
//     the right side, which would change the result), below BIND when the
//     condition does not read the bound variable, and into GRAPH when the
//     condition has no EXISTS (whose active graph would change).
//  3. reorder-joins: flatten each join and the triple patterns of its BGPs
//     into one list of steps and order it greedily from cardinality
//     estimates: start with the smallest, then always take the cheapest
//     step that shares a variable with what is already bound, so that
//     cartesian products happen only when the query has one. Estimates come
//     from the Catalog: exact counts for patterns with bound terms when they
//     are cheap, per-predicate quad, distinct-subject and distinct-object
//     counts for the selectivity of a join on a variable. Filter conditions
//     are placed right after the step that binds their last variable (into
//     the BGP, between triple patterns). Each join then gets its algorithm:
//     index nested-loop (the right side is looked up with the left's
//     bindings) or hash join (both sides large and the right side
//     evaluated once on its own), and OPTIONAL (with or without a
//     filter) likewise.
//
// The optimizer never changes results: the W3C query-evaluation suite runs
// with and without it (sparql/eval TestSuite).
//
// The join algorithms, the fixed order of the BGPs it built and the
// estimates live in the Trace, keyed by operator, because the algebra has
// no physical operators; sparql/eval reads them.
//
// Not implemented: dynamic programming over join orders (greedy is linear
// and avoids cartesian products), pushing filters into sub-queries, using
// the graph of a GRAPH pattern in estimates (counts are over all graphs),
// estimates for property paths beyond their first predicate.
package optimizer

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// Names of the rewrite rules, as they appear in a Trace.
const (
	// RuleEliminateIdentityJoin: Join(x, {}) → x (§18.5: the empty BGP is
	// the identity of Join).
	RuleEliminateIdentityJoin = "eliminate-identity-join"
	// RuleMergeFilters: Filter(a, Filter(b, x)) → Filter(a b, x).
	RuleMergeFilters = "merge-filters"
	// RuleSplitConjunction: FILTER(a && b) → FILTER(a) FILTER(b); both keep a
	// solution exactly when a and b have effective boolean value true (§17.2).
	RuleSplitConjunction = "split-conjunction"
	// RuleFoldConstant: an expression without variables is evaluated once.
	RuleFoldConstant = "fold-constant"
	// RuleEliminateTrueFilter: a condition that is constant true is dropped.
	RuleEliminateTrueFilter = "eliminate-true-filter"
	// RuleFalseFilter: a condition that is constant false (or an error)
	// makes the pattern empty.
	RuleFalseFilter = "false-filter-to-empty"
	// RulePushFilterUnion: Filter(e, Union(a, b)) → Union(Filter(e, a), Filter(e, b)).
	RulePushFilterUnion = "push-filter-into-union"
	// RulePushFilterOptional: Filter(e, LeftJoin(a, b)) → LeftJoin(Filter(e, a), b)
	// when a binds every variable of e.
	RulePushFilterOptional = "push-filter-into-optional-left"
	// RulePushFilterMinus: Filter(e, Minus(a, b)) → Minus(Filter(e, a), b)
	// when a binds every variable of e.
	RulePushFilterMinus = "push-filter-into-minus-left"
	// RulePushFilterBind: Filter(e, Extend(x, v, f)) → Extend(Filter(e, x), v, f)
	// when e does not read v.
	RulePushFilterBind = "push-filter-below-bind"
	// RulePushFilterGraph: Filter(e, Graph(g, x)) → Graph(g, Filter(e, x))
	// when x binds every variable of e and e has no EXISTS.
	RulePushFilterGraph = "push-filter-into-graph"
	// RuleFlattenJoin: nested joins and their BGPs become one list of steps.
	RuleFlattenJoin = "flatten-join"
	// RuleReorderJoin: the steps of a join are ordered by estimated cost.
	RuleReorderJoin = "reorder-join"
	// RulePushFilterJoin: a condition is applied right after the join step
	// that binds its last variable.
	RulePushFilterJoin = "push-filter-into-join"
	// RulePushFilterBGP: a condition is applied between the triple patterns
	// of a BGP.
	RulePushFilterBGP = "push-filter-into-bgp"
	// RuleHashJoin: a join is evaluated as a hash join.
	RuleHashJoin = "hash-join"
	// RuleHashLeftJoin: an OPTIONAL is evaluated as a hash left join.
	RuleHashLeftJoin = "hash-left-join"
	// RuleMergeJoin: a hash join of triple patterns that share their
	// subject variable (a star: every study's modality, date and size)
	// becomes a merge join of subject-sorted scans.
	RuleMergeJoin = "merge-join"
	// RuleGroupBeforeLookup: a GROUP BY keyed on both variables of a
	// pattern that only adds one of them (a code's label) groups the rest
	// of the BGP first and looks the pattern up once per group.
	RuleGroupBeforeLookup = "group-before-lookup"
)

// Algorithm is the physical algorithm of a Join or LeftJoin.
type Algorithm uint8

// The join algorithms.
const (
	// NestedLoop evaluates the right side once per left solution, with its
	// bindings substituted (an index lookup when the right side is a
	// pattern).
	NestedLoop Algorithm = iota
	// Hash evaluates the right side once, builds a hash table on the shared
	// variables and probes it with each left solution.
	Hash
	// Merge joins triple patterns with the same subject variable (the
	// right side one pattern, the left one pattern or a Merge join) by
	// scanning each once, sorting the scans by subject and intersecting
	// them: sequential instead of random access over large stars.
	Merge
)

// String names the algorithm as EXPLAIN prints it.
func (a Algorithm) String() string {
	switch a {
	case Hash:
		return "hash"
	case Merge:
		return "merge"
	}
	return "nested-loop"
}

// Firing is one application of a rule.
type Firing struct {
	Rule   string
	Detail string
}

// Trace records what Optimize did and what the evaluator needs to know
// about the plan.
type Trace struct {
	// Fired lists the rule applications in order.
	Fired []Firing
	// Estimates is the estimated number of solutions each operator of the
	// plan produces over the whole query (all its evaluations together).
	Estimates map[algebra.Op]float64
	// Algorithms holds the algorithm of the joins that are not nested-loop.
	Algorithms map[algebra.Op]Algorithm
	// Ordered holds the BGPs whose triple patterns are in the order they
	// must be matched; the evaluator orders the others itself.
	Ordered map[*algebra.BGP]bool
	// Err is the first error the Catalog returned; the optimizer then
	// estimates without that figure.
	Err error
}

func newTrace() *Trace {
	return &Trace{
		Estimates:  map[algebra.Op]float64{},
		Algorithms: map[algebra.Op]Algorithm{},
		Ordered:    map[*algebra.BGP]bool{},
	}
}

func (t *Trace) fire(rule, format string, args ...any) {
	t.Fired = append(t.Fired, Firing{Rule: rule, Detail: fmt.Sprintf(format, args...)})
}

// Count returns how many times rule fired.
func (t *Trace) Count(rule string) int {
	n := 0
	for _, f := range t.Fired {
		if f.Rule == rule {
			n++
		}
	}
	return n
}

// Rules returns the names of the rules that fired, sorted, each with its
// count when it fired more than once ("reorder-join×2").
func (t *Trace) Rules() []string {
	counts := map[string]int{}
	for _, f := range t.Fired {
		counts[f.Rule]++
	}
	var out []string
	for r, n := range counts {
		if n > 1 {
			r = fmt.Sprintf("%s×%d", r, n)
		}
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// String lists the firings, one per line.
func (t *Trace) String() string {
	var b strings.Builder
	for _, f := range t.Fired {
		fmt.Fprintf(&b, "%s: %s\n", f.Rule, f.Detail)
	}
	return b.String()
}

// Config configures the optimizer; the zero value works.
type Config struct {
	// Fold evaluates an expression without variables, reporting false when
	// it raises an error (which is then left to run time). The evaluator
	// supplies its own expression evaluator, so folding gives exactly the
	// value evaluation would. Nil folds only constant FILTER conditions.
	Fold func(algebra.Expr) (graph.Term, bool)
	// AlwaysHash makes every join and OPTIONAL that is
	// evaluated once use a hash join, whatever the estimates say. It
	// exists for tests, which run the W3C suite with it to check the
	// hash operators on every query shape.
	AlwaysHash bool
	// Entailment says the evaluator matches patterns under an entailment
	// regime, where a triple pattern may match the same triple more than
	// once: rewrites that rely on set semantics are off.
	Entailment bool
}

// Optimize returns a plan equivalent to op for the data cat describes, and
// the trace of what it did. It never fails: a catalog error is recorded in
// the trace and the optimizer goes on with default estimates. op is not
// modified.
func Optimize(ctx context.Context, op algebra.Op, cat Catalog) (algebra.Op, *Trace) {
	return Config{}.Optimize(ctx, op, cat)
}

// Optimize is the package-level Optimize with c's settings.
func (c Config) Optimize(ctx context.Context, op algebra.Op, cat Catalog) (algebra.Op, *Trace) {
	o := &opt{ctx: ctx, cat: cat, cfg: c, tr: newTrace()}
	if cat != nil {
		st, err := cat.Stats(ctx)
		if err != nil {
			o.tr.Err = fmt.Errorf("statistics: %w", err)
		}
		o.stats = st
	}
	for _, p := range passes {
		op = p.run(o, op)
	}
	return op, o.tr
}

type pass struct {
	name string
	run  func(*opt, algebra.Op) algebra.Op
}

// passes are the optimizer's passes, in order.
var passes = [...]pass{
	{"normalise", (*opt).normalise},
	{"push-filters", (*opt).pushFilters},
	{"reorder-joins", func(o *opt, op algebra.Op) algebra.Op { return o.plan(op, topContext()) }},
}

// opt is the state of one Optimize call.
type opt struct {
	ctx   context.Context
	cat   Catalog
	cfg   Config
	tr    *Trace
	stats *graph.Stats
	cards map[graph.Pattern]float64
	// graph is the named graph of the GRAPH <iri> being planned or
	// estimated, zero elsewhere: patterns inside it are counted in that
	// graph only, not over the whole store.
	graph graph.Term
}

// inGraph runs f with o.graph set for GRAPH name when name is an IRI.
func (o *opt) inGraph(name algebra.Node, f func()) {
	saved := o.graph
	if !name.IsVar() && name.Term.IsIRI() {
		o.graph = name.Term
	}
	f()
	o.graph = saved
}
