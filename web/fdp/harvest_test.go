package fdp_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/harvest"
	"github.com/tessera-fair/tessera/web"
	"github.com/tessera-fair/tessera/web/fdp"
)

// dnsClient returns an HTTP client that sends every request for
// tessera.example to srv, like a DNS entry: the demo's IRIs are
// https://tessera.example/..., and the node serves them at the same paths.
// In production the IRIs are the server's public URLs (Options.Base), so
// no such mapping is needed.
func dnsClient(srv *httptest.Server) *http.Client {
	tr := srv.Client().Transport.(*http.Transport).Clone()
	addr := srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	// httptest's certificate is for example.com; verify it as such.
	tr.TLSClientConfig = tr.TLSClientConfig.Clone()
	tr.TLSClientConfig.ServerName = "example.com"
	return &http.Client{Transport: tr}
}

// titles returns the dct:title and rdfs:label values of every dcat:Dataset
// of graph g (any graph when g is zero).
func datasetTitles(t *testing.T, s graph.Store, g graph.Term) (titles, labels map[graph.Term][]graph.Term) {
	t.Helper()
	ctx := context.Background()
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	titles, labels = map[graph.Term][]graph.Term{}, map[graph.Term][]graph.Term{}
	for q, err := range snap.Quads(ctx, graph.Pattern{P: graph.IRI(nsRDF + "type"), O: graph.IRI(nsDCAT + "Dataset"), G: g}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct {
			pred string
			into map[graph.Term][]graph.Term
		}{{nsDCT + "title", titles}, {nsRDFS + "label", labels}} {
			vs, err := graph.Collect(snap.Quads(ctx, graph.Pattern{S: q.S, P: graph.IRI(p.pred), G: g}))
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				if !slices.Contains(p.into[q.S], v.O) {
					p.into[q.S] = append(p.into[q.S], v.O)
				}
			}
		}
	}
	return titles, labels
}

// TestHarvestIntoSecondNode harvests node A's FAIR Data Point (the demo
// federation, served by the full web server) into node B's store and finds
// the same datasets with the same titles; B then serves them in its own FDP.
// A change on A shows up as a changed dataset on re-harvest, and a harvest
// from a node that is down leaves B's graph as it was.
func TestHarvestIntoSecondNode(t *testing.T) {
	storeA := demoStore(t)
	nodeA := httptest.NewTLSServer(web.New(storeA, web.Options{}).Handler())
	defer nodeA.Close()
	client := dnsClient(nodeA)

	storeB := memstore.New()
	ctx := context.Background()
	rep, err := harvest.Harvest(ctx, storeB, base+"fdp", harvest.Options{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) != 0 || len(rep.Skipped) != 0 {
		t.Errorf("failures %v, skipped %v", rep.Failures, rep.Skipped)
	}
	// FDP, 12 catalogues, 70 datasets, 70 distributions.
	if rep.Documents != 1+demoCatalogs+2*demoDatasets || rep.Datasets != demoDatasets || len(rep.NewDatasets) != demoDatasets {
		t.Errorf("documents %d datasets %d new %d, want %d, %d, %d", rep.Documents, rep.Datasets, len(rep.NewDatasets), 1+demoCatalogs+2*demoDatasets, demoDatasets, demoDatasets)
	}
	g := graph.IRI(rep.Graph)
	if g.Value() != "https://tessera.example/graph/harvest/tessera.example/fdp" {
		t.Errorf("harvest graph = %s", g)
	}
	wantTitles, _ := datasetTitles(t, storeA, graph.Term{})
	gotTitles, gotLabels := datasetTitles(t, storeB, g)
	if len(gotTitles) != len(wantTitles) {
		t.Fatalf("node B has %d datasets, node A %d", len(gotTitles), len(wantTitles))
	}
	for ds, want := range wantTitles {
		got := gotTitles[ds]
		if len(got) != 1 || got[0].Lang() != "en" || !slices.Contains(want, got[0]) {
			t.Errorf("%s: harvested dct:title %v, want the English one of %v", ds, got, want)
		}
		for _, w := range want {
			if !slices.Contains(gotLabels[ds], w) {
				t.Errorf("%s: title %v of node A is not among node B's labels %v", ds, w, gotLabels[ds])
			}
		}
	}

	// Node B serves what it harvested in its own FDP, still valid.
	nodeB := newServer(t, storeB, fdp.Options{})
	root := fetchRDF(t, nodeB, "/fdp")
	if cats := objects(root, base+"fdp", nsFDP+"metadataCatalog"); len(cats) != demoCatalogs {
		t.Errorf("node B's FDP lists %d catalogues, want %d", len(cats), demoCatalogs)
	}
	validate(t, "node B's copy of "+turiaDataset, fetchRDF(t, nodeB, path(turiaDataset)))

	// A change on node A is reported on the next run.
	retitled := graph.LangLiteral("A retitled cohort", "en")
	err = storeA.Update(ctx, func(tx graph.Tx) error {
		old, err := graph.Collect(tx.Quads(ctx, graph.Pattern{S: graph.IRI(turiaDataset), P: graph.IRI(nsDCT + "title")}))
		if err != nil {
			return err
		}
		for _, q := range old {
			if q.O.Lang() == "en" {
				if err := tx.Delete(q); err != nil {
					return err
				}
				q.O = retitled
				if err := tx.Add(q); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rep2, err := harvest.Harvest(ctx, storeB, base+"fdp", harvest.Options{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rep2.ChangedDatasets, turiaDataset) || len(rep2.NewDatasets)+len(rep2.RemovedDatasets) != 0 || rep2.Added == 0 || rep2.Removed == 0 {
		t.Errorf("re-harvest after a retitle: changed %v new %v removed %v, +%d -%d", rep2.ChangedDatasets, rep2.NewDatasets, rep2.RemovedDatasets, rep2.Added, rep2.Removed)
	}
	gotTitles, _ = datasetTitles(t, storeB, g)
	if got := gotTitles[graph.IRI(turiaDataset)]; len(got) != 1 || got[0] != retitled {
		t.Errorf("after re-harvest the title is %v, want %v", got, retitled)
	}

	// Node A goes down: the harvest fails and B keeps its graph.
	before, err := graph.Collect(func(yield func(graph.Quad, error) bool) {
		snap, err := storeB.Snapshot(ctx)
		if err != nil {
			yield(graph.Quad{}, err)
			return
		}
		defer snap.Release()
		for q, err := range snap.Quads(ctx, graph.Pattern{G: g}) {
			if !yield(q, err) {
				return
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	nodeA.Close()
	if _, err := harvest.Harvest(ctx, storeB, base+"fdp", harvest.Options{Client: client}); !errors.Is(err, harvest.ErrSource) {
		t.Errorf("harvest from a node that is down = %v, want ErrSource", err)
	}
	snap, err := storeB.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	after, err := graph.Collect(snap.Quads(ctx, graph.Pattern{G: g}))
	if err != nil {
		t.Fatal(err)
	}
	if !graph.Isomorphic(before, after) {
		t.Errorf("a failed harvest changed the graph: %d quads before, %d after", len(before), len(after))
	}
}
