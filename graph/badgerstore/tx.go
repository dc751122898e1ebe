package badgerstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"

	"github.com/dgraph-io/badger/v4"

	"github.com/tessera-fair/tessera/graph"
)

const (
	// maxBatchTerms bounds the dictionary entries a batch holds before it is
	// flushed: the collision check of a new term must see every entry the
	// transaction wrote, and entries still in the batch are only in newDict.
	maxBatchTerms = 1 << 18
	// maxTxGraphs bounds the named graphs a transaction remembers having
	// registered; past it, every quad re-registers its graph.
	maxTxGraphs = 1 << 12
	slabSize    = 64 << 10
)

// tx is a write transaction. Writes go into a badger write batch at version
// ver. A batch holds only additions or only deletions, so that no key gets
// two different values at one version; switching kind, reading, or a full
// dictionary buffer flushes the batch and moves to the next version. Reads
// happen at readTs, the version of the last flushed batch.
type tx struct {
	reader
	s      *Store
	ctx    context.Context
	done   bool
	base   uint64 // the visible version when the transaction began
	readTs uint64 // reads see everything flushed so far
	ver    uint64 // version of the current (or next) batch
	marked bool   // the pending record is written

	wb      *batch              // the current batch, nil after a flush
	ents    []entry             // the batches' sort buffer, reused
	newDict map[uint64]uint64   // dictionary entries in the batch: id → check hash
	graphs  map[uint64]struct{} // named graphs registered by this transaction
	rtxn    *badger.Txn         // read transaction at readTs for dictionary checks
	enc     []byte              // encoding buffer
	slab    []byte              // key and value memory handed to badger
}

var _ graph.Tx = (*tx)(nil)

func (s *Store) newTx(ctx context.Context) *tx {
	v := s.visible.Load()
	t := &tx{s: s, ctx: ctx, base: v, readTs: v, ver: v + 1,
		newDict: map[uint64]uint64{}, graphs: map[uint64]struct{}{}}
	t.reader = reader{s: s, src: t}
	return t
}

// begin flushes the batch so that reads see the transaction's own writes.
func (t *tx) begin() (uint64, bool, error) {
	if t.done {
		return 0, false, graph.ErrClosed
	}
	if err := t.flush(); err != nil {
		return 0, false, err
	}
	return t.readTs, false, nil
}

// alloc returns n bytes that stay untouched until badger has them written.
func (t *tx) alloc(n int) []byte {
	if len(t.slab) < n {
		t.slab = make([]byte, slabSize)
	}
	b := t.slab[:n:n]
	t.slab = t.slab[n:]
	return b
}

// batch returns the write batch for writes of one kind (deletions or
// additions), flushing the current one if it holds the other kind. The
// first write of the transaction durably records that a write is pending,
// so that Open rolls it back if the process dies before the commit.
func (t *tx) batch(deletes bool) (*batch, error) {
	if t.done {
		return nil, graph.ErrClosed
	}
	if t.wb != nil && t.wb.del != deletes {
		if err := t.flush(); err != nil {
			return nil, err
		}
	}
	if t.wb == nil {
		if !t.marked {
			if err := t.s.writeMeta(t.ver, meta{visible: t.base, pending: true}); err != nil {
				return nil, err
			}
			t.marked = true
			t.ver++
			t.readTs = t.ver - 1
		}
		t.wb = newBatch(t.s.db, t.ver, deletes, t.ents)
	}
	return t.wb, nil
}

// flush writes the batch and moves to the next version.
func (t *tx) flush() error {
	if t.wb == nil {
		return nil
	}
	err := t.wb.flush()
	t.ents, t.wb = t.wb.ents, nil
	t.readTs, t.ver = t.ver, t.ver+1
	clear(t.newDict)
	if t.rtxn != nil {
		t.rtxn.Discard()
		t.rtxn = nil
	}
	if err != nil {
		return fmt.Errorf("badgerstore: write: %w", err)
	}
	return nil
}

// read returns a read transaction at readTs for dictionary lookups.
func (t *tx) read() *badger.Txn {
	if t.rtxn == nil {
		t.rtxn = t.s.db.NewTransactionAt(t.readTs, false)
	}
	return t.rtxn
}

func quadTerms(q graph.Quad) [4]graph.Term { return [4]graph.Term{q.S, q.P, q.O, q.G} }

