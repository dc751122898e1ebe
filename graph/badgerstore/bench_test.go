package badgerstore

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
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

// BenchmarkLoad loads catalogue triples into an empty store in one
// transaction (graph.Load), durably committed.
func BenchmarkLoad(b *testing.B) {
	n := benchTriples()
	var disk int64
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		s := openTest(b, Options{})
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
		shared.s, shared.err = Open(shared.dir, Options{Logger: quiet, NoSync: true})
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
		_, shared.err = graph.Load(context.Background(), shared.s, stream, graph.LoadOptions{})
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
	for b.Loop() {
		results += drain(b, snap, graph.Pattern{S: subjects[rng.IntN(len(subjects))]})
	}
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
