package eval

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/parser"
)

// TestScripts runs the evaluator scripts of testdata/scripts, in the style
// of Prometheus' promqltest: readable files of data → query → expected
// rows. A script is a sequence of blocks separated by blank lines:
//
//	prefix : <http://example.org/>     prefixes for every later block
//	data [<graph IRI>]                 Turtle, into the default or a named graph
//	query                              a SPARQL query
//	expect [ordered]                   a header of variables, then one row per
//	?x ?y                              line in SPARQL VALUES syntax
//	(:a 1)                             (UNDEF for unbound)
//	expect ask true|false              the answer of an ASK
//	expect empty                       no solutions
//
// A line starting with one of the keywords opens a new block. Lines
// starting with '#' are comments. Each query block is checked by the
// expect block after it.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "scripts", "*.test"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { runScript(t, f) })
	}
}

type block struct {
	line int
	head string
	body []string
}

func readBlocks(t *testing.T, path string) []block {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []block
	var cur *block
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "#"):
			continue
		case trimmed == "":
			cur = nil
			continue
		case cur == nil || startsBlock(line):
			out = append(out, block{line: n, head: trimmed})
			cur = &out[len(out)-1]
		default:
			cur.body = append(cur.body, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// startsBlock reports whether a line opens a block even without a blank
// line before it.
func startsBlock(line string) bool {
	word, _, _ := strings.Cut(line, " ")
	switch word {
	case "prefix", "data", "query", "expect":
		return true
	}
	return false
}

func runScript(t *testing.T, path string) {
	ctx := context.Background()
	st := memstore.New()
	var prefixes []string
	var query string
	var queryLine int
	for _, b := range readBlocks(t, path) {
		word, arg, _ := strings.Cut(b.head, " ")
		switch word {
		case "prefix":
			prefixes = append(prefixes, arg)
			for _, l := range b.body {
				prefixes = append(prefixes, strings.TrimPrefix(strings.TrimSpace(l), "prefix "))
			}
		case "data":
			var src strings.Builder
			for _, p := range prefixes {
				fmt.Fprintf(&src, "@prefix %s .\n", p)
			}
			src.WriteString(strings.Join(b.body, "\n"))
			g := graph.DefaultGraph
			if arg != "" {
				g = graph.IRI(strings.Trim(arg, "<>"))
			}
			dec := turtle.NewDecoder(strings.NewReader(src.String()), syntax.Options{File: fmt.Sprintf("%s:%d", path, b.line)})
			if _, err := graph.Load(ctx, st, syntax.Quads(dec), graph.LoadOptions{Graph: g}); err != nil {
				t.Fatalf("%s:%d: load: %v", path, b.line, err)
			}
		case "query":
			if query != "" {
				t.Errorf("%s:%d: query without expect", path, queryLine)
			}
			query, queryLine = prologue(prefixes)+strings.Join(b.body, "\n"), b.line
		case "expect":
			if query == "" {
				t.Fatalf("%s:%d: expect without query", path, b.line)
			}
			checkExpect(t, ctx, st, fmt.Sprintf("%s:%d", path, queryLine), query, prefixes, arg, b.body)
			query = ""
		default:
			t.Fatalf("%s:%d: unknown block %q", path, b.line, b.head)
		}
	}
	if query != "" {
		t.Errorf("%s:%d: query without expect", path, queryLine)
	}
}

func prologue(prefixes []string) string {
	var b strings.Builder
	for _, p := range prefixes {
		fmt.Fprintf(&b, "PREFIX %s\n", p)
	}
	return b.String()
}

func runQuery(ctx context.Context, st graph.Store, src string) (*algebra.Query, *Result, error) {
	a, err := parser.ParseQuery(src, parser.Options{Base: "http://example.org/base/"})
	if err != nil {
		return nil, nil, err
	}
	q, err := algebra.Translate(a, algebra.Options{Base: "http://example.org/base/"})
	if err != nil {
		return nil, nil, err
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	res, err := Query(ctx, snap, q, Options{Seed: 1})
	return q, res, err
}

func checkExpect(t *testing.T, ctx context.Context, st graph.Store, where, query string, prefixes []string, arg string, body []string) {
	t.Helper()
	q, res, err := runQuery(ctx, st, query)
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	switch {
	case strings.HasPrefix(arg, "ask"):
		want := strings.TrimSpace(strings.TrimPrefix(arg, "ask")) == "true"
		if res.Boolean != want {
			t.Errorf("%s: ASK = %v, want %v\n%s", where, res.Boolean, want, algebra.Format(q.Op))
		}
		return
	}
	var got []map[string]graph.Term
	for sol, err := range res.Solutions {
		if err != nil {
			t.Errorf("%s: %v", where, err)
			return
		}
		r := map[string]graph.Term{}
		for i, v := range res.Vars {
			if !sol[i].IsZero() {
				r[v] = sol[i]
			}
		}
		got = append(got, r)
	}
	var want []map[string]graph.Term
	if arg != "empty" {
		if len(body) == 0 {
			t.Fatalf("%s: expect block without a header", where)
		}
		// The rows are read by the SPARQL parser as a VALUES block.
		src := prologue(prefixes) + "SELECT * {} VALUES (" + body[0] + ") {\n" + strings.Join(body[1:], "\n") + "\n}"
		_, vres, err := runQuery(ctx, memstore.New(), src)
		if err != nil {
			t.Fatalf("%s: expected rows: %v", where, err)
		}
		for sol := range vres.Solutions {
			r := map[string]graph.Term{}
			for i, v := range vres.Vars {
				if !sol[i].IsZero() {
					r[v] = sol[i]
				}
			}
			want = append(want, r)
		}
	}
	if !sameResults(got, want, arg == "ordered") {
		t.Errorf("%s: query\n%s\nplan\n%s\ngot  %s\nwant %s", where, query, algebra.Format(q.Op), showRows(got), showRows(want))
	}
}
