package eval

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/graph/graphgen"
)

// TestMergeJoin runs subject-star queries over badgerstore (store ids) with
// the optimizer, which plans them as merge joins, and without it (nested
// loops): the answers must agree, including stars with several values per
// subject (products), a variable shared by two branches, constant objects,
// and a star whose subject the input binds (the hash-join fallback).
func TestMergeJoin(t *testing.T) {
	ctx := context.Background()
	st, err := badgerstore.Open(t.TempDir(), badgerstore.Options{NoSync: true, MemTableSize: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := graph.Load(ctx, st, graphgen.Catalog(30_000, 1), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	tests := []struct {
		name, query string
		merge       bool // the plan has a merge join
		always      bool // optimizer forced to hash (merge) joins: small stars
	}{
		{"star", `SELECT ?st ?m ?n ?d { ?st eucaim:hasImageModality ?m ; eucaim:numberOfInstances ?n ; dct:date ?d }`, true, false},
		{"constant object", `SELECT ?st ?m ?d { ?st a eucaim:ImagingStudy ; eucaim:hasImageModality ?m ; dct:date ?d }`, true, false},
		{"several values", `SELECT ?ds ?k ?t { ?ds dcat:keyword ?k ; dct:title ?t ; dct:issued ?i }`, true, true},
		{"shared variable", `SELECT ?ds ?x ?t { ?ds dct:issued ?x ; dcat:keyword ?k ; dct:issued ?x ; dct:title ?t }`, true, true},
		{"shared object", `SELECT ?a ?b ?x { ?a dct:issued ?x . ?b dct:issued ?x . ?a dct:title ?t }`, false, false},
		{"aggregate", `SELECT ?m (COUNT(?st) AS ?n) (MAX(?d) AS ?last) { ?st eucaim:hasImageModality ?m ; dct:date ?d } GROUP BY ?m`, true, false},
		// Group reads the star's solutions from one reused row (transient).
		{"aggregate over products", `SELECT ?t (COUNT(DISTINCT *) AS ?all) (COUNT(DISTINCT ?k) AS ?n) (MIN(?k) AS ?first) (MAX(?i) AS ?last) { ?ds dcat:keyword ?k ; dct:title ?t ; dct:issued ?i } GROUP BY ?t`, true, true},
		{"filtered aggregate", `SELECT ?m (COUNT(*) AS ?n) (SUM(?c) AS ?s) (AVG(?c) AS ?a) (MIN(?d) AS ?first) { ?st eucaim:hasImageModality ?m ; eucaim:numberOfInstances ?c ; dct:date ?d FILTER(?d >= "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> || ?c > 1000) } GROUP BY ?m`, true, false},
		{"bound subject", `SELECT ?st ?m ?d { { SELECT ?st { ?st a eucaim:ImagingStudy } LIMIT 5 } ?st eucaim:hasImageModality ?m ; dct:date ?d }`, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := parse(t, catPrefixes+tc.query)
			opts := Options{Stats: stats, alwaysHash: tc.always}
			p, err := Explain(ctx, snap, q, opts, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(p.String(), "join merge"); got != tc.merge {
				t.Errorf("merge join in plan: %v, want %v\n%s", got, tc.merge, p.String())
			}
			res, err := Query(ctx, snap, q, opts)
			if err != nil {
				t.Fatal(err)
			}
			got := collectRows(t, res)
			res, err = Query(ctx, snap, q, Options{NoOptimize: true})
			if err != nil {
				t.Fatal(err)
			}
			want := collectRows(t, res)
			if len(want) == 0 {
				t.Fatal("no solutions")
			}
			if !sameResults(got, want, q.Ordered) {
				t.Errorf("merge plan: %d rows, nested loops: %d", len(got), len(want))
			}
			// EXPLAIN ANALYZE runs the general merge join (it profiles
			// each branch): it must count the same solutions.
			an, err := Explain(ctx, snap, q, opts, true)
			if err != nil || an.Error != "" {
				t.Fatalf("explain analyze: %v %s", err, an.Error)
			}
			if n := an.Root.Actual.Rows; n != int64(len(want)) {
				t.Errorf("explain analyze: %d rows, want %d", n, len(want))
			}
		})
	}
}

// TestKeyListSeek checks the galloping seek against a linear scan, over
// columns and quad slices, for every start and a spread of keys.
func TestKeyListSeek(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var ids []graph.ID
	var quads []graph.IDQuad
	k := graph.ID(0)
	for range 500 {
		k += graph.ID(rng.IntN(3)) // runs of equal keys included
		ids = append(ids, k)
		quads = append(quads, graph.IDQuad{k, 1, 2, 0})
	}
	for _, l := range []keyList{{ids: ids}, {quads: quads}} {
		for from := 0; from <= len(ids); from += 7 {
			for key := graph.ID(0); key <= k+2; key += 3 {
				want := from
				for want < len(ids) && ids[want] < key {
					want++
				}
				if got := l.seek(from, key); got != want {
					t.Fatalf("seek(%d, %d) = %d, want %d", from, key, got, want)
				}
			}
		}
	}
}
