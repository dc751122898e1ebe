package harmonise

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"strings"

	"github.com/piprate/json-gold/ld"

	"github.com/tessera-fair/tessera/loaders/jsonld"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// Mapping says how records become RDF. It is one of two kinds, read from
// one JSON file:
//
//   - A JSON-LD mapping: an object with "@context" (the context records are
//     expanded with, as in mapping.jsonld), and optionally "idTemplate" (the
//     @id of a record that has none, e.g. "https://data.example/patient/{id}")
//     and "recordType" (the @type of a record that has none). It maps JSON
//     records, and CSV rows read as objects keyed by header.
//   - A CSVW table description: an object with "tableSchema" (or "tables"
//     holding one table), see the package documentation for the subset.
//     It maps CSV only.
//
// A Mapping is immutable and safe for concurrent use by several decoders;
// it holds the JSON-LD document loader, so the context is processed once
// for all records of all decoders sharing it.
type Mapping struct {
	name string

	// JSON-LD mapping.
	ctxIRI     string
	ctx        *ld.Context
	loader     *jsonld.DocumentLoader
	idTemplate *template
	recordType any

	// CSVW mapping.
	table *table
}

// MappingOptions configure ParseMapping.
type MappingOptions struct {
	// Name names the mapping file in errors.
	Name string
	// Base is the IRI the mapping was read from; a CSVW "url" resolves
	// against it.
	Base string
	// Loader configures the JSON-LD document loader that serves the
	// contexts the mapping's @context refers to (the bundled DCAT-AP
	// contexts are always served; others must be given as Documents or
	// allowed for fetching). The zero value is offline.
	Loader jsonld.LoaderOptions
}

// IsCSVW reports whether m is a CSVW table description (else it is a
// JSON-LD mapping).
func (m *Mapping) IsCSVW() bool { return m.table != nil }

// LoadMapping reads a mapping file. A mapping file is small and read whole.
func LoadMapping(path string, opts MappingOptions) (*Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	if opts.Name == "" {
		opts.Name = path
	}
	return ParseMapping(data, opts)
}

// ParseMapping parses a mapping (see Mapping). Bad JSON is a *syntax.Error;
// a context JSON-LD rejects is an error naming the JSON-LD error.
func ParseMapping(data []byte, opts MappingOptions) (*Mapping, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, jsonSyntaxError(opts.Name, data, dec.InputOffset(), err)
	}
	if _, err := dec.Token(); err == nil {
		return nil, &syntax.Error{File: opts.Name, Line: 1, Column: 1, Msg: "mapping: data after the JSON object"}
	}
	m := &Mapping{name: opts.Name}
	switch {
	case doc["tableSchema"] != nil || doc["tables"] != nil:
		t, err := parseTable(doc, opts)
		if err != nil {
			return nil, fmt.Errorf("mapping %s: %w", opts.Name, err)
		}
		m.table = t
		return m, nil
	case doc["@context"] != nil:
		if err := m.parseContext(doc, data, opts); err != nil {
			return nil, fmt.Errorf("mapping %s: %w", opts.Name, err)
		}
		return m, nil
	}
	return nil, fmt.Errorf("mapping %s: neither a JSON-LD mapping (\"@context\") nor a CSVW table description (\"tableSchema\")", opts.Name)
}

// parseContext sets up a JSON-LD mapping: the mapping document is served
// by the loader under an IRI derived from its content, so every record can
// refer to it by IRI and share one processed context (jsonld caches it).
func (m *Mapping) parseContext(doc map[string]any, data []byte, opts MappingOptions) error {
	sum := sha256.Sum256(data)
	m.ctxIRI = "urn:tessera:harmonise:mapping:" + hex.EncodeToString(sum[:12])
	lo := opts.Loader
	lo.Documents = maps.Clone(lo.Documents)
	if lo.Documents == nil {
		lo.Documents = map[string][]byte{}
	}
	lo.Documents[m.ctxIRI] = data
	loader, err := jsonld.NewDocumentLoader(lo)
	if err != nil {
		return err
	}
	m.loader = loader
	if s, ok := doc["idTemplate"].(string); ok {
		if m.idTemplate, err = parseTemplate(s); err != nil {
			return err
		}
	} else if doc["idTemplate"] != nil {
		return errors.New("idTemplate must be a string")
	}
	switch v := doc["recordType"].(type) {
	case nil:
	case string:
		m.recordType = v
	case []any:
		for _, e := range v {
			if _, ok := e.(string); !ok {
				return errors.New("recordType must be a string or a list of strings")
			}
		}
		m.recordType = v
	default:
		return errors.New("recordType must be a string or a list of strings")
	}
	m.ctx, err = processContext(m.ctxIRI, loader)
	return err
}

// processContext processes the context at ctxIRI with json-gold, as record
// expansion will, so that record keys can be checked against its terms.
func processContext(ctxIRI string, loader *jsonld.DocumentLoader) (c *ld.Context, err error) {
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("context not processable (json-gold panicked: %v)", r)
		}
	}()
	o := ld.NewJsonLdOptions("")
	o.DocumentLoader = loader
	o.ProcessingMode = jsonld.ProcessingMode11
	c, err = ld.NewContext(nil, o).Parse(ctxIRI)
	if err != nil {
		var le *ld.JsonLdError
		if errors.As(err, &le) {
			return nil, fmt.Errorf("jsonld: %s: %v", le.Code, le.Details)
		}
		return nil, fmt.Errorf("jsonld: %w", err)
	}
	return c, nil
}

// expandKey returns the IRI (or keyword) a record key expands to, "" when
// JSON-LD would drop the key.
func (m *Mapping) expandKey(key string) (s string) {
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	s, err := m.ctx.ExpandIri(key, false, true, nil, nil)
	if err != nil {
		return ""
	}
	if ld.IsKeyword(s) || strings.Contains(s, ":") {
		return s
	}
	return ""
}

// jsonSyntaxError positions an encoding/json error in data.
func jsonSyntaxError(name string, data []byte, off int64, err error) error {
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
	line, col := 1, 1
	for _, c := range data[:off] {
		switch {
		case c == '\n':
			line, col = line+1, 1
		case c&0xC0 != 0x80:
			col++
		}
	}
	return &syntax.Error{File: name, Line: line, Column: col, Msg: "json: " + strings.TrimPrefix(msg, "json: ")}
}
