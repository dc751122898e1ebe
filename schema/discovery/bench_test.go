package discovery

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
)

var (
	fix2Once sync.Once
	fix2     *fixture
	fix2Err  error
)

// benchFixture returns the demo catalogue at scale 1 (588k quads) or 2
// (1.2M quads) in a badger store.
func benchFixture(b *testing.B, scale int) *fixture {
	b.Helper()
	if scale == 1 {
		return loadFixture(b)
	}
	if testing.Short() {
		b.Skip("scale 2 (1.2M quads) is skipped under -short")
	}
	fix2Once.Do(func() {
		s, err := openBadger()
		if err != nil {
			fix2Err = err
			return
		}
		fix2, fix2Err = newFixture(context.Background(), s, 2)
	})
	if fix2Err != nil {
		b.Fatal(fix2Err)
	}
	return fix2
}

func lungSpainItaly() Filters {
	return Filters{
		CancerTypes: []graph.Term{iri(onco + "LUNG")},
		Modalities:  []graph.Term{iri(dcm + "CT"), iri(dcm + "MR")},
		Countries:   []graph.Term{iri(eu + "ESP"), iri(eu + "ITA")},
	}
}

func BenchmarkFacets(b *testing.B) {
	for _, scale := range []int{1, 2} {
		for _, c := range []struct {
			name    string
			text    string
			filters Filters
		}{
			{"all", "", Filters{}},
			{"lung-ct-mr-es-it", "", lungSpainItaly()},
			{"text-carcinoma", "carcinoma", Filters{Countries: []graph.Term{iri(eu + "ESP")}}},
		} {
			b.Run(fmt.Sprintf("scale%d/%s", scale, c.name), func(b *testing.B) {
				f := benchFixture(b, scale)
				ctx := context.Background()
				b.ResetTimer()
				for b.Loop() {
					if _, err := f.ix.Facets(ctx, c.text, c.filters, "en"); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkCohort(b *testing.B) {
	from, to := 2014, 2018
	for _, scale := range []int{1, 2} {
		for _, c := range []struct {
			name     string
			criteria Criteria
			filters  Filters
		}{
			{"everything", Criteria{}, Filters{}},
			{"lung-ct-years", Criteria{Diagnoses: []graph.Term{iri(onco + "LUNG")}, Modalities: []graph.Term{iri(dcm + "CT")}, YearFrom: &from, YearTo: &to}, Filters{}},
			{"female-siemens-es-it", Criteria{Sexes: []graph.Term{iri(ncit + "C16576")}, Manufacturers: []string{"SIEMENS"}}, Filters{Countries: lungSpainItaly().Countries}},
		} {
			b.Run(fmt.Sprintf("scale%d/%s", scale, c.name), func(b *testing.B) {
				f := benchFixture(b, scale)
				ctx := context.Background()
				b.ResetTimer()
				for b.Loop() {
					if _, err := f.ix.Cohort(ctx, c.criteria, c.filters, false); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	for _, scale := range []int{1, 2} {
		for _, c := range []struct {
			name, text string
			order      Order
		}{
			{"words", "lung adenocarcinoma", Relevance},
			{"prefix", "adeno", Relevance},
			{"empty-by-subjects", "", Subjects},
		} {
			b.Run(fmt.Sprintf("scale%d/%s", scale, c.name), func(b *testing.B) {
				f := benchFixture(b, scale)
				ctx := context.Background()
				b.ResetTimer()
				for b.Loop() {
					if _, err := f.ix.Search(ctx, c.text, Filters{}, c.order, Page{First: 20}, "en"); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkBuild measures building the whole index from a store snapshot
// (badger at both scales; memstore at scale 1, whose load alone takes a
// minute on a busy machine).
func BenchmarkBuild(b *testing.B) {
	for _, scale := range []int{1, 2} {
		b.Run(fmt.Sprintf("badger/scale%d", scale), func(b *testing.B) {
			f := benchFixture(b, scale)
			b.ResetTimer()
			for b.Loop() {
				if _, err := Build(context.Background(), f.snap, f.ont, f.pol, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("memstore/scale1", func(b *testing.B) {
		if testing.Short() {
			b.Skip("loading the memstore takes too long under -short")
		}
		ctx := context.Background()
		s := memstore.New()
		defer s.Close()
		f := loadFixture(b)
		// Copy the badger fixture into the memstore in one transaction.
		err := s.Update(ctx, func(tx graph.Tx) error {
			for q, err := range f.snap.Quads(ctx, graph.Pattern{}) {
				if err != nil {
					return err
				}
				if err := tx.Add(q); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		snap, err := s.Snapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer snap.Release()
		// The memstore indexes a state lazily on its first pattern query;
		// pay that outside the measurement.
		if _, err := snap.Count(ctx, graph.Pattern{P: termType}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			if _, err := Build(ctx, snap, f.ont, f.pol, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
