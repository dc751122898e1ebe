// Command benchload prints the load-path figures `make bench` reports, on a
// generated catalogue-shaped N-Triples file: parse-only rate, load rate into
// the badger store, peak RSS, store size on disk, and bound-subject lookup
// latency. Go benchmarks (go test -bench) cover the finer-grained paths.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/graph/graphgen"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

func main() {
	triples := flag.Int("triples", 1_000_000, "size of the generated catalogue")
	dir := flag.String("dir", "", "working directory (default: a temporary one, removed afterwards)")
	lookups := flag.Int("lookups", 10_000, "number of bound-subject lookups to time")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the load (step 3) to this file")
	flag.BoolVar(&storeOptions.NoCompression, "no-compression", false, "store uncompressed tables (badgerstore.Options.NoCompression)")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *triples, *dir, *lookups, *cpuProfile); err != nil {
		fmt.Fprintln(os.Stderr, "benchload:", err)
		os.Exit(1)
	}
}

// storeOptions are the options of every store the benchmark opens.
var storeOptions badgerstore.Options

func run(ctx context.Context, out io.Writer, n int, dir string, lookups int, cpuProfile string) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "tessera-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	file := filepath.Join(dir, "catalog.nt")
	fmt.Fprintf(out, "benchload: %d generated catalogue triples, GOMAXPROCS=%d\n", n, runtime.GOMAXPROCS(0))

	// 1. Generate the input file.
	start := time.Now()
	size, subjects, err := generate(file, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%-28s %d triples, %.1f MB in %s\n", "generate N-Triples", n, mb(size), since(start))

	// 2. Parse only.
	start = time.Now()
	parsed, err := parse(file)
	if err != nil {
		return err
	}
	d := time.Since(start)
	fmt.Fprintf(out, "%-28s %10.0f triples/s  %6.1f MB/s  (%d triples in %s)\n", "parse N-Triples", float64(parsed)/d.Seconds(), mb(size)/d.Seconds(), parsed, d.Round(time.Millisecond))

	// 3. Load into a fresh badger store: its default graph (the lookups
	// below read this store), then, in another store, a named graph, as
	// data providers' descriptors are loaded (a named graph's quads have
	// twice the index keys, see graph/badgerstore's package doc).
	storeDir := filepath.Join(dir, "store")
	if err := timeLoad(ctx, out, file, storeDir, graph.Term{}, cpuProfile); err != nil {
		return err
	}
	namedDir := filepath.Join(dir, "store-named")
	if err := timeLoad(ctx, out, file, namedDir, graph.IRI("https://example.org/provider"), ""); err != nil {
		return err
	}
	if err := os.RemoveAll(namedDir); err != nil {
		return err
	}

	// 4. Bound-subject lookups on the reopened store.
	resetPeakRSS()
	store, err := badgerstore.Open(storeDir, storeOptions)
	if err != nil {
		return err
	}
	defer store.Close()
	snap, err := store.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Release()
	// The same random lookups twice: first on the freshly opened store
	// (every block read from the file and decompressed, its pages
	// faulted in), then again, as a server that has been answering for a
	// while meets them (blocks in badger's cache).
	for _, pass := range []string{"cold", "warm"} {
		rng := rand.New(rand.NewPCG(1, 2))
		lat := make([]time.Duration, 0, lookups)
		results := 0
		for i := 0; i < lookups && len(subjects) > 0; i++ {
			s := subjects[rng.IntN(len(subjects))]
			t0 := time.Now()
			for _, err := range snap.Quads(ctx, graph.Pattern{S: s}) {
				if err != nil {
					return err
				}
				results++
			}
			lat = append(lat, time.Since(t0))
		}
		slices.Sort(lat)
		if len(lat) > 0 {
			fmt.Fprintf(out, "%-28s p50 %s  p99 %s  max %s  (%d lookups, %.1f quads each)\n", "bound-subject lookup, "+pass,
				lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1], len(lat), float64(results)/float64(len(lat)))
		}
	}
	fmt.Fprintf(out, "%-28s %.1f MB  (from the reopen on; the Go heap the loads grew included)\n", "peak RSS (VmHWM)", mb(peakRSS()))
	return nil
}

