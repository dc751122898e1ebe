// Command tessera is the FAIR metadata knowledge-graph server: it loads RDF
// into an embedded quad store, exports and inspects it, and serves it over
// HTTP. Run `tessera help` for the subcommands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
