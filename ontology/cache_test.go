package ontology

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
)

func TestCacheRebuild(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, gs := bundled(t)
	c := NewCache(s, gs, Options{})
	rebuilt := make(chan *Ontology, 10)
	c.OnRebuild = func(o *Ontology, err error) {
		if err != nil {
			t.Errorf("rebuild: %v", err)
		}
		rebuilt <- o
	}
	if c.Current().Len() != 0 {
		t.Fatalf("Current before Run is not empty")
	}
	go c.Run(ctx, 0)
	wait := func(what string) *Ontology {
		t.Helper()
		select {
		case o := <-rebuilt:
			return o
		case <-time.After(10 * time.Second):
			t.Fatalf("no rebuild after %s", what)
		}
		return nil
	}
	o1 := wait("start")
	if got := o1.Descendants(iri(onco+"PRAD"), false); len(got) != 1 {
		t.Fatalf("PRAD descendants = %v", got)
	}
	newSub := iri(onco + "PRAD_TEST")
	steps := []struct {
		name   string
		notify bool
	}{{"notified", true}, {"polled fingerprint", false}}
	for i, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			sub := graph.IRI(newSub.Value() + string(rune('A'+i)))
			err := s.Update(ctx, func(tx graph.Tx) error {
				return tx.Add(graph.Quad{S: sub, P: iri(SKOSBroader), O: iri(onco + "PRAD"), G: gs[1]})
			})
			if err != nil {
				t.Fatal(err)
			}
			if st.notify {
				c.Invalidate(gs[1])
				o := wait("Invalidate")
				if !slices.Contains(o.Descendants(iri(onco+"PRAD"), false), sub) {
					t.Errorf("new concept missing after rebuild")
				}
				return
			}
			did, err := c.Refresh(ctx)
			if err != nil || !did {
				t.Fatalf("Refresh = %v, %v, want true, nil", did, err)
			}
			if !slices.Contains(c.Current().Descendants(iri(onco+"PRAD"), false), sub) {
				t.Errorf("new concept missing after refresh")
			}
			if did, _ := c.Refresh(ctx); did {
				t.Errorf("Refresh rebuilt an unchanged ontology")
			}
		})
	}
	// Writes to other graphs are ignored.
	c.Invalidate(iri("urn:unrelated"))
	if did, _ := c.Refresh(ctx); did {
		t.Errorf("an unrelated graph caused a rebuild")
	}
}
