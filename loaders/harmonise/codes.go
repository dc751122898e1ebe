package harmonise

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// CodeOptions say how local codes are matched. The zero value matches
// case-insensitively after trimming white space, which is what real sources
// need ("M", " m", "Male " are one code).
type CodeOptions struct {
	// CaseSensitive matches codes byte for byte instead of folding case.
	CaseSensitive bool
	// NoTrim keeps leading and trailing white space significant.
	NoTrim bool
}

// Codes holds code-mapping tables: per field, local codes to the IRI of
// the shared concept they stand for. Several local codes may map to one
// concept (sex: "M", "male", "1", "H" for hombre); one code maps to one
// concept. Build it with NewCodes and Add, or read it with LoadCodes.
// It is read-only once decoding starts and then safe for concurrent use.
type Codes struct {
	opts   CodeOptions
	fields map[string]map[string]string
}

// NewCodes returns an empty set of code tables.
func NewCodes(opts CodeOptions) *Codes {
	return &Codes{opts: opts, fields: map[string]map[string]string{}}
}

// ErrCodeConflict is returned (wrapped) when one local code of a field is
// mapped to two different concepts.
var ErrCodeConflict = errors.New("harmonise: code mapped to two concepts")

// Add maps the local code of field to the concept IRI, which must be
// absolute. Adding the same mapping twice is harmless.
func (c *Codes) Add(field, local, concept string) error {
	if field == "" {
		return errors.New("empty field name")
	}
	if !iri.IsAbsolute(concept) {
		return fmt.Errorf("concept %q for %s=%q is not an absolute IRI", concept, field, local)
	}
	key := c.key(local)
	t := c.fields[field]
	if t == nil {
		t = map[string]string{}
		c.fields[field] = t
	}
	if old, ok := t[key]; ok && old != concept {
		return fmt.Errorf("%w: %s=%q is %s and %s", ErrCodeConflict, field, local, old, concept)
	}
	t[key] = concept
	return nil
}

// key normalises a code as the options say.
func (c *Codes) key(code string) string {
	if !c.opts.NoTrim {
		code = strings.TrimSpace(code)
	}
	if !c.opts.CaseSensitive {
		code = strings.ToLower(code)
	}
	return code
}

// Has reports whether field has a code table.
func (c *Codes) Has(field string) bool {
	if c == nil {
		return false
	}
	_, ok := c.fields[field]
	return ok
}

// Lookup returns the concept IRI the code of field maps to.
func (c *Codes) Lookup(field, code string) (string, bool) {
	if c == nil {
		return "", false
	}
	concept, ok := c.fields[field][c.key(code)]
	return concept, ok
}

// Fields returns the fields that have a code table, sorted.
func (c *Codes) Fields() []string {
	if c == nil {
		return nil
	}
	out := make([]string, 0, len(c.fields))
	for f := range c.fields {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// LoadCodes reads code tables from a file: CSV (".csv", see ReadCodesCSV)
// or JSON (anything else, see ReadCodesJSON). Several files can be merged
// by passing the same Codes as into.
func LoadCodes(path string, into *Codes) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open codes: %w", err)
	}
	defer f.Close()
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return ReadCodesCSV(f, path, into)
	}
	return ReadCodesJSON(f, path, into)
}

// ReadCodesCSV reads a code table in CSV with the header
// field,local_code,concept_iri (in any order; other columns, such as a
// label, are ignored). Errors are *syntax.Error positioned at the row.
func ReadCodesCSV(r io.Reader, name string, into *Codes) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return csvError(name, err, 1)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	fi, ok1 := col["field"]
	li, ok2 := col["local_code"]
	ci, ok3 := col["concept_iri"]
	if !ok1 || !ok2 || !ok3 {
		return &syntax.Error{File: name, Line: 1, Column: 1, Msg: fmt.Sprintf("code table header %q lacks field, local_code or concept_iri", strings.Join(header, ","))}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return csvError(name, err, line)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) <= max(fi, li, ci) {
			return &syntax.Error{File: name, Line: line, Column: 1, Msg: fmt.Sprintf("code table row has %d fields, want %d", len(rec), len(header))}
		}
		if err := into.Add(strings.TrimSpace(rec[fi]), rec[li], strings.TrimSpace(rec[ci])); err != nil {
			l, c := cr.FieldPos(ci)
			return &syntax.Error{File: name, Line: l, Column: c, Msg: err.Error()}
		}
	}
}

// ReadCodesJSON reads code tables in JSON: an object of fields, each an
// object of local code to concept IRI, or a list of local codes per concept
// written as {"field": {"concept IRI": ["M", "male", "1"]}}; both forms may
// be mixed. Example: {"sex": {"M": "http://…/male", "F": "http://…/female"}}.
func ReadCodesJSON(r io.Reader, name string, into *Codes) error {
	var doc map[string]map[string]any
	dec := json.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		return &syntax.Error{File: name, Line: 1, Column: 1, Msg: "code table: json: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	for _, field := range slices.Sorted(maps.Keys(doc)) {
		for _, k := range slices.Sorted(maps.Keys(doc[field])) {
			var err error
			switch v := doc[field][k].(type) {
			case string:
				err = into.Add(field, k, v)
			case []any:
				for _, code := range v {
					s, ok := code.(string)
					if !ok {
						err = fmt.Errorf("code table %s: local codes of %s must be strings, not %v", field, k, code)
						break
					}
					if err = into.Add(field, s, k); err != nil {
						break
					}
				}
			default:
				err = fmt.Errorf("code table %s: %q maps to %v, want an IRI or a list of codes", field, k, v)
			}
			if err != nil {
				return &syntax.Error{File: name, Line: 1, Column: 1, Msg: err.Error()}
			}
		}
	}
	return nil
}

// csvError positions an encoding/csv error.
func csvError(name string, err error, line int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &syntax.Error{File: name, Line: pe.Line, Column: pe.Column, Msg: "csv: " + pe.Err.Error()}
	}
	if err == io.EOF {
		return &syntax.Error{File: name, Line: line, Column: 1, Msg: "csv: no header row"}
	}
	return fmt.Errorf("read %s: %w", name, err)
}
