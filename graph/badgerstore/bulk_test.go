package badgerstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cespare/xxhash/v2"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphgen"
	"github.com/tessera-fair/tessera/graph/graphtest"
)

// TestGraphtestBulk runs the behaviour suite with every load, however
// small, on the bulk path.
func TestGraphtestBulk(t *testing.T) {
	graphtest.Run(t, func(t *testing.T) graph.Store { return openTest(t, Options{BulkMinQuads: 1}) })
}

// TestBulkMatchesTransactional loads the same data through both paths, with
// run buffers small enough to spill several runs, on top of existing data,
// and compares everything a reader sees.
func TestBulkMatchesTransactional(t *testing.T) {
	ctx := context.Background()
	ex := func(s string) graph.Term { return graph.IRI("http://example.org/" + s) }
	g := ex("g")
	for _, tt := range []struct {
		name string
		opts graph.LoadOptions
	}{
		{"plain", graph.LoadOptions{}},
		{"graph", graph.LoadOptions{Graph: g}},
		{"replace", graph.LoadOptions{Graph: g, Replace: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// A huge BulkMinQuads keeps the reference store transactional.
			ref := openTest(t, Options{NoSync: true, BulkMinQuads: 1 << 30})
			blk := openTest(t, Options{NoSync: true, BulkMinQuads: 1000, BulkMemory: 256 << 10})
			for _, s := range []*Store{ref, blk} {
				graphtest.Add(t, s, graphtest.Fixture()...)
				graphtest.Add(t, s,
					graph.Quad{S: ex("old"), P: ex("p"), O: graph.String("replaced"), G: g},
					graph.Quad{S: graph.IRI(graphgen.Base + "p000-breast/catalog"), P: ex("p"), O: ex("kept-or-not"), G: g})
				spills := 0
				s.bulkHook = func(stage string) {
					if stage == "checked" {
						spills++
					}
				}
				// Duplicates within the stream, and one quad the store has.
				stream := func(yield func(graph.Quad, error) bool) {
					for q := range graphgen.Catalog(20_000, 3) {
						for range 2 {
							if !yield(q, nil) {
								return
							}
						}
					}
				}
				n, err := graph.Load(ctx, s, stream, tt.opts)
				if err != nil || n != 40_000 {
					t.Fatalf("Load = %d, %v", n, err)
				}
				if s == blk && spills != 1 {
					t.Errorf("bulk path ran %d times, want 1", spills)
				}
				if s == blk && blk.runsLeft() {
					t.Errorf("run files left after the load")
				}
			}
			want, got := dump(t, ref), dump(t, blk)
			if !slices.Equal(got, want) {
				t.Fatalf("bulk store has %d quads, transactional %d", len(got), len(want))
			}
			ws, err := ref.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			gs, err := blk.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ws.DiskBytes, gs.DiskBytes = 0, 0
			if fmt.Sprint(gs) != fmt.Sprint(ws) {
				t.Errorf("bulk Stats = %+v\nwant %+v", gs, ws)
			}
			for _, s := range []*Store{ref, blk} {
				snap, _ := s.Snapshot(ctx)
				var names []graph.Term
				for g, err := range snap.Graphs(ctx) {
					if err != nil {
						t.Fatal(err)
					}
					names = append(names, g)
				}
				snap.Release()
				if !slices.Contains(names, ex("g")) && !tt.opts.Graph.IsZero() {
					t.Errorf("Graphs = %v, missing %v", names, g)
				}
			}
			// Later transactions and loads work on the bulk-loaded store.
			q := graph.Triple(ex("after"), ex("p"), graph.String("a long enough string"))
			graphtest.Add(t, blk, q)
			n, err := graph.Load(ctx, blk, graphgen.Catalog(5_000, 4), graph.LoadOptions{})
			if err != nil || n != 5_000 {
				t.Fatalf("second Load = %d, %v", n, err)
			}
			snap, _ := blk.Snapshot(ctx)
			defer snap.Release()
			if c, err := snap.Count(ctx, graph.Pattern{S: ex("after")}); c != 1 || err != nil {
				t.Errorf("Count(after) = %d, %v; want 1", c, err)
			}
		})
	}
}

// runsLeft reports whether a bulk load left run files behind.
func (s *Store) runsLeft() bool {
	_, err := os.Stat(filepath.Join(s.dir, bulkDir))
	return err == nil
}

