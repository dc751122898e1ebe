package schema

import (
	"context"
	"iter"

	"github.com/tessera-fair/tessera/graph"
)

// visibleReader is a graph.Reader that shows only some named graphs: the
// graphs whose records the caller may read. Queries that touch record-level
// types run over it with the union of its graphs as the default graph, so
// a hidden graph's records (and anything else in it) are simply not there
// — one scan per pattern instead of a GRAPH ?g lookup per visible graph.
type visibleReader struct {
	r   graph.Reader
	vis map[graph.Term]bool
}

func newVisibleReader(r graph.Reader, graphs []graph.Term) *visibleReader {
	v := &visibleReader{r: r, vis: make(map[graph.Term]bool, len(graphs))}
	for _, g := range graphs {
		v.vis[g] = true
	}
	return v
}

func (v *visibleReader) shown(g graph.Term) bool {
	if g.IsZero() {
		g = graph.DefaultGraph
	}
	return v.vis[g]
}

// Quads streams the matching quads of the visible graphs.
func (v *visibleReader) Quads(ctx context.Context, p graph.Pattern) graph.Quads {
	if !p.G.IsZero() {
		if !v.shown(p.G) {
			return graph.FromSlice(nil)
		}
		return v.r.Quads(ctx, p)
	}
	return func(yield func(graph.Quad, error) bool) {
		for q, err := range v.r.Quads(ctx, p) {
			if err != nil {
				yield(graph.Quad{}, err)
				return
			}
			if !v.shown(q.G) {
				continue
			}
			if !yield(q, nil) {
				return
			}
		}
	}
}

// Count counts the matching quads of the visible graphs (exactly: a count
// is an answer, never an estimate that could reveal hidden data).
func (v *visibleReader) Count(ctx context.Context, p graph.Pattern) (int64, error) {
	if !p.G.IsZero() {
		if !v.shown(p.G) {
			return 0, nil
		}
		return v.r.Count(ctx, p)
	}
	var n int64
	for _, err := range v.Quads(ctx, p) {
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// Graphs streams the visible named graphs that exist.
func (v *visibleReader) Graphs(ctx context.Context) iter.Seq2[graph.Term, error] {
	return func(yield func(graph.Term, error) bool) {
		for g, err := range v.r.Graphs(ctx) {
			if err != nil {
				yield(graph.Term{}, err)
				return
			}
			if v.shown(g) && !yield(g, nil) {
				return
			}
		}
	}
}

// HasGraph reports whether g is visible and exists.
func (v *visibleReader) HasGraph(ctx context.Context, g graph.Term) (bool, error) {
	if g.IsDefaultGraph() {
		return true, nil
	}
	if !v.shown(g) {
		return false, nil
	}
	return v.r.HasGraph(ctx, g)
}

// Stats passes the store's statistics through for the optimizer's
// estimates (they may count hidden graphs: estimates only order joins).
func (v *visibleReader) Stats(ctx context.Context) (*graph.Stats, error) {
	if s, ok := v.r.(interface {
		Stats(context.Context) (*graph.Stats, error)
	}); ok {
		return s.Stats(ctx)
	}
	return nil, nil
}

var _ graph.Reader = (*visibleReader)(nil)
