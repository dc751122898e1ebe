package eval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/parser"
)

const fuzzData = `
@prefix : <http://example.org/ns#> .
@prefix ex: <http://example.org/> .
:a :p :b , 1 , "x"@en ; :q [ :r 2.5 ] .
:b :p :a ; :name "b" .
ex:s ex:p ex:o .
`

// FuzzEval evaluates arbitrary queries, seeded with the positive syntax
// tests of the W3C suite, on a tiny dataset: translation and evaluation
// must never panic, and every query ends within its deadline.
func FuzzEval(f *testing.F) {
	dir := filepath.Join(suiteDir(f), "rdf-tests", "sparql", "sparql11", "syntax-query")
	files, _ := filepath.Glob(filepath.Join(dir, "*.rq"))
	for _, name := range files {
		if strings.Contains(filepath.Base(name), "bad") {
			continue
		}
		if src, err := os.ReadFile(name); err == nil {
			f.Add(string(src))
		}
	}
	f.Add("SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?z FILTER(?z > 1) } }")
	ctx := context.Background()
	st := memstore.New()
	dec := turtle.NewDecoder(strings.NewReader(fuzzData), syntax.Options{})
	if _, err := graph.Load(ctx, st, syntax.Quads(dec), graph.LoadOptions{}); err != nil {
		f.Fatal(err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		a, err := parser.ParseQuery(src, parser.Options{Base: "http://example.org/"})
		if err != nil {
			return
		}
		q, err := algebra.Translate(a, algebra.Options{})
		if err != nil {
			return
		}
		_ = algebra.Format(q.Op)
		ctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		res, err := Query(ctx, snap, q, Options{})
		if err != nil {
			return
		}
		n := 0
		switch {
		case res.Solutions != nil:
			for range res.Solutions {
				if n++; n > 10_000 {
					break
				}
			}
		case res.Quads != nil:
			for range res.Quads {
				if n++; n > 10_000 {
					break
				}
			}
		}
	})
}
