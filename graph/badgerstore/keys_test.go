package badgerstore

import (
	"context"
	"encoding/binary"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphgen"
	"github.com/tessera-fair/tessera/graph/graphtest"
)

// layout is the key count per index that the quads s holds should have.
func layout(t *testing.T, s *Store) map[string]int {
	t.Helper()
	all, named := 0, 0
	for _, q := range dump(t, s) {
		all++
		if !q.G.IsDefaultGraph() {
			named++
		}
	}
	return map[string]int{"spog": all, "posg": all, "ospg": all, "gspo": named, "gpos": named, "gosp": named}
}

// keyCounts counts the live keys of each index at the visible version.
func keyCounts(t *testing.T, s *Store) map[string]int {
	t.Helper()
	txn := s.db.NewTransactionAt(s.visible.Load(), false)
	defer txn.Discard()
	counts := map[string]int{}
	for _, ix := range indexes {
		n, err := s.countRange(context.Background(), txn, keyRange{ix: &ix, prefix: []byte{ix.prefix}})
		if err != nil {
			t.Fatal(err)
		}
		counts[ix.name] = int(n)
	}
	return counts
}

// TestKeyLayout checks that a default-graph quad has keys in SPOG, POSG and
// OSPG only and a named graph's quad in all six indexes, whichever path
// wrote them, and that deleting the quads leaves no key behind.
func TestKeyLayout(t *testing.T) {
	ctx := context.Background()
	g := graph.IRI("http://example.org/g")
	catalog := func(n int) graph.Quads { return graphgen.Catalog(n, 3) }
	for _, tt := range []struct {
		name string
		opts Options
	}{
		{"update", Options{NoSync: true, BulkMinQuads: 1 << 30}},
		{"bulk", Options{NoSync: true, BulkMinQuads: 1000}},
		{"bulk spilled", Options{NoSync: true, BulkMinQuads: 1000, BulkMemory: 128 << 10}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t, tt.opts)
			if _, err := graph.Load(ctx, s, catalog(3000), graph.LoadOptions{}); err != nil {
				t.Fatal(err)
			}
			if _, err := graph.Load(ctx, s, catalog(2000), graph.LoadOptions{Graph: g}); err != nil {
				t.Fatal(err)
			}
			want := layout(t, s)
			if want["spog"] < 4900 || want["gspo"] < 1900 {
				t.Fatalf("loaded %v quads", want)
			}
			if got := keyCounts(t, s); !maps.Equal(got, want) {
				t.Fatalf("keys per index = %v, want %v", got, want)
			}
			// Replacing the default graph by a bulk load deletes its keys
			// through the default-graph scan.
			if _, err := graph.Load(ctx, s, catalog(1500), graph.LoadOptions{Graph: graph.DefaultGraph, Replace: true}); err != nil {
				t.Fatal(err)
			}
			want = layout(t, s)
			if want["spog"]-want["gspo"] > 1500 || want["spog"]-want["gspo"] < 1400 {
				t.Fatalf("default graph after the replacement: %d quads", want["spog"]-want["gspo"])
			}
			if got := keyCounts(t, s); !maps.Equal(got, want) {
				t.Fatalf("after replacing the default graph: keys per index = %v, want %v", got, want)
			}
			err := s.Update(ctx, func(tx graph.Tx) error {
				if err := tx.ClearGraph(ctx, graph.DefaultGraph); err != nil {
					return err
				}
				return tx.DropGraph(ctx, g)
			})
			if err != nil {
				t.Fatal(err)
			}
			want = map[string]int{"spog": 0, "posg": 0, "ospg": 0, "gspo": 0, "gpos": 0, "gosp": 0}
			if got := keyCounts(t, s); !maps.Equal(got, want) {
				t.Fatalf("after clearing: keys per index = %v, want %v", got, want)
			}
		})
	}
}

