// Package eval evaluates SPARQL 1.1 algebra (sparql/algebra) over a
// graph.Reader as a tree of streaming iterators.
//
// Every operator is evaluated with an input solution μ and yields the
// solutions of {μ} ⋈ op: a BGP substitutes μ into its triple patterns and
// looks each one up in the store (index nested-loop join, most bound
// pattern first), so Join(A, B) is simply "for each solution of A,
// evaluate B with it". Operators whose meaning would change if they saw
// bindings from outside (FILTER over variables its input may leave unbound,
// OPTIONAL, MINUS, BIND, sub-queries, GROUP BY, EXISTS) are given only the
// part of μ that cannot change their result and the rest is joined
// afterwards; sub-queries and the right side of MINUS, when they do not
// depend on μ, are evaluated once and cached. Long loops check the context.
//
// Implemented: every operator of §18.5 (BGP, property paths of §9 and
// §18.2.2.4 with cycle-safe breadth-first search for * and +, Join,
// LeftJoin with filter, Filter with the error semantics of §17.2, Union,
// Minus, Graph, Extend, Group with all aggregates, Table, OrderBy with the
// term order of §15.1, Project, Distinct, Reduced, Slice), EXISTS by
// substitution, all built-in functions of §17.4, XSD casts (§17.5), the
// query forms SELECT, ASK, CONSTRUCT and DESCRIBE (concise bounded
// description), datasets given per query (Dataset), and, when a query asks
// for it, the RDFS entailment regime: each triple pattern of a BGP is
// rewritten into a union of store lookups over the schema's subclasses,
// sub-properties, domains and ranges (Options.Entailment; see Entailment
// for what is and is not entailed).
//
// Query runs sparql/optimizer first unless Options.NoOptimize: its BGPs
// are then matched in the order it fixed from statistics, and the joins
// and OPTIONALs it marked run as hash joins (the right side evaluated once
// into a table keyed on the shared variables). Options.MaxMemory bounds
// the memory of hash tables, sorts, DISTINCT, GROUP BY, caches and path
// searches (ErrMemoryLimit). Explain returns the plan with estimates and, analysed,
// actual solutions, loops and time per operator.
//
// SERVICE (SPARQL 1.1 Federated Query) runs through Options.Service
// (ServiceHandler, implemented by sparql/federation): the SERVICE group is
// sent as a SELECT over its variables; joined with solutions that bind
// its variables (or its endpoint variable) it runs as a bind join, the
// left solutions sent in batches as a VALUES block (ServiceRequest).
// SERVICE SILENT turns a failed request into the one empty solution.
//
// Solutions carry term ids, not terms (see dict.go): over a store that
// has them (graph.IDReader) scans, joins, GROUP BY keys, DISTINCT and
// hash tables work on 8-byte ids, and terms are decoded only for
// expressions, ORDER BY and the output.
//
// Property-path searches count their visited sets against
// Options.MaxMemory like hash tables and sorts do.
//
// Not implemented: SERVICE patterns built by program without syntax
// (algebra.Service.Pattern nil).
package eval

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/optimizer"
)

// ErrService is returned (wrapped) for SERVICE patterns when no
// Options.Service handler is configured, and for SERVICE ?var with ?var
// unbound.
var ErrService = errors.New("eval: SERVICE is not supported")

// Dataset is the RDF dataset a query runs against (§13). It is how FROM /
// FROM NAMED and per-graph access control plug in.
type Dataset struct {
	// Default lists the graphs whose merge is the default graph. When it is
	// empty the default graph is the store's default graph, or the union of
	// all named graphs when UnionDefault is set. A listed graph may be
	// graph.DefaultGraph.
	Default []graph.Term
	// UnionDefault makes the default graph the union of the named graphs
	// (used only when Default is empty); with UnionIncludesDefault, of
	// the store's default graph and every named graph, that is of all
	// its quads, which `tessera serve` queries when the store's default
	// graph is not empty.
	UnionDefault         bool
	UnionIncludesDefault bool
	// Named lists the named graphs GRAPH can see, when RestrictNamed is
	// set; otherwise every named graph of the store is visible.
	Named         []graph.Term
	RestrictNamed bool
	// EmptyDefault makes the default graph empty when Default lists no
	// graph: a dataset of named graphs only (FROM NAMED without FROM,
	// Query §13.2; named-graph-uri alone, Protocol §2.1.4).
	EmptyDefault bool
}

