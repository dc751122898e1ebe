package optimizer

import (
	"math"
	"strings"

	"github.com/tessera-fair/tessera/sparql/algebra"
)

// Cost model of the join algorithm choice, in units of "one solution read
// from an index scan". Measured on badgerstore (1M-triple catalogue,
// id-level evaluation): a scan reads a solution in about 0.5 µs, a lookup
// with bound terms (transaction, iterator, seek through the table index
// and a block) takes 12–16 µs, and putting a solution in a hash table
// about 1 µs.
const (
	probeCost   = 24.0 // one index lookup with the left side's bindings
	buildCost   = 2.0  // reading one right-side solution into a hash table
	mergeCost   = 1.0  // reading one right-side solution of a merge join
	minHashRows = 100  // below this a side is not "large"
)

// scope is what pass 3 knows about where an operator is evaluated: the
// variables its input solutions bind and how many times it runs.
type scope struct {
	bound map[string]bool
	outer float64
}

func topContext() scope { return scope{outer: 1} }

// step is one element of a flattened join: a triple pattern or another
// operator.
type step struct {
	triple  *algebra.Triple
	op      algebra.Op
	certain map[string]bool
	vars    map[string]bool
}

func (o *opt) tripleStep(t algebra.Triple) step {
	s := step{triple: &t, certain: map[string]bool{}, vars: map[string]bool{}}
	for _, n := range []algebra.Node{t.S, t.P, t.O} {
		if n.IsVar() {
			s.certain[n.Var] = true
			s.vars[n.Var] = true
		}
	}
	return s
}

func (o *opt) opStep(op algebra.Op) step {
	s := step{op: op, certain: algebra.CertainVars(op), vars: map[string]bool{}}
	for _, v := range algebra.MaybeVars(op) {
		s.vars[v] = true
	}
	return s
}

func (s step) String() string {
	if s.triple != nil {
		return algebra.Format(&algebra.BGP{Triples: []algebra.Triple{*s.triple}})
	}
	f := algebra.Format(s.op)
	if i := strings.IndexByte(f, '\n'); i >= 0 {
		f = f[:i] + " …"
	}
	return f
}

// flatten appends the steps of a join tree to out.
func (o *opt) flatten(op algebra.Op, out []step) []step {
	switch op := op.(type) {
	case *algebra.Join:
		return o.flatten(op.R, o.flatten(op.L, out))
	case *algebra.BGP:
		for _, t := range op.Triples {
			out = append(out, o.tripleStep(t))
		}
		return out
	}
	return append(out, o.opStep(op))
}

func (o *opt) stepEst(s step, bound map[string]bool) float64 {
	if s.triple != nil {
		return o.tripleEst(*s.triple, bound)
	}
	return o.estimate(s.op, bound)
}

// order orders steps greedily: at each point the cheapest step connected
// to what is bound (or producing at most one solution), a cartesian
// product only when nothing is connected. A step's cost counts the
// selectivity of the conditions of es it completes, so that a selective
// FILTER pulls its pattern forward. It returns the order and the
// estimated solutions per input solution.
func (o *opt) order(steps []step, bound map[string]bool, es []algebra.Expr) ([]int, float64) {
	b := union(bound, nil)
	cert := map[string]bool{}
	evars := make([]map[string]bool, len(es))
	for i, e := range es {
		evars[i] = exprVars(e)
	}
	applied := make([]bool, len(es))
	used := make([]bool, len(steps))
	ord := make([]int, 0, len(steps))
	rows := 1.0
	for range steps {
		best, bestEst, bestConn := -1, 0.0, false
		anyReady := false
		for i, s := range steps {
			anyReady = anyReady || (!used[i] && ready(s, b))
		}
		for i, s := range steps {
			if used[i] || (anyReady && !ready(s, b)) {
				continue
			}
			est := o.stepEst(s, b)
			for j, e := range es {
				if !applied[j] && completes(evars[j], cert, s.certain) {
					est *= selectivity(e)
				}
			}
			conn := est <= 1
			for v := range s.vars {
				if b[v] {
					conn = true
					break
				}
			}
			if best < 0 || (conn && !bestConn) || (conn == bestConn && est < bestEst) {
				best, bestEst, bestConn = i, est, conn
			}
		}
		used[best] = true
		ord = append(ord, best)
		rows *= bestEst
		// Estimates treat every variable a step may bind as bound (a
		// sub-query's GROUP BY keys are not "certain" but are the join
		// keys); filter placement needs certain ones.
		for v := range steps[best].vars {
			b[v] = true
		}
		for v := range steps[best].certain {
			cert[v] = true
		}
		for j := range es {
			if subset(evars[j], cert) {
				applied[j] = true
			}
		}
	}
	return ord, rows
}

