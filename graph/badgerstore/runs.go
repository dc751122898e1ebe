package badgerstore

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// A bulk load's sorted runs. Quad runs hold 32-byte records: the four ids
// of a quad in the slot order of one index, big-endian, so that byte order
// is key order (the index key without its prefix byte). Dictionary runs
// hold records id (8 bytes) + uvarint length + encoding, sorted by id.

const (
	quadRecLen = 32
	runBufSize = 256 << 10
)

// quadRec is a quad's ids in the slot order of some index.
type quadRec [4]uint64

func compareRec(a, b quadRec) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// reorder rewrites recs from the slot order of index from to that of index
// to, in place (no second buffer: this is what bounds a run's memory to 32
// bytes a quad).
func reorder(recs []quadRec, from, to *index) {
	var perm [4]int // perm[i]: the slot in from holding to's slot i
	for i, pos := range to.order {
		for j, p := range from.order {
			if p == pos {
				perm[i] = j
			}
		}
	}
	for k := range recs {
		r := recs[k]
		recs[k] = quadRec{r[perm[0]], r[perm[1]], r[perm[2]], r[perm[3]]}
	}
}

// sortRecs sorts recs and removes duplicates.
func sortRecs(recs []quadRec) []quadRec {
	radixSort(recs, 0)
	return slices.Compact(recs)
}

// radixSort sorts recs on their key bytes from byte d on: an in-place MSD
// radix sort (American flag sort), with insertion sort for small buckets.
// Hashed ids are uniform after their tag byte, so buckets shrink fast;
// positions where every record has the same byte (one graph, one
// predicate) cost one counting pass. It is several times faster than
// pdqsort with a comparison function on 32-byte records.
func radixSort(recs []quadRec, d int) {
	for ; d < quadRecLen; d++ {
		if len(recs) <= 32 {
			insertionSort(recs)
			return
		}
		w, shift := d/8, 56-8*uint(d%8)
		var count [256]int
		for i := range recs {
			count[byte(recs[i][w]>>shift)]++
		}
		if count[byte(recs[0][w]>>shift)] == len(recs) {
			continue // one bucket: the next byte decides
		}
		var next, end [256]int
		sum := 0
		for c := range 256 {
			next[c] = sum
			sum += count[c]
			end[c] = sum
		}
		for c := range 256 {
			for next[c] < end[c] {
				dc := byte(recs[next[c]][w] >> shift)
				if int(dc) == c {
					next[c]++
					continue
				}
				recs[next[c]], recs[next[dc]] = recs[next[dc]], recs[next[c]]
				next[dc]++
			}
		}
		start := 0
		for c := range 256 {
			if count[c] > 1 {
				radixSort(recs[start:start+count[c]], d+1)
			}
			start += count[c]
		}
		return
	}
}

func insertionSort(recs []quadRec) {
	for i := 1; i < len(recs); i++ {
		for j := i; j > 0 && compareRec(recs[j], recs[j-1]) < 0; j-- {
			recs[j], recs[j-1] = recs[j-1], recs[j]
		}
	}
}

func putRec(dst []byte, r quadRec) {
	for i, id := range r {
		binary.BigEndian.PutUint64(dst[8*i:], id)
	}
}

// writeQuadRun writes sorted records to a new run file.
func writeQuadRun(path string, recs []quadRec) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create run: %w", err)
	}
	w := bufio.NewWriterSize(f, runBufSize)
	var b [quadRecLen]byte
	for _, r := range recs {
		putRec(b[:], r)
		if _, err := w.Write(b[:]); err != nil {
			break
		}
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write run %s: %w", path, err)
	}
	return nil
}

// dictRec is a dictionary entry of a run buffer: its encoding is
// arena[off:off+n].
type dictRec struct {
	id     uint64
	off, n uint32
}