// Options configure evaluation. The zero value works: the store's default
// graph and all its named graphs, the wall clock, a random seed.
type Options struct {
	// Dataset is the dataset used when the query has no FROM / FROM NAMED.
	Dataset Dataset
	// FixedDataset ignores the query's FROM / FROM NAMED clauses and always
	// uses Dataset (for endpoints that fix the dataset per request).
	FixedDataset bool
	// Now returns the time NOW() reports; it is called once per query.
	// Nil means time.Now.
	Now func() time.Time
	// Seed seeds RAND(), UUID() and STRUUID(); zero means a random seed.
	Seed uint64
	// NoOptimize evaluates the algebra as translated, without
	// sparql/optimizer (for comparisons and for bisecting a bad plan).
	NoOptimize bool
	// Stats are the store's statistics for the optimizer's estimates. Nil
	// means: ask the reader, if it has a Stats(ctx) method, and otherwise
	// count patterns exactly.
	Stats *graph.Stats
	// MaxMemory bounds, in bytes, what one query holds in hash tables,
	// sorts, DISTINCT and GROUP BY tables and sub-query caches
	// (approximate accounting: rows and keys, not Go's allocator
	// overhead). Exceeding it ends the query with ErrMemoryLimit. Zero
	// means no limit. Capping the number of result rows is the caller's
	// job.
	MaxMemory int64
	// Hierarchy, when set, answers pred* and pred+ paths with one bound
	// end from a precomputed closure where that gives the same answer
	// (see Hierarchy). Nil means: always search the store.
	Hierarchy Hierarchy
	// Entailment, when set, evaluates basic graph patterns under the RDFS
	// entailment regime with this schema (see Entailment): a query asks
	// for it (the protocol's entailment=rdfs). Nil means simple
	// entailment: patterns match the stored triples only.
	Entailment Entailment
	// Service, when set, evaluates SERVICE patterns at remote endpoints
	// (see ServiceHandler; sparql/federation implements it). Nil means
	// SERVICE fails with ErrService (SERVICE SILENT yields its input).
	Service ServiceHandler

	// alwaysHash is optimizer.Config.AlwaysHash, for the suite tests.
	alwaysHash bool
}

// Result is the answer to a query. For SELECT, Vars and Solutions are set;
// for ASK, Boolean; for CONSTRUCT and DESCRIBE, Quads (triples in the
// default graph).
type Result struct {
	Form algebra.Form
	// Vars are the projected variables of a SELECT.
	Vars []string
	// Solutions streams the rows of a SELECT: one Term per variable of
	// Vars, the zero Term where unbound. Iterate it once.
	Solutions iter.Seq2[[]graph.Term, error]
	// Boolean is the answer of an ASK.
	Boolean bool
	// Quads streams the triples of a CONSTRUCT or DESCRIBE.
	Quads graph.Quads
}

// Query evaluates q against r. SELECT, CONSTRUCT and DESCRIBE stream: the
// work happens while the caller iterates, and breaking out of the loop
// stops it. ASK is answered before Query returns.
func Query(ctx context.Context, r graph.Reader, q *algebra.Query, opts Options) (*Result, error) {
	e := newEvaluator(ctx, r, q, opts)
	e.prepare(q, opts)
	return e.run(q)
}

// run evaluates the prepared plan in the query form of q.
func (e *evaluator) run(q *algebra.Query) (*Result, error) {
	res := &Result{Form: q.Form}
	switch q.Form {
	case algebra.Select:
		res.Vars = q.Vars
		slots := make([]int, len(q.Vars))
		for i, v := range q.Vars {
			slots[i] = e.slot(v)
		}
		res.Solutions = func(yield func([]graph.Term, error) bool) {
			ok := true
			for r := range e.eval(e.root, e.empty(), graph.DefaultGraph) {
				out := make([]graph.Term, len(slots))
				for i, s := range slots {
					out[i] = e.dict.term(r[s])
				}
				if e.err != nil {
					break
				}
				if !yield(out, nil) {
					ok = false
					break
				}
			}
			if ok && e.err != nil {
				yield(nil, e.err)
			}
		}
	case algebra.Ask:
		for range e.eval(e.root, e.empty(), graph.DefaultGraph) {
			res.Boolean = true
			break
		}
		if e.err != nil {
			return nil, e.err
		}
	case algebra.Construct:
		res.Quads = e.construct(q)
	case algebra.Describe:
		res.Quads = e.describe(q)
	default:
		return nil, fmt.Errorf("eval: unknown query form %v", q.Form)
	}
	return res, nil
}

