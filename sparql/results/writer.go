package results

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
)

// Writer writes one result in a result format, streaming: each solution is
// encoded when it is handed over, through a fixed-size buffer. The calls go
// WriteHead, WriteSolution any number of times, Close; or WriteBoolean,
// Close. After an error the writer is dead and every later call returns that
// error.
type Writer interface {
	// WriteHead starts a SELECT result with the given variables (names
	// without '?').
	WriteHead(vars []string) error
	// WriteSolution writes one row, with one term per variable in the
	// order given to WriteHead; a zero term is unbound.
	WriteSolution(s Solution) error
	// WriteBoolean writes the whole result of an ASK query.
	WriteBoolean(answer bool) error
	// Flush sends what is buffered to the underlying writer, for a client
	// waiting on a slow stream; the document stays open.
	Flush() error
	// Close writes the end of the document and flushes. It does not close
	// the underlying writer.
	Close() error
}

// NewWriter returns a Writer of the format f on w.
func NewWriter(w io.Writer, f Format) (Writer, error) {
	var enc encoder
	switch f {
	case JSON:
		enc = &jsonEncoder{}
	case XML:
		enc = xmlEncoder{}
	case CSV:
		enc = csvEncoder{}
	case TSV:
		enc = tsvEncoder{}
	default:
		return nil, fmt.Errorf("new writer: unknown format %v", f)
	}
	return &writer{bw: bufio.NewWriterSize(w, 32<<10), enc: enc}, nil
}

// Write writes a whole Set to w in the format f, checking ctx between rows
// so that a cancelled request stops a long result. On an error (from the
// stream, the context or w) the document is left unfinished, so that a
// client cannot take a truncated result for a complete one.
func Write(ctx context.Context, w io.Writer, f Format, s Set) error {
	wr, err := NewWriter(w, f)
	if err != nil {
		return err
	}
	if s.IsBoolean {
		if err := wr.WriteBoolean(s.Boolean); err != nil {
			return err
		}
		return wr.Close()
	}
	if err := wr.WriteHead(s.Vars); err != nil {
		return err
	}
	if s.Solutions != nil {
		n := 0
		for row, err := range s.Solutions {
			if err != nil {
				return fmt.Errorf("write %v results: %w", f, err)
			}
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("write %v results: %w", f, err)
				}
			}
			if err := wr.WriteSolution(row); err != nil {
				return err
			}
		}
	}
	return wr.Close()
}

// encoder is what a format adds to the shared writer: the bytes of each
// part of a document. The writer has checked the order of calls, the
// variable names and the width and terms of every row.
type encoder interface {
	head(w *bufio.Writer, vars []string) error
	row(w *bufio.Writer, vars []string, s Solution) error
	boolean(w *bufio.Writer, answer bool) error
	end(w *bufio.Writer, boolean bool) error
	name() Format
}

type writerState uint8

const (
	stateStart writerState = iota
	stateRows
	stateBoolean
	stateClosed
)

type writer struct {
	bw    *bufio.Writer
	enc   encoder
	state writerState
	vars  []string
	err   error
}

func (w *writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}

func (w *writer) WriteHead(vars []string) error {
	if w.err != nil {
		return w.err
	}
	if w.state != stateStart {
		return w.fail(fmt.Errorf("write %v head: %w", w.enc.name(), ErrState))
	}
	seen := make(map[string]bool, len(vars))
	for _, v := range vars {
		if !ValidVarName(v) {
			return w.fail(fmt.Errorf("write %v head: variable name %q: %w", w.enc.name(), v, ErrInvalid))
		}
		if seen[v] {
			return w.fail(fmt.Errorf("write %v head: variable ?%s repeated: %w", w.enc.name(), v, ErrInvalid))
		}
		seen[v] = true
	}
	w.vars = append([]string(nil), vars...)
	w.state = stateRows
	if err := w.enc.head(w.bw, w.vars); err != nil {
		return w.fail(fmt.Errorf("write %v head: %w", w.enc.name(), err))
	}
	return nil
}

func (w *writer) WriteSolution(s Solution) error {
	if w.err != nil {
		return w.err
	}
	if w.state != stateRows {
		return w.fail(fmt.Errorf("write %v solution: %w", w.enc.name(), ErrState))
	}
	if len(s) != len(w.vars) {
		return w.fail(fmt.Errorf("write %v solution: %d values for %d variables: %w", w.enc.name(), len(s), len(w.vars), ErrInvalid))
	}
	for i, t := range s {
		switch t.Kind() {
		case graph.KindNone, graph.KindIRI, graph.KindBlank, graph.KindLiteral:
		default:
			return w.fail(fmt.Errorf("write %v solution: ?%s bound to %v: %w", w.enc.name(), w.vars[i], t.Kind(), ErrInvalid))
		}
	}
	if err := w.enc.row(w.bw, w.vars, s); err != nil {
		return w.fail(fmt.Errorf("write %v solution: %w", w.enc.name(), err))
	}
	return nil
}

func (w *writer) WriteBoolean(answer bool) error {
	if w.err != nil {
		return w.err
	}
	if w.state != stateStart {
		return w.fail(fmt.Errorf("write %v boolean: %w", w.enc.name(), ErrState))
	}
	w.state = stateBoolean
	if err := w.enc.boolean(w.bw, answer); err != nil {
		return w.fail(fmt.Errorf("write %v boolean: %w", w.enc.name(), err))
	}
	return nil
}

func (w *writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		return w.fail(fmt.Errorf("write %v results: %w", w.enc.name(), err))
	}
	return nil
}

func (w *writer) Close() error {
	if w.err != nil {
		return w.err
	}
	switch w.state {
	case stateStart:
		return w.fail(fmt.Errorf("close %v writer before a head or boolean: %w", w.enc.name(), ErrState))
	case stateClosed:
		return w.fail(fmt.Errorf("close %v writer twice: %w", w.enc.name(), ErrState))
	}
	boolean := w.state == stateBoolean
	w.state = stateClosed
	if err := w.enc.end(w.bw, boolean); err != nil {
		return w.fail(fmt.Errorf("close %v writer: %w", w.enc.name(), err))
	}
	if err := w.bw.Flush(); err != nil {
		return w.fail(fmt.Errorf("close %v writer: %w", w.enc.name(), err))
	}
	w.err = fmt.Errorf("%v writer closed: %w", w.enc.name(), ErrState)
	return nil
}

// ValidVarName reports whether name is a SPARQL variable name (VARNAME,
// SPARQL 1.1 Query §19.8 [166]), without the leading '?' or '$'.
func ValidVarName(name string) bool {
	if name == "" || !utf8.ValidString(name) {
		return false
	}
	for i, r := range name {
		if isPNCharsU(r) || (r >= '0' && r <= '9') {
			continue
		}
		if i > 0 && (r == 0xB7 || (r >= 0x300 && r <= 0x36F) || r == 0x203F || r == 0x2040) {
			continue
		}
		return false
	}
	return true
}

// isPNCharsBase is PN_CHARS_BASE of SPARQL and Turtle.
func isPNCharsBase(r rune) bool {
	switch {
	case r < 0x80:
		return (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z')
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

// isPNCharsU is PN_CHARS_U: PN_CHARS_BASE or '_'.
func isPNCharsU(r rune) bool { return r == '_' || isPNCharsBase(r) }

// isPNChars is PN_CHARS.
func isPNChars(r rune) bool {
	return isPNCharsU(r) || r == '-' || (r >= '0' && r <= '9') || r == 0xB7 ||
		(r >= 0x300 && r <= 0x36F) || r == 0x203F || r == 0x2040
}
