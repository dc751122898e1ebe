package badgerstore

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphgen"
	"github.com/tessera-fair/tessera/graph/graphtest"
)

// Crash tests re-run this test binary as a child process that writes to a
// store and is killed; TestMain sends the child to its job.
const (
	envCrashDir  = "BADGERSTORE_CRASH_DIR"
	envCrashMode = "BADGERSTORE_CRASH_MODE"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(envCrashDir); dir != "" {
		os.Exit(crashChild(dir, os.Getenv(envCrashMode)))
	}
	code := m.Run()
	cleanupShared()
	os.Exit(code)
}

var crashQuad = graph.Triple(graph.IRI("http://example.org/durable"), graph.IRI("http://example.org/p"), graph.String("committed before the kill"))

// crashChild writes to the store in dir and never returns normally: the
// parent kills it. It reports progress on stdout.
func crashChild(dir, mode string) int {
	s, err := Open(dir, Options{Logger: quiet})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	ctx := context.Background()
	switch mode {
	case "load":
		// An endless transactional load; the parent kills the process in
		// the middle.
		err = s.Update(ctx, func(tx graph.Tx) error {
			n := 0
			for q := range graphgen.Catalog(1<<40, 9) {
				if err := tx.Add(q); err != nil {
					return err
				}
				if n++; n%50_000 == 0 {
					fmt.Println("loaded", n)
				}
			}
			return nil
		})
	case "bulk":
		// A bulk load that stops in its write phase, once the first index's
		// tables are in badger's MANIFEST, for the parent to kill it.
		s.bulkHook = func(stage string) {
			if stage == "index spog" {
				time.Sleep(500 * time.Millisecond) // the table goroutines finish
				fmt.Println("writing")
				time.Sleep(time.Hour)
			}
		}
		_, err = graph.Load(ctx, s, graphgen.Catalog(300_000, 9), graph.LoadOptions{})
	case "bulkparse":
		// A bulk load killed while it spills runs (phase 1).
		s.opts.BulkMemory = 4 << 20
		s.opts.BulkMinQuads = 1000
		_, err = graph.Load(ctx, s, graphgen.Catalog(1<<40, 9), graph.LoadOptions{
			ProgressEvery: 50_000,
			Progress:      func(n int64) { fmt.Println("loaded", n) },
		})
	case "commit":
		err = s.Update(ctx, func(tx graph.Tx) error { return tx.Add(crashQuad) })
		if err == nil {
			fmt.Println("committed")
			time.Sleep(time.Hour)
		}
	default:
		err = fmt.Errorf("unknown mode %q", mode)
	}
	fmt.Println("error", err)
	return 1
}

// runChild starts a crash child and kills it with SIGKILL once it printed a
// line for which ready returns true.
func runChild(t *testing.T, dir, mode string, ready func(line string) bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envCrashDir+"="+dir, envCrashMode+"="+mode)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	killed := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "error") {
			t.Errorf("child: %s", line)
			break
		}
		if ready(line) {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
			break
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child ended without being killed: %v", err)
	}
}

func dump(t *testing.T, s graph.Store) []graph.Quad { return graphtest.Dump(t, s) }

// fixtureDir writes graphtest's fixture to a new store, closes it, and
// returns the store's directory and quads.
func fixtureDir(t *testing.T) (string, []graph.Quad) {
	t.Helper()
	dir := t.TempDir()
	s := reopen(t, dir, Options{})
	graphtest.Add(t, s, graphtest.Fixture()...)
	before := dump(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, before
}

func reopen(t *testing.T, dir string, opts Options) *Store {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quiet
	}
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestCrashDuringLoad kills a process in the middle of a large load; the
// reopened store must be exactly as before the load.
func TestCrashDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and kills large loads: run by make test, skipped by the -short race run of make check")
	}
	dir, before := fixtureDir(t)
	runChild(t, dir, "load", func(line string) bool {
		var n int
		_, err := fmt.Sscanf(line, "loaded %d", &n)
		return err == nil && n >= 250_000 // several sorted runs reached badger
	})
	var logs bytes.Buffer
	s := reopen(t, dir, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if !strings.Contains(logs.String(), "rolling back") {
		t.Errorf("Open after the kill did not roll back; log:\n%s", logs.String())
	}
	if after := dump(t, s); !slices.Equal(after, before) {
		t.Errorf("after the killed load: %d quads, want the %d from before", len(after), len(before))
	}
	st, err := s.Stats(context.Background())
	if err != nil || st.Quads != int64(len(before)) {
		t.Errorf("Stats after the killed load = %+v, %v; want %d quads", st, err, len(before))
	}
	graphtest.Add(t, s, crashQuad) // the store still works
	if got := len(dump(t, s)); got != len(before)+1 {
		t.Errorf("after a later add: %d quads, want %d", got, len(before)+1)
	}
}

