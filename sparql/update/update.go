// Package update executes SPARQL 1.1 Update requests
// (https://www.w3.org/TR/sparql11-update/) against a graph.Store.
//
// Execute runs a whole request (every operation of a parsed *ast.Update, in
// order) in one store transaction: each operation sees the effects of the
// ones before it, and either the whole request takes effect or, when any
// operation fails, none of it does. Update §2.2 allows this and it is what
// users expect from a request that, say, deletes old metadata and inserts
// new metadata.
//
// Implemented: every operation of Update §3. INSERT DATA and DELETE DATA
// (§3.1.1, §3.1.2; blank nodes of INSERT DATA are fresh), DELETE WHERE
// (§3.1.3.3), DELETE/INSERT … WHERE with WITH, USING and USING NAMED
// (§3.1.3: the WHERE is evaluated by sparql/eval over the state before the
// operation, its solutions are buffered up to Options.MaxSolutions, then
// the deletions are applied before the insertions; templates get fresh
// blank nodes per solution, and quads with an unbound variable or that are
// not RDF are left out), LOAD [SILENT] through Options.Loader (§3.1.4),
// CLEAR, DROP and CREATE [SILENT] (§3.1.5, §3.2.1–§3.2.2) and ADD, MOVE and
// COPY [SILENT] (§3.2.3–§3.2.5; a no-op when source and destination are
// the same graph).
//
// SERVICE inside a WHERE (SPARQL 1.1 Federated Query) is evaluated through
// Options.Service, the same handler (and so the same endpoint allow-list)
// queries use; without one it fails with eval.ErrService. A SERVICE that
// fails ends the whole request with nothing changed, and SERVICE SILENT
// yields its input instead, as Federated Query says. The remote requests run
// inside the request's transaction: a slow endpoint holds the store's
// writer for as long as the handler's timeout allows.
//
// Memory: a Modify buffers its solutions (bounded by MaxSolutions); ADD,
// MOVE and COPY buffer the quads of the source graph, because a
// transaction is not read while it is written.
package update

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/ast"
	"github.com/tessera-fair/tessera/sparql/eval"
)

// Errors Execute returns; callers branch on them with errors.Is.
var (
	// ErrLoadDisabled: LOAD without SILENT when Options.Loader is nil.
	ErrLoadDisabled = errors.New("update: LOAD is disabled; the operator can allow IRIs with --allow-load")
	// ErrTooManySolutions: the WHERE of a DELETE/INSERT had more solutions
	// than Options.MaxSolutions.
	ErrTooManySolutions = errors.New("update: too many solutions in WHERE")
)

// DefaultMaxSolutions is the number of WHERE solutions a DELETE/INSERT
// buffers when Options.MaxSolutions is zero.
const DefaultMaxSolutions = 10_000_000

// Loader fetches the RDF document of LOAD <iri>. It is injected so that the
// operator decides which IRIs a server may read (and how: HTTP client,
// timeouts, allow-list); Execute never opens a network connection itself.
type Loader interface {
	// Load returns the quads of the document at iri. Triples come in the
	// default graph; LOAD … INTO GRAPH moves them.
	Load(ctx context.Context, iri string) (graph.Quads, error)
}

// Options configure Execute. The zero value works: LOAD disabled, the
// store's default graph as the default graph of WHERE, the wall clock.
type Options struct {
	// Base is the base IRI of the request (the parser already resolved the
	// IRIs of the text against it); IRI() in WHERE resolves against it, or
	// against a BASE declaration of the request.
	Base string
	// Loader fetches the documents of LOAD; nil disables LOAD (it fails
	// with ErrLoadDisabled, or does nothing when SILENT).
	Loader Loader
	// UnionDefaultGraph makes the default graph of a WHERE without WITH or
	// USING the union of all graphs (the store's default graph and every
	// named graph), as a server with a union default graph does for
	// queries. Writes to the default graph still go to the store's own
	// default graph.
	UnionDefaultGraph bool
	// Service evaluates the SERVICE patterns of WHERE clauses
	// (sparql/federation's client, with the operator's allow-list); nil
	// makes them fail with eval.ErrService (SERVICE SILENT yields its
	// input).
	Service eval.ServiceHandler
	// MaxSolutions bounds the WHERE solutions one DELETE/INSERT buffers;
	// zero means DefaultMaxSolutions.
	MaxSolutions int
	// Now returns the time NOW() reports; it is called once per request.
	// Nil means time.Now.
	Now func() time.Time
}

