package badgerstore

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
)

// A bulk load into a store that holds nothing yet (a new store, the common
// first load of a catalogue) writes its tables straight into badger's last
// level. The general path writes them into the level above the store's
// data, which here is only the commit record, and badger then compacts the
// whole load down one level in the background, rewriting it: 1.5 s of both
// cores after 1M triples, 11 s after 10M, with the resident set growing by
// the store's size meanwhile. The fresh path instead empties badger
// (StreamWriter.Prepare, badger's DropAll: the commit record goes too), so
// the StreamWriter writes the last level.
//
// Its crash safety rests on the store having been empty: a marker file,
// written and synced before the drop and removed after the commit record,
// says that the store holds one load into an empty store at most. Open
// finding the marker and no commit record (the drop happened, the commit
// did not) drops everything again, which is the state before the load; the
// marker with a commit record means that the load committed, or that the
// drop never started.

// freshMarker is the marker file's name in the store's directory.
const freshMarker = "bulk-fresh.pending"

// fresh reports whether badger holds no key but the commit record, at any
// version (a rolled-back write leaves deletion markers, which count).
func (s *Store) fresh() (bool, error) {
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	it := txn.NewIterator(badger.IteratorOptions{AllVersions: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if !bytes.Equal(it.Item().Key(), metaKey) {
			return false, nil
		}
	}
	return true, nil
}

// markFresh durably creates the marker.
func (s *Store) markFresh() error {
	f, err := os.OpenFile(filepath.Join(s.dir, freshMarker), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("mark the load into an empty store: %w", err)
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("mark the load into an empty store: %w", err)
	}
	return s.syncDir()
}

// unmarkFresh durably removes the marker.
func (s *Store) unmarkFresh() error {
	if err := os.Remove(filepath.Join(s.dir, freshMarker)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove the empty-store load marker: %w", err)
	}
	return s.syncDir()
}

func (s *Store) syncDir() error {
	if s.opts.NoSync {
		return nil
	}
	d, err := os.Open(s.dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", s.dir, err)
	}
	if err := errors.Join(d.Sync(), d.Close()); err != nil {
		return fmt.Errorf("sync %s: %w", s.dir, err)
	}
	return nil
}

// dropFresh undoes a failed load into an empty store: it empties badger and
// commits an empty store at version ts.
func (s *Store) dropFresh(ts uint64) error {
	s.statsMu.Lock()
	s.stats = nil
	s.statsMu.Unlock()
	if err := s.db.DropAll(); err != nil {
		return fmt.Errorf("drop the failed load: %w", err)
	}
	if err := s.commitRollback(ts); err != nil {
		return err
	}
	return s.unmarkFresh()
}

// recoverFresh is Open's part: a marker without a commit record is a load
// into an empty store that a crash interrupted after badger's drop.
func (s *Store) recoverFresh() error {
	if _, err := os.Stat(filepath.Join(s.dir, freshMarker)); errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	_, err := txn.Get(metaKey)
	txn.Discard()
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		s.log.Warn("badgerstore: dropping a load into the empty store that was interrupted", "dir", s.dir)
		if err := s.db.DropAll(); err != nil {
			return fmt.Errorf("drop an interrupted load into the empty store: %w", err)
		}
	case err != nil:
		return fmt.Errorf("read meta: %w", err)
	}
	return s.unmarkFresh()
}
