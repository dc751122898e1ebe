package access

import (
	"context"
	"fmt"
	"iter"
	"sync"

	"github.com/tessera-fair/tessera/graph"
)

// rdfType is rdf:type, the predicate that makes a subject a record.
var rdfType = graph.IRI(graph.RDFNamespace + "type")

// HiddenRecords is the set of record subjects one caller may not see: the
// instances of record classes (cdm:Patient, cdm:ImagingStudy, ...) in the
// graphs whose records the policy closes to that caller. Catalogue metadata
// of the same graphs stays visible; only the records vanish. A
// HiddenRecords is immutable once built and safe for concurrent use; the
// nil *HiddenRecords hides nothing.
type HiddenRecords struct {
	graphs map[graph.Term]map[graph.Term]struct{}
	n      int
}

// ComputeHidden reads, from every graph of r (and the default graph) whose
// records p closes to the caller, the subjects typed (rdf:type) with a
// class isRecord accepts. It is the input of FilterReader; Cache-style
// callers should keep the result (RecordsCache) rather than recompute it
// per request.
func ComputeHidden(ctx context.Context, r graph.Reader, p *Policy, registered bool, isRecord func(class graph.Term) bool) (*HiddenRecords, error) {
	h := &HiddenRecords{graphs: map[graph.Term]map[graph.Term]struct{}{}}
	graphs := []graph.Term{graph.DefaultGraph}
	for g, err := range r.Graphs(ctx) {
		if err != nil {
			return nil, fmt.Errorf("access: list graphs: %w", err)
		}
		graphs = append(graphs, g)
	}
	for _, g := range graphs {
		if p.CanSeeRecords(g, registered) {
			continue
		}
		var set map[graph.Term]struct{}
		for q, err := range r.Quads(ctx, graph.Pattern{P: rdfType, G: g}) {
			if err != nil {
				return nil, fmt.Errorf("access: records of %s: %w", g, err)
			}
			if !isRecord(q.O) {
				continue
			}
			if set == nil {
				set = map[graph.Term]struct{}{}
				h.graphs[g] = set
			}
			if _, ok := set[q.S]; !ok {
				set[q.S] = struct{}{}
				h.n++
			}
		}
	}
	return h, nil
}

// Len returns the number of hidden (graph, subject) pairs.
func (h *HiddenRecords) Len() int {
	if h == nil {
		return 0
	}
	return h.n
}

// Hides reports whether s is a hidden record of graph g.
func (h *HiddenRecords) Hides(g, s graph.Term) bool {
	if h == nil {
		return false
	}
	set, ok := h.graphs[g]
	if !ok {
		return false
	}
	_, ok = set[s]
	return ok
}

// drops reports whether q mentions a hidden record of its graph as subject
// or object.
func (h *HiddenRecords) drops(q graph.Quad) bool {
	set, ok := h.graphs[q.G]
	if !ok {
		return false
	}
	if _, ok := set[q.S]; ok {
		return true
	}
	_, ok = set[q.O]
	return ok
}

// FilterReader returns r without the quads whose subject or object is a
// hidden record of the quad's graph, so a SPARQL query (or a Graph Store
// read) over it cannot reach records the caller may not see. Graphs and
// HasGraph are unchanged (a graph's existence is catalogue metadata); Count
// stays exact. When r has a Stats method the result keeps it, so the
// optimizer still gets statistics (they then over-count, which only
// affects estimates). With nothing hidden it returns r itself.
func FilterReader(r graph.Reader, hidden *HiddenRecords) graph.Reader {
	if hidden.Len() == 0 {
		return r
	}
	f := &filtered{Reader: r, hidden: hidden}
	if s, ok := r.(statser); ok {
		return &filteredStats{filtered: f, statser: s}
	}
	return f
}

// statser is the optional statistics method of stores and snapshots that
// sparql/eval looks for.
type statser interface {
	Stats(ctx context.Context) (*graph.Stats, error)
}

// filtered is FilterReader's result.
type filtered struct {
	graph.Reader
	hidden *HiddenRecords
}

// filteredStats is a filtered reader that passes Stats through.
type filteredStats struct {
	*filtered
	statser
}

