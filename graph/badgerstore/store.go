package badgerstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"github.com/tessera-fair/tessera/graph"
)

// ErrCollision is returned by a write that would give a new term the id of
// a different stored term (two encodings with the same 61-bit hash). The
// write fails and the store is unchanged; see the package doc for the odds.
var ErrCollision = errors.New("badgerstore: term id collision")

// Options configure Open. The zero value is a durable store with badger's
// default memory budget.
type Options struct {
	// Logger receives badger's messages (its info lines at debug level);
	// nil means slog.Default().
	Logger *slog.Logger
	// ReadOnly opens the store for reading only; Update returns
	// graph.ErrReadOnly. Several read-only processes may share a directory.
	ReadOnly bool
	// NoSync skips the fsyncs of a commit. A crashed process still loses
	// nothing (the operating system has the data), but a power cut may lose
	// the last commits, or leave a store that Open has to roll back. For
	// tests and throw-away loads only.
	NoSync bool
	// MemTableSize is badger's memtable size in bytes (default 64 MiB);
	// badger keeps up to five, so it bounds the write buffer memory.
	MemTableSize int64
	// BlockCacheSize is badger's cache of decompressed table blocks in
	// bytes (default 128 MiB; unused with NoCompression).
	BlockCacheSize int64
	// NoCompression stores table blocks uncompressed, read in place from
	// the memory-mapped tables without a block cache: bound-subject lookups
	// take about two thirds of the time, but the store takes over twice the
	// disk (263 instead of 117 bytes a catalogue triple in a named graph)
	// and bulk loads are slower (more bytes to write); see the package doc.
	NoCompression bool
	// TermCacheSize is the number of slots of the decoded-term cache
	// (default 1<<19: a scan over a few hundred thousand distinct subjects,
	// such as every study of a 1M-triple catalogue, stays cached; entries
	// are allocated only as terms are decoded).
	TermCacheSize int
	// BulkMinQuads is the size from which graph.Load takes the bulk path
	// (BulkLoad); smaller loads run as one ordinary transaction. Default
	// 100,000.
	BulkMinQuads int
	// HotCacheSize bounds, in bytes, the in-memory copy of the predicates
	// queries scan in full or look up most (see hot.go): 64 bytes a quad,
	// default 256 MiB (about 4M quads); negative turns it off.
	HotCacheSize int64
	// HotMinQuads is the fewest quads a predicate needs to be cached
	// (default 2048: smaller ones are as quick to read from badger).
	HotMinQuads int
	// BulkMemory bounds the in-memory run buffers of a bulk load in bytes
	// (default 128 MiB); a full buffer is sorted and spilled to a run file.
	BulkMemory int64
	// BulkGCPercent is the Go garbage collector's percentage (GOGC), for
	// the whole process, while a bulk load runs (default 40; negative
	// leaves the collector alone). badger's StreamWriter allocates a few
	// hundred bytes of short-lived garbage per key; at GOGC 100 the heap
	// grows to twice the live run buffers, and each page it has not
	// touched before costs a page fault. See lowerGC.
	BulkGCPercent int
}

// Store is a durable graph.Store in a badger directory. It is safe for
// concurrent use: any number of snapshots and one writer at a time.
type Store struct {
	db    *badger.DB
	dir   string
	opts  Options
	log   *slog.Logger
	hash  func([]byte) uint64 // term encoding → id hash (injectable for tests)
	seed  maphash.Seed        // second, independent hash for the presence cache
	terms *termCache
	known *presence
	// absent holds terms known to have no dictionary entry (cache.go).
	absent absentTerms

	writer sync.Mutex // held by Update and BulkLoad for their whole run, and by Close
	// gate is held by BulkLoad while badger's StreamWriter adds tables to a
	// level (its tables are sorted only at the end); new iterators take it
	// for reading, see (*Store).iterator.
	gate sync.RWMutex
	// bulkHook, when set (tests only), is called at the stages of a bulk
	// load's write phase, concurrently from its two write workers.
	bulkHook func(stage string)
	dirty    bool // guarded by writer: versions above visible need a rollback

	mu      sync.Mutex // guards pins and the publication of visible
	visible atomic.Uint64
	pins    map[uint64]int // read timestamps in use → count

	closed atomic.Bool
	active atomic.Int64 // reads in progress

	statsMu sync.Mutex
	stats   *graph.Stats
	statsAt uint64

	hot *hotCache // nil when Options.HotCacheSize < 0
}

