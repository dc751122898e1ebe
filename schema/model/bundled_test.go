package model

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/ontology"
	"github.com/tessera-fair/tessera/ontology/shapes"
	"github.com/tessera-fair/tessera/ontology/vocab"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// bundled is a store with the bundled vocabularies and API shapes
// installed, as tessera serve sets it up, and the ontology built from the
// vocabularies.
type bundled struct {
	store *memstore.Store
	ont   *ontology.Ontology
}

var (
	sharedOnce sync.Once
	shared     *bundled
)

// sharedBundled is one bundled store for the tests that only read it (or
// undo what they write): installing the vocabularies is the slow part.
func sharedBundled(t testing.TB) *bundled {
	t.Helper()
	sharedOnce.Do(func() { shared = setupBundled(t) })
	if shared == nil {
		t.Fatal("bundled setup failed")
	}
	return shared
}

func setupBundled(t testing.TB) *bundled {
	t.Helper()
	ctx := context.Background()
	st := memstore.New()
	if _, err := vocab.Install(ctx, st); err != nil {
		t.Fatal(err)
	}
	if _, err := shapes.Install(ctx, st); err != nil {
		t.Fatal(err)
	}
	var graphs []graph.Term
	for _, v := range vocab.Graphs() {
		graphs = append(graphs, v.Graph)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	ont, err := ontology.Build(ctx, snap, graphs)
	if err != nil {
		t.Fatal(err)
	}
	return &bundled{store: st, ont: ont}
}

// derive derives the model of the store's API shapes graphs.
func (b *bundled) derive(t testing.TB) *Model {
	t.Helper()
	ctx := context.Background()
	snap, err := b.store.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	m, err := Derive(ctx, snap, shapes.APIGraphs(), b.ont)
	if err != nil {
		t.Fatalf("Derive = %v", err)
	}
	return m
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test -update after checking the change)", path, i+1, g, w)
			}
		}
	}
}

// TestBundledGolden derives the model of the bundled API shapes (eucaim +
// catalogue) over the bundled vocabularies and compares its listing with
// testdata/bundled.golden.
func TestBundledGolden(t *testing.T) {
	m := sharedBundled(t).derive(t)
	checkWellFormed(t, m)
	golden(t, "bundled.golden", Format(m))
}

// TestShapeAddedAtRuntime: a property shape loaded into the shapes graph
// (as an operator would with the Graph Store protocol or SPARQL Update)
// is a new field when the model is derived again; one in LocalGraph too.
func TestShapeAddedAtRuntime(t *testing.T) {
	ctx := context.Background()
	b := sharedBundled(t)
	before := b.derive(t)
	if before.Type("Dataset").Field("fundingProgramme") != nil {
		t.Fatal("field exists before the shape is added")
	}
	add := func(g, text string) {
		qs := parseInto(t, text, graph.IRI(g))
		write := func(del bool) error {
			return b.store.Update(ctx, func(tx graph.Tx) error {
				for _, q := range qs {
					op := tx.Add
					if del {
						op = tx.Delete
					}
					if err := op(q); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err := write(false); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := write(true); err != nil {
				t.Error(err)
			}
		})
	}
	add(shapes.APIGraph, `<https://w3id.org/tessera/shapes/eucaim#DatasetShape> sh:property [
		sh:path ex:funding ; sh:name "fundingProgramme" ; sh:datatype xsd:string ; sh:maxCount 1 ;
		sh:description "The programme that funded the dataset." ] .`)
	add(shapes.LocalGraph, `ex:LocalPatient sh:targetClass <https://tessera.example/ns/cdm#Patient> ; sh:property [
		sh:path ex:smoker ; sh:datatype xsd:boolean ; sh:maxCount 1 ] .`)
	after := b.derive(t)
	f := after.Type("Dataset").Field("fundingProgramme")
	if f == nil || f.Kind != Scalar || f.Scalar != "String" || !f.Single || f.Description != "The programme that funded the dataset." {
		t.Errorf("new Dataset field = %+v", f)
	}
	if f := after.Type("Catalog").Field("fundingProgramme"); f == nil {
		t.Error("Catalog (a subclass of Dataset) did not inherit the new field")
	}
	if f := after.Type("Patient").Field("smoker"); f == nil || f.Scalar != "Boolean" {
		t.Errorf("field from LocalGraph = %+v", f)
	}
	if n, m := len(before.Type("Dataset").Fields), len(after.Type("Dataset").Fields); m != n+1 {
		t.Errorf("Dataset has %d fields after the addition, want %d", m, n+1)
	}
}

// TestDeterministic derives the bundled model twice from one store and
// once from a second install (other blank-node labels, other insertion
// history): the listings are identical.
func TestDeterministic(t *testing.T) {
	b := sharedBundled(t)
	first := Format(b.derive(t))
	if again := Format(b.derive(t)); again != first {
		t.Error("two derivations from one store differ")
	}
	if testing.Short() {
		t.Skip("a second install of the vocabularies takes seconds")
	}
	if other := Format(setupBundled(t).derive(t)); other != first {
		t.Error("derivations from two installs differ")
	}
}

func BenchmarkDeriveBundled(b *testing.B) {
	bs := sharedBundled(b)
	ctx := context.Background()
	snap, err := bs.store.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer snap.Release()
	gs := shapes.APIGraphs()
	for b.Loop() {
		if _, err := Derive(ctx, snap, gs, bs.ont); err != nil {
			b.Fatal(err)
		}
	}
}
