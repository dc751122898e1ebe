package ontology

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/manifest"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/parser"
	"github.com/tessera-fair/tessera/sparql/results"
)

const (
	entailmentBase = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/entailment/"
	sdRegime       = "http://www.w3.org/ns/sparql-service-description#entailmentRegime"
	entRDFS        = "http://www.w3.org/ns/entailment/RDFS"
)

// TestEntailmentSuite runs the tests of the W3C SPARQL 1.1 entailment
// suite that list the RDFS regime, with the schema read from each test's
// own data (the snapshot built from its default graph) and no
// equivalences. Known failures are listed with reasons in
// testdata/entailment-known-failures.txt.
func TestEntailmentSuite(t *testing.T) {
	dir := filepath.Join(testsuite.Must(t), "rdf-tests", "sparql", "sparql11", "entailment")
	tests, err := manifest.Load(filepath.Join(dir, "manifest.ttl"), entailmentBase+"manifest.ttl")
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	r := testsuite.NewRunner(t, filepath.Join("testdata", "entailment-known-failures.txt"))
	r.Name = "entailment (RDFS)"
	needed := 0 // tests whose answer differs without entailment
	for _, tc := range tests {
		m := tc.Manifest
		if tc.Type != manifest.MF+"QueryEvaluationTest" {
			continue
		}
		regimes := m.List(m.Object(tc.ActionNode, sdRegime))
		if !slices.Contains(regimes, graph.IRI(entRDFS)) {
			continue
		}
		t.Run(tc.Name, func(t *testing.T) {
			if runEntailmentTest(tc, false) != nil {
				needed++
			}
			r.Run(t, tc.ID, func() error { return runEntailmentTest(tc, true) })
		})
	}
	if passed, failed, _, _ := r.Counts(); passed+failed == 0 {
		t.Fatal("no RDFS entailment tests found")
	}
	// The suite must exercise the regime: most of its answers differ
	// from simple entailment's.
	t.Logf("%d tests need entailment (plain evaluation fails them)", needed)
	if needed < 10 {
		t.Errorf("only %d tests fail without entailment; the runner may not be applying it", needed)
	}
	r.Report(t)
}

func runEntailmentTest(tc manifest.Test, entail bool) error {
	m := tc.Manifest
	act := tc.ActionNode
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st := memstore.New()
	defer st.Close()
	for _, d := range m.Objects(act, manifest.QT+"data") {
		qs, err := readTurtle(m.LocalPath(d.Value()), d.Value())
		if err != nil {
			return err
		}
		if _, err := graph.Load(ctx, st, graph.FromSlice(qs), graph.LoadOptions{Graph: graph.DefaultGraph}); err != nil {
			return fmt.Errorf("load %s: %w", d.Value(), err)
		}
	}
	queryIRI := m.Object(act, manifest.QT+"query").Value()
	src, err := os.ReadFile(m.LocalPath(queryIRI))
	if err != nil {
		return err
	}
	a, err := parser.ParseQuery(string(src), parser.Options{Base: queryIRI})
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	q, err := algebra.Translate(a, algebra.Options{Base: queryIRI})
	if err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Release()
	o, err := Build(ctx, snap, []graph.Term{graph.DefaultGraph})
	if err != nil {
		return err
	}
	var opts eval.Options
	if entail {
		opts.Entailment = o.RDFS(false)
	}
	res, err := eval.Query(ctx, snap, q, opts)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	var got results.Table
	if q.Form == algebra.Ask {
		got = results.Table{IsBoolean: true, Boolean: res.Boolean}
	} else {
		if got, err = results.Collect(results.Select(res.Vars, func(yield func(results.Solution, error) bool) {
			for row, err := range res.Solutions {
				if !yield(results.Solution(row), err) {
					return
				}
			}
		})); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	f, err := os.Open(tc.Result)
	if err != nil {
		return err
	}
	defer f.Close()
	want, err := results.ReadTable(f, results.XML, syntax.Options{File: filepath.Base(tc.Result)})
	if err != nil {
		return fmt.Errorf("read %s: %w", tc.Result, err)
	}
	if !results.Equivalent(results.Canonicalize(got), results.Canonicalize(want), q.Ordered) {
		return fmt.Errorf("results differ:\ngot  %v\nwant %v", got, want)
	}
	return nil
}

func readTurtle(path, base string) ([]graph.Quad, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	qs, err := graph.Collect(syntax.Quads(turtle.NewDecoder(f, syntax.Options{File: filepath.Base(path), Base: base})))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return qs, nil
}
