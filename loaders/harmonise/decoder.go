package harmonise

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/jsonld"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// Decoder turns records (JSON, JSON Lines or CSV) into quads through a
// Mapping, applying code tables and reporting every field that did not
// map. It reads one record at a time: memory is bounded by the largest
// record, whatever the number of records.
type Decoder struct {
	r      *bufio.Reader
	m      *Mapping
	opts   Options
	report *Report
	blanks *graph.BlankScope
	tpl    *template

	started bool
	next    func() error // reads one record into pending
	pending []graph.Quad
	pi      int
	err     error

	keys  map[string]string // record key -> expanded IRI ("" unmapped)
	coded map[string]bool   // fields whose code table a record used
	buf   bytes.Buffer
	enc   *json.Encoder
	jsrc  *jsonSource
	csrc  *csvSource
	table *tableDecoder
}

var _ syntax.Decoder = (*Decoder)(nil)

// NewDecoder returns a decoder of the records in r mapped by m. Nothing is
// read until Next.
func NewDecoder(r io.Reader, m *Mapping, opts Options) *Decoder {
	if opts.MaxRecordBytes <= 0 {
		opts.MaxRecordBytes = DefaultMaxRecordBytes
	}
	d := &Decoder{r: bufio.NewReaderSize(r, 1<<16), m: m, opts: opts, report: newReport(opts.File, opts),
		blanks: opts.BlankScope(), keys: map[string]string{}}
	d.enc = json.NewEncoder(&d.buf)
	d.enc.SetEscapeHTML(false)
	return d
}

// Report returns the report the decoder fills; it is complete once Next
// has returned io.EOF (or the final error).
func (d *Decoder) Report() *Report { return d.report }

// Next returns the next quad, io.EOF after the last one, or the error that
// stopped decoding: a *syntax.Error positioned at the record for bad input,
// a JSON-LD error in a record, or an unmapped value under the Fail policy.
// Errors are final.
func (d *Decoder) Next() (q graph.Quad, err error) {
	if d.err != nil {
		return graph.Quad{}, d.err
	}
	defer func() {
		if r := recover(); r != nil {
			d.err = fmt.Errorf("harmonise %s: internal error: %v", d.name(), r)
			q, err = graph.Quad{}, d.err
		}
	}()
	for d.pi >= len(d.pending) {
		d.pending, d.pi = d.pending[:0], 0
		if !d.started {
			d.started = true
			if err := d.start(); err != nil {
				d.err = err
				return graph.Quad{}, err
			}
		}
		if err := d.next(); err != nil {
			if err == io.EOF {
				d.report.UnusedCodes = d.unusedCodes()
			}
			d.err = err
			return graph.Quad{}, err
		}
		d.report.Triples += int64(len(d.pending))
	}
	q = d.pending[d.pi]
	d.pi++
	return q, nil
}

func (d *Decoder) name() string {
	if d.opts.File == "" {
		return "<input>"
	}
	return d.opts.File
}

// hasCodes reports whether field has a code table, and notes that a record
// used it (see unusedCodes).
func (d *Decoder) hasCodes(field string) bool {
	if !d.opts.Codes.Has(field) {
		return false
	}
	if d.coded == nil {
		d.coded = map[string]bool{}
	}
	d.coded[field] = true
	return true
}

// unusedCodes returns the fields with a code table that no record had: a
// table keyed by a misspelt field ("sexx") would otherwise change nothing,
// silently, and the codes it was meant for would go through unmapped.
func (d *Decoder) unusedCodes() []string {
	var out []string
	for _, f := range d.opts.Codes.Fields() {
		if !d.coded[f] {
			out = append(out, f)
		}
	}
	return out
}