// TestBulkFailures checks that a bulk load that fails in phase 1 (stream
// error, cancelled context, invalid quad, term id collision) leaves the
// store exactly as it was, and that one failing in phase 2 is rolled back.
func TestBulkFailures(t *testing.T) {
	ctx := context.Background()
	a, b := graph.IRI("http://example.org/a"), graph.IRI("http://example.org/b")
	hashA := xxhash.Sum64(appendEncoding(nil, a))
	hash := func(enc []byte) uint64 {
		if string(enc) == string(appendEncoding(nil, b)) {
			return hashA
		}
		return xxhash.Sum64(enc)
	}
	p := graph.IRI("http://example.org/p")
	boom := errors.New("boom")
	catalogThen := func(n int, last graph.Quad, err error, extra ...graph.Quad) graph.Quads {
		return func(yield func(graph.Quad, error) bool) {
			for q := range graphgen.Catalog(n, 5) {
				if !yield(q, nil) {
					return
				}
			}
			for _, q := range extra {
				if !yield(q, nil) {
					return
				}
			}
			yield(last, err)
		}
	}
	tests := []struct {
		name    string
		first   []graph.Quad
		stream  graph.Quads
		cancel  string // bulk stage at which ctx is cancelled
		wantErr error
	}{
		{"StreamError", nil, catalogThen(3000, graph.Quad{}, boom), "", boom},
		{"Invalid", nil, catalogThen(3000, graph.Triple(graph.String("literal subject"), p, p), nil), "", graph.ErrInvalidQuad},
		{"CollisionInLoad", nil, catalogThen(3000, graph.Triple(b, p, p), nil, graph.Triple(a, p, p)), "", ErrCollision},
		{"CollisionWithStore", []graph.Quad{graph.Triple(p, p, a)}, catalogThen(3000, graph.Triple(b, p, p), nil), "", ErrCollision},
		{"CancelledBeforeWrite", nil, catalogThen(3000, graph.Triple(p, p, p), nil), "checked", context.Canceled},
		{"CancelledInWrite", nil, catalogThen(3000, graph.Triple(p, p, p), nil), "index ospg", context.Canceled},
		{"CancelledAfterFlush", nil, catalogThen(3000, graph.Triple(p, p, p), nil), "flushed", context.Canceled},
	}
	// Each case on a store holding data, and, where the case does not need
	// data, on an empty store (the load takes the fresh path, fresh.go).
	for _, tt := range tests {
		for _, empty := range []bool{false, true} {
			name := tt.name
			if empty {
				if len(tt.first) > 0 {
					continue
				}
				name += "/empty"
			}
			t.Run(name, func(t *testing.T) {
				s, err := open(t.TempDir(), Options{Logger: quiet, NoSync: true, BulkMinQuads: 100, BulkMemory: 64 << 10}, hash)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if !empty {
					graphtest.Add(t, s, graphtest.Fixture()...)
				}
				if len(tt.first) > 0 {
					graphtest.Add(t, s, tt.first...)
				}
				before := dump(t, s)
				ctx, cancel := context.WithCancel(ctx)
				defer cancel()
				s.bulkHook = func(stage string) {
					if stage == tt.cancel {
						cancel()
					}
				}
				_, err = graph.Load(ctx, s, tt.stream, graph.LoadOptions{Graph: graph.IRI("http://example.org/g"), Replace: true})
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Load = %v, want %v", err, tt.wantErr)
				}
				if tt.wantErr == ErrCollision && (!strings.Contains(err.Error(), "example.org/a") || !strings.Contains(err.Error(), "example.org/b")) {
					t.Errorf("collision error %q does not name both terms", err)
				}
				if after := dump(t, s); !slices.Equal(after, before) {
					t.Errorf("after the failed load: %d quads, want the %d from before", len(after), len(before))
				}
				if s.runsLeft() {
					t.Errorf("run files left after the failed load")
				}
				if _, err := os.Stat(filepath.Join(s.dir, freshMarker)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("empty-store load marker left after the failed load (%v)", err)
				}
				s.bulkHook = nil
				if n, err := graph.Load(context.Background(), s, graphgen.Catalog(3000, 5), graph.LoadOptions{}); err != nil || n != 3000 {
					t.Errorf("Load after the failure = %d, %v", n, err)
				}
				if got := len(dump(t, s)); got < len(before)+2900 {
					t.Errorf("after the load that followed the failure: %d quads, had %d", got, len(before))
				}
			})
		}
	}
}