var _ graph.Store = (*Store)(nil)

// Exists reports whether dir holds a store, without opening it: it looks
// for badger's MANIFEST, which Open writes first when it creates a store
// and which badger cannot open a database without. It creates nothing and
// takes no lock, so commands that only read can refuse a directory that is
// not a store instead of turning it into one, even while a server holds
// the store open. A missing dir, or a dir that is a file, holds no store.
func Exists(dir string) (bool, error) {
	_, err := os.Stat(filepath.Join(dir, badger.ManifestFilename))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return false, nil
	}
	return false, fmt.Errorf("badgerstore: look for a store in %s: %w", dir, err)
}

// Open opens (creating if needed) the store in dir. If the last process
// died in the middle of a write, Open first rolls that write back.
func Open(dir string, opts Options) (*Store, error) {
	return open(dir, opts, xxhash.Sum64)
}

func open(dir string, opts Options, hash func([]byte) uint64) (*Store, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	bo := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{log}).
		WithDetectConflicts(false).
		WithReadOnly(opts.ReadOnly).
		WithSyncWrites(false). // commits sync explicitly
		WithNumVersionsToKeep(1).
		// Each compactor holds table builders of tens of MB per parallel
		// sub-compaction; two (badger's minimum) instead of four.
		WithNumCompactors(2).
		// A table builder allocates twice its table size up front, and
		// the StreamWriter of a bulk load builds tables of BaseTableSize ×
		// TableSizeMultiplier^(MaxLevels-2): 64 MiB tables (128 MiB
		// builders, several at once) with badger's defaults, which made a
		// 1M-triple bulk load peak at 1.3 GB (badger's allocator pool also
		// keeps up to eight freed builders). Equal 4 MiB tables on every
		// level (RocksDB's default multiplier is 1 too) keep builders at
		// 8 MiB and compactions fine-grained.
		WithBaseTableSize(4 << 20).
		// Three memtables (badger's default is five) bound the write
		// buffers of ordinary transactions to 192 MiB.
		WithNumMemtables(3).
		// Dictionary values are term encodings; they stay in the LSM tree
		// (badger's default threshold, stated because lookups rely on it:
		// a value-log read per decoded term would double their cost).
		WithValueThreshold(1 << 20).
		// Snappy-compressed blocks (badger's default) with a 128 MiB cache
		// of decompressed ones, half badger's default, for the memory budget.
		// Table indexes and bloom filters stay in memory (IndexCacheSize
		// 0): a bounded index cache cut a 10M-triple load's memory by 50 MB
		// but doubled the lookup time.
		WithBlockCacheSize(128 << 20)
	bo.TableSizeMultiplier = 1 // see BaseTableSize above
	if opts.NoCompression {
		bo = bo.WithCompression(options.None).WithBlockCacheSize(0)
	}
	if opts.MemTableSize > 0 {
		bo = bo.WithMemTableSize(opts.MemTableSize)
	}
	if opts.BlockCacheSize > 0 && !opts.NoCompression {
		bo = bo.WithBlockCacheSize(opts.BlockCacheSize)
	}
	if opts.TermCacheSize <= 0 {
		opts.TermCacheSize = 1 << 19
	}
	db, err := badger.OpenManaged(bo)
	if err != nil {
		return nil, fmt.Errorf("badgerstore: open %s: %w", dir, err)
	}
	if !opts.ReadOnly {
		// Run files of a bulk load that a crash interrupted.
		if err := os.RemoveAll(filepath.Join(dir, bulkDir)); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("badgerstore: open %s: remove bulk runs: %w", dir, err)
		}
	}
	s := &Store{
		db: db, dir: dir, opts: opts, log: log, hash: hash, seed: maphash.MakeSeed(),
		terms: newTermCache(opts.TermCacheSize), known: newPresence(4 * opts.TermCacheSize),
		pins: map[uint64]int{},
	}
	s.hot = newHotCache(s, opts.HotCacheSize, opts.HotMinQuads)
	if err := s.start(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("badgerstore: open %s: %w", dir, err)
	}
	return s, nil
}

