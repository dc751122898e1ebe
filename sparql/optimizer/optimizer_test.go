package optimizer

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/ast"
	"github.com/tessera-fair/tessera/sparql/parser"
)

var update = flag.Bool("update", false, "rewrite the expected plans of testdata/*.test")

// TestRules runs the data-driven tests of testdata/*.test, in the style of
// CockroachDB's opt testdata: a file is a sequence of blocks separated by
// blank lines.
//
//	prefix ex: <http://example.org/>   a prefix for every later block
//	stats                               the statistics fixture:
//	quads 1000                          total quads
//	predicate ex:p 100 80 20            quads, distinct subjects, objects
//	frequent ex:p ex:o 500              a frequent object of ex:p, its quads
//	count ?s ex:p ex:o 7                an exact count the catalog knows
//	optimize                            a query, then after ---- the rules
//	SELECT ...                          that fired and the printed plan
//	----
//	fired: reorder-join
//	project ...
//
// go test -update rewrites the expected output.
func TestRules(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.test"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { runFile(t, f) })
	}
}

// fixture is a Catalog read from a test file.
type fixture struct {
	stats  *graph.Stats
	counts map[graph.Pattern]int64
}

func (f *fixture) Stats(context.Context) (*graph.Stats, error) { return f.stats, nil }

func (f *fixture) Count(_ context.Context, p graph.Pattern) (int64, bool, error) {
	n, ok := f.counts[p]
	return n, ok, nil
}

