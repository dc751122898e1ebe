package badgerstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"math/bits"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"

	"github.com/tessera-fair/tessera/graph"
)

// ctxEvery is how many keys a scan reads between two ctx checks.
const ctxEvery = 1024

// source is what a reader reads from: a snapshot or a write transaction.
type source interface {
	// begin returns the version to read; pinned says whether the read must
	// pin it against garbage collection for its duration.
	begin() (ts uint64, pinned bool, err error)
}

// reader implements graph.Reader over a source.
type reader struct {
	s   *Store
	src source
}

// snapshot is a graph.Snapshot at one committed version.
type snapshot struct {
	reader
	ts       uint64
	released atomic.Bool
}

func (sn *snapshot) begin() (uint64, bool, error) {
	if sn.released.Load() {
		return 0, false, graph.ErrClosed
	}
	return sn.ts, true, nil
}

// Release unpins the snapshot's version.
func (sn *snapshot) Release() {
	if sn.released.CompareAndSwap(false, true) {
		sn.s.unpin(sn.ts)
	}
}

// open starts a read: it registers with the store, pins the version and
// opens a badger read transaction. The returned func ends the read.
func (r reader) open() (*badger.Txn, uint64, func(), error) {
	if err := r.s.enter(); err != nil {
		return nil, 0, nil, err
	}
	ts, pinned, err := r.src.begin()
	if err != nil {
		r.s.leave()
		return nil, 0, nil, err
	}
	if pinned {
		r.s.pin(ts)
	}
	txn := r.s.db.NewTransactionAt(ts, false)
	return txn, ts, func() {
		txn.Discard()
		if pinned {
			r.s.unpin(ts)
		}
		r.s.leave()
	}, nil
}

// Quads streams the quads matching p with one prefix scan of the index
// whose leading positions are p's bound ones.
func (r reader) Quads(ctx context.Context, p graph.Pattern) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(graph.Quad{}, err)
			return
		}
		txn, _, done, err := r.open()
		if err != nil {
			yield(graph.Quad{}, err)
			return
		}
		defer done()
		sc, ok, err := r.s.plan(txn, p)
		if err != nil || !ok {
			if err != nil {
				yield(graph.Quad{}, err)
			}
			return
		}
		var derr error
		err = r.s.scanIndex(ctx, txn, sc, func(ids *[4]uint64) bool {
			var q graph.Quad
			if q, derr = r.s.decodeQuad(txn, ids, &p); derr != nil {
				return false
			}
			return yield(q, nil)
		})
		if err = cmp.Or(err, derr); err != nil {
			yield(graph.Quad{}, err)
		}
	}
}

// scanIndex calls fn with the ids of each key of sc until fn returns false,
// checking ctx every ctxEvery keys.
func (s *Store) scanIndex(ctx context.Context, txn *badger.Txn, sc keyRange, fn func(ids *[4]uint64) bool) error {
	it := s.keyIterator(txn, sc.prefix)
	defer it.Close()
	var ids [4]uint64
	n := 0
	for it.Seek(sc.prefix); it.Valid(); it.Next() {
		if n++; n%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		key := it.Item().Key()
		if sc.skips(key) {
			continue
		}
		readQuadKey(key, sc.ix, &ids)
		if !fn(&ids) {
			return nil
		}
	}
	return nil
}

// Count counts the keys of the matching prefix without decoding them.
func (r reader) Count(ctx context.Context, p graph.Pattern) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	txn, ts, done, err := r.open()
	if err != nil {
		return 0, err
	}
	defer done()
	if n, ok := r.s.countFromStats(ts, p); ok {
		return n, nil
	}
	sc, ok, err := r.s.plan(txn, p)
	if err != nil || !ok {
		return 0, err
	}
	return r.s.countRange(ctx, txn, sc)
}

// keyIterator iterates over the latest live version of the keys with prefix,
// without reading values (the zero IteratorOptions: no value prefetch;
// Prefix lets badger skip the tables whose key range misses it).
//
// An iterator copies each level's table list when it is created, and
// badger's StreamWriter appends tables to a level unsorted until its Flush
// sorts them in place; an iterator created in between could stop early. So
// creation waits while a bulk load holds the gate; iterators already open
// are safe (the level they would see was empty when they were created).
func (s *Store) keyIterator(txn *badger.Txn, prefix []byte) *badger.Iterator {
	s.gate.RLock()
	defer s.gate.RUnlock()
	return txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
}