// ready reports whether step s may run with the variables of b bound:
// SERVICE ?var needs ?var bound by an earlier step (its endpoint), so it
// never goes first while another step could bind it.
func ready(s step, b map[string]bool) bool {
	sv, ok := s.op.(*algebra.Service)
	return !ok || !sv.Name.IsVar() || b[sv.Name.Var]
}

// completes reports whether the variables vs are all in have ∪ add.
func completes(vs, have, add map[string]bool) bool {
	for v := range vs {
		if !have[v] && !add[v] {
			return false
		}
	}
	return true
}

func (o *opt) setEst(op algebra.Op, rows float64) {
	o.tr.Estimates[op] = rows
}

// plan is pass 3: join order, filter placement and join algorithms,
// top-down so that each operator knows its scope.
func (o *opt) plan(op algebra.Op, sc scope) algebra.Op {
	switch n := op.(type) {
	case *algebra.BGP, *algebra.Join:
		if _, ok := op.(*algebra.Join); ok {
			o.tr.fire(RuleFlattenJoin, "%d steps", len(o.flatten(op, nil)))
		}
		return o.planJoin(o.flatten(op, nil), nil, sc)
	case *algebra.Filter:
		exprs := o.planExprs(n.Exprs, union(sc.bound, algebra.CertainVars(n.Input)))
		switch n.Input.(type) {
		case *algebra.BGP, *algebra.Join:
			if _, ok := n.Input.(*algebra.Join); ok {
				o.tr.fire(RuleFlattenJoin, "%d steps", len(o.flatten(n.Input, nil)))
			}
			return o.planJoin(o.flatten(n.Input, nil), exprs, sc)
		}
		in := o.plan(n.Input, sc)
		f := &algebra.Filter{Exprs: exprs, Input: in}
		rows := o.tr.Estimates[in]
		for _, e := range exprs {
			rows *= selectivity(e)
		}
		o.setEst(f, rows)
		return f
	case *algebra.LeftJoin:
		return o.planLeftJoin(n, sc)
	case *algebra.Union:
		u := &algebra.Union{L: o.plan(n.L, sc), R: o.plan(n.R, sc)}
		o.setEst(u, o.tr.Estimates[u.L]+o.tr.Estimates[u.R])
		return u
	case *algebra.Minus:
		m := &algebra.Minus{L: o.plan(n.L, sc), R: o.plan(n.R, topContext())}
		o.setEst(m, o.tr.Estimates[m.L])
		return m
	case *algebra.Graph:
		in := sc
		if n.Name.IsVar() {
			in.bound = union(sc.bound, map[string]bool{n.Name.Var: true})
		}
		g := &algebra.Graph{Name: n.Name}
		o.inGraph(n.Name, func() { g.Input = o.plan(n.Input, in) })
		o.setEst(g, o.tr.Estimates[g.Input])
		return g
	case *algebra.Extend:
		x := &algebra.Extend{Input: o.plan(n.Input, sc), Var: n.Var, Expr: o.planExpr(n.Expr, union(sc.bound, algebra.CertainVars(n.Input)))}
		o.setEst(x, o.tr.Estimates[x.Input])
		return x
	case *algebra.Group, *algebra.OrderBy, *algebra.Project, *algebra.Distinct,
		*algebra.Reduced, *algebra.Slice, *algebra.ToMultiSet:
		// Sub-query boundaries: the input is evaluated on its own, once.
		out := rebuild(op, func(c algebra.Op) algebra.Op { return o.plan(c, topContext()) })
		o.setEst(out, o.estimate(out, nil))
		return out
	}
	o.setEst(op, sc.outer*o.estimate(op, sc.bound))
	return op
}