func runFile(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	var out []string
	prefixes := map[string]string{}
	var prologue strings.Builder
	cat := &fixture{counts: map[graph.Pattern]int64{}}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		where := fmt.Sprintf("%s:%d", path, i+1)
		word, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			out = append(out, line)
		case word == "prefix":
			out = append(out, line)
			name, iri, _ := strings.Cut(arg, " ")
			prefixes[strings.TrimSuffix(name, ":")] = strings.Trim(strings.TrimSpace(iri), "<>")
			fmt.Fprintf(&prologue, "PREFIX %s\n", arg)
		case word == "stats":
			out = append(out, line)
			cat.stats = &graph.Stats{Graphs: map[graph.Term]int64{}, Predicates: map[graph.Term]graph.PredicateStats{}, Terms: -1}
			for i+1 < len(lines) && lines[i+1] != "" {
				i++
				out = append(out, lines[i])
				if err := cat.read(lines[i], prefixes); err != nil {
					t.Fatalf("%s:%d: %v", path, i+1, err)
				}
			}
		case word == "optimize":
			out = append(out, line)
			var q []string
			for i+1 < len(lines) && lines[i+1] != "----" {
				i++
				out = append(out, lines[i])
				q = append(q, lines[i])
			}
			i++ // ----
			out = append(out, "----")
			var want []string
			for i+1 < len(lines) && lines[i+1] != "" {
				i++
				want = append(want, lines[i])
			}
			got := optimizeText(t, where, prologue.String()+strings.Join(q, "\n"), cat)
			out = append(out, got...)
			if !*update && strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s: plan differs (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", where, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		default:
			t.Fatalf("%s: unknown directive %q", where, line)
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func (f *fixture) read(line string, prefixes map[string]string) error {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return nil
	}
	num := func(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }
	switch fields[0] {
	case "quads":
		if len(fields) != 2 {
			return fmt.Errorf("quads N")
		}
		n, err := num(fields[1])
		f.stats.Quads = n
		return err
	case "predicate":
		if len(fields) != 5 {
			return fmt.Errorf("predicate IRI quads subjects objects")
		}
		p, err := term(fields[1], prefixes)
		if err != nil {
			return err
		}
		var v [3]int64
		for i := range v {
			if v[i], err = num(fields[2+i]); err != nil {
				return err
			}
		}
		f.stats.Predicates[p] = graph.PredicateStats{Quads: v[0], Subjects: v[1], Objects: v[2]}
	case "frequent":
		if len(fields) != 4 {
			return fmt.Errorf("frequent PREDICATE OBJECT quads")
		}
		p, err := term(fields[1], prefixes)
		if err != nil {
			return err
		}
		o, err := term(fields[2], prefixes)
		if err != nil {
			return err
		}
		n, err := num(fields[3])
		if err != nil {
			return err
		}
		ps := f.stats.Predicates[p]
		if ps.FrequentObjects == nil {
			ps.FrequentObjects = map[graph.Term]int64{}
		}
		ps.FrequentObjects[o] = n
		f.stats.Predicates[p] = ps
	case "count":
		if len(fields) != 5 {
			return fmt.Errorf("count S P O N")
		}
		var ts [3]graph.Term
		for i := range ts {
			if strings.HasPrefix(fields[1+i], "?") {
				continue
			}
			var err error
			if ts[i], err = term(fields[1+i], prefixes); err != nil {
				return err
			}
		}
		n, err := num(fields[4])
		f.counts[graph.Pattern{S: ts[0], P: ts[1], O: ts[2]}] = n
		return err
	default:
		return fmt.Errorf("unknown statistic %q", fields[0])
	}
	return nil
}

func term(s string, prefixes map[string]string) (graph.Term, error) {
	switch {
	case strings.HasPrefix(s, "<"):
		return graph.IRI(strings.Trim(s, "<>")), nil
	case strings.HasPrefix(s, `"`):
		return graph.String(strings.Trim(s, `"`)), nil
	}
	pfx, local, ok := strings.Cut(s, ":")
	ns, known := prefixes[pfx]
	if !ok || !known {
		return graph.Term{}, fmt.Errorf("unknown term %q", s)
	}
	return graph.IRI(ns + local), nil
}

func optimizeText(t *testing.T, where, src string, cat Catalog) []string {
	a, err := parser.ParseQuery(src, parser.Options{})
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	q, err := algebra.Translate(a, algebra.Options{})
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	before := algebra.Format(q.Op)
	op, tr := Config{Fold: foldIntegers}.Optimize(context.Background(), q.Op, cat)
	if tr.Err != nil {
		t.Errorf("%s: catalog error %v", where, tr.Err)
	}
	if algebra.Format(q.Op) != before {
		t.Errorf("%s: Optimize modified its input", where)
	}
	rules := "fired: " + strings.Join(tr.Rules(), " ")
	if len(tr.Fired) == 0 {
		rules = "fired: none"
	}
	return append([]string{rules}, strings.Split(strings.TrimRight(Tree(op, tr).String(), "\n"), "\n")...)
}

// foldIntegers is a test Fold: integer +, -, * and comparisons.
func foldIntegers(e algebra.Expr) (graph.Term, bool) {
	b, ok := e.(*algebra.Binary)
	if !ok {
		return graph.Term{}, false
	}
	x, ok1 := intConst(b.X)
	y, ok2 := intConst(b.Y)
	if !ok1 || !ok2 {
		return graph.Term{}, false
	}
	integer := func(n int64) (graph.Term, bool) {
		return graph.Literal(strconv.FormatInt(n, 10), graph.XSDInteger), true
	}
	boolean := func(v bool) (graph.Term, bool) {
		return graph.Literal(strconv.FormatBool(v), graph.XSDBoolean), true
	}
	switch b.Op {
	case ast.OpAdd:
		return integer(x + y)
	case ast.OpSub:
		return integer(x - y)
	case ast.OpMul:
		return integer(x * y)
	case ast.OpLt:
		return boolean(x < y)
	case ast.OpGt:
		return boolean(x > y)
	case ast.OpEq:
		return boolean(x == y)
	}
	return graph.Term{}, false
}

func intConst(e algebra.Expr) (int64, bool) {
	c, ok := e.(*algebra.Const)
	if !ok || c.Term.Datatype() != graph.XSDInteger {
		return 0, false
	}
	n, err := strconv.ParseInt(c.Term.Value(), 10, 64)
	return n, err == nil
}

func TestOptimizeDoesNotFailWithoutCatalog(t *testing.T) {
	a, err := parser.ParseQuery(`SELECT * { ?s ?p ?o . ?o ?q ?r FILTER(?r > 1) }`, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q, err := algebra.Translate(a, algebra.Options{})
	if err != nil {
		t.Fatal(err)
	}
	op, tr := Optimize(context.Background(), q.Op, nil)
	if op == nil || tr == nil {
		t.Fatalf("Optimize(nil catalog) = %v, %v", op, tr)
	}
}
