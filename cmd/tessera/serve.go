package main

import (
	"context"
	"fmt"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/ontology"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/ontology/shapes"
	"github.com/tessera-fair/tessera/ontology/vocab"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/federation"
	"github.com/tessera-fair/tessera/web"
	"github.com/tessera-fair/tessera/web/fdp"
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
	hotCache := f.Int64("hot-cache-mb", 256, "MiB of memory for the predicates queries scan or look up most (64 bytes a quad); 0 turns it off")
	publicURL := f.String("public-url", "", "external base URL (default http://<Host of the request>)")
	base := f.String("base", fdp.DefaultBase, "IRI prefix of the resources this server serves as Linked Data (its public URL in production)")
	exactCounts := f.Bool("exact-public-counts", false, "report exact cohort counts for graphs whose records the caller may see (never for controlled graphs)")
	var allowLoad listFlag
	f.Var(&allowLoad, "allow-load", "IRI prefix SPARQL LOAD may fetch from (repeatable; none by default)")
	var allowService listFlag
	f.Var(&allowService, "allow-service", "endpoint IRI prefix SPARQL SERVICE may query (repeatable; none by default)")
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
	hotBytes := *hotCache << 20
	if *hotCache <= 0 {
		hotBytes = -1
	}
	store, err := openStoreWith(f.data, false, badgerstore.Options{HotCacheSize: hotBytes})
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
	if in, err := shapes.Install(ctx, store); err != nil {
		return fmt.Errorf("install bundled shapes: %w", err)
	} else if in.Changed {
		log.Info("installed bundled API shapes", "graph", in.Graph.Value(), "quads", in.Quads)
	}
	hier := newHierarchy(ctx, store, log)
	api, err := newAPI(ctx, store, hier, apiOptions{timeout: *timeout, maxMemory: *maxMemory, exact: *exactCounts, log: log})
	if err != nil {
		return err
	}
	defer api.close()
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
		Entailment:           hier.entailment,
		OnWrite:              api.written,
		Records:              api.records.Filter,
		Policy:               api.access.Current,
		Service:              federation.New(federation.Options{Allow: allowService, Logger: log}),
		FederatedQuery:       len(allowService) > 0,
		GraphQL:              api.graphql,
		FDP:                  fdp.Options{Base: *base, Logger: log},
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
	// The first snapshot is built before the server listens, so the first
	// requests already use the closures (and the discovery index its labels).
	if _, err := h.cache.Refresh(ctx); err != nil {
		log.Warn("ontology build failed", "error", err)
	} else {
		h.stale.Store(false)
	}
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

// entailment is the RDFS schema of queries that ask for entailment=rdfs:
// the current snapshot read with its equivalences (namespace aliases,
// owl:equivalentClass, skos:exactMatch), so records in either namespace
// variant are found. Right after a write it may be the schema as it was
// before the write. Until the first snapshot is built (a second or two
// after start) it waits for it, up to entailmentWait, then gives up (nil:
// the request is refused with 503).
func (h *hierarchy) entailment() eval.Entailment {
	deadline := time.Now().Add(entailmentWait)
	for {
		if o := h.cache.Current(); o.Len() > 0 {
			return o.RDFS(true)
		}
		if time.Now().After(deadline) {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// entailmentWait bounds how long a query asking for entailment waits for
// the first ontology snapshot.
const entailmentWait = 10 * time.Second

func (h *hierarchy) written(g graph.Term) {
	h.stale.Store(true)
	h.cache.Invalidate(g)
}
