package eval

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/optimizer"
	"github.com/tessera-fair/tessera/sparql/parser"
)

// localService is a ServiceHandler that answers each request by parsing
// its query text and evaluating it over an in-memory store per endpoint:
// the text the evaluator sends must be valid SPARQL that means what the
// SERVICE group means. It records every request.
type localService struct {
	stores map[string]graph.Store
	batch  int
	fail   error // returned for every request when set

	mu   sync.Mutex
	reqs []*ServiceRequest
}

func (h *localService) ServiceBatchSize() int { return h.batch }

func (h *localService) Select(ctx context.Context, req *ServiceRequest) (iter.Seq2[[]graph.Term, error], error) {
	h.mu.Lock()
	h.reqs = append(h.reqs, req)
	h.mu.Unlock()
	if h.fail != nil {
		return nil, h.fail
	}
	st, ok := h.stores[req.Endpoint.Value()]
	if !ok {
		return nil, fmt.Errorf("no endpoint %v", req.Endpoint)
	}
	ast, err := parser.ParseQuery(req.Query, parser.Options{})
	if err != nil {
		return nil, fmt.Errorf("the request does not parse: %w\n%s", err, req.Query)
	}
	q, err := algebra.Translate(ast, algebra.Options{})
	if err != nil {
		return nil, err
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	res, err := Query(ctx, snap, q, Options{Service: h})
	if err != nil {
		snap.Release()
		return nil, err
	}
	return func(yield func([]graph.Term, error) bool) {
		defer snap.Release()
		for sol, err := range res.Solutions {
			if err != nil {
				yield(nil, err)
				return
			}
			out := make([]graph.Term, len(req.Vars))
			for i, v := range res.Vars {
				for j, w := range req.Vars {
					if v == w {
						out[j] = sol[i]
					}
				}
			}
			if !yield(out, nil) {
				return
			}
		}
	}, nil
}

func (h *localService) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.reqs)
}

