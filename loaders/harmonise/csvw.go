package harmonise

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/iri"
)

// table is the subset of a CSVW table description
// (https://www.w3.org/TR/tabular-metadata/) harmonisers need.
type table struct {
	url      string // the table's URL, resolved; "" when not given
	base     string // where templates resolve: @base, else url
	aboutURL *template
	columns  []*column
	comma    rune
	header   bool
	skipRows int
	trim     bool
	lang     string
	prefixes map[string]string
}

// column is one column description.
type column struct {
	name        string
	titles      []string
	propertyURL *template
	valueURL    *template
	aboutURL    *template
	datatype    string // full IRI; "" is xsd:string
	boolTrue    string // boolean format "Y|N": the true and false forms
	boolFalse   string
	lang        string
	nulls       []string
	separator   string
	hasSep      bool
	suppress    bool
	virtual     bool
	def         string
	index       int // cell index in the row, -1 when the header lacks it
}

// csvwPrefixes are prefixes of the CSVW context (the RDFa initial context)
// that harmonisation mappings use; a mapping may add its own in an
// "@context" object.
var csvwPrefixes = map[string]string{
	"csvw": "http://www.w3.org/ns/csvw#", "dc": "http://purl.org/dc/terms/", "dcat": "http://www.w3.org/ns/dcat#",
	"dcterms": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/", "owl": "http://www.w3.org/2002/07/owl#",
	"prov": "http://www.w3.org/ns/prov#", "rdf": graph.RDFNamespace, "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
	"schema": "http://schema.org/", "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": graph.XSDNamespace,
	"sosa": "http://www.w3.org/ns/sosa/", "time": "http://www.w3.org/2006/time#", "void": "http://rdfs.org/ns/void#",
}

// csvwDatatypes maps CSVW built-in datatype names to XSD.
var csvwDatatypes = map[string]string{
	"number": graph.XSDDouble, "binary": graph.XSDNamespace + "base64Binary", "datetime": graph.XSDNamespace + "dateTime",
	"any": graph.XSDNamespace + "anyAtomicType", "xml": graph.RDFNamespace + "XMLLiteral", "html": graph.RDFNamespace + "HTML",
	"json": graph.RDFNamespace + "JSON",
}

// parseTable reads a CSVW table description.
func parseTable(doc map[string]any, opts MappingOptions) (*table, error) {
	if tables, ok := doc["tables"].([]any); ok {
		if len(tables) != 1 {
			return nil, fmt.Errorf("csvw: %d tables; a mapping describes exactly one", len(tables))
		}
		t, ok := tables[0].(map[string]any)
		if !ok {
			return nil, errors.New("csvw: tables[0] is not an object")
		}
		for _, k := range []string{"@context", "dialect"} {
			if _, has := t[k]; !has && doc[k] != nil {
				t[k] = doc[k]
			}
		}
		doc = t
	}
	t := &table{comma: ',', header: true, trim: true, prefixes: csvwPrefixes}
	base := opts.Base
	if ctxs, ok := doc["@context"].([]any); ok {
		for _, c := range ctxs {
			m, ok := c.(map[string]any)
			if !ok {
				continue
			}
			t.prefixes = copyPrefixes(t.prefixes)
			for k, v := range m {
				s, _ := v.(string)
				switch k {
				case "@base":
					if base != "" {
						s, _ = iri.Resolve(base, s)
					}
					base, t.base = s, s
				case "@language":
					t.lang = s
				default:
					if s != "" && !strings.HasPrefix(k, "@") {
						t.prefixes[k] = s
					}
				}
			}
		}
	}
	if u, ok := doc["url"].(string); ok {
		t.url = u
		if base != "" {
			if abs, err := iri.Resolve(base, u); err == nil {
				t.url = abs
			}
		}
	}
	if t.base == "" && iri.IsAbsolute(t.url) {
		t.base = t.url
	}
	if dialect, ok := doc["dialect"].(map[string]any); ok {
		if s, ok := dialect["delimiter"].(string); ok {
			r := []rune(s)
			if len(r) != 1 {
				return nil, fmt.Errorf("csvw: delimiter %q must be one character", s)
			}
			t.comma = r[0]
		}
		if b, ok := dialect["header"].(bool); ok {
			t.header = b
		}
		if n, ok := dialect["skipRows"].(json.Number); ok {
			k, err := n.Int64()
			if err != nil || k < 0 || k > 1<<20 {
				return nil, fmt.Errorf("csvw: bad skipRows %v", n)
			}
			t.skipRows = int(k)
		}
		if b, ok := dialect["trim"].(bool); ok {
			t.trim = b
		}
	}
	schema, ok := doc["tableSchema"].(map[string]any)
	if !ok {
		return nil, errors.New("csvw: tableSchema is not an object")
	}
	var err error
	if t.aboutURL, err = optTemplate(schema, "aboutUrl"); err != nil {
		return nil, err
	}
	inherited := map[string]any{}
	for _, k := range []string{"null", "lang", "datatype", "separator", "propertyUrl", "valueUrl", "default"} {
		if v, ok := schema[k]; ok {
			inherited[k] = v
		}
	}
	cols, ok := schema["columns"].([]any)
	if !ok || len(cols) == 0 {
		return nil, errors.New("csvw: tableSchema.columns must be a non-empty list")
	}
	seen := map[string]bool{}
	for i, c := range cols {
		cm, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("csvw: column %d is not an object", i+1)
		}
		for k, v := range inherited {
			if _, has := cm[k]; !has {
				cm[k] = v
			}
		}
		col, err := parseColumn(cm, i, t)
		if err != nil {
			return nil, fmt.Errorf("csvw: column %d (%s): %w", i+1, col.name, err)
		}
		if seen[col.name] {
			return nil, fmt.Errorf("csvw: two columns named %q", col.name)
		}
		seen[col.name] = true
		t.columns = append(t.columns, col)
	}
	return t, nil
}