// meta is the store's commit record, kept under metaKey.
type meta struct {
	visible uint64 // last committed version
	pending bool   // a write transaction may have left versions above visible
	format  byte   // the key layout the store was written with (decoded only)
}

// Key layouts. Format 1 kept the default graph's quads in all six indexes;
// format 2 keeps them in three (see quadIndexes). A format 1 store reads
// correctly as format 2 (its default graph's G-led keys are never read);
// Open drops those keys to reclaim their space (migrate).
const (
	metaFormat1 = 1
	metaFormat  = 2
)

func (m meta) encode() []byte {
	b := make([]byte, 10)
	b[0] = metaFormat
	if m.pending {
		b[1] = 1
	}
	binary.BigEndian.PutUint64(b[2:], m.visible)
	return b
}

func decodeMeta(b []byte) (meta, error) {
	if len(b) != 10 || (b[0] != metaFormat && b[0] != metaFormat1) {
		return meta{}, fmt.Errorf("unknown store format (meta %x)", b)
	}
	return meta{visible: binary.BigEndian.Uint64(b[2:]), pending: b[1] == 1, format: b[0]}, nil
}

// migrate brings a format 1 store to format 2: it drops the default graph's
// G-led keys and commits an empty version, whose commit record says format
// 2. A crash in between leaves format 1, and the next Open drops again.
func (s *Store) migrate() error {
	s.log.Info("badgerstore: dropping the default graph's G-led index keys (store format 1 to 2)", "dir", s.dir)
	var prefixes [][]byte
	for _, ix := range indexes[defaultIndexes:] {
		prefixes = append(prefixes, append([]byte{ix.prefix}, make([]byte, 8)...))
	}
	if err := s.db.DropPrefix(prefixes...); err != nil {
		return fmt.Errorf("migrate to format 2: %w", err)
	}
	v := s.visible.Load() + 1
	if err := s.writeMeta(v, meta{visible: v}); err != nil {
		return fmt.Errorf("migrate to format 2: %w", err)
	}
	s.publish(v)
	return nil
}

// start reads the commit record and rolls back an interrupted write.
func (s *Store) start() error {
	if !s.opts.ReadOnly {
		if err := s.recoverFresh(); err != nil {
			return err
		}
	}
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	item, err := txn.Get(metaKey)
	var m meta
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		txn.Discard()
		if s.opts.ReadOnly {
			return nil // an empty store: visible 0 shows nothing
		}
		return s.writeMeta(1, meta{visible: 1})
	case err != nil:
		txn.Discard()
		return fmt.Errorf("read meta: %w", err)
	}
	err = item.Value(func(v []byte) error {
		m, err = decodeMeta(v)
		return err
	})
	txn.Discard()
	if err != nil {
		return fmt.Errorf("read meta: %w", err)
	}
	s.visible.Store(m.visible)
	if s.opts.ReadOnly {
		return nil
	}
	if m.pending {
		s.log.Warn("badgerstore: rolling back an interrupted write", "dir", s.dir, "visible", m.visible)
		if err := s.recoverWrites(); err != nil {
			return err
		}
	}
	if m.format == metaFormat1 {
		return s.migrate()
	}
	return nil
}

// writeMeta durably records m at version ts.
func (s *Store) writeMeta(ts uint64, m meta) error {
	txn := s.db.NewTransactionAt(ts, true)
	defer txn.Discard()
	if err := txn.Set(metaKey, m.encode()); err != nil {
		return fmt.Errorf("write meta: %w", err)
	}
	if err := txn.CommitAt(ts, nil); err != nil {
		return fmt.Errorf("write meta: %w", err)
	}
	return s.sync()
}

func (s *Store) sync() error {
	if s.opts.NoSync {
		return nil
	}
	if err := s.db.Sync(); err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	return nil
}

// publish makes version ts the one new snapshots read.
func (s *Store) publish(ts uint64) {
	s.mu.Lock()
	s.visible.Store(ts)
	s.setDiscardLocked()
	s.mu.Unlock()
}