// turtleStore returns a memstore holding ttl in graph g.
func turtleStore(t *testing.T, ttl string, g graph.Term, st graph.Store) graph.Store {
	t.Helper()
	if st == nil {
		st = memstore.New()
	}
	ctx := context.Background()
	if g.IsIRI() {
		if err := st.Update(ctx, func(tx graph.Tx) error { return tx.CreateGraph(ctx, g) }); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := graph.Load(ctx, st, syntax.Quads(turtle.NewDecoder(strings.NewReader(ttl), syntax.Options{})), graph.LoadOptions{Graph: g}); err != nil {
		t.Fatal(err)
	}
	return st
}

// solutions runs query over st with opts and returns its rows as sorted
// strings.
func solutions(ctx context.Context, st graph.Store, query string, opts Options) ([]string, error) {
	vars, sols, err := querySolutions(ctx, st, query, opts)
	var out []string
	for _, sol := range sols {
		var b strings.Builder
		for i, v := range vars {
			if !sol[i].IsZero() && !sol[i].IsBlank() {
				fmt.Fprintf(&b, "?%s=%v ", v, sol[i])
			} else if sol[i].IsBlank() {
				fmt.Fprintf(&b, "?%s=_ ", v)
			}
		}
		out = append(out, b.String())
	}
	sortStrings(out)
	return out, err
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

const remoteIRI = "http://remote.example/sparql"

// serviceData builds n local subjects with :p, and remote facts about
// every third of them (two :q values each) plus remote-only subjects.
func serviceData(n int) (local, remote string) {
	var l, r strings.Builder
	l.WriteString("@prefix : <http://ex/> .\n")
	r.WriteString("@prefix : <http://ex/> .\n")
	for i := range n {
		fmt.Fprintf(&l, ":s%d :p %d .\n", i, i%7)
		if i%3 == 0 {
			fmt.Fprintf(&r, ":s%d :q \"a%d\", \"b%d\" .\n", i, i, i)
		}
		if i%5 == 0 {
			fmt.Fprintf(&r, ":r%d :q \"only\" .\n", i)
		}
	}
	l.WriteString(":dup :p 1 . :dup2 :p 1 .\n")
	r.WriteString(":dup :q \"d\" . :x :other 1 .\n")
	return l.String(), r.String()
}

// TestServiceMatchesGraph checks SERVICE against its meaning: with the
// remote data in the named graph <remote>, SERVICE <remote> { P } must
// give exactly what GRAPH <remote> { P } gives locally — in every join
// shape, optimizer on and off — while the bind join sends one request per
// batch, not per solution.
func TestServiceMatchesGraph(t *testing.T) {
	const n = 250
	local, remote := serviceData(n)
	remoteStore := turtleStore(t, remote, graph.DefaultGraph, nil)
	ref := turtleStore(t, local, graph.DefaultGraph, nil)
	turtleStore(t, remote, graph.IRI(remoteIRI), ref)

	tests := []struct {
		name  string
		query string // with SERVICE; GRAPH replaces it for the reference
		// maxRequests bounds the requests (batches of 100).
		maxRequests int
	}{
		{"bind join", `SELECT * { ?s <http://ex/p> ?o SERVICE <R> { ?s <http://ex/q> ?x } }`, 3},
		{"service first", `SELECT * { SERVICE <R> { ?s <http://ex/q> ?x } ?s <http://ex/p> ?o }`, 3},
		{"optional", `SELECT * { ?s <http://ex/p> ?o OPTIONAL { SERVICE <R> { ?s <http://ex/q> ?x } } }`, 3},
		{"optional with filter", `SELECT * { ?s <http://ex/p> ?o OPTIONAL { SERVICE <R> { ?s <http://ex/q> ?x } FILTER(?o > 3) } }`, 3},
		{"filter inside", `SELECT * { ?s <http://ex/p> ?o SERVICE <R> { ?s <http://ex/q> ?x FILTER(STRSTARTS(?x, "a")) } }`, 3},
		{"no shared variable", `SELECT * { ?s <http://ex/p> 1 SERVICE <R> { ?y <http://ex/other> ?z } }`, 1},
		{"service alone", `SELECT * { SERVICE <R> { ?s <http://ex/q> ?x } }`, 1},
		{"duplicate keys", `SELECT ?o ?x { ?s <http://ex/p> ?o SERVICE <R> { ?t <http://ex/q> ?x FILTER(?t = <http://ex/dup>) } }`, 1},
		{"count", `SELECT (COUNT(*) AS ?n) { ?s <http://ex/p> ?o SERVICE <R> { ?s <http://ex/q> ?x } }`, 3},
		{"values sent", `SELECT * { VALUES ?s { <http://ex/s3> <http://ex/s4> <http://ex/dup> } SERVICE <R> { ?s <http://ex/q> ?x } }`, 1},
		{"bindings with quotes", `SELECT * { VALUES ?x { "a3" "x\"y" "é\n" } SERVICE <R> { ?s <http://ex/q> ?x } }`, 1},
		{"minus", `SELECT * { ?s <http://ex/p> ?o MINUS { SERVICE <R> { ?s <http://ex/q> ?x } } }`, 1},
		{"blank node and path inside", `SELECT * { ?s <http://ex/p> ?o SERVICE <R> { ?s <http://ex/q> _:x . ?s <http://ex/q>/^<http://ex/q> ?t } }`, 3},
		{"sub-select inside", `SELECT * { ?s <http://ex/p> ?o SERVICE <R> { SELECT ?s (COUNT(*) AS ?n) { ?s <http://ex/q> ?x } GROUP BY ?s } }`, 3},
		{"bind inside", `SELECT * { ?s <http://ex/p> ?o SERVICE <R> { ?s <http://ex/q> ?x BIND(UCASE(?x) AS ?u) } }`, 3},
		{"union inside", `SELECT * { ?s <http://ex/p> 0 SERVICE <R> { { ?s <http://ex/q> ?x } UNION { ?s <http://ex/other> ?x } } }`, 1},
	}
	ctx := context.Background()
	for _, tc := range tests {
		for _, noOpt := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/noopt=%v", tc.name, noOpt), func(t *testing.T) {
				want, err := solutions(ctx, ref, strings.ReplaceAll(tc.query, "SERVICE <R>", "GRAPH <"+remoteIRI+">"), Options{NoOptimize: noOpt})
				if err != nil {
					t.Fatal(err)
				}
				h := &localService{stores: map[string]graph.Store{remoteIRI: remoteStore}, batch: 100}
				localStore := turtleStore(t, local, graph.DefaultGraph, nil)
				got, err := solutions(ctx, localStore, strings.ReplaceAll(tc.query, "<R>", "<"+remoteIRI+">"), Options{Service: h, NoOptimize: noOpt})
				if err != nil {
					t.Fatal(err)
				}
				if len(want) == 0 {
					t.Fatal("the reference has no solutions: the test checks nothing")
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("got %d solutions, want %d\ngot  %.600v\nwant %.600v", len(got), len(want), got, want)
				}
				if c := h.count(); c == 0 || c > tc.maxRequests {
					t.Errorf("%d requests, want 1..%d", c, tc.maxRequests)
				}
			})
		}
	}
}

