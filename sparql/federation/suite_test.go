package federation_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
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
	"github.com/tessera-fair/tessera/sparql/federation"
	"github.com/tessera-fair/tessera/sparql/parser"
	"github.com/tessera-fair/tessera/sparql/results"
)

const suiteBase = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"

// TestSuite runs the W3C SPARQL 1.1 Federated Query evaluation tests
// (sparql11/service, listed by manifest-sparql11-fed.ttl). Each endpoint of
// a test's qt:serviceData is a local test server holding that data, reached
// through the client's transport under the endpoint's IRI; the endpoints
// evaluate SERVICE with the same client, as service03's nested SERVICE
// needs. Unknown hosts (invalid.endpoint.org) fail as a DNS lookup would.
// The syntax-fed tests are run by sparql/parser's suite (manifest-all.ttl
// includes them).
func TestSuite(t *testing.T) {
	root := filepath.Join(testsuite.Must(t), "rdf-tests", "sparql", "sparql11")
	tests, err := manifest.Load(filepath.Join(root, "service", "manifest.ttl"), suiteBase+"service/manifest.ttl")
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	r := testsuite.NewRunner(t, filepath.Join("testdata", "known-failures.txt"))
	r.Name = "federated query"
	for _, tc := range tests {
		t.Run(tc.Name, func(t *testing.T) {
			if tc.Type != manifest.MF+"QueryEvaluationTest" {
				r.Skip(t, tc.ID, "not a query evaluation test: "+tc.Type)
				return
			}
			r.Run(t, tc.ID, func() error { return runServiceTest(t, tc) })
		})
	}
	if passed, failed, _, _ := r.Counts(); passed+failed == 0 {
		t.Fatal("no federated query tests found")
	}
	r.Report(t)
}

func runServiceTest(t *testing.T, tc manifest.Test) error {
	m, act := tc.Manifest, tc.ActionNode
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	hs := newHosts()
	client := federation.New(federation.Options{
		Allow:      []string{"http://"},
		HTTPClient: &http.Client{Transport: hs},
		Timeout:    5 * time.Second,
	})
	local, err := storeOf(ctx, m, m.Objects(act, manifest.QT+"data"))
	if err != nil {
		return err
	}
	for _, sd := range m.Objects(act, manifest.QT+"serviceData") {
		iri := m.Object(sd, manifest.QT+"endpoint").Value()
		u, err := url.Parse(iri)
		if err != nil {
			return fmt.Errorf("endpoint %q: %w", iri, err)
		}
		st, err := storeOf(ctx, m, m.Objects(sd, manifest.QT+"data"))
		if err != nil {
			return err
		}
		hs.serve(t, u.Host, &endpoint{st: st, svc: client})
	}
	queryIRI := m.Object(act, manifest.QT+"query").Value()
	src, err := os.ReadFile(m.LocalPath(queryIRI))
	if err != nil {
		return err
	}
	q, err := parser.ParseQuery(string(src), parser.Options{Base: queryIRI, File: filepath.Base(queryIRI)})
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	a, err := algebra.Translate(q, algebra.Options{Base: queryIRI})
	if err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	snap, err := local.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Release()
	res, err := eval.Query(ctx, snap, a, eval.Options{Service: client})
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	got := results.Table{Vars: res.Vars}
	for sol, err := range res.Solutions {
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		got.Rows = append(got.Rows, slices.Clone(sol))
	}
	f, err := os.Open(tc.Result)
	if err != nil {
		return err
	}
	defer f.Close()
	set, err := results.Read(f, results.XML, syntax.Options{File: filepath.Base(tc.Result)})
	if err != nil {
		return fmt.Errorf("read expected results: %w", err)
	}
	want := results.Table{Vars: set.Vars}
	for sol, err := range set.Solutions {
		if err != nil {
			return fmt.Errorf("read expected results: %w", err)
		}
		want.Rows = append(want.Rows, slices.Clone(sol))
	}
	if !results.Equivalent(got, want, a.Ordered) {
		return fmt.Errorf("results differ:\ngot  %v %v\nwant %v %v", got.Vars, got.Rows, want.Vars, want.Rows)
	}
	return nil
}

// storeOf returns a store holding the Turtle files (IRIs under the
// manifest) in its default graph.
func storeOf(ctx context.Context, m *manifest.Manifest, files []graph.Term) (graph.Store, error) {
	st := memstore.New()
	for _, d := range files {
		fh, err := os.Open(m.LocalPath(d.Value()))
		if err != nil {
			return nil, err
		}
		dec := turtle.NewDecoder(fh, syntax.Options{File: filepath.Base(d.Value()), Base: d.Value()})
		_, err = graph.Load(ctx, st, syntax.Quads(dec), graph.LoadOptions{})
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", d.Value(), err)
		}
	}
	return st, nil
}