// row is a solution: one term id per variable slot (dict.go), unbound
// when the variable is. A row is never modified once yielded; operators
// copy before extending.
type row []graph.ID

type seq = iter.Seq[row]

type evaluator struct {
	ctx  context.Context
	r    graph.Reader
	dict *dict
	// compiled holds each BGP's triples with slots and constant ids.
	compiled map[*algebra.BGP][]idTriple
	ds       Dataset
	slots    map[string]int
	names    []string
	err      error
	ticks    int
	now      time.Time
	base     string
	rng      *rand.Rand
	info     map[algebra.Op]*opInfo
	cache    map[cacheKey][]row
	named    map[graph.Term]bool // visible named graphs, when restricted
	subst    []row               // EXISTS substitution stack
	bnode    int                 // BNODE() / CONSTRUCT counter
	bscope   string              // per-query prefix of generated blank nodes
	bnodes   map[bnodeKey]graph.Term
	regex    map[string]*regexEntry
	// activeGraph is the active graph of the expression being evaluated,
	// for its EXISTS patterns.
	activeGraph graph.Term
	// root is the plan evaluated: q.Op, optimized unless disabled.
	root algebra.Op
	// trace is the optimizer's trace (join algorithms, ordered BGPs), nil
	// when the optimizer is off.
	trace *optimizer.Trace
	// mem accounts the memory the query holds.
	mem memory
	// hier is Options.Hierarchy; hierOK caches where it applies.
	hier   Hierarchy
	hierOK map[hierKey]bool
	// ent is Options.Entailment; entTypes caches its class expansions.
	ent      Entailment
	entTypes map[graph.Term]*typeExpansion
	// prof holds per-operator counters when EXPLAIN ANALYZE runs.
	prof map[algebra.Op]*opStats
	// svc is Options.Service with what is precomputed per SERVICE.
	svc services
	// memos holds each filter's per-value memos (memo.go).
	memos map[*algebra.Filter]*filterCheck
	// transient marks the operators whose consumer reads each solution
	// only until it asks for the next: they may yield one reused row
	// instead of a new one per solution (transient.go).
	transient map[algebra.Op]bool
	// topK holds the ORDER BYs under a LIMIT: only their first n sorted
	// solutions are read.
	topK map[*algebra.OrderBy]int64
}

// maxTopK is the largest OFFSET+LIMIT sorted with a bounded heap; beyond
// it ORDER BY sorts everything.
const maxTopK = 1 << 20

type cacheKey struct {
	op algebra.Op
	g  graph.Term
}

func newEvaluator(ctx context.Context, r graph.Reader, q *algebra.Query, opts Options) *evaluator {
	e := &evaluator{
		ctx:    ctx,
		r:      r,
		ds:     opts.Dataset,
		slots:  map[string]int{},
		base:   q.Base,
		info:   map[algebra.Op]*opInfo{},
		cache:  map[cacheKey][]row{},
		bnodes: map[bnodeKey]graph.Term{},
		regex:  map[string]*regexEntry{},
		hier:   opts.Hierarchy,
		ent:    opts.Entailment,
		svc:    services{h: opts.Service},
	}
	e.dict = newDict(e, r)
	e.compiled = map[*algebra.BGP][]idTriple{}
	if opts.Now != nil {
		e.now = opts.Now()
	} else {
		e.now = time.Now()
	}
	seed := opts.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	e.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	e.bscope = fmt.Sprintf("q%x", e.rng.Uint64()&0xffffffff)
	if len(q.Dataset) > 0 && !opts.FixedDataset {
		e.ds = Dataset{RestrictNamed: true}
		for _, d := range q.Dataset {
			if d.Named {
				e.ds.Named = append(e.ds.Named, graph.IRI(d.IRI))
			} else {
				e.ds.Default = append(e.ds.Default, graph.IRI(d.IRI))
			}
		}
		e.ds.EmptyDefault = len(e.ds.Default) == 0
	}
	if e.ds.RestrictNamed {
		e.named = map[graph.Term]bool{}
		for _, g := range e.ds.Named {
			e.named[g] = true
		}
	}
	vars := map[string]bool{}
	if q.Op != nil {
		algebra.AllVars(q.Op, vars)
	}
	for _, t := range q.Template {
		for _, n := range []algebra.Node{t.S, t.P, t.O} {
			if n.IsVar() {
				vars[n.Var] = true
			}
		}
	}
	for _, n := range q.Describe {
		if n.IsVar() {
			vars[n.Var] = true
		}
	}
	for _, v := range q.Vars {
		vars[v] = true
	}
	for v := range vars {
		e.slot(v)
	}
	return e
}

