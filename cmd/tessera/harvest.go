package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/tessera-fair/tessera/loaders/harvest"
)

// cmdHarvest is `tessera harvest URL`: it walks a FAIR Data Point (or reads a
// DCAT catalogue document) and replaces the source's named graph with what
// it found, printing what changed.
func cmdHarvest(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "harvest", "URL [--graph IRI] [--json] [--timeout D] [--max-documents N] [--max-triples N] ...")
	f.StringVar(&f.data, "store", f.data, "alias of --data")
	graphIRI := f.String("graph", "", "named graph to store the source in (default "+harvest.DefaultGraphBase+"<host>/<path>)")
	asJSON := f.Bool("json", false, "print the report as JSON")
	timeout := f.Duration("timeout", 30*time.Second, "time limit of one HTTP request")
	maxDocs := f.Int("max-documents", 10_000, "most documents fetched in one run")
	maxTriples := f.Int("max-triples", 2_000_000, "most triples stored from one source")
	maxBytes := f.Int64("max-bytes", 32<<20, "largest document accepted")
	failOnPartial := f.Bool("fail-on-partial", false, "store nothing when any linked document fails")
	var allow listFlag
	f.Var(&allow, "allow-host", "another host links may lead to (repeatable; the source's host is always allowed)")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("harvest needs exactly one URL (an FDP or a DCAT catalogue document)")
	}
	g, err := parseGraph("--graph", *graphIRI)
	if err != nil {
		return err
	}
	if g.IsDefaultGraph() {
		return usagef("--graph must name a graph: a harvest replaces the whole graph")
	}
	if *timeout <= 0 || *maxDocs <= 0 || *maxTriples <= 0 || *maxBytes <= 0 {
		return usagef("--timeout, --max-documents, --max-triples and --max-bytes must be positive")
	}
	store, err := openStore(f.data, false)
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := harvest.Harvest(ctx, store, rest[0], harvest.Options{
		Client:        &http.Client{Timeout: *timeout},
		Graph:         g,
		AllowHosts:    allow,
		MaxDocuments:  *maxDocs,
		MaxTriples:    *maxTriples,
		MaxBytes:      *maxBytes,
		FailOnPartial: *failOnPartial,
	})
	if rep != nil && *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(rep); jerr != nil {
			return fmt.Errorf("write report: %w", jerr)
		}
	}
	if err != nil {
		return fmt.Errorf("%w (nothing was changed)", err)
	}
	if !*asJSON {
		return rep.WriteText(e.stdout)
	}
	return nil
}