// TestServiceBatching counts the requests of a bind join and checks what
// they carry.
func TestServiceBatching(t *testing.T) {
	local, remote := serviceData(250)
	ctx := context.Background()
	for _, batch := range []int{1, 7, 100, 1000} {
		t.Run(fmt.Sprint(batch), func(t *testing.T) {
			h := &localService{stores: map[string]graph.Store{remoteIRI: turtleStore(t, remote, graph.DefaultGraph, nil)}, batch: batch}
			st := turtleStore(t, local, graph.DefaultGraph, nil)
			q := `SELECT * { ?s <http://ex/p> ?o SERVICE <` + remoteIRI + `> { ?s <http://ex/q> ?x } }`
			got, err := solutions(ctx, st, q, Options{Service: h})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2*84+1 {
				t.Errorf("%d solutions, want %d", len(got), 2*84+1)
			}
			left := 252 // s0..s249, dup, dup2
			want := (left + batch - 1) / batch
			if h.count() != want {
				t.Errorf("%d requests with batches of %d, want %d", h.count(), batch, want)
			}
			sent := 0
			for _, r := range h.reqs {
				sent += len(r.Bindings)
				if len(r.Bindings) > batch {
					t.Errorf("a request carries %d bindings, more than the batch of %d", len(r.Bindings), batch)
				}
				if !strings.Contains(r.Query, "VALUES") {
					t.Errorf("a bind-join request has no VALUES block:\n%s", r.Query)
				}
			}
			if sent != left {
				t.Errorf("%d bindings sent, want %d (one per left solution)", sent, left)
			}
		})
	}
}