// slot returns the row index of variable v, allocating one if needed.
func (e *evaluator) slot(v string) int {
	if i, ok := e.slots[v]; ok {
		return i
	}
	i := len(e.names)
	e.slots[v] = i
	e.names = append(e.names, v)
	return i
}

func (e *evaluator) empty() row { return make(row, len(e.names)) }

// fail records the first error; every iterator stops once it is set.
func (e *evaluator) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// alive reports whether evaluation may go on, checking the context every
// 1024 calls.
func (e *evaluator) alive() bool {
	if e.err != nil {
		return false
	}
	e.ticks++
	if e.ticks&1023 == 0 {
		if err := e.ctx.Err(); err != nil {
			e.fail(err)
			return false
		}
	}
	return true
}

// opInfo is what the evaluator precomputes per operator.
type opInfo struct {
	maybe   []bool // slots a solution may bind
	certain []bool // slots every solution binds
	// pass is the mask of input slots the operator may see (see eval).
	pass []bool
}

func (e *evaluator) infoOf(op algebra.Op) *opInfo {
	if in, ok := e.info[op]; ok {
		return in
	}
	n := len(e.names)
	in := &opInfo{maybe: make([]bool, n), certain: make([]bool, n), pass: make([]bool, n)}
	for _, v := range algebra.MaybeVars(op) {
		in.maybe[e.slot(v)] = true
	}
	for v := range algebra.CertainVars(op) {
		in.certain[e.slot(v)] = true
	}
	switch o := op.(type) {
	case *algebra.Filter:
		fv := map[string]bool{}
		for _, x := range o.Exprs {
			algebra.ExprVars(x, fv)
		}
		e.passMask(in, o.Input, fv, "")
	case *algebra.Extend:
		fv := map[string]bool{}
		algebra.ExprVars(o.Expr, fv)
		e.passMask(in, o.Input, fv, o.Var)
	case *algebra.LeftJoin, *algebra.Minus:
		var l algebra.Op
		if lj, ok := o.(*algebra.LeftJoin); ok {
			l = lj.L
		} else {
			l = o.(*algebra.Minus).L
		}
		for v := range algebra.CertainVars(l) {
			in.pass[e.slot(v)] = true
		}
	}
	if len(e.names) != n { // new hidden slots were allocated meanwhile
		delete(e.info, op)
		return e.infoOf(op)
	}
	e.info[op] = in
	return in
}

// passMask lets through the input slots the child may bind, except those
// the expression reads that the child does not always bind: the expression
// must see the child's own value for them, unbound or not.
func (e *evaluator) passMask(in *opInfo, child algebra.Op, exprVars map[string]bool, bound string) {
	cert := algebra.CertainVars(child)
	for _, v := range algebra.MaybeVars(child) {
		if v == bound || (exprVars[v] && !cert[v]) {
			continue
		}
		in.pass[e.slot(v)] = true
	}
}

// restrict returns r with only the slots of mask kept, and whether
// anything was dropped.
func restrict(r row, mask []bool) (row, bool) {
	dropped := false
	for i, t := range r {
		if t != unbound && (i >= len(mask) || !mask[i]) {
			dropped = true
			break
		}
	}
	if !dropped {
		return r, false
	}
	out := make(row, len(r))
	for i, t := range r {
		if i < len(mask) && mask[i] {
			out[i] = t
		}
	}
	return out, true
}

// compatible reports whether a and b agree on every variable both bind.
func compatible(a, b row) bool {
	for i, t := range a {
		if t != unbound && b[i] != unbound && b[i] != t {
			return false
		}
	}
	return true
}

// merge returns a ∪ b for compatible rows, reusing a when b adds nothing.
func merge(a, b row) row {
	extra := false
	for i, t := range b {
		if t != unbound && a[i] == unbound {
			extra = true
			break
		}
	}
	if !extra {
		return a
	}
	out := make(row, len(a))
	copy(out, a)
	for i, t := range b {
		if out[i] == unbound {
			out[i] = t
		}
	}
	return out
}

