package update

import (
	"context"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/graph/graphgen"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/sparql/ast"
	"github.com/tessera-fair/tessera/sparql/parser"
)

func openBadger(b *testing.B) graph.Store {
	b.Helper()
	st, err := badgerstore.Open(b.TempDir(), badgerstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func mustParse(b *testing.B, src string) *ast.Update {
	b.Helper()
	u, err := parser.ParseUpdate(src, parser.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return u
}

// BenchmarkInsertData executes INSERT DATA with 10k catalogue triples into
// an empty default graph (parsing excluded).
func BenchmarkInsertData(b *testing.B) {
	const n = 10_000
	var sb strings.Builder
	sb.WriteString("INSERT DATA {\n")
	for q, err := range graphgen.Catalog(n, 1) {
		if err != nil {
			b.Fatal(err)
		}
		sb.WriteString(q.String())
		sb.WriteByte('\n')
	}
	sb.WriteString("}\n")
	src := sb.String()
	u := mustParse(b, src)
	clearAll := mustParse(b, "CLEAR ALL")
	for _, s := range []struct {
		name string
		open func(b *testing.B) graph.Store
	}{
		{"memstore", func(*testing.B) graph.Store { return memstore.New() }},
		{"badgerstore", openBadger},
	} {
		b.Run(s.name, func(b *testing.B) {
			ctx := context.Background()
			st := s.open(b)
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				if err := Execute(ctx, st, clearAll, Options{}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := Execute(ctx, st, u, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "triples/s")
		})
	}
}

// BenchmarkModify runs a DELETE/INSERT WHERE that rewrites one predicate
// (one study or dataset in three has it) over a 100k-triple catalogue on
// badgerstore; each iteration renames it back and forth, so every
// iteration deletes and inserts the same number of triples.
func BenchmarkModify(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	st := openBadger(b)
	if _, err := graph.Load(ctx, st, graphgen.Catalog(n, 1), graph.LoadOptions{}); err != nil {
		b.Fatal(err)
	}
	const pfx = "PREFIX e: <https://cancerimage.eu/ontology/EUCAIM#> PREFIX x: <http://example.org/>\n"
	fwd := mustParse(b, pfx+"DELETE { ?s e:hasImageModality ?m } INSERT { ?s x:modality ?m } WHERE { ?s e:hasImageModality ?m }")
	back := mustParse(b, pfx+"DELETE { ?s x:modality ?m } INSERT { ?s e:hasImageModality ?m } WHERE { ?s x:modality ?m }")
	snap, err := st.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	changed, err := snap.Count(ctx, graph.Pattern{P: graph.IRI("https://cancerimage.eu/ontology/EUCAIM#hasImageModality")})
	snap.Release()
	if err != nil || changed == 0 {
		b.Fatalf("count modality triples: %d, %v", changed, err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		u := fwd
		if i%2 == 1 {
			u = back
		}
		i++
		if err := Execute(ctx, st, u, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(changed), "solutions/op")
	b.ReportMetric(float64(2*changed)*float64(b.N)/b.Elapsed().Seconds(), "triples/s")
}