// TestBulkReadsDuringLoad reads while a bulk load writes its tables.
func TestBulkReadsDuringLoad(t *testing.T) {
	// On a store holding data, and on an empty one, which the load empties
	// in badger (fresh.go) while the reads go on.
	for _, name := range []string{"data", "empty"} {
		empty := name == "empty"
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := openTest(t, Options{NoSync: true, BulkMinQuads: 100})
			if !empty {
				graphtest.Add(t, s, graphtest.Fixture()...)
			}
			before := dump(t, s)
			var subject graph.Term
			for q := range graphgen.Catalog(100, 6) {
				subject = q.S
			}
			done := make(chan struct{})
			errc := make(chan error, 1)
			var sizes []int
			go func() {
				defer close(errc)
				for {
					select {
					case <-done:
						return
					default:
					}
					snap, err := s.Snapshot(ctx)
					if err != nil {
						errc <- err
						return
					}
					got, err := graph.Collect(snap.Quads(ctx, graph.Pattern{}))
					if err == nil {
						_, err = graph.Collect(snap.Quads(ctx, graph.Pattern{S: subject}))
					}
					snap.Release()
					if err != nil {
						errc <- fmt.Errorf("concurrent read: %w", err)
						return
					}
					sizes = append(sizes, len(got))
				}
			}()
			_, err := graph.Load(ctx, s, graphgen.Catalog(50_000, 6), graph.LoadOptions{})
			close(done)
			if err != nil {
				t.Fatal(err)
			}
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
			after := len(dump(t, s))
			for _, n := range sizes {
				if n != len(before) && n != after {
					t.Errorf("a concurrent read saw %d quads, want %d or %d", n, len(before), after)
				}
			}
			t.Logf("%d concurrent reads", len(sizes))
		})
	}
}

// TestBulkPanickingStream checks that a stream panicking in the middle of a
// bulk load returns an error, leaves the store unchanged and unlocked.
func TestBulkPanickingStream(t *testing.T) {
	s := openTest(t, Options{NoSync: true, BulkMinQuads: 100})
	graphtest.Add(t, s, graphtest.Fixture()...)
	before := dump(t, s)
	stream := func(yield func(graph.Quad, error) bool) {
		for q := range graphgen.Catalog(1000, 7) {
			if !yield(q, nil) {
				return
			}
		}
		panic("stream bug")
	}
	if _, err := graph.Load(context.Background(), s, stream, graph.LoadOptions{}); err == nil || !strings.Contains(err.Error(), "stream bug") {
		t.Errorf("Load with a panicking stream = %v, want the panic as an error", err)
	}
	if after := dump(t, s); !slices.Equal(after, before) {
		t.Errorf("after the panic: %d quads, want %d", len(after), len(before))
	}
	if s.runsLeft() {
		t.Errorf("run files left after the panic")
	}
	graphtest.Add(t, s, graph.Triple(graph.IRI("http://example.org/s"), graph.IRI("http://example.org/p"), graph.String("still writable")))
}

// TestBulkThreshold checks which path loads around Options.BulkMinQuads
// take, and that both store every quad.
func TestBulkThreshold(t *testing.T) {
	for _, tt := range []struct {
		n    int
		bulk bool
	}{{0, false}, {1, false}, {4999, false}, {5000, true}, {12_345, true}} {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			s := openTest(t, Options{NoSync: true, BulkMinQuads: 5000})
			var checked atomic.Bool // the hook runs on the write workers too
			s.bulkHook = func(stage string) {
				if stage == "checked" {
					checked.Store(true)
				}
			}
			var qs []graph.Quad
			for i := range tt.n {
				qs = append(qs, graph.Triple(graph.IRI(fmt.Sprintf("http://example.org/s%d", i)), graph.IRI("http://example.org/p"), graph.String(fmt.Sprintf("value number %d", i))))
			}
			var progress []int64
			n, err := graph.Load(context.Background(), s, graph.FromSlice(qs), graph.LoadOptions{ProgressEvery: 5000, Progress: func(n int64) { progress = append(progress, n) }})
			if err != nil || n != int64(tt.n) {
				t.Fatalf("Load = %d, %v; want %d", n, err, tt.n)
			}
			if bulk := checked.Load(); bulk != tt.bulk {
				t.Errorf("bulk path = %v, want %v", bulk, tt.bulk)
			}
			if got := len(dump(t, s)); got != tt.n {
				t.Errorf("stored %d quads, want %d", got, tt.n)
			}
			if want := tt.n/5000 + 1; len(progress) != want || progress[len(progress)-1] != int64(tt.n) {
				t.Errorf("Progress calls = %v, want %d ending with %d", progress, want, tt.n)
			}
		})
	}
}

