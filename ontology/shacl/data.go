package shacl

import (
	"context"
	"fmt"

	"github.com/tessera-fair/tessera/graph"
)

// source answers the lookups validation needs against the data graph. The
// validator keeps the first lookup error (sticky, as bufio.Scanner does)
// and returns it from Validate; after an error lookups return nothing.
type source interface {
	objects(s, p graph.Term) []graph.Term
	subjects(p, o graph.Term) []graph.Term
	// outgoing returns every (predicate, object) of s.
	outgoing(s graph.Term) []po
	// incoming returns every (predicate, subject) pointing at o.
	incoming(o graph.Term) []po
	// subjectsOf and objectsOf return the distinct subjects or objects of p.
	subjectsOf(p graph.Term) []graph.Term
	objectsOf(p graph.Term) []graph.Term
}

type po struct{ p, o graph.Term }

// index is the data graph held in memory with the three access paths
// validation uses. Terms are interned as uint32 ids, so each triple costs
// three small edges; lookups are slice reads after one map read per term.
// Building it reads the graph once, whatever store the data came from.
type index struct {
	ids   map[graph.Term]uint32
	terms []graph.Term
	out   csr // subject → (predicate, object)
	in    csr // object → (predicate, subject)
	pred  csr // predicate → (subject, object)
	// trips holds the triples added until build groups them.
	trips [][3]uint32
}

type edge struct{ a, b uint32 }

// csr is a compressed adjacency list: the edges of term id k are
// e[off[k]:off[k+1]]. One array per access path, built once, instead of
// a growing slice per term: building the index of a large graph then
// costs a few allocations rather than millions.
type csr struct {
	off []uint32
	e   []edge
}

func (c *csr) at(k uint32) []edge {
	if int(k)+1 >= len(c.off) {
		return nil
	}
	return c.e[c.off[k]:c.off[k+1]]
}