// Add writes q's six index keys, its new terms' dictionary entries and, for
// a graph new to this transaction, the graph's registry key. It does not
// read whether q is present: writing a present key again changes nothing.
func (t *tx) Add(q graph.Quad) error {
	q = q.Normalize()
	if !q.Valid() {
		return fmt.Errorf("badgerstore: add %v: %w", q, graph.ErrInvalidQuad)
	}
	wb, err := t.batch(false)
	if err != nil {
		return err
	}
	var ids [4]uint64
	for i, term := range quadTerms(q) {
		if ids[i], err = t.termID(wb, term); err != nil {
			return fmt.Errorf("badgerstore: add %v: %w", q, err)
		}
	}
	if g := ids[posG]; g != 0 {
		if err := t.register(wb, g); err != nil {
			return err
		}
	}
	for _, ix := range quadIndexes(ids[posG]) {
		key := t.alloc(quadKeyLen)
		putQuadKey(key, &ix, &ids)
		if err := wb.set(key, nil); err != nil {
			return fmt.Errorf("badgerstore: add %v: %w", q, err)
		}
	}
	if len(t.newDict) >= maxBatchTerms {
		return t.flush()
	}
	return nil
}

// register records that the named graph id exists.
func (t *tx) register(wb *batch, id uint64) error {
	if _, ok := t.graphs[id]; ok {
		return nil
	}
	key := t.alloc(idKeyLen)
	key[0] = pfxGraph
	binary.BigEndian.PutUint64(key[1:], id)
	if err := wb.set(key, nil); err != nil {
		return fmt.Errorf("badgerstore: register graph: %w", err)
	}
	if len(t.graphs) < maxTxGraphs {
		t.graphs[id] = struct{}{}
	}
	return nil
}

// termID returns the id of a term being added, writing its dictionary entry
// if the store does not have it. A term the store has under its id is found
// in the presence cache, in the batch (newDict) or by a point read; an entry
// holding a different term is a collision and fails the write.
func (t *tx) termID(wb *batch, term graph.Term) (uint64, error) {
	if id, ok := inlineID(term); ok {
		return id, nil
	}
	t.enc = appendEncoding(t.enc[:0], term)
	id := hashedID(term.Kind(), t.s.hash(t.enc))
	check := maphash.Bytes(t.s.seed, t.enc)
	if t.s.known.has(id, check) {
		return id, nil
	}
	if c, ok := t.newDict[id]; ok {
		if c == check {
			return id, nil
		}
		return 0, t.collision(term, id)
	}
	stored, ok, err := getDict(t.read(), id)
	if err != nil {
		return 0, err
	}
	if ok {
		if !bytes.Equal(stored, t.enc) {
			return 0, t.collision(term, id)
		}
		t.s.known.add(id, check)
		return id, nil
	}
	key := t.alloc(idKeyLen)
	key[0] = pfxDict
	binary.BigEndian.PutUint64(key[1:], id)
	val := append(t.alloc(len(t.enc))[:0], t.enc...)
	if err := wb.set(key, val); err != nil {
		return 0, err
	}
	t.newDict[id] = check
	t.s.known.add(id, check)
	return id, nil
}

func (t *tx) collision(term graph.Term, id uint64) error {
	other := "a term written earlier in this transaction"
	if err := t.flush(); err == nil {
		if o, err := t.s.decode(t.read(), id); err == nil {
			other = o.String()
		}
	}
	return fmt.Errorf("%v and %s share id %016x: %w", term, other, id, ErrCollision)
}

// findID returns the id of a term for a deletion; ok is false if the term
// is not stored, so no quad with it can exist.
func (t *tx) findID(term graph.Term) (uint64, bool, error) {
	if id, ok := inlineID(term); ok {
		return id, true, nil
	}
	t.enc = appendEncoding(t.enc[:0], term)
	id := hashedID(term.Kind(), t.s.hash(t.enc))
	check := maphash.Bytes(t.s.seed, t.enc)
	if c, ok := t.newDict[id]; ok {
		return id, c == check, nil
	}
	if t.s.known.has(id, check) {
		return id, true, nil
	}
	stored, ok, err := getDict(t.read(), id)
	if err != nil || !ok || !bytes.Equal(stored, t.enc) {
		return 0, false, err
	}
	return id, true, nil
}

// Delete writes deletions of q's six index keys; terms stay in the
// dictionary.
func (t *tx) Delete(q graph.Quad) error {
	if t.done {
		return graph.ErrClosed
	}
	q = q.Normalize()
	if !q.Valid() {
		return nil // never stored
	}
	var ids [4]uint64
	for i, term := range quadTerms(q) {
		id, ok, err := t.findID(term)
		if err != nil {
			return fmt.Errorf("badgerstore: delete %v: %w", q, err)
		}
		if !ok {
			return nil
		}
		ids[i] = id
	}
	return t.deleteIDs(&ids)
}

