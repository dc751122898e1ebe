package graph

import (
	"context"
	"errors"
	"fmt"
)

// LoadOptions controls Load.
type LoadOptions struct {
	// Graph, when not zero, puts every quad into this graph whatever the
	// input said (loading a Turtle file into a provider's named graph).
	Graph Term
	// Replace clears Graph in the same transaction before loading, so the
	// graph's old content is replaced atomically. It requires Graph.
	Replace bool
	// Progress, when set, is called with the number of quads read so far,
	// every ProgressEvery quads and once at the end.
	Progress func(n int64)
	// ProgressEvery defaults to 100,000.
	ProgressEvery int64
}

// Load adds a stream of quads to s in one transaction: either every quad is
// stored or, when the stream yields an error or ctx ends, none is. It returns
// the number of quads read.
func Load(ctx context.Context, s Store, quads Quads, opts LoadOptions) (int64, error) {
	if opts.Replace && opts.Graph.IsZero() {
		return 0, fmt.Errorf("load: replace needs a graph")
	}
	if bl, ok := s.(BulkLoader); ok {
		return bl.BulkLoad(ctx, quads, opts)
	}
	every := opts.ProgressEvery
	if every <= 0 {
		every = 100_000
	}
	var n int64
	err := s.Update(ctx, func(tx Tx) error {
		if err := PrepareLoad(ctx, tx, opts); err != nil {
			return err
		}
		for q, err := range quads {
			if err != nil {
				return err
			}
			if !opts.Graph.IsZero() {
				q.G = opts.Graph
			}
			if err := tx.Add(q); err != nil {
				return err
			}
			n++
			if n%every == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				if opts.Progress != nil {
					opts.Progress(n)
				}
			}
		}
		return nil
	})
	if opts.Progress != nil {
		opts.Progress(n)
	}
	return n, err
}

// PrepareLoad readies the graph a load names, in the load's transaction and
// before its quads are added: it clears opts.Graph when opts.Replace, and
// creates it when it is a named graph that does not exist. A load thus
// leaves the graph it names existing even when the input holds no quads: a
// Graph Store PUT of an empty document creates the empty graph, as the
// protocol says, rather than answering 201 Created for a graph that is not
// there. Stores implementing BulkLoader call it on their transactional path.
func PrepareLoad(ctx context.Context, tx Tx, opts LoadOptions) error {
	if opts.Replace {
		if err := tx.ClearGraph(ctx, opts.Graph); err != nil {
			return err
		}
	}
	if opts.Graph.IsZero() || opts.Graph.IsDefaultGraph() {
		return nil
	}
	if err := tx.CreateGraph(ctx, opts.Graph); err != nil && !errors.Is(err, ErrGraphExists) {
		return err
	}
	return nil
}
