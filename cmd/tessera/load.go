package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"golang.org/x/term"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/web"
)

func cmdLoad(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "load", "[--graph IRI] [--replace] [--format F] [--base IRI] FILE|DIR|- ...")
	graphFlag := f.String("graph", "", "put every quad into this named graph (an absolute IRI, or 'default')")
	replace := f.Bool("replace", false, "replace the graph's content atomically (needs --graph)")
	format := f.String("format", "", "input format (default: from the file extension)")
	base := f.String("base", "", "base IRI for relative IRIs (default: the file's file: IRI)")
	quiet := f.Bool("quiet", false, "no progress or summary output")
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		f.Usage()
		return usagef("nothing to load: name files, directories or - for standard input")
	}
	g, err := parseGraph(*graphFlag)
	if err != nil {
		return err
	}
	if *replace && g.IsZero() {
		return usagef("--replace needs --graph")
	}
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
	store, err := openStore(f.data, false)
	if err != nil {
		return err
	}
	defer store.Close()

	progress := newProgress(e.stderr, *quiet)
	defer progress.stop()
	start := time.Now()
	quads := loaders.Decode(ctx, srcs, loaders.DecodeOptions{Options: loadOptions(*base)})
	n, err := graph.Load(ctx, store, quads, graph.LoadOptions{Graph: g, Replace: *replace, Progress: progress.set, ProgressEvery: 10_000})
	progress.stop()
	if err != nil {
		return fmt.Errorf("%w\nnothing was loaded: the store is unchanged", err)
	}
	if !*quiet {
		d := time.Since(start)
		fmt.Fprintf(e.stderr, "loaded %d quads from %d source(s) in %s (%.0f quads/s)\n", n, len(srcs), d.Round(time.Millisecond), float64(n)/d.Seconds())
	}
	return nil
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