// planExprs optimizes the patterns of the EXISTS in es, evaluated with
// the variables of bound substituted.
func (o *opt) planExprs(es []algebra.Expr, bound map[string]bool) []algebra.Expr {
	out := make([]algebra.Expr, len(es))
	for i, e := range es {
		out[i] = o.planExpr(e, bound)
	}
	return out
}

func (o *opt) planExpr(e algebra.Expr, bound map[string]bool) algebra.Expr {
	if !hasExists(e) {
		return e
	}
	switch x := e.(type) {
	case *algebra.Exists:
		// Run once per solution: never a hash join inside.
		return &algebra.Exists{Not: x.Not, Op: o.plan(x.Op, scope{bound: bound, outer: math.Inf(1)})}
	case *algebra.Binary:
		return &algebra.Binary{Op: x.Op, X: o.planExpr(x.X, bound), Y: o.planExpr(x.Y, bound)}
	case *algebra.Unary:
		return &algebra.Unary{Op: x.Op, X: o.planExpr(x.X, bound)}
	case *algebra.In:
		return &algebra.In{Not: x.Not, X: o.planExpr(x.X, bound), List: o.planExprs(x.List, bound)}
	case *algebra.Call:
		return &algebra.Call{Func: x.Func, Args: o.planExprs(x.Args, bound)}
	case *algebra.FuncCall:
		return &algebra.FuncCall{IRI: x.IRI, Args: o.planExprs(x.Args, bound)}
	}
	return e
}

// lookups estimates the index lookups one evaluation of op costs.
func lookups(op algebra.Op) float64 {
	n := 0
	algebra.Walk(op, func(c algebra.Op) {
		switch c := c.(type) {
		case *algebra.BGP:
			n += len(c.Triples)
		case *algebra.Path:
			n++
		}
	})
	return math.Max(1, float64(n))
}

func maybe(op algebra.Op) map[string]bool {
	out := map[string]bool{}
	for _, v := range algebra.MaybeVars(op) {
		out[v] = true
	}
	return out
}

func shares(a, b map[string]bool) bool {
	for v := range a {
		if b[v] {
			return true
		}
	}
	return false
}

// isSubQuery reports whether op is evaluated on its own and cached by the
// evaluator, so that a nested-loop join scans all its solutions per probe.
func isSubQuery(op algebra.Op) bool {
	switch op.(type) {
	case *algebra.Group, *algebra.OrderBy, *algebra.Project, *algebra.Distinct,
		*algebra.Reduced, *algebra.Slice, *algebra.ToMultiSet:
		return true
	}
	return false
}

// probe estimates the cost of one nested-loop evaluation of a right side
// that produces alone solutions on its own.
func probe(op algebra.Op, alone float64) float64 {
	switch {
	case op == nil:
		return probeCost
	case isSubQuery(op):
		return math.Max(probeCost, alone)
	}
	return probeCost * lookups(op)
}

// chooseHash decides between nested-loop and hash join for a right side
// that produces alone solutions on its own and fan per left solution,
// after left solutions, one nested-loop evaluation costing cost.
func chooseHash(left, alone, fan, cost float64) bool {
	if left < minHashRows || alone < minHashRows {
		return false
	}
	nl := left * (cost + fan)
	hash := alone*buildCost + left*(1+fan)
	return hash < nl
}

// starTriple reports whether t can be a branch of a merge join: a
// variable subject, a constant predicate, and an object other than the
// subject.
func starTriple(t algebra.Triple) bool {
	return t.S.IsVar() && !t.P.IsVar() && !(t.O.IsVar() && t.O.Var == t.S.Var)
}