// countRange counts the keys of sc without decoding them.
func (s *Store) countRange(ctx context.Context, txn *badger.Txn, sc keyRange) (int64, error) {
	it := s.keyIterator(txn, sc.prefix)
	defer it.Close()
	var n, seen int64
	for it.Seek(sc.prefix); it.Valid(); it.Next() {
		if seen++; seen%ctxEvery == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if !sc.skips(it.Item().Key()) {
			n++
		}
	}
	return n, nil
}

// Graphs streams the named graphs of the registry.
func (r reader) Graphs(ctx context.Context) iter.Seq2[graph.Term, error] {
	return func(yield func(graph.Term, error) bool) {
		txn, _, done, err := r.open()
		if err != nil {
			yield(graph.Term{}, err)
			return
		}
		defer done()
		prefix := []byte{pfxGraph}
		it := r.s.keyIterator(txn, prefix)
		defer it.Close()
		for it.Seek(prefix); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				yield(graph.Term{}, err)
				return
			}
			g, err := r.s.decode(txn, binary.BigEndian.Uint64(it.Item().Key()[1:]))
			if err != nil {
				yield(graph.Term{}, err)
				return
			}
			if !yield(g, nil) {
				return
			}
		}
	}
}

// HasGraph reports whether g is the default graph or a registered one.
func (r reader) HasGraph(ctx context.Context, g graph.Term) (bool, error) {
	if g.IsZero() || g.IsDefaultGraph() {
		return true, nil
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	txn, _, done, err := r.open()
	if err != nil {
		return false, err
	}
	defer done()
	return r.s.hasGraph(txn, g)
}

func (s *Store) hasGraph(txn *badger.Txn, g graph.Term) (bool, error) {
	if !g.IsIRI() && !g.IsBlank() {
		return false, nil
	}
	id, ok, err := s.lookup(txn, g)
	if err != nil || !ok {
		return false, err
	}
	switch _, err := txn.Get(idKey(pfxGraph, id)); {
	case errors.Is(err, badger.ErrKeyNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("badgerstore: read graph registry: %w", err)
	}
	return true, nil
}

// plan chooses the key range to scan for p. ok is false when a bound term
// is not in the store, so nothing can match.
func (s *Store) plan(txn *badger.Txn, p graph.Pattern) (keyRange, bool, error) {
	var ids [4]uint64
	mask := 0
	for pos, t := range [4]graph.Term{p.S, p.P, p.O, p.G} {
		if t.IsZero() {
			continue
		}
		mask |= 1 << pos
		if pos == posG && t.IsDefaultGraph() {
			continue // id 0
		}
		if t.IsDefaultGraph() {
			return keyRange{}, false, nil
		}
		id, ok, err := s.lookup(txn, t)
		if err != nil || !ok {
			return keyRange{}, false, err
		}
		ids[pos] = id
	}
	return rangeFor(&ids, mask), true, nil
}

// keyRange is the key range that answers a pattern: an index, the key
// prefix of the pattern's bound ids, and whether keys of named graphs in
// the range are skipped (a pattern in the default graph, see quadIndexes).
type keyRange struct {
	ix          *index
	prefix      []byte
	defaultOnly bool
}

// skips reports whether key, in the range, is not in the pattern's graph.
func (r keyRange) skips(key []byte) bool {
	return r.defaultOnly && binary.BigEndian.Uint64(key[gSlot:]) != 0
}

// rangeFor chooses the key range for the positions of mask (bit i set:
// ids[i] is bound).
func rangeFor(ids *[4]uint64, mask int) keyRange {
	if mask&(1<<posG) != 0 && ids[posG] == 0 {
		ix, prefix := indexPrefix(ids, mask&^(1<<posG))
		return keyRange{ix: ix, prefix: prefix, defaultOnly: true}
	}
	ix, prefix := indexPrefix(ids, mask)
	return keyRange{ix: ix, prefix: prefix}
}

// indexPrefix chooses the index for the positions of mask (bit i set: ids[i]
// is bound) and builds the key prefix of those ids.
func indexPrefix(ids *[4]uint64, mask int) (*index, []byte) {
	ix := &indexes[plan[mask]]
	k := bits.OnesCount(uint(mask))
	prefix := make([]byte, 1+8*k)
	prefix[0] = ix.prefix
	for i, pos := range ix.order[:k] {
		binary.BigEndian.PutUint64(prefix[1+8*i:], ids[pos])
	}
	return ix, prefix
}

// lookup returns the id of t if t is stored (inline terms always are). A
// hashed id whose dictionary entry holds another term means t is absent.
func (s *Store) lookup(txn *badger.Txn, t graph.Term) (uint64, bool, error) {
	if id, ok := inlineID(t); ok {
		return id, true, nil
	}
	enc, id, check := s.termKey(t)
	return s.lookupKeyed(txn, enc, id, check)
}

// termKey returns a non-inline term's encoding, its id and the second,
// independent hash the presence caches check.
func (s *Store) termKey(t graph.Term) (enc []byte, id, check uint64) {
	enc = appendEncoding(make([]byte, 0, 64), t)
	return enc, hashedID(t.Kind(), s.hash(enc)), maphash.Bytes(s.seed, enc)
}

// lookupKeyed is lookup with termKey's results.
func (s *Store) lookupKeyed(txn *badger.Txn, enc []byte, id, check uint64) (uint64, bool, error) {
	if s.known.has(id, check) {
		return id, true, nil
	}
	stored, ok, err := getDict(txn, id)
	if err != nil || !ok || !bytes.Equal(stored, enc) {
		return 0, false, err
	}
	s.known.add(id, check)
	return id, true, nil
}

// getDict reads the dictionary entry of id.
func getDict(txn *badger.Txn, id uint64) ([]byte, bool, error) {
	item, err := txn.Get(idKey(pfxDict, id))
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("badgerstore: read dictionary: %w", err)
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return nil, false, fmt.Errorf("badgerstore: read dictionary: %w", err)
	}
	return v, true, nil
}

// decode returns the term of id, through the decode cache.
func (s *Store) decode(txn *badger.Txn, id uint64) (graph.Term, error) {
	if !isHashed(id) {
		return decodeInline(id)
	}
	if t, ok := s.terms.get(id); ok {
		return t, nil
	}
	item, err := txn.Get(idKey(pfxDict, id))
	if err != nil {
		if errors.Is(err, badger.ErrKeyNotFound) {
			return graph.Term{}, fmt.Errorf("badgerstore: term %016x has no dictionary entry: %w", id, errBadEncoding)
		}
		return graph.Term{}, fmt.Errorf("badgerstore: read dictionary: %w", err)
	}
	var t graph.Term
	err = item.Value(func(v []byte) error {
		t, err = decodeTerm(v)
		if err == nil {
			// The entry is this id's term: a later lookup of the same term
			// (a join probing with the value just read) needs no Get.
			s.known.add(id, maphash.Bytes(s.seed, v))
		}
		return err
	})
	if err != nil {
		return graph.Term{}, fmt.Errorf("badgerstore: decode term %016x: %w", id, err)
	}
	s.terms.put(id, t)
	return t, nil
}

// decodeQuad decodes the quad of ids matched by p. The positions p binds
// are taken from p rather than decoded: they are the same terms (the scan's
// prefix holds their ids), and a nested-loop join probes with bound subjects
// and predicates far more often than it reads new ones.
func (s *Store) decodeQuad(txn *badger.Txn, ids *[4]uint64, p *graph.Pattern) (graph.Quad, error) {
	ts := [4]graph.Term{p.S, p.P, p.O, p.G}
	for i, id := range ids {
		if !ts[i].IsZero() {
			continue
		}
		t, err := s.decode(txn, id)
		if err != nil {
			return graph.Quad{}, err
		}
		ts[i] = t
	}
	return graph.Quad{S: ts[posS], P: ts[posP], O: ts[posO], G: ts[posG]}, nil
}
