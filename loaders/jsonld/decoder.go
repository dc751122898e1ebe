package jsonld

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"unicode/utf8"

	"github.com/piprate/json-gold/ld"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// DefaultMaxBytes caps a JSON-LD input when Options.MaxBytes is zero.
const DefaultMaxBytes = 256 << 20

// Values of Options.RDFDirection, as the JSON-LD 1.1 API names them.
const (
	// RDFDirectionI18nDatatype encodes a value's base direction in its
	// datatype IRI, https://www.w3.org/ns/i18n#{lang}_{dir}.
	RDFDirectionI18nDatatype = "i18n-datatype"
	// RDFDirectionCompoundLiteral encodes a value with a base direction as a
	// blank node with rdf:value, rdf:language and rdf:direction.
	RDFDirectionCompoundLiteral = "compound-literal"
)

// Processing modes (Options.ProcessingMode).
const (
	// ProcessingMode11 is JSON-LD 1.1, the default.
	ProcessingMode11 = "json-ld-1.1"
	// ProcessingMode10 makes 1.1-only features errors, as a JSON-LD 1.0
	// processor would.
	ProcessingMode10 = "json-ld-1.0"
)

// Options configure a Decoder. The zero value works: a fresh blank-node
// scope, an offline loader with the bundled contexts, a 256 MiB input cap.
type Options struct {
	syntax.Options
	// Loader loads remote contexts. nil means a fresh offline loader with
	// the bundled contexts; share one loader between decoders so contexts are
	// fetched and processed once.
	Loader *DocumentLoader
	// ExpandContext is the IRI of a context applied before the document's
	// own (the API's expandContext option); it is loaded through Loader.
	// It maps plain JSON onto RDF without editing the JSON.
	ExpandContext string
	// MaxBytes caps the input, which is held in memory whole because JSON-LD
	// can only be expanded as a whole; 0 means DefaultMaxBytes.
	MaxBytes int64
	// RDFDirection says how values with @direction become RDF: "" drops the
	// direction, or RDFDirectionI18nDatatype, or RDFDirectionCompoundLiteral.
	RDFDirection string
	// ProcessingMode is ProcessingMode11 (the default when empty) or
	// ProcessingMode10; any other value is an error.
	ProcessingMode string
}

// Error is a JSON-LD processing error: the input is JSON but not valid
// JSON-LD, or a context could not be loaded. Code is the error code the
// JSON-LD 1.1 API defines ("invalid context entry", "loading remote context
// failed", ...), empty for errors that have none.
type Error struct {
	File string
	Code string
	Err  error
}

