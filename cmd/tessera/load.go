package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/term"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/loaders/harmonise"
	"github.com/tessera-fair/tessera/loaders/jsonld"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/ontology/shacl"
	"github.com/tessera-fair/tessera/ontology/shapes"
	"github.com/tessera-fair/tessera/web"
)

func cmdLoad(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "load", "[--graph IRI] [--replace] [--format F] [--base IRI] [--compact] [--validate reject|warn [--shapes NAME|FILE]...] [--context mapping.jsonld | --mapping table-metadata.json] [--codes FILE]... FILE|DIR|- ...")
	graphFlag := f.String("graph", "", "put every quad into this named graph (an absolute IRI, or 'default')")
	replace := f.Bool("replace", false, "replace the graph's content atomically (needs --graph)")
	format := f.String("format", "", "input format (default: from the file extension)")
	base := f.String("base", "", "base IRI for relative IRIs (default: the file's file: IRI)")
	quiet := f.Bool("quiet", false, "no progress or summary output")
	compact := f.Bool("compact", false, "compact the store after the load rather than leave it to badger's background compaction, which a server started next would run beside its queries (about 1 s per 1M triples loaded; badger maps the tables it reads and writes, so the resident set grows by about the store's size while it runs)")
	validate := f.String("validate", "", "check the incoming data against SHACL shapes first: 'reject' refuses a load with any sh:Violation (nothing is stored), 'warn' stores and prints the report")
	var shapeArgs listFlag
	f.Var(&shapeArgs, "shapes", "with --validate: shipped shape set or shapes file, repeatable (default "+shapes.Default+"; see tessera validate -h)")
	var h harmoniseFlags
	h.register(f)
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	if err := h.checkGiven(f); err != nil {
		return err
	}
	if len(files) == 0 {
		f.Usage()
		return usagef("nothing to load: name files, directories or - for standard input")
	}
	g, err := parseGraph("--graph", *graphFlag)
	if err != nil {
		return err
	}
	if *replace && g.IsZero() {
		return usagef("--replace needs --graph")
	}
	switch *validate {
	case "", "reject", "warn":
	default:
		return usagef("--validate %q: want reject or warn", *validate)
	}
	if len(shapeArgs) > 0 && *validate == "" {
		return usagef("--shapes needs --validate=reject or --validate=warn")
	}
	var sh *shacl.Shapes
	if *validate != "" {
		if sh, err = compileShapes(ctx, e, shapeArgs); err != nil {
			return err
		}
	}
	var (
		quads  graph.Quads
		nsrc   = len(files)
		finish = func() error { return nil }
	)
	if h.active() {
		if *format != "" {
			return usagef("--format does not apply to harmonised records (the format comes from the extension)")
		}
		hq, done, err := h.open(ctx, e, files, *base)
		if err != nil {
			return err
		}
		defer done()
		quads, finish = hq, func() error { return h.finish(e, *quiet) }
	} else {
		srcs, err := loaders.Sources(files, *format, e.stdin)
		if err != nil {
			return err
		}
		if !g.IsZero() {
			for _, s := range srcs {
				if s.Format.Quads && s.Format.Name != "jsonld" {
					fmt.Fprintf(e.stderr, "tessera load: note: --graph puts all quads of %s into %s, whatever graphs it names\n", s.Name, web.GraphName(g))
				}
			}
		}
		nsrc = len(srcs)
		quads = decodeSources(ctx, e.stderr, srcs, loaders.DecodeOptions{Options: loadOptions(*base)})
	}
	if sh != nil {
		// Validation needs the whole incoming data before anything is
		// written, so it is buffered in memory (never the store's content).
		var buf []graph.Quad
		for q, err := range quads {
			if err != nil {
				return fmt.Errorf("%w\nnothing was loaded: the store is unchanged", explainRemoteContext(err, true))
			}
			buf = append(buf, q)
		}
		if err := finish(); err != nil {
			return err
		}
		finish = func() error { return nil }
		rep, err := validateQuads(ctx, sh, graph.FromSlice(buf))
		if err != nil {
			return fmt.Errorf("validate: %w\nnothing was loaded: the store is unchanged", err)
		}
		if len(rep.Results) > 0 {
			if err := writeReport(e.stderr, rep, "text"); err != nil {
				return err
			}
		}
		if n := violations(rep); n > 0 && *validate == "reject" {
			return fmt.Errorf("--validate=reject: %s\nnothing was loaded: the store is unchanged", countNoun(n, "violation"))
		}
		quads = graph.FromSlice(buf)
	}
	dir, err := noteStoreDir(f.data)
	if err != nil {
		return err
	}
	store, err := openStore(f.data, false)
	if err != nil {
		return dir.failed(nil, err)
	}
	defer store.Close()

	progress := newProgress(e.stderr, *quiet)
	defer progress.stop()
	start := time.Now()
	n, err := graph.Load(ctx, store, quads, graph.LoadOptions{Graph: g, Replace: *replace, Progress: progress.set, ProgressEvery: 10_000})
	progress.stop()
	if err != nil {
		return dir.failed(store, explainRemoteContext(err, true))
	}
	if err := finish(); err != nil {
		return err
	}
	if !*quiet {
		d := time.Since(start)
		fmt.Fprintf(e.stderr, "loaded %d quads from %d source(s) in %s (%.0f quads/s)\n", n, nsrc, d.Round(time.Millisecond), float64(n)/d.Seconds())
	}
	if *compact {
		start := time.Now()
		if err := store.Compact(ctx); err != nil {
			// The load is committed; only the compaction is left to badger.
			return fmt.Errorf("the load is committed, but %w", err)
		}
		if !*quiet {
			fmt.Fprintf(e.stderr, "compacted the store in %s\n", time.Since(start).Round(time.Millisecond))
		}
	}
	return nil
}