func copyPrefixes(p map[string]string) map[string]string {
	out := make(map[string]string, len(p)+4)
	for k, v := range p {
		out[k] = v
	}
	return out
}

func optTemplate(m map[string]any, key string) (*template, error) {
	v, ok := m[key]
	if !ok {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("%s must be a string", key)
	}
	return parseTemplate(s)
}

func parseColumn(cm map[string]any, i int, t *table) (*column, error) {
	col := &column{index: -1, nulls: []string{""}, lang: t.lang}
	col.name, _ = cm["name"].(string)
	switch v := cm["titles"].(type) {
	case string:
		col.titles = []string{v}
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				col.titles = append(col.titles, s)
			}
		}
	case map[string]any: // natural-language titles by language
		for _, e := range v {
			for _, s := range asList(e) {
				if s, ok := s.(string); ok {
					col.titles = append(col.titles, s)
				}
			}
		}
	}
	if col.name == "" && len(col.titles) > 0 {
		col.name = col.titles[0]
	}
	if col.name == "" {
		col.name = fmt.Sprintf("_col.%d", i+1)
	}
	var err error
	if col.propertyURL, err = optTemplate(cm, "propertyUrl"); err != nil {
		return col, err
	}
	if col.valueURL, err = optTemplate(cm, "valueUrl"); err != nil {
		return col, err
	}
	if col.aboutURL, err = optTemplate(cm, "aboutUrl"); err != nil {
		return col, err
	}
	switch v := cm["datatype"].(type) {
	case nil:
	case string:
		col.datatype = t.datatypeIRI(v)
	case map[string]any:
		b, _ := v["base"].(string)
		if b == "" {
			b = "string"
		}
		col.datatype = t.datatypeIRI(b)
		if f, ok := v["format"].(string); ok && col.datatype == graph.XSDBoolean {
			yes, no, ok := strings.Cut(f, "|")
			if !ok {
				return col, fmt.Errorf("boolean format %q must be \"true form|false form\"", f)
			}
			col.boolTrue, col.boolFalse = yes, no
		}
	default:
		return col, errors.New("datatype must be a string or an object")
	}
	if col.datatype == graph.XSDString {
		col.datatype = ""
	}
	if s, ok := cm["lang"].(string); ok {
		col.lang = s
	}
	switch v := cm["null"].(type) {
	case string:
		col.nulls = []string{v}
	case []any:
		col.nulls = nil
		for _, e := range v {
			if s, ok := e.(string); ok {
				col.nulls = append(col.nulls, s)
			}
		}
	}
	if s, ok := cm["separator"].(string); ok {
		col.separator, col.hasSep = s, s != ""
	}
	col.suppress, _ = cm["suppressOutput"].(bool)
	col.virtual, _ = cm["virtual"].(bool)
	col.def, _ = cm["default"].(string)
	if col.virtual && col.valueURL == nil && col.def == "" {
		return col, errors.New("a virtual column needs a valueUrl or a default")
	}
	return col, nil
}

// datatypeIRI expands a CSVW datatype name, prefixed name or IRI.
func (t *table) datatypeIRI(s string) string {
	if dt, ok := csvwDatatypes[s]; ok {
		return dt
	}
	if !strings.Contains(s, ":") {
		return graph.XSDNamespace + s
	}
	return t.expandIRI(s)
}