// start picks the record reader from the format and the mapping.
func (d *Decoder) start() error {
	if d.m == nil {
		return errors.New("harmonise: no mapping")
	}
	if d.opts.IDTemplate != "" {
		t, err := parseTemplate(d.opts.IDTemplate)
		if err != nil {
			return fmt.Errorf("harmonise: id template: %w", err)
		}
		d.tpl = t
	} else {
		d.tpl = d.m.idTemplate
	}
	if b, _ := d.r.Peek(3); string(b) == "\ufeff" {
		d.r.Discard(3) // a byte order mark, which Windows tools write
	}
	f := d.opts.Format
	if f == FormatAuto {
		f = d.sniff()
	}
	if d.m.table != nil {
		if f != FormatCSV {
			return fmt.Errorf("harmonise %s: a CSVW table description maps CSV, not %s", d.name(), f)
		}
		d.table = newTableDecoder(d)
		d.next = d.table.next
		return nil
	}
	switch f {
	case FormatCSV:
		comma := d.opts.Comma
		if comma == 0 {
			comma = ','
		}
		d.csrc = newCSVSource(d.r, d.opts.File, comma)
		d.next = d.nextCSVRecord
	default:
		d.jsrc = newJSONSource(d.r, d.opts.File, d.opts.MaxRecordBytes)
		d.next = d.nextJSONRecord
	}
	return nil
}

// sniff detects the format from the first byte that is not white space or
// a byte order mark.
func (d *Decoder) sniff() Format {
	for n := 1; n <= 4096; n++ {
		b, err := d.r.Peek(n)
		if len(b) < n {
			if err != nil {
				return FormatJSON // empty input: no records either way
			}
		}
		c := b[n-1]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			continue
		case c == 0xEF || c == 0xBB || c == 0xBF:
			continue
		case c == '[' || c == '{':
			return FormatJSON
		}
		return FormatCSV
	}
	return FormatCSV
}

func (d *Decoder) nextJSONRecord() error {
	rec, err := d.jsrc.next()
	if err != nil {
		return err
	}
	d.report.Records++
	return d.convert(rec)
}

func (d *Decoder) nextCSVRecord() error {
	rec, err := d.csrc.next()
	if err != nil {
		return err
	}
	d.report.Records++
	return d.convert(rec)
}

// record is one record read, with where it starts.
type record struct {
	n         int // counts from 1
	line, col int
	obj       map[string]any
}

// convert maps one record through the JSON-LD mapping into d.pending.
func (d *Decoder) convert(rec record) error {
	obj := rec.obj
	_, ownContext := obj["@context"]
	if _, ok := obj["@id"]; !ok && d.tpl != nil {
		id, missing, ok := d.tpl.expand(func(name string) (string, bool) { return lookupPath(obj, name) })
		if ok {
			obj["@id"] = id
		} else {
			d.report.add(RecordIssue{Record: rec.n, Line: rec.line, Field: missing, Reason: ReasonNoID, Action: "blank node"})
		}
	}
	if _, ok := obj["@type"]; !ok && d.m.recordType != nil {
		obj["@type"] = d.m.recordType
	}
	if err := d.check(rec, obj, "", !ownContext); err != nil {
		return err
	}
	if ownContext {
		c := obj["@context"]
		if list, ok := c.([]any); ok {
			obj["@context"] = append([]any{d.m.ctxIRI}, list...)
		} else {
			obj["@context"] = []any{d.m.ctxIRI, c}
		}
	} else {
		obj["@context"] = d.m.ctxIRI
	}
	d.buf.Reset()
	if err := d.enc.Encode(obj); err != nil {
		return d.recordError(rec, fmt.Sprintf("encode: %v", err))
	}
	jd := jsonld.NewDecoder(bytes.NewReader(d.buf.Bytes()), jsonld.Options{
		Options: syntax.Options{File: d.opts.File, Base: d.opts.Base, Blanks: d.blanks},
		Loader:  d.m.loader,
	})
	for {
		q, err := jd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var le *jsonld.Error
			if errors.As(err, &le) {
				msg := "jsonld: "
				if le.Code != "" {
					msg += le.Code + ": "
				}
				return d.recordError(rec, msg+le.Err.Error())
			}
			return d.recordError(rec, err.Error())
		}
		d.pending = append(d.pending, q)
	}
}

// recordError is a *syntax.Error at the start of rec.
func (d *Decoder) recordError(rec record, msg string) error {
	return &syntax.Error{File: d.opts.File, Line: rec.line, Column: rec.col, Msg: fmt.Sprintf("record %d: %s", rec.n, msg)}
}

