package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tessera-fair/tessera/sparql/eval"
)

func TestLoadQueries(t *testing.T) {
	qs, err := loadQueries(queryFiles)
	if err != nil {
		t.Fatalf("loadQueries(embedded) = %v", err)
	}
	if len(qs) < 12 {
		t.Errorf("loadQueries(embedded) gave %d queries, want at least 12", len(qs))
	}
	lookups := 0
	for _, q := range qs {
		if q.Lookup {
			lookups++
		}
		if _, err := prepare(q); err != nil {
			t.Errorf("prepare(%s) = %v", q.Name, err)
		}
	}
	if lookups == 0 {
		t.Errorf("no query is marked # kind: lookup")
	}
	// The issue asks for these query shapes; each must be somewhere.
	all := ""
	for _, q := range qs {
		all += q.Text
	}
	for _, want := range []string{"subClassOf*", "GROUP BY", "OPTIONAL", "CONTAINS(", "REGEX(", "LIMIT", "OFFSET", "CONSTRUCT", "ASK", "GRAPH", "xsd:date"} {
		if !strings.Contains(all, want) {
			t.Errorf("no benchmark query uses %s", want)
		}
	}
}

func TestLoadQueriesErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		fs   fstest.MapFS
		want string
	}{
		{"no comment", fstest.MapFS{"queries/a.rq": {Data: []byte("ASK {}")}}, "no leading comment"},
		{"kind only", fstest.MapFS{"queries/a.rq": {Data: []byte("# kind: lookup\nASK {}")}}, "no leading comment"},
		{"empty", fstest.MapFS{}, "no queries"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadQueries(tc.fs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("loadQueries(%s) = %v, want an error containing %q", tc.name, err, tc.want)
			}
		})
	}
	qs, err := loadQueries(fstest.MapFS{"queries/b.rq": {Data: []byte("# kind: lookup\n# what\n#  it is\nASK {}")}})
	if err != nil || len(qs) != 1 || qs[0].Name != "b" || !qs[0].Lookup || qs[0].About != "what it is" {
		t.Errorf("loadQueries(b.rq) = %+v, %v; want one lookup query b about %q", qs, err, "what it is")
	}
}

// TestQueriesOnSmallCatalogue builds a small store and runs every query
// with the optimizer on and off: both must succeed, give results, and
// agree on the number of results.
func TestQueriesOnSmallCatalogue(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a store")
	}
	ctx := context.Background()
	const n = 80_000
	var log bytes.Buffer
	st, err := openStore(ctx, t.TempDir(), n, 1, &log)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := loadQueries(queryFiles)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	for _, q := range qs {
		t.Run(q.Name, func(t *testing.T) {
			m, err := measure(ctx, st, stats, q, 0, 1, 0)
			if err != nil {
				t.Fatalf("run %s: %v", q.Name, err)
			}
			if m.rows == 0 {
				t.Errorf("%s gave no results on Catalog(%d, 1); the benchmark would time an empty answer", q.Name, n)
			}
			alg, err := prepare(q)
			if err != nil {
				t.Fatal(err)
			}
			res, err := eval.Query(ctx, snap, alg, eval.Options{NoOptimize: true})
			if err != nil {
				t.Fatal(err)
			}
			var rows int64
			switch {
			case res.Solutions != nil:
				for _, err := range res.Solutions {
					if err != nil {
						t.Fatal(err)
					}
					rows++
				}
			case res.Quads != nil:
				for _, err := range res.Quads {
					if err != nil {
						t.Fatal(err)
					}
					rows++
				}
			case res.Boolean:
				rows = 1
			}
			if rows != m.rows {
				t.Errorf("%s: %d results optimized, %d unoptimized", q.Name, m.rows, rows)
			}
		})
	}
	var out bytes.Buffer
	if err := explain(ctx, &out, st, stats, qs[0]); err != nil || !strings.Contains(out.String(), "analysed") {
		t.Errorf("explain(%s) = %v, output %q; want an analysed plan", qs[0].Name, err, out.String())
	}
}
