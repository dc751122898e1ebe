//go:build linux

package badgerstore

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphgen"
)

func TestParseMapsLine(t *testing.T) {
	tests := []struct {
		line       string
		start, end uintptr
		path       string
		ok         bool
	}{
		{"7f1c2a000000-7f1c2a400000 rw-s 00000000 fd:01 1234 /data/store/000012.sst", 0x7f1c2a000000, 0x7f1c2a400000, "/data/store/000012.sst", true},
		{"7f1c2a000000-7f1c2a400000 r--s 00000000 fd:01 1234 /my data/000012.sst", 0x7f1c2a000000, 0x7f1c2a400000, "/my data/000012.sst", true},
		{"7f1c2a000000-7f1c2a400000 rw-p 00000000 00:00 0 ", 0, 0, "", false},
		{"7ffd1000-7ffd2000 rw-p 00000000 00:00 0 [stack]", 0, 0, "", false},
		{"zz-7f1c2a400000 rw-s 00000000 fd:01 1234 /x.sst", 0, 0, "", false},
		{"7f1c2a400000-7f1c2a000000 rw-s 00000000 fd:01 1234 /x.sst", 0, 0, "", false},
		{"", 0, 0, "", false},
	}
	for _, tt := range tests {
		start, end, path, ok := parseMapsLine([]byte(tt.line))
		if start != tt.start || end != tt.end || path != tt.path || ok != tt.ok {
			t.Errorf("parseMapsLine(%q) = %x, %x, %q, %v; want %x, %x, %q, %v", tt.line, start, end, path, ok, tt.start, tt.end, tt.path, tt.ok)
		}
	}
}

func TestTableFileID(t *testing.T) {
	tests := []struct {
		name string
		id   uint64
		ok   bool
	}{{"000012.sst", 12, true}, {"1234567.sst", 1234567, true}, {"000012.vlog", 0, false}, {"x.sst", 0, false}, {"MANIFEST", 0, false}}
	for _, tt := range tests {
		if id, ok := tableFileID(tt.name); id != tt.id || ok != tt.ok {
			t.Errorf("tableFileID(%q) = %d, %v; want %d, %v", tt.name, id, ok, tt.id, tt.ok)
		}
	}
}

// sstResident returns, per table file of dir mapped by this process, the
// resident bytes of its mapping (/proc/self/smaps).
func sstResident(t *testing.T, dir string) map[uint64]int64 {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	res := map[uint64]int64{}
	var cur uint64
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if head, _, _ := strings.Cut(line, " "); strings.Contains(head, "-") && !strings.HasSuffix(head, ":") {
			// A mapping's first line; anonymous ones have no path.
			cur, in = 0, false
			_, _, path, ok := parseMapsLine([]byte(line))
			if id, isTable := tableFileID(filepath.Base(path)); ok && isTable && filepath.Dir(path) == dir {
				cur, in = id, true
			}
			continue
		}
		if rest, found := strings.CutPrefix(line, "Rss:"); found && in {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			res[cur] += kb << 10
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return res
}

// TestTrimTables trims the tables of a bulk load while its StreamWriter
// runs (as the write phase's ticker does) and checks that their pages are
// no longer resident and that the data reads back whole.
func TestTrimTables(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 200,000 quads (a few seconds)")
	}
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, Options{Logger: quiet, NoSync: true, BulkMinQuads: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The write phase's own trimming would leave this test nothing to do.
	defer func(d time.Duration) { trimEvery = d }(trimEvery)
	trimEvery = time.Hour
	var (
		mu            sync.Mutex
		before, after map[uint64]int64
		trimmed       = map[uint64]bool{}
		trimErr       error
	)
	// The last index of a worker: by then the first indexes have
	// tables in the level, and the StreamWriter still runs.
	s.bulkHook = func(stage string) {
		if stage != "index ospg" && stage != "index gosp" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if before != nil {
			return
		}
		before = sstResident(t, dir)
		trimErr = s.trimTables(dir, 0, trimmed)
		after = sstResident(t, dir)
	}
	const n = 200_000
	if got, err := graph.Load(context.Background(), s, graphgen.Catalog(n, 3), graph.LoadOptions{}); err != nil || got != n {
		t.Fatalf("Load = %d, %v", got, err)
	}
	if trimErr != nil {
		t.Fatalf("trimTables: %v", trimErr)
	}
	if len(trimmed) == 0 {
		t.Fatalf("no table trimmed (mapped tables: %v)", before)
	}
	var was int64
	for id := range trimmed {
		was += before[id]
		if after[id] != 0 {
			t.Errorf("table %d: %d bytes resident after the trim, want 0", id, after[id])
		}
	}
	if was == 0 {
		t.Errorf("the trimmed tables had no resident pages before the trim: the test measures nothing")
	}
	t.Logf("trimmed %d tables, %.1f MB resident before", len(trimmed), float64(was)/(1<<20))
	distinct := map[graph.Quad]bool{}
	for q := range graphgen.Catalog(n, 3) {
		distinct[q.Normalize()] = true
	}
	if got := len(dump(t, s)); got != len(distinct) {
		t.Errorf("read back %d quads after the trim, want %d", got, len(distinct))
	}
}