// Execute runs the update request u against store in one transaction: all
// its operations take effect, or none does.
func Execute(ctx context.Context, store graph.Store, u *ast.Update, opts Options) error {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	t := now()
	x := &executor{
		ctx:   ctx,
		opts:  opts,
		scope: graph.NewBlankScope(),
		now:   func() time.Time { return t },
	}
	if x.opts.MaxSolutions <= 0 {
		x.opts.MaxSolutions = DefaultMaxSolutions
	}
	return store.Update(ctx, func(tx graph.Tx) error {
		x.tx, x.base = tx, opts.Base // fn may run again if the store retries
		for i, st := range u.Steps {
			for _, d := range st.Prologue {
				if d.Base {
					x.base = d.IRI
				}
			}
			if st.Op == nil {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := x.operation(st.Op); err != nil {
				return fmt.Errorf("update operation %d (%s at %v): %w", i+1, opName(st.Op), st.Op.Position(), err)
			}
		}
		return nil
	})
}

type executor struct {
	ctx   context.Context
	tx    graph.Tx
	opts  Options
	base  string
	scope *graph.BlankScope
	now   func() time.Time
}

func opName(op ast.Operation) string {
	switch op := op.(type) {
	case *ast.InsertData:
		return "INSERT DATA"
	case *ast.DeleteData:
		return "DELETE DATA"
	case *ast.DeleteWhere:
		return "DELETE WHERE"
	case *ast.Modify:
		switch {
		case op.Delete != nil && op.Insert != nil:
			return "DELETE/INSERT"
		case op.Delete != nil:
			return "DELETE"
		}
		return "INSERT"
	case *ast.Load:
		return "LOAD"
	case *ast.Clear:
		return "CLEAR"
	case *ast.Drop:
		return "DROP"
	case *ast.Create:
		return "CREATE"
	case *ast.Transfer:
		return op.Kind.String()
	}
	return fmt.Sprintf("%T", op)
}

func (x *executor) operation(op ast.Operation) error {
	switch op := op.(type) {
	case *ast.InsertData:
		return x.insertData(op)
	case *ast.DeleteData:
		return x.deleteData(op)
	case *ast.DeleteWhere:
		qs, err := algebra.TranslateTemplate(op.Pattern)
		if err != nil {
			return err
		}
		return x.modify(algebra.QuadsPattern(qs), qs, nil, x.defaultDataset(), graph.DefaultGraph)
	case *ast.Modify:
		return x.modifyOp(op)
	case *ast.Load:
		return x.load(op)
	case *ast.Clear:
		return x.clear(op.Target, op.Silent)
	case *ast.Drop:
		return x.drop(op.Target, op.Silent)
	case *ast.Create:
		err := x.tx.CreateGraph(x.ctx, graph.IRI(op.Graph))
		if err != nil && op.Silent && errors.Is(err, graph.ErrGraphExists) {
			return nil
		}
		return err
	case *ast.Transfer:
		return x.transfer(op)
	}
	return fmt.Errorf("unknown operation %T", op)
}

// dataQuad instantiates a quad of a DATA block; blank nodes map to fresh
// ones through fresh.
func (x *executor) dataQuad(q algebra.Quad, fresh map[graph.Term]graph.Term) graph.Quad {
	t := func(n algebra.Node) graph.Term {
		if n.Term.IsBlank() {
			b, ok := fresh[n.Term]
			if !ok {
				b = x.scope.Fresh()
				fresh[n.Term] = b
			}
			return b
		}
		return n.Term
	}
	out := graph.Quad{S: t(q.S), P: t(q.P), O: t(q.O), G: q.G.Term}
	return out.Normalize()
}

// insertData adds the quads of INSERT DATA (§3.1.1); its blank nodes are
// new nodes, distinct from every node of the store.
func (x *executor) insertData(op *ast.InsertData) error {
	qs, err := algebra.TranslateTemplate(op.Data)
	if err != nil {
		return err
	}
	fresh := map[graph.Term]graph.Term{}
	for _, q := range qs {
		if err := x.tx.Add(x.dataQuad(q, fresh)); err != nil {
			return err
		}
	}
	return nil
}

// deleteData removes the quads of DELETE DATA (§3.1.2).
func (x *executor) deleteData(op *ast.DeleteData) error {
	qs, err := algebra.TranslateTemplate(op.Data)
	if err != nil {
		return err
	}
	fresh := map[graph.Term]graph.Term{}
	for _, q := range qs {
		if err := x.tx.Delete(x.dataQuad(q, fresh)); err != nil {
			return err
		}
	}
	return nil
}

// defaultDataset is the dataset of a WHERE without WITH or USING.
func (x *executor) defaultDataset() eval.Dataset {
	u := x.opts.UnionDefaultGraph
	return eval.Dataset{UnionDefault: u, UnionIncludesDefault: u}
}

// modifyOp runs DELETE/INSERT … WHERE (§3.1.3) with its WITH and USING
// clauses: USING [NAMED] defines the dataset of the WHERE (and then WITH
// only names the graph of the templates), WITH alone makes its graph the
// default graph of both.
func (x *executor) modifyOp(op *ast.Modify) error {
	where, err := algebra.TranslatePattern(op.Where)
	if err != nil {
		return err
	}
	del, err := algebra.TranslateTemplate(op.Delete)
	if err != nil {
		return err
	}
	ins, err := algebra.TranslateTemplate(op.Insert)
	if err != nil {
		return err
	}
	target := graph.DefaultGraph
	ds := x.defaultDataset()
	if op.With != "" {
		target = graph.IRI(op.With)
		ds = eval.Dataset{Default: []graph.Term{target}}
	}
	if len(op.Using) > 0 {
		ds = eval.Dataset{RestrictNamed: true}
		for _, u := range op.Using {
			if u.Named {
				ds.Named = append(ds.Named, graph.IRI(u.IRI))
			} else {
				ds.Default = append(ds.Default, graph.IRI(u.IRI))
			}
		}
		// USING NAMED alone leaves the default graph empty (Query §13.2).
		ds.EmptyDefault = len(ds.Default) == 0
	}
	return x.modify(where, del, ins, ds, target)
}

// modify evaluates where over ds, then deletes the instantiated del
// templates and inserts the instantiated ins templates. Quads of the default
// graph of a template go to target.
func (x *executor) modify(where algebra.Op, del, ins []algebra.Quad, ds eval.Dataset, target graph.Term) error {
	used := map[string]bool{}
	algebra.QuadVars(del, used)
	algebra.QuadVars(ins, used)
	vars := make([]string, 0, len(used))
	for v := range used {
		vars = append(vars, v)
	}
	slices.Sort(vars)
	slot := make(map[string]int, len(vars))
	for i, v := range vars {
		slot[v] = i
	}
	q := &algebra.Query{Form: algebra.Select, Op: where, Vars: vars, Base: x.base}
	res, err := eval.Query(x.ctx, x.tx, q, eval.Options{Dataset: ds, FixedDataset: true, Now: x.now, Service: x.opts.Service})
	if err != nil {
		return fmt.Errorf("evaluate WHERE: %w", err)
	}
	var rows [][]graph.Term
	for r, err := range res.Solutions {
		if err != nil {
			return fmt.Errorf("evaluate WHERE: %w", err)
		}
		if len(rows) >= x.opts.MaxSolutions {
			return fmt.Errorf("%w (limit %d)", ErrTooManySolutions, x.opts.MaxSolutions)
		}
		rows = append(rows, r)
	}
	inst := func(n algebra.Node, r []graph.Term, fresh map[graph.Term]graph.Term) graph.Term {
		switch {
		case n.IsVar():
			return r[slot[n.Var]]
		case n.Term.IsBlank() && fresh != nil:
			b, ok := fresh[n.Term]
			if !ok {
				b = x.scope.Fresh()
				fresh[n.Term] = b
			}
			return b
		}
		return n.Term
	}
	quad := func(t algebra.Quad, r []graph.Term, fresh map[graph.Term]graph.Term) (graph.Quad, bool) {
		g := target
		if t.G != (algebra.Node{}) {
			g = inst(t.G, r, fresh)
			if !g.IsIRI() {
				return graph.Quad{}, false
			}
		}
		out := graph.Quad{S: inst(t.S, r, fresh), P: inst(t.P, r, fresh), O: inst(t.O, r, fresh), G: g}
		return out, out.Valid()
	}
	for i, r := range rows {
		if i&1023 == 1023 {
			if err := x.ctx.Err(); err != nil {
				return err
			}
		}
		for _, t := range del {
			if qd, ok := quad(t, r, nil); ok {
				if err := x.tx.Delete(qd); err != nil {
					return err
				}
			}
		}
	}
	if len(ins) == 0 {
		return nil
	}
	fresh := map[graph.Term]graph.Term{}
	for i, r := range rows {
		if i&1023 == 1023 {
			if err := x.ctx.Err(); err != nil {
				return err
			}
		}
		clear(fresh)
		for _, t := range ins {
			if qd, ok := quad(t, r, fresh); ok {
				if err := x.tx.Add(qd); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// load runs LOAD [SILENT] <iri> [INTO GRAPH <g>] (§3.1.4). With SILENT a
// failure is ignored; a source that fails part way leaves the quads read
// before the failure.
func (x *executor) load(op *ast.Load) error {
	err := x.loadQuads(op)
	if err != nil && op.Silent {
		return nil
	}
	return err
}

func (x *executor) loadQuads(op *ast.Load) error {
	if x.opts.Loader == nil {
		return fmt.Errorf("load <%s>: %w", op.Source, ErrLoadDisabled)
	}
	quads, err := x.opts.Loader.Load(x.ctx, op.Source)
	if err != nil {
		return fmt.Errorf("load <%s>: %w", op.Source, err)
	}
	into := graph.Term{}
	if op.Into != "" {
		into = graph.IRI(op.Into)
		ok, err := x.tx.HasGraph(x.ctx, into)
		if err != nil {
			return err
		}
		if !ok {
			if err := x.tx.CreateGraph(x.ctx, into); err != nil {
				return err
			}
		}
	}
	n := 0
	for q, err := range quads {
		if err != nil {
			return fmt.Errorf("load <%s>: %w", op.Source, err)
		}
		if !into.IsZero() {
			q.G = into
		}
		if err := x.tx.Add(q); err != nil {
			return fmt.Errorf("load <%s>: %w", op.Source, err)
		}
		n++
		if n&1023 == 0 {
			if err := x.ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// namedGraphs lists the store's named graphs before any of them changes.
func (x *executor) namedGraphs() ([]graph.Term, error) {
	var out []graph.Term
	for g, err := range x.tx.Graphs(x.ctx) {
		if err != nil {
			return nil, fmt.Errorf("list graphs: %w", err)
		}
		out = append(out, g)
	}
	return out, nil
}

// clear runs CLEAR [SILENT] target (§3.1.5): the graphs go on existing,
// empty. Clearing a named graph that does not exist fails unless SILENT.
func (x *executor) clear(t ast.GraphTarget, silent bool) error {
	switch t.Kind {
	case ast.TargetGraph:
		g := graph.IRI(t.IRI)
		ok, err := x.tx.HasGraph(x.ctx, g)
		if err != nil {
			return err
		}
		if !ok {
			if silent {
				return nil
			}
			return fmt.Errorf("clear <%s>: %w", t.IRI, graph.ErrGraphNotFound)
		}
		return x.tx.ClearGraph(x.ctx, g)
	case ast.TargetDefault:
		return x.tx.ClearGraph(x.ctx, graph.DefaultGraph)
	case ast.TargetNamed, ast.TargetAll:
		gs, err := x.namedGraphs()
		if err != nil {
			return err
		}
		for _, g := range gs {
			if err := x.tx.ClearGraph(x.ctx, g); err != nil {
				return err
			}
		}
		if t.Kind == ast.TargetAll {
			return x.tx.ClearGraph(x.ctx, graph.DefaultGraph)
		}
		return nil
	}
	return fmt.Errorf("unknown graph target %d", t.Kind)
}

// drop runs DROP [SILENT] target (§3.2.2): named graphs stop existing, the
// default graph is cleared. Dropping a named graph that does not exist fails
// unless SILENT.
func (x *executor) drop(t ast.GraphTarget, silent bool) error {
	switch t.Kind {
	case ast.TargetGraph:
		err := x.tx.DropGraph(x.ctx, graph.IRI(t.IRI))
		if err != nil && silent && errors.Is(err, graph.ErrGraphNotFound) {
			return nil
		}
		return err
	case ast.TargetDefault:
		return x.tx.ClearGraph(x.ctx, graph.DefaultGraph)
	case ast.TargetNamed, ast.TargetAll:
		gs, err := x.namedGraphs()
		if err != nil {
			return err
		}
		for _, g := range gs {
			if err := x.tx.DropGraph(x.ctx, g); err != nil {
				return err
			}
		}
		if t.Kind == ast.TargetAll {
			return x.tx.ClearGraph(x.ctx, graph.DefaultGraph)
		}
		return nil
	}
	return fmt.Errorf("unknown graph target %d", t.Kind)
}

func targetGraph(t ast.GraphTarget) graph.Term {
	if t.Kind == ast.TargetDefault {
		return graph.DefaultGraph
	}
	return graph.IRI(t.IRI)
}

// transfer runs ADD, MOVE or COPY [SILENT] (§3.2.3–§3.2.5). When source and
// destination are the same graph nothing happens. A source named graph
// that does not exist is an error unless SILENT. COPY and MOVE replace the
// destination; MOVE then drops the source.
func (x *executor) transfer(op *ast.Transfer) error {
	from, to := targetGraph(op.From), targetGraph(op.To)
	if from == to {
		return nil
	}
	if !from.IsDefaultGraph() {
		ok, err := x.tx.HasGraph(x.ctx, from)
		if err != nil {
			return err
		}
		if !ok {
			if op.Silent {
				return nil
			}
			return fmt.Errorf("%s from <%s>: %w", op.Kind, from.Value(), graph.ErrGraphNotFound)
		}
	}
	src, err := graph.Collect(x.tx.Quads(x.ctx, graph.Pattern{G: from}))
	if err != nil {
		return fmt.Errorf("read %v: %w", from, err)
	}
	if op.Kind != ast.Add {
		if err := x.tx.ClearGraph(x.ctx, to); err != nil {
			return err
		}
	}
	if !to.IsDefaultGraph() {
		ok, err := x.tx.HasGraph(x.ctx, to)
		if err != nil {
			return err
		}
		if !ok {
			if err := x.tx.CreateGraph(x.ctx, to); err != nil {
				return err
			}
		}
	}
	for _, q := range src {
		q.G = to
		if err := x.tx.Add(q); err != nil {
			return err
		}
	}
	if op.Kind == ast.Move {
		if from.IsDefaultGraph() {
			return x.tx.ClearGraph(x.ctx, from)
		}
		return x.tx.DropGraph(x.ctx, from)
	}
	return nil
}
