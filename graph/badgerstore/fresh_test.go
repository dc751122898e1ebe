package badgerstore

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphgen"
	"github.com/tessera-fair/tessera/graph/graphtest"
)

// markerLeft reports whether the empty-store load marker exists in dir.
func markerLeft(t *testing.T, dir string) bool {
	t.Helper()
	_, err := os.Stat(filepath.Join(dir, freshMarker))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return err == nil
}

// TestFreshLoad checks that a bulk load into an empty store writes badger's
// last level (nothing left for a compaction to move), stores what the
// transactional path stores, and that a later load into the same store
// takes the general path and keeps both.
func TestFreshLoad(t *testing.T) {
	ctx := context.Background()
	ref := openTest(t, Options{NoSync: true, BulkMinQuads: 1 << 30})
	s := openTest(t, Options{NoSync: true, BulkMinQuads: 1000})
	g := graph.IRI("http://example.org/g")
	for _, st := range []*Store{ref, s} {
		if _, err := graph.Load(ctx, st, graphgen.Catalog(30_000, 1), graph.LoadOptions{Graph: g}); err != nil {
			t.Fatal(err)
		}
	}
	last := len(s.db.Levels()) - 1
	tables := s.db.Tables()
	if len(tables) == 0 {
		t.Fatal("no tables after the bulk load")
	}
	for _, tb := range tables {
		if tb.Level != last {
			t.Errorf("table %d on level %d after a load into an empty store, want the last level %d", tb.ID, tb.Level, last)
		}
	}
	if markerLeft(t, s.dir) {
		t.Error("empty-store load marker left after the load")
	}
	if got, want := dump(t, s), dump(t, ref); !slices.Equal(got, want) {
		t.Fatalf("bulk store has %d quads, transactional %d", len(got), len(want))
	}
	// The store is not empty any more: the next load is incremental.
	for _, st := range []*Store{ref, s} {
		if _, err := graph.Load(ctx, st, graphgen.Catalog(20_000, 2), graph.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	above := 0
	for _, tb := range s.db.Tables() {
		if tb.Level < last {
			above++
		}
	}
	if above == 0 {
		t.Error("the second load wrote no table above the last level: it emptied the store")
	}
	if got, want := dump(t, s), dump(t, ref); !slices.Equal(got, want) {
		t.Fatalf("after the second load: bulk store has %d quads, transactional %d", len(got), len(want))
	}
}

// TestFreshMarkerWithCommitRecord checks that Open keeps a store that has a
// commit record beside a marker (the load committed, or its drop never
// started) and removes the marker.
func TestFreshMarkerWithCommitRecord(t *testing.T) {
	dir, before := fixtureDir(t)
	if err := os.WriteFile(filepath.Join(dir, freshMarker), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s := reopen(t, dir, Options{})
	if after := dump(t, s); !slices.Equal(after, before) {
		t.Errorf("after Open with a marker and a commit record: %d quads, want %d", len(after), len(before))
	}
	if markerLeft(t, dir) {
		t.Error("Open left the marker")
	}
}

// TestCrashDuringFreshBulkWrite kills a process in the write phase of a bulk
// load into an empty store, after badger dropped the commit record and
// wrote the first index's tables; Open must empty the store again.
func TestCrashDuringFreshBulkWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and kills large loads: run by make test, skipped by the -short race run of make check")
	}
	dir := t.TempDir()
	s := reopen(t, dir, Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	runChild(t, dir, "bulk", func(line string) bool { return line == "writing" })
	if !markerLeft(t, dir) {
		t.Fatal("the killed load left no marker: it did not take the empty-store path")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.sst")); len(m) == 0 {
		t.Error("the killed load left no table: the kill came before any was written")
	}
	var logs bytes.Buffer
	s = reopen(t, dir, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if !strings.Contains(logs.String(), "interrupted") {
		t.Errorf("Open after the kill did not drop the load; log:\n%s", logs.String())
	}
	if after := dump(t, s); len(after) != 0 {
		t.Errorf("after the killed load into an empty store: %d quads, want none", len(after))
	}
	st, err := s.Stats(context.Background())
	if err != nil || st.Quads != 0 || st.Terms != 0 {
		t.Errorf("Stats after the killed load = %+v, %v; want an empty store", st, err)
	}
	if markerLeft(t, dir) {
		t.Error("Open left the marker")
	}
	n, err := graph.Load(context.Background(), s, graphgen.Catalog(200_000, 9), graph.LoadOptions{})
	if err != nil || n != 200_000 {
		t.Fatalf("Load after the kill = %d, %v", n, err)
	}
	// Nothing of the killed load may resurface once versions pass the one
	// it wrote at.
	ref := openTest(t, Options{NoSync: true})
	if _, err := graph.Load(context.Background(), ref, graphgen.Catalog(200_000, 9), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	graphtest.Add(t, s, crashQuad)
	graphtest.Add(t, ref, crashQuad)
	if got, want := dump(t, s), dump(t, ref); !slices.Equal(got, want) {
		t.Errorf("after later writes: %d quads, want %d", len(got), len(want))
	}
}
