package discovery

import (
	"context"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
)

func TestObfuscation(t *testing.T) {
	round := Obfuscation{}
	suppress := Obfuscation{Mode: Suppress}
	step5 := Obfuscation{Threshold: 5, Step: 5}
	tests := []struct {
		name  string
		o     Obfuscation
		n     int64
		exact bool
		want  Count
	}{
		{"zero is exact", round, 0, false, Count{Value: 0, Display: "0", Exact: true}},
		{"small rounds to threshold", round, 3, false, Count{Value: 10, Display: "10"}},
		{"nine", round, 9, false, Count{Value: 10, Display: "10"}},
		{"ten", round, 10, false, Count{Value: 10, Display: "10"}},
		{"nearest down", round, 14, false, Count{Value: 10, Display: "10"}},
		{"half up", round, 15, false, Count{Value: 20, Display: "20"}},
		{"large", round, 1234, false, Count{Value: 1230, Display: "1230"}},
		{"suppressed", suppress, 4, false, Count{Display: "<10", Suppressed: true}},
		{"suppress mode rounds large", suppress, 27, false, Count{Value: 30, Display: "30"}},
		{"custom step", step5, 7, false, Count{Value: 5, Display: "5"}},
		{"exact when allowed", round, 3, true, Count{Value: 3, Display: "3", Exact: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.Apply(tt.n, tt.exact); got != tt.want {
				t.Errorf("Apply(%d, %v) = %+v, want %+v", tt.n, tt.exact, got, tt.want)
			}
		})
	}
}

// small builds an index over a hand-written catalogue: one dataset per
// access level, each with three patients.
func small(t *testing.T, ob Obfuscation) *Index {
	t.Helper()
	ctx := context.Background()
	s := newStore(t)
	sys := iri(access.DefaultSystemGraph)
	var qs []graph.Quad
	for _, l := range access.Levels {
		g := iri("https://tessera.example/graph/provider/" + l.String())
		d := iri("urn:ds:" + l.String())
		qs = append(qs,
			graph.Quad{S: g, P: iri(access.LevelPredicate), O: l.IRI(), G: sys},
			graph.Quad{S: d, P: termType, O: termDataset, G: g},
			graph.Quad{S: d, P: iri(dctNS + "title"), O: graph.LangLiteral("Cohort "+l.String(), "en"), G: g},
		)
		for _, p := range []string{"a", "b", "c"} {
			pt := iri("urn:patient:" + l.String() + ":" + p)
			qs = append(qs,
				graph.Quad{S: pt, P: termType, O: termPatient, G: g},
				graph.Quad{S: pt, P: termIsPartOf, O: d, G: g},
				graph.Quad{S: pt, P: termSex, O: iri(ncit + "C16576"), G: g},
			)
		}
	}
	add(t, s, qs...)
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	pol, err := access.Load(ctx, snap, access.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(ctx, snap, nil, pol, Options{Obfuscation: ob})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestCohortNeverExactForControlled(t *testing.T) {
	ctx := context.Background()
	all := Obfuscation{ExactFor: access.Levels}
	tests := []struct {
		name       string
		ob         Obfuscation
		registered bool
		exact      map[access.Level]bool
	}{
		{"default obfuscates everything", Obfuscation{}, true, map[access.Level]bool{}},
		{"anonymous sees public exactly", all, false, map[access.Level]bool{access.Public: true}},
		{"registered sees registered exactly", all, true, map[access.Level]bool{access.Public: true, access.Registered: true}},
		{"suppress mode", Obfuscation{Mode: Suppress, ExactFor: access.Levels}, true, map[access.Level]bool{access.Public: true, access.Registered: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := small(t, tt.ob)
			res, err := ix.Cohort(ctx, Criteria{}, Filters{}, tt.registered)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Datasets) != 3 {
				t.Fatalf("%d datasets, want 3", len(res.Datasets))
			}
			var sum int64
			for _, c := range res.Datasets {
				if c.Subjects.Exact != tt.exact[c.Level] {
					t.Errorf("%s: exact = %v, want %v", c.Level, c.Subjects.Exact, tt.exact[c.Level])
				}
				switch {
				case c.Subjects.Exact && c.Subjects.Value != 3:
					t.Errorf("%s: exact count %d, want 3", c.Level, c.Subjects.Value)
				case !c.Subjects.Exact && tt.ob.Mode == Suppress && !c.Subjects.Suppressed:
					t.Errorf("%s: %+v, want suppressed", c.Level, c.Subjects)
				case !c.Subjects.Exact && tt.ob.Mode == Round && c.Subjects.Value != 10:
					t.Errorf("%s: %+v, want 10", c.Level, c.Subjects)
				}
				for _, b := range c.Sex {
					if b.Count.Exact != c.Subjects.Exact {
						t.Errorf("%s: sex bucket exact = %v", c.Level, b.Count.Exact)
					}
				}
				sum += c.Subjects.Value
			}
			if res.Subjects.Value != sum {
				t.Errorf("total %d, sum of reported %d", res.Subjects.Value, sum)
			}
			if !strings.Contains(res.Policy, "Controlled graphs never report exact counts") {
				t.Errorf("policy %q", res.Policy)
			}
		})
	}
}