// TestBulkStopsReadingAfterFailure checks that a quad the id goroutine
// rejects stops the reading of the stream soon after (a syntax error early
// in a large file must not wait for the rest of it to be parsed), and that
// the store is left as it was.
func TestBulkStopsReadingAfterFailure(t *testing.T) {
	s := openTest(t, Options{NoSync: true, BulkMinQuads: 100})
	graphtest.Add(t, s, graphtest.Fixture()...)
	before := dump(t, s)
	p := graph.IRI("http://example.org/p")
	const more = 1_000_000
	var after atomic.Int64
	stream := func(yield func(graph.Quad, error) bool) {
		for q := range graphgen.Catalog(1000, 8) {
			if !yield(q, nil) {
				return
			}
		}
		if !yield(graph.Triple(graph.String("literal subject"), p, p), nil) {
			return
		}
		for i := range more {
			after.Add(1)
			if !yield(graph.Triple(graph.IRI(fmt.Sprintf("http://example.org/s%d", i)), p, p), nil) {
				return
			}
		}
	}
	_, err := graph.Load(context.Background(), s, stream, graph.LoadOptions{})
	if !errors.Is(err, graph.ErrInvalidQuad) {
		t.Fatalf("Load = %v, want %v", err, graph.ErrInvalidQuad)
	}
	if n, limit := after.Load(), int64((pipeDepth+3)*pipeBatch); n > limit {
		t.Errorf("the stream was read for %d quads after the invalid one, want at most %d", n, limit)
	}
	if got := dump(t, s); !slices.Equal(got, before) {
		t.Errorf("after the failed load: %d quads, want %d", len(got), len(before))
	}
	if s.runsLeft() {
		t.Errorf("run files left after the failure")
	}
}

// gcPercent reads the garbage collector's current percentage.
func gcPercent() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

// TestBulkGCPercent checks that a bulk load lowers the collector's
// percentage while it runs and restores it when it ends, failed or not, and
// that concurrent loads restore it only when the last one ends.
func TestBulkGCPercent(t *testing.T) {
	ctx := context.Background()
	before := gcPercent()
	if before <= 30 {
		t.Skipf("GOGC=%d is already below the percentages this test sets", before)
	}
	for _, tt := range []struct {
		name    string
		percent int
		fail    bool
		want    int
	}{
		{"default", 0, false, defaultBulkGCPercent},
		{"option", 30, false, 30},
		{"failed load", 30, true, 30},
		{"off", -1, false, before},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t, Options{NoSync: true, BulkMinQuads: 1000, BulkGCPercent: tt.percent})
			during := -1
			s.bulkHook = func(stage string) {
				if stage == "read" {
					during = gcPercent()
				}
			}
			stream := func(yield func(graph.Quad, error) bool) {
				for q := range graphgen.Catalog(5000, 1) {
					if !yield(q, nil) {
						return
					}
				}
				if tt.fail {
					yield(graph.Quad{}, errors.New("stream failed"))
				}
			}
			_, err := graph.Load(ctx, s, stream, graph.LoadOptions{})
			if (err != nil) != tt.fail {
				t.Fatalf("Load: %v", err)
			}
			if !tt.fail && during != tt.want {
				t.Errorf("GC percentage during the load = %d, want %d", during, tt.want)
			}
			if got := gcPercent(); got != before {
				t.Errorf("GC percentage after the load = %d, want %d", got, before)
			}
		})
	}
	first, second := lowerGC(40), lowerGC(20)
	first()
	if got := gcPercent(); got != 40 {
		t.Errorf("GC percentage with one of two loads ended = %d, want 40", got)
	}
	first() // a second call does nothing
	second()
	if got := gcPercent(); got != before {
		t.Errorf("GC percentage after both loads = %d, want %d", got, before)
	}
}
