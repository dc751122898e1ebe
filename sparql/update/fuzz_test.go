package update

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/parser"
)

const fuzzData = `:a :p 1 ; :q "x"@en ; :r _:b . _:b :p :a .
:g { :a :p 2 . :b :p :a } :h { :c :q 3 }`

// FuzzExecute runs arbitrary update requests (seeded with the suite's .ru
// files) on a small dataset: Execute must never panic (the store would turn
// a panic into an error mentioning it), and a request that fails must leave
// the store exactly as it was.
func FuzzExecute(f *testing.F) {
	root := filepath.Join(suiteDir(f), "rdf-tests", "sparql", "sparql11")
	for _, dir := range []string{"add", "basic-update", "clear", "copy", "delete-data", "delete-insert", "delete-where", "delete", "drop", "move", "update-silent", "syntax-update-1"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.ru"))
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(src))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		u, err := parser.ParseUpdate(src, parser.Options{Base: "http://example.org/"})
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		st := storeWith(t, fuzzData)
		before, err := storeQuads(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		err = Execute(ctx, st, u, Options{MaxSolutions: 10_000, Loader: mapLoader{"http://example.org/doc": "<s> <p> <o> ."}})
		if err == nil {
			return
		}
		if strings.Contains(err.Error(), "panic") {
			t.Fatalf("Execute(%q) panicked: %v", src, err)
		}
		after, err2 := storeQuads(context.Background(), st)
		if err2 != nil {
			t.Fatal(err2)
		}
		if !graph.Isomorphic(before, after) {
			t.Fatalf("Execute(%q) failed (%v) but changed the store:%s", src, err, showQuads(after))
		}
	})
}