// TestCrashDuringBulkWrite kills a process in the write phase of a bulk
// load, after badger committed the first index's tables to its MANIFEST;
// Open must roll them back.
func TestCrashDuringBulkWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and kills large loads: run by make test, skipped by the -short race run of make check")
	}
	dir, before := fixtureDir(t)
	tables := func() int {
		m, _ := filepath.Glob(filepath.Join(dir, "*.sst"))
		return len(m)
	}
	n0 := tables()
	runChild(t, dir, "bulk", func(line string) bool { return line == "writing" })
	if n := tables(); n <= n0 {
		t.Errorf("the killed bulk load left %d tables, had %d before: the kill came before any table was written", n, n0)
	}
	var logs bytes.Buffer
	s := reopen(t, dir, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if !strings.Contains(logs.String(), "rolling back") {
		t.Errorf("Open after the kill did not roll back; log:\n%s", logs.String())
	}
	if after := dump(t, s); !slices.Equal(after, before) {
		t.Errorf("after the killed bulk load: %d quads, want the %d from before", len(after), len(before))
	}
	st, err := s.Stats(context.Background())
	if err != nil || st.Quads != int64(len(before)) {
		t.Errorf("Stats after the killed bulk load = %+v, %v; want %d quads", st, err, len(before))
	}
	if s.runsLeft() {
		t.Errorf("Open left the killed load's run files")
	}
	n, err := graph.Load(context.Background(), s, graphgen.Catalog(200_000, 9), graph.LoadOptions{})
	if err != nil || n != 200_000 {
		t.Fatalf("Load after the kill = %d, %v", n, err)
	}
	if got := len(dump(t, s)); got <= len(before) {
		t.Errorf("after a later load: %d quads", got)
	}
}

// TestCrashDuringBulkParse kills a process while a bulk load spills runs:
// the store was never touched, and Open removes the runs.
func TestCrashDuringBulkParse(t *testing.T) {
	dir, before := fixtureDir(t)
	runChild(t, dir, "bulkparse", func(line string) bool {
		var n int
		_, err := fmt.Sscanf(line, "loaded %d", &n)
		return err == nil && n >= 300_000 // several runs spilled
	})
	if _, err := os.Stat(filepath.Join(dir, bulkDir)); err != nil {
		t.Errorf("the killed load left no run files (%v): the test kills too early", err)
	}
	s := reopen(t, dir, Options{})
	if after := dump(t, s); !slices.Equal(after, before) {
		t.Errorf("after the killed bulk load: %d quads, want the %d from before", len(after), len(before))
	}
	if s.runsLeft() {
		t.Errorf("Open left the killed load's run files")
	}
}

// TestCrashAfterCommit kills a process right after Update returned; the
// update must survive.
func TestCrashAfterCommit(t *testing.T) {
	dir := t.TempDir()
	runChild(t, dir, "commit", func(line string) bool { return line == "committed" })
	s := reopen(t, dir, Options{})
	if got := dump(t, s); !slices.Equal(got, []graph.Quad{crashQuad}) {
		t.Errorf("after the kill: %v, want [%v]", got, crashQuad)
	}
}

