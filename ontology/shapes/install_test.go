package shapes

import (
	"context"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/ontology/shacl"
)

// TestCatalogueDemoConforms validates every provider graph of the demo
// federation against the catalogue API shapes: the generated catalogue
// must conform, and the shapes must actually target its resources.
func TestCatalogueDemoConforms(t *testing.T) {
	if testing.Short() {
		t.Skip("validates the whole demo federation (588k quads): several seconds")
	}
	ctx := context.Background()
	s := compile(t, "catalogue")
	byGraph := map[graph.Term][]graph.Quad{}
	for q, err := range demo.Federation(1) {
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(q.G.Value(), demo.GraphBase) {
			byGraph[q.G] = append(byGraph[q.G], q)
		}
	}
	if len(byGraph) != 12 {
		t.Errorf("demo has %d provider graphs, want 12", len(byGraph))
	}
	for g, qs := range byGraph {
		// One small store per provider graph: validation copies the data
		// graph anyway, and a store of one graph loads fastest.
		st := memstore.New()
		if _, err := graph.Load(ctx, st, graph.FromSlice(qs), graph.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		snap, err := st.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := s.Validate(ctx, snap, shacl.Options{Graph: g, MaxResults: 20})
		snap.Release()
		if err != nil {
			t.Fatalf("Validate(%s) = %v", g, err)
		}
		if !rep.Conforms {
			var b strings.Builder
			_ = rep.WriteText(&b)
			t.Errorf("demo graph %s does not conform to the catalogue shapes:\n%s", g, b.String())
		}
	}
}

// TestCatalogueCatchesBadData checks that the catalogue shapes are not
// vacuous: wrong datatypes, classes and cardinalities are violations.
func TestCatalogueCatchesBadData(t *testing.T) {
	s := compile(t, "catalogue")
	const prefixes = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix cdm: <https://tessera.example/ns/cdm#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix ex: <https://example.org/> .
`
	tests := []struct {
		name, data, path string
	}{
		{"age not an integer", `ex:p a cdm:Patient ; cdm:ageAtDiagnosis "old" .`, "<https://tessera.example/ns/cdm#ageAtDiagnosis>"},
		{"two sexes", `ex:p a cdm:Patient ; cdm:sex ex:f, ex:m .`, "<https://tessera.example/ns/cdm#sex>"},
		{"study of a non-patient", `ex:s a cdm:ImagingStudy ; cdm:subject ex:x .`, "<https://tessera.example/ns/cdm#subject>"},
		{"publisher not an organisation", `ex:d a dcat:Dataset ; dct:publisher ex:x .`, "dct:publisher"},
		{"title not a literal", `ex:c a dcat:Catalog ; dct:title ex:x .`, "dct:title"},
		{"catalog without a title", `ex:c a dcat:Catalog .`, "dct:title"},
		{"dataset in two catalogues", `ex:c1 a dcat:Catalog ; dct:title "1" ; dcat:dataset ex:d . ex:c2 a dcat:Catalog ; dct:title "2" ; dcat:dataset ex:d . ex:d a dcat:Dataset .`, "^dcat:dataset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := validate(t, s, parseTurtle(t, tt.name, prefixes+tt.data))
			var paths []string
			for _, r := range summarise(rep) {
				paths = append(paths, r.path)
				if r.path == tt.path && r.severity == "Violation" {
					return
				}
			}
			t.Errorf("no violation on %s; got paths %v", tt.path, paths)
		})
	}
	ok := prefixes + `ex:d a dcat:Dataset . ex:p a cdm:Patient ; dct:isPartOf ex:d . ex:s a cdm:ImagingStudy ; dct:isPartOf ex:d ; cdm:subject ex:p .`
	if rep := validate(t, s, parseTurtle(t, "ok", ok)); !rep.Conforms {
		t.Errorf("patients and studies of one dataset: %v, want conforming (the inverse fields are qualified, not constraints)", summarise(rep))
	}
}

func TestInstall(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	g := graph.IRI(APIGraph)
	want, err := Version()
	if err != nil {
		t.Fatal(err)
	}

	first, err := Install(ctx, st)
	if err != nil {
		t.Fatalf("Install = %v", err)
	}
	if !first.Changed || first.Previous != "" || first.Version != want || first.Edited {
		t.Errorf("first Install = %+v, want Changed, no Previous, Version %s", first, want)
	}
	n := countGraph(t, st, g)
	if int64(first.Quads) != n || n < 300 {
		t.Errorf("first Install wrote %d quads, graph holds %d", first.Quads, n)
	}
	var expect int
	for _, set := range APISets() {
		qs, err := Load(set)
		if err != nil {
			t.Fatal(err)
		}
		expect += len(qs)
	}
	if n != int64(expect+2) {
		t.Errorf("graph holds %d quads, want the %d of %v plus 2", n, expect, APISets())
	}

	// Up to date: nothing is written, an operator's addition stays.
	extra := graph.Quad{S: graph.IRI("https://example.org/S"), P: graph.IRI(shacl.SH + "targetClass"), O: graph.IRI("https://example.org/C"), G: g}
	if err := st.Update(ctx, func(tx graph.Tx) error { return tx.Add(extra) }); err != nil {
		t.Fatal(err)
	}
	again, err := Install(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed || again.Previous != want || again.Quads != 0 {
		t.Errorf("second Install = %+v, want unchanged", again)
	}
	if c := countGraph(t, st, g); c != n+1 {
		t.Errorf("after an up-to-date Install the graph holds %d quads, want %d (operator's quad kept)", c, n+1)
	}

	// Upgrade: an older version is replaced atomically; the operator's
	// addition is reported as dropped.
	if err := st.Update(ctx, func(tx graph.Tx) error {
		if err := tx.Delete(graph.Quad{S: g, P: graph.IRI(VersionPredicate), O: graph.String(want), G: g}); err != nil {
			return err
		}
		return tx.Add(graph.Quad{S: g, P: graph.IRI(VersionPredicate), O: graph.String("old"), G: g})
	}); err != nil {
		t.Fatal(err)
	}
	up, err := Install(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if !up.Changed || up.Previous != "old" || !up.Edited {
		t.Errorf("upgrade Install = %+v, want Changed from old, Edited", up)
	}
	if c := countGraph(t, st, g); c != n {
		t.Errorf("after the upgrade the graph holds %d quads, want %d", c, n)
	}
	if c := countPattern(t, st, graph.Pattern{S: extra.S, G: g}); c != 0 {
		t.Errorf("operator's quad survived the upgrade")
	}

	// An upgrade of an unedited graph is not Edited.
	if err := st.Update(ctx, func(tx graph.Tx) error {
		if err := tx.Delete(graph.Quad{S: g, P: graph.IRI(VersionPredicate), O: graph.String(want), G: g}); err != nil {
			return err
		}
		return tx.Add(graph.Quad{S: g, P: graph.IRI(VersionPredicate), O: graph.String("old"), G: g})
	}); err != nil {
		t.Fatal(err)
	}
	if up, err := Install(ctx, st); err != nil || !up.Changed || up.Edited {
		t.Errorf("clean upgrade Install = %+v, %v; want Changed, not Edited", up, err)
	}

	// The local graph is never touched.
	if c := countGraph(t, st, graph.IRI(LocalGraph)); c != 0 {
		t.Errorf("Install wrote %d quads into LocalGraph", c)
	}
}

// TestInstallOverOperatorShapes: a first Install over a graph that
// already holds shapes replaces them and says so.
func TestInstallOverOperatorShapes(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	g := graph.IRI(APIGraph)
	if err := st.Update(ctx, func(tx graph.Tx) error {
		return tx.Add(graph.Quad{S: graph.IRI("https://example.org/S"), P: graph.IRI(shacl.SH + "targetClass"), O: graph.IRI("https://example.org/C"), G: g})
	}); err != nil {
		t.Fatal(err)
	}
	in, err := Install(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if !in.Changed || !in.Edited || in.Previous != "" {
		t.Errorf("Install over an operator's graph = %+v, want Changed and Edited", in)
	}
	if c := countPattern(t, st, graph.Pattern{S: graph.IRI("https://example.org/S"), G: g}); c != 0 {
		t.Error("the operator's quad survived")
	}
}

func TestInstallCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st := memstore.New()
	if _, err := Install(ctx, st); err == nil {
		t.Error("Install with a cancelled context succeeded")
	}
	if c := countGraph(t, st, graph.IRI(APIGraph)); c != 0 {
		t.Errorf("cancelled Install left %d quads", c)
	}
}

func countGraph(t *testing.T, st graph.Store, g graph.Term) int64 {
	t.Helper()
	return countPattern(t, st, graph.Pattern{G: g})
}

func countPattern(t *testing.T, st graph.Store, p graph.Pattern) int64 {
	t.Helper()
	ctx := context.Background()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	n, err := snap.Count(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCatalogueEUCAIMExamples: the EUCAIM profile's own example records
// conform to the catalogue API shapes too, so the API shapes add typing
// without rejecting real records.
func TestCatalogueEUCAIMExamples(t *testing.T) {
	s := compile(t, "catalogue")
	for _, file := range []string{"dataset-example.ttl", "dataset-example-legacy-ns.ttl", "distribution-example.ttl"} {
		rep := validate(t, s, parseTurtle(t, file, readData(t, "eucaim-dcat-ap", file)))
		if !rep.Conforms {
			t.Errorf("%s: %v", file, summarise(rep))
		}
	}
}
