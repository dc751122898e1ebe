package badgerstore

import (
	"context"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphgen"
)

// benchTriples is the size of the benchmark store (BADGERSTORE_BENCH_TRIPLES
// overrides the default of one million).
func benchTriples() int {
	if n, err := strconv.Atoi(os.Getenv("BADGERSTORE_BENCH_TRIPLES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// cpuTime is the process's user+system CPU time: on a shared machine it
// measures our cost better than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLoad loads catalogue triples into an empty store with
// graph.Load, which takes the bulk path (BulkLoad), durably committed.
// BADGERSTORE_BENCH_NOCOMPRESS=1 measures uncompressed tables.
func BenchmarkLoad(b *testing.B) {
	benchLoad(b, Options{NoCompression: os.Getenv("BADGERSTORE_BENCH_NOCOMPRESS") != ""})
}

// BenchmarkLoadTransactional loads the same triples as one ordinary
// transaction (the path of loads under Options.BulkMinQuads), for
// comparison.
func BenchmarkLoadTransactional(b *testing.B) { benchLoad(b, Options{BulkMinQuads: 1 << 40}) }

func benchLoad(b *testing.B, opts Options) {
	n := benchTriples()
	var disk int64
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		s := openTest(b, opts)
		c0 := cpuTime()
		b.StartTimer()
		got, err := graph.Load(context.Background(), s, graphgen.Catalog(n, 1), graph.LoadOptions{})
		b.StopTimer()
		cpu += cpuTime() - c0
		if err != nil || got != int64(n) {
			b.Fatalf("Load = %d, %v", got, err)
		}
		st, err := s.Stats(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		disk = st.DiskBytes
		_ = s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "triples/s")
	b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "triples/cpu-s")
	b.ReportMetric(float64(disk)/float64(n), "disk-B/triple")
}

// shared is one loaded store for the read benchmarks.
var shared struct {
	once     sync.Once
	dir      string
	s        *Store
	subjects []graph.Term
	err      error
}

func sharedStore(b *testing.B) (*Store, []graph.Term) {
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "badgerstore-bench")
		if shared.err != nil {
			return
		}
		// BADGERSTORE_BENCH_NOCOMPRESS=1 measures uncompressed tables.
		nocompress := os.Getenv("BADGERSTORE_BENCH_NOCOMPRESS") != ""
		shared.s, shared.err = Open(shared.dir, Options{Logger: quiet, NoSync: true, NoCompression: nocompress})
		if shared.err != nil {
			return
		}
		n := benchTriples()
		seen := map[graph.Term]bool{}
		stream := func(yield func(graph.Quad, error) bool) {
			for q, err := range graphgen.Catalog(n, 1) {
				if err == nil && q.S.IsIRI() && !seen[q.S] && len(seen) < 10_000 {
					seen[q.S] = true
					shared.subjects = append(shared.subjects, q.S)
				}
				if !yield(q, err) {
					return
				}
			}
		}
		if _, shared.err = graph.Load(context.Background(), shared.s, stream, graph.LoadOptions{}); shared.err != nil {
			return
		}
		// Without it badger's compaction of the load's level runs beside
		// the read benchmarks (it doubled BenchmarkLookupSubject's time).
		shared.err = shared.s.Compact(context.Background())
	})
	if shared.err != nil {
		b.Fatal(shared.err)
	}
	return shared.s, shared.subjects
}

func cleanupShared() {
	if shared.s != nil {
		_ = shared.s.Close()
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
	}
}

// drain iterates a pattern's results and returns how many there were.
func drain(b *testing.B, r graph.Reader, p graph.Pattern) int {
	n := 0
	for _, err := range r.Quads(context.Background(), p) {
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	return n
}

// BenchmarkLookupSubject is one bound-subject lookup (a random catalogue
// subject), iterating all its quads.
func BenchmarkLookupSubject(b *testing.B) {
	s, subjects := sharedStore(b)
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer snap.Release()
	rng := rand.New(rand.NewPCG(1, 2))
	results := 0
	c0 := cpuTime()
	for b.Loop() {
		results += drain(b, snap, graph.Pattern{S: subjects[rng.IntN(len(subjects))]})
	}
	// CPU time per lookup: on a shared machine wall time mostly measures
	// the other jobs (background compactions count here too).
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(results)/float64(b.N), "quads/op")
}