// storeDir records what a data directory held before a command that
// creates the store there (load) opened it, so that a command failing
// before it committed anything removes what it created: a new, empty store
// left behind would make stats report a store, and a retry start from it.
type storeDir struct {
	dir     string
	existed bool            // dir held a store
	created string          // the topmost directory of dir's path that did not exist, or ""
	before  map[string]bool // dir's entries, when it existed and held no store
}

// noteStoreDir records the state of dir before openStore(dir, false).
func noteStoreDir(dir string) (*storeDir, error) {
	d := &storeDir{dir: dir}
	ok, err := badgerstore.Exists(dir)
	if err != nil || ok {
		d.existed = ok
		return d, err
	}
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil:
		d.before = make(map[string]bool, len(entries))
		for _, e := range entries {
			d.before[e.Name()] = true
		}
	case errors.Is(err, fs.ErrNotExist):
		// Opening the store creates dir with its missing parents.
		d.created = filepath.Clean(dir)
		for {
			parent := filepath.Dir(d.created)
			if _, err := os.Lstat(parent); parent == d.created || !errors.Is(err, fs.ErrNotExist) {
				break
			}
			d.created = parent
		}
	}
	// Otherwise dir is not a readable directory: opening a store there
	// fails, creating nothing.
	return d, nil
}

// failed closes store (nil when opening it failed) after err, which ended
// the command before it committed anything, and removes what the command
// created: the directories that did not exist, or the entries dir did not
// hold (never a file that was there before). It returns err saying what
// became of the store.
func (d *storeDir) failed(store *badgerstore.Store, err error) error {
	var cerr error
	if store != nil {
		cerr = store.Close()
	}
	switch {
	case d.existed:
		return fmt.Errorf("%w\nnothing was loaded: the store is unchanged", err)
	case d.created == "" && d.before == nil:
		return err
	}
	if rerr := errors.Join(cerr, d.removeCreated()); rerr != nil {
		return fmt.Errorf("%w\nnothing was loaded, but the new store in %s could not be removed: %v", err, d.dir, rerr)
	}
	return fmt.Errorf("%w\nnothing was loaded: the new store in %s was removed", err, d.dir)
}

func (d *storeDir) removeCreated() error {
	if d.created != "" {
		return os.RemoveAll(d.created)
	}
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if !d.before[e.Name()] {
			errs = append(errs, os.RemoveAll(filepath.Join(d.dir, e.Name())))
		}
	}
	return errors.Join(errs...)
}

// explainRemoteContext adds to an error about a JSON-LD context that was
// not loaded (the message names it, and lists the bundled contexts) what a
// command-line user can do about it; withContextFlag says whether the
// command takes --context. Other errors are returned as they are.
func explainRemoteContext(err error, withContextFlag bool) error {
	var rce *jsonld.RemoteContextError
	if !errors.As(err, &rce) {
		return err
	}
	hint := "tessera never fetches JSON-LD contexts over the network (there is no option to allow it). " +
		"Point the document's @context at a bundled context that covers its terms, " +
		"or replace the URL by the context itself (the \"@context\" value of the document at " + rce.URL + ")"
	if withContextFlag {
		hint += ", or remove the document's @context and load it with --context FILE, FILE holding that context document"
	}
	return fmt.Errorf("%w\n%s", err, hint)
}