// wouldMerge reports whether step s, joined by hash to what precedes it
// (the join acc so far and the triples run not yet flushed into it),
// becomes a merge join: s is a star triple on a subject variable that
// the left side is sorted by once it is a BGP or a merge join.
func (o *opt) wouldMerge(acc algebra.Op, run []algebra.Triple, s step) bool {
	if s.triple == nil || !starTriple(*s.triple) {
		return false
	}
	v := s.triple.S.Var
	switch {
	case acc == nil && len(run) > 0:
		return algebra.CertainVars(&algebra.BGP{Triples: run})[v]
	case acc != nil && len(run) == 0:
		return o.mergeable(acc, v)
	}
	return false
}

// chooseMerge is chooseHash for a right side that would be merge-joined:
// it is read once, in subject order (mergeCost a solution, no table), and
// the left side is sorted or read in order too.
func chooseMerge(left, alone, fan float64) bool {
	if left < minHashRows || alone < minHashRows {
		return false
	}
	nl := left * (probeCost + fan)
	merge := alone*mergeCost + left*(1+fan)
	return merge < nl
}

// mergeable reports whether a star pattern on subject variable v can be
// merged with op: a BGP, filtered or not, that always binds v (its
// solutions are sorted by v for the merge) or a merge join on v.
func (o *opt) mergeable(op algebra.Op, v string) bool {
	switch op := op.(type) {
	case *algebra.Filter:
		_, bgp := op.Input.(*algebra.BGP)
		return bgp && algebra.CertainVars(op.Input)[v]
	case *algebra.BGP:
		return algebra.CertainVars(op)[v]
	case *algebra.Join:
		if o.tr.Algorithms[op] == Merge {
			b := op.R.(*algebra.BGP)
			return b.Triples[0].S.Var == v
		}
	}
	return false
}

func (o *opt) planLeftJoin(n *algebra.LeftJoin, sc scope) algebra.Op {
	l := o.plan(n.L, sc)
	left := o.tr.Estimates[l]
	lcert := algebra.CertainVars(n.L)
	rb := union(sc.bound, lcert)
	fan := o.estimate(n.R, rb)
	hash := false
	switch {
	case sc.outer > 1:
	case o.cfg.AlwaysHash:
		hash = true
	case shares(maybe(n.L), maybe(n.R)):
		alone := o.estimate(n.R, sc.bound)
		hash = chooseHash(left, alone, fan, probe(n.R, alone))
	}
	var r algebra.Op
	if hash {
		r = o.plan(n.R, sc)
	} else {
		r = o.plan(n.R, scope{bound: rb, outer: left})
	}
	var expr algebra.Expr
	if n.Expr != nil {
		expr = o.planExpr(n.Expr, union(rb, algebra.CertainVars(n.R)))
	}
	lj := &algebra.LeftJoin{L: l, R: r, Expr: expr}
	if hash {
		o.tr.Algorithms[lj] = Hash
		o.tr.fire(RuleHashLeftJoin, "left ≈%.0f, right ≈%.0f on its own", left, o.tr.Estimates[r])
	}
	o.setEst(lj, left*math.Max(1, fan))
	return lj
}