// Error formats the error as "file: jsonld: code: details".
func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = "<input>"
	}
	if e.Code == "" {
		return fmt.Sprintf("%s: jsonld: %v", file, e.Err)
	}
	return fmt.Sprintf("%s: jsonld: %s: %v", file, e.Code, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Decoder reads one JSON-LD document as quads. The first call of Next reads
// and expands the whole document (held in memory, capped by
// Options.MaxBytes); quads are then produced one at a time from the expanded
// form. Duplicate quads may be returned (JSON-LD can state a triple twice);
// stores ignore them.
type Decoder struct {
	r      io.Reader
	opts   Options
	blanks *graph.BlankScope

	started bool
	conv    *converter
	bases   *baseTable
	next    func() (graph.Quad, bool)
	stop    func()
	err     error

	// expandFunc, when not nil, replaces the expansion proper (tests
	// compare ours with json-gold's through it).
	expandFunc func(active *ld.Context, doc any, opts *ld.JsonLdOptions) (any, error)
}

var _ syntax.Decoder = (*Decoder)(nil)

// NewDecoder returns a decoder reading r. Nothing is read until Next.
func NewDecoder(r io.Reader, opts Options) *Decoder {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Loader == nil {
		opts.Loader = newLoader(LoaderOptions{})
	}
	if opts.ProcessingMode == "" {
		opts.ProcessingMode = ProcessingMode11
	}
	return &Decoder{r: r, opts: opts, blanks: opts.BlankScope()}
}

// Next returns the next quad, io.EOF after the last one, or the error that
// stopped decoding: a *syntax.Error for bad JSON, an *Error for bad JSON-LD.
// Errors are final.
func (d *Decoder) Next() (q graph.Quad, err error) {
	if d.err != nil {
		return graph.Quad{}, d.err
	}
	defer func() {
		if r := recover(); r != nil {
			d.fail(&Error{File: d.opts.File, Code: "internal error", Err: fmt.Errorf("%v", r)})
			q, err = graph.Quad{}, d.err
		}
	}()
	if !d.started {
		d.started = true
		expanded, err := d.expand()
		if err != nil {
			d.fail(err)
			return graph.Quad{}, d.err
		}
		d.conv = &converter{blanks: d.blanks, direction: d.opts.RDFDirection, bases: d.bases}
		d.next, d.stop = iter.Pull(d.conv.quads(expanded))
	}
	q, ok := d.next()
	if !ok {
		if d.conv.err != nil {
			var e *Error
			if errors.As(d.conv.err, &e) {
				e.File = d.opts.File
			}
			d.fail(d.conv.err)
			return graph.Quad{}, d.err
		}
		d.fail(io.EOF)
		return graph.Quad{}, io.EOF
	}
	return q, nil
}

// fail records the final error and releases the quad iterator.
func (d *Decoder) fail(err error) {
	d.err = err
	if d.stop != nil {
		d.stop()
		d.stop = nil
	}
}

// expand reads, parses and expands the document.
func (d *Decoder) expand() ([]any, error) {
	data, err := io.ReadAll(io.LimitReader(d.r, d.opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", d.name(), err)
	}
	if int64(len(data)) > d.opts.MaxBytes {
		return nil, &syntax.Error{File: d.opts.File, Line: 1, Column: 1,
			Msg: fmt.Sprintf("JSON-LD document larger than %d bytes (the whole document must be held in memory to expand it; raise Options.MaxBytes)", d.opts.MaxBytes)}
	}
	doc, err := d.parse(data)
	if err != nil {
		return nil, err
	}
	d.bases = newBaseTable(data)
	return d.expandDoc(doc)
}

func (d *Decoder) name() string {
	if d.opts.File == "" {
		return "<input>"
	}
	return d.opts.File
}

// parse decodes the JSON text, turning encoding/json errors into positioned
// syntax errors.
func (d *Decoder) parse(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, d.jsonError(data, dec.InputOffset(), err)
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = fmt.Errorf("unexpected %v after the JSON value", tok)
		}
		return nil, d.jsonError(data, dec.InputOffset(), err)
	}
	return doc, nil
}

// jsonError positions an encoding/json error. A SyntaxError carries the
// offset just past the offending byte; other errors use the decoder offset.
func (d *Decoder) jsonError(data []byte, off int64, err error) error {
	var se *json.SyntaxError
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		off = se.Offset - 1
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		off = int64(len(data))
		msg = "unexpected end of JSON input"
	}
	off = max(0, min(off, int64(len(data))))
	line, col := position(data[:off])
	return &syntax.Error{File: d.opts.File, Line: line, Column: col, Msg: "json: " + strings.TrimPrefix(msg, "json: ")}
}

// position returns the 1-based line and column (in code points) just after
// prefix.
func position(prefix []byte) (line, col int) {
	line = 1 + bytes.Count(prefix, []byte{'\n'})
	if i := bytes.LastIndexByte(prefix, '\n'); i >= 0 {
		prefix = prefix[i+1:]
	}
	return line, 1 + utf8.RuneCount(prefix)
}