// decodeSources streams the quads of srcs as loaders.Decode does, and warns
// on w about each JSON-LD source that yields none. JSON-LD turns into RDF
// only what its @context maps to IRIs, so plain JSON without a @context is
// valid JSON-LD with no triples: without the warning it would "load" with
// exit 0 and nothing stored. The load goes on (a JSON-LD document may rightly
// be empty, and one such file must not fail a directory of others); the
// count is taken as the quads stream by, so nothing is parsed twice.
func decodeSources(ctx context.Context, w io.Writer, srcs []loaders.Source, opts loaders.DecodeOptions) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		for _, src := range srcs {
			n := 0
			for q, err := range loaders.Decode(ctx, []loaders.Source{src}, opts) {
				if err != nil {
					yield(graph.Quad{}, err)
					return
				}
				n++
				if !yield(q, nil) {
					return
				}
			}
			if n == 0 && src.Format.Name == "jsonld" {
				fmt.Fprintf(w, "tessera load: warning: %s yielded no quads: JSON-LD maps to RDF only the keys its @context defines, "+
					"and this document has no @context or none of its keys map to IRIs; "+
					"to map plain JSON records onto RDF, load them with --context mapping.jsonld\n", src.Name)
			}
		}
	}
}

// progress redraws one status line on a terminal every 200 ms; elsewhere it
// prints nothing.
type progress struct {
	n     atomic.Int64
	done  chan struct{}
	ended atomic.Bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{done: make(chan struct{})}
	file, ok := w.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(file.Fd())) {
		p.ended.Store(true)
		return p
	}
	start := time.Now()
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
				n := p.n.Load()
				fmt.Fprintf(w, "\r\033[K%12d quads  %10.0f quads/s  %s", n, float64(n)/time.Since(start).Seconds(), time.Since(start).Round(time.Second))
			}
		}
	}()
	return p
}

func (p *progress) set(n int64) { p.n.Store(n) }

func (p *progress) stop() {
	if p.ended.CompareAndSwap(false, true) {
		close(p.done)
	}
}

func loadOptions(base string) syntax.Options { return syntax.Options{Base: base} }

// harmoniseFlags are load's flags for records that are not RDF: JSON, JSON
// Lines or CSV mapped to RDF by package harmonise.
type harmoniseFlags struct {
	context, mapping, idTemplate string
	codes                        listFlag
	unmapped, invalid            string
	report                       string
	current                      string // the file being read, for --report

	decoders []*harmonise.File
	out      *os.File // --report
	outErr   error
}

func (h *harmoniseFlags) register(f *flags) {
	f.StringVar(&h.context, "context", "", "harmonise JSON / JSON Lines / CSV records with this JSON-LD mapping context")
	f.StringVar(&h.mapping, "mapping", "", "harmonise CSV with this CSVW table description (default with --mapping=auto: DATA-metadata.json)")
	f.StringVar(&h.idTemplate, "id-template", "", "with --context or --mapping: IRI template for records without @id, e.g. https://data.example/patient/{id}")
	f.Var(&h.codes, "codes", "with --context or --mapping: code table (CSV field,local_code,concept_iri or JSON), repeatable")
	f.StringVar(&h.unmapped, "unmapped", "keep", "with --context or --mapping: a code missing from its table: keep (as a plain literal), drop or fail")
	f.StringVar(&h.invalid, "invalid", "keep", "with --context or --mapping: a value invalid for its datatype: keep, drop or fail")
	f.StringVar(&h.report, "report", "", "with --context or --mapping: write every record issue, then the summaries, to this file")
}

// harmoniseOnly names the flags that apply only to harmonised records.
var harmoniseOnly = []string{"codes", "id-template", "invalid", "report", "unmapped"}

// active reports whether the load harmonises records.
func (h *harmoniseFlags) active() bool { return h.context != "" || h.mapping != "" }

