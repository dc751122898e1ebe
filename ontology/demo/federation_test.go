package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
)

var update = flag.Bool("update", false, "rewrite testdata/federation-scale1.sha256 with the current export's hash")

// exportHash returns the SHA-256 of the stream's N-Quads export (one
// canonical N-Quads line per quad) and the number of quads.
func exportHash(t testing.TB, quads graph.Quads) (string, int) {
	t.Helper()
	h := sha256.New()
	n := 0
	for q, err := range quads {
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
		h.Write([]byte(q.String()))
		h.Write([]byte{'\n'})
		n++
	}
	return hex.EncodeToString(h.Sum(nil)), n
}

func TestFederationDeterministic(t *testing.T) {
	a, na := exportHash(t, Federation(1))
	b, nb := exportHash(t, Federation(1))
	if a != b || na != nb {
		t.Fatalf("two runs differ: %s (%d quads) and %s (%d quads)", a, na, b, nb)
	}
	golden := filepath.Join("testdata", "federation-scale1.sha256")
	got := a + " " + strconv.Itoa(na) + "\n"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read pinned hash (run with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("Federation(1) export = %q, pinned %q: the demo data changed; if on purpose, run go test ./ontology/demo -run Deterministic -update", got, want)
	}
}

func iri(s string) graph.Term { return graph.IRI(s) }

