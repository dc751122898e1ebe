package schema

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/graphql-go/graphql"
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/ontology"
	"github.com/tessera-fair/tessera/schema/model"
	"github.com/tessera-fair/tessera/schema/resource"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
)

// errRowLimit ends a query whose result is larger than the request allows.
var errRowLimit = errors.New("schema: query result too large")

// reqState is what the resolvers of one request share: the snapshot, the
// ontology, the caller's visible graphs, the batch loader and the log of
// executed queries. It travels in the context.
type reqState struct {
	ctx     context.Context
	b       *built
	r       graph.Reader // the whole snapshot: catalogue data
	view    graph.Reader // the caller's visible graphs: record data
	ont     *ontology.Ontology
	eval    eval.Options
	maxRows int

	mu      sync.Mutex
	queries int
	explain []string
	pending map[*fieldInfo]map[graph.Term]bool
	done    map[*fieldInfo]map[graph.Term][]graph.Term
	nested  map[nestedKey]*nestedReq

	classMemo map[*typeInfo][]graph.Term
}

type stateKey struct{}

func withState(ctx context.Context, st *reqState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

func stateOf(ctx context.Context) (*reqState, error) {
	if ctx != nil {
		if st, ok := ctx.Value(stateKey{}).(*reqState); ok {
			return st, nil
		}
	}
	return nil, errors.New("schema: resolver called outside a Service request")
}

func newState(ctx context.Context, b *built, r graph.Reader, ont *ontology.Ontology, vis []graph.Term, opts eval.Options, maxRows int) *reqState {
	return &reqState{ctx: ctx, b: b, r: r, view: newVisibleReader(r, vis), ont: ont, eval: opts, maxRows: maxRows,
		pending: map[*fieldInfo]map[graph.Term]bool{}, done: map[*fieldInfo]map[graph.Term][]graph.Term{},
		nested: map[nestedKey]*nestedReq{}, classMemo: map[*typeInfo][]graph.Term{}}
}

func (st *reqState) compiler() *compiler {
	return &compiler{b: st.b, ont: st.ont, st: st}
}

// filterClasses are the classes a field's values must be instances of
// (model.Field.Filter): the classes of the filter's own type when it has
// one, else the filter class with its subclasses and equivalents. Nil
// when the field has no filter.
func (st *reqState) filterClasses(fi *fieldInfo) []graph.Term {
	f := fi.f.Filter
	if f.IsZero() {
		return nil
	}
	for _, t := range st.b.model.Types {
		if t != nil && t.Class == f {
			if ti := st.b.types[t.Name]; ti != nil {
				return st.classes(ti)
			}
		}
	}
	if st.ont == nil {
		return []graph.Term{f}
	}
	return st.ont.Descendants(f, true)
}

// classPattern matches v rdf:type one of cls (record: from visible
// graphs): a triple with the class as a constant when there is one, so
// that the optimizer sees it, else a VALUES table joined with the triple.
func classPattern(c *compiler, v string, cls []graph.Term, record bool) algebra.Op {
	c.useRecords(record)
	if len(cls) == 1 {
		return &algebra.BGP{Triples: []algebra.Triple{{S: algebra.V(v), P: algebra.T(graph.IRI(rdfType)), O: algebra.T(cls[0])}}}
	}
	cv := c.fresh("_c")
	rows := make([][]graph.Term, len(cls))
	for i, t := range cls {
		rows[i] = []graph.Term{t}
	}
	return &algebra.Join{
		L: &algebra.Table{Vars: []string{cv}, Rows: rows},
		R: &algebra.BGP{Triples: []algebra.Triple{{S: algebra.V(v), P: algebra.T(graph.IRI(rdfType)), O: algebra.V(cv)}}},
	}
}

// typed restricts op to the solutions where v is an instance of one of
// cls: a joined triple for one class (the optimizer places it), a filter
// for several.
func typed(c *compiler, op algebra.Op, v string, cls []graph.Term, record bool) algebra.Op {
	if len(cls) == 1 {
		return &algebra.Join{L: op, R: classPattern(c, v, cls, record)}
	}
	return &algebra.Filter{Exprs: []algebra.Expr{classCheck(c, v, cls, record)}, Input: op}
}

// classCheck is EXISTS { v rdf:type ?c FILTER(?c IN cls) }: the type test
// of a resource another pattern has already bound, as a filter so that
// the optimizer does not start from all instances of the class.
func classCheck(c *compiler, v string, cls []graph.Term, record bool) algebra.Expr {
	c.useRecords(record)
	cv := c.fresh("_c")
	in := make([]algebra.Expr, len(cls))
	for i, t := range cls {
		in[i] = &algebra.Const{Term: t}
	}
	return &algebra.Exists{Op: &algebra.Filter{
		Exprs: []algebra.Expr{&algebra.In{X: &algebra.Var{Name: cv}, List: in}},
		Input: &algebra.BGP{Triples: []algebra.Triple{{S: algebra.V(v), P: algebra.T(graph.IRI(rdfType)), O: algebra.V(cv)}}},
	}}
}

// valuePattern is s path o restricted to the field's filter class and, for
// record fields, to visible graphs.
func (st *reqState) valuePattern(c *compiler, fi *fieldInfo, s, o string) algebra.Op {
	c.useRecords(fi.record)
	var op algebra.Op = pathPattern(algebra.V(s), fi.path, algebra.V(o))
	if cls := st.filterClasses(fi); cls != nil {
		op = typed(c, op, o, cls, fi.record)
	}
	return op
}

// selectRows runs op projected on vars and collects the rows. Every query
// a request runs goes through here: it is counted and, for explain, printed.
func (st *reqState) selectRows(op algebra.Op, vars []string, records bool) ([][]graph.Term, error) {
	if err := st.ctx.Err(); err != nil {
		return nil, err
	}
	q := &algebra.Query{Form: algebra.Select, Op: &algebra.Project{Input: op, Vars: vars}, Vars: vars}
	st.mu.Lock()
	st.queries++
	st.explain = append(st.explain, algebra.Format(q.Op))
	st.mu.Unlock()
	r := st.r
	if records {
		r = st.view
	}
	res, err := eval.Query(st.ctx, r, q, st.eval)
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	var rows [][]graph.Term
	for row, err := range res.Solutions {
		if err != nil {
			return nil, fmt.Errorf("evaluate: %w", err)
		}
		if st.maxRows > 0 && len(rows) >= st.maxRows {
			return nil, fmt.Errorf("%w (more than %d rows)", errRowLimit, st.maxRows)
		}
		rows = append(rows, slices.Clone(row))
	}
	return rows, nil
}

// classes are the classes whose instances are of type ti: its classes and,
// through the ontology, their subclasses and equivalents — except the
// subclasses that have a type of their own, whose instances that type
// lists (DCAT 3 makes dcat:Catalog a subclass of dcat:Dataset, but
// catalogues are listed by catalogs, not datasets).
func (st *reqState) classes(ti *typeInfo) []graph.Term {
	st.mu.Lock()
	if cs, ok := st.classMemo[ti]; ok {
		st.mu.Unlock()
		return cs
	}
	st.mu.Unlock()
	expand := func(t *model.Type) []graph.Term {
		base := t.Classes
		if len(base) == 0 {
			base = []graph.Term{t.Class}
		}
		var out []graph.Term
		for _, c := range base {
			if st.ont == nil {
				out = append(out, c)
				continue
			}
			out = append(out, st.ont.Descendants(c, true)...)
		}
		return out
	}
	own := map[graph.Term]bool{}
	for _, c := range expand(ti.t) {
		own[c] = true
	}
	excluded := map[graph.Term]bool{}
	for _, u := range st.b.model.Types {
		if u == nil || u == ti.t || !own[u.Class] {
			continue
		}
		if st.ont != nil && st.ont.IsA(ti.t.Class, u.Class) {
			continue // equivalent classes: not a proper subclass
		}
		for _, c := range expand(u) {
			excluded[c] = true
		}
	}
	var out []graph.Term
	for c := range own {
		if !excluded[c] {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, graph.Compare)
	st.mu.Lock()
	st.classMemo[ti] = out
	st.mu.Unlock()
	return out
}

// typePattern matches the instances of ti in variable s.
func (st *reqState) typePattern(c *compiler, ti *typeInfo, s string) algebra.Op {
	return classPattern(c, s, st.classes(ti), ti.record)
}

// want registers that the values of fi for s will be needed; get loads
// every registered value at once the first time one is read. Resolvers call
// want when they run and get from a thunk, which graphql-go calls breadth
// first, after every resolver of the level has registered: one query per
// level, not per node.
func (st *reqState) want(fi *fieldInfo, s graph.Term) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.done[fi][s]; ok {
		return
	}
	m := st.pending[fi]
	if m == nil {
		m = map[graph.Term]bool{}
		st.pending[fi] = m
	}
	m[s] = true
}

func (st *reqState) get(fi *fieldInfo, s graph.Term) ([]graph.Term, error) {
	st.mu.Lock()
	vals, ok := st.done[fi][s]
	st.mu.Unlock()
	if ok {
		return vals, nil
	}
	if err := st.flush(); err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.done[fi][s], nil
}

// flush loads every pending field value in one query, then every pending
// nested list (one query per distinct list field and arguments).
func (st *reqState) flush() error {
	st.mu.Lock()
	pending := st.pending
	st.pending = map[*fieldInfo]map[graph.Term]bool{}
	var nested []*nestedReq
	for _, n := range st.nested {
		if !n.loaded {
			nested = append(nested, n)
		}
	}
	st.mu.Unlock()
	if len(pending) > 0 {
		if err := st.loadFields(pending); err != nil {
			return err
		}
	}
	sort.Slice(nested, func(i, j int) bool { return nested[i].key.args < nested[j].key.args })
	for _, n := range nested {
		if err := st.loadNested(n); err != nil {
			return err
		}
	}
	return nil
}

func (st *reqState) loadFields(pending map[*fieldInfo]map[graph.Term]bool) error {
	// Catalogue fields and record fields are read from different views of
	// the snapshot: one query each (at most two per level).
	var cat, rec []*fieldInfo
	for fi := range pending {
		if fi.record {
			rec = append(rec, fi)
		} else {
			cat = append(cat, fi)
		}
	}
	for _, fis := range [][]*fieldInfo{cat, rec} {
		if len(fis) == 0 {
			continue
		}
		sort.Slice(fis, func(i, j int) bool { return fieldOrder(fis[i]) < fieldOrder(fis[j]) })
		if err := st.loadFieldSet(fis, pending); err != nil {
			return err
		}
	}
	return nil
}

func (st *reqState) loadFieldSet(fis []*fieldInfo, pending map[*fieldInfo]map[graph.Term]bool) error {
	c := st.compiler()
	var union algebra.Op
	for i, fi := range fis {
		subjects := make([]graph.Term, 0, len(pending[fi]))
		for s := range pending[fi] {
			subjects = append(subjects, s)
		}
		sort.Slice(subjects, func(a, b int) bool { return graph.Compare(subjects[a], subjects[b]) < 0 })
		rows := make([][]graph.Term, len(subjects))
		for k, s := range subjects {
			rows[k] = []graph.Term{s}
		}
		pat := st.valuePattern(c, fi, "s", "o")
		var branch algebra.Op = &algebra.Extend{
			Input: &algebra.Join{L: &algebra.Table{Vars: []string{"s"}, Rows: rows}, R: pat},
			Var:   "f", Expr: &algebra.Const{Term: graph.Literal(strconv.Itoa(i), graph.XSDInteger)},
		}
		if union == nil {
			union = branch
		} else {
			union = &algebra.Union{L: union, R: branch}
		}
	}
	rows, err := st.selectRows(&algebra.Distinct{Input: &algebra.Project{Input: union, Vars: []string{"s", "f", "o"}}}, []string{"s", "f", "o"}, c.records)
	if err != nil {
		return err
	}
	got := make([]map[graph.Term][]graph.Term, len(fis))
	for i := range got {
		got[i] = map[graph.Term][]graph.Term{}
	}
	for _, row := range rows {
		i, err := strconv.Atoi(row[1].Value())
		if err != nil || i < 0 || i >= len(fis) {
			continue
		}
		got[i][row[0]] = append(got[i][row[0]], row[2])
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	for i, fi := range fis {
		d := st.done[fi]
		if d == nil {
			d = map[graph.Term][]graph.Term{}
			st.done[fi] = d
		}
		for s := range pending[fi] {
			vals := got[i][s]
			sort.Slice(vals, func(a, b int) bool { return graph.Compare(vals[a], vals[b]) < 0 })
			if vals == nil {
				vals = []graph.Term{}
			}
			d[s] = vals
		}
	}
	return nil
}

func fieldOrder(fi *fieldInfo) string {
	owner := ""
	if fi.owner != nil {
		owner = fi.owner.t.Name
	}
	return owner + "." + fi.f.Name
}

// nestedKey identifies one list-valued object field with one set of
// arguments: every parent asking for it is served by one query.
type nestedKey struct {
	fi   *fieldInfo
	args string
}

type nestedReq struct {
	key     nestedKey
	target  *typeInfo
	args    map[string]any
	parents map[graph.Term]bool
	loaded  bool
	err     error
	conns   map[graph.Term]*connection
}

func (st *reqState) wantNested(fi *fieldInfo, target *typeInfo, args map[string]any, parent graph.Term) (*nestedReq, error) {
	key := nestedKey{fi: fi, args: canonical(args)}
	st.mu.Lock()
	defer st.mu.Unlock()
	n := st.nested[key]
	if n == nil {
		n = &nestedReq{key: key, target: target, args: args, parents: map[graph.Term]bool{}}
		st.nested[key] = n
	}
	if n.loaded {
		if _, ok := n.conns[parent]; !ok {
			// A parent seen after the batch ran (a deeper level reaching
			// the same field): start a new batch for it.
			n = &nestedReq{key: key, target: target, args: args, parents: map[graph.Term]bool{}}
			st.nested[key] = n
		}
	}
	n.parents[parent] = true
	return n, nil
}

func (st *reqState) nestedConn(n *nestedReq, parent graph.Term) (*connection, error) {
	st.mu.Lock()
	loaded := n.loaded
	st.mu.Unlock()
	if !loaded {
		if err := st.flush(); err != nil {
			return nil, err
		}
	}
	if n.err != nil {
		return nil, n.err
	}
	if c := n.conns[parent]; c != nil {
		return c, nil
	}
	return &connection{}, nil
}

// loadNested runs one query for every parent of a nested list and pages
// each parent's children in Go.
func (st *reqState) loadNested(n *nestedReq) error {
	st.mu.Lock()
	if n.loaded {
		st.mu.Unlock()
		return nil
	}
	n.loaded = true
	parents := make([]graph.Term, 0, len(n.parents))
	for p := range n.parents {
		parents = append(parents, p)
	}
	st.mu.Unlock()
	sort.Slice(parents, func(a, b int) bool { return graph.Compare(parents[a], parents[b]) < 0 })
	n.conns = map[graph.Term]*connection{}
	pg, err := st.b.parsePage(n.args)
	if err != nil {
		n.err = err
		return nil
	}
	c := st.compiler()
	rows := make([][]graph.Term, len(parents))
	for k, p := range parents {
		rows[k] = []graph.Term{p}
	}
	fi := *n.key.fi
	fi.record = fi.record || n.target.record
	link := st.valuePattern(c, &fi, "p", "s")
	var base algebra.Op = &algebra.Join{L: &algebra.Table{Vars: []string{"p"}, Rows: rows}, R: link}
	if fi.f.Filter.IsZero() {
		// Without a filter class the path may reach other resources (a
		// dataset's ^dct:isPartOf holds patients and studies): keep the
		// target type's instances.
		base = typed(c, base, "s", st.classes(n.target), n.target.record)
	}
	op, vars, err := st.listOp(c, n.target, base, []string{"p"}, n.args)
	if err != nil {
		n.err = err
		return nil
	}
	res, err := st.selectRows(op, vars, c.records)
	if err != nil {
		return err
	}
	byParent := map[graph.Term][]graph.Term{}
	for _, row := range res {
		byParent[row[0]] = append(byParent[row[0]], row[1])
	}
	for _, p := range parents {
		all := byParent[p]
		n.conns[p] = pageOf(all, pg, len(all))
	}
	return nil
}

// listOp is the ordered, filtered list of instances of ti in ?s (with the
// group variables keys first): base filtered by where, projected on keys
// and ?s, deduplicated, joined with the sort keys and ordered, ties broken
// by ?s. The caller slices.
func (st *reqState) listOp(c *compiler, ti *typeInfo, base algebra.Op, keys []string, args map[string]any) (algebra.Op, []string, error) {
	op, err := c.filtered(ti, base, args)
	if err != nil {
		return nil, nil, err
	}
	vars := append(slices.Clone(keys), "s")
	op = &algebra.Distinct{Input: &algebra.Project{Input: op, Vars: vars}}
	var conds []algebra.OrderCond
	for _, k := range keys {
		conds = append(conds, algebra.OrderCond{Expr: &algebra.Var{Name: k}})
	}
	orders, _ := args["orderBy"].([]any)
	var aggs []algebra.AggBinding
	for _, item := range orders {
		m, _ := item.(map[string]any)
		if len(m) != 1 {
			return nil, nil, fmt.Errorf("orderBy: set exactly one field per key, got %d", len(m))
		}
		for name, dir := range m {
			desc := dir == "DESC"
			if name == "id" {
				conds = append(conds, algebra.OrderCond{Expr: &algebra.Var{Name: "s"}, Desc: desc})
				continue
			}
			fi := ti.fields[name]
			if fi == nil || fi.f.Kind == model.Object {
				return nil, nil, fmt.Errorf("orderBy: %s cannot sort by %s", ti.t.Name, name)
			}
			k, v := c.fresh("_k"), c.fresh("_o")
			c.useRecords(fi.record)
			op = &algebra.LeftJoin{L: op, R: pathPattern(algebra.V("s"), fi.path, algebra.V(k))}
			fn := "MIN"
			if desc {
				fn = "MAX"
			}
			aggs = append(aggs, algebra.AggBinding{Var: v, Agg: &algebra.Aggregate{Func: fn, Arg: &algebra.Var{Name: k}}})
			conds = append(conds, algebra.OrderCond{Expr: &algebra.Var{Name: v}, Desc: desc})
		}
	}
	if len(aggs) > 0 {
		gk := make([]algebra.GroupKey, 0, len(vars))
		for _, v := range vars {
			gk = append(gk, algebra.GroupKey{Var: v, Expr: &algebra.Var{Name: v}})
		}
		op = &algebra.Group{Input: op, Keys: gk, Aggs: aggs}
	}
	conds = append(conds, algebra.OrderCond{Expr: &algebra.Var{Name: "s"}})
	op = &algebra.OrderBy{Input: op, Conds: conds}
	return op, vars, nil
}

// filtered joins base with the patterns of the where argument and filters
// it by the rest of it.
func (c *compiler) filtered(ti *typeInfo, base algebra.Op, args map[string]any) (algebra.Op, error) {
	w, ok := args["where"].(map[string]any)
	if !ok || len(w) == 0 {
		return base, nil
	}
	pats, rest, err := c.wherePattern(ti, "s", w)
	if err != nil {
		return nil, err
	}
	op := base
	for _, p := range pats {
		op = &algebra.Join{L: op, R: p}
	}
	if len(rest) > 0 {
		op = &algebra.Filter{Exprs: rest, Input: op}
	}
	return op, nil
}

// connection is the value behind a generated XxxConnection.
type connection struct {
	nodes   []resource.Node
	offset  int
	hasNext bool
	total   int
	totalFn func() (int, error)
}

type edge struct {
	cursor string
	node   resource.Node
}

func (c *connection) totalCount() (int, error) {
	if c.totalFn != nil {
		n, err := c.totalFn()
		if err != nil {
			return 0, err
		}
		c.total, c.totalFn = n, nil
	}
	return c.total, nil
}

func (c *connection) edges() []edge {
	out := make([]edge, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = edge{cursor: encodeCursor(c.offset + i), node: n}
	}
	return out
}

func (c *connection) page() resource.Page {
	p := resource.Page{HasNextPage: c.hasNext, HasPreviousPage: c.offset > 0}
	if len(c.nodes) > 0 {
		s, e := encodeCursor(c.offset), encodeCursor(c.offset+len(c.nodes)-1)
		p.StartCursor, p.EndCursor = &s, &e
	}
	return p
}

// pageOf cuts one page out of a whole ordered list.
func pageOf(all []graph.Term, pg page, total int) *connection {
	c := &connection{offset: pg.offset, total: total}
	lo := min(pg.offset, len(all))
	hi := min(lo+pg.limit, len(all))
	for _, t := range all[lo:hi] {
		c.nodes = append(c.nodes, resource.Node{Term: t})
	}
	c.hasNext = hi < len(all)
	return c
}

// typedNode is a resource with the generated type it was resolved to, for
// the Node interface.
type typedNode struct {
	resource.Node
	obj *graphql.Object
}

// nodeOf reads the resource behind a generated object value.
func nodeOf(v any) (resource.Node, bool) {
	switch n := v.(type) {
	case typedNode:
		return n.Node, true
	case resource.Node:
		return n, true
	case *resource.Node:
		if n != nil {
			return *n, true
		}
	}
	return resource.Node{}, false
}

// safe turns a panicking resolver into an error: no user input may take the
// server down, and graphql-go's own recovery does not cover every path.
func safe(fn graphql.FieldResolveFn) graphql.FieldResolveFn {
	return func(p graphql.ResolveParams) (v any, err error) {
		defer func() {
			if r := recover(); r != nil {
				v, err = nil, fmt.Errorf("schema: internal error in %s: %v", p.Info.FieldName, r)
			}
		}()
		return fn(p)
	}
}

// thunk wraps a deferred value so that a panic in it is an error too.
func thunk(fn func() (any, error)) func() (any, error) {
	return func() (v any, err error) {
		defer func() {
			if r := recover(); r != nil {
				v, err = nil, fmt.Errorf("schema: internal error: %v", r)
			}
		}()
		return fn()
	}
}

// batched is the resolver of a field served by the batch loader: it
// registers the source node's need for fi at this level and answers with
// fn over the values once the level's one query has run.
func batched(fi *fieldInfo, fn func(p graphql.ResolveParams, vals []graph.Term) (any, error)) graphql.FieldResolveFn {
	return safe(func(p graphql.ResolveParams) (any, error) {
		st, err := stateOf(p.Context)
		if err != nil {
			return nil, err
		}
		n, ok := nodeOf(p.Source)
		if !ok {
			return nil, nil
		}
		st.want(fi, n.Term)
		return thunk(func() (any, error) {
			vals, err := st.get(fi, n.Term)
			if err != nil {
				return nil, err
			}
			return fn(p, vals)
		}), nil
	})
}
