package optimizer

import (
	"context"
	"fmt"

	"github.com/tessera-fair/tessera/graph"
)

// Catalog is all the optimizer knows about the data: how many quads match
// a pattern, and per-predicate statistics. It is deliberately narrow (as
// CockroachDB's opt/cat is) so that tests can describe a database in a few
// lines and stores can answer from whatever they keep.
type Catalog interface {
	// Stats returns the store's statistics, or nil when there are none.
	Stats(ctx context.Context) (*graph.Stats, error)
	// Count returns the number of quads matching p when it can be had
	// cheaply (a bounded scan or a cached figure); ok is false otherwise
	// and the optimizer estimates from Stats instead. p.G is zero for
	// estimates over all graphs, or the IRI of a GRAPH <iri> pattern.
	Count(ctx context.Context, p graph.Pattern) (n int64, ok bool, err error)
}

// countCap bounds the scan Count does for a pattern with a bound object
// and no bound subject: beyond it the pattern is "large" and the
// statistics estimate it well enough.
const countCap = 256

// NewCatalog returns a Catalog over one consistent view of a store. Counts
// are cached for the Catalog's lifetime, so make one per query. Patterns
// with a bound subject are counted exactly (one short index scan);
// patterns with a bound object or graph are counted by a scan that stops
// after countCap quads; the rest are answered from st when it is not nil and
// counted exactly otherwise (stores without statistics are small test
// stores).
func NewCatalog(r graph.Reader, st *graph.Stats) Catalog {
	return &readerCatalog{r: r, st: st, counts: map[graph.Pattern]cached{}}
}

type cached struct {
	n  int64
	ok bool
}

type readerCatalog struct {
	r      graph.Reader
	st     *graph.Stats
	counts map[graph.Pattern]cached
}

func (c *readerCatalog) Stats(context.Context) (*graph.Stats, error) { return c.st, nil }

func (c *readerCatalog) Count(ctx context.Context, p graph.Pattern) (int64, bool, error) {
	if v, ok := c.counts[p]; ok {
		return v.n, v.ok, nil
	}
	var v cached
	switch {
	case !p.S.IsZero() || c.st == nil:
		n, err := c.r.Count(ctx, p)
		if err != nil {
			return 0, false, fmt.Errorf("count %v: %w", p, err)
		}
		v = cached{n, true}
	case !p.O.IsZero() || !p.G.IsZero():
		n, err := c.countCapped(ctx, p)
		if err != nil {
			return 0, false, fmt.Errorf("count %v: %w", p, err)
		}
		v = cached{n, n <= countCap}
	}
	c.counts[p] = v
	return v.n, v.ok, nil
}

// countCapped counts the quads matching p up to countCap+1, over ids when
// the reader has them (no term is decoded, and a store may answer from
// memory).
func (c *readerCatalog) countCapped(ctx context.Context, p graph.Pattern) (int64, error) {
	var n int64
	ir, ok := c.r.(graph.IDReader)
	if !ok {
		for _, err := range c.r.Quads(ctx, p) {
			if err != nil {
				return 0, err
			}
			if n++; n > countCap {
				break
			}
		}
		return n, nil
	}
	var ip graph.IDPattern
	for i, t := range [4]graph.Term{p.S, p.P, p.O, p.G} {
		if t.IsZero() {
			continue
		}
		id, found, err := ir.LookupID(ctx, t)
		if err != nil || !found {
			return 0, err // a term the store does not hold: nothing matches
		}
		ip.IDs[i], ip.Bound[i] = id, true
	}
	for _, err := range ir.QuadIDs(ctx, ip) {
		if err != nil {
			return 0, err
		}
		if n++; n > countCap {
			break
		}
	}
	return n, nil
}
