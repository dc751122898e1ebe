package ontology

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/parser"
)

// counting wraps an Ontology to count fast-path answers.
type counting struct {
	*Ontology
	n int
}

func (c *counting) Reachable(pred, node graph.Term, inverse bool) ([]graph.Term, bool) {
	r, ok := c.Ontology.Reachable(pred, node, inverse)
	if ok {
		c.n++
	}
	return r, ok
}

var _ eval.Hierarchy = (*Ontology)(nil)

func runQuery(t testing.TB, r graph.Reader, query string, opts eval.Options) []string {
	t.Helper()
	a, err := parser.ParseQuery(query, parser.Options{})
	if err != nil {
		t.Fatalf("parse %q: %v", query, err)
	}
	q, err := algebra.Translate(a, algebra.Options{})
	if err != nil {
		t.Fatalf("translate: %v", err)
	}
	res, err := eval.Query(context.Background(), r, q, opts)
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	if res.Solutions == nil {
		return []string{fmt.Sprint(res.Boolean)}
	}
	var out []string
	for row, err := range res.Solutions {
		if err != nil {
			t.Fatalf("query %q: %v", query, err)
		}
		var b strings.Builder
		for _, v := range row {
			b.WriteString(v.String())
			b.WriteByte(' ')
		}
		out = append(out, b.String())
	}
	slices.Sort(out)
	return out
}

// TestEvalFastPath checks that property paths answered from the closure
// equal the plain evaluation, on OncoTree, and that the fast path is
// taken only where it applies.
func TestEvalFastPath(t *testing.T) {
	s, gs := bundled(t)
	ctx := context.Background()
	// A user graph with a competing skos:broader triple.
	user := iri("https://tessera.example/graph/provider/x")
	err := s.Update(ctx, func(tx graph.Tx) error {
		return tx.Add(graph.Quad{S: iri("urn:mine"), P: iri(SKOSBroader), O: iri(onco + "PRAD"), G: user})
	})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	o, err := Build(ctx, snap, gs)
	if err != nil {
		t.Fatal(err)
	}
	const pfx = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX o: <https://tessera.example/vocab/oncotree/> "
	vocabOnly := eval.Dataset{Default: gs}
	union := eval.Dataset{UnionDefault: true}
	tests := []struct {
		name     string
		query    string
		ds       eval.Dataset
		wantFast bool
		minRows  int
	}{
		{"subClassOf* to root", "SELECT ?x WHERE { ?x rdfs:subClassOf* o:TISSUE }", vocabOnly, true, 898},
		{"subClassOf+ to root", "SELECT ?x WHERE { ?x rdfs:subClassOf+ o:TISSUE }", vocabOnly, true, 897},
		{"broader* up", "SELECT ?x WHERE { o:PRAD skos:broader* ?x }", vocabOnly, true, 3},
		{"inverse broader*", "SELECT ?x WHERE { o:PROSTATE ^skos:broader* ?x }", vocabOnly, true, 5},
		{"narrower*", "SELECT ?x WHERE { o:PROSTATE skos:narrower* ?x }", vocabOnly, true, 5},
		{"bound from a join", "SELECT ?c ?x WHERE { ?c skos:notation \"PROSTATE\" . ?x skos:broader* ?c }", vocabOnly, true, 5},
		{"both bound", "ASK { o:PRAD skos:broader+ o:TISSUE }", vocabOnly, true, 0},
		{"GRAPH of the vocabulary", "SELECT ?x WHERE { GRAPH <https://tessera.example/graph/system/vocab/oncotree> { ?x skos:broader* o:PROSTATE } }", eval.Dataset{}, true, 5},
		{"union with a user edge", "SELECT ?x WHERE { ?x skos:broader* o:PROSTATE }", union, false, 6},
		{"union, predicate only in vocab", "SELECT ?x WHERE { ?x rdfs:subClassOf* o:PROSTATE }", union, true, 5},
		{"store default graph (empty)", "SELECT ?x WHERE { ?x skos:broader+ o:PROSTATE }", eval.Dataset{}, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain := runQuery(t, snap, pfx+tt.query, eval.Options{Dataset: tt.ds})
			h := &counting{Ontology: o}
			fast := runQuery(t, snap, pfx+tt.query, eval.Options{Dataset: tt.ds, Hierarchy: h})
			if !slices.Equal(plain, fast) {
				t.Errorf("fast path gives %d rows, plain %d", len(fast), len(plain))
			}
			if len(plain) < tt.minRows {
				t.Errorf("%d rows, want ≥ %d", len(plain), tt.minRows)
			}
			if (h.n > 0) != tt.wantFast {
				t.Errorf("fast path used %d times, want used = %v", h.n, tt.wantFast)
			}
		})
	}
}
