package access

import (
	"context"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
)

const cdm = "https://w3id.org/cdm#"

func isRecordTest(c graph.Term) bool { return strings.HasPrefix(c.Value(), cdm) }

// recordsFixture adds, to the policy fixture, a dataset and a patient with
// a study in the public, registered and controlled graphs.
func recordsFixture(t *testing.T) *memstore.Store {
	t.Helper()
	s := fixture(t)
	typ := iri(graph.RDFNamespace + "type")
	var quads []graph.Quad
	for _, g := range []string{gPub, gReg, gCtl} {
		G := iri(g)
		ds, pat, st := iri(g+"/dataset"), iri(g+"/patient"), iri(g+"/study")
		quads = append(quads,
			graph.Quad{S: ds, P: typ, O: iri("http://www.w3.org/ns/dcat#Dataset"), G: G},
			graph.Quad{S: pat, P: typ, O: iri(cdm + "Patient"), G: G},
			graph.Quad{S: pat, P: iri("http://purl.org/dc/terms/isPartOf"), O: ds, G: G},
			graph.Quad{S: st, P: typ, O: iri(cdm + "ImagingStudy"), G: G},
			graph.Quad{S: st, P: iri(cdm + "subject"), O: pat, G: G},
			// A public graph mentioning another graph's patient keeps it:
			// hiding is per graph.
			graph.Quad{S: iri("urn:note"), P: iri("urn:about"), O: pat, G: iri(gPub)},
		)
	}
	err := s.Update(context.Background(), func(tx graph.Tx) error {
		for _, q := range quads {
			if err := tx.Add(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFilterReader(t *testing.T) {
	ctx := context.Background()
	s := recordsFixture(t)
	p := load(t, s, Options{})
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	tests := []struct {
		name       string
		registered bool
		hidden     int      // (graph, subject) pairs
		visible    []string // graphs whose patient is visible
	}{
		{"anonymous", false, 4, []string{gPub}},
		{"registered", true, 2, []string{gPub, gReg}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ComputeHidden(ctx, snap, p, tt.registered, isRecordTest)
			if err != nil {
				t.Fatal(err)
			}
			if h.Len() != tt.hidden {
				t.Errorf("Len = %d, want %d", h.Len(), tt.hidden)
			}
			r := FilterReader(snap, h)
			if _, ok := r.(statser); ok != (func() bool { _, ok := graph.Reader(snap).(statser); return ok }()) {
				t.Errorf("Stats passthrough = %v", ok)
			}
			for _, g := range []string{gPub, gReg, gCtl} {
				want := false
				for _, v := range tt.visible {
					want = want || v == g
				}
				pat := graph.Pattern{S: iri(g + "/patient"), G: iri(g)}
				n, err := r.Count(ctx, pat)
				if err != nil {
					t.Fatal(err)
				}
				qs, err := graph.Collect(r.Quads(ctx, pat))
				if err != nil {
					t.Fatal(err)
				}
				if int64(len(qs)) != n {
					t.Errorf("%s: Count %d != %d quads", g, n, len(qs))
				}
				if (n > 0) != want {
					t.Errorf("%s: patient quads %d, visible %v", g, n, want)
				}
				// The study's link to the patient goes with the patient.
				n, _ = r.Count(ctx, graph.Pattern{P: iri(cdm + "subject"), G: iri(g)})
				if (n > 0) != want {
					t.Errorf("%s: cdm:subject quads %d, visible %v", g, n, want)
				}
				// The dataset is catalogue metadata: always visible.
				n, _ = r.Count(ctx, graph.Pattern{S: iri(g + "/dataset"), G: iri(g)})
				if n != 1 {
					t.Errorf("%s: dataset quads %d, want 1", g, n)
				}
				// The public note about the patient stays.
				n, _ = r.Count(ctx, graph.Pattern{P: iri("urn:about"), O: iri(g + "/patient"), G: iri(gPub)})
				if n != 1 {
					t.Errorf("%s: public note about the patient: %d quads, want 1", g, n)
				}
			}
			var graphs, want int
			for range r.Graphs(ctx) {
				graphs++
			}
			for range snap.Graphs(ctx) {
				want++
			}
			if graphs != want {
				t.Errorf("Graphs: %d, want %d", graphs, want)
			}
		})
	}
	if r := FilterReader(snap, nil); r != graph.Reader(snap) {
		t.Error("FilterReader with nothing hidden wraps the reader")
	}
}

func TestRecordsCacheInvalidates(t *testing.T) {
	ctx := context.Background()
	s := recordsFixture(t)
	c := NewCache(s, Options{})
	if _, err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	rc := NewRecordsCache(c.Current, isRecordTest)
	hidden := func() *HiddenRecords {
		t.Helper()
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer snap.Release()
		h, err := rc.Hidden(ctx, snap, false)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	h1 := hidden()
	if h2 := hidden(); h2 != h1 {
		t.Error("second call recomputed the hidden set")
	}
	newPat := iri(gCtl + "/patient2")
	err := s.Update(ctx, func(tx graph.Tx) error {
		return tx.Add(graph.Quad{S: newPat, P: iri(graph.RDFNamespace + "type"), O: iri(cdm + "Patient"), G: iri(gCtl)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if h := hidden(); h != h1 {
		t.Error("cache changed without a write notice")
	}
	rc.Invalidate(iri(gCtl))
	h3 := hidden()
	if !h3.Hides(iri(gCtl), newPat) || h1.Hides(iri(gCtl), newPat) {
		t.Errorf("after Invalidate the new patient is hidden=%v (before %v)", h3.Hides(iri(gCtl), newPat), h1.Hides(iri(gCtl), newPat))
	}
}
