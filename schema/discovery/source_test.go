package discovery

import (
	"context"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/graph/memstore"
)

func newStore(t *testing.T) *memstore.Store {
	t.Helper()
	s := memstore.New()
	t.Cleanup(func() { s.Close() })
	return s
}

func add(t *testing.T, s graph.Store, qs ...graph.Quad) {
	t.Helper()
	err := s.Update(context.Background(), func(tx graph.Tx) error {
		for _, q := range qs {
			if err := tx.Add(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func dataset(g, d, title string) []graph.Quad {
	return []graph.Quad{
		{S: iri(d), P: termType, O: termDataset, G: iri(g)},
		{S: iri(d), P: iri(dctNS + "title"), O: graph.LangLiteral(title, "en"), G: iri(g)},
	}
}

func TestSourceRefreshesWrittenGraphs(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	add(t, s, dataset("urn:g:1", "urn:d:1", "Glioma archive")...)
	add(t, s, dataset("urn:g:2", "urn:d:2", "Melanoma archive")...)
	pc := access.NewCache(s, access.Options{Default: access.Public})
	src := NewSource(s, SourceOptions{Policy: pc.Current})
	if n := len(src.Current().Datasets()); n != 0 {
		t.Fatalf("before the first refresh: %d datasets", n)
	}
	if ok, err := src.Refresh(ctx); !ok || err != nil {
		t.Fatalf("Refresh = %v, %v", ok, err)
	}
	ix := src.Current()
	if n := len(ix.Datasets()); n != 2 {
		t.Fatalf("%d datasets, want 2", n)
	}
	// Nothing written: nothing rebuilt.
	if ok, _ := src.Refresh(ctx); ok {
		t.Error("Refresh without writes rebuilt")
	}
	// A write is searchable after the refresh of its graph, and the other
	// graph's part is shared, not rebuilt.
	add(t, s, dataset("urn:g:1", "urn:d:3", "Glioblastoma follow-up")...)
	src.OnWrite(iri("urn:g:1"))
	if r, _ := src.Current().Search(ctx, "glioblastoma", Filters{}, Relevance, Page{}, ""); r.Total != 0 {
		t.Error("write searchable before refresh")
	}
	if ok, err := src.Refresh(ctx); !ok || err != nil {
		t.Fatalf("Refresh = %v, %v", ok, err)
	}
	nix := src.Current()
	r, err := nix.Search(ctx, "glioblastoma", Filters{}, Relevance, Page{}, "")
	if err != nil || r.Total != 1 || r.Hits[0].Dataset.IRI != iri("urn:d:3") {
		t.Fatalf("after refresh: %+v, %v", r, err)
	}
	if nix.parts[iri("urn:g:2")] != ix.parts[iri("urn:g:2")] {
		t.Error("the part of an unwritten graph was rebuilt")
	}
	if nix.parts[iri("urn:g:1")] == ix.parts[iri("urn:g:1")] {
		t.Error("the part of the written graph was not rebuilt")
	}
	// Dropping a graph removes its datasets.
	if err := s.Update(ctx, func(tx graph.Tx) error { return tx.DropGraph(ctx, iri("urn:g:2")) }); err != nil {
		t.Fatal(err)
	}
	src.OnWrite(iri("urn:g:2"))
	if _, err := src.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if src.Current().Dataset(iri("urn:d:2")) != nil {
		t.Error("dataset of a dropped graph still indexed")
	}
	// A policy change is seen without a rebuild.
	add(t, s, graph.Quad{S: iri("urn:g:1"), P: iri(access.LevelPredicate), O: access.Controlled.IRI(), G: iri(access.DefaultSystemGraph)})
	pc.Invalidate(iri(access.DefaultSystemGraph))
	if _, err := pc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	cur := src.Current()
	if l := cur.Level(cur.Dataset(iri("urn:d:1"))); l != access.Controlled {
		t.Errorf("level after policy change = %v, want controlled", l)
	}
}

func TestSourceRunDebounces(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newStore(t)
	refreshed := make(chan *Index, 10)
	src := NewSource(s, SourceOptions{Debounce: 10 * time.Millisecond, OnRefresh: func(ix *Index, err error) {
		if err != nil {
			t.Error(err)
		}
		refreshed <- ix
	}})
	done := make(chan struct{})
	go func() { src.Run(ctx); close(done) }()
	<-refreshed // the initial build
	add(t, s, dataset("urn:g:1", "urn:d:1", "Sarcoma registry")...)
	src.OnWrite(iri("urn:g:1"))
	select {
	case ix := <-refreshed:
		if ix.Dataset(iri("urn:d:1")) == nil {
			t.Error("refreshed index lacks the written dataset")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no refresh after a write")
	}
	cancel()
	<-done
}
