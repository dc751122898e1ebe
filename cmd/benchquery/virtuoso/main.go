// Command virtuoso is the HTTP client of the Virtuoso 7 side-by-side run of
// `make bench-compare`: it times each of cmd/benchquery's queries over a
// SPARQL 1.1 Protocol endpoint (2 warm-ups, then 20 timed runs or a time
// budget, every result fully read), prints median, p90 and minimum latency
// per query in the table format of ../oxigraph/bench.mjs, and flags every
// query whose row count differs from the one cmd/benchquery printed for the
// same data.
//
// bench.sh beside this file starts a throw-away Virtuoso, loads the
// benchmark dump into it and runs this client against it:
//
//	go run ./cmd/benchquery/virtuoso -endpoint http://127.0.0.1:18890/sparql \
//	    -queries cmd/benchquery/queries [-expect GO-TABLE] [-runs K] [-warmup K]
//
// It works against any endpoint that answers SELECT and ASK in SPARQL JSON
// and CONSTRUCT in N-Triples; it does not start or load a store itself.
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
		fmt.Fprintln(os.Stderr, "virtuoso:", err)
		os.Exit(1)
	}
}