// timeLoad loads file into graph g (zero: the default graph) of a new store
// in dir and prints the load's figures.
func timeLoad(ctx context.Context, out io.Writer, file, dir string, g graph.Term, cpuProfile string) error {
	// Each load starts as in a new process: the heap the previous step
	// grew is returned to the system, so its pages fault in again.
	debug.FreeOSMemory()
	resetPeakRSS()
	store, err := badgerstore.Open(dir, storeOptions)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	if cpuProfile != "" {
		pf, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
	}
	into := "the default graph"
	if !g.IsZero() {
		into = "a named graph"
	}
	fmt.Fprintf(out, "load into %s of a new badger store:\n", into)
	mem := sampleMemory(20 * time.Millisecond)
	load0 := loadAverage()
	start, ru0 := time.Now(), rusage()
	loaded, err := graph.Load(ctx, store, syntax.Quads(ntriples.NewDecoder(bufio.NewReaderSize(f, 1<<20), syntax.Options{File: file})), graph.LoadOptions{Graph: g})
	f.Close()
	d, ru1 := time.Since(start), rusage()
	pprof.StopCPUProfile()
	peak := mem.stop()
	if err != nil {
		return err
	}
	user := time.Duration(ru1.Utime.Nano() - ru0.Utime.Nano())
	sys := time.Duration(ru1.Stime.Nano() - ru0.Stime.Nano())
	fmt.Fprintf(out, "  %-26s %10.0f triples/s  (%d triples in %s, durable commit included)\n", "load rate", float64(loaded)/d.Seconds(), loaded, d.Round(time.Millisecond))
	fmt.Fprintf(out, "  %-26s %10.0f triples/CPU-s  (%.2f CPU-s: user %.2f, system %.2f, %d minor page faults; load average %s before, %s after)\n", "load CPU cost",
		float64(loaded)/(user+sys).Seconds(), (user + sys).Seconds(), user.Seconds(), sys.Seconds(), ru1.Minflt-ru0.Minflt, load0, loadAverage())
	fmt.Fprintf(out, "  %-26s %.1f MB  (sampled during the load: RssAnon %.1f MB, RssFile %.1f MB)\n", "peak RSS (VmHWM)", mb(peakRSS()), mb(peak.anon), mb(peak.file))
	// The compaction badger would otherwise run in the background after
	// the load (and, once the store is reopened, beside the lookups).
	mem = sampleMemory(20 * time.Millisecond)
	start, ru0 = time.Now(), rusage()
	if err := store.Compact(ctx); err != nil {
		return err
	}
	d, ru1 = time.Since(start), rusage()
	peak = mem.stop()
	fmt.Fprintf(out, "  %-26s %s  (%.2f CPU-s, RssAnon up to %.1f MB, RssFile up to %.1f MB; badger's, run in the background unless asked for, as here)\n", "compaction after the load",
		d.Round(time.Millisecond), time.Duration(ru1.Utime.Nano()-ru0.Utime.Nano()+ru1.Stime.Nano()-ru0.Stime.Nano()).Seconds(), mb(peak.anon), mb(peak.file))
	if err := store.Close(); err != nil {
		return err
	}
	fmt.Fprintf(out, "  %-26s %.1f MB (%.1f bytes/triple)\n", "store size on disk", mb(dirSize(dir)), float64(dirSize(dir))/float64(loaded))
	return nil
}

// generate writes n catalogue triples as N-Triples and returns the file size
// and a sample of subjects for lookups.
func generate(path string, n int) (int64, []graph.Term, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	enc := ntriples.NewEncoder(bw)
	var sample []graph.Term
	last := graph.Term{}
	i := 0
	for q, err := range graphgen.Catalog(n, 1) {
		if err != nil {
			return 0, nil, err
		}
		if err := enc.Encode(q); err != nil {
			return 0, nil, err
		}
		if q.S != last && q.S.IsIRI() {
			if i++; i%7 == 0 && len(sample) < 100_000 {
				sample = append(sample, q.S)
			}
			last = q.S
		}
	}
	if err := enc.Close(); err != nil {
		return 0, nil, err
	}
	if err := bw.Flush(); err != nil {
		return 0, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		return 0, nil, err
	}
	return info.Size(), sample, nil
}

func parse(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	dec := ntriples.NewDecoder(bufio.NewReaderSize(f, 1<<20), syntax.Options{File: path})
	var n int64
	for {
		_, err := dec.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// rusage is the process's resource usage: user and system CPU time measure
// a load's cost on a shared machine better than wall time.
func rusage() syscall.Rusage {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru
}

// loadAverage is the one-minute load average (Linux), for reading the wall
// times of a shared machine.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b) + " ?")[0]
}

// peakRSS reads the process's peak resident set size from /proc (Linux).
func peakRSS() int64 { return procStatus("VmHWM:") }

// resetPeakRSS restarts VmHWM from the current resident set (Linux 4.0 and
// later; elsewhere, or refused, VmHWM keeps the process's peak).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// procStatus reads one kB field of /proc/self/status in bytes (0 where
// there is no /proc).
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// memPeak is the largest RssAnon (the process's own memory: heap, stacks,
// anonymous maps) and RssFile (resident pages of mapped files, such as
// badger's tables) seen by a sampler. VmHWM is the peak of their sum (plus
// RssShmem) at one instant, so it may exceed neither alone.
type memPeak struct{ anon, file int64 }

// memSampler polls /proc/self/status until stopped: the kernel keeps only
// the peak of the total (VmHWM), not of its parts.
type memSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak memPeak
}

func sampleMemory(every time.Duration) *memSampler {
	m := &memSampler{done: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			m.peak.anon = max(m.peak.anon, procStatus("RssAnon:"))
			m.peak.file = max(m.peak.file, procStatus("RssFile:"))
			select {
			case <-m.done:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

// stop ends the sampling and returns the peaks.
func (m *memSampler) stop() memPeak {
	close(m.done)
	m.wg.Wait()
	return m.peak
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }
