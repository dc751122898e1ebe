//go:build linux

package badgerstore

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// trimEvery is how often a bulk load's write phase drops the resident
// pages of the tables it has written (a variable for tests).
var trimEvery = 100 * time.Millisecond

// startTrim drops, every trimEvery until stop is called, the pages of the
// process's memory maps of the tables this bulk load has written (table
// ids above after), so that the resident set does not grow with the load.
//
// badger v4 writes each table through a shared memory map of the new file
// and keeps it mapped for reads: every page written stays resident, and
// the kernel counts it in the process's RSS (RssFile, VmHWM) until memory
// pressure reclaims it, 2 GB of a 10M-triple load. MADV_DONTNEED on a
// shared file mapping only unmaps the pages from this process: the data
// stays in the page cache (dirty pages are written back as usual) and the
// next read faults the page back in without I/O.
//
// Safety: madvise acts on addresses, so a range must still hold the table
// it was read as. It does while the StreamWriter runs: PrepareIncremental
// stops badger's compactions and writes until Flush, and nothing else
// closes a table that is in a level. Only tables listed by db.Tables()
// (created, opened and added to a level) before /proc/self/maps is read
// are trimmed, and stop must be called, and returns only after the last
// madvise, before the StreamWriter's Flush or Cancel.
func (s *Store) startTrim(after uint64) (stop func()) {
	dir, err := filepath.Abs(s.dir)
	if err == nil {
		dir, err = filepath.EvalSymlinks(dir)
	}
	if err != nil {
		return func() {}
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		trimmed := map[uint64]bool{}
		t := time.NewTicker(trimEvery)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
			}
			if err := s.trimTables(dir, after, trimmed); err != nil {
				s.log.Debug("badgerstore: bulk load: trim table maps", "err", err)
				return
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(quit)
			<-done
		})
	}
}

// trimTables madvises away the mapped pages of the tables above after that
// are in a level and not in trimmed, and adds them to trimmed.
func (s *Store) trimTables(dir string, after uint64, trimmed map[uint64]bool) error {
	open := map[uint64]bool{}
	for _, t := range s.db.Tables() {
		if t.ID > after && !trimmed[t.ID] {
			open[t.ID] = true
		}
	}
	if len(open) == 0 {
		return nil
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return fmt.Errorf("read memory maps: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		start, end, path, ok := parseMapsLine(sc.Bytes())
		if !ok || filepath.Dir(path) != dir {
			continue
		}
		id, ok := tableFileID(filepath.Base(path))
		if !ok || !open[id] {
			continue
		}
		// The error is ignored: the worst outcome is pages left resident.
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, start, end-start, syscall.MADV_DONTNEED)
		trimmed[id] = true
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read memory maps: %w", err)
	}
	return nil
}

// parseMapsLine reads "start-end perms offset dev inode path" from a line
// of /proc/self/maps; ok is false for lines without a path.
func parseMapsLine(line []byte) (start, end uintptr, path string, ok bool) {
	fields := bytes.Fields(line)
	if len(fields) < 6 || fields[5][0] != '/' {
		return 0, 0, "", false
	}
	lo, hi, found := bytes.Cut(fields[0], []byte{'-'})
	if !found {
		return 0, 0, "", false
	}
	a, err1 := strconv.ParseUint(string(lo), 16, 64)
	b, err2 := strconv.ParseUint(string(hi), 16, 64)
	if err1 != nil || err2 != nil || b <= a {
		return 0, 0, "", false
	}
	// A path with spaces spans several fields; " (deleted)" marks a
	// removed file, which is not one of the load's tables.
	return uintptr(a), uintptr(b), string(bytes.Join(fields[5:], []byte{' '})), true
}

// tableFileID parses badger's table file name, "%06d.sst".
func tableFileID(name string) (uint64, bool) {
	num, ok := bytes.CutSuffix([]byte(name), []byte(".sst"))
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseUint(string(num), 10, 64)
	return id, err == nil
}