// pin keeps the versions snapshot ts reads from being garbage-collected.
func (s *Store) pin(ts uint64) {
	s.mu.Lock()
	s.pins[ts]++
	s.mu.Unlock()
}

// pinVisible pins and returns the current version atomically, so the
// version cannot be discarded between reading and pinning it.
func (s *Store) pinVisible() uint64 {
	s.mu.Lock()
	ts := s.visible.Load()
	s.pins[ts]++
	s.mu.Unlock()
	return ts
}

func (s *Store) unpin(ts uint64) {
	s.mu.Lock()
	if s.pins[ts]--; s.pins[ts] <= 0 {
		delete(s.pins, ts)
	}
	s.setDiscardLocked()
	s.mu.Unlock()
}

// setDiscardLocked lets badger drop versions no reader can see any more:
// everything older than the oldest pinned snapshot and the visible version.
func (s *Store) setDiscardLocked() {
	if s.opts.ReadOnly {
		return
	}
	low := s.visible.Load()
	for ts := range s.pins {
		low = min(low, ts)
	}
	s.db.SetDiscardTs(low)
}

// enter registers a read in progress; Close waits for reads to leave.
func (s *Store) enter() error {
	s.active.Add(1)
	if s.closed.Load() {
		s.active.Add(-1)
		return graph.ErrClosed
	}
	return nil
}

func (s *Store) leave() { s.active.Add(-1) }

// Snapshot returns a read-only view of the last committed version.
func (s *Store) Snapshot(ctx context.Context) (graph.Snapshot, error) {
	if s.closed.Load() {
		return nil, graph.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sn := &snapshot{ts: s.pinVisible()}
	sn.reader = reader{s: s, src: sn}
	return sn, nil
}

// Update runs fn in a write transaction; see graph.Store. The transaction
// writes at versions above the visible one, so no reader sees it until the
// commit record moves visible; a failed transaction is rolled back by
// writing the old value of every key it touched at a newer version.
func (s *Store) Update(ctx context.Context, fn func(graph.Tx) error) (err error) {
	if s.opts.ReadOnly {
		return graph.ErrReadOnly
	}
	s.writer.Lock()
	defer s.writer.Unlock()
	if s.closed.Load() {
		return graph.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.dirty {
		if err := s.recoverWrites(); err != nil {
			return fmt.Errorf("badgerstore: update: %w", err)
		}
	}
	t := s.newTx(ctx)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("badgerstore: update panicked: %v", r)
		}
		if err == nil {
			err = ctx.Err()
		}
		if err == nil {
			if err = t.commit(); err != nil {
				err = fmt.Errorf("badgerstore: commit: %w", err)
			}
		}
		if err != nil {
			if rerr := t.rollback(); rerr != nil {
				err = errors.Join(err, fmt.Errorf("badgerstore: rollback: %w", rerr))
			}
		}
		t.done = true
	}()
	return fn(t)
}

