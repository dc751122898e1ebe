package update

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/sparql/parser"
)

const prefixes = "PREFIX : <http://example.org/>\n"

// trig reads a TriG dataset with the ':' prefix declared.
func trig(t *testing.T, src string) []graph.Quad {
	t.Helper()
	dec := turtle.NewTriGDecoder(strings.NewReader("@prefix : <http://example.org/> .\n"+src), syntax.Options{File: "test.trig"})
	qs, err := graph.Collect(syntax.Quads(dec))
	if err != nil {
		t.Fatalf("read TriG %q: %v", src, err)
	}
	for i := range qs {
		qs[i] = qs[i].Normalize()
	}
	return qs
}

// storeWith returns a memory store holding the TriG dataset and the empty
// named graphs listed.
func storeWith(t *testing.T, data string, empty ...string) graph.Store {
	t.Helper()
	st := memstore.New()
	ctx := context.Background()
	qs := trig(t, data)
	if err := st.Update(ctx, func(tx graph.Tx) error {
		for _, g := range empty {
			if err := tx.CreateGraph(ctx, graph.IRI("http://example.org/"+g)); err != nil {
				return err
			}
		}
		for _, q := range qs {
			if err := tx.Add(q); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("set up store: %v", err)
	}
	return st
}

func run(ctx context.Context, st graph.Store, req string, opts Options) error {
	u, err := parser.ParseUpdate(prefixes+req, parser.Options{Base: "http://example.org/req"})
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	return Execute(ctx, st, u, opts)
}

func namedGraphs(t *testing.T, st graph.Store) []string {
	t.Helper()
	ctx := context.Background()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	var out []string
	for g, err := range snap.Graphs(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.TrimPrefix(g.Value(), "http://example.org/"))
	}
	return out
}

type mapLoader map[string]string

func (m mapLoader) Load(ctx context.Context, iri string) (graph.Quads, error) {
	src, ok := m[iri]
	if !ok {
		return nil, fmt.Errorf("no document %s", iri)
	}
	dec := turtle.NewDecoder(strings.NewReader(src), syntax.Options{Base: iri})
	return syntax.Quads(dec), nil
}

func TestExecute(t *testing.T) {
	loader := mapLoader{"http://example.org/doc": "<s> <p> <o> ."}
	tests := []struct {
		name   string
		data   string
		empty  []string // empty named graphs before the request
		req    string
		opts   Options
		want   string   // TriG of the whole store after the request
		graphs []string // named graphs after the request, when checked
		err    error    // wanted error (errors.Is); the store must be unchanged
		anyErr bool     // an error of no particular kind is wanted
	}{
		{name: "insert data", req: `INSERT DATA { :a :p 1 . GRAPH :g { :a :p 2 } }`,
			want: `:a :p 1 . :g { :a :p 2 }`},
		{name: "insert data blank nodes are fresh", data: `_:x :p 1 .`, req: `INSERT DATA { _:x :p 2 }`,
			want: `_:x :p 1 . _:y :p 2 .`},
		{name: "delete data", data: `:a :p 1, 2 . :g { :a :p 2 }`, req: `DELETE DATA { :a :p 2 . GRAPH :g { :a :p 2 } }`,
			want: `:a :p 1 .`},
		{name: "delete data absent quad", data: `:a :p 1 .`, req: `DELETE DATA { :a :p 3 }`, want: `:a :p 1 .`},
		{name: "delete where", data: `:a :p 1; :q 2 . :b :p 3 .`, req: `DELETE WHERE { :a ?p ?o }`, want: `:b :p 3 .`},
		{name: "delete where with graph", data: `:a :p 1 . :g { :a :p 1 . :b :p 2 } :h { :a :p 1 }`,
			req: `DELETE WHERE { GRAPH ?g { :a :p ?o } }`, want: `:a :p 1 . :g { :b :p 2 }`},
		{name: "delete where default and graph joined", data: `:a :p 1 . :g { :a :q 1 } :h { :b :q 1 }`,
			req: `DELETE WHERE { ?s :p ?o . GRAPH ?g { ?s :q ?o } }`, want: `:h { :b :q 1 }`},
		{name: "modify deletes before inserting", data: `:a :knows :b . :b :knows :a .`,
			req:  `DELETE { ?x :knows ?y } INSERT { ?y :knows ?x } WHERE { ?x :knows ?y }`,
			want: `:a :knows :b . :b :knows :a .`},
		{name: "modify sees state before the operation", data: `:a :n 1 .`,
			req:  `DELETE { ?s :n ?v } INSERT { ?s :n ?w } WHERE { ?s :n ?v BIND(?v + 1 AS ?w) }`,
			want: `:a :n 2 .`},
		{name: "insert blank nodes fresh per solution", data: `:a :p 1 . :b :p 2 .`,
			req:  `INSERT { _:n :of ?s ; :v ?v } WHERE { ?s :p ?v }`,
			want: `:a :p 1 . :b :p 2 . _:x :of :a ; :v 1 . _:y :of :b ; :v 2 .`},
		{name: "unbound and ill-formed template quads dropped", data: `:a :p "lit" .`,
			req:  `INSERT { ?o :q :r . :s :t ?unbound . :a :copy ?o } WHERE { ?s :p ?o }`,
			want: `:a :p "lit" . :a :copy "lit" .`},
		{name: "graph variable bound to a literal dropped", data: `:a :p "lit" .`,
			req:  `INSERT { GRAPH ?o { :a :b :c } } WHERE { ?s :p ?o }`,
			want: `:a :p "lit" .`},
		{name: "with", data: `:a :p 1 . :g { :a :p 2 }`,
			req:  `WITH :g DELETE { ?s :p ?o } INSERT { ?s :q ?o } WHERE { ?s :p ?o }`,
			want: `:a :p 1 . :g { :a :q 2 }`},
		{name: "using overrides with for where", data: `:a :p 1 . :g { :a :p 2 } :h { :a :p 3 }`,
			req:  `WITH :g INSERT { ?s :q ?o } USING :h WHERE { ?s :p ?o }`,
			want: `:a :p 1 . :g { :a :p 2 . :a :q 3 } :h { :a :p 3 }`},
		{name: "using named alone leaves the default graph empty", data: `:a :p 1 . :g { :a :p 2 }`,
			req:  `INSERT { :r :s ?o } USING NAMED :g WHERE { ?s :p ?o }`,
			want: `:a :p 1 . :g { :a :p 2 }`},
		{name: "using named restricts graph", data: `:g { :a :p 2 } :h { :a :p 3 }`,
			req:  `INSERT { :r :s ?o } USING NAMED :g WHERE { GRAPH ?g { ?s :p ?o } }`,
			want: `:r :s 2 . :g { :a :p 2 } :h { :a :p 3 }`},
		{name: "using merges several graphs", data: `:g { :a :p 1 } :h { :a :q 2 }`,
			req:  `INSERT { ?s :both ?o } USING :g USING :h WHERE { ?s :p ?x ; :q ?o }`,
			want: `:a :both 2 . :g { :a :p 1 } :h { :a :q 2 }`},
		{name: "template graph variable", data: `:g { :a :p 1 } :h { :b :p 2 }`,
			req:  `DELETE { GRAPH ?g { ?s :p ?o } } INSERT { GRAPH :all { ?s :p ?o } } WHERE { GRAPH ?g { ?s :p ?o } }`,
			want: `:all { :a :p 1 . :b :p 2 }`},
		{name: "with and explicit graph in template", data: `:g { :a :p 1 }`,
			req:  `WITH :g INSERT { ?s :q ?o . GRAPH :h { ?s :p ?o } } WHERE { ?s :p ?o }`,
			want: `:g { :a :p 1 ; :q 1 } :h { :a :p 1 }`},
		{name: "union default graph", data: `:g { :a :p 2 }`, opts: Options{UnionDefaultGraph: true},
			req: `INSERT { ?s :q ?o } WHERE { ?s :p ?o }`, want: `:a :q 2 . :g { :a :p 2 }`},
		{name: "operations see earlier ones", req: `INSERT DATA { :a :p 1 } ; INSERT { ?s :q ?o } WHERE { ?s :p ?o }`,
			want: `:a :p 1 ; :q 1 .`},
		{name: "too many solutions", data: `:a :p 1, 2, 3 .`, opts: Options{MaxSolutions: 2},
			req: `DELETE WHERE { :a :p ?o }`, err: ErrTooManySolutions},
		{name: "load", req: `LOAD <http://example.org/doc>`, opts: Options{Loader: loader},
			want: `:s :p :o .`},
		{name: "load into", req: `LOAD <http://example.org/doc> INTO GRAPH :g`, opts: Options{Loader: loader},
			want: `:g { :s :p :o }`},
		{name: "load disabled", req: `LOAD <http://example.org/doc>`, err: ErrLoadDisabled},
		{name: "load silent disabled", data: `:a :p 1 .`, req: `LOAD SILENT <http://example.org/doc>`, want: `:a :p 1 .`},
		{name: "load missing", req: `LOAD <http://example.org/none>`, opts: Options{Loader: loader}, anyErr: true},
		{name: "load silent missing", req: `LOAD SILENT <http://example.org/none> INTO GRAPH :g`, opts: Options{Loader: loader}},
		{name: "clear graph", data: `:a :p 1 . :g { :a :p 2 }`, req: `CLEAR GRAPH :g`, want: `:a :p 1 .`, graphs: []string{"g"}},
		{name: "clear missing graph", data: `:a :p 1 .`, req: `CLEAR GRAPH :g`, err: graph.ErrGraphNotFound},
		{name: "clear silent missing graph", data: `:a :p 1 .`, req: `CLEAR SILENT GRAPH :g`, want: `:a :p 1 .`},
		{name: "clear default", data: `:a :p 1 . :g { :a :p 2 }`, req: `CLEAR DEFAULT`, want: `:g { :a :p 2 }`},
		{name: "clear named", data: `:a :p 1 . :g { :a :p 2 } :h { :a :p 3 }`, req: `CLEAR NAMED`, want: `:a :p 1 .`,
			graphs: []string{"g", "h"}},
		{name: "clear all", data: `:a :p 1 . :g { :a :p 2 }`, req: `CLEAR ALL`, graphs: []string{"g"}},
		{name: "drop graph", data: `:a :p 1 . :g { :a :p 2 }`, req: `DROP GRAPH :g`, want: `:a :p 1 .`, graphs: []string{}},
		{name: "drop missing graph", req: `DROP GRAPH :g`, err: graph.ErrGraphNotFound},
		{name: "drop silent missing graph", req: `DROP SILENT GRAPH :g`},
		{name: "drop default", data: `:a :p 1 . :g { :a :p 2 }`, req: `DROP DEFAULT`, want: `:g { :a :p 2 }`},
		{name: "drop named", data: `:a :p 1 . :g { :a :p 2 }`, empty: []string{"e"}, req: `DROP NAMED`, want: `:a :p 1 .`,
			graphs: []string{}},
		{name: "drop all", data: `:a :p 1 . :g { :a :p 2 }`, req: `DROP ALL`, graphs: []string{}},
		{name: "create", req: `CREATE GRAPH :g`, graphs: []string{"g"}},
		{name: "create existing", empty: []string{"g"}, req: `CREATE GRAPH :g`, err: graph.ErrGraphExists},
		{name: "create silent existing", data: `:g { :a :p 1 }`, req: `CREATE SILENT GRAPH :g`, want: `:g { :a :p 1 }`},
		{name: "add", data: `:a :p 1 . :g { :a :p 2 }`, req: `ADD DEFAULT TO :g`, want: `:a :p 1 . :g { :a :p 1, 2 }`},
		{name: "add to new graph", data: `:g { :a :p 2 }`, req: `ADD :g TO :h`, want: `:g { :a :p 2 } :h { :a :p 2 }`},
		{name: "add missing source", req: `ADD :g TO :h`, err: graph.ErrGraphNotFound},
		{name: "add silent missing source", req: `ADD SILENT :g TO DEFAULT`},
		{name: "add to itself", data: `:g { :a :p 2 }`, req: `ADD :g TO :g`, want: `:g { :a :p 2 }`},
		{name: "copy replaces", data: `:a :p 1 . :g { :a :p 2 }`, req: `COPY :g TO DEFAULT`, want: `:a :p 2 . :g { :a :p 2 }`},
		{name: "copy empty graph", data: `:h { :a :p 3 }`, empty: []string{"g"}, req: `COPY :g TO :h`, graphs: []string{"g", "h"}},
		{name: "copy missing source", data: `:a :p 1 .`, req: `COPY :g TO DEFAULT`, err: graph.ErrGraphNotFound},
		{name: "copy silent missing source", data: `:a :p 1 .`, req: `COPY SILENT :g TO DEFAULT`, want: `:a :p 1 .`},
		{name: "copy default to itself", data: `:a :p 1 .`, req: `COPY DEFAULT TO DEFAULT`, want: `:a :p 1 .`},
		{name: "move", data: `:a :p 1 . :g { :a :p 2 } :h { :a :p 3 }`, req: `MOVE :g TO :h`,
			want: `:a :p 1 . :h { :a :p 2 }`, graphs: []string{"h"}},
		{name: "move default", data: `:a :p 1 . :g { :a :p 2 }`, req: `MOVE DEFAULT TO :g`, want: `:g { :a :p 1 }`},
		{name: "move to itself", data: `:g { :a :p 2 }`, req: `MOVE :g TO :g`, want: `:g { :a :p 2 }`},
		{name: "move missing source", req: `MOVE :g TO :h`, err: graph.ErrGraphNotFound},
		{name: "move silent missing source", data: `:h { :a :p 1 }`, req: `MOVE SILENT :g TO :h`, want: `:h { :a :p 1 }`},
		{name: "atomic: last operation fails", data: `:a :p 1 .`,
			req: `INSERT DATA { :b :p 2 } ; DELETE DATA { :a :p 1 } ; CREATE GRAPH :g ; DROP GRAPH :missing`,
			err: graph.ErrGraphNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st := storeWith(t, tt.data, tt.empty...)
			err := run(ctx, st, tt.req, tt.opts)
			want := tt.want
			switch {
			case tt.err != nil || tt.anyErr:
				if err == nil || tt.err != nil && !errors.Is(err, tt.err) {
					t.Fatalf("Execute(%q) = %v, want %v", tt.req, err, tt.err)
				}
				want = tt.data // a failed request changes nothing
			case err != nil:
				t.Fatalf("Execute(%q) = %v", tt.req, err)
			}
			got, err := storeQuads(ctx, st)
			if err != nil {
				t.Fatal(err)
			}
			if w := trig(t, want); !graph.Isomorphic(got, w) {
				t.Errorf("Execute(%q) left %s\nwant %s", tt.req, showQuads(got), showQuads(w))
			}
			if tt.graphs != nil {
				gs := namedGraphs(t, st)
				if !sameSet(gs, tt.graphs) {
					t.Errorf("Execute(%q) left named graphs %v, want %v", tt.req, gs, tt.graphs)
				}
			}
			if (tt.err != nil || tt.anyErr) && tt.empty == nil {
				if gs := namedGraphs(t, st); !sameSet(gs, graphsOf(trig(t, tt.data))) {
					t.Errorf("failed Execute(%q) left named graphs %v", tt.req, gs)
				}
			}
		})
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func graphsOf(qs []graph.Quad) []string {
	seen := map[string]bool{}
	var out []string
	for _, q := range qs {
		if g := q.G; g.IsIRI() && !seen[g.Value()] {
			seen[g.Value()] = true
			out = append(out, strings.TrimPrefix(g.Value(), "http://example.org/"))
		}
	}
	return out
}

// TestBlankNodesFreshPerRequest checks that two requests inserting the same
// template label create two different nodes.
func TestBlankNodesFreshPerRequest(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	for range 2 {
		if err := run(ctx, st, `INSERT DATA { _:b :p 1 }`, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := storeQuads(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].S == got[1].S {
		t.Errorf("two INSERT DATA of _:b gave %s, want two different subjects", showQuads(got))
	}
}

// TestCancelled checks that a cancelled context stops the request before
// anything changes.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st := memstore.New()
	if err := run(ctx, st, `INSERT DATA { :a :p 1 }`, Options{}); err == nil {
		t.Fatal("Execute with a cancelled context succeeded")
	}
	got, err := storeQuads(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("cancelled request left %s", showQuads(got))
	}
}

// TestNow checks that NOW() is the same in every operation of a request.
func TestNow(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	err := run(ctx, st, `INSERT { :a :t ?n } WHERE { BIND(NOW() AS ?n) } ; INSERT { :b :t ?n } WHERE { BIND(NOW() AS ?n) }`, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := storeQuads(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].O != got[1].O {
		t.Errorf("NOW() differs between operations: %s", showQuads(got))
	}
}

// TestAtomicOnBadger checks on the disk store that a request whose last
// operation fails leaves nothing of the earlier ones.
func TestAtomicOnBadger(t *testing.T) {
	ctx := context.Background()
	st, err := badgerstore.Open(t.TempDir(), badgerstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := run(ctx, st, `INSERT DATA { :a :p 1 . GRAPH :g { :a :p 2 } }`, Options{}); err != nil {
		t.Fatal(err)
	}
	req := `DELETE WHERE { ?s ?p ?o } ; DROP GRAPH :g ; INSERT DATA { :b :p 3 } ; CREATE GRAPH :h ; ADD :missing TO :h`
	if err := run(ctx, st, req, Options{}); !errors.Is(err, graph.ErrGraphNotFound) {
		t.Fatalf("Execute(%q) = %v, want %v", req, err, graph.ErrGraphNotFound)
	}
	got, err := storeQuads(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if want := trig(t, `:a :p 1 . :g { :a :p 2 }`); !graph.Isomorphic(got, want) {
		t.Errorf("failed request left %s\nwant %s", showQuads(got), showQuads(want))
	}
	if gs := namedGraphs(t, st); !sameSet(gs, []string{"g"}) {
		t.Errorf("failed request left named graphs %v, want [g]", gs)
	}
}
