package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tessera-fair/tessera/cmd/benchquery/internal/report"
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/graph/graphgen"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/parser"
	"github.com/tessera-fair/tessera/web"
)

// queryFiles holds the benchmark queries, one SPARQL query per file.
//
//go:embed queries/*.rq
var queryFiles embed.FS

// lookupBudget is the latency goal of lookup-style queries (issue 3).
const lookupBudget = 3 * time.Millisecond

// dataVersion names the recipe of the benchmark data (what dataset
// concatenates). Bump it when that changes, so cached stores are rebuilt.
const dataVersion = "v1"

// benchQuery is one named benchmark query.
type benchQuery struct {
	Name string
	// About is the file's leading comment: what real traffic it stands for.
	About string
	// Lookup marks a lookup-style query ("# kind: lookup"), whose goal is
	// a median under lookupBudget.
	Lookup bool
	Text   string
}

// config is what the flags set.
type config struct {
	triples int
	seed    int64
	runs    int
	warmup  int
	dir     string
	budget  time.Duration
	only    string
	explain string
	dump    string
	verbose bool
	profile string
	// memProfile is the file the allocation profile goes to.
	memProfile string
}

// run parses args and runs the benchmark, writing the table to stdout and
// progress to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("benchquery", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var c config
	fl.IntVar(&c.triples, "triples", 1_000_000, "size of the generated catalogue (graphgen.Catalog)")
	fl.Int64Var(&c.seed, "seed", 1, "seed of the generated catalogue")
	fl.IntVar(&c.runs, "runs", 20, "timed runs per query")
	fl.IntVar(&c.warmup, "warmup", 2, "untimed runs per query before the timed ones")
	fl.DurationVar(&c.budget, "budget", time.Minute, "stop a query's timed runs early once they have taken this long in total (after at least 3 runs)")
	fl.StringVar(&c.dir, "dir", "", "store directory (default: a cache under the OS temp dir, keyed by size, seed and data version)")
	fl.StringVar(&c.only, "run", "", "run only the queries whose name contains this")
	fl.StringVar(&c.explain, "explain", "", "print EXPLAIN ANALYZE of the named query and exit")
	fl.StringVar(&c.dump, "dump", "", "write the benchmark data as N-Quads to this file and exit (for side-by-side runs in other stores)")
	fl.BoolVar(&c.verbose, "v", false, "print each query's optimizer rule trace")
	fl.StringVar(&c.profile, "cpuprofile", "", "write a CPU profile of the timed runs to this file")
	fl.StringVar(&c.memProfile, "memprofile", "", "write a profile of the Go heap allocations (from the start, loading included) to this file at the end")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if c.runs < 1 || c.warmup < 0 || c.triples < 1 {
		return errors.New("need -runs ≥ 1, -warmup ≥ 0 and -triples ≥ 1")
	}
	qs, err := loadQueries(queryFiles)
	if err != nil {
		return err
	}
	if c.dump != "" {
		return dumpNQuads(ctx, c.dump, c.triples, c.seed)
	}
	if c.dir == "" {
		c.dir = filepath.Join(os.TempDir(), fmt.Sprintf("tessera-benchquery-%d-s%d-%s", c.triples, c.seed, dataVersion))
	}
	st, err := openStore(ctx, c.dir, c.triples, c.seed, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	stats, err := st.Stats(ctx)
	if err != nil {
		return fmt.Errorf("store statistics: %w", err)
	}
	if c.explain != "" {
		i := slices.IndexFunc(qs, func(q benchQuery) bool { return q.Name == c.explain })
		if i < 0 {
			return fmt.Errorf("no query named %q", c.explain)
		}
		return explain(ctx, stdout, st, stats, qs[i])
	}
	if c.profile != "" {
		f, err := os.Create(c.profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Fprintf(stdout, "benchquery: %d queries on %d generated catalogue triples (+ taxonomy and provider graphs), %d runs after %d warm-ups, GOMAXPROCS=%d, load average %s\n",
		len(qs), c.triples, c.runs, c.warmup, runtime.GOMAXPROCS(0), report.LoadAvg())
	// One pass over every selected query first, as a server that has been
	// answering traffic has: its caches (the store's hot predicates, the
	// Go heap grown to its working size) are then in the state each query
	// meets, rather than in the state the previous query happened to leave.
	for _, q := range qs {
		if c.warmup > 0 && (c.only == "" || strings.Contains(q.Name, c.only)) {
			if _, err := measure(ctx, st, stats, q, 0, 1, c.budget); err != nil {
				return fmt.Errorf("query %s: %w", q.Name, err)
			}
		}
	}
	settleHeap()
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	var verbose []benchQuery // queries whose rule trace -v prints after the table
	fmt.Fprintln(tw, "query\trows\truns\tmedian\tp90\tmin\talloc/run\tgoal\t")
	for _, q := range qs {
		if c.only != "" && !strings.Contains(q.Name, c.only) {
			continue
		}
		m, err := measure(ctx, st, stats, q, c.warmup, c.runs, c.budget)
		if err != nil {
			return fmt.Errorf("query %s: %w", q.Name, err)
		}
		goal := ""
		if q.Lookup {
			goal = "< 3ms ok"
			if m.median >= lookupBudget {
				goal = "< 3ms MISSED"
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%.2fMB\t%s\t\n", q.Name, m.rows, m.runs, report.Millis(m.median), report.Millis(m.p90), report.Millis(m.min), float64(m.alloc)/1e6, goal)
		if c.verbose {
			verbose = append(verbose, q)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if c.memProfile != "" {
		f, err := os.Create(c.memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		runtime.GC() // the profile is as of the last collection
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
	}
	for _, q := range verbose {
		fmt.Fprintf(stdout, "%s: %s\n", q.Name, q.About)
		if err := printRules(ctx, stdout, st, stats, q); err != nil {
			return fmt.Errorf("query %s: %w", q.Name, err)
		}
	}
	return nil
}

// loadQueries reads every queries/*.rq file of fsys, sorted by name.
func loadQueries(fsys fs.FS) ([]benchQuery, error) {
	names, err := fs.Glob(fsys, "queries/*.rq")
	if err != nil {
		return nil, err
	}
	var out []benchQuery
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		q := benchQuery{Name: strings.TrimSuffix(path.Base(name), ".rq"), Text: string(b)}
		var about []string
		for line := range strings.Lines(q.Text) {
			line = strings.TrimSpace(line)
			rest, ok := strings.CutPrefix(line, "#")
			if !ok {
				break
			}
			rest = strings.TrimSpace(rest)
			if kind, ok := strings.CutPrefix(rest, "kind:"); ok {
				q.Lookup = strings.TrimSpace(kind) == "lookup"
				continue
			}
			about = append(about, rest)
		}
		if len(about) == 0 {
			return nil, fmt.Errorf("%s: no leading comment saying what traffic the query stands for", name)
		}
		q.About = strings.Join(about, " ")
		out = append(out, q)
	}
	if len(out) == 0 {
		return nil, errors.New("no queries/*.rq")
	}
	return out, nil
}

// dataset is the benchmark data: the cancer-type taxonomy, the catalogue
// of about n triples in the default graph, and the provider graphs.
func dataset(n int, seed int64) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		for _, qs := range []graph.Quads{graphgen.Taxonomy(), graphgen.Catalog(n, seed), graphgen.ProviderGraphs(n, seed)} {
			for q, err := range qs {
				if !yield(q, err) || err != nil {
					return
				}
			}
		}
	}
}

// fingerprint hashes the first quads of the data, so that a cached store
// built from an older generator is noticed and rebuilt. (Hashing the whole
// stream would cost a full generation on every run; a generator change that
// leaves the first 50,000 quads alone goes unnoticed: bump dataVersion.)
func fingerprint(n int, seed int64) (string, error) {
	h := sha256.New()
	i := 0
	for q, err := range dataset(n, seed) {
		if err != nil {
			return "", err
		}
		fmt.Fprintln(h, q.S, q.P, q.O, q.G)
		if i++; i == 50_000 {
			break
		}
	}
	return fmt.Sprintf("%s %d %d %s\n", dataVersion, n, seed, hex.EncodeToString(h.Sum(nil))), nil
}

// openStore opens the cached store in dir, building it first when it is
// missing or was built from other data.
func openStore(ctx context.Context, dir string, n int, seed int64, log io.Writer) (*badgerstore.Store, error) {
	fp, err := fingerprint(n, seed)
	if err != nil {
		return nil, err
	}
	marker := filepath.Join(dir, "benchquery-loaded")
	if b, err := os.ReadFile(marker); err != nil || string(b) != fp {
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("remove stale store: %w", err)
		}
		fmt.Fprintf(log, "benchquery: building the store in %s (once; later runs reuse it)\n", dir)
		st, err := badgerstore.Open(dir, badgerstore.Options{})
		if err != nil {
			return nil, fmt.Errorf("open store %s: %w", dir, err)
		}
		start := time.Now()
		loaded, err := graph.Load(ctx, st, dataset(n, seed), graph.LoadOptions{})
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("load store %s: %w", dir, err)
		}
		fmt.Fprintf(log, "benchquery: loaded %d quads in %s\n", loaded, time.Since(start).Round(time.Millisecond))
		if err := os.WriteFile(marker, []byte(fp), 0o644); err != nil {
			return nil, fmt.Errorf("mark store loaded: %w", err)
		}
	}
	st, err := badgerstore.Open(dir, badgerstore.Options{})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	return st, nil
}

// dumpNQuads writes the benchmark data to file as N-Quads.
func dumpNQuads(ctx context.Context, file string, n int, seed int64) (err error) {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	enc := ntriples.NewQuadEncoder(bw)
	i := 0
	for q, err := range dataset(n, seed) {
		if err != nil {
			return err
		}
		if i++; i%100_000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := enc.Encode(q); err != nil {
			return fmt.Errorf("write %s: %w", file, err)
		}
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	return nil
}

// prepare parses and translates a query.
func prepare(q benchQuery) (*algebra.Query, error) {
	a, err := parser.ParseQuery(q.Text, parser.Options{})
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	alg, err := algebra.Translate(a, algebra.Options{})
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	return alg, nil
}

// once runs q as a request would: a fresh snapshot, parse, translate,
// optimise and evaluate, draining the result. It returns the result count.
func once(ctx context.Context, st *badgerstore.Store, stats *graph.Stats, q benchQuery) (int64, error) {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	defer snap.Release()
	alg, err := prepare(q)
	if err != nil {
		return 0, err
	}
	res, err := eval.Query(ctx, snap, alg, evalOptions(stats))
	if err != nil {
		return 0, err
	}
	var n int64
	switch {
	case res.Solutions != nil:
		for _, err := range res.Solutions {
			if err != nil {
				return n, err
			}
			n++
		}
	case res.Quads != nil:
		for _, err := range res.Quads {
			if err != nil {
				return n, err
			}
			n++
		}
	case res.Boolean:
		n = 1
	}
	return n, nil
}

// measurement is the timing of one query.
type measurement struct {
	rows             int64
	runs             int
	alloc            uint64 // bytes allocated per run (Go heap), on average
	median, p90, min time.Duration
}

// settleHeap grows the Go heap to its goal and collects it twice, with
// garbage that touches every page, so that the timed runs allocate from
// memory already mapped, as in a server that has been answering queries
// for a while. Without it a run that allocates from fresh heap pays a page
// fault per 4 KiB (about 13 µs in the benchmark VM): a 3 MB query then
// measured 9 or 20 ms depending on where the heap was in its growth.
func settleHeap() {
	var sink [][]byte
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for start := ms.NumGC; ms.NumGC < start+2; runtime.ReadMemStats(&ms) {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		sink = append(sink, b)
		if len(sink) == 64 {
			sink = sink[:0]
		}
	}
	runtime.KeepAlive(sink)
}

// measure runs q warmup times untimed and then runs times timed, or fewer
// (but at least 3) when the timed runs have together taken budget; zero
// budget means no limit. A slow query then still gives a median without
// making `make bench` take hours.
func measure(ctx context.Context, st *badgerstore.Store, stats *graph.Stats, q benchQuery, warmup, runs int, budget time.Duration) (measurement, error) {
	var m measurement
	for range warmup {
		if _, err := once(ctx, st, stats, q); err != nil {
			return m, err
		}
	}
	lat := make([]time.Duration, 0, runs)
	var total time.Duration
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	allocated := ms.TotalAlloc
	for i := 0; i < runs && (budget <= 0 || total < budget || i < 3); i++ {
		start := time.Now()
		n, err := once(ctx, st, stats, q)
		if err != nil {
			return m, err
		}
		d := time.Since(start)
		lat = append(lat, d)
		total += d
		m.rows = n
	}
	runtime.ReadMemStats(&ms)
	m.alloc = (ms.TotalAlloc - allocated) / uint64(len(lat))
	slices.Sort(lat)
	m.runs = len(lat)
	m.median = lat[len(lat)/2]
	if len(lat)%2 == 0 {
		m.median = (lat[len(lat)/2-1] + lat[len(lat)/2]) / 2
	}
	m.p90 = lat[min(len(lat)-1, (len(lat)*9+9)/10-1)]
	m.min = lat[0]
	return m, nil
}

// evalOptions are the evaluator options of every run: the dataset of
// `tessera serve` (--union-default-graph, on by default) for a request
// that names none, whose default graph is the union of all graphs.
func evalOptions(stats *graph.Stats) eval.Options {
	opts := web.EvalOptions(web.DatasetParams{}, true)
	opts.Stats = stats
	return opts
}

// explain prints EXPLAIN ANALYZE of q.
func explain(ctx context.Context, w io.Writer, st *badgerstore.Store, stats *graph.Stats, q benchQuery) error {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Release()
	alg, err := prepare(q)
	if err != nil {
		return err
	}
	p, err := eval.Explain(ctx, snap, alg, evalOptions(stats), true)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "# %s: %s\n%s", q.Name, q.About, p)
	return nil
}

// printRules prints the rewrite rules the optimizer fired for q.
func printRules(ctx context.Context, w io.Writer, st *badgerstore.Store, stats *graph.Stats, q benchQuery) error {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Release()
	alg, err := prepare(q)
	if err != nil {
		return err
	}
	p, err := eval.Explain(ctx, snap, alg, evalOptions(stats), false)
	if err != nil {
		return err
	}
	for _, f := range p.Rules {
		fmt.Fprintf(w, "    rule %s: %s\n", f.Rule, f.Detail)
	}
	return nil
}