func TestServiceErrors(t *testing.T) {
	local := `@prefix : <http://ex/> . :a :p 1 . :b :p 2 . :c :ep <` + remoteIRI + `> . :d :ep "lit" .`
	refused := fmt.Errorf("endpoint refused: %w", ErrServiceDenied)
	down := errors.New("connection refused")
	tests := []struct {
		name    string
		query   string
		handler ServiceHandler
		want    []string
		err     error
	}{
		{"silent keeps the input", `SELECT * { ?s <http://ex/p> ?o SERVICE SILENT <` + remoteIRI + `> { ?s <http://ex/q> ?x } }`,
			&localService{fail: down}, []string{`?s=<http://ex/a> ?o="1"^^<http://www.w3.org/2001/XMLSchema#integer> `, `?s=<http://ex/b> ?o="2"^^<http://www.w3.org/2001/XMLSchema#integer> `}, nil},
		{"silent alone", `SELECT * { SERVICE SILENT <` + remoteIRI + `> { ?s <http://ex/q> ?x } }`,
			&localService{fail: down}, []string{""}, nil},
		{"failure", `SELECT * { ?s <http://ex/p> ?o SERVICE <` + remoteIRI + `> { ?s <http://ex/q> ?x } }`,
			&localService{fail: down}, nil, ErrServiceFailed},
		{"refused", `SELECT * { SERVICE <` + remoteIRI + `> { ?s <http://ex/q> ?x } }`,
			&localService{fail: refused}, nil, ErrServiceDenied},
		{"no handler", `SELECT * { SERVICE <` + remoteIRI + `> { ?s <http://ex/q> ?x } }`, nil, nil, ErrService},
		{"no handler silent", `SELECT * { ?s <http://ex/p> ?o SERVICE SILENT <` + remoteIRI + `> { ?s <http://ex/q> ?x } }`,
			nil, []string{`?s=<http://ex/a> ?o="1"^^<http://www.w3.org/2001/XMLSchema#integer> `, `?s=<http://ex/b> ?o="2"^^<http://www.w3.org/2001/XMLSchema#integer> `}, nil},
		{"unbound endpoint variable", `SELECT * { ?s <http://ex/p> ?o SERVICE ?e { ?s <http://ex/q> ?x } }`,
			&localService{}, nil, ErrService},
		{"endpoint variable not an IRI", `SELECT * { <http://ex/d> <http://ex/ep> ?e SERVICE ?e { ?s <http://ex/q> ?x } }`,
			&localService{}, nil, ErrService},
		{"silent endpoint variable not an IRI", `SELECT * { <http://ex/d> <http://ex/ep> ?e SERVICE SILENT ?e { ?s <http://ex/q> ?x } }`,
			&localService{}, []string{`?e="lit" `}, nil},
	}
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := turtleStore(t, local, graph.DefaultGraph, nil)
			got, err := solutions(ctx, st, tc.query, Options{Service: tc.handler})
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("error %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestServiceVariableEndpoint checks SERVICE ?e: one request per distinct
// endpoint of a batch, each joined with its own rows.
func TestServiceVariableEndpoint(t *testing.T) {
	e1, e2 := "http://one.example/sparql", "http://two.example/sparql"
	h := &localService{stores: map[string]graph.Store{
		e1: turtleStore(t, `<http://ex/a> <http://ex/name> "A1" . <http://ex/b> <http://ex/name> "B1" .`, graph.DefaultGraph, nil),
		e2: turtleStore(t, `<http://ex/a> <http://ex/name> "A2" .`, graph.DefaultGraph, nil),
	}, batch: 100}
	local := fmt.Sprintf(`<http://ex/a> <http://ex/at> <%s>, <%s> . <http://ex/b> <http://ex/at> <%s> .`, e1, e2, e2)
	st := turtleStore(t, local, graph.DefaultGraph, nil)
	got, err := solutions(context.Background(), st, `SELECT ?s ?n { ?s <http://ex/at> ?e SERVICE ?e { ?s <http://ex/name> ?n } }`, Options{Service: h})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`?s=<http://ex/a> ?n="A1" `, `?s=<http://ex/a> ?n="A2" `}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
	if h.count() != 2 {
		t.Errorf("%d requests, want 2 (one per endpoint)", h.count())
	}
}

// TestServiceQueryText checks the request text: escaped bindings, blank
// nodes as UNDEF, numbered rows only when there are several.
func TestServiceQueryText(t *testing.T) {
	got := serviceQuery("{ ?s ?p ?o }", []string{"s", "o", "__tessera_row"}, []string{"__tessera_row", "s", "o"}, [][]graph.Term{
		{graph.Literal("0", graph.XSDInteger), graph.IRI("http://ex/a>b"), graph.String("x\"y\n")},
		{graph.Literal("1", graph.XSDInteger), graph.Blank("b0"), {}},
		{graph.Literal("2", graph.XSDInteger), graph.IRI("http://ex/c"), graph.LangLiteral("chat", "fr")},
	})
	want := `SELECT ?s ?o ?__tessera_row
WHERE { ?s ?p ?o }
VALUES (?__tessera_row ?s ?o) {
  ("0"^^<http://www.w3.org/2001/XMLSchema#integer> <http://ex/a\u003Eb> "x\"y\n")
  ("1"^^<http://www.w3.org/2001/XMLSchema#integer> UNDEF UNDEF)
  ("2"^^<http://www.w3.org/2001/XMLSchema#integer> <http://ex/c> "chat"@fr)
}
`
	if got != want {
		t.Errorf("serviceQuery =\n%s\nwant\n%s", got, want)
	}
	if _, err := parser.ParseQuery(strings.ReplaceAll(got, `\u003E`, ``), parser.Options{}); err != nil {
		t.Errorf("the request does not parse: %v", err)
	}
	if got := serviceQuery("{ <a:b> <a:c> <a:d> }", nil, nil, nil); !strings.HasPrefix(got, "SELECT *\n") {
		t.Errorf("serviceQuery without variables = %q, want SELECT *", got)
	}
}

// TestServiceLimits checks the memory limit on a bind join's batch and
// the query's cancellation.
func TestServiceLimits(t *testing.T) {
	local, remote := serviceData(250)
	h := &localService{stores: map[string]graph.Store{remoteIRI: turtleStore(t, remote, graph.DefaultGraph, nil)}, batch: 100}
	st := turtleStore(t, local, graph.DefaultGraph, nil)
	q := `SELECT * { ?s <http://ex/p> ?o SERVICE <` + remoteIRI + `> { ?s <http://ex/q> ?x } }`
	if _, err := solutions(context.Background(), st, q, Options{Service: h, MaxMemory: 2000}); !errors.Is(err, ErrMemoryLimit) {
		t.Errorf("with a 2 kB limit: error %v, want ErrMemoryLimit", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := solutions(ctx, st, q, Options{Service: h}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
}

// TestServiceExplain checks that EXPLAIN ANALYZE reports a bind join's
// SERVICE: one loop per batch, the joined solutions as its rows.
func TestServiceExplain(t *testing.T) {
	local, remote := serviceData(250)
	h := &localService{stores: map[string]graph.Store{remoteIRI: turtleStore(t, remote, graph.DefaultGraph, nil)}, batch: 100}
	st := turtleStore(t, local, graph.DefaultGraph, nil)
	ast, err := parser.ParseQuery(`SELECT * { ?s <http://ex/p> ?o SERVICE <`+remoteIRI+`> { ?s <http://ex/q> ?x } }`, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q, err := algebra.Translate(ast, algebra.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := st.Snapshot(context.Background())
	defer snap.Release()
	plan, err := Explain(context.Background(), snap, q, Options{Service: h}, true)
	if err != nil || plan.Error != "" {
		t.Fatalf("Explain: %v %s", err, plan.Error)
	}
	found := false
	plan.Root.Walk(func(n *optimizer.Node) {
		if n.Operator != "service" {
			return
		}
		found = true
		if n.Actual == nil || n.Actual.Loops != 3 || n.Actual.Rows != 2*84+1 {
			t.Errorf("service node actual = %+v, want 3 loops and %d rows\n%s", n.Actual, 2*84+1, plan)
		}
	})
	if !found {
		t.Errorf("no service node in the plan:\n%s", plan)
	}
}

// TestServiceVariableEndpointOrder checks that SERVICE ?e runs after the
// pattern that binds ?e even when the optimizer would rather start with
// the SERVICE (a large local pattern, a small SERVICE estimate).
func TestServiceVariableEndpointOrder(t *testing.T) {
	e1 := "http://one.example/sparql"
	h := &localService{stores: map[string]graph.Store{e1: turtleStore(t, `<http://ex/s1> <http://ex/name> "A1" .`, graph.DefaultGraph, nil)}, batch: 1000}
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, "<http://ex/s%d> <http://ex/at> <%s> .\n", i, e1)
	}
	st := turtleStore(t, b.String(), graph.DefaultGraph, nil)
	for _, noOpt := range []bool{false, true} {
		got, err := solutions(context.Background(), st, `SELECT ?s ?n { SERVICE ?e { ?s <http://ex/name> ?n } ?s <http://ex/at> ?e }`, Options{Service: h, NoOptimize: noOpt})
		if noOpt {
			// As written, SERVICE ?e comes first with ?e unbound.
			if !errors.Is(err, ErrService) {
				t.Errorf("unoptimized: error %v, want ErrService", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if want := `?s=<http://ex/s1> ?n="A1" `; strings.Join(got, "|") != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	if h.count() != 3 {
		t.Errorf("%d requests for 3000 solutions in batches of 1000, want 3", h.count())
	}
}