func (e *evaluator) isEmpty(r row) bool {
	for _, t := range r {
		if t != unbound {
			return false
		}
	}
	return true
}

// eval returns the solutions of {in} ⋈ op with g as the active graph
// (graph.DefaultGraph for the dataset's default graph).
func (e *evaluator) eval(op algebra.Op, in row, g graph.Term) seq {
	s := e.evalOp(op, in, g)
	if e.prof != nil {
		return e.instrument(op, s)
	}
	return s
}

func (e *evaluator) evalOp(op algebra.Op, in row, g graph.Term) seq {
	switch op := op.(type) {
	case *algebra.BGP:
		return e.bgp(op, e.trace != nil && e.trace.Ordered[op], in, g)
	case *algebra.Path:
		return e.pathOp(op, in, g)
	case *algebra.Join:
		if s, ok := op.R.(*algebra.Service); ok && e.svc.h != nil && serviceShares(op.L, s) {
			return e.serviceJoin(op.L, s, nil, in, g) // bind join, in service.go
		}
		switch e.algorithm(op) {
		case optimizer.Merge:
			if len(e.subst) == 0 {
				return e.mergeJoin(op, in, g)
			}
		case optimizer.Hash:
			if len(e.subst) == 0 {
				return e.hashJoin(op, in, g)
			}
		}
		return func(yield func(row) bool) {
			for l := range e.eval(op.L, in, g) {
				for r := range e.eval(op.R, l, g) {
					if !yield(r) {
						return
					}
				}
			}
		}
	case *algebra.Union:
		return func(yield func(row) bool) {
			for r := range e.eval(op.L, in, g) {
				if !yield(r) {
					return
				}
			}
			for r := range e.eval(op.R, in, g) {
				if !yield(r) {
					return
				}
			}
		}
	case *algebra.LeftJoin:
		if s, ok := op.R.(*algebra.Service); ok && e.svc.h != nil && serviceShares(op.L, s) {
			return e.serviceJoin(op.L, s, op, in, g)
		}
		if e.algorithm(op) == optimizer.Hash && len(e.subst) == 0 {
			return e.hashLeftJoin(op, in, g)
		}
		return e.leftJoin(op, in, g)
	case *algebra.Filter:
		return e.filter(op, in, g)
	case *algebra.Minus:
		return e.minus(op, in, g)
	case *algebra.Graph:
		return e.graphOp(op, in)
	case *algebra.Extend:
		return e.extend(op, in, g)
	case *algebra.Table:
		return e.table(op, in)
	case *algebra.Group, *algebra.OrderBy, *algebra.Project, *algebra.Distinct,
		*algebra.Reduced, *algebra.Slice, *algebra.ToMultiSet:
		return e.independent(op, in, g)
	case *algebra.Service:
		return e.serviceOp(op, in, g)
	}
	e.fail(fmt.Errorf("eval: unknown operator %T", op))
	return func(func(row) bool) {}
}

// independent evaluates an operator whose result must not depend on outer
// bindings (a sub-query and its modifiers): with no relevant input it
// streams; otherwise its solutions are computed once per active graph,
// cached, and joined with the input.
func (e *evaluator) independent(op algebra.Op, in row, g graph.Term) seq {
	info := e.infoOf(op)
	rin, _ := restrict(in, info.maybe)
	if e.isEmpty(rin) && len(e.subst) == 0 {
		return func(yield func(row) bool) {
			for r := range e.modifier(op, g) {
				if !yield(merge(r, in)) {
					return
				}
			}
		}
	}
	return func(yield func(row) bool) {
		key := cacheKey{op, g}
		rows, ok := e.cache[key]
		if !ok || len(e.subst) > 0 {
			rows = nil
			var held int64
			for r := range e.modifier(op, g) {
				n := rowBytes(r)
				held += n
				if !e.reserve(n, "sub-query cache") {
					break
				}
				rows = append(rows, r)
			}
			if len(e.subst) > 0 {
				// Not cached: given back when this evaluation ends.
				defer e.release(held)
			}
			if e.err != nil {
				return
			}
			if len(e.subst) == 0 {
				e.cache[key] = rows
			}
		}
		for _, r := range rows {
			if !e.alive() {
				return
			}
			if compatible(r, in) && !yield(merge(r, in)) {
				return
			}
		}
	}
}