// TestFederationCounts checks the minimum sizes issue 4 asks of `make run`'s
// catalogue, counted in a store without SPARQL.
func TestFederationCounts(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	if _, err := graph.Load(ctx, s, Federation(1), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	count := func(p graph.Pattern) int64 {
		t.Helper()
		n, err := snap.Count(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// typeOf counts the instances of class. It asks the store for {O: class}
	// and filters on rdf:type: memstore answers {P: rdf:type, O: class}
	// very slowly (tens of seconds here).
	typeOf := func(class string) int64 {
		t.Helper()
		var n int64
		for q, err := range snap.Quads(ctx, graph.Pattern{O: iri(class)}) {
			if err != nil {
				t.Fatal(err)
			}
			if q.P == rdfType {
				n++
			}
		}
		return n
	}
	sys := iri(SystemGraph)
	distinct := func(p graph.Pattern, pos func(graph.Quad) graph.Term) int {
		t.Helper()
		seen := map[graph.Term]bool{}
		for q, err := range snap.Quads(ctx, p) {
			if err != nil {
				t.Fatal(err)
			}
			seen[pos(q)] = true
		}
		return len(seen)
	}
	obj := func(q graph.Quad) graph.Term { return q.O }
	for _, c := range []struct {
		name string
		got  int64
		min  int64
	}{
		{"providers (foaf:Organization)", typeOf(foafNS + "Organization"), 10},
		{"provider graphs in the system graph", count(graph.Pattern{P: rdfType, O: sysGraph, G: sys}), 10},
		{"countries of the providers", int64(distinct(graph.Pattern{P: dctSpatial, G: sys}, obj)), 8},
		{"catalogues", typeOf(dcatNS + "Catalog"), 10},
		{"datasets", typeOf(dcatNS + "Dataset"), 60},
		{"distributions", typeOf(dcatNS + "Distribution"), 60},
		{"patients", typeOf(CDM + "Patient"), 20_000},
		{"imaging studies", typeOf(CDM + "ImagingStudy"), 50_000},
		{"access levels", int64(distinct(graph.Pattern{P: sysAccess, G: sys}, obj)), 3},
		{"conditions", int64(distinct(graph.Pattern{P: cdmDiagnosis}, obj)), 15},
		{"study modalities", int64(distinct(graph.Pattern{P: cdmModality}, obj)), 6},
	} {
		if c.got < c.min {
			t.Errorf("%s = %d, want at least %d", c.name, c.got, c.min)
		}
		t.Logf("%s: %d", c.name, c.got)
	}
	for _, p := range providers {
		g := ProviderGraph(p.slug)
		ok, err := snap.HasGraph(ctx, g)
		if err != nil || !ok {
			t.Errorf("HasGraph(%s) = %v, %v; want true", g, ok, err)
		}
		if n := count(graph.Pattern{S: g, P: sysAccess, O: iri(p.access), G: sys}); n != 1 {
			t.Errorf("system graph: %s has %d access levels %s, want 1", g, n, p.access)
		}
		if n := count(graph.Pattern{P: rdfType, O: dcatCat, G: g}); n != 1 {
			t.Errorf("%s holds %d catalogues, want 1", g, n)
		}
	}
}

// TestFederationMetadataMatchesRecords checks that each dataset's counts,
// ages and modalities describe exactly the records generated for it.
func TestFederationMetadataMatchesRecords(t *testing.T) {
	type agg struct {
		patients, studies      int
		minAge, maxAge         int
		individuals, records   string
		minTypical, maxTypical string
		modalities, seen       map[string]bool
	}
	ds := map[graph.Term]*agg{}
	get := func(t graph.Term) *agg {
		a := ds[t]
		if a == nil {
			a = &agg{minAge: 1 << 30, modalities: map[string]bool{}, seen: map[string]bool{}}
			ds[t] = a
		}
		return a
	}
	patientOf := map[graph.Term]graph.Term{}
	studyOf := map[graph.Term]graph.Term{}
	ages := map[graph.Term]int{}
	for q, err := range Federation(1) {
		if err != nil {
			t.Fatal(err)
		}
		p := q.P.Value()
		switch {
		case q.P == dctIsPart && strings.Contains(q.S.Value(), "/patient/"):
			patientOf[q.S] = q.O
			get(q.O).patients++
		case q.P == dctIsPart && strings.Contains(q.S.Value(), "/study/"):
			studyOf[q.S] = q.O
			get(q.O).studies++
		case q.P == cdmAge:
			ages[q.S], _ = strconv.Atoi(q.O.Value())
		case q.P == cdmModality:
			get(studyOf[q.S]).seen[q.O.Value()] = true
		case strings.HasSuffix(p, "#numberOfUniqueIndividuals"):
			get(q.S).individuals = q.O.Value()
		case strings.HasSuffix(p, "#numberOfRecords"):
			get(q.S).records = q.O.Value()
		case strings.HasSuffix(p, "#minTypicalAge"):
			get(q.S).minTypical = q.O.Value()
		case strings.HasSuffix(p, "#maxTypicalAge"):
			get(q.S).maxTypical = q.O.Value()
		case strings.HasSuffix(p, "#hasImageModality"):
			get(q.S).modalities[q.O.Value()] = true
		}
	}
	for pat, age := range ages {
		a := get(patientOf[pat])
		a.minAge, a.maxAge = min(a.minAge, age), max(a.maxAge, age)
	}
	if len(ds) < 60 {
		t.Fatalf("%d datasets with records, want at least 60", len(ds))
	}
	for d, a := range ds {
		if a.individuals != strconv.Itoa(a.patients) || a.records != strconv.Itoa(a.studies) {
			t.Errorf("%s: numberOfUniqueIndividuals %s, numberOfRecords %s; records hold %d patients, %d studies", d, a.individuals, a.records, a.patients, a.studies)
		}
		if a.minTypical != strconv.Itoa(a.minAge) || a.maxTypical != strconv.Itoa(a.maxAge) {
			t.Errorf("%s: typical ages %s–%s, patients %d–%d", d, a.minTypical, a.maxTypical, a.minAge, a.maxAge)
		}
		if len(a.modalities) != len(a.seen) {
			t.Errorf("%s: hasImageModality %v, studies use %v", d, a.modalities, a.seen)
		}
		for m := range a.seen {
			if !a.modalities[m] {
				t.Errorf("%s: studies use %s, not in hasImageModality", d, m)
			}
		}
	}
}

// TestFederationTerms checks that every quad is an RDF quad in a named graph
// and every IRI is absolute and needs no escaping in N-Quads.
func TestFederationTerms(t *testing.T) {
	checked := map[string]bool{}
	checkIRI := func(s string) {
		if checked[s] {
			return
		}
		checked[s] = true
		u, err := url.Parse(s)
		if err != nil || !u.IsAbs() || strings.ContainsAny(s, " <>\"{}|^`\\") {
			t.Errorf("invalid IRI %q (%v)", s, err)
		}
	}
	for q, err := range Federation(1) {
		if err != nil {
			t.Fatal(err)
		}
		if !q.Valid() || !q.G.IsIRI() {
			t.Fatalf("invalid quad %v", q)
		}
		for _, term := range []graph.Term{q.S, q.P, q.O, q.G} {
			switch {
			case term.IsIRI():
				checkIRI(term.Value())
			case term.IsLiteral():
				checkIRI(term.Datatype())
				if term.Value() == "" {
					t.Errorf("empty literal in %v", q)
				}
			default:
				t.Errorf("unexpected term %v in %v", term, q)
			}
		}
	}
}

func TestFederationScale(t *testing.T) {
	datasets := func(scale int) (n int) {
		for q, err := range Federation(scale) {
			if err != nil {
				t.Fatal(err)
			}
			if q.P == rdfType && q.O == dcatDS {
				n++
			}
		}
		return n
	}
	if d1, d3 := datasets(1), datasets(3); d3 != 3*d1 {
		t.Errorf("datasets at scale 3 = %d, want 3 × %d", d3, d1)
	}
	for _, scale := range []int{0, -1} {
		var got error
		for _, err := range Federation(scale) {
			got = err
		}
		if got == nil {
			t.Errorf("Federation(%d) yielded no error", scale)
		}
	}
}

func TestFederationStopsEarly(t *testing.T) {
	for _, stop := range []int{1, 10, 1000, 100_000} {
		n := 0
		for _, err := range Federation(1) {
			if err != nil {
				t.Fatal(err)
			}
			n++
			if n == stop {
				break
			}
		}
		if n != stop {
			t.Errorf("read %d quads, want to stop at %d", n, stop)
		}
	}
}

func TestQuadsHasExamplesAndFederation(t *testing.T) {
	graphs := map[graph.Term]int{}
	for q, err := range Quads() {
		if err != nil {
			t.Fatal(err)
		}
		graphs[q.G]++
	}
	for _, g := range []graph.Term{iri(GraphBase + "eucaim-examples"), iri(GraphBase + "fdp-examples"), iri(SystemGraph), ProviderGraph(providers[0].slug)} {
		if graphs[g] == 0 {
			t.Errorf("graph %s missing from Quads()", g)
		}
	}
}

func TestLoadIfEmpty(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	n, err := LoadIfEmpty(ctx, s)
	if err != nil || n == 0 {
		t.Fatalf("LoadIfEmpty(empty) = %d, %v", n, err)
	}
	n, err = LoadIfEmpty(ctx, s)
	if err != nil || n != 0 {
		t.Fatalf("LoadIfEmpty(loaded) = %d, %v; want 0, nil", n, err)
	}
}

// BenchmarkFederation measures generation at scale 10 (about 5.9M quads).
func BenchmarkFederation(b *testing.B) {
	b.ReportAllocs()
	var quads, bytes int64
	for b.Loop() {
		for q, err := range Federation(10) {
			if err != nil {
				b.Fatal(err)
			}
			quads++
			bytes += int64(len(q.S.Value()) + len(q.P.Value()) + len(q.O.Value()) + len(q.G.Value()))
		}
	}
	b.SetBytes(bytes / int64(b.N))
	b.ReportMetric(float64(quads)/b.Elapsed().Seconds(), "quads/s")
}
