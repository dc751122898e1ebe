package eval

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/ast"
)

// Errors of SERVICE evaluation, wrapped with the endpoint and the cause
// (test with errors.Is). A server answers ErrServiceDenied with 403 and
// ErrServiceFailed with 502; ErrService (no handler, or SERVICE ?var with
// ?var unbound) with 501.
var (
	// ErrServiceDenied is what a ServiceHandler wraps when the operator
	// does not allow the endpoint (sparql/federation's allow-list).
	ErrServiceDenied = errors.New("eval: SERVICE endpoint not allowed")
	// ErrServiceFailed wraps every other error of a SERVICE request: the
	// endpoint is down, too slow, answered with an error status or with
	// something that is not a SPARQL result.
	ErrServiceFailed = errors.New("eval: SERVICE request failed")
)

// ServiceHandler evaluates the group pattern of a SERVICE clause at a
// remote SPARQL endpoint (SPARQL 1.1 Federated Query,
// https://www.w3.org/TR/sparql11-federated-query/). sparql/federation
// implements it over the SPARQL 1.1 Protocol; cmd wires it in through
// Options.Service. The evaluator never talks to the network itself.
type ServiceHandler interface {
	// Select runs req.Query at req.Endpoint and returns its solutions:
	// one term per variable of req.Vars, in that order, the zero Term
	// where unbound. The stream is ranged over at most once; breaking
	// out of the loop ends the request and frees what it holds. An
	// error is returned here or yielded (with a nil row) by the stream;
	// a refused endpoint wraps ErrServiceDenied.
	Select(ctx context.Context, req *ServiceRequest) (iter.Seq2[[]graph.Term, error], error)
}

// ServiceBatcher is implemented by a ServiceHandler that wants another
// number of left-hand solutions per bind-join request than the default
// (100): the VALUES block of one request has at most this many rows.
type ServiceBatcher interface {
	ServiceBatchSize() int
}

// DefaultServiceBatch is the number of left-hand solutions sent in one
// bind-join request when the handler does not say (see ServiceBatcher).
const DefaultServiceBatch = 100

// ServiceRequest is one request to a SERVICE endpoint: the SERVICE group
// as a SELECT over the variables it may bind, and, for a bind join, the
// bindings of the solutions it is joined with as a trailing VALUES block,
// so that a join with many solutions costs one request per batch, not one
// per solution (as Jena and RDF4J do).
// A handler must not modify it: its slices may be shared between
// requests.
type ServiceRequest struct {
	// Endpoint is the IRI of the endpoint (SERVICE <iri>, or the value of
	// ?var for SERVICE ?var).
	Endpoint graph.Term
	// Silent is set for SERVICE SILENT: the evaluator ignores the
	// request's errors (a handler may log them at a lower level).
	Silent bool
	// Query is the SPARQL 1.1 query text to send: SELECT Vars WHERE
	// Pattern, then VALUES (BindVars) { Bindings } when there are
	// bindings. IRIs and literals are written escaped; the pattern is
	// printed from the parsed syntax tree (sparql/ast.Format).
	Query string
	// Vars are the projected variables (without '?'), the columns of the
	// answer.
	Vars []string
	// Pattern is the SERVICE group as parsed, for handlers that evaluate
	// in-process.
	Pattern ast.Pattern
	// BindVars and Bindings are the VALUES block (also written in Query):
	// the zero Term is UNDEF. Blank nodes of the left side are sent as
	// UNDEF (a remote blank node is never the same node) and checked
	// when the answer is joined.
	BindVars []string
	Bindings [][]graph.Term
}

// services is the evaluator's SERVICE state: the handler and what is
// precomputed per SERVICE operator.
type services struct {
	h    ServiceHandler
	info map[*algebra.Service]*serviceInfo
}

// serviceInfo is what the evaluator precomputes per SERVICE operator.
type serviceInfo struct {
	vars  []string // variables the pattern may bind, sorted, not hidden
	slots []int    // their slots
	text  string   // the pattern printed as SPARQL
	// index is the name of the VALUES column that numbers the bindings of
	// a batch, one the pattern does not use.
	index string
}

func (e *evaluator) serviceInfo(op *algebra.Service) *serviceInfo {
	if si, ok := e.svc.info[op]; ok {
		return si
	}
	if e.svc.info == nil {
		e.svc.info = map[*algebra.Service]*serviceInfo{}
	}
	si := &serviceInfo{}
	for _, v := range algebra.MaybeVars(op.Input) {
		// Blank nodes and paths' hidden variables stay inside the pattern.
		if !algebra.Hidden(v) {
			si.vars = append(si.vars, v)
		}
	}
	slices.Sort(si.vars)
	for _, v := range si.vars {
		si.slots = append(si.slots, e.slot(v))
	}
	if op.Pattern != nil {
		si.text = ast.Format(op.Pattern)
	}
	all := map[string]bool{}
	algebra.AllVars(op.Input, all)
	si.index = "__tessera_row"
	for i := 0; all[si.index]; i++ {
		si.index = "__tessera_row" + strconv.Itoa(i)
	}
	e.svc.info[op] = si
	return si
}