// untouched reports whether no quad matching p can be dropped, so the
// underlying reader answers p as it is.
func (f *filtered) untouched(p graph.Pattern) bool {
	if p.G.IsZero() {
		return false
	}
	_, ok := f.hidden.graphs[p.G]
	return !ok
}

// Quads streams the quads of p that mention no hidden record.
func (f *filtered) Quads(ctx context.Context, p graph.Pattern) graph.Quads {
	if f.untouched(p) {
		return f.Reader.Quads(ctx, p)
	}
	return func(yield func(graph.Quad, error) bool) {
		for q, err := range f.Reader.Quads(ctx, p) {
			if err == nil && f.hidden.drops(q) {
				continue
			}
			if !yield(q, err) {
				return
			}
		}
	}
}

// Count counts the quads Quads would stream (exactly: by streaming them
// when a hidden record may match).
func (f *filtered) Count(ctx context.Context, p graph.Pattern) (int64, error) {
	if f.untouched(p) {
		return f.Reader.Count(ctx, p)
	}
	var n int64
	for _, err := range f.Quads(ctx, p) {
		if err != nil {
			return 0, fmt.Errorf("access: count: %w", err)
		}
		n++
	}
	return n, nil
}

// Graphs passes the graph list through unchanged.
func (f *filtered) Graphs(ctx context.Context) iter.Seq2[graph.Term, error] {
	return f.Reader.Graphs(ctx)
}

// RecordsCache keeps the HiddenRecords of each kind of caller (anonymous,
// registered) for the current policy, so that a query pays for computing
// them only after a write or a policy change. Safe for concurrent use.
type RecordsCache struct {
	policy   func() *Policy
	isRecord func(graph.Term) bool

	mu      sync.Mutex
	entries map[recordsKey]*recordsEntry
}

type recordsKey struct {
	policy     *Policy
	registered bool
}

type recordsEntry struct {
	ready  chan struct{}
	hidden *HiddenRecords
	err    error
}

// NewRecordsCache returns a cache reading the policy from policy (for
// instance Cache.Current) and deciding record classes with isRecord.
func NewRecordsCache(policy func() *Policy, isRecord func(class graph.Term) bool) *RecordsCache {
	return &RecordsCache{policy: policy, isRecord: isRecord, entries: map[recordsKey]*recordsEntry{}}
}

// Invalidate drops every cached set after a write to graph g (any write
// may add or retype a record, so g is not consulted).
func (c *RecordsCache) Invalidate(graph.Term) {
	c.mu.Lock()
	clear(c.entries)
	c.mu.Unlock()
}

// Hidden returns the hidden records of a caller, computing them from r
// when the cache has none for the current policy. r should be the
// snapshot the caller's request reads.
func (c *RecordsCache) Hidden(ctx context.Context, r graph.Reader, registered bool) (*HiddenRecords, error) {
	p := c.policy()
	key := recordsKey{policy: p, registered: registered}
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		for k := range c.entries {
			if k.policy != p {
				delete(c.entries, k)
			}
		}
		e = &recordsEntry{ready: make(chan struct{})}
		c.entries[key] = e
	}
	c.mu.Unlock()
	if ok {
		select {
		case <-e.ready:
			if e.err == nil {
				return e.hidden, nil
			}
			// A failed computation (say a cancelled request) is retried
			// below by this caller alone, without caching it.
			return ComputeHidden(ctx, r, p, registered, c.isRecord)
		case <-ctx.Done():
			return nil, fmt.Errorf("access: wait for hidden records: %w", ctx.Err())
		}
	}
	e.hidden, e.err = ComputeHidden(ctx, r, p, registered, c.isRecord)
	close(e.ready)
	if e.err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	return e.hidden, e.err
}

// Filter returns r without the records the caller may not see
// (FilterReader over Hidden).
func (c *RecordsCache) Filter(ctx context.Context, r graph.Reader, registered bool) (graph.Reader, error) {
	h, err := c.Hidden(ctx, r, registered)
	if err != nil {
		return nil, err
	}
	return FilterReader(r, h), nil
}