// TestFailedLoad fails a load well past the write batch sizes; the store
// must be exactly as before, and work afterwards.
func TestFailedLoad(t *testing.T) {
	dir := t.TempDir()
	s := reopen(t, dir, Options{NoSync: true})
	graphtest.Add(t, s, graphtest.Fixture()...)
	if _, err := graph.Load(context.Background(), s, graphgen.Catalog(20_000, 1), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	before := dump(t, s)
	statsBefore, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("stream broke")
	stream := func(yield func(graph.Quad, error) bool) {
		n := 0
		for q := range graphgen.Catalog(300_000, 2) {
			if !yield(q, nil) {
				return
			}
			n++
		}
		yield(graph.Quad{}, fmt.Errorf("after %d quads: %w", n, boom))
	}
	n, err := graph.Load(context.Background(), s, stream, graph.LoadOptions{Graph: graph.IRI("http://example.org/g"), Replace: true})
	if !errors.Is(err, boom) || n != 300_000 {
		t.Fatalf("Load = %d, %v; want 300000, %v", n, err, boom)
	}
	if after := dump(t, s); !slices.Equal(after, before) {
		t.Errorf("after the failed load: %d quads, want the %d from before", len(after), len(before))
	}
	statsAfter, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	statsAfter.DiskBytes, statsBefore.DiskBytes = 0, 0
	if fmt.Sprint(statsAfter) != fmt.Sprint(statsBefore) {
		t.Errorf("Stats after the failed load = %+v, want %+v", statsAfter, statsBefore)
	}
	// Later writes work, also with terms the failed load had written.
	q := graph.Quad{S: graph.IRI(graphgen.Base + "p000-breast/catalog"), P: graph.IRI("http://example.org/p"), O: graph.String("after"), G: graph.IRI("http://example.org/g")}
	graphtest.Add(t, s, q)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, dir, Options{})
	if got, want := dump(t, s), sortedQuads(append(before, q)); !slices.Equal(got, want) {
		t.Errorf("after reopen: %d quads, want %d", len(got), len(want))
	}
}

