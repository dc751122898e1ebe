// Command benchquery is the SPARQL query benchmark of `make bench`: it
// builds (or reuses) a badger store holding the generated catalogue
// (graphgen.Taxonomy, graphgen.Catalog and graphgen.ProviderGraphs) and
// times each catalogue-shaped query of queries/*.rq through parse →
// translate → optimise → evaluate, draining every result, and prints the
// median, p90 and minimum latency per query.
//
//	go run ./cmd/benchquery [-triples N] [-runs K] [-v] [-explain NAME] [-dump FILE]
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchquery:", err)
		os.Exit(1)
	}
}
