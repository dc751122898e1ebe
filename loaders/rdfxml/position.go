package rdfxml

import (
	"bufio"
	"io"
)

// posReader feeds encoding/xml one byte at a time while counting lines and
// columns (in code points), so errors can name a column as syntax.Error
// requires; encoding/xml itself only knows byte columns.
type posReader struct {
	r      *bufio.Reader
	n      int64 // bytes handed out
	line   int   // position of the next byte
	col    int
	pline  int // position of the previous byte, for one byte of push-back
	pcol   int
	ioErr  error // last error of the underlying reader other than io.EOF
	hasErr bool
}

func newPosReader(r io.Reader) *posReader {
	br := bufio.NewReaderSize(r, 64<<10)
	// A UTF-8 byte order mark is not part of the document (XML 1.0 §4.3.3);
	// encoding/xml would read it as text before the root element.
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	return &posReader{r: br, line: 1, col: 1, pline: 1, pcol: 1}
}

// ReadByte implements io.ByteReader, which encoding/xml uses directly.
func (p *posReader) ReadByte() (byte, error) {
	c, err := p.r.ReadByte()
	if err != nil {
		if err != io.EOF {
			p.ioErr, p.hasErr = err, true
		}
		return c, err
	}
	p.n++
	p.pline, p.pcol = p.line, p.col
	if c == '\n' {
		p.line++
		p.col = 1
	} else if c&0xC0 != 0x80 {
		p.col++
	}
	return c, nil
}

// Read implements io.Reader; encoding/xml never calls it because ReadByte
// exists, but NewDecoder's parameter type asks for it.
func (p *posReader) Read(b []byte) (int, error) {
	for i := range b {
		c, err := p.ReadByte()
		if err != nil {
			return i, err
		}
		b[i] = c
	}
	return len(b), nil
}

// at returns the line and column of byte offset off, which is either the
// number of bytes read or one less (encoding/xml pushes back one byte).
func (p *posReader) at(off int64) (line, col int) {
	if off < p.n {
		return p.pline, p.pcol
	}
	return p.line, p.col
}