// modifier evaluates the operators of sub-queries with no input.
func (e *evaluator) modifier(op algebra.Op, g graph.Term) seq {
	switch op := op.(type) {
	case *algebra.Group:
		return e.group(op, g)
	case *algebra.OrderBy:
		return e.orderBy(op, g)
	case *algebra.Project:
		mask := make([]bool, len(e.names))
		for _, v := range op.Vars {
			mask[e.slot(v)] = true
		}
		return func(yield func(row) bool) {
			for r := range e.eval(op.Input, e.empty(), g) {
				out, _ := restrict(r, mask)
				if !yield(out) {
					return
				}
			}
		}
	case *algebra.Distinct:
		return e.distinct(op.Input, g)
	case *algebra.Reduced:
		return e.distinct(op.Input, g)
	case *algebra.Slice:
		if op.Limit >= 0 {
			in := op.Input
			for {
				p, ok := in.(*algebra.Project)
				if !ok {
					break
				}
				in = p.Input
			}
			if ob, ok := in.(*algebra.OrderBy); ok && op.Offset+op.Limit >= 0 && op.Offset+op.Limit <= maxTopK {
				// Only the first offset+limit sorted solutions are read.
				if e.topK == nil {
					e.topK = map[*algebra.OrderBy]int64{}
				}
				e.topK[ob] = op.Offset + op.Limit
			}
		}
		return func(yield func(row) bool) {
			var i int64
			for r := range e.eval(op.Input, e.empty(), g) {
				i++
				if i <= op.Offset {
					continue
				}
				if op.Limit >= 0 && i > op.Offset+op.Limit {
					return
				}
				if !yield(r) {
					return
				}
			}
		}
	case *algebra.ToMultiSet:
		return e.eval(op.Input, e.empty(), g)
	case *algebra.Service:
		return e.serviceOp(op, e.empty(), g)
	}
	return e.eval(op, e.empty(), g)
}

func (e *evaluator) distinct(input algebra.Op, g graph.Term) seq {
	return func(yield func(row) bool) {
		seen := map[string]struct{}{}
		var buf []byte
		var held int64
		defer func() { e.release(held) }()
		for r := range e.eval(input, e.empty(), g) {
			buf = rowKey(buf[:0], r)
			if _, ok := seen[string(buf)]; ok {
				continue
			}
			n := int64(len(buf)) + rowOverhead
			held += n
			if !e.reserve(n, "DISTINCT") {
				return
			}
			seen[string(buf)] = struct{}{}
			if !yield(r) {
				return
			}
		}
	}
}

// rowKey appends an injective encoding of r to b.
func rowKey(b []byte, r row) []byte {
	for _, t := range r {
		b = binary.LittleEndian.AppendUint64(b, t)
	}
	return b
}

