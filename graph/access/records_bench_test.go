package access_test

import (
	"context"
	"testing"

	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/schema"
)

// BenchmarkComputeHidden measures building an anonymous caller's hidden
// set over the demo federation (20,460 patients, 51,350 studies): the cost
// the first SPARQL query pays after a write.
func BenchmarkComputeHidden(b *testing.B) {
	ctx := context.Background()
	s := memstore.New()
	if _, err := demo.LoadIfEmpty(ctx, s); err != nil {
		b.Fatal(err)
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer snap.Release()
	p, err := access.Load(ctx, snap, access.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		h, err := access.ComputeHidden(ctx, snap, p, false, schema.IsRecordClass)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(h.Len()), "hidden")
	}
}