// checkGiven fails when a flag that applies only to harmonised records was
// given without --context or --mapping: RDF input has no records, codes or
// datatype checks, so the flag would be silently ignored.
func (h *harmoniseFlags) checkGiven(f *flags) error {
	if h.active() {
		return nil
	}
	var given []string
	f.Visit(func(fl *flag.Flag) {
		if slices.Contains(harmoniseOnly, fl.Name) {
			given = append(given, "--"+fl.Name)
		}
	})
	switch len(given) {
	case 0:
		return nil
	case 1:
		return usagef("%s needs --context or --mapping (it applies to JSON, JSON Lines or CSV records harmonised with a mapping, not to RDF input)", given[0])
	}
	return usagef("%s need --context or --mapping (they apply to JSON, JSON Lines or CSV records harmonised with a mapping, not to RDF input)", strings.Join(given, ", "))
}

func parsePolicy(flag, s string) (harmonise.Policy, error) {
	switch s {
	case "keep", "":
		return harmonise.Keep, nil
	case "drop":
		return harmonise.Drop, nil
	case "fail":
		return harmonise.Fail, nil
	}
	return 0, usagef("--%s %q: want keep, drop or fail", flag, s)
}

// open checks the flags, reads the code tables and returns the quads of
// the data files, opened one after the other as the stream reaches them.
// done closes what is still open.
func (h *harmoniseFlags) open(ctx context.Context, e *env, files []string, base string) (graph.Quads, func(), error) {
	if h.context != "" && h.mapping != "" {
		return nil, nil, usagef("--context and --mapping exclude each other")
	}
	mapping := h.context
	if h.mapping != "auto" {
		mapping = cmp.Or(mapping, h.mapping)
	}
	opts := harmonise.Options{IDTemplate: h.idTemplate}
	var err error
	if opts.OnUnmappedCode, err = parsePolicy("unmapped", h.unmapped); err != nil {
		return nil, nil, err
	}
	if opts.OnInvalidValue, err = parsePolicy("invalid", h.invalid); err != nil {
		return nil, nil, err
	}
	for _, p := range files {
		if p == "-" {
			return nil, nil, usagef("harmonised records are read from files, not standard input")
		}
		if info, err := os.Stat(p); err != nil {
			return nil, nil, usagef("%v", err)
		} else if info.IsDir() {
			return nil, nil, usagef("%s: harmonised records are read from files, not directories", p)
		}
	}
	if len(h.codes) > 0 {
		opts.Codes = harmonise.NewCodes(harmonise.CodeOptions{})
		for _, c := range h.codes {
			if err := harmonise.LoadCodes(c, opts.Codes); err != nil {
				return nil, nil, usagef("--codes %s: %v", c, err)
			}
		}
	}
	if h.report != "" {
		out, err := os.Create(h.report)
		if err != nil {
			return nil, nil, fmt.Errorf("--report: %w", err)
		}
		h.out = out
		opts.OnIssue = func(i harmonise.RecordIssue) {
			if h.outErr == nil {
				_, h.outErr = fmt.Fprintf(out, "%s: %s\n", h.current, i)
			}
		}
	}
	done := func() {
		for _, d := range h.decoders {
			d.Close()
		}
		if h.out != nil {
			h.out.Close()
		}
	}
	quads := func(yield func(graph.Quad, error) bool) {
		for _, p := range files {
			o := opts
			o.Base = base
			h.current = p
			d, err := harmonise.Open(ctx, p, mapping, o)
			if err != nil {
				yield(graph.Quad{}, err)
				return
			}
			h.decoders = append(h.decoders, d)
			for {
				q, err := d.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					yield(graph.Quad{}, err)
					return
				}
				if !yield(q, nil) {
					return
				}
			}
			d.Close()
		}
	}
	return quads, done, nil
}

// finish prints the per-file issue summaries (unless quiet) and completes
// the --report file.
func (h *harmoniseFlags) finish(e *env, quiet bool) error {
	for _, d := range h.decoders {
		r := d.Report()
		if !quiet {
			if err := r.WriteSummary(e.stderr); err != nil {
				return err
			}
		}
		if h.out != nil && h.outErr == nil {
			h.outErr = r.WriteSummary(h.out)
		}
	}
	if h.out != nil {
		err := h.out.Close()
		h.out = nil
		if err := cmp.Or(h.outErr, err); err != nil {
			return fmt.Errorf("write report %s: %w", h.report, err)
		}
	}
	return nil
}
