package ontology

import (
	"bufio"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/ontology/vocab"
	"github.com/tessera-fair/tessera/sparql/eval"
)

// TestLungCancerFindsSubtypesAndEquivalents is the "done means":
// a query for datasets about lung cancer, naming only the OncoTree concept
// LUNG, finds the demo datasets tagged with any subtype of it, although
// they are tagged with the equivalent NCIt codes (skos:exactMatch), some
// through the legacy EUCAIM namespace of hasCondition (a namespace
// alias). The expected datasets are computed without the ontology
// package: OncoTree codes under LUNG by walking skos:broader in the store,
// mapped to NCIt codes by the generator's code table (demo/codes.tsv),
// matched against the generated hasCondition triples.
func TestLungCancerFindsSubtypesAndEquivalents(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the 588k-quad demo federation (several seconds)")
	}
	ctx := context.Background()
	snap := demoSnapshot(t)
	// OncoTree codes at or under LUNG, by a plain walk of skos:broader.
	under := map[string]bool{"LUNG": true}
	frontier := []graph.Term{iri(onco + "LUNG")}
	for len(frontier) > 0 {
		var next []graph.Term
		for _, c := range frontier {
			for q, err := range snap.Quads(ctx, graph.Pattern{P: iri(SKOSBroader), O: c}) {
				if err != nil {
					t.Fatal(err)
				}
				code := strings.TrimPrefix(q.S.Value(), onco)
				if !under[code] {
					under[code] = true
					next = append(next, q.S)
				}
			}
		}
		frontier = next
	}
	// NCIt codes of those conditions in the generator's table.
	ncit := map[string]bool{}
	f, err := os.Open("demo/codes.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) == 6 && fs[0] == "condition" && under[fs[1]] {
			ncit["http://purl.obolibrary.org/obo/NCIT_"+fs[3]] = true
		}
	}
	if len(ncit) < 2 {
		t.Fatalf("code table has %d lung conditions, want several", len(ncit))
	}
	// Datasets tagged with one of them, in either EUCAIM namespace.
	var want []string
	namespaces := map[string]int{}
	for _, ns := range []string{"https://hyperontology.eucaim.cancerimage.eu/#", "https://cancerimage.eu/ontology/EUCAIM#"} {
		for q, err := range snap.Quads(ctx, graph.Pattern{P: iri(ns + "hasCondition")}) {
			if err != nil {
				t.Fatal(err)
			}
			if q.O == iri(onco+"LUNG") {
				t.Errorf("%v is tagged with LUNG itself; the test wants subtypes only", q.S)
			}
			if ncit[q.O.Value()] {
				want = append(want, q.S.String())
				namespaces[ns]++
			}
		}
	}
	slices.Sort(want)
	want = slices.Compact(want)
	if len(namespaces) != 2 {
		t.Fatalf("lung datasets use namespaces %v, want both EUCAIM namespaces", namespaces)
	}

	o, err := Build(ctx, snap, vocabGraphs())
	if err != nil {
		t.Fatal(err)
	}
	ds := eval.Dataset{UnionDefault: true}
	start := time.Now()
	got := trimRows(runQuery(t, snap, lungQuery, eval.Options{Dataset: ds, Entailment: o.RDFS(true)}))
	t.Logf("%d lung cancer datasets of %d conditions in %v", len(got), len(ncit), time.Since(start))
	if !slices.Equal(got, want) {
		t.Errorf("lung cancer datasets = %d %v,\nwant %d %v", len(got), got, len(want), want)
	}
	if plain := trimRows(runQuery(t, snap, lungQuery, eval.Options{Dataset: ds})); len(plain) != 0 {
		t.Errorf("without entailment the query finds %d datasets, want none (tags are NCIt codes)", len(plain))
	}
	if strict := trimRows(runQuery(t, snap, lungQuery, eval.Options{Dataset: ds, Entailment: o.RDFS(false)})); len(strict) != 0 {
		t.Errorf("strict RDFS finds %d datasets, want none (it knows no skos:exactMatch)", len(strict))
	}
}

// lungQuery asks for the datasets about lung cancer, naming only the
// OncoTree concept.
const lungQuery = `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX eucaim: <https://hyperontology.eucaim.cancerimage.eu/#>
PREFIX onco: <https://tessera.example/vocab/oncotree/>
SELECT DISTINCT ?d WHERE { ?c rdfs:subClassOf onco:LUNG . ?d eucaim:hasCondition ?c ; a dcat:Dataset }`

// demoSnapshot returns a snapshot of a memory store holding the bundled
// vocabularies and the demo federation at scale 1.
func demoSnapshot(tb testing.TB) graph.Snapshot {
	tb.Helper()
	ctx := context.Background()
	s := memstore.New()
	tb.Cleanup(func() { s.Close() })
	if _, err := vocab.Install(ctx, s); err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	if _, err := graph.Load(ctx, s, demo.Federation(1), graph.LoadOptions{}); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("demo federation loaded in %v", time.Since(start))
	snap, err := s.Snapshot(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(snap.Release)
	return snap
}

// BenchmarkLungCancerQuery measures lungQuery under the RDFS regime with
// equivalences over the demo federation (588k quads, union default
// graph), against the same shape of query naming one NCIt code as stored.
func BenchmarkLungCancerQuery(b *testing.B) {
	if testing.Short() {
		b.Skip("loads the 588k-quad demo federation")
	}
	ctx := context.Background()
	snap := demoSnapshot(b)
	o, err := Build(ctx, snap, vocabGraphs())
	if err != nil {
		b.Fatal(err)
	}
	ds := eval.Dataset{UnionDefault: true}
	asserted := `PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX eucaim: <https://hyperontology.eucaim.cancerimage.eu/#>
SELECT DISTINCT ?d WHERE { ?d eucaim:hasCondition <http://purl.obolibrary.org/obo/NCIT_C3512> ; a dcat:Dataset }`
	for _, bc := range []struct {
		name, query string
		opts        eval.Options
	}{
		{"entailment", lungQuery, eval.Options{Dataset: ds, Entailment: o.RDFS(true)}},
		{"one-asserted-code", asserted, eval.Options{Dataset: ds}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			rows := 0
			for b.Loop() {
				rows = len(runQuery(b, snap, bc.query, bc.opts))
			}
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

func vocabGraphs() []graph.Term {
	var gs []graph.Term
	for _, v := range vocab.Graphs() {
		gs = append(gs, v.Graph)
	}
	return gs
}
