package badgerstore

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"

	"github.com/tessera-fair/tessera/graph"
)

const (
	// bulkDir, inside the store's directory, holds a bulk load's run files;
	// Open removes what a crash left.
	bulkDir             = "bulk.tmp"
	defaultBulkMinQuads = 100_000
	defaultBulkMemory   = 128 << 20
	// pfxFlush is a key prefix no data uses: BulkLoad writes one such key
	// and drops the prefix, which is how badger flushes its memtables.
	pfxFlush = 0x30
	// streamBatch is the size of the marshalled batches handed to the
	// StreamWriter. badger decodes each batch into one allocation per key
	// and queues up to four per stream: 256 KiB rather than 1 MiB keeps
	// that garbage, and the page faults of a growing Go heap, smaller
	// (about a tenth fewer faults over a 1M-triple load).
	streamBatch = 1 << 18
	// seenSlots sizes a bulk load's cache of terms it queued already.
	seenSlots = 1 << 20
)

var _ graph.BulkLoader = (*Store)(nil)

// BulkLoad adds a stream of quads with graph.Load's contract (all or
// nothing, opts.Graph, opts.Replace, opts.Progress, ctx) but, from
// Options.BulkMinQuads quads on, without badger's write path: phase 1 turns
// the quads into ids and sorted runs (memory bounded by Options.BulkMemory,
// full buffers spilled to files) and checks the new dictionary entries
// against each other and the store, touching nothing; phase 2 merges the
// runs into badger's StreamWriter, which writes sorted tables directly, at
// one new version, committed like Update. Smaller loads run as one Update.
// See the package doc for the design and its figures.
func (s *Store) BulkLoad(ctx context.Context, quads graph.Quads, opts graph.LoadOptions) (n int64, err error) {
	if s.opts.ReadOnly {
		return 0, graph.ErrReadOnly
	}
	if opts.Replace && opts.Graph.IsZero() {
		return 0, fmt.Errorf("badgerstore: bulk load: replace needs a graph")
	}
	every := opts.ProgressEvery
	if every <= 0 {
		every = 100_000
	}
	if opts.Progress != nil {
		defer func() { opts.Progress(n) }()
	}
	// As Update does, a panic (in the caller's stream) becomes an error;
	// the deferred close below has released the run files and the lock.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("badgerstore: bulk load panicked: %v", r)
		}
	}()
	minQuads := s.opts.BulkMinQuads
	if minQuads <= 0 {
		minQuads = defaultBulkMinQuads
	}
	// The first quads wait in chunks (appending to one slice would copy
	// them as it grows) until the load is large enough for the bulk path.
	var small [][]graph.Quad
	buffered := 0
	var b *bulk
	var p *pipe
	defer func() {
		if p != nil {
			p.abort()
		}
		if b != nil {
			b.close()
		}
	}()
	for q, qerr := range quads {
		if qerr != nil {
			return n, qerr
		}
		if !opts.Graph.IsZero() {
			q.G = opts.Graph
		}
		n++
		switch {
		case p != nil:
			err = p.put(q)
		case buffered+1 < minQuads:
			if len(small) == 0 || len(small[len(small)-1]) == cap(small[len(small)-1]) {
				small = append(small, make([]graph.Quad, 0, min(minQuads, 1<<12)))
			}
			small[len(small)-1] = append(small[len(small)-1], q)
			buffered++
		default:
			if b, err = s.startBulk(ctx, opts); err != nil {
				return n, err
			}
			p = b.startPipe()
		queued:
			for _, chunk := range small {
				for _, q := range chunk {
					if err = p.put(q); err != nil {
						break queued
					}
				}
			}
			small = nil
			if err == nil {
				err = p.put(q)
			}
		}
		if err != nil {
			return n, err
		}
		if n%every == 0 {
			if err := ctx.Err(); err != nil {
				return n, err
			}
			if opts.Progress != nil {
				opts.Progress(n)
			}
		}
	}
	if b == nil {
		return n, s.Update(ctx, func(tx graph.Tx) error {
			if err := graph.PrepareLoad(ctx, tx, opts); err != nil {
				return err
			}
			for _, chunk := range small {
				for _, q := range chunk {
					if err := tx.Add(q); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	if err := p.finish(); err != nil {
		return n, err
	}
	if err := ctx.Err(); err != nil {
		return n, err
	}
	return n, b.finish()
}

const (
	// pipeBatch is the number of quads a pipe hands over at a time, and
	// pipeDepth how many batches may wait.
	pipeBatch = 1024
	pipeDepth = 4
)

// pipe runs a bulk load's phase 1 on two cores: the caller's goroutine
// reads the stream (parsing, for a file) and hands the quads over in
// batches to a goroutine that turns them into ids and runs (bulk.add).
type pipe struct {
	b      *bulk
	cur    []graph.Quad
	full   chan []graph.Quad // to the id goroutine
	free   chan []graph.Quad // emptied batches, back to the reader
	done   chan struct{}     // closed when the id goroutine has returned
	stop   atomic.Bool       // set by abort: drop what is queued
	closed bool              // full is closed
	err    error             // the id goroutine's error, read after done
}

// startPipe starts the id goroutine, which owns b until finish or abort
// returns.
func (b *bulk) startPipe() *pipe {
	p := &pipe{b: b, full: make(chan []graph.Quad, pipeDepth), free: make(chan []graph.Quad, pipeDepth+2), done: make(chan struct{})}
	for range pipeDepth + 1 {
		p.free <- make([]graph.Quad, 0, pipeBatch)
	}
	p.cur = <-p.free
	go p.run()
	return p
}

func (p *pipe) run() {
	defer close(p.done)
	defer func() {
		if r := recover(); r != nil {
			p.err = fmt.Errorf("badgerstore: bulk load panicked: %v", r)
		}
	}()
	for batch := range p.full {
		if p.stop.Load() {
			return
		}
		for _, q := range batch {
			if err := p.b.add(q); err != nil {
				p.err = err
				return
			}
		}
		clear(batch) // the quads' strings can go
		p.free <- batch[:0]
	}
}

// put queues q; it returns the id goroutine's error once it has failed.
func (p *pipe) put(q graph.Quad) error {
	p.cur = append(p.cur, q)
	if len(p.cur) < pipeBatch {
		return nil
	}
	select {
	case p.full <- p.cur:
	case <-p.done:
		return p.err
	}
	select {
	case p.cur = <-p.free:
	case <-p.done:
		return p.err
	}
	return nil
}

// finish hands over the last batch and waits until every quad is in the
// runs.
func (p *pipe) finish() error {
	if len(p.cur) > 0 {
		select {
		case p.full <- p.cur:
		case <-p.done:
		}
	}
	p.cur = nil
	p.closed = true
	close(p.full)
	<-p.done
	return p.err
}

// abort stops the id goroutine and waits for it; it may be called after
// finish.
func (p *pipe) abort() {
	p.stop.Store(true)
	if !p.closed {
		p.closed = true
		close(p.full)
	}
	<-p.done
}

// bulk is a bulk load in progress. It holds the store's writer lock from
// start to close, so the state it reads (the presence cache, the graph it
// replaces, the dictionary) is the one it writes over.
type bulk struct {
	s    *Store
	ctx  context.Context
	dir  string
	base uint64 // the visible version the load builds on

	adds, dels []quadRec // in SPOG slot order (= position order)
	dict       []dictRec
	arena      []byte
	spare      []quadRec // the second worker's copy of a buffer
	seen       *presence // terms queued by this load (or known stored)
	enc        []byte
	runs       int // spilled runs: run-<k>-<index>-{a,d}, run-<k>-dict
	dictFinal  string
	newTerms   int64
	restoreGC  func() // see lowerGC
	// named of total queued quads (additions and deletions) are in named
	// graphs: the share of the work of the G-led indexes.
	named, total int
}

func (s *Store) hook(stage string) {
	if s.bulkHook != nil {
		s.bulkHook(stage)
	}
}

// startBulk takes the writer lock and prepares phase 1.
func (s *Store) startBulk(ctx context.Context, opts graph.LoadOptions) (*bulk, error) {
	s.writer.Lock()
	unlock := true
	defer func() {
		if unlock {
			s.writer.Unlock()
		}
	}()
	if s.closed.Load() {
		return nil, graph.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.dirty {
		if err := s.recoverWrites(); err != nil {
			return nil, fmt.Errorf("badgerstore: bulk load: %w", err)
		}
	}
	dir := filepath.Join(s.dir, bulkDir)
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("badgerstore: bulk load: %w", err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("badgerstore: bulk load: %w", err)
	}
	mem := s.opts.BulkMemory
	if mem <= 0 {
		mem = defaultBulkMemory
	}
	gcPercent := s.opts.BulkGCPercent
	if gcPercent == 0 {
		gcPercent = defaultBulkGCPercent
	}
	// Capacities are fixed up front so a buffer never grows by doubling past
	// the budget; pages a small load leaves untouched are never resident.
	// A quarter each for the additions, their copy for the second worker
	// (see twin) and the term encodings; small shares for deletions and the
	// dictionary entries.
	b := &bulk{s: s, ctx: ctx, dir: dir, base: s.visible.Load(),
		adds:      make([]quadRec, 0, max(1024, mem/4/quadRecLen)),
		dels:      make([]quadRec, 0, max(1024, mem/32/quadRecLen)),
		dict:      make([]dictRec, 0, max(1024, mem/32/16)),
		arena:     make([]byte, 0, max(1<<16, mem/4)),
		seen:      newPresence(seenSlots),
		restoreGC: lowerGC(gcPercent),
	}
	if opts.Replace {
		if err := b.deleteGraph(opts.Graph); err != nil {
			b.restoreGC()
			_ = os.RemoveAll(dir)
			return nil, err
		}
	}
	unlock = false
	return b, nil
}

// defaultBulkGCPercent is Options.BulkGCPercent's default. Measured on a
// 1M-triple default-graph load (cmd/benchload, 2 cores): GOGC 100 gave
// 246k–272k triples/s, 6.4–7.1 CPU-s, 133k page faults and a peak RSS of
// 490 MB; 40 gave 305k–331k triples/s, 5.1–5.5 CPU-s, 73k faults and
// 330 MB; 20 and 60 were slower than 40.
const defaultBulkGCPercent = 40

// gcDuringBulk holds the garbage collector's percentage to restore when the
// last running bulk load ends.
var gcDuringBulk struct {
	sync.Mutex
	loads   int
	changed bool
	old     int
}

// lowerGC sets the garbage collector's percentage to percent until the
// returned function is called, unless it is negative or the collector's
// own is already lower or off. The setting is process-wide: the first of
// concurrent bulk loads sets it, the last to end restores it.
func lowerGC(percent int) (restore func()) {
	g := &gcDuringBulk
	if percent < 0 {
		return func() {}
	}
	g.Lock()
	defer g.Unlock()
	if g.loads++; g.loads == 1 {
		g.old = debug.SetGCPercent(percent)
		g.changed = g.old > percent
		if !g.changed {
			debug.SetGCPercent(g.old)
		}
	}
	return sync.OnceFunc(func() {
		g.Lock()
		defer g.Unlock()
		if g.loads--; g.loads == 0 && g.changed {
			debug.SetGCPercent(g.old)
		}
	})
}

// close removes the run files and releases the writer lock.
func (b *bulk) close() {
	b.restoreGC()
	if err := os.RemoveAll(b.dir); err != nil {
		b.s.log.Warn("badgerstore: remove bulk runs", "dir", b.dir, "err", err)
	}
	b.s.writer.Unlock()
}

// deleteGraph queues a deletion of every quad of g as of the base version,
// so that the replacement is one sorted stream; an addition of the same
// quad wins over its deletion in the merge.
func (b *bulk) deleteGraph(g graph.Term) error {
	txn := b.s.db.NewTransactionAt(b.base, false)
	defer txn.Discard()
	sc, ok, err := b.s.plan(txn, graph.Pattern{G: g})
	if err != nil || !ok {
		return err
	}
	var serr error
	err = b.s.scanIndex(b.ctx, txn, sc, func(ids *[4]uint64) bool {
		if len(b.dels) == cap(b.dels) {
			if serr = b.spill(); serr != nil {
				return false
			}
		}
		b.dels = append(b.dels, quadRec(*ids))
		b.total++
		if ids[posG] != 0 {
			b.named++
		}
		return true
	})
	return cmp.Or(err, serr)
}

// add queues q's keys and its terms' dictionary entries.
func (b *bulk) add(q graph.Quad) error {
	q = q.Normalize()
	if !q.Valid() {
		return fmt.Errorf("badgerstore: add %v: %w", q, graph.ErrInvalidQuad)
	}
	if len(b.adds) == cap(b.adds) {
		if err := b.spill(); err != nil {
			return err
		}
	}
	var r quadRec
	for i, t := range quadTerms(q) {
		id, err := b.termID(t)
		if err != nil {
			return err
		}
		r[i] = id
	}
	b.adds = append(b.adds, r)
	b.total++
	if r[posG] != 0 {
		b.named++
	}
	return nil
}

// termID returns t's id, queueing its dictionary entry unless this load
// queued it already or the store is known to have it. Repeats the cache
// misses are removed by the sorts; collisions are found there too.
func (b *bulk) termID(t graph.Term) (uint64, error) {
	if id, ok := inlineID(t); ok {
		return id, nil
	}
	b.enc = appendEncoding(b.enc[:0], t)
	id := hashedID(t.Kind(), b.s.hash(b.enc))
	check := maphash.Bytes(b.s.seed, b.enc)
	if b.seen.has(id, check) {
		return id, nil
	}
	b.seen.add(id, check)
	if b.s.known.has(id, check) {
		return id, nil
	}
	if len(b.dict) == cap(b.dict) || len(b.arena)+len(b.enc) > cap(b.arena) {
		if err := b.spill(); err != nil {
			return 0, err
		}
		if len(b.enc) > cap(b.arena) {
			b.arena = make([]byte, 0, len(b.enc))
		}
	}
	b.dict = append(b.dict, dictRec{id: id, off: uint32(len(b.arena)), n: uint32(len(b.enc))})
	b.arena = append(b.arena, b.enc...)
	return id, nil
}

func (b *bulk) runPath(k int, name string) string {
	return filepath.Join(b.dir, fmt.Sprintf("run-%d-%s", k, name))
}

// spill sorts the buffers and writes them as run k: six files of additions
// and six of deletions (one per index order) and one of dictionary entries.
// Two workers sort and write three index orders each, the second on a copy
// of the buffer.
func (b *bulk) spill() error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	k := b.runs
	b.runs++
	for _, set := range []struct {
		recs *[]quadRec
		kind string
	}{{&b.adds, "a"}, {&b.dels, "d"}} {
		if len(*set.recs) == 0 {
			continue
		}
		groups := indexGroups(countNamed(*set.recs), len(*set.recs))
		bufs := [2][]quadRec{*set.recs, b.twin(*set.recs)}
		err := parallel(func(w int) error {
			recs, from := bufs[w], &indexes[0]
			for _, i := range groups[w] {
				recs = forIndex(recs, from, i)
				if len(recs) == 0 {
					continue
				}
				reorder(recs, from, &indexes[i])
				from = &indexes[i]
				// Compact moves duplicates to the tail; the next order
				// needs only the unique prefix.
				recs = sortRecs(recs)
				if err := writeQuadRun(b.runPath(k, indexes[i].name+"-"+set.kind), recs); err != nil {
					return fmt.Errorf("badgerstore: bulk load: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		*set.recs = (*set.recs)[:0]
	}
	dict, err := sortDict(b.dict, b.arena)
	if err != nil {
		return fmt.Errorf("badgerstore: bulk load: %w", err)
	}
	if err := writeDictRun(b.runPath(k, "dict"), dict, b.arena); err != nil {
		return fmt.Errorf("badgerstore: bulk load: %w", err)
	}
	b.dict, b.arena = b.dict[:0], b.arena[:0]
	return nil
}

// indexGroups splits the indexes between the two workers that sort and
// write them (the machine this was tuned on has two cores), for named of
// total quads in named graphs: every quad has keys in the first three
// indexes, only named graphs' in the other three (see quadIndexes). Three
// each unless that leaves the second worker with less than the first.
func indexGroups(named, total int) [2][]int {
	if 3*named <= 2*total {
		return [2][]int{{0, 1}, {2, 3, 4, 5}}
	}
	return [2][]int{{0, 1, 2}, {3, 4, 5}}
}

// countNamed counts the records of named graphs' quads in recs, which are
// in the slot order of one of the first three indexes (G last).
func countNamed(recs []quadRec) int {
	n := 0
	for i := range recs {
		if recs[i][3] != 0 {
			n++
		}
	}
	return n
}

// forIndex returns the records of recs (in the slot order of index from)
// that index i holds: all of them, except that going from one of the first
// three indexes (G last) to a G-led one keeps only named graphs' records,
// moved to the front in place; the G-led indexes after it hold the same.
func forIndex(recs []quadRec, from *index, i int) []quadRec {
	if i < defaultIndexes || from.order[3] != posG {
		return recs
	}
	return slices.DeleteFunc(recs, func(r quadRec) bool { return r[3] == 0 })
}

// twin returns a copy of recs in the spare buffer, allocated once with the
// capacity of the largest buffer.
func (b *bulk) twin(recs []quadRec) []quadRec {
	if cap(b.spare) < len(recs) {
		b.spare = make([]quadRec, 0, max(len(recs), cap(b.adds)))
	}
	b.spare = append(b.spare[:0], recs...)
	return b.spare
}

// parallel runs fn(0) and fn(1) concurrently and returns the first error.
func parallel(fn func(w int) error) error {
	var err1 error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			if r := recover(); r != nil {
				err1 = fmt.Errorf("badgerstore: bulk load panicked: %v", r)
			}
		}()
		err1 = fn(1)
	}()
	err0 := fn(0)
	wg.Wait()
	if err0 != nil {
		return err0
	}
	return err1
}

// finish runs the end of phase 1 (the dictionary check) and phase 2.
func (b *bulk) finish() error {
	b.s.hook("read")
	if err := b.checkDict(); err != nil {
		return err
	}
	b.s.hook("checked")
	if err := b.ctx.Err(); err != nil {
		return err
	}
	return b.write()
}

// checkDict merges the load's dictionary entries, fails on two terms with
// one id (in the load or against the store), and writes the entries the
// store lacks to one sorted file for phase 2.
func (b *bulk) checkDict() error {
	dict, err := sortDict(b.dict, b.arena)
	if err != nil {
		return fmt.Errorf("badgerstore: bulk load: %w", err)
	}
	b.dict = dict
	cs := []*cursor{memDictCursor(dict, b.arena)}
	for k := range b.runs {
		c, err := fileCursor(b.runPath(k, "dict"), false, readDictRec)
		if err != nil {
			for _, c := range cs {
				c.close()
			}
			return fmt.Errorf("badgerstore: bulk load: %w", err)
		}
		cs = append(cs, c)
	}
	m, err := newMerger(cs)
	if err != nil {
		return fmt.Errorf("badgerstore: bulk load: %w", err)
	}
	defer m.close()

	b.dictFinal = filepath.Join(b.dir, "dict-final")
	f, err := os.Create(b.dictFinal)
	if err != nil {
		return fmt.Errorf("badgerstore: bulk load: %w", err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, runBufSize)

	txn := b.s.db.NewTransactionAt(b.base, false)
	defer txn.Discard()
	it := b.s.keyIterator(txn, []byte{pfxDict})
	defer it.Close()
	it.Rewind()
	var id uint64
	var enc, rec []byte
	seek := idKey(pfxDict, 0)
	n := 0
	for c := m.top(); c != nil; c = m.top() {
		if n++; n%ctxEvery == 0 && b.ctx.Err() != nil {
			return b.ctx.Err()
		}
		id = binary.BigEndian.Uint64(c.key)
		enc = append(enc[:0], c.val...)
		if err := m.advance(); err != nil {
			return fmt.Errorf("badgerstore: bulk load: %w", err)
		}
		for c := m.top(); c != nil && binary.BigEndian.Uint64(c.key) == id; c = m.top() {
			if !bytes.Equal(c.val, enc) {
				return fmt.Errorf("badgerstore: bulk load: %w", collisionError(enc, c.val, id))
			}
			if err := m.advance(); err != nil {
				return fmt.Errorf("badgerstore: bulk load: %w", err)
			}
		}
		// The store's entries, visited in the same order.
		if it.Valid() && binary.BigEndian.Uint64(it.Item().Key()[1:]) < id {
			binary.BigEndian.PutUint64(seek[1:], id)
			it.Seek(seek)
		}
		if it.Valid() && binary.BigEndian.Uint64(it.Item().Key()[1:]) == id {
			stored, err := it.Item().ValueCopy(nil)
			if err != nil {
				return fmt.Errorf("badgerstore: bulk load: read dictionary: %w", err)
			}
			if !bytes.Equal(stored, enc) {
				return fmt.Errorf("badgerstore: bulk load: %w", collisionError(stored, enc, id))
			}
			continue
		}
		rec = appendDictRec(rec[:0], id, enc)
		if _, err := w.Write(rec); err != nil {
			return fmt.Errorf("badgerstore: bulk load: write dictionary run: %w", err)
		}
		b.newTerms++
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("badgerstore: bulk load: write dictionary run: %w", err)
	}
	// Phase 2 reads the file. Dropping the buffers (a third of
	// BulkMemory) lowers the Go heap's goal while badger's StreamWriter
	// churns through allocations: fewer fresh pages, fewer page faults.
	b.dict, b.arena, b.seen = nil, nil, nil
	return nil
}

// memDictCursor reads sorted dictionary entries from memory.
func memDictCursor(recs []dictRec, arena []byte) *cursor {
	buf := make([]byte, 8)
	i := 0
	return &cursor{key: buf, close: func() {}, next: func(c *cursor) (bool, error) {
		if i == len(recs) {
			return false, nil
		}
		r := recs[i]
		binary.BigEndian.PutUint64(buf, r.id)
		c.val = arena[r.off : r.off+r.n]
		i++
		return true, nil
	}}
}

// write is phase 2: it writes the merged runs at one new version through
// badger's StreamWriter and commits it as Update does. From the pending
// record on, any failure is rolled back like a failed Update.
func (b *bulk) write() (err error) {
	s := b.s
	pending, ver, commit := b.base+1, b.base+2, b.base+3
	fresh, err := s.fresh()
	if err != nil {
		return fmt.Errorf("badgerstore: bulk load: %w", err)
	}
	if fresh {
		// An empty store: the StreamWriter empties badger and writes the
		// last level (fresh.go); the marker stands for the pending record.
		err = s.markFresh()
	} else {
		// The pending record (so that Open rolls back what a crash leaves)
		// and a key under pfxFlush, durably, in one write.
		txn := s.db.NewTransactionAt(pending, true)
		err = txn.Set(metaKey, meta{visible: b.base, pending: true}.encode())
		if err == nil {
			err = txn.Set([]byte{pfxFlush}, nil)
		}
		if err == nil {
			err = txn.CommitAt(pending, nil)
		}
		txn.Discard()
		if err == nil {
			err = s.sync()
		}
	}
	if err != nil {
		return fmt.Errorf("badgerstore: bulk load: write meta: %w", err)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("badgerstore: bulk load panicked: %v", r)
		}
		if err != nil {
			rollback := func() error { return s.compensate(b.base, commit) }
			if fresh {
				rollback = func() error { return s.dropFresh(commit + 1) }
			}
			if rerr := rollback(); rerr != nil {
				s.dirty = true
				err = errors.Join(err, fmt.Errorf("badgerstore: rollback: %w", rerr))
			}
		}
	}()
	if !fresh {
		// PrepareIncremental refuses to run while a memtable holds data,
		// and badger v4.9.6 has no public memtable flush. DropPrefix
		// flushes all memtables (then compacts L0 into the base level),
		// but only when some key has the prefix (with none it returns
		// before flushing, db.go DropPrefix/filterPrefixesToDrop): hence
		// the pfxFlush key written above, which the flush itself drops.
		if err := s.db.DropPrefix([]byte{pfxFlush}); err != nil {
			return fmt.Errorf("badgerstore: bulk load: flush memtables: %w", err)
		}
	}
	s.hook("memtables flushed")
	s.gate.Lock()
	gated := true
	defer func() {
		if gated {
			s.gate.Unlock()
		}
	}()
	var lastTable uint64
	for _, t := range s.db.Tables() {
		lastTable = max(lastTable, t.ID)
	}
	sw := s.db.NewStreamWriter()
	prepare := sw.PrepareIncremental
	if fresh {
		prepare = sw.Prepare // badger's DropAll: memtables and all
	}
	if err := prepare(); err != nil {
		sw.Cancel()
		return fmt.Errorf("badgerstore: bulk load: prepare stream writer: %w", err)
	}
	// From here until the StreamWriter's Flush, no table is closed, which
	// is what makes trimming the new tables' memory maps safe.
	stopTrim := s.startTrim(lastTable)
	flushed := false
	defer func() {
		stopTrim()
		if !flushed {
			// Flush, not Cancel: it sorts the level's tables, which reads
			// need; the rollback then compensates what it holds.
			if ferr := sw.Flush(); ferr != nil {
				err = errors.Join(err, fmt.Errorf("badgerstore: bulk load: flush stream writer: %w", ferr))
			}
		}
	}()
	outs := [3]*streamOut{}
	for w := range outs {
		outs[w] = &streamOut{sw: sw, buf: z.NewBuffer(streamBatch+streamBatch/4, "badgerstore.bulk"), ver: ver}
		defer func() { _ = outs[w].buf.Release() }()
	}
	// The dictionary is its own stream, written alongside the indexes so
	// that neither core waits for it at the end.
	dictDone := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				dictDone <- fmt.Errorf("badgerstore: bulk load panicked: %v", r)
			}
		}()
		dictDone <- b.writeDict(outs[2])
	}()
	// Each worker merges three indexes into their streams; the second
	// works on copies of the in-memory buffers.
	adds := [2][]quadRec{b.adds, b.twin(b.adds)}
	dels := [2][]quadRec{b.dels, slices.Clone(b.dels)}
	var graphs []uint64
	groups := indexGroups(b.named, b.total)
	err = parallel(func(w int) error {
		from := &indexes[0]
		for _, i := range groups[w] {
			ix := &indexes[i]
			adds[w], dels[w] = forIndex(adds[w], from, i), forIndex(dels[w], from, i)
			var seen func([]byte)
			if ix.prefix == pfxGSPO {
				seen = func(key []byte) {
					if g := binary.BigEndian.Uint64(key); g != 0 && (len(graphs) == 0 || graphs[len(graphs)-1] != g) {
						graphs = append(graphs, g)
					}
				}
			}
			reorder(adds[w], from, ix)
			reorder(dels[w], from, ix)
			from = ix
			adds[w], dels[w] = sortRecs(adds[w]), sortRecs(dels[w])
			if err := b.writeIndex(outs[w], ix, adds[w], dels[w], seen); err != nil {
				return err
			}
			s.hook("index " + ix.name)
		}
		return nil
	})
	if derr := <-dictDone; err == nil {
		err = derr
	}
	if err != nil {
		return err
	}
	out := outs[0]
	for _, g := range graphs {
		if err := out.put(pfxGraph, binary.BigEndian.AppendUint64(nil, g), nil, false); err != nil {
			return err
		}
	}
	if err := out.done(pfxGraph); err != nil {
		return err
	}
	flushed = true
	stopTrim()
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("badgerstore: bulk load: flush stream writer: %w", err)
	}
	s.gate.Unlock()
	gated = false
	s.hook("flushed")
	if err := b.ctx.Err(); err != nil {
		return err
	}
	// The tables are synced (badger msyncs each table and syncs the
	// MANIFEST and the directory); the commit record makes them visible.
	if err := s.writeMeta(commit, meta{visible: commit}); err != nil {
		return err
	}
	s.publish(commit)
	if fresh {
		// The load is committed: a marker left by a failure here is
		// removed by Open, which finds the commit record.
		if err := s.unmarkFresh(); err != nil {
			s.log.Warn("badgerstore: bulk load", "err", err)
		}
	}
	return nil
}

// writeIndex merges the run files of one index and the last buffer's
// records (adds and dels, sorted in its order) into its stream; seen, if
// set, is called with each added key (without the prefix byte).
func (b *bulk) writeIndex(out *streamOut, ix *index, adds, dels []quadRec, seen func(key []byte)) error {
	var cs []*cursor
	for _, set := range []struct {
		recs []quadRec
		kind string
		del  bool
	}{{adds, "a", false}, {dels, "d", true}} {
		for k := range b.runs {
			path := b.runPath(k, ix.name+"-"+set.kind)
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				continue
			}
			c, err := fileCursor(path, set.del, readQuadRec)
			if err != nil {
				for _, c := range cs {
					c.close()
				}
				return fmt.Errorf("badgerstore: bulk load: %w", err)
			}
			cs = append(cs, c)
		}
		cs = append(cs, memQuadCursor(set.recs, set.del))
	}
	m, err := newMerger(cs)
	if err != nil {
		return fmt.Errorf("badgerstore: bulk load: %w", err)
	}
	defer m.close()
	key := make([]byte, quadRecLen)
	n := 0
	for c := m.top(); c != nil; c = m.top() {
		if n++; n%(16*ctxEvery) == 0 && b.ctx.Err() != nil {
			return b.ctx.Err()
		}
		copy(key, c.key)
		del := c.del
		if err := m.advance(); err != nil {
			return fmt.Errorf("badgerstore: bulk load: %w", err)
		}
		for c := m.top(); c != nil && bytes.Equal(c.key, key); c = m.top() {
			del = del && c.del // an addition wins
			if err := m.advance(); err != nil {
				return fmt.Errorf("badgerstore: bulk load: %w", err)
			}
		}
		if !del && seen != nil {
			seen(key)
		}
		if err := out.put(ix.prefix, key, nil, del); err != nil {
			return err
		}
	}
	return out.done(ix.prefix)
}

// writeDict streams the checked new dictionary entries.
func (b *bulk) writeDict(out *streamOut) error {
	c, err := fileCursor(b.dictFinal, false, readDictRec)
	if err != nil {
		return fmt.Errorf("badgerstore: bulk load: %w", err)
	}
	defer c.close()
	for {
		ok, err := c.next(c)
		if err != nil {
			return fmt.Errorf("badgerstore: bulk load: %w", err)
		}
		if !ok {
			break
		}
		if err := out.put(pfxDict, c.key, c.val, false); err != nil {
			return err
		}
	}
	return out.done(pfxDict)
}

// streamOut batches keys for the StreamWriter: one stream per key prefix,
// so streams never overlap, each written in key order.
type streamOut struct {
	sw    *badger.StreamWriter
	buf   *z.Buffer
	ver   uint64
	rec   []byte
	count int // keys in the current stream
}

func (o *streamOut) put(prefix byte, rest, val []byte, del bool) error {
	var meta byte
	if del {
		meta = bitDelete
	}
	o.rec = appendKV(o.rec[:0], prefix, rest, val, o.ver, meta, uint32(prefix), false)
	o.buf.WriteSlice(o.rec)
	o.count++
	if o.buf.LenNoPadding() >= streamBatch {
		return o.flush()
	}
	return nil
}

// done ends the stream of prefix, so badger finishes its last table.
func (o *streamOut) done(prefix byte) error {
	if o.count > 0 {
		o.rec = appendKV(o.rec[:0], 0, nil, nil, 0, 0, uint32(prefix), true)
		o.buf.WriteSlice(o.rec)
		o.count = 0
	}
	return o.flush()
}

func (o *streamOut) flush() error {
	if o.buf.LenNoPadding() == 0 {
		return nil
	}
	if err := o.sw.Write(o.buf); err != nil {
		return fmt.Errorf("badgerstore: bulk load: stream write: %w", err)
	}
	o.buf.Reset()
	return nil
}

// appendKV appends the protobuf encoding of a badger pb.KV (badgerpb4.proto:
// key = 1, value = 2, version = 4, meta = 6, stream_id = 10, stream_done =
// 11) with key prefix+rest. badger.KVToBuffer does the same through
// reflection and costs about a tenth of a bulk load's CPU; this is what
// proto.Marshal writes for these fields (zero values are left out, as
// proto3 does), checked against badger's decoder by TestAppendKV.
func appendKV(b []byte, prefix byte, rest, val []byte, ver uint64, meta byte, stream uint32, done bool) []byte {
	if len(rest) > 0 || prefix != 0 {
		b = append(b, 1<<3|2)
		b = binary.AppendUvarint(b, uint64(1+len(rest)))
		b = append(append(b, prefix), rest...)
	}
	if len(val) > 0 {
		b = append(b, 2<<3|2)
		b = binary.AppendUvarint(b, uint64(len(val)))
		b = append(b, val...)
	}
	if ver != 0 {
		b = append(b, 4<<3)
		b = binary.AppendUvarint(b, ver)
	}
	if meta != 0 {
		b = append(b, 6<<3|2, 1, meta)
	}
	if stream != 0 {
		b = append(b, 10<<3)
		b = binary.AppendUvarint(b, uint64(stream))
	}
	if done {
		b = append(b, 11<<3, 1)
	}
	return b
}