// group builds the csr of trips keyed by position key, each edge holding
// positions a and b, in the order the triples were added.
func group(n int, trips [][3]uint32, key, a, b int) csr {
	off := make([]uint32, n+1)
	for _, t := range trips {
		off[t[key]+1]++
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	e := make([]edge, len(trips))
	pos := make([]uint32, n)
	copy(pos, off[:n])
	for _, t := range trips {
		e[pos[t[key]]] = edge{t[a], t[b]}
		pos[t[key]]++
	}
	return csr{off: off, e: e}
}

func newIndex() *index {
	return &index{ids: map[graph.Term]uint32{}}
}

func (x *index) intern(t graph.Term) uint32 {
	if id, ok := x.ids[t]; ok {
		return id
	}
	id := uint32(len(x.terms))
	x.ids[t] = id
	x.terms = append(x.terms, t)
	return id
}

// add records a triple; build must run before lookups.
func (x *index) add(s, p, o graph.Term) {
	x.trips = append(x.trips, [3]uint32{x.intern(s), x.intern(p), x.intern(o)})
}

// build groups the triples added into the three access paths.
func (x *index) build() {
	n := len(x.terms)
	x.out = group(n, x.trips, 0, 1, 2)
	x.in = group(n, x.trips, 2, 1, 0)
	x.pred = group(n, x.trips, 1, 0, 2)
	x.trips = nil
}

// loadIndex reads the quads of graph g of r into an index. Quads are
// distinct within one graph (Reader.Quads yields each once), so the index
// holds no duplicates.
func loadIndex(ctx context.Context, r graph.Reader, g graph.Term) (*index, error) {
	x := newIndex()
	// Sized from the graph's size, the tables never grow: rehashing the
	// term table cost a fifth of building it.
	if size, err := r.Count(ctx, graph.Pattern{G: g}); err == nil && size > 0 {
		size = min(size, 1<<24)
		x.ids = make(map[graph.Term]uint32, size/2)
		x.terms = make([]graph.Term, 0, size/2)
		x.trips = make([][3]uint32, 0, size)
	}
	n := 0
	for q, err := range r.Quads(ctx, graph.Pattern{G: g}) {
		if err != nil {
			return nil, fmt.Errorf("read data graph: %w", err)
		}
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		x.add(q.S, q.P, q.O)
	}
	x.build()
	return x, nil
}

// match returns the b of the edges of list whose a is the id of t.
func (x *index) match(list *csr, key, t graph.Term) []graph.Term {
	k, ok := x.ids[key]
	if !ok {
		return nil
	}
	id, ok := x.ids[t]
	if !ok {
		return nil
	}
	var out []graph.Term
	for _, e := range list.at(k) {
		if e.a == id {
			out = append(out, x.terms[e.b])
		}
	}
	return out
}

func (x *index) objects(s, p graph.Term) []graph.Term { return x.match(&x.out, s, p) }

func (x *index) subjects(p, o graph.Term) []graph.Term { return x.match(&x.in, o, p) }

func (x *index) edges(list *csr, t graph.Term) []po {
	k, ok := x.ids[t]
	if !ok {
		return nil
	}
	es := list.at(k)
	out := make([]po, len(es))
	for i, e := range es {
		out[i] = po{x.terms[e.a], x.terms[e.b]}
	}
	return out
}

func (x *index) outgoing(s graph.Term) []po { return x.edges(&x.out, s) }

func (x *index) incoming(o graph.Term) []po { return x.edges(&x.in, o) }

func (x *index) subjectsOf(p graph.Term) []graph.Term { return x.ofPred(p, true) }

func (x *index) objectsOf(p graph.Term) []graph.Term { return x.ofPred(p, false) }

func (x *index) ofPred(p graph.Term, subj bool) []graph.Term {
	k, ok := x.ids[p]
	if !ok {
		return nil
	}
	seen := map[uint32]struct{}{}
	var out []graph.Term
	for _, e := range x.pred.at(k) {
		id := e.b
		if subj {
			id = e.a
		}
		if _, dup := seen[id]; !dup {
			seen[id] = struct{}{}
			out = append(out, x.terms[id])
		}
	}
	return out
}

// direct answers lookups with pattern queries on the reader, for indexed
// stores whose data graph is too large to copy into memory.
type direct struct {
	ctx context.Context
	r   graph.Reader
	g   graph.Term
	err *error
}

func (d direct) scan(p graph.Pattern, pick func(graph.Quad) graph.Term) []graph.Term {
	if *d.err != nil {
		return nil
	}
	p.G = d.g
	var out []graph.Term
	for q, err := range d.r.Quads(d.ctx, p) {
		if err != nil {
			*d.err = fmt.Errorf("read data graph: %w", err)
			return nil
		}
		out = append(out, pick(q))
	}
	return out
}

func (d direct) objects(s, p graph.Term) []graph.Term {
	return d.scan(graph.Pattern{S: s, P: p}, func(q graph.Quad) graph.Term { return q.O })
}

func (d direct) subjects(p, o graph.Term) []graph.Term {
	return d.scan(graph.Pattern{P: p, O: o}, func(q graph.Quad) graph.Term { return q.S })
}

func (d direct) outgoing(s graph.Term) []po {
	return d.edges(graph.Pattern{S: s}, func(q graph.Quad) po { return po{q.P, q.O} })
}

func (d direct) incoming(o graph.Term) []po {
	return d.edges(graph.Pattern{O: o}, func(q graph.Quad) po { return po{q.P, q.S} })
}

func (d direct) edges(p graph.Pattern, pick func(graph.Quad) po) []po {
	if *d.err != nil {
		return nil
	}
	p.G = d.g
	var out []po
	for q, err := range d.r.Quads(d.ctx, p) {
		if err != nil {
			*d.err = fmt.Errorf("read data graph: %w", err)
			return nil
		}
		out = append(out, pick(q))
	}
	return out
}

func (d direct) subjectsOf(p graph.Term) []graph.Term {
	return appendDistinct(nil, map[graph.Term]struct{}{}, d.scan(graph.Pattern{P: p}, func(q graph.Quad) graph.Term { return q.S }))
}

func (d direct) objectsOf(p graph.Term) []graph.Term {
	return appendDistinct(nil, map[graph.Term]struct{}{}, d.scan(graph.Pattern{P: p}, func(q graph.Quad) graph.Term { return q.O }))
}