// sortDict sorts the entries by id and removes duplicates; two different
// encodings under one id are a collision.
func sortDict(recs []dictRec, arena []byte) ([]dictRec, error) {
	enc := func(r dictRec) []byte { return arena[r.off : r.off+r.n] }
	slices.SortFunc(recs, func(a, b dictRec) int {
		return cmp.Or(cmp.Compare(a.id, b.id), bytes.Compare(enc(a), enc(b)))
	})
	out := recs[:0]
	for _, r := range recs {
		if len(out) > 0 && out[len(out)-1].id == r.id {
			if last := out[len(out)-1]; !bytes.Equal(enc(last), enc(r)) {
				return nil, collisionError(enc(last), enc(r), r.id)
			}
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

func collisionError(a, b []byte, id uint64) error {
	ta, erra := decodeTerm(a)
	tb, errb := decodeTerm(b)
	if err := errors.Join(erra, errb); err != nil {
		return err
	}
	return fmt.Errorf("%v and %v share id %016x: %w", ta, tb, id, ErrCollision)
}

func appendDictRec(b []byte, id uint64, enc []byte) []byte {
	b = binary.BigEndian.AppendUint64(b, id)
	b = binary.AppendUvarint(b, uint64(len(enc)))
	return append(b, enc...)
}

// writeDictRun writes sorted dictionary entries to a new run file.
func writeDictRun(path string, recs []dictRec, arena []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create run: %w", err)
	}
	w := bufio.NewWriterSize(f, runBufSize)
	var b []byte
	for _, r := range recs {
		b = appendDictRec(b[:0], r.id, arena[r.off:r.off+r.n])
		if _, err := w.Write(b); err != nil {
			break
		}
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write run %s: %w", path, err)
	}
	return nil
}

// cursor reads one sorted run: key is the current record's sort key (the
// 32 id bytes of a quad record, the 8 id bytes of a dictionary entry), val
// a dictionary entry's encoding.
type cursor struct {
	key, val []byte
	del      bool // the run holds deletions
	next     func(c *cursor) (bool, error)
	close    func()
}

// memQuadCursor reads sorted records from memory.
func memQuadCursor(recs []quadRec, del bool) *cursor {
	buf := make([]byte, quadRecLen)
	i := 0
	return &cursor{key: buf, del: del, close: func() {}, next: func(c *cursor) (bool, error) {
		if i == len(recs) {
			return false, nil
		}
		putRec(buf, recs[i])
		i++
		return true, nil
	}}
}

// fileCursor reads a run file with read, which fills c from r.
func fileCursor(path string, del bool, read func(r *bufio.Reader, c *cursor) error) (*cursor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open run: %w", err)
	}
	r := bufio.NewReaderSize(f, runBufSize)
	return &cursor{del: del, close: func() { _ = f.Close() }, next: func(c *cursor) (bool, error) {
		switch err := read(r, c); {
		case err == io.EOF:
			return false, nil
		case err != nil:
			return false, fmt.Errorf("read run %s: %w", path, err)
		}
		return true, nil
	}}, nil
}

func readQuadRec(r *bufio.Reader, c *cursor) error {
	if c.key == nil {
		c.key = make([]byte, quadRecLen)
	}
	_, err := io.ReadFull(r, c.key)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = errBadEncoding
	}
	return err
}

func readDictRec(r *bufio.Reader, c *cursor) error {
	if c.key == nil {
		c.key = make([]byte, 8)
	}
	if _, err := io.ReadFull(r, c.key); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = errBadEncoding
		}
		return err
	}
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return errBadEncoding
	}
	c.val = slices.Grow(c.val[:0], int(n))[:n]
	if _, err := io.ReadFull(r, c.val); err != nil {
		return errBadEncoding
	}
	return nil
}

// merger merges sorted cursors (a binary min-heap on the current keys).
type merger struct {
	h []*cursor
}

// newMerger advances every cursor to its first record; on error it closes
// them all.
func newMerger(cs []*cursor) (*merger, error) {
	m := &merger{}
	for i, c := range cs {
		ok, err := c.next(c)
		if err != nil {
			for _, c := range cs[i:] {
				c.close()
			}
			m.close()
			return nil, err
		}
		if ok {
			m.push(c)
		} else {
			c.close()
		}
	}
	return m, nil
}

func (m *merger) less(i, j int) bool { return bytes.Compare(m.h[i].key, m.h[j].key) < 0 }

func (m *merger) push(c *cursor) {
	m.h = append(m.h, c)
	for i := len(m.h) - 1; i > 0; {
		p := (i - 1) / 2
		if !m.less(i, p) {
			break
		}
		m.h[i], m.h[p] = m.h[p], m.h[i]
		i = p
	}
}

func (m *merger) down(i int) {
	for {
		l, small := 2*i+1, i
		if l < len(m.h) && m.less(l, small) {
			small = l
		}
		if r := l + 1; r < len(m.h) && m.less(r, small) {
			small = r
		}
		if small == i {
			return
		}
		m.h[i], m.h[small] = m.h[small], m.h[i]
		i = small
	}
}

// top is the cursor with the smallest key; nil when all are done.
func (m *merger) top() *cursor {
	if len(m.h) == 0 {
		return nil
	}
	return m.h[0]
}

// advance moves the top cursor to its next record.
func (m *merger) advance() error {
	c := m.h[0]
	ok, err := c.next(c)
	if err != nil {
		return err
	}
	if !ok {
		c.close()
		last := len(m.h) - 1
		m.h[0] = m.h[last]
		m.h = m.h[:last]
	}
	if len(m.h) > 0 {
		m.down(0)
	}
	return nil
}

func (m *merger) close() {
	for _, c := range m.h {
		c.close()
	}
	m.h = nil
}