// expandIRI expands a prefixed name and resolves a relative IRI against the
// table's base.
func (t *table) expandIRI(s string) string {
	if p, local, ok := strings.Cut(s, ":"); ok && !strings.HasPrefix(local, "//") {
		if ns, ok := t.prefixes[p]; ok {
			return ns + local
		}
	}
	if t.base != "" && !iri.IsAbsolute(s) {
		if abs, err := iri.Resolve(t.base, s); err == nil {
			return abs
		}
	}
	return s
}

// tableDecoder converts CSV rows with a CSVW table description, in the
// minimal mode of CSV2RDF (https://www.w3.org/TR/csv2rdf/): one subject per
// row (aboutUrl, or a blank node), one triple per non-null cell; no
// csvw:Table or csvw:Row description triples.
type tableDecoder struct {
	d      *Decoder
	t      *table
	cr     *csv.Reader
	extra  []int // header cells with no column
	header []string
	row    int
	start  bool
	cells  map[string]string
}

func newTableDecoder(d *Decoder) *tableDecoder {
	cr := csv.NewReader(d.r)
	cr.Comma = d.m.table.comma
	cr.FieldsPerRecord = -1
	return &tableDecoder{d: d, t: d.m.table, cr: cr, cells: map[string]string{}}
}

func (td *tableDecoder) file() string { return td.d.opts.File }

