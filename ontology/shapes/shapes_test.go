package shapes

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/ontology/shacl"
)

func TestNames(t *testing.T) {
	want := []string{"catalogue", "dcat-ap", "eucaim", "fdp", "health-ri"}
	if got := Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	if !Has(Default) {
		t.Errorf("Default %q is not shipped", Default)
	}
	if _, err := Load("nope"); !errors.Is(err, ErrUnknown) {
		t.Errorf("Load(nope) = %v, want ErrUnknown", err)
	}
}

// TestCompile compiles every shipped set: each parses, is well formed and
// yields at least min shapes.
func TestCompile(t *testing.T) {
	for _, tc := range []struct {
		name string
		min  int
	}{{"catalogue", 50}, {"dcat-ap", 20}, {"eucaim", 30}, {"fdp", 7}, {"health-ri", 60}} {
		t.Run(tc.name, func(t *testing.T) {
			s := compile(t, tc.name)
			if s.Len() < tc.min {
				t.Errorf("Compile(%s) gave %d shapes, want at least %d", tc.name, s.Len(), tc.min)
			}
		})
	}
}

func compile(t testing.TB, names ...string) *shacl.Shapes {
	t.Helper()
	var qs []graph.Quad
	for _, n := range names {
		q, err := Load(n)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q...)
	}
	s, err := shacl.Compile(qs)
	if err != nil {
		t.Fatalf("Compile(%v) = %v", names, err)
	}
	return s
}

func parseTurtle(t testing.TB, name, text string) []graph.Quad {
	t.Helper()
	dec := turtle.NewDecoder(strings.NewReader(text), syntax.Options{File: name, Base: "https://tessera.example/data/" + filepath.Base(name)})
	var out []graph.Quad
	for {
		q, err := dec.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return out
			}
			t.Fatalf("parse %s: %v", name, err)
		}
		out = append(out, q)
	}
}