func sortedQuads(qs []graph.Quad) []graph.Quad {
	qs = slices.Clone(qs)
	slices.SortFunc(qs, graph.CompareQuads)
	return qs
}

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	s := reopen(t, dir, Options{})
	data := graphtest.Fixture()
	graphtest.Add(t, s, data...)
	ctx := context.Background()
	if err := s.Update(ctx, func(tx graph.Tx) error { return tx.CreateGraph(ctx, graph.IRI("http://example.org/empty")) }); err != nil {
		t.Fatal(err)
	}
	want := dump(t, s)
	wantStats, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{}, {ReadOnly: true}} {
		s = reopen(t, dir, opts)
		if got := dump(t, s); !slices.Equal(got, want) {
			t.Errorf("after reopen (%+v): %v\nwant %v", opts, got, want)
		}
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		st.DiskBytes, wantStats.DiskBytes = 0, 0
		if fmt.Sprint(st) != fmt.Sprint(wantStats) {
			t.Errorf("Stats after reopen = %+v, want %+v", st, wantStats)
		}
		snap, _ := s.Snapshot(ctx)
		if ok, err := snap.HasGraph(ctx, graph.IRI("http://example.org/empty")); !ok || err != nil {
			t.Errorf("HasGraph(empty) after reopen = %v, %v", ok, err)
		}
		snap.Release()
		if opts.ReadOnly {
			if err := s.Update(ctx, func(graph.Tx) error { return nil }); !errors.Is(err, graph.ErrReadOnly) {
				t.Errorf("Update on a read-only store = %v, want ErrReadOnly", err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSnapshotVersions(t *testing.T) {
	s := openTest(t, Options{NoSync: true})
	ctx := context.Background()
	ex := func(s string) graph.Term { return graph.IRI("http://example.org/" + s) }
	var snaps []graph.Snapshot
	for i := range 5 {
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, snap)
		graphtest.Add(t, s, graph.Triple(ex(fmt.Sprint("s", i)), ex("p"), graph.Literal(fmt.Sprint(i), graph.XSDInteger)))
	}
	for i, snap := range snaps {
		if n, err := snap.Count(ctx, graph.Pattern{}); n != int64(i) || err != nil {
			t.Errorf("snapshot %d: Count = %d, %v; want %d", i, n, err, i)
		}
		snap.Release()
		if _, err := snap.Count(ctx, graph.Pattern{}); !errors.Is(err, graph.ErrClosed) {
			t.Errorf("Count after Release = %v, want ErrClosed", err)
		}
	}
}

// TestCollision forces two IRIs to share an id and checks that the second
// write fails, that lookups never confuse them, and that the store is intact.
func TestCollision(t *testing.T) {
	a, b := graph.IRI("http://example.org/a"), graph.IRI("http://example.org/b")
	hashA := xxhash.Sum64(appendEncoding(nil, a))
	hash := func(enc []byte) uint64 {
		if string(enc) == string(appendEncoding(nil, b)) {
			return hashA
		}
		return xxhash.Sum64(enc)
	}
	p := graph.IRI("http://example.org/p")
	tests := []struct {
		name  string
		first []graph.Quad // committed before
		then  []graph.Quad // must fail
	}{
		{"SameTransaction", nil, []graph.Quad{graph.Triple(a, p, graph.String("1")), graph.Triple(b, p, graph.String("2"))}},
		{"LaterTransaction", []graph.Quad{graph.Triple(a, p, graph.String("1"))}, []graph.Quad{graph.Triple(b, p, graph.String("2"))}},
		{"Object", []graph.Quad{graph.Triple(p, p, a)}, []graph.Quad{graph.Triple(p, p, b)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := open(t.TempDir(), Options{Logger: quiet, NoSync: true}, hash)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if len(tt.first) > 0 {
				graphtest.Add(t, s, tt.first...)
			}
			before := dump(t, s)
			err = s.Update(context.Background(), func(tx graph.Tx) error {
				for _, q := range tt.then {
					if err := tx.Add(q); err != nil {
						return err
					}
				}
				return nil
			})
			if !errors.Is(err, ErrCollision) {
				t.Fatalf("colliding add: err = %v, want ErrCollision", err)
			}
			if !strings.Contains(err.Error(), "example.org/a") || !strings.Contains(err.Error(), "example.org/b") {
				t.Errorf("collision error %q does not name both terms", err)
			}
			if after := dump(t, s); !slices.Equal(after, before) {
				t.Errorf("after the failed add: %v, want %v", after, before)
			}
			snap, _ := s.Snapshot(context.Background())
			defer snap.Release()
			for _, pat := range []graph.Pattern{{S: b}, {O: b}} {
				if n, err := snap.Count(context.Background(), pat); n != 0 || err != nil {
					t.Errorf("Count(%v) = %d, %v; want 0: b must not find a's quads", pat, n, err)
				}
			}
			// Deleting with b must not delete a's quads.
			if err := s.Update(context.Background(), func(tx graph.Tx) error {
				for _, q := range tt.then {
					if err := tx.Delete(q); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if after := dump(t, s); !slices.Equal(after, before) {
				t.Errorf("after deleting with b: %v, want %v", after, before)
			}
		})
	}
}

func TestStatsKnown(t *testing.T) {
	s := openTest(t, Options{NoSync: true})
	ex := func(s string) graph.Term { return graph.IRI("http://example.org/" + s) }
	g := ex("g")
	graphtest.Add(t, s,
		graph.Triple(ex("a"), ex("knows"), ex("b")),
		graph.Triple(ex("a"), ex("knows"), ex("c")),
		graph.Triple(ex("b"), ex("knows"), ex("c")),
		graph.Triple(ex("a"), ex("age"), graph.Literal("30", graph.XSDInteger)), // inline
		graph.Triple(ex("b"), ex("age"), graph.Literal("30", graph.XSDInteger)),
		graph.Quad{S: ex("a"), P: ex("knows"), O: ex("b"), G: g}, // same triple, other graph
	)
	ctx := context.Background()
	if err := s.Update(ctx, func(tx graph.Tx) error { return tx.CreateGraph(ctx, ex("empty")) }); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := &graph.Stats{
		Quads:  6,
		Graphs: map[graph.Term]int64{graph.DefaultGraph: 5, g: 1, ex("empty"): 0},
		// a b c knows age g empty; "30" is inlined
		Terms: 7,
		Predicates: map[graph.Term]graph.PredicateStats{
			ex("knows"): {Quads: 4, Subjects: 2, Objects: 2},
			ex("age"):   {Quads: 2, Subjects: 2, Objects: 1},
		},
	}
	if st.DiskBytes <= 0 {
		t.Errorf("Stats.DiskBytes = %d, want > 0", st.DiskBytes)
	}
	st.DiskBytes = 0
	if fmt.Sprint(st) != fmt.Sprint(want) {
		t.Errorf("Stats = %+v\nwant %+v", st, want)
	}
	// Cached: the same figures, and a copy the caller may change.
	st.Graphs[g] = 99
	st2, _ := s.Stats(ctx)
	if st2.Graphs[g] != 1 {
		t.Errorf("Stats returned a shared map")
	}
	snap, _ := s.Snapshot(ctx)
	defer snap.Release()
	for _, tt := range []struct {
		p    graph.Pattern
		want int64
	}{{graph.Pattern{}, 6}, {graph.Pattern{G: g}, 1}, {graph.Pattern{G: ex("empty")}, 0}, {graph.Pattern{G: graph.DefaultGraph}, 5}, {graph.Pattern{G: ex("none")}, 0}} {
		if n, err := snap.Count(ctx, tt.p); n != tt.want || err != nil {
			t.Errorf("Count(%v) = %d, %v; want %d", tt.p, n, err, tt.want)
		}
	}
}

// TestAlternatingWrites adds and deletes the same quads in one transaction,
// which puts the same keys in several batches.
func TestAlternatingWrites(t *testing.T) {
	s := openTest(t, Options{NoSync: true})
	ex := func(s string) graph.Term { return graph.IRI("http://example.org/" + s) }
	q := graph.Triple(ex("s"), ex("p"), ex("o"))
	r := graph.Triple(ex("s"), ex("p"), ex("r"))
	for _, steps := range []struct {
		ops  string // a = add q, d = delete q
		want bool
	}{{"a", true}, {"ad", false}, {"ada", true}, {"adad", false}, {"da", true}, {"aaddaa", true}} {
		graphtest.Add(t, s, r)
		err := s.Update(context.Background(), func(tx graph.Tx) error {
			if err := tx.Delete(q); err != nil {
				return err
			}
			for _, op := range steps.ops {
				var err error
				if op == 'a' {
					err = tx.Add(q)
				} else {
					err = tx.Delete(q)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		snap, _ := s.Snapshot(context.Background())
		n, err := snap.Count(context.Background(), graph.Pattern{O: ex("o")})
		snap.Release()
		if got := n == 1; got != steps.want || err != nil {
			t.Errorf("after %q: q present = %v (%v), want %v", steps.ops, got, err, steps.want)
		}
	}
}

// TestExists: only a directory Open has made a store in counts as a store,
// and asking creates nothing.
func TestExists(t *testing.T) {
	root := t.TempDir()
	store := filepath.Join(root, "store")
	s, err := Open(store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(root, "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "readme.txt"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		dir  string
		want bool
	}{
		{"store", store, true},
		{"missing directory", filepath.Join(root, "none"), false},
		{"empty directory", filepath.Join(root, "empty"), false},
		{"directory of other files", other, false},
		{"a file", filepath.Join(other, "readme.txt"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Exists(tt.dir)
			if err != nil || got != tt.want {
				t.Errorf("Exists(%s) = %v, %v; want %v, nil", tt.dir, got, err, tt.want)
			}
		})
	}
	if entries, err := os.ReadDir(other); err != nil || len(entries) != 1 {
		t.Errorf("Exists changed %s: %v %v", other, entries, err)
	}
	if _, err := os.Stat(filepath.Join(root, "none")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Exists created the missing directory: %v", err)
	}
}
