package main

import (
	"context"
	"fmt"
	"time"

	"github.com/tessera-fair/tessera/sparql/federation"
	"github.com/tessera-fair/tessera/sparql/update"
	"github.com/tessera-fair/tessera/web"
)

func cmdUpdate(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "update", "'INSERT DATA { … }' | --file u.ru")
	file := f.String("file", "", "read the update from this file (- for standard input)")
	base := f.String("base", "", "base IRI for relative IRIs in the update")
	union := f.Bool("union-default-graph", true, "a WHERE without WITH or USING sees the union of all graphs (as `tessera serve`)")
	timeout := f.Duration("timeout", 0, "time limit (default none)")
	quiet := f.Bool("quiet", false, "no summary output")
	var using, usingNamed, allowLoad listFlag
	f.Var(&using, "using-graph", "as the protocol's using-graph-uri (repeatable)")
	f.Var(&usingNamed, "using-named-graph", "as the protocol's using-named-graph-uri (repeatable)")
	f.Var(&allowLoad, "allow-load", "IRI prefix LOAD may fetch from (repeatable; none by default)")
	var allowService listFlag
	f.Var(&allowService, "allow-service", "endpoint IRI prefix SPARQL SERVICE in a WHERE may query (repeatable; none by default)")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	text, err := operationText(e, rest, *file, "update")
	if err != nil {
		return err
	}
	ds, err := datasetFlags(using, usingNamed)
	if err != nil {
		return err
	}
	u, err := web.PrepareUpdate(text, *base, ds)
	if err != nil {
		return fmt.Errorf("%s", describeError(err, "update"))
	}
	store, err := openStore(f.data, false)
	if err != nil {
		return err
	}
	defer store.Close()
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	opts := update.Options{Base: *base, UnionDefaultGraph: *union, Service: federation.New(federation.Options{Allow: allowService})}
	if len(allowLoad) > 0 {
		opts.Loader = &web.AllowListLoader{Prefixes: allowLoad}
	}
	start := time.Now()
	before, err := store.Stats(ctx)
	if err != nil {
		return err
	}
	if err := update.Execute(ctx, store, u, opts); err != nil {
		return fmt.Errorf("%s\nnothing was changed", describeError(err, "update"))
	}
	if !*quiet {
		after, err := store.Stats(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "updated in %s: %d quads before, %d after\n", time.Since(start).Round(time.Microsecond), before.Quads, after.Quads)
	}
	return nil
}
