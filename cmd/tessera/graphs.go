package main

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/web"
)

func cmdGraphs(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "graphs", "[list] | drop IRI...")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	sub := "list"
	if len(rest) > 0 {
		sub, rest = rest[0], rest[1:]
	}
	switch sub {
	case "list", "ls":
		if len(rest) > 0 {
			return usagef("graphs list takes no arguments")
		}
		return listGraphs(ctx, e, f.data)
	case "drop", "rm":
		if len(rest) == 0 {
			return usagef("graphs drop needs at least one graph IRI")
		}
		return dropGraphs(ctx, e, f.data, rest)
	}
	return usagef("unknown graphs subcommand %q (list, drop)", sub)
}

func listGraphs(ctx context.Context, e *env, dir string) error {
	store, err := openStore(dir, true)
	if err != nil {
		return err
	}
	defer store.Close()
	snap, err := store.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Release()
	var names []graph.Term
	for g, err := range snap.Graphs(ctx) {
		if err != nil {
			return err
		}
		names = append(names, g)
	}
	slices.SortFunc(names, graph.Compare)
	for _, g := range names {
		n, err := snap.Count(ctx, graph.Pattern{G: g})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%d\t%s\n", n, web.GraphName(g))
	}
	return nil
}

func dropGraphs(ctx context.Context, e *env, dir string, names []string) error {
	var terms []graph.Term
	for _, n := range names {
		g, err := parseGraph("graph", n)
		if err != nil {
			return err
		}
		terms = append(terms, g)
	}
	store, err := openStore(dir, true)
	if err != nil {
		return err
	}
	defer store.Close()
	err = store.Update(ctx, func(tx graph.Tx) error {
		for _, g := range terms {
			if err := tx.DropGraph(ctx, g); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, graph.ErrGraphNotFound) {
		return fmt.Errorf("%w; nothing was dropped", err)
	}
	if err != nil {
		return err
	}
	for _, g := range terms {
		fmt.Fprintf(e.stdout, "dropped %s\n", web.GraphName(g))
	}
	return nil
}