// BenchmarkLookupPredicateObject scans P+O bound patterns: a selective one
// (one diagnosis code among twelve, on patients) and a broad one (rdf:type
// dcat:Dataset).
func BenchmarkLookupPredicateObject(b *testing.B) {
	s, _ := sharedStore(b)
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer snap.Release()
	for _, tt := range []struct {
		name string
		p    graph.Pattern
	}{
		{"diagnosis", graph.Pattern{P: graph.IRI("https://cancerimage.eu/ontology/EUCAIM#hasDiagnosis"), O: graph.IRI("http://purl.obolibrary.org/obo/NCIT_C4872")}},
		{"typeDataset", graph.Pattern{P: graph.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), O: graph.IRI("http://www.w3.org/ns/dcat#Dataset")}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			results := 0
			for b.Loop() {
				results += drain(b, snap, tt.p)
			}
			b.ReportMetric(float64(results)/float64(b.N), "quads/op")
			b.ReportMetric(float64(results)/b.Elapsed().Seconds(), "quads/s")
		})
	}
}

// BenchmarkCount counts a predicate's quads (key-only scan) and the whole
// store (from cached statistics).
func BenchmarkCount(b *testing.B) {
	s, _ := sharedStore(b)
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer snap.Release()
	if _, err := s.Stats(context.Background()); err != nil {
		b.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		p    graph.Pattern
	}{
		{"predicate", graph.Pattern{P: graph.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")}},
		{"all", graph.Pattern{}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			var n int64
			for b.Loop() {
				if n, err = snap.Count(context.Background(), tt.p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "quads")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "keys/s")
		})
	}
}

// BenchmarkStats recomputes statistics (the first call after a commit).
func BenchmarkStats(b *testing.B) {
	s, _ := sharedStore(b)
	for b.Loop() {
		s.statsMu.Lock()
		s.stats = nil
		s.statsMu.Unlock()
		if _, err := s.Stats(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLoadMemory loads BADGERSTORE_RSS_TRIPLES catalogue triples through
// graph.Load (the bulk path) into a fresh durable store and logs the peak
// resident set size; it is skipped unless the variable is set. Run it in
// its own process to measure one size: go test -c, then
// BADGERSTORE_RSS_TRIPLES=10000000 /usr/bin/time -v ./badgerstore.test
// -test.run=TestLoadMemory -test.v.
func TestLoadMemory(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("BADGERSTORE_RSS_TRIPLES"))
	if err != nil || n <= 0 {
		t.Skip("BADGERSTORE_RSS_TRIPLES not set")
	}
	s := openTest(t, Options{NoCompression: os.Getenv("BADGERSTORE_BENCH_NOCOMPRESS") != ""})
	t0, c0 := time.Now(), cpuTime()
	if os.Getenv("BADGERSTORE_RSS_STAGES") != "" {
		s.bulkHook = func(stage string) {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if f := os.Getenv("BADGERSTORE_RSS_HEAP"); f != "" && stage == "index spog" {
				if w, err := os.Create(f); err == nil {
					_ = pprof.WriteHeapProfile(w)
					_ = w.Close()
				}
			}
			var ru syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			t.Logf("%6.2fs %6.2f CPU-s %7d faults %-18s peak RSS %6.1f MB, Go heap in use %6.1f MB, sys %6.1f MB", time.Since(t0).Seconds(), (cpuTime() - c0).Seconds(), ru.Minflt, stage, float64(peakRSS())/1e6, float64(ms.HeapInuse)/1e6, float64(ms.Sys)/1e6)
		}
	}
	// VmHWM counts the table files badger writes and maps (file pages the
	// kernel can drop) with the process's own memory; sample RssAnon for
	// the latter.
	var maxAnon atomic.Int64
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			maxAnon.Store(max(maxAnon.Load(), procStatus("RssAnon:")))
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	start, c0 := time.Now(), cpuTime()
	got, err := graph.Load(context.Background(), s, graphgen.Catalog(n, 1), graph.LoadOptions{})
	if err != nil || got != int64(n) {
		t.Fatalf("Load = %d, %v", got, err)
	}
	d, cpu := time.Since(start), cpuTime()-c0
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d triples in %s (%.0f triples/s, %.0f triples/cpu-s), %d quads, %.1f MB on disk, peak RSS %.1f MB, peak RssAnon %.1f MB",
		n, d.Round(time.Millisecond), float64(n)/d.Seconds(), float64(n)/cpu.Seconds(), st.Quads, float64(st.DiskBytes)/1e6,
		float64(peakRSS())/1e6, float64(max(maxAnon.Load(), procStatus("RssAnon:")))/1e6)
}

// procStatus reads a kB figure of /proc/self/status in bytes (Linux; 0
// elsewhere).
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// peakRSS is the process's peak resident set size (VmHWM, Linux), 0 where
// unknown.
func peakRSS() int64 { return procStatus("VmHWM:") }
