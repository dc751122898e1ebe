//go:build benchstore

package eval

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/graph/graphgen"
)

// BenchmarkStoreQueries runs the catalogue queries of catQueries over
// graphgen.Catalog(1_000_000, 1) in graph/badgerstore, with and without
// the optimizer. The store is built once and kept under the OS temporary
// directory (tessera-bench-catalog-1m) for later runs; delete it to
// rebuild. It is behind the benchstore build tag so that the package's
// tests do not depend on graph/badgerstore compiling:
//
//	go test -tags benchstore -run '^$' -bench StoreQueries -benchtime 3x ./sparql/eval
func BenchmarkStoreQueries(b *testing.B) {
	ctx := context.Background()
	const n = 1_000_000
	dir := filepath.Join(os.TempDir(), "tessera-bench-catalog-1m")
	done := filepath.Join(dir, "loaded")
	if _, err := os.Stat(done); err != nil {
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		st, err := badgerstore.Open(dir, badgerstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := graph.Load(ctx, st, graphgen.Catalog(n, 1), graph.LoadOptions{}); err != nil {
			b.Fatal(err)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	st, err := badgerstore.Open(dir, badgerstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	stats, err := st.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer snap.Release()
	for _, tc := range catQueries {
		q := parse(b, tc.query)
		for _, mode := range []struct {
			name string
			opts Options
		}{
			{"optimized", Options{Stats: stats}},
			{"unoptimized", Options{NoOptimize: true}},
		} {
			b.Run(tc.name+"/"+mode.name, func(b *testing.B) {
				rows := 0
				for b.Loop() {
					res, err := Query(ctx, snap, q, mode.opts)
					if err != nil {
						b.Fatal(err)
					}
					rows = 0
					for _, err := range res.Solutions {
						if err != nil {
							b.Fatal(err)
						}
						rows++
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "triples/s")
				b.ReportMetric(float64(rows), "rows")
			})
		}
	}
}
