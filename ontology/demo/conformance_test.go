package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/ontology/shacl"
	"github.com/tessera-fair/tessera/ontology/shapes"
)

// TestFederationConformsToEUCAIM validates every provider graph of the
// scale-1 federation against Tessera's default shapes, EUCAIM DCAT-AP v2.0
// ("eucaim"), and wants no result of any severity: the demo `make run`
// starts with must pass Tessera's own quality check (issue 4). No warning is
// accepted deliberately.
func TestFederationConformsToEUCAIM(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and validates the 590k-quad demo federation (about 15 s)")
	}
	ctx := context.Background()
	sq, err := shapes.Load(shapes.Default)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := shacl.Compile(sq)
	if err != nil {
		t.Fatal(err)
	}
	s := memstore.New()
	if _, err := graph.Load(ctx, s, Federation(1), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	start := time.Now()
	for _, p := range providers {
		g := ProviderGraph(p.slug)
		rep, err := sh.Validate(ctx, snap, shacl.Options{Graph: g, MaxResults: 50})
		if err != nil {
			t.Fatalf("validate %s: %v", p.slug, err)
		}
		if !rep.Conforms {
			var b strings.Builder
			if err := rep.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			t.Errorf("%s: %d results (truncated %v):\n%s", p.slug, len(rep.Results), rep.Truncated, b.String())
		}
	}
	t.Logf("validated %d provider graphs in %v", len(providers), time.Since(start))
}

// TestDatasetsHaveOneCondition checks the generator's side of the shape's
// sh:maxCount 1 on eucaim:hasCondition without SHACL: exactly one
// hasCondition per dataset, which is among its hasCodeValues, and the
// hasCodeValues are exactly the diagnoses of the dataset's patients.
func TestDatasetsHaveOneCondition(t *testing.T) {
	conds := map[graph.Term][]string{}
	codes := map[graph.Term]map[string]bool{}
	diag := map[graph.Term]map[string]bool{}
	patientOf := map[graph.Term]graph.Term{}
	set := func(m map[graph.Term]map[string]bool, k graph.Term, v string) {
		if m[k] == nil {
			m[k] = map[string]bool{}
		}
		m[k][v] = true
	}
	var diagnoses []graph.Quad
	for q, err := range Federation(1) {
		if err != nil {
			t.Fatal(err)
		}
		p := q.P.Value()
		switch {
		case strings.HasSuffix(p, "#hasCondition"):
			conds[q.S] = append(conds[q.S], q.O.Value())
		case strings.HasSuffix(p, "#hasCodeValues"):
			set(codes, q.S, q.O.Value())
		case q.P == dctIsPart && strings.Contains(q.S.Value(), "/patient/"):
			patientOf[q.S] = q.O
		case q.P == cdmDiagnosis:
			diagnoses = append(diagnoses, q)
		}
	}
	for _, q := range diagnoses {
		set(diag, patientOf[q.S], q.O.Value())
	}
	if len(conds) != 70 {
		t.Errorf("%d datasets with hasCondition, want 70", len(conds))
	}
	two := 0
	for ds, c := range conds {
		if len(c) != 1 {
			t.Errorf("%v: hasCondition %v, want one", ds, c)
			continue
		}
		if !codes[ds][c[0]] {
			t.Errorf("%v: hasCondition %s not among hasCodeValues %v", ds, c[0], codes[ds])
		}
		if len(codes[ds]) != len(diag[ds]) {
			t.Errorf("%v: hasCodeValues %v, patients' diagnoses %v", ds, codes[ds], diag[ds])
		}
		for d := range diag[ds] {
			if !codes[ds][d] {
				t.Errorf("%v: diagnosis %s missing from hasCodeValues", ds, d)
			}
		}
		if len(codes[ds]) > 1 {
			two++
		}
	}
	if two == 0 {
		t.Error("no dataset has a second condition in hasCodeValues; the generator draws some")
	}
	t.Logf("%d datasets keep a second condition in hasCodeValues", two)
}