func readData(t testing.TB, rel ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{testsuite.MustData(t)}, rel...)...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func validate(t testing.TB, s *shacl.Shapes, data []graph.Quad) *shacl.Report {
	t.Helper()
	st := memstore.New()
	if _, err := graph.Load(context.Background(), st, graph.FromSlice(data), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	rep, err := s.Validate(context.Background(), snap, shacl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// result is the part of a shacl.Result a test checks.
type result struct {
	focus, path, value, severity string
}

func summarise(rep *shacl.Report) []result {
	var out []result
	for _, r := range rep.Results {
		res := result{focus: r.Focus.String(), severity: strings.TrimPrefix(r.Severity.Value(), "http://www.w3.org/ns/shacl#")}
		if r.Path != nil {
			res.path = r.Path.String()
		}
		if !r.Value.IsZero() {
			res.value = r.Value.String()
		}
		out = append(out, res)
	}
	return out
}

func count(rep *shacl.Report, severity string) int {
	n := 0
	for _, r := range rep.Results {
		if r.Severity.Value() == "http://www.w3.org/ns/shacl#"+severity {
			n++
		}
	}
	return n
}

const (
	eucaimNS = "https://hyperontology.eucaim.cancerimage.eu/#"
	legacyNS = "https://cancerimage.eu/ontology/EUCAIM#"
)

// TestEUCAIMExamples validates the profile's real example records. They
// were written to v1.0: they have no violation, and exactly the five
// warnings for what v2.0 made mandatory. Both IRI bases give the same
// outcome.
func TestEUCAIMExamples(t *testing.T) {
	s := compile(t, "eucaim")
	for _, file := range []string{"dataset-example.ttl", "dataset-example-legacy-ns.ttl"} {
		t.Run(file, func(t *testing.T) {
			rep := validate(t, s, parseTurtle(t, file, readData(t, "eucaim-dcat-ap", file)))
			if v := count(rep, "Violation"); v != 0 {
				t.Errorf("%s: %d violations, want 0: %v", file, v, summarise(rep))
			}
			if w := count(rep, "Warning"); w != 5 {
				t.Errorf("%s: %d warnings, want 5 (v2.0 additions): %v", file, w, summarise(rep))
			}
		})
	}
}

// TestEUCAIMInvalid checks that broken variants of the real example are
// reported with focus node, path, value and message.
func TestEUCAIMInvalid(t *testing.T) {
	s := compile(t, "eucaim")
	orig := readData(t, "eucaim-dcat-ap", "dataset-example.ttl")
	ds := "<https://example.org/eucaim/dataset>"
	tests := []struct {
		name     string
		old, new string
		want     result
	}{
		{"missing title", `dct:title "Open Challenge Prostate Cancer V1"@en ;`, "",
			result{ds, "dct:title", "", "Violation"}},
		{"wrong datatype", `"8237"^^xsd:nonNegativeInteger`, `"8237.5"^^xsd:decimal`,
			result{ds, "<https://w3id.org/healthdcat-ap#numberOfUniqueIndividuals>|<http://healthdataportal.eu/ns/health#numberOfUniqueIndividuals>", `"8237.5"^^<http://www.w3.org/2001/XMLSchema#decimal>`, "Violation"}},
		{"negative count", `"8237"^^xsd:nonNegativeInteger`, `"-3"^^xsd:nonNegativeInteger`,
			result{ds, "", `"-3"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>`, "Violation"}},
		{"unknown tier code", "eucaim:interoperabilityLevel eucaim:SPEC1000011", "eucaim:interoperabilityLevel eucaim:SPEC1000099",
			result{ds, "", "<" + eucaimNS + "SPEC1000099>", "Violation"}},
		{"tier from a collection method", "eucaim:interoperabilityLevel eucaim:SPEC1000011", "eucaim:interoperabilityLevel eucaim:SPEC1000003",
			result{ds, "", "<" + eucaimNS + "SPEC1000003>", "Violation"}},
		{"missing modality", "eucaim:hasImageModality eucaim:IMG1000022 ;", "",
			result{ds, "", "", "Violation"}},
		{"two conditions", "eucaim:hasCondition eucaim:CLIN1000075 ;", "eucaim:hasCondition eucaim:CLIN1000075, eucaim:CLIN1000074 ;",
			result{ds, "", "", "Violation"}},
		{"access rights outside the table", "access-right/NON_PUBLIC>", "access-right/SECRET>",
			result{ds, "dct:accessRights", "<http://publications.europa.eu/resource/authority/access-right/SECRET>", "Violation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(orig, tt.old) {
				t.Fatalf("example no longer contains %q", tt.old)
			}
			rep := validate(t, s, parseTurtle(t, tt.name, strings.Replace(orig, tt.old, tt.new, 1)))
			var found bool
			for i, r := range summarise(rep) {
				if r.severity != "Violation" {
					continue
				}
				if r.focus != tt.want.focus || (tt.want.path != "" && r.path != tt.want.path) || (tt.want.value != "" && r.value != tt.want.value) {
					continue
				}
				if len(rep.Results[i].Messages) == 0 {
					t.Errorf("result %v has no message", r)
				}
				found = true
			}
			if !found {
				t.Errorf("no violation like %+v; got %+v", tt.want, summarise(rep))
			}
		})
	}
}

// TestEUCAIMDistribution links the profile's v1.0 distribution example to
// the dataset: v2.0 wants xsd:nonNegativeInteger byte sizes and an EUCAIM
// access condition in dct:rights, which it lacks.
func TestEUCAIMDistribution(t *testing.T) {
	s := compile(t, "eucaim")
	data := parseTurtle(t, "dataset", readData(t, "eucaim-dcat-ap", "dataset-example.ttl"))
	dist := parseTurtle(t, "distribution", readData(t, "eucaim-dcat-ap", "distribution-example.ttl"))
	alone := validate(t, s, dist)
	if !alone.Conforms {
		t.Errorf("an unlinked distribution is not targeted, got %v", summarise(alone))
	}
	var d graph.Term
	for _, q := range dist {
		if q.P.Value() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" && q.O.Value() == "http://www.w3.org/ns/dcat#Distribution" {
			d = q.S
		}
	}
	link := graph.Triple(graph.IRI("https://example.org/eucaim/dataset"), graph.IRI("http://www.w3.org/ns/dcat#distribution"), d)
	rep := validate(t, s, append(append(data, dist...), link))
	var paths []string
	for _, r := range summarise(rep) {
		if r.severity == "Violation" {
			if r.focus != d.String() {
				t.Errorf("violation on %s, want only on the distribution %s", r.focus, d)
			}
			paths = append(paths, r.path)
		}
	}
	slices.Sort(paths)
	want := []string{"dcat:byteSize", "dct:rights"}
	if !slices.Equal(paths, want) {
		t.Errorf("distribution violations on %v, want %v", paths, want)
	}
}

// TestShippedExamples records the outcome of the upstream examples against
// their own profiles: Health-RI's examples conform to the Health-RI shape
// (as the upstream test suite expects), the FDP examples to the FDP shapes.
func TestShippedExamples(t *testing.T) {
	hri := compile(t, "health-ri")
	rep := validate(t, hri, parseTurtle(t, "example-dataset.ttl", readData(t, "fdp", "health-ri", "example-dataset.ttl")))
	if v := count(rep, "Violation"); v != 0 {
		t.Errorf("health-ri example: %d violations, want 0: %v", v, summarise(rep))
	}
	fdp := compile(t, "fdp")
	examples, _ := filepath.Glob(filepath.Join(testsuite.MustData(t), "fdp", "rdf-examples", "*.ttl"))
	if len(examples) == 0 {
		t.Fatal("no FDP examples")
	}
	for _, e := range examples {
		b, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		rep := validate(t, fdp, parseTurtle(t, e, string(b)))
		t.Logf("%s: %d violations, %d warnings", filepath.Base(e), count(rep, "Violation"), count(rep, "Warning"))
	}
}

func BenchmarkLoadCompile(b *testing.B) {
	for _, name := range Names() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				compile(b, name)
			}
		})
	}
}