// serviceShares reports whether a join with left must send bindings: the
// endpoint is a variable, or left may bind a variable of the pattern.
func serviceShares(left algebra.Op, s *algebra.Service) bool {
	if s.Name.IsVar() {
		return true
	}
	in := map[string]bool{}
	for _, v := range algebra.MaybeVars(s.Input) {
		in[v] = !algebra.Hidden(v)
	}
	for _, v := range algebra.MaybeVars(left) {
		if in[v] {
			return true
		}
	}
	return false
}

// serviceOp evaluates {in} ⋈ SERVICE. When in binds a variable of the
// pattern, or names the endpoint, the request carries in as its one
// binding; otherwise the remote solutions do not depend on in and are
// fetched once per query and endpoint (cached: a nested loop must not
// send one identical request per outer solution), except when in is empty
// (a SERVICE on its own), where they stream.
func (e *evaluator) serviceOp(op *algebra.Service, in row, g graph.Term) seq {
	if e.svc.h == nil {
		return func(yield func(row) bool) {
			if op.Silent {
				yield(in)
				return
			}
			e.fail(fmt.Errorf("%w: no federation handler is configured", ErrService))
		}
	}
	si := e.serviceInfo(op)
	shared := op.Name.IsVar()
	for _, s := range si.slots {
		if in[s] != unbound {
			shared = true
		}
	}
	if shared || e.isEmpty(in) {
		return e.serviceJoinRows(op, []row{in})
	}
	return func(yield func(row) bool) {
		key := cacheKey{op, op.Name.Term}
		rows, ok := e.cache[key]
		if !ok {
			var held int64
			failed := e.fetch(op, si, op.Name.Term, nil, nil, func(r row, _ int) bool {
				n := rowBytes(r)
				held += n
				if !e.reserve(n, "SERVICE cache") {
					return false
				}
				rows = append(rows, r)
				return true
			})
			if e.err != nil {
				return
			}
			if failed { // SILENT: the one empty solution
				rows = []row{e.empty()}
			}
			e.cache[key] = rows
		}
		for _, r := range rows {
			if !e.alive() {
				return
			}
			if compatible(r, in) && !yield(merge(in, r)) {
				return
			}
		}
	}
}

// serviceJoinRows yields {r} ⋈ SERVICE for each r of rows, with one
// request per endpoint.
func (e *evaluator) serviceJoinRows(op *algebra.Service, rows []row) seq {
	return func(yield func(row) bool) {
		e.joinBatch(op, rows, func(_ int, r row) bool { return yield(r) })
	}
}

// serviceJoin evaluates {in} ⋈ Join(l, SERVICE) as a bind join: the
// solutions of l are gathered in batches and each batch is sent to the
// endpoint as a VALUES block; the answer is joined back locally. With lj
// set it evaluates LeftJoin(l, SERVICE, lj.Expr) the same way, keeping
// the left solutions nothing matched (and restricting the input as
// leftJoin does).
func (e *evaluator) serviceJoin(l algebra.Op, s *algebra.Service, lj *algebra.LeftJoin, in row, g graph.Term) seq {
	size := DefaultServiceBatch
	if b, ok := e.svc.h.(ServiceBatcher); ok && b.ServiceBatchSize() > 0 {
		size = b.ServiceBatchSize()
	}
	return func(yield func(row) bool) {
		lin, cut := in, false
		if lj != nil {
			lin, cut = restrict(in, e.infoOf(lj).pass)
		}
		batch := make([]row, 0, min(size, 16))
		var held int64
		defer func() { e.release(held) }()
		stopped := false
		flush := func() bool {
			matched := make([]bool, len(batch))
			on := func(i int, b row) bool {
				if lj != nil && lj.Expr != nil && !e.ebvOf(lj.Expr, b, g) {
					return true
				}
				matched[i] = true
				if cut {
					if !compatible(b, in) {
						return true
					}
					b = merge(b, in)
				}
				return yield(b)
			}
			if e.prof != nil {
				on = e.profileService(s, on)
			}
			ok := e.joinBatch(s, batch, on)
			if ok && lj != nil && e.err == nil {
				for i, a := range batch {
					if matched[i] {
						continue
					}
					if cut {
						a = merge(a, in)
					}
					if !yield(a) {
						ok = false
						break
					}
				}
			}
			batch = batch[:0]
			e.release(held)
			held = 0
			stopped = !ok
			return ok && e.err == nil
		}
		for a := range e.eval(l, lin, g) {
			if cut && !compatible(a, in) {
				continue
			}
			batch = append(batch, a)
			n := rowBytes(a)
			held += n
			if !e.reserve(n, "SERVICE bind join") {
				return
			}
			if len(batch) == size && !flush() {
				return
			}
		}
		if len(batch) > 0 && !stopped && e.err == nil {
			flush()
		}
	}
}