func (t *tx) deleteIDs(ids *[4]uint64) error {
	wb, err := t.batch(true)
	if err != nil {
		return err
	}
	for _, ix := range quadIndexes(ids[posG]) {
		key := t.alloc(quadKeyLen)
		putQuadKey(key, &ix, ids)
		if err := wb.set(key, nil); err != nil {
			return fmt.Errorf("badgerstore: delete: %w", err)
		}
	}
	return nil
}

// CreateGraph registers the empty named graph g.
func (t *tx) CreateGraph(ctx context.Context, g graph.Term) error {
	if t.done {
		return graph.ErrClosed
	}
	if g.IsZero() || g.IsDefaultGraph() {
		return fmt.Errorf("badgerstore: create graph %v: %w", g, graph.ErrGraphExists)
	}
	if !g.IsIRI() && !g.IsBlank() {
		return fmt.Errorf("badgerstore: create graph %v: %w", g, graph.ErrInvalidQuad)
	}
	ok, err := t.HasGraph(ctx, g)
	if err != nil {
		return err
	}
	if ok {
		return fmt.Errorf("badgerstore: create graph %v: %w", g, graph.ErrGraphExists)
	}
	wb, err := t.batch(false)
	if err != nil {
		return err
	}
	id, err := t.termID(wb, g)
	if err != nil {
		return fmt.Errorf("badgerstore: create graph %v: %w", g, err)
	}
	delete(t.graphs, id)
	return t.register(wb, id)
}

// ClearGraph deletes every quad of g, found by a scan of its GSPO range
// (for the default graph, of SPOG, skipping named graphs' keys).
func (t *tx) ClearGraph(ctx context.Context, g graph.Term) error {
	_, err := t.clear(ctx, g)
	return err
}

// clear deletes g's quads and returns g's id (0 with ok false when g is not
// stored).
func (t *tx) clear(ctx context.Context, g graph.Term) (uint64, error) {
	if g.IsZero() {
		g = graph.DefaultGraph
	}
	txn, _, done, err := t.open()
	if err != nil {
		return 0, err
	}
	defer done()
	sc, ok, err := t.s.plan(txn, graph.Pattern{G: g})
	if err != nil || !ok {
		return 0, err
	}
	var derr error
	err = t.s.scanIndex(ctx, txn, sc, func(ids *[4]uint64) bool {
		derr = t.deleteIDs(ids)
		return derr == nil
	})
	if err = cmp.Or(err, derr); err != nil {
		return 0, err
	}
	if sc.defaultOnly {
		return 0, nil
	}
	return binary.BigEndian.Uint64(sc.prefix[1:]), nil
}

// DropGraph clears g and removes it from the graph registry.
func (t *tx) DropGraph(ctx context.Context, g graph.Term) error {
	if g.IsZero() || g.IsDefaultGraph() {
		return t.ClearGraph(ctx, graph.DefaultGraph)
	}
	ok, err := t.HasGraph(ctx, g)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("badgerstore: drop graph %v: %w", g, graph.ErrGraphNotFound)
	}
	id, err := t.clear(ctx, g)
	if err != nil {
		return err
	}
	wb, err := t.batch(true)
	if err != nil {
		return err
	}
	delete(t.graphs, id)
	if err := wb.set(idKey(pfxGraph, id), nil); err != nil {
		return fmt.Errorf("badgerstore: drop graph %v: %w", g, err)
	}
	return nil
}

// commit makes the transaction visible: flush its last batch, sync, then
// durably move the commit record to a version above all its writes.
func (t *tx) commit() error {
	if !t.marked {
		t.release()
		return nil // nothing written
	}
	if err := t.flush(); err != nil {
		return err
	}
	t.release()
	if err := t.s.sync(); err != nil {
		return err
	}
	if err := t.s.writeMeta(t.ver, meta{visible: t.ver}); err != nil {
		return err
	}
	t.s.publish(t.ver)
	return nil
}

// rollback undoes whatever reached badger, so that the store is exactly as
// at version base again.
func (t *tx) rollback() error {
	if t.wb != nil {
		t.wb.cancel() // waits for the batch's in-flight writes
		t.wb = nil
	}
	t.release()
	if !t.marked {
		return nil
	}
	if err := t.s.compensate(t.base, t.ver+1); err != nil {
		t.s.dirty = true
		return err
	}
	return nil
}

func (t *tx) release() {
	if t.rtxn != nil {
		t.rtxn.Discard()
		t.rtxn = nil
	}
}
