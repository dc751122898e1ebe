package eval

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphgen"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/optimizer"
	"github.com/tessera-fair/tessera/sparql/parser"
)

const catPrefixes = `
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX health: <http://healthdataportal.eu/ns/health#>
PREFIX eucaim: <https://cancerimage.eu/ontology/EUCAIM#>
PREFIX ncit: <http://purl.obolibrary.org/obo/NCIT_>
PREFIX dcm: <https://dicom.nema.org/resources/ontology/DCM/>
`

// catQueries are catalogue-shaped queries used by the plan tests and the
// store benchmark.
var catQueries = []struct{ name, query string }{
	{"keyword-distributions", catPrefixes + `
SELECT ?ds ?title ?dist ?format WHERE {
  ?ds a dcat:Dataset ; dcat:keyword ?kw ; dct:title ?title ; dcat:distribution ?dist .
  ?dist dct:format ?format .
  FILTER(STR(?kw) = "radiomics" && LANG(?title) = "en")
}`},
	{"diagnosis-modality-per-dataset", catPrefixes + `
SELECT ?ds (COUNT(DISTINCT ?pt) AS ?patients) WHERE {
  ?pt a eucaim:Patient ; eucaim:hasDiagnosis ncit:C4872 ; dct:isPartOf ?ds .
  ?st eucaim:subject ?pt ; eucaim:hasImageModality dcm:MR .
} GROUP BY ?ds ORDER BY DESC(?patients) ?ds`},
	{"star-optionals", catPrefixes + `
SELECT ?ds ?id ?issued ?n ?min WHERE {
  ?ds a dcat:Dataset ; dct:identifier ?id .
  OPTIONAL { ?ds dct:issued ?issued }
  OPTIONAL { ?ds health:numberOfUniqueIndividuals ?n }
  OPTIONAL { ?ds health:minTypicalAge ?min FILTER(?min > 30) }
}`},
	{"studies-join", catPrefixes + `
SELECT ?st ?pt ?sex WHERE {
  ?st eucaim:subject ?pt ; eucaim:numberOfSeries ?series .
  ?pt eucaim:hasBirthSex ?sex .
  FILTER(?series > 10)
}`},
}