// Compact merges badger's levels into one and returns when that is done.
// A bulk load into a store that holds data writes its tables into the level
// above the store's, and badger then compacts them into it in the
// background, which competes with reads for the CPU for a while: 1.5 s
// (1.8 CPU-s) after a 1M-triple load into the default graph, 2.5 s into a
// named graph, ten times that at 10M. (A load into an empty store needs
// none: fresh.go.) Compact does that work now, while nothing waits for
// reads. Writes wait for it, and it cannot be cancelled once started.
func (s *Store) Compact(ctx context.Context) error {
	s.writer.Lock()
	defer s.writer.Unlock()
	switch {
	case s.closed.Load():
		return graph.ErrClosed
	case s.opts.ReadOnly:
		return graph.ErrReadOnly
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// One worker: badger's compaction splits its key range between
	// goroutines itself, and a second Flatten worker races the first for
	// the same tables and fails with a logged warning.
	if err := s.db.Flatten(1); err != nil {
		return fmt.Errorf("badgerstore: compact %s: %w", s.dir, err)
	}
	return nil
}

// Close waits for the running write and for reads in progress, then closes
// the database. Iterating over a store's quads while calling Close from the
// loop body deadlocks.
func (s *Store) Close() error {
	s.writer.Lock()
	defer s.writer.Unlock()
	if s.closed.Swap(true) {
		return nil
	}
	for start := time.Now(); s.active.Load() > 0; {
		if time.Since(start) > 5*time.Second {
			s.log.Warn("badgerstore: close waits for unfinished reads", "dir", s.dir, "reads", s.active.Load())
			start = time.Now()
		}
		time.Sleep(time.Millisecond)
	}
	if !s.opts.ReadOnly {
		// Values are small and live in the LSM tree; this reclaims value-log
		// space only after very large terms were rewritten.
		if err := s.db.RunValueLogGC(0.5); err != nil && !errors.Is(err, badger.ErrNoRewrite) && !errors.Is(err, badger.ErrRejected) {
			s.log.Warn("badgerstore: value log gc", "err", err)
		}
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("badgerstore: close %s: %w", s.dir, err)
	}
	return nil
}

// recoverWrites rolls back whatever a failed or interrupted transaction left
// above the visible version. It finds the highest version written first, so
// the compensation lands above all of it.
func (s *Store) recoverWrites() error {
	base := s.visible.Load()
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	it := txn.NewIterator(badger.IteratorOptions{AllVersions: true, SinceTs: base})
	top := base
	for it.Rewind(); it.Valid(); it.Next() {
		top = max(top, it.Item().Version())
	}
	it.Close()
	txn.Discard()
	return s.compensate(base, top+1)
}

// compensate restores the state of version base at version ts (above every
// version written since base) and commits it: every key with a newer
// version gets its value as of base again, or a deletion. With SinceTs badger
// skips the tables holding only older data, so the cost follows the size of
// the failed write, not of the store.
func (s *Store) compensate(base, ts uint64) error {
	s.statsMu.Lock()
	s.stats = nil
	s.statsMu.Unlock()
	old := s.db.NewTransactionAt(base, false)
	defer old.Discard()
	scan := s.db.NewTransactionAt(ts-1, false)
	defer scan.Discard()
	it := scan.NewIterator(badger.IteratorOptions{AllVersions: true, SinceTs: base})
	defer it.Close()
	wb := s.db.NewWriteBatchAt(ts)
	defer wb.Cancel()
	var last []byte
	n := 0
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		k := item.Key()
		if k[0] == pfxMeta || (last != nil && string(k) == string(last)) {
			continue
		}
		last = item.KeyCopy(last)
		key := item.KeyCopy(nil)
		prev, err := old.Get(key)
		switch {
		case errors.Is(err, badger.ErrKeyNotFound):
			err = wb.Delete(key)
		case err == nil:
			var v []byte
			if v, err = prev.ValueCopy(nil); err == nil {
				err = wb.Set(key, v)
			}
		}
		if err != nil {
			return fmt.Errorf("compensate: %w", err)
		}
		n++
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("compensate: %w", err)
	}
	if err := s.sync(); err != nil {
		return err
	}
	// The commit record sits one version above the data, so the next
	// rollback's SinceTs scan skips the tables holding this compensation.
	if err := s.commitRollback(ts + 1); err != nil {
		return err
	}
	s.log.Debug("badgerstore: rolled back", "dir", s.dir, "keys", n, "version", ts)
	return nil
}

// commitRollback commits version ts, which restores the store as it was
// before a failed write, and forgets the terms that write added.
func (s *Store) commitRollback(ts uint64) error {
	if err := s.writeMeta(ts, meta{visible: ts}); err != nil {
		return err
	}
	s.known.reset()
	s.terms.reset()
	s.dirty = false
	s.publish(ts)
	return nil
}

// badgerLogger adapts slog to badger's logger; badger's info lines are
// routine (compactions, flushes) and go to debug.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) msg(f string, a []any) string { return strings.TrimSpace(fmt.Sprintf(f, a...)) }

func (b badgerLogger) Errorf(f string, a ...any) { b.l.Error(b.msg(f, a), "component", "badger") }

func (b badgerLogger) Warningf(f string, a ...any) { b.l.Warn(b.msg(f, a), "component", "badger") }

func (b badgerLogger) Infof(f string, a ...any) { b.l.Debug(b.msg(f, a), "component", "badger") }

func (b badgerLogger) Debugf(f string, a ...any) { b.l.Debug(b.msg(f, a), "component", "badger") }