// setup skips rows and matches the header against the columns: by name or
// title; without a header, by position.
func (td *tableDecoder) setup() error {
	for range td.t.skipRows {
		if _, err := td.cr.Read(); err != nil {
			if err == io.EOF {
				return nil
			}
			return csvError(td.file(), err, 0)
		}
	}
	cols := make([]*column, len(td.t.columns)) // per-decoder copy of the indexes
	for i, c := range td.t.columns {
		cc := *c
		cols[i] = &cc
	}
	td.t = &table{url: td.t.url, base: td.t.base, aboutURL: td.t.aboutURL, columns: cols, prefixes: td.t.prefixes, trim: td.t.trim, header: td.t.header}
	if td.t.base == "" {
		td.t.base = td.d.opts.Base
	}
	if !td.t.header {
		n := 0
		for _, c := range cols {
			if !c.virtual {
				c.index = n
				n++
			}
		}
		return nil
	}
	h, err := td.cr.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return csvError(td.file(), err, 1)
	}
	if len(h) > 0 {
		h[0] = strings.TrimPrefix(h[0], "\ufeff")
	}
	td.header = make([]string, len(h))
	for i, name := range h {
		name = strings.TrimSpace(name)
		td.header[i] = name
		found := false
		for _, c := range cols {
			if c.virtual || c.index >= 0 {
				continue
			}
			if c.name == name || contains(c.titles, name) {
				c.index, found = i, true
				break
			}
		}
		if !found {
			td.extra = append(td.extra, i)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func (td *tableDecoder) next() error {
	if !td.start {
		td.start = true
		if err := td.setup(); err != nil {
			return err
		}
	}
	rec, err := td.cr.Read()
	if err == io.EOF {
		return io.EOF
	}
	if err != nil {
		return csvError(td.file(), err, 0)
	}
	td.row++
	td.d.report.Records++
	line, _ := td.cr.FieldPos(0)
	r := record{n: td.row, line: line, col: 1}
	return td.convert(r, rec)
}

// cell returns the string value of column c in rec, after trimming and
// defaults, and whether it is null.
func (td *tableDecoder) cell(c *column, rec []string) (string, bool) {
	v := ""
	if c.index >= 0 && c.index < len(rec) {
		v = rec[c.index]
	}
	if td.t.trim {
		v = strings.TrimSpace(v)
	}
	if v == "" && c.def != "" {
		v = c.def
	}
	return v, contains(c.nulls, v)
}

func (td *tableDecoder) convert(r record, rec []string) error {
	d, t := td.d, td.t
	clear(td.cells)
	for _, c := range t.columns {
		if v, null := td.cell(c, rec); !null {
			td.cells[c.name] = v
		}
	}
	td.cells["_row"] = fmt.Sprint(td.row)
	td.cells["_sourceRow"] = fmt.Sprint(r.line)
	for _, i := range td.extra {
		if i < len(rec) && strings.TrimSpace(rec[i]) != "" {
			field := td.header[i]
			if field == "" {
				field = fmt.Sprintf("column %d", i+1)
			}
			d.report.add(RecordIssue{Record: r.n, Line: r.line, Field: field, Value: short(rec[i]), Reason: ReasonNoColumn, Action: "dropped"})
		}
	}
	lookup := func(name string) (string, bool) {
		v, ok := td.cells[name]
		return v, ok && v != ""
	}
	var rowSubject graph.Term
	subjectFor := func(c *column) graph.Term {
		tpl := c.aboutURL
		if tpl == nil {
			tpl = t.aboutURL
		}
		if tpl != nil {
			if s, missing, ok := tpl.expand(lookup); ok {
				return graph.IRI(t.expandIRI(s))
			} else if tpl == t.aboutURL && rowSubject.IsZero() {
				d.report.add(RecordIssue{Record: r.n, Line: r.line, Field: missing, Reason: ReasonNoID, Action: "blank node"})
			}
		}
		if rowSubject.IsZero() {
			rowSubject = d.blanks.Fresh()
		}
		return rowSubject
	}
	for _, c := range t.columns {
		if c.suppress {
			continue
		}
		var values []string
		if c.virtual {
			if c.valueURL == nil {
				values = []string{c.def}
			}
		} else {
			v, ok := td.cells[c.name]
			if !ok {
				continue
			}
			values = []string{v}
			if c.hasSep {
				values = nil
				for _, part := range strings.Split(v, c.separator) {
					if t.trim {
						part = strings.TrimSpace(part)
					}
					if !contains(c.nulls, part) {
						values = append(values, part)
					}
				}
			}
		}
		subj := subjectFor(c)
		pred := graph.IRI(t.url + "#" + pctString(c.name))
		if c.propertyURL != nil {
			p, missing, ok := c.propertyURL.expand(lookup)
			if !ok {
				d.report.add(RecordIssue{Record: r.n, Line: r.line, Field: c.name, Value: missing, Reason: "propertyUrl field missing", Action: "dropped"})
				continue
			}
			pred = graph.IRI(t.expandIRI(p))
		}
		if c.valueURL != nil {
			o, missing, ok := c.valueURL.expand(lookup)
			if !ok {
				if !c.virtual {
					d.report.add(RecordIssue{Record: r.n, Line: r.line, Field: c.name, Value: missing, Reason: "valueUrl field missing", Action: "dropped"})
				}
				continue
			}
			if !d.hasCodes(c.name) {
				d.pending = append(d.pending, graph.Triple(subj, pred, graph.IRI(t.expandIRI(o))))
				continue
			}
		}
		for _, v := range values {
			obj, keep, err := td.object(r, c, v)
			if err != nil {
				return err
			}
			if keep {
				d.pending = append(d.pending, graph.Triple(subj, pred, obj))
			}
		}
	}
	return nil
}

// object is the RDF term of one cell value: a concept from the code table,
// or a literal of the column's datatype.
func (td *tableDecoder) object(r record, c *column, v string) (graph.Term, bool, error) {
	d := td.d
	if d.hasCodes(c.name) {
		if concept, ok := d.opts.Codes.Lookup(c.name, v); ok {
			return graph.IRI(concept), true, nil
		}
		p := d.opts.OnUnmappedCode
		d.report.add(RecordIssue{Record: r.n, Line: r.line, Field: c.name, Value: v, Reason: ReasonUnmappedCode, Action: p.action()})
		switch p {
		case Fail:
			return graph.Term{}, false, d.recordError(r, fmt.Sprintf("%s=%q: %s", c.name, v, ReasonUnmappedCode))
		case Drop:
			return graph.Term{}, false, nil
		}
		return graph.String(v), true, nil
	}
	if c.datatype == "" {
		if c.lang != "" {
			return graph.LangLiteral(v, c.lang), true, nil
		}
		return graph.String(v), true, nil
	}
	lex := v
	if c.boolTrue != "" {
		switch v {
		case c.boolTrue:
			lex = "true"
		case c.boolFalse:
			lex = "false"
		default:
			lex = "\x00" // never valid
		}
	}
	if validLexical(c.datatype, lex) {
		return graph.Literal(lex, c.datatype), true, nil
	}
	p := d.opts.OnInvalidValue
	d.report.add(RecordIssue{Record: r.n, Line: r.line, Field: c.name, Value: v, Reason: ReasonDatatype + " " + shortDatatype(c.datatype), Action: p.action()})
	switch p {
	case Fail:
		return graph.Term{}, false, d.recordError(r, fmt.Sprintf("%s=%q: %s %s", c.name, v, ReasonDatatype, shortDatatype(c.datatype)))
	case Drop:
		return graph.Term{}, false, nil
	}
	// CSVW: a cell that does not match its datatype keeps its string value.
	return graph.String(v), true, nil
}

func pctString(s string) string {
	var b strings.Builder
	pctEncode(&b, s, false)
	return b.String()
}