func parse(t testing.TB, src string) *algebra.Query {
	t.Helper()
	a, err := parser.ParseQuery(src, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q, err := algebra.Translate(a, algebra.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func catalogueSnapshot(t testing.TB, n int) graph.Snapshot {
	t.Helper()
	ctx := context.Background()
	st := memstore.New()
	if _, err := graph.Load(ctx, st, graphgen.Catalog(n, 1), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(snap.Release)
	return snap
}

func collectRows(t *testing.T, res *Result) []map[string]graph.Term {
	t.Helper()
	var out []map[string]graph.Term
	for sol, err := range res.Solutions {
		if err != nil {
			t.Fatal(err)
		}
		r := map[string]graph.Term{}
		for i, v := range res.Vars {
			if !sol[i].IsZero() {
				r[v] = sol[i]
			}
		}
		out = append(out, r)
	}
	return out
}

// TestPlansAgree runs catalogue queries over generated data with the
// optimizer off, on, and forced to hash joins: the answers must agree.
func TestPlansAgree(t *testing.T) {
	ctx := context.Background()
	snap := catalogueSnapshot(t, 30_000)
	idx, err := newIndexedReader(ctx, snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range catQueries {
		t.Run(tc.name, func(t *testing.T) {
			q := parse(t, tc.query)
			var want []map[string]graph.Term
			for i, mode := range suiteModes {
				res, err := Query(ctx, idx, q, mode.opts)
				if err != nil {
					t.Fatal(err)
				}
				got := collectRows(t, res)
				if i == 0 {
					want = got
					if len(want) == 0 {
						t.Fatalf("%s: no solutions", tc.name)
					}
					continue
				}
				if !sameResults(got, want, q.Ordered) {
					t.Errorf("%s: %s gives %d rows, optimized %d", tc.name, mode.name, len(got), len(want))
				}
			}
		})
	}
}

// TestHashJoinChosen checks that the cost model picks a hash join where
// both sides are large and the evaluator then runs it.
func TestHashJoinChosen(t *testing.T) {
	ctx := context.Background()
	snap := catalogueSnapshot(t, 30_000)
	idx, err := newIndexedReader(ctx, snap)
	if err != nil {
		t.Fatal(err)
	}
	q := parse(t, catQueries[3].query)
	p, err := Explain(ctx, idx, q, Options{}, true)
	if err != nil {
		t.Fatal(err)
	}
	hashes := 0
	p.Root.Walk(func(n *optimizer.Node) {
		if n.Algorithm == "hash" {
			hashes++
			if n.Actual == nil || n.Actual.Loops != 1 {
				t.Errorf("hash join not executed once: %+v", n.Actual)
			}
		}
	})
	if hashes == 0 {
		t.Errorf("no hash join in\n%s", p)
	}
}

func TestMemoryLimit(t *testing.T) {
	ctx := context.Background()
	snap := catalogueSnapshot(t, 20_000)
	tests := []struct {
		name, query string
		opts        Options
	}{
		{"distinct", `SELECT DISTINCT ?s ?p ?o { ?s ?p ?o }`, Options{}},
		{"order", `SELECT ?s ?o { ?s ?p ?o } ORDER BY ?o`, Options{}},
		{"group", `SELECT ?o (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?o`, Options{}},
		{"hash join", catQueries[3].query, Options{alwaysHash: true}},
		{"minus", `SELECT ?s { ?s ?p ?o MINUS { ?s ?q ?x } }`, Options{}},
		{"sub-query cache", `SELECT ?s ?o { ?s a eucaim:Patient { SELECT ?s ?o { ?s eucaim:hasDiagnosis ?o } } }`, Options{NoOptimize: true}},
		{"path search", `SELECT (COUNT(*) AS ?n) { ?x (dct:isPartOf|^dct:isPartOf)* ?y }`, Options{}},
		{"path zero-or-one", `SELECT (COUNT(*) AS ?n) { ?x eucaim:hasDiagnosis? ?y }`, Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := parse(t, catPrefixes+tc.query)
			opts := tc.opts
			opts.MaxMemory = 32 << 10
			res, err := Query(ctx, snap, q, opts)
			if err == nil {
				for _, err = range res.Solutions {
					if err != nil {
						break
					}
				}
			}
			if !errors.Is(err, ErrMemoryLimit) {
				t.Errorf("%s with 32 KiB: error %v, want ErrMemoryLimit", tc.name, err)
			}
			opts.MaxMemory = 0
			p, err := Explain(ctx, snap, q, opts, true)
			if err != nil || p.Error != "" {
				t.Fatalf("%s without a limit: %v %s", tc.name, err, p.Error)
			}
			if p.PeakMemory <= 32<<10 {
				t.Errorf("%s: peak memory %d, expected above the 32 KiB limit", tc.name, p.PeakMemory)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	ctx := context.Background()
	snap := catalogueSnapshot(t, 5_000)
	q := parse(t, catQueries[0].query)
	res, err := Query(ctx, snap, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := int64(len(collectRows(t, res)))
	for _, analyze := range []bool{false, true} {
		p, err := Explain(ctx, snap, q, Options{}, analyze)
		if err != nil {
			t.Fatal(err)
		}
		text := p.String()
		if !strings.Contains(text, "est ") || !strings.Contains(text, "bgp") {
			t.Errorf("Explain text lacks estimates:\n%s", text)
		}
		if analyze {
			if p.Rows != want || p.Root.Actual == nil || p.Root.Actual.Rows != want {
				t.Errorf("Explain analyze rows = %d (root %+v), want %d\n%s", p.Rows, p.Root.Actual, want, text)
			}
		} else if p.Root.Actual != nil {
			t.Errorf("Explain without analyze has actual figures")
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]any
		if err := json.Unmarshal(b, &back); err != nil || back["plan"] == nil {
			t.Errorf("Explain JSON = %s (%v)", b, err)
		}
	}
	p, err := Explain(ctx, snap, q, Options{NoOptimize: true}, false)
	if err != nil || p.Optimized || len(p.Rules) != 0 {
		t.Errorf("Explain with NoOptimize = %+v, %v", p, err)
	}
}
