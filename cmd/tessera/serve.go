package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/web"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "serve", "[--addr HOST:PORT] [--demo]")
	addr := f.String("addr", "127.0.0.1:8080", "address to listen on")
	withDemo := f.Bool("demo", false, "load the bundled demo catalogue when the store is empty")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
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
	srv := web.New(store, web.Options{Logger: log})
	return srv.ListenAndServe(ctx, *addr)
}