// profileService counts, for EXPLAIN ANALYZE, a bind join's batches as
// the SERVICE operator's loops, the joined solutions as its rows, and the
// time spent producing them (the consumer's time excluded). A SERVICE
// evaluated on its own is counted by eval's instrument instead.
func (e *evaluator) profileService(op *algebra.Service, on func(int, row) bool) func(int, row) bool {
	st, ok := e.prof[op]
	if !ok {
		st = &opStats{}
		e.prof[op] = st
	}
	st.loops++
	start := time.Now()
	return func(i int, r row) bool {
		st.rows++
		st.dur += time.Since(start)
		ok := on(i, r)
		start = time.Now()
		return ok
	}
}

// joinBatch calls on(i, μ) for every solution μ of {rows[i]} ⋈ SERVICE,
// sending one request per endpoint the rows name. It reports false when
// on asked to stop or evaluation failed.
func (e *evaluator) joinBatch(op *algebra.Service, rows []row, on func(i int, r row) bool) bool {
	si := e.serviceInfo(op)
	// Group the rows by endpoint, keeping the order of first appearance.
	type group struct {
		endpoint graph.Term
		rows     []int
	}
	var groups []*group
	if op.Name.IsVar() {
		byEndpoint := map[graph.Term]*group{}
		slot := e.slot(op.Name.Var)
		for i, r := range rows {
			ep := e.dict.term(r[slot])
			if !ep.IsIRI() {
				if op.Silent {
					if !on(i, r) {
						return false
					}
					continue
				}
				what := "unbound"
				if !ep.IsZero() {
					what = "bound to " + ep.String() + ", not an IRI"
				}
				e.fail(fmt.Errorf("%w: SERVICE ?%s: the variable is %s where the SERVICE is evaluated", ErrService, op.Name.Var, what))
				return false
			}
			gr, ok := byEndpoint[ep]
			if !ok {
				gr = &group{endpoint: ep}
				byEndpoint[ep] = gr
				groups = append(groups, gr)
			}
			gr.rows = append(gr.rows, i)
		}
	} else {
		gr := &group{endpoint: op.Name.Term, rows: make([]int, len(rows))}
		for i := range rows {
			gr.rows[i] = i
		}
		groups = []*group{gr}
	}
	for _, gr := range groups {
		// The columns: the pattern's variables some row binds.
		var cols []int
		for _, s := range si.slots {
			for _, i := range gr.rows {
				if rows[i][s] != unbound {
					cols = append(cols, s)
					break
				}
			}
		}
		// The distinct bindings, and the rows that share each.
		var keys [][]graph.Term
		var members [][]int
		if len(cols) > 0 {
			index := map[string]int{}
			var buf []byte
			for _, i := range gr.rows {
				k := make([]graph.Term, len(cols))
				buf = buf[:0]
				for j, s := range cols {
					id := rows[i][s]
					if t := e.dict.term(id); !t.IsBlank() {
						k[j] = t
					} else {
						id = unbound
					}
					buf = binary.LittleEndian.AppendUint64(buf, id)
				}
				n, ok := index[string(buf)]
				if !ok {
					n = len(keys)
					index[string(buf)] = n
					keys = append(keys, k)
					members = append(members, nil)
				}
				members[n] = append(members[n], i)
			}
		} else {
			members = [][]int{gr.rows}
		}
		stop := false
		failed := e.fetch(op, si, gr.endpoint, cols, keys, func(r row, k int) bool {
			if k < 0 {
				k = 0
			}
			for _, i := range members[k] {
				a := rows[i]
				if compatible(a, r) && !on(i, merge(a, r)) {
					stop = true
					return false
				}
			}
			return true
		})
		if stop || e.err != nil {
			return false
		}
		if failed { // SILENT: each row joins the one empty solution
			for _, i := range gr.rows {
				if !on(i, rows[i]) {
					return false
				}
			}
		}
	}
	return true
}