// TestMigrateFormat1 writes what a format 1 store holds (the default graph's
// quads in the G-led indexes too, a commit record saying format 1) and
// checks that Open drops those keys, reads the same quads and records
// format 2.
func TestMigrateFormat1(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := reopen(t, dir, Options{})
	graphtest.Add(t, s, graphtest.Fixture()...)
	before := dump(t, s)
	defaults := 0
	for _, q := range before {
		if q.G.IsDefaultGraph() {
			defaults++
		}
	}
	v := s.visible.Load() + 1
	txn := s.db.NewTransactionAt(v, true)
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := snap.(graph.IDReader)
	for q, err := range r.QuadIDs(ctx, graph.IDPattern{Bound: [4]bool{false, false, false, true}}) {
		if err != nil {
			t.Fatal(err)
		}
		ids := [4]uint64(q)
		for _, ix := range indexes[defaultIndexes:] {
			key := make([]byte, quadKeyLen)
			putQuadKey(key, &ix, &ids)
			if err := txn.Set(key, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	snap.Release()
	old := meta{visible: v}.encode()
	old[0] = metaFormat1
	if err := txn.Set(metaKey, old); err != nil {
		t.Fatal(err)
	}
	if err := txn.CommitAt(v, nil); err != nil {
		t.Fatal(err)
	}
	s.visible.Store(v)
	if got := keyCounts(t, s)["gspo"]; got != len(before) {
		t.Fatalf("format 1 store has %d GSPO keys, want %d", got, len(before))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Read-only, a format 1 store is read as it is: the G-led keys of its
	// default graph are never scanned.
	ro := reopen(t, dir, Options{ReadOnly: true})
	if got := dump(t, ro); !slices.Equal(got, before) {
		t.Fatalf("format 1 store read-only:\n%v\nwant\n%v", got, before)
	}
	if got := keyCounts(t, ro)["gspo"]; got != len(before) {
		t.Fatalf("read-only open changed the store: %d GSPO keys, want %d", got, len(before))
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}

	s = reopen(t, dir, Options{})
	if got := dump(t, s); !slices.Equal(got, before) {
		t.Fatalf("after migration:\n%v\nwant\n%v", got, before)
	}
	if got, want := keyCounts(t, s)["gspo"], len(before)-defaults; got != want {
		t.Errorf("after migration: %d GSPO keys, want %d", got, want)
	}
	txn = s.db.NewTransactionAt(s.visible.Load(), false)
	defer txn.Discard()
	item, err := txn.Get(metaKey)
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := item.ValueCopy(nil)
	if rec[0] != metaFormat || binary.BigEndian.Uint64(rec[2:]) != s.visible.Load() {
		t.Errorf("commit record after migration = %x, want format %d at version %d", rec, metaFormat, s.visible.Load())
	}
}

// TestCompact checks that Compact leaves every table on one level and the
// quads as they were, and refuses read-only and closed stores.
func TestCompact(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := reopen(t, dir, Options{NoSync: true, BulkMinQuads: 1000})
	for i, g := range []graph.Term{{}, graph.IRI("http://example.org/g")} {
		if _, err := graph.Load(ctx, s, graphgen.Catalog(20_000, int64(i+1)), graph.LoadOptions{Graph: g}); err != nil {
			t.Fatal(err)
		}
	}
	before := dump(t, s)
	if err := s.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	levels := map[int]int{}
	for _, tb := range s.db.Tables() {
		levels[tb.Level]++
	}
	if len(levels) != 1 {
		t.Errorf("tables per level after Compact = %v, want one level", levels)
	}
	if got := dump(t, s); !slices.Equal(got, before) {
		t.Errorf("Compact changed the quads: %d, want %d", len(got), len(before))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Compact(ctx); !errors.Is(err, graph.ErrClosed) {
		t.Errorf("Compact on a closed store = %v, want ErrClosed", err)
	}
	ro := reopen(t, dir, Options{ReadOnly: true})
	if err := ro.Compact(ctx); !errors.Is(err, graph.ErrReadOnly) {
		t.Errorf("Compact on a read-only store = %v, want ErrReadOnly", err)
	}
}
