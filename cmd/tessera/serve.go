package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/ontology"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/ontology/vocab"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/web"
)

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "serve", "[--addr HOST:PORT] [--demo] [--write-token T] [--query-timeout D] [--max-rows N] ...")
	addr := f.String("addr", "127.0.0.1:8080", "address to listen on")
	withDemo := f.Bool("demo", false, "load the bundled demo catalogue when the store is empty")
	union := f.Bool("union-default-graph", true, "queries that name no dataset see the union of all graphs as their default graph")
	token := f.String("write-token", e.getenv("TESSERA_WRITE_TOKEN"), "operator bearer token for updates and Graph Store writes (env TESSERA_WRITE_TOKEN)")
	anonymous := f.Bool("allow-anonymous-writes", false, "accept writes without a token when none is set (local sandboxes only)")
	timeout := f.Duration("query-timeout", 30*time.Second, "time limit of one query or update (clients may ask for less)")
	maxRows := f.Int64("max-rows", 100_000, "most rows (or triples) in one query response; 0 for no limit")
	maxMemory := f.Int64("max-query-memory", 1<<30, "bytes one query may hold in hash tables, sorts and caches; 0 for no limit")
	maxUpload := f.Int64("max-upload-bytes", 1<<30, "largest Graph Store request body")
	publicURL := f.String("public-url", "", "external base URL (default http://<Host of the request>)")
	var allowLoad listFlag
	f.Var(&allowLoad, "allow-load", "IRI prefix SPARQL LOAD may fetch from (repeatable; none by default)")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	if *maxRows < 0 {
		return usagef("--max-rows must not be negative")
	}
	if *timeout <= 0 {
		return usagef("--query-timeout must be positive")
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	store, err := openStore(f.data, false)
	if err != nil {
		return err
	}
	defer store.Close()
	if *withDemo {
		start := time.Now()
		n, err := demo.LoadIfEmpty(ctx, store)
		if err != nil {
			return fmt.Errorf("load demo catalogue: %w", err)
		}
		if n > 0 {
			log.Info("loaded the demo catalogue", "quads", n, "took", time.Since(start).Round(time.Millisecond))
		}
	}
	installed, err := vocab.Install(ctx, store)
	if err != nil {
		return fmt.Errorf("install bundled vocabularies: %w", err)
	}
	if len(installed) > 0 {
		log.Info("installed bundled vocabularies", "graphs", len(installed))
	}
	hier := newHierarchy(ctx, store, log)
	if *token == "" && !*anonymous {
		log.Info("writes are disabled: set --write-token or TESSERA_WRITE_TOKEN to allow updates and uploads")
	}
	srv := web.New(store, web.Options{
		Logger:               log,
		UnionDefaultGraph:    *union,
		WriteToken:           *token,
		AllowAnonymousWrites: *anonymous,
		QueryTimeout:         *timeout,
		MaxRows:              *maxRows,
		MaxQueryMemory:       *maxMemory,
		MaxUploadBytes:       *maxUpload,
		AllowLoad:            allowLoad,
		PublicURL:            *publicURL,
		Hierarchy:            hier.current,
		OnWrite:              hier.written,
	})
	return srv.ListenAndServe(ctx, *addr)
}

// hierarchy serves the ontology snapshot of the bundled vocabularies to the
// evaluator's fast path for rdfs:subClassOf* / skos:broader* paths. After a
// write it offers no snapshot until the cache has rebuilt, so a query never
// uses a closure older than the data it reads (the evaluator then walks the
// store instead).
type hierarchy struct {
	cache *ontology.Cache
	stale atomic.Bool
}

func newHierarchy(ctx context.Context, store graph.Store, log *slog.Logger) *hierarchy {
	var graphs []graph.Term
	for _, v := range vocab.Graphs() {
		graphs = append(graphs, v.Graph)
	}
	h := &hierarchy{cache: ontology.NewCache(store, graphs, ontology.Options{})}
	h.stale.Store(true)
	h.cache.OnRebuild = func(_ *ontology.Ontology, err error) {
		if err != nil {
			log.Warn("ontology rebuild failed", "error", err)
			return
		}
		h.stale.Store(false)
	}
	go h.cache.Run(ctx, 30*time.Second)
	return h
}

func (h *hierarchy) current() eval.Hierarchy {
	if h.stale.Load() {
		return nil
	}
	return h.cache.Current()
}

func (h *hierarchy) written(g graph.Term) {
	h.stale.Store(true)
	h.cache.Invalidate(g)
}
