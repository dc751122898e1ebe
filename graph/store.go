package graph

import (
	"cmp"
	"context"
	"errors"
	"iter"
	"slices"
)

// Errors a Store returns; callers branch on them with errors.Is.
var (
	// ErrGraphExists: CreateGraph on a graph that exists.
	ErrGraphExists = errors.New("graph: graph already exists")
	// ErrGraphNotFound: DropGraph on a graph that does not exist.
	ErrGraphNotFound = errors.New("graph: graph does not exist")
	// ErrInvalidQuad: a quad that is not RDF 1.1 (literal subject, blank predicate, ...).
	ErrInvalidQuad = errors.New("graph: invalid quad")
	// ErrClosed: use of a closed store, snapshot or finished transaction.
	ErrClosed = errors.New("graph: closed")
	// ErrReadOnly: a write through a read-only store.
	ErrReadOnly = errors.New("graph: read-only")
)

// Reader reads one consistent state of a store.
type Reader interface {
	// Quads streams the quads matching p, each once.
	Quads(ctx context.Context, p Pattern) Quads
	// Count returns the number of quads matching p.
	Count(ctx context.Context, p Pattern) (int64, error)
	// Graphs streams the names of the named graphs (never DefaultGraph).
	// A graph exists from its first quad or CreateGraph until DropGraph.
	Graphs(ctx context.Context) iter.Seq2[Term, error]
	// HasGraph reports whether the named graph g exists; DefaultGraph always does.
	HasGraph(ctx context.Context, g Term) (bool, error)
}

// Snapshot is a read-only view of a store at one moment (snapshot isolation):
// later writes are not visible through it. Release it when done.
type Snapshot interface {
	Reader
	// Release frees the snapshot; using it afterwards returns ErrClosed.
	Release()
}

// Tx is a write transaction. It reads its own writes. Nothing it does is
// visible to others until Store.Update returns nil, and then all of it is.
type Tx interface {
	Reader
	// Add inserts q; adding a quad that is present changes nothing. A zero
	// graph means the default graph.
	Add(q Quad) error
	// Delete removes q if present.
	Delete(q Quad) error
	// CreateGraph makes the empty named graph g; ErrGraphExists if it exists.
	CreateGraph(ctx context.Context, g Term) error
	// ClearGraph removes every quad of g (a named graph or DefaultGraph);
	// the graph goes on existing.
	ClearGraph(ctx context.Context, g Term) error
	// DropGraph removes g and its quads; ErrGraphNotFound if it does not
	// exist. Dropping DefaultGraph clears it.
	DropGraph(ctx context.Context, g Term) error
}

// Store is a quad store. Implementations are safe for concurrent use:
// any number of snapshots, one writer at a time.
type Store interface {
	// Snapshot returns a consistent read-only view of the current state.
	Snapshot(ctx context.Context) (Snapshot, error)
	// Update runs fn in a write transaction. If fn returns nil the changes
	// are committed atomically and durably before Update returns; if fn
	// returns an error, panics, or ctx ends, nothing changes; a panic in fn
	// is recovered and returned as an error, so a bad request cannot take
	// the server down.
	Update(ctx context.Context, fn func(tx Tx) error) error
	// Stats returns counts and optimizer statistics of the current state.
	Stats(ctx context.Context) (*Stats, error)
	// Close releases the store.
	Close() error
}

// Stats describes a store's content, for `tessera stats` and for the
// optimizer's cost model.
type Stats struct {
	// Quads is the total number of quads.
	Quads int64
	// Graphs is the quad count per graph; the default graph is keyed by
	// DefaultGraph and present only when it has quads; named graphs that
	// exist but are empty are present with 0.
	Graphs map[Term]int64
	// Terms is the size of the store's term dictionary, or -1 when unknown.
	// It is a storage figure, not a count of distinct terms in use: a store
	// may leave out small values it inlines and may still count terms no
	// quad uses any more (each store documents which).
	Terms int64
	// DiskBytes is the store's size on disk, 0 for memory stores.
	DiskBytes int64
	// Predicates holds per-predicate statistics over all graphs.
	Predicates map[Term]PredicateStats
}

// PredicateStats counts, for one predicate, what a join-order optimizer
// needs to estimate selectivities.
type PredicateStats struct {
	// Quads is the number of quads with the predicate.
	Quads int64
	// Subjects and Objects are the numbers of distinct subjects and objects;
	// a store may estimate them (see its documentation).
	Subjects, Objects int64
	// FrequentObjects are the objects with the most quads for the
	// predicate (at least FrequentMin each, the MaxFrequent largest) and
	// their exact counts: the classes of rdf:type, the modalities of a
	// study. An average over all objects misjudges exactly these, and they
	// are what filters and joins name. Nil when a store keeps none.
	FrequentObjects map[Term]int64
}

// Bounds of PredicateStats.FrequentObjects.
const (
	// FrequentMin is the fewest quads an object needs to be listed.
	FrequentMin = 256
	// MaxFrequent is the most objects listed per predicate.
	MaxFrequent = 64
)

// TopFrequent returns the entries of counts with at least FrequentMin,
// the MaxFrequent largest (ties broken by term order, so the result does
// not depend on map order), or nil when none qualifies. Stores use it to
// fill PredicateStats.FrequentObjects.
func TopFrequent(counts map[Term]int64) map[Term]int64 {
	type entry struct {
		t Term
		n int64
	}
	var es []entry
	for t, n := range counts {
		if n >= FrequentMin {
			es = append(es, entry{t, n})
		}
	}
	if len(es) == 0 {
		return nil
	}
	slices.SortFunc(es, func(a, b entry) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		return Compare(a.t, b.t)
	})
	out := make(map[Term]int64, min(len(es), MaxFrequent))
	for _, e := range es[:min(len(es), MaxFrequent)] {
		out[e.t] = e.n
	}
	return out
}

// BulkLoader is implemented by stores with a faster path for large loads
// than one Tx.Add per quad (sorting and writing index files directly).
// Load finds it by type assertion, as io.Copy finds io.WriterTo. The
// contract is Load's: all or nothing.
type BulkLoader interface {
	BulkLoad(ctx context.Context, quads Quads, opts LoadOptions) (int64, error)
}
