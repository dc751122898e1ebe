package graphgen

import (
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

func collect(t *testing.T, n int, seed int64) []graph.Quad {
	t.Helper()
	qs, err := graph.Collect(Catalog(n, seed))
	if err != nil {
		t.Fatalf("Catalog(%d, %d): %v", n, seed, err)
	}
	return qs
}

func TestCatalogCountAndValidity(t *testing.T) {
	for _, n := range []int{-1, 0, 1, 7, 1000, 25_000} {
		qs := collect(t, n, 1)
		if want := max(n, 0); len(qs) != want {
			t.Errorf("Catalog(%d, 1) gave %d triples, want %d", n, len(qs), want)
		}
		for _, q := range qs {
			if !q.Valid() || !q.G.IsDefaultGraph() {
				t.Fatalf("Catalog(%d, 1) gave %v, not a valid default-graph triple", n, q)
			}
		}
	}
}

func TestCatalogDeterministic(t *testing.T) {
	a, b := collect(t, 5000, 42), collect(t, 5000, 42)
	if !slices.Equal(a, b) {
		t.Errorf("Catalog(5000, 42) differs between two calls")
	}
	if c := collect(t, 5000, 43); slices.Equal(a, c) {
		t.Errorf("Catalog(5000, 42) and Catalog(5000, 43) are equal")
	}
	// A shorter stream is a prefix of a longer one with the same seed.
	if short := collect(t, 1234, 42); !slices.Equal(short, a[:1234]) {
		t.Errorf("Catalog(1234, 42) is not a prefix of Catalog(5000, 42)")
	}
}

func TestCatalogShape(t *testing.T) {
	qs := collect(t, 50_000, 7)
	counts := map[string]int{}
	subjects := map[graph.Term]bool{}
	for _, q := range qs {
		subjects[q.S] = true
		switch {
		case q.P == rdfType:
			counts["type "+q.O.Value()[strings.LastIndexAny(q.O.Value(), "#/")+1:]]++
		case q.O.Datatype() == xsdDate:
			counts["date"]++
		case q.O.Lang() != "":
			counts["lang"]++
		case q.O.Datatype() == graph.XSDInteger, q.O.Datatype() == xsdNonNeg:
			counts["integer"]++
		case q.S.IsBlank():
			counts["blank"]++
		}
		if q.S.IsIRI() && !strings.HasPrefix(q.S.Value(), Base) {
			t.Fatalf("subject %v is outside %s", q.S, Base)
		}
	}
	for _, k := range []string{"type Catalog", "type Dataset", "type Distribution", "type Patient", "type ImagingStudy", "type Kind", "date", "lang", "integer", "blank"} {
		if counts[k] == 0 {
			t.Errorf("Catalog(50000, 7) has no %q triples; counts %v", k, counts)
		}
	}
	if len(subjects) < len(qs)/12 || len(subjects) > len(qs)/3 {
		t.Errorf("Catalog(50000, 7) has %d distinct subjects for %d triples; want a catalogue-like 3-12 triples per subject", len(subjects), len(qs))
	}
}

func TestCatalogEarlyBreak(t *testing.T) {
	n := 0
	for range Catalog(1000, 1) {
		if n++; n == 10 {
			break
		}
	}
	if n != 10 {
		t.Errorf("early break read %d triples, want 10", n)
	}
}

func BenchmarkCatalog(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		for _, err := range Catalog(n, 1) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "triples/s")
}
