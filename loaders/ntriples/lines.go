package ntriples

import (
	"bytes"
	"errors"
	"io"
)

const (
	// minBufSize is the initial size of the decoder's read buffer, so that
	// small documents (and fuzzing) do not pay for a large one.
	minBufSize = 4 << 10
	// bufSize is the size the read buffer grows to while reads keep filling
	// it, i.e. for any input larger than a few buffers.
	bufSize = 256 << 10
	// MaxLineBytes is the longest line the decoder accepts. The read buffer
	// grows to hold a line longer than 256 KiB, up to this cap, so that a
	// corrupt or hostile input without line ends cannot exhaust memory.
	MaxLineBytes = 64 << 20
)

// errLineTooLong reports a line over MaxLineBytes; the decoder turns it into
// a positioned *syntax.Error.
var errLineTooLong = errors.New("line too long")

// lineReader splits an input into lines ending at LF, CR or CRLF. Unlike
// bufio.Reader.ReadSlice('\n') it also ends lines at a lone CR, so an input
// with old Mac line ends is still read one line at a time in constant memory.
type lineReader struct {
	r          io.Reader
	buf        []byte
	start, end int   // unread bytes are buf[start:end]
	rerr       error // sticky error of r (io.EOF at the end of input)
	skipLF     bool  // the last line ended with a CR at the end of the data read so far
	full       bool  // the last read filled the buffer
	empty      int   // consecutive reads returning nothing
}

func newLineReader(r io.Reader) lineReader {
	return lineReader{r: r, buf: make([]byte, minBufSize)}
}

// next returns the next line without its terminator. The slice is valid
// until the following call. At the end of input it returns io.EOF; a read
// error of the underlying reader is returned as is.
func (lr *lineReader) next() ([]byte, error) {
	for {
		if lr.skipLF && lr.start < lr.end {
			if lr.buf[lr.start] == '\n' {
				lr.start++
			}
			lr.skipLF = false
		}
		window := lr.buf[lr.start:lr.end]
		lf := bytes.IndexByte(window, '\n')
		head := window
		if lf >= 0 {
			head = window[:lf]
		}
		if cr := bytes.IndexByte(head, '\r'); cr >= 0 {
			switch {
			case cr+1 < len(window) && window[cr+1] == '\n':
				lr.start += cr + 2
			case cr+1 < len(window):
				lr.start += cr + 1
			default:
				// The CR is the last byte read so far: an LF may follow in
				// the next read and belongs to this line end.
				lr.start += cr + 1
				lr.skipLF = true
			}
			return window[:cr], nil
		}
		if lf >= 0 {
			lr.start += lf + 1
			return window[:lf], nil
		}
		if lr.rerr != nil {
			// A partial last line is a line at the end of input, but not
			// when the reader failed: then it is cut short.
			if len(window) == 0 || lr.rerr != io.EOF {
				return nil, lr.rerr
			}
			lr.start = lr.end
			return window, nil
		}
		if err := lr.fill(); err != nil {
			return nil, err
		}
	}
}

// fill reads more input, first moving the unread bytes to the front of the
// buffer, and growing the buffer when a single line fills it or when reads
// keep filling a buffer smaller than bufSize.
func (lr *lineReader) fill() error {
	if lr.start > 0 {
		lr.end = copy(lr.buf, lr.buf[lr.start:lr.end])
		lr.start = 0
	}
	switch {
	case lr.end == len(lr.buf): // one line fills the buffer
		if len(lr.buf) >= MaxLineBytes {
			return errLineTooLong
		}
		lr.grow(min(2*len(lr.buf), MaxLineBytes))
	case lr.full && len(lr.buf) < bufSize: // a large input: read in larger blocks
		lr.grow(min(2*len(lr.buf), bufSize))
	}
	n, err := lr.r.Read(lr.buf[lr.end:])
	lr.full = lr.end+n == len(lr.buf)
	lr.end += n
	switch {
	case err != nil:
		lr.rerr = err
	case n == 0:
		lr.empty++
		if lr.empty >= 100 {
			lr.rerr = io.ErrNoProgress
		}
	default:
		lr.empty = 0
	}
	return nil
}

// grow replaces the buffer with one of the given size holding the unread
// bytes, which fill() has moved to the front.
func (lr *lineReader) grow(size int) {
	nb := make([]byte, size)
	lr.end = copy(nb, lr.buf[:lr.end])
	lr.buf = nb
}