// fetch sends one request to endpoint — the pattern of op with, when cols
// is not empty, a VALUES block of keys over those slots, numbered when
// there is more than one — and calls emit with each solution as a row and
// the number of the key it joined with (-1 without numbering). It reports
// whether the request failed for a SERVICE SILENT, where the caller
// substitutes the empty solution; other failures are recorded with
// e.fail. A SILENT answer is read whole before anything is emitted, so a
// failure midway leaves no partial answer behind.
func (e *evaluator) fetch(op *algebra.Service, si *serviceInfo, endpoint graph.Term, cols []int, keys [][]graph.Term, emit func(r row, key int) bool) (failed bool) {
	if !e.alive() {
		return false
	}
	if err := e.ctx.Err(); err != nil { // a request costs more than a check
		e.fail(err)
		return false
	}
	if si.text == "" {
		e.fail(fmt.Errorf("%w: the SERVICE pattern has no syntax to send (built by program)", ErrService))
		return false
	}
	req := &ServiceRequest{Endpoint: endpoint, Silent: op.Silent, Pattern: op.Pattern, Vars: si.vars}
	numbered := len(keys) > 1
	if numbered {
		req.Vars = append(slices.Clip(si.vars), si.index)
		req.BindVars = append(req.BindVars, si.index)
	}
	for _, s := range cols {
		req.BindVars = append(req.BindVars, e.names[s])
	}
	for n, k := range keys {
		b := make([]graph.Term, 0, len(req.BindVars))
		if numbered {
			b = append(b, graph.Literal(strconv.Itoa(n), graph.XSDInteger))
		}
		req.Bindings = append(req.Bindings, append(b, k...))
	}
	req.Query = serviceQuery(si.text, req.Vars, req.BindVars, req.Bindings)

	var buffered []row
	var bufKeys []int
	var held int64
	defer func() { e.release(held) }()
	err := func() error {
		sols, err := e.svc.h.Select(e.ctx, req)
		if err != nil {
			return err
		}
		for sol, err := range sols {
			if err != nil {
				return err
			}
			if !e.alive() {
				return nil
			}
			if len(sol) != len(req.Vars) {
				return fmt.Errorf("handler returned a row of %d terms for %d variables", len(sol), len(req.Vars))
			}
			r := e.empty()
			for j, s := range si.slots {
				r[s] = e.dict.id(sol[j])
			}
			k := -1
			if numbered {
				t := sol[len(si.vars)]
				n, err := strconv.Atoi(t.Value())
				if !t.IsLiteral() || err != nil || n < 0 || n >= len(keys) {
					got := "unbound"
					if !t.IsZero() {
						got = "= " + t.String()
					}
					return fmt.Errorf("the endpoint's answer has ?%s %s, not the number of a binding it was sent", si.index, got)
				}
				k = n
			}
			if op.Silent {
				n := rowBytes(r)
				held += n
				if !e.reserve(n, "SERVICE SILENT answer") {
					return nil
				}
				buffered = append(buffered, r)
				bufKeys = append(bufKeys, k)
				continue
			}
			if !emit(r, k) {
				return nil
			}
		}
		return nil
	}()
	if err != nil {
		if ctxErr := e.ctx.Err(); ctxErr != nil {
			e.fail(fmt.Errorf("SERVICE %v: %w", endpoint, ctxErr))
			return false
		}
		if op.Silent {
			return true
		}
		where := "SERVICE " + endpoint.String()
		if strings.Contains(err.Error(), endpoint.Value()) {
			where = "SERVICE" // the handler's error names it already
		}
		if errors.Is(err, ErrServiceDenied) || errors.Is(err, ErrServiceFailed) {
			e.fail(fmt.Errorf("%s: %w", where, err))
		} else {
			e.fail(fmt.Errorf("%w: %s: %w", ErrServiceFailed, where, err))
		}
		return false
	}
	for i, r := range buffered {
		if !e.alive() || !emit(r, bufKeys[i]) {
			return false
		}
	}
	return false
}

// serviceQuery writes the text of a SERVICE request: SELECT over vars
// (SELECT * when there are none) WHERE the printed pattern, and the
// bindings as a trailing VALUES block. Query-level VALUES joins with the
// pattern's solutions (SPARQL 1.1 §18.2.4.3), which is exactly the bind
// join; terms are escaped by graph.AppendTerm, blank nodes sent as UNDEF.
func serviceQuery(pattern string, vars, bindVars []string, bindings [][]graph.Term) string {
	var b strings.Builder
	b.WriteString("SELECT")
	if len(vars) == 0 {
		b.WriteString(" *")
	}
	for _, v := range vars {
		b.WriteString(" ?")
		b.WriteString(v)
	}
	b.WriteString("\nWHERE ")
	b.WriteString(pattern)
	if len(bindVars) > 0 {
		b.WriteString("\nVALUES (")
		for i, v := range bindVars {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteByte('?')
			b.WriteString(v)
		}
		b.WriteString(") {")
		for _, row := range bindings {
			b.WriteString("\n  (")
			for i, t := range row {
				if i > 0 {
					b.WriteByte(' ')
				}
				if t.IsZero() || t.IsBlank() {
					b.WriteString("UNDEF")
				} else {
					graph.AppendTerm(&b, t)
				}
			}
			b.WriteByte(')')
		}
		b.WriteString("\n}")
	}
	b.WriteByte('\n')
	return b.String()
}