// check applies code tables to the fields of obj and reports fields that
// do not map. With keys set it also checks each key against the mapping
// context and each value against its term's datatype, recursing into
// nested node objects whose term has no scoped context (a scoped context
// would change what the keys mean; such objects are not checked).
func (d *Decoder) check(rec record, obj map[string]any, path string, keys bool) error {
	names := make([]string, 0, len(obj))
	for k := range obj {
		if !strings.HasPrefix(k, "@") {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		field := path + k
		v := obj[k]
		if d.hasCodes(field) {
			nv, keep, err := d.mapCodes(rec, field, v)
			if err != nil {
				return err
			}
			if !keep {
				delete(obj, k)
				continue
			}
			obj[k] = nv
		}
		if !keys {
			continue
		}
		if d.expandKey(k) == "" {
			d.report.add(RecordIssue{Record: rec.n, Line: rec.line, Field: field, Value: short(v), Reason: ReasonNoTerm, Action: "dropped"})
			continue
		}
		td := d.m.ctx.TermDefinitions[k]
		if td != nil && strings.HasPrefix(td.Type, "http") {
			nv, keep, err := d.checkDatatype(rec, field, td.Type, obj[k])
			if err != nil {
				return err
			}
			if !keep {
				delete(obj, k)
				continue
			}
			obj[k] = nv
		}
		if td != nil && (td.HasContext || td.Type == "@json" || len(td.Container) > 0 && !slices.Equal(td.Container, []string{"@set"}) && !slices.Equal(td.Container, []string{"@list"})) {
			continue
		}
		for _, e := range asList(obj[k]) {
			if m, ok := e.(map[string]any); ok {
				_, isValue := m["@value"]
				_, hasCtx := m["@context"]
				if isValue || hasCtx {
					continue
				}
				if err := d.check(rec, m, field+".", true); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// expandKey caches Mapping.expandKey for the decoder's records.
func (d *Decoder) expandKey(k string) string {
	if s, ok := d.keys[k]; ok {
		return s
	}
	s := d.m.expandKey(k)
	if len(d.keys) < 4096 {
		d.keys[k] = s
	}
	return s
}

// mapCodes replaces the codes in v (a scalar or a list of scalars) by
// node references to their concepts. It returns keep false when nothing is
// left of the value.
func (d *Decoder) mapCodes(rec record, field string, v any) (any, bool, error) {
	one := func(e any) (any, bool, error) {
		s, ok := scalar(e)
		if !ok {
			return e, true, nil // objects are left to the mapping
		}
		if concept, ok := d.opts.Codes.Lookup(field, s); ok {
			return map[string]any{"@id": concept}, true, nil
		}
		p := d.opts.OnUnmappedCode
		d.report.add(RecordIssue{Record: rec.n, Line: rec.line, Field: field, Value: s, Reason: ReasonUnmappedCode, Action: p.action()})
		switch p {
		case Fail:
			return nil, false, d.recordError(rec, fmt.Sprintf("%s=%q: %s", field, s, ReasonUnmappedCode))
		case Drop:
			return nil, false, nil
		}
		// A value object: a plain literal whatever the term's coercion
		// (an "@type": "@id" term would make "X" a relative IRI).
		return map[string]any{"@value": s}, true, nil
	}
	return eachValue(v, one)
}

// checkDatatype checks the scalars of v against datatype.
func (d *Decoder) checkDatatype(rec record, field, datatype string, v any) (any, bool, error) {
	one := func(e any) (any, bool, error) {
		var lex string
		switch x := e.(type) {
		case string:
			lex = x
		case json.Number:
			lex = x.String()
			if f, err := strconv.ParseFloat(lex, 64); err == nil && f == math.Trunc(f) && !math.IsInf(f, 0) && reInteger.MatchString(strconv.FormatFloat(f, 'f', -1, 64)) {
				lex = strconv.FormatFloat(f, 'f', -1, 64) // JSON-LD writes integral numbers as integers
			}
		default:
			return e, true, nil
		}
		if validLexical(datatype, lex) {
			return e, true, nil
		}
		p := d.opts.OnInvalidValue
		d.report.add(RecordIssue{Record: rec.n, Line: rec.line, Field: field, Value: lex, Reason: ReasonDatatype + " " + shortDatatype(datatype), Action: p.action()})
		switch p {
		case Fail:
			return nil, false, d.recordError(rec, fmt.Sprintf("%s=%q: %s %s", field, lex, ReasonDatatype, shortDatatype(datatype)))
		case Drop:
			return nil, false, nil
		}
		// Kept as a plain literal, as CSVW keeps an invalid cell: not an
		// ill-typed literal that queries on the datatype would trip over.
		return map[string]any{"@value": lex}, true, nil
	}
	return eachValue(v, one)
}

// eachValue applies f to v, or to each element of the list v.
func eachValue(v any, f func(any) (any, bool, error)) (any, bool, error) {
	list, isList := v.([]any)
	if !isList {
		return f(v)
	}
	out := list[:0]
	for _, e := range list {
		nv, keep, err := f(e)
		if err != nil {
			return nil, false, err
		}
		if keep {
			out = append(out, nv)
		}
	}
	return out, len(out) > 0 || len(list) == 0, nil
}

// scalar returns the string form of a JSON string, number or boolean.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// lookupPath finds the scalar at a dotted path in obj.
func lookupPath(obj map[string]any, path string) (string, bool) {
	for {
		head, rest, nested := strings.Cut(path, ".")
		v, ok := obj[head]
		if !ok {
			// A key may itself contain dots.
			v, ok = obj[path]
			if !ok {
				return "", false
			}
			nested = false
		}
		if !nested {
			s, ok := scalar(v)
			return s, ok && s != ""
		}
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		obj, path = m, rest
	}
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// short renders a value for a report, cut to 80 bytes.
func short(v any) string {
	s, ok := scalar(v)
	if !ok {
		b, _ := json.Marshal(v)
		s = string(b)
	}
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

func shortDatatype(dt string) string {
	if l, ok := strings.CutPrefix(dt, graph.XSDNamespace); ok {
		return "xsd:" + l
	}
	return dt
}

// jsonSource reads JSON records: the elements of a top-level array, or a
// sequence of values (one object, or JSON Lines).
type jsonSource struct {
	tr      *trackReader
	dec     *json.Decoder
	file    string
	started bool
	array   bool
	done    bool
	n       int
}

func newJSONSource(r io.Reader, file string, maxBytes int64) *jsonSource {
	tr := &trackReader{r: r, line: 1, col: 1, max: maxBytes}
	dec := json.NewDecoder(tr)
	return &jsonSource{tr: tr, dec: dec, file: file}
}

func (s *jsonSource) next() (record, error) {
	if s.done {
		return record{}, io.EOF
	}
	if !s.started {
		s.started = true
		if br, ok := s.tr.r.(*bufio.Reader); ok {
			s.array = firstByte(br) == '['
		}
		if s.array {
			if _, err := s.dec.Token(); err != nil {
				return record{}, s.syntaxError(err)
			}
		}
	}
	if s.array && !s.dec.More() {
		s.done = true
		if _, err := s.dec.Token(); err != nil { // the closing ]
			return record{}, s.syntaxError(err)
		}
		if tok, err := s.dec.Token(); err != io.EOF {
			if err == nil {
				line, col := s.tr.position(s.dec.InputOffset() - 1)
				return record{}, &syntax.Error{File: s.file, Line: line, Column: col, Msg: fmt.Sprintf("json: unexpected %v after the array of records", tok)}
			}
			return record{}, s.syntaxError(err)
		}
		return record{}, io.EOF
	}
	var raw json.RawMessage
	if err := s.dec.Decode(&raw); err != nil {
		if err == io.EOF && !s.array {
			s.done = true
			return record{}, io.EOF
		}
		return record{}, s.syntaxError(err)
	}
	s.n++
	line, col := s.tr.position(s.dec.InputOffset() - int64(len(raw)))
	rec := record{n: s.n, line: line, col: col}
	vd := json.NewDecoder(bytes.NewReader(raw))
	vd.UseNumber()
	var v any
	if err := vd.Decode(&v); err != nil {
		return rec, &syntax.Error{File: s.file, Line: line, Column: col, Msg: "json: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return rec, &syntax.Error{File: s.file, Line: line, Column: col, Msg: fmt.Sprintf("record %d is %s, want a JSON object", s.n, jsonKind(v))}
	}
	rec.obj = obj
	return rec, nil
}

// syntaxError positions a json.Decoder error.
func (s *jsonSource) syntaxError(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, errTooLarge):
		line, col := s.tr.position(s.tr.skipSpace(s.dec.InputOffset()))
		return &syntax.Error{File: s.file, Line: line, Column: col, Msg: fmt.Sprintf("record %d larger than %d bytes (raise Options.MaxRecordBytes)", s.n+1, s.tr.max)}
	case errors.As(err, &se):
		line, col := s.tr.position(se.Offset - 1)
		return &syntax.Error{File: s.file, Line: line, Column: col, Msg: "json: " + se.Error()}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		line, col := s.tr.position(s.tr.end())
		return &syntax.Error{File: s.file, Line: line, Column: col, Msg: "json: unexpected end of input"}
	case strings.HasPrefix(err.Error(), "json: ") || strings.HasPrefix(err.Error(), "unexpected"):
		line, col := s.tr.position(s.dec.InputOffset())
		return &syntax.Error{File: s.file, Line: line, Column: col, Msg: "json: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	return fmt.Errorf("read %s: %w", s.file, err)
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "an object"
}

// firstByte returns the first byte of br that is not white space or a
// byte order mark, without consuming anything; 0 at the end of input.
func firstByte(br *bufio.Reader) byte {
	for n := 1; n <= 4096; n++ {
		b, _ := br.Peek(n)
		if len(b) < n {
			return 0
		}
		switch c := b[n-1]; c {
		case ' ', '\t', '\r', '\n', 0xEF, 0xBB, 0xBF:
			continue
		default:
			return c
		}
	}
	return 0
}

var errTooLarge = errors.New("record too large")

// trackReader passes reads through and keeps the bytes read since the last
// position asked for, so that stream offsets (json.Decoder's) can be turned
// into line and column. It holds at most one record plus the decoder's
// read-ahead, and refuses to read more than max bytes past the last
// position: that caps the memory one record takes.
type trackReader struct {
	r         io.Reader
	buf       []byte
	base      int64 // stream offset of buf[0]
	line, col int   // position of base
	max       int64
}

// Read implements io.Reader, keeping what it reads for position.
func (t *trackReader) Read(p []byte) (int, error) {
	if int64(len(t.buf)) > t.max {
		return 0, errTooLarge
	}
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// end returns the stream offset after the last byte read.
func (t *trackReader) end() int64 { return t.base + int64(len(t.buf)) }

// skipSpace returns the offset of the first byte at or after off that is
// not JSON white space or a comma, among the bytes read: where the next
// record starts.
func (t *trackReader) skipSpace(off int64) int64 {
	for k := max(0, off-t.base); k < int64(len(t.buf)); k++ {
		switch t.buf[k] {
		case ' ', '\t', '\r', '\n', ',':
			continue
		}
		return t.base + k
	}
	return t.end()
}

// position returns the 1-based line and column (in code points) of the
// stream offset off, which must not be before the previous one asked for.
func (t *trackReader) position(off int64) (line, col int) {
	k := max(0, min(off-t.base, int64(len(t.buf))))
	for _, c := range t.buf[:k] {
		switch {
		case c == '\n':
			t.line, t.col = t.line+1, 1
		case c&0xC0 != 0x80:
			t.col++
		}
	}
	t.buf = t.buf[:copy(t.buf, t.buf[k:])]
	t.base += k
	return t.line, t.col
}

// csvSource reads CSV rows as JSON objects keyed by header; empty cells are
// left out (null).
type csvSource struct {
	cr     *csv.Reader
	file   string
	header []string
	n      int
}

func newCSVSource(r io.Reader, file string, comma rune) *csvSource {
	cr := csv.NewReader(r)
	cr.Comma = comma
	return &csvSource{cr: cr, file: file}
}

func (s *csvSource) next() (record, error) {
	if s.header == nil {
		h, err := s.cr.Read()
		if err == io.EOF {
			return record{}, io.EOF // empty input: no records
		}
		if err != nil {
			return record{}, csvError(s.file, err, 1)
		}
		for i := range h {
			h[i] = strings.TrimSpace(h[i])
		}
		h[0] = strings.TrimPrefix(h[0], "\ufeff")
		s.header = h
	}
	row, err := s.cr.Read()
	if err == io.EOF {
		return record{}, io.EOF
	}
	if err != nil {
		return record{}, csvError(s.file, err, 0)
	}
	s.n++
	line, _ := s.cr.FieldPos(0)
	obj := make(map[string]any, len(row))
	for i, v := range row {
		if v = strings.TrimSpace(v); v != "" && s.header[i] != "" {
			obj[s.header[i]] = v
		}
	}
	return record{n: s.n, line: line, col: 1, obj: obj}, nil
}