// planJoin orders the steps of one join, places the filter conditions es
// after the step that binds their last variable, picks each join's
// algorithm and builds the left-deep tree: consecutive triple patterns
// joined by nested loop become one ordered BGP.
func (o *opt) planJoin(steps []step, es []algebra.Expr, sc scope) algebra.Op {
	if len(steps) == 0 {
		b := &algebra.BGP{}
		o.setEst(b, sc.outer)
		return wrap(es, b)
	}
	ord, _ := o.order(steps, sc.bound, es)
	for k, i := range ord {
		if k != i {
			var names []string
			for _, j := range ord {
				names = append(names, steps[j].String())
			}
			o.tr.fire(RuleReorderJoin, "%s", strings.Join(names, " ⋈ "))
			break
		}
	}
	// Where each condition goes: after step place[e] of the order, or at
	// the top (len(ord)) when no prefix binds all its variables.
	place := make([]int, len(es))
	cert := map[string]bool{}
	for k := range place {
		place[k] = len(ord) - 1
	}
	placed := make([]bool, len(es))
	for k, i := range ord {
		for v := range steps[i].certain {
			cert[v] = true
		}
		for j, e := range es {
			if !placed[j] && subset(exprVars(e), cert) {
				place[j], placed[j] = k, true
			}
		}
	}
	var (
		acc   algebra.Op
		run   []algebra.Triple
		rows  = sc.outer
		bound = union(sc.bound, nil)
	)
	cert = map[string]bool{}
	flush := func() {
		if len(run) == 0 {
			return
		}
		b := &algebra.BGP{Triples: run}
		run = nil
		o.tr.Ordered[b] = true
		o.setEst(b, rows)
		if acc == nil {
			acc = b
			return
		}
		j := &algebra.Join{L: acc, R: b}
		o.setEst(j, rows)
		acc = j
	}
	for k, i := range ord {
		s := steps[i]
		fan := o.stepEst(s, bound)
		hash := false
		var alone float64
		if k > 0 && sc.outer <= 1 && o.cfg.AlwaysHash {
			alone, hash = o.stepEst(s, sc.bound), true
		} else if k > 0 && sc.outer <= 1 && shares(s.vars, cert) {
			alone = o.stepEst(s, sc.bound)
			if o.wouldMerge(acc, run, s) {
				hash = chooseMerge(rows, alone, fan)
			} else {
				hash = chooseHash(rows, alone, fan, probe(s.op, alone))
			}
		}
		if s.triple != nil && !hash {
			run = append(run, *s.triple)
		} else {
			flush()
			var r algebra.Op
			switch {
			case s.triple != nil:
				b := &algebra.BGP{Triples: []algebra.Triple{*s.triple}}
				o.tr.Ordered[b] = true
				o.setEst(b, alone)
				r = b
			case hash || k == 0:
				r = o.plan(s.op, sc)
			default:
				r = o.plan(s.op, scope{bound: bound, outer: rows})
			}
			if acc == nil {
				acc = r
			} else {
				j := &algebra.Join{L: acc, R: r}
				if hash {
					o.tr.Algorithms[j] = Hash
					o.tr.fire(RuleHashJoin, "left ≈%.0f ⋈ %s ≈%.0f on its own", rows, s, alone)
					if s.triple != nil && starTriple(*s.triple) && o.mergeable(acc, s.triple.S.Var) {
						o.tr.Algorithms[j] = Merge
						o.tr.fire(RuleMergeJoin, "on ?%s", s.triple.S.Var)
					}
				}
				acc = j
			}
		}
		rows *= fan
		for v := range s.vars {
			bound[v] = true
			cert[v] = true
		}
		if acc != nil && len(run) == 0 {
			o.setEst(acc, rows)
		}
		var here []algebra.Expr
		for j, e := range es {
			if placed[j] && place[j] == k {
				here = append(here, e)
			}
		}
		if len(here) == 0 {
			continue
		}
		flush()
		o.setEst(acc, rows)
		if k < len(ord)-1 {
			rule := RulePushFilterJoin
			if s.triple != nil && steps[ord[k+1]].triple != nil {
				rule = RulePushFilterBGP
			}
			var names []string
			for _, e := range here {
				names = append(names, algebra.FormatExpr(e))
			}
			o.tr.fire(rule, "%s after %s", strings.Join(names, " "), s)
		}
		for _, e := range here {
			rows *= selectivity(e)
		}
		acc = &algebra.Filter{Exprs: here, Input: acc}
		o.setEst(acc, rows)
	}
	flush()
	var rest []algebra.Expr
	for j, e := range es {
		if !placed[j] {
			rest = append(rest, e)
			rows *= selectivity(e)
		}
	}
	if len(rest) > 0 {
		acc = &algebra.Filter{Exprs: rest, Input: acc}
		o.setEst(acc, rows)
	}
	return acc
}