func (e *evaluator) leftJoin(op *algebra.LeftJoin, in row, g graph.Term) seq {
	info := e.infoOf(op)
	lin, cut := restrict(in, info.pass)
	return func(yield func(row) bool) {
		for a := range e.eval(op.L, lin, g) {
			if cut && !compatible(a, in) {
				continue
			}
			matched := false
			for b := range e.eval(op.R, a, g) {
				if op.Expr != nil && !e.ebvOf(op.Expr, b, g) {
					continue
				}
				matched = true
				if cut {
					if !compatible(b, in) {
						continue
					}
					b = merge(b, in)
				}
				if !yield(b) {
					return
				}
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

func (e *evaluator) filter(op *algebra.Filter, in row, g graph.Term) seq {
	info := e.infoOf(op)
	fin, cut := restrict(in, info.pass)
	check := e.filterCheckOf(op)
	// The filter reads each input row only until the next: when its own
	// consumer does too, it passes them on as they are; when its input
	// can fill one row in place, it copies just the rows that pass.
	copyPassing := false
	switch {
	case e.transient[op]:
		e.markTransient(op.Input)
	case e.reusesRows(op.Input):
		e.markTransient(op.Input)
		copyPassing = true
	}
	return func(yield func(row) bool) {
		for r := range e.eval(op.Input, fin, g) {
			if !e.passes(check, r, g) {
				continue
			}
			if cut {
				if !compatible(r, in) {
					continue
				}
				r = merge(r, in)
			}
			if copyPassing {
				r = slices.Clone(r)
			}
			if !yield(r) {
				return
			}
		}
	}
}

func (e *evaluator) extend(op *algebra.Extend, in row, g graph.Term) seq {
	info := e.infoOf(op)
	xin, cut := restrict(in, info.pass)
	s := e.slot(op.Var)
	return func(yield func(row) bool) {
		for r := range e.eval(op.Input, xin, g) {
			if t, ok := e.exprIn(op.Expr, r, g); ok {
				v := e.dict.id(t)
				if r[s] == unbound {
					nr := make(row, len(r))
					copy(nr, r)
					nr[s] = v
					r = nr
				} else if r[s] != v {
					continue
				}
			}
			if cut {
				if !compatible(r, in) {
					continue
				}
				r = merge(r, in)
			}
			if !yield(r) {
				return
			}
		}
	}
}

func (e *evaluator) minus(op *algebra.Minus, in row, g graph.Term) seq {
	info := e.infoOf(op)
	lin, cut := restrict(in, info.pass)
	return func(yield func(row) bool) {
		var right []row
		collect := func() int64 {
			var held int64
			for r := range e.eval(op.R, e.empty(), g) {
				n := rowBytes(r)
				held += n
				if !e.reserve(n, "MINUS") {
					break
				}
				right = append(right, r)
			}
			return held
		}
		if len(e.subst) == 0 {
			key := cacheKey{op, g}
			var ok bool
			if right, ok = e.cache[key]; !ok {
				collect()
				if e.err == nil {
					e.cache[key] = right
				}
			}
		} else {
			defer e.release(collect())
		}
		if e.err != nil {
			return
		}
	next:
		for a := range e.eval(op.L, lin, g) {
			for _, b := range right {
				if compatible(a, b) && shares(a, b) {
					continue next
				}
			}
			if cut {
				if !compatible(a, in) {
					continue
				}
				a = merge(a, in)
			}
			if !yield(a) {
				return
			}
		}
	}
}

// shares reports whether a and b bind a common variable.
func shares(a, b row) bool {
	for i, t := range a {
		if t != unbound && b[i] != unbound {
			return true
		}
	}
	return false
}

func (e *evaluator) table(op *algebra.Table, in row) seq {
	slots := make([]int, len(op.Vars))
	for i, v := range op.Vars {
		slots[i] = e.slot(v)
	}
	return func(yield func(row) bool) {
	rows:
		for _, tr := range op.Rows {
			r := make(row, len(in))
			copy(r, in)
			for i, term := range tr {
				t := e.dict.id(term)
				if t == unbound {
					continue
				}
				s := slots[i]
				if r[s] != unbound && r[s] != t {
					continue rows
				}
				r[s] = t
			}
			if !yield(r) {
				return
			}
		}
	}
}

// namedGraphs streams the visible named graphs.
func (e *evaluator) namedGraphs() iter.Seq[graph.Term] {
	return func(yield func(graph.Term) bool) {
		if e.named != nil {
			for _, g := range e.ds.Named {
				if !yield(g) {
					return
				}
			}
			return
		}
		for g, err := range e.r.Graphs(e.ctx) {
			if err != nil {
				e.fail(fmt.Errorf("list graphs: %w", err))
				return
			}
			if !yield(g) {
				return
			}
		}
	}
}

func (e *evaluator) isNamed(g graph.Term) bool {
	if g.IsDefaultGraph() || g.IsZero() || g.IsLiteral() {
		return false
	}
	if e.named != nil {
		return e.named[g]
	}
	ok, err := e.r.HasGraph(e.ctx, g)
	if err != nil {
		e.fail(fmt.Errorf("graph %s: %w", g, err))
		return false
	}
	return ok
}

func (e *evaluator) graphOp(op *algebra.Graph, in row) seq {
	return func(yield func(row) bool) {
		if !op.Name.IsVar() {
			if !e.isNamed(op.Name.Term) {
				return
			}
			for r := range e.eval(op.Input, in, op.Name.Term) {
				if !yield(r) {
					return
				}
			}
			return
		}
		s := e.slot(op.Name.Var)
		if in[s] != unbound {
			bound := e.dict.term(in[s])
			if !e.isNamed(bound) {
				return
			}
			for r := range e.eval(op.Input, in, bound) {
				if !yield(r) {
					return
				}
			}
			return
		}
		var graphs []graph.Term
		for g := range e.namedGraphs() {
			graphs = append(graphs, g)
		}
		for _, g := range graphs {
			gin := make(row, len(in))
			copy(gin, in)
			gin[s] = e.dict.id(g)
			for r := range e.eval(op.Input, gin, g) {
				if !yield(r) {
					return
				}
			}
		}
	}
}
