package update

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/manifest"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/loaders/rdfxml"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/sparql/parser"
)

const suiteBase = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"

const updateEvalTest = manifest.MF + "UpdateEvaluationTest"

// suiteDir returns ../shared/testsuites beside the module root, or fails.
func suiteDir(t testsuite.TB) string {
	t.Helper()
	return testsuite.Must(t)
}

// suiteStores are the stores every update test runs on.
var suiteStores = []struct {
	name string
	open func(t *testing.T) graph.Store
}{
	{"memstore", func(t *testing.T) graph.Store { return memstore.New() }},
	{"badgerstore", func(t *testing.T) graph.Store {
		st, err := badgerstore.Open(t.TempDir(), badgerstore.Options{})
		if err != nil {
			t.Fatalf("open badgerstore: %v", err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
}

// TestSuite runs every mf:UpdateEvaluationTest of the folders that
// manifest-sparql11-update.ttl includes, on each store.
func TestSuite(t *testing.T) {
	root := filepath.Join(suiteDir(t), "rdf-tests", "sparql", "sparql11")
	tests, err := manifest.Load(filepath.Join(root, "manifest-sparql11-update.ttl"), suiteBase+"manifest-sparql11-update.ttl")
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	for _, s := range suiteStores {
		t.Run(s.name, func(t *testing.T) {
			r := testsuite.NewRunner(t, filepath.Join("testdata", "known-failures.txt"))
			r.Name = s.name
			for _, tc := range tests {
				if tc.Type != updateEvalTest {
					continue
				}
				folder := filepath.Base(filepath.Dir(tc.Manifest.Path))
				t.Run(folder+"/"+tc.Name, func(t *testing.T) {
					r.Run(t, tc.ID, func() error { return runUpdateTest(t, s.open(t), tc) })
				})
			}
			if passed, failed, _, _ := r.Counts(); passed+failed == 0 {
				t.Fatal("no update evaluation tests found")
			}
			r.Report(t)
		})
	}
}

// runUpdateTest sets the store up from the action's ut:data and
// ut:graphData, runs ut:request and compares the store with mf:result.
// A result of ut:failure (none in the current suite) expects the request
// to fail and leave the store as it was.
func runUpdateTest(t *testing.T, st graph.Store, tc manifest.Test) error {
	m := tc.Manifest
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	before, err := datasetOf(m, tc.ActionNode)
	if err != nil {
		return fmt.Errorf("read action data: %w", err)
	}
	if err := st.Update(ctx, func(tx graph.Tx) error {
		for _, g := range before.graphs {
			if err := tx.CreateGraph(ctx, g); err != nil {
				return err
			}
		}
		for _, q := range before.quads {
			if err := tx.Add(q); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("set up store: %w", err)
	}
	reqIRI := m.Object(tc.ActionNode, manifest.UT+"request").Value()
	reqPath := m.LocalPath(reqIRI)
	src, err := os.ReadFile(reqPath)
	if err != nil {
		return err
	}
	u, err := parser.ParseUpdate(string(src), parser.Options{Base: reqIRI, File: filepath.Base(reqPath)})
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	execErr := Execute(ctx, st, u, Options{Base: reqIRI, Loader: suiteLoader{m}})
	wantFailure := m.Object(tc.ResultNode, manifest.UT+"result").Value() == manifest.UT+"failure"
	want := before
	switch {
	case wantFailure && execErr == nil:
		return fmt.Errorf("request succeeded, want failure")
	case !wantFailure && execErr != nil:
		return fmt.Errorf("execute: %w", execErr)
	case !wantFailure:
		if want, err = datasetOf(m, tc.ResultNode); err != nil {
			return fmt.Errorf("read result data: %w", err)
		}
	}
	got, err := storeQuads(ctx, st)
	if err != nil {
		return err
	}
	if !graph.Isomorphic(got, want.quads) {
		return fmt.Errorf("store differs:\n got %s\nwant %s", showQuads(got), showQuads(want.quads))
	}
	return nil
}

// dataset is the content of a ut:data / ut:graphData description.
type dataset struct {
	quads  []graph.Quad
	graphs []graph.Term
}

func datasetOf(m *manifest.Manifest, node graph.Term) (*dataset, error) {
	ds := &dataset{}
	if node.IsZero() {
		return ds, nil
	}
	for _, d := range m.Objects(node, manifest.UT+"data") {
		qs, err := readGraph(m.LocalPath(d.Value()), d.Value())
		if err != nil {
			return nil, err
		}
		for _, q := range qs {
			q.G = graph.DefaultGraph
			ds.quads = append(ds.quads, q)
		}
	}
	for _, gd := range m.Objects(node, manifest.UT+"graphData") {
		file := m.Object(gd, manifest.UT+"graph")
		name := graph.IRI(m.Object(gd, manifest.RDFS+"label").Value())
		qs, err := readGraph(m.LocalPath(file.Value()), file.Value())
		if err != nil {
			return nil, err
		}
		ds.graphs = append(ds.graphs, name)
		for _, q := range qs {
			q.G = name
			ds.quads = append(ds.quads, q)
		}
	}
	return ds, nil
}

func storeQuads(ctx context.Context, st graph.Store) ([]graph.Quad, error) {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer snap.Release()
	qs, err := graph.Collect(snap.Quads(ctx, graph.Pattern{}))
	if err != nil {
		return nil, err
	}
	for i := range qs {
		qs[i] = qs[i].Normalize()
	}
	return qs, nil
}

func showQuads(qs []graph.Quad) string {
	lines := make([]string, len(qs))
	for i, q := range qs {
		lines[i] = q.String()
	}
	slices.Sort(lines)
	return "\n  " + strings.Join(lines, "\n  ")
}

func readGraph(path, base string) ([]graph.Quad, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	opts := syntax.Options{File: filepath.Base(path), Base: base}
	var dec syntax.Decoder
	switch filepath.Ext(path) {
	case ".rdf":
		dec = rdfxml.NewDecoder(f, opts)
	case ".nt":
		dec = ntriples.NewDecoder(f, opts)
	default:
		dec = turtle.NewDecoder(f, opts)
	}
	qs, err := graph.Collect(syntax.Quads(dec))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return qs, nil
}

// suiteLoader serves LOAD from the suite's own files: an IRI below the
// manifest's directory maps to the local file; anything else does not
// exist. Nothing is downloaded.
type suiteLoader struct{ m *manifest.Manifest }

func (l suiteLoader) Load(ctx context.Context, iri string) (graph.Quads, error) {
	path := l.m.LocalPath(iri)
	if path == "" {
		return nil, fmt.Errorf("no such document %s", iri)
	}
	qs, err := readGraph(path, iri)
	if err != nil {
		return nil, err
	}
	return graph.FromSlice(qs), nil
}