// expandDoc expands the document (with our copy of json-gold's expansion
// algorithm, expand.go, and json-gold's context processing), with our loader
// and our context cache, recovering any panic.
func (d *Decoder) expandDoc(doc any) (out []any, err error) {
	defer func() {
		if r := recover(); r != nil {
			// json-gold (and our copy of its expansion) asserts types of
			// context and document values without checking them; on such
			// input it panics. Report it as bad input (no JSON-LD error
			// code fits).
			out, err = nil, &Error{File: d.opts.File, Err: fmt.Errorf("input not processable (json-gold panicked: %v)", r)}
		}
	}()
	if m := d.opts.ProcessingMode; m != ProcessingMode10 && m != ProcessingMode11 {
		// The expansion relies on it (see expander.mode10).
		return nil, &Error{File: d.opts.File, Err: fmt.Errorf("processing mode %q is neither %s nor %s", m, ProcessingMode11, ProcessingMode10)}
	}
	// json-gold resolves IRIs against a sentinel base that the converter
	// maps back (see baseTable).
	base := d.opts.Base
	if iri.IsAbsolute(base) {
		base = d.bases.sentinel(base)
	}
	opts := ld.NewJsonLdOptions(base)
	opts.DocumentLoader = d.opts.Loader
	opts.ProcessingMode = d.opts.ProcessingMode
	// SafeMode makes json-gold report dropped content instead of silently
	// losing it in some places; we keep the default (off) because the W3C
	// suite requires dropping, e.g., unknown keywords.
	if err := prepareContexts(doc, d.opts.Base, d.bases); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File = d.opts.File
		}
		return nil, err
	}
	active := ld.NewContext(nil, opts)
	if d.opts.ExpandContext != "" {
		active, err = active.Parse(d.opts.ExpandContext)
		if err != nil {
			return nil, d.ldError(err)
		}
	} else {
		d.useCachedContexts(doc, opts)
	}
	if err := validateScopedContexts(active, doc); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File = d.opts.File
		}
		return nil, err
	}
	// Our copy of json-gold's expansion, with bugs fixed (expand.go).
	var expanded any
	if d.expandFunc != nil {
		expanded, err = d.expandFunc(active, doc, opts)
	} else {
		expanded, err = newExpander(opts).expand(active, doc)
	}
	if err != nil {
		return nil, d.ldError(err)
	}
	// The final step of the expansion algorithm (JSON-LD 1.1 API §5.1.2
	// step 19), which json-gold keeps in its unexported processor.
	if m, ok := expanded.(map[string]any); ok {
		if g, ok := m["@graph"]; ok && len(m) == 1 {
			expanded = g
		} else if len(m) == 0 {
			expanded = nil
		}
	}
	switch e := expanded.(type) {
	case nil:
		return nil, nil
	case []any:
		return e, nil
	default:
		return []any{e}, nil
	}
}

// ldError wraps a json-gold error with its JSON-LD error code.
func (d *Decoder) ldError(err error) error {
	var le *ld.JsonLdError
	if errors.As(err, &le) {
		code := string(le.Code)
		// A recursive inclusion found by our loader reaches us wrapped in
		// "loading remote context failed"; the API names the inner code.
		for inner := errors.Unwrap(le); inner != nil; inner = errors.Unwrap(inner) {
			var ie *ld.JsonLdError
			if errors.As(inner, &ie) && ie.Code == ld.RecursiveContextInclusion {
				code, le = string(ie.Code), ie
				break
			}
		}
		var detail error
		switch v := le.Details.(type) {
		case error:
			detail = v
		case nil:
			detail = errors.New(code)
		default:
			detail = fmt.Errorf("%v", v)
		}
		// A context the loader refused says itself what happened, for
		// users; json-gold's wrapping of it ("dereferencing a URL did not
		// result in a valid JSON-LD context (URL): loading document
		// failed: ...") only repeats it.
		var rce *RemoteContextError
		if errors.As(detail, &rce) {
			detail = rce
		}
		if le.Code == ld.InvalidVersionValue {
			// json-gold formats the value with %s, which garbles numbers
			// ("%!s(float64=1.2)").
			detail = errors.New("@version must be the number 1.1")
		}
		// json-gold nests errors ("loading remote context failed: loading
		// document failed: ..."); the outermost code is the one the API
		// specifies.
		return &Error{File: d.opts.File, Code: code, Err: detail}
	}
	return &Error{File: d.opts.File, Err: err}
}

// useCachedContexts replaces, in each top-level node object, the leading
// remote context IRIs of its @context by the processed context from the
// loader's cache. Only top-level objects qualify: their active context is the
// initial one, which is what a cached context was processed against.
func (d *Decoder) useCachedContexts(doc any, opts *ld.JsonLdOptions) {
	switch v := doc.(type) {
	case map[string]any:
		d.useCachedContext(v, opts)
	case []any:
		for _, e := range v {
			if m, ok := e.(map[string]any); ok {
				d.useCachedContext(m, opts)
			}
		}
	}
}

func (d *Decoder) useCachedContext(m map[string]any, opts *ld.JsonLdOptions) {
	c, ok := m["@context"]
	if !ok {
		return
	}
	list, isList := c.([]any)
	if !isList {
		list = []any{c}
	}
	n := 0
	for n < len(list) {
		s, ok := list[n].(string)
		if !ok || !iri.IsAbsolute(s) {
			break
		}
		n++
	}
	if n == 0 {
		return
	}
	iris := make([]string, n)
	for i := range n {
		iris[i] = list[i].(string)
	}
	cached := d.opts.Loader.processed(iris, opts.ProcessingMode)
	if cached == nil {
		return
	}
	rest := append([]any{rebase(cached, opts)}, list[n:]...)
	m["@context"] = rest
}
