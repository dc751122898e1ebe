package harmonise

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

const (
	snomedMale   = "http://snomed.info/id/248153007"
	snomedFemale = "http://snomed.info/id/248152002"
	dcmMR        = "http://dicom.nema.org/resources/ontology/DCM/MR"
	exNS         = "https://data.example/ns#"
	eucaimNS     = "https://hyperontology.eucaim.cancerimage.eu/#"
)

const testMapping = `{
  "@context": {
    "ex": "https://data.example/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "eucaim": "https://hyperontology.eucaim.cancerimage.eu/#",
    "sex": {"@id": "eucaim:hasBirthSex", "@type": "@id"},
    "age": {"@id": "ex:age", "@type": "xsd:integer"},
    "modality": {"@id": "eucaim:hasImageModality", "@type": "@id"},
    "name": "ex:name",
    "tags": {"@id": "ex:tag", "@container": "@set"},
    "labels": {"@id": "ex:label", "@container": "@language"}
  },
  "idTemplate": "https://data.example/patient/{id}"
}`

func testCodes(t testing.TB) *Codes {
	t.Helper()
	c := NewCodes(CodeOptions{})
	for _, m := range [][3]string{
		{"sex", "M", snomedMale}, {"sex", "male", snomedMale}, {"sex", "1", snomedMale}, {"sex", "H", snomedMale},
		{"sex", "F", snomedFemale}, {"sex", "mujer", snomedFemale}, {"modality", "MR", dcmMR},
	} {
		if err := c.Add(m[0], m[1], m[2]); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func mustMapping(t testing.TB, src string) *Mapping {
	t.Helper()
	m, err := ParseMapping([]byte(src), MappingOptions{Name: "mapping.jsonld"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCodesLookup(t *testing.T) {
	c := testCodes(t)
	strict := NewCodes(CodeOptions{CaseSensitive: true, NoTrim: true})
	if err := strict.Add("sex", "M", snomedMale); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		codes        *Codes
		field, value string
		want         string
		ok           bool
	}{
		{c, "sex", "M", snomedMale, true},
		{c, "sex", "m", snomedMale, true},
		{c, "sex", " Male ", snomedMale, true},
		{c, "sex", "1", snomedMale, true},
		{c, "sex", "h", snomedMale, true},
		{c, "sex", "MUJER", snomedFemale, true},
		{c, "sex", "X", "", false},
		{c, "age", "M", "", false},
		{strict, "sex", "M", snomedMale, true},
		{strict, "sex", "m", "", false},
		{strict, "sex", " M", "", false},
		{nil, "sex", "M", "", false},
	}
	for _, tt := range tests {
		got, ok := tt.codes.Lookup(tt.field, tt.value)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%q, %q) = %q, %v, want %q, %v", tt.field, tt.value, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCodesAddErrors(t *testing.T) {
	c := testCodes(t)
	tests := []struct {
		field, local, concept string
		want                  string
	}{
		{"sex", "m", snomedFemale, "two concepts"},
		{"sex", "Z", "not-an-iri", "absolute IRI"},
		{"", "Z", snomedMale, "empty field"},
	}
	for _, tt := range tests {
		err := c.Add(tt.field, tt.local, tt.concept)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Add(%q, %q, %q) = %v, want an error containing %q", tt.field, tt.local, tt.concept, err, tt.want)
		}
	}
	if err := c.Add("sex", " m ", snomedMale); err != nil {
		t.Errorf("re-adding the same mapping: %v", err)
	}
}

func TestReadCodes(t *testing.T) {
	tests := []struct {
		name, src string
		json      bool
		wantErr   string // "" for success; else substring, and "line:col"
		wantPos   [2]int
	}{
		{"csv", "field,local_code,concept_iri\nsex,M," + snomedMale + "\nsex,H," + snomedMale + "\n", false, "", [2]int{}},
		{"csv reordered with label", "concept_iri,label,field,local_code\n" + snomedMale + ",male,sex,M\n", false, "", [2]int{}},
		{"csv bad header", "a,b,c\n", false, "lacks field", [2]int{1, 1}},
		{"csv conflict", "field,local_code,concept_iri\nsex,M," + snomedMale + "\nsex,m," + snomedFemale + "\n", false, "two concepts", [2]int{3, 7}},
		{"csv quote", "field,local_code,concept_iri\nsex,\"M," + snomedMale + "\n", false, "csv:", [2]int{2, 40}},
		{"json", `{"sex": {"M": "` + snomedMale + `", "` + snomedFemale + `": ["F", "mujer"]}}`, true, "", [2]int{}},
		{"json bad", `{"sex": {"M": 3}}`, true, "want an IRI", [2]int{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCodes(CodeOptions{})
			var err error
			if tt.json {
				err = ReadCodesJSON(strings.NewReader(tt.src), "codes.json", c)
			} else {
				err = ReadCodesCSV(strings.NewReader(tt.src), "codes.csv", c)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got, _ := c.Lookup("sex", "m"); got != snomedMale {
					t.Errorf("Lookup(sex, m) = %q, want %q", got, snomedMale)
				}
				return
			}
			se, ok := syntax.AsError(err)
			if !ok || !strings.Contains(err.Error(), tt.wantErr) || [2]int{se.Line, se.Column} != tt.wantPos {
				t.Fatalf("error = %v, want *syntax.Error at %v containing %q", err, tt.wantPos, tt.wantErr)
			}
		})
	}
}

func TestTemplate(t *testing.T) {
	vals := map[string]string{"id": "P 1/ä", "site": "la-fe", "path": "a/b:c"}
	lookup := func(n string) (string, bool) { v, ok := vals[n]; return v, ok }
	tests := []struct {
		src, want, missing string
	}{
		{"https://data.example/patient/{id}", "https://data.example/patient/P%201%2F%C3%A4", ""},
		{"https://x/{site}/{id}", "https://x/la-fe/P%201%2F%C3%A4", ""},
		{"https://x/{+path}", "https://x/a/b:c", ""},
		{"https://x/{path}", "https://x/a%2Fb%3Ac", ""},
		{"https://x/{nope}", "", "nope"},
		{"no variables", "no variables", ""},
	}
	for _, tt := range tests {
		tpl, err := parseTemplate(tt.src)
		if err != nil {
			t.Fatalf("parseTemplate(%q): %v", tt.src, err)
		}
		got, missing, ok := tpl.expand(lookup)
		if got != tt.want || missing != tt.missing || ok != (tt.missing == "") {
			t.Errorf("expand(%q) = %q, %q, %v, want %q, %q", tt.src, got, missing, ok, tt.want, tt.missing)
		}
	}
	for _, bad := range []string{"x{", "x{}", "x{a b}"} {
		if _, err := parseTemplate(bad); err == nil {
			t.Errorf("parseTemplate(%q) succeeded, want an error", bad)
		}
	}
}

func TestValidLexical(t *testing.T) {
	x := graph.XSDNamespace
	tests := []struct {
		dt, lex string
		want    bool
	}{
		{x + "integer", "42", true}, {x + "integer", "-0", true}, {x + "integer", "4.2", false}, {x + "integer", "", false},
		{x + "integer", "sixty", false}, {x + "nonNegativeInteger", "-1", false}, {x + "nonNegativeInteger", "0", true},
		{x + "positiveInteger", "0", false}, {x + "positiveInteger", "+7", true}, {x + "negativeInteger", "-3", true},
		{x + "byte", "128", false}, {x + "byte", "-128", true}, {x + "unsignedByte", "255", true},
		{x + "decimal", "1.", true}, {x + "decimal", ".5", true}, {x + "decimal", "1e3", false},
		{x + "double", "1e3", true}, {x + "double", "-INF", true}, {x + "double", "inf", false},
		{x + "boolean", "true", true}, {x + "boolean", "1", true}, {x + "boolean", "yes", false},
		{x + "date", "2024-02-29", true}, {x + "date", "2023-02-29", false}, {x + "date", "2021-13-01", false},
		{x + "date", "2021-01-01Z", true}, {x + "date", "2021-1-01", false}, {x + "date", "2021-01-01+15:00", false},
		{x + "dateTime", "2021-03-01T10:20:30.5+01:00", true}, {x + "dateTime", "2021-03-01T25:00:00", false},
		{x + "dateTime", "2021-03-01", false}, {x + "time", "24:00:00", true}, {x + "gYear", "1999", true},
		{x + "string", "anything", true}, {"http://other/dt", "x", true}, {x + "anyURI", "a b", false},
	}
	for _, tt := range tests {
		if got := validLexical(tt.dt, tt.lex); got != tt.want {
			t.Errorf("validLexical(%s, %q) = %v, want %v", tt.dt, tt.lex, got, tt.want)
		}
	}
}

// decodeString decodes src with the test mapping and codes.
func decodeString(t testing.TB, src string, opts Options) ([]graph.Quad, *Report, error) {
	t.Helper()
	if opts.Codes == nil {
		opts.Codes = testCodes(t)
	}
	d := NewDecoder(strings.NewReader(src), mustMapping(t, testMapping), opts)
	qs, err := collect(d)
	return qs, d.Report(), err
}

// TestUnusedCodes: a code table whose field no record has is reported at
// the end of the input (a misspelt "sexx" used to change nothing, silently,
// and the codes it was meant for went through unmapped).
func TestUnusedCodes(t *testing.T) {
	codes := testCodes(t)
	if err := codes.Add("sexx", "M", snomedMale); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		src  string
		opts Options
		want []string
	}{
		"json":            {`{"id": "P1", "sex": "M", "modality": "MR"}`, Options{Codes: codes}, []string{"sexx"}},
		"json, one field": {`{"id": "P1", "sex": "M"}`, Options{Codes: codes}, []string{"modality", "sexx"}},
		"csv":             {"id,sex,modality\nP1,M,MR\n", Options{Codes: codes, Format: FormatCSV}, []string{"sexx"}},
		"all used":        {`{"id": "P1", "sex": "M", "modality": "MR"}`, Options{}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			_, rep, err := decodeString(t, tc.src, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rep.UnusedCodes, tc.want) {
				t.Errorf("UnusedCodes = %q, want %q", rep.UnusedCodes, tc.want)
			}
			var b strings.Builder
			if err := rep.WriteSummary(&b); err != nil {
				t.Fatal(err)
			}
			for _, f := range tc.want {
				if !strings.Contains(b.String(), fmt.Sprintf("code table for field %q applied to no record", f)) {
					t.Errorf("summary does not warn of %s:\n%s", f, b.String())
				}
			}
		})
	}
}

func TestRecordShapes(t *testing.T) {
	// The same two patients as a JSON array, as JSON Lines, as pretty
	// printed concatenated objects, and as CSV: one dataset.
	p1 := `{"id": "P1", "sex": "H", "age": 61, "modality": "MR"}`
	p2 := `{"id": "P2", "sex": "mujer", "age": "58"}`
	inputs := map[string]string{
		"array":  "[\n" + p1 + ",\n" + p2 + "\n]\n",
		"jsonl":  p1 + "\n" + p2 + "\n",
		"pretty": strings.ReplaceAll(p1, ", ", ",\n  ") + "\n" + strings.ReplaceAll(p2, ", ", ",\n  "),
		"csv":    "id,sex,age,modality\nP1,H,61,MR\nP2,mujer,58,\n",
		"bom":    "\ufeff" + p1 + "\n" + p2 + "\n",
		"bomcsv": "\ufeffid,sex,age,modality\r\nP1,H,61,MR\r\nP2,mujer,58,\r\n",
	}
	p := func(id string) graph.Term { return graph.IRI("https://data.example/patient/" + id) }
	want := []graph.Quad{
		graph.Triple(p("P1"), graph.IRI(eucaimNS+"hasBirthSex"), graph.IRI(snomedMale)),
		graph.Triple(p("P1"), graph.IRI(exNS+"age"), graph.Literal("61", graph.XSDInteger)),
		graph.Triple(p("P1"), graph.IRI(eucaimNS+"hasImageModality"), graph.IRI(dcmMR)),
		graph.Triple(p("P2"), graph.IRI(eucaimNS+"hasBirthSex"), graph.IRI(snomedFemale)),
		graph.Triple(p("P2"), graph.IRI(exNS+"age"), graph.Literal("58", graph.XSDInteger)),
	}
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			got, rep, err := decodeString(t, src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			// "id" has no term in the test mapping: reported once per record.
			if !graph.Isomorphic(got, want) {
				t.Errorf("got\n%s\nwant\n%s", nquads(got), nquads(want))
			}
			if rep.Records != 2 || rep.Triples != int64(len(want)) || rep.ByField[FieldReason{"id", ReasonNoTerm}] != 2 || rep.IssueCount != 2 {
				t.Errorf("report = %d records, %d triples, %v, want 2, %d, id unmapped twice", rep.Records, rep.Triples, rep.ByField, len(want))
			}
		})
	}
}

func TestIssues(t *testing.T) {
	src := `{"id": "P1", "sex": "X", "age": "old", "name": "A", "tags": ["a", {"colour": "red"}], "labels": {"en": "x"}, "extra": 1}
{"id": "P2", "sex": ["M", "Q"], "nested": {"deep": true}}
`
	tests := []struct {
		name   string
		policy Policy
		want   []string
		quads  int
		err    string
	}{
		{"keep", Keep, []string{
			`record 1 (line 1): age="old": invalid value for datatype xsd:integer (kept)`,
			`record 1 (line 1): extra="1": no term in the context (dropped)`,
			`record 1 (line 1): id="P1": no term in the context (dropped)`,
			`record 1 (line 1): sex="X": unmapped code (kept)`,
			`record 1 (line 1): tags.colour="red": no term in the context (dropped)`,
			`record 2 (line 2): id="P2": no term in the context (dropped)`,
			`record 2 (line 2): nested="{\"deep\":true}": no term in the context (dropped)`,
			`record 2 (line 2): sex="Q": unmapped code (kept)`,
		}, 8, ""},
		{"drop", Drop, []string{
			`record 1 (line 1): age="old": invalid value for datatype xsd:integer (dropped)`,
			`record 1 (line 1): extra="1": no term in the context (dropped)`,
			`record 1 (line 1): id="P1": no term in the context (dropped)`,
			`record 1 (line 1): sex="X": unmapped code (dropped)`,
			`record 1 (line 1): tags.colour="red": no term in the context (dropped)`,
			`record 2 (line 2): id="P2": no term in the context (dropped)`,
			`record 2 (line 2): nested="{\"deep\":true}": no term in the context (dropped)`,
			`record 2 (line 2): sex="Q": unmapped code (dropped)`,
		}, 5, ""},
		{"fail", Fail, []string{
			`record 1 (line 1): age="old": invalid value for datatype xsd:integer (failed)`,
		}, 0, `<input>:1:1: record 1: age="old": invalid value for datatype xsd:integer`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var streamed []string
			got, rep, err := decodeString(t, src, Options{OnUnmappedCode: tt.policy, OnInvalidValue: tt.policy,
				OnIssue: func(i RecordIssue) { streamed = append(streamed, i.String()) }})
			if tt.err != "" {
				if _, ok := syntax.AsError(err); !ok || err.Error() != tt.err {
					t.Fatalf("err = %v, want *syntax.Error %q", err, tt.err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if strings.Join(streamed, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("issues\n%s\nwant\n%s", strings.Join(streamed, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(rep.Issues) != len(tt.want) || rep.IssueCount != len(tt.want) {
				t.Errorf("report keeps %d of %d issues, want %d", len(rep.Issues), rep.IssueCount, len(tt.want))
			}
			if len(got) != tt.quads {
				t.Errorf("%d quads, want %d:\n%s", len(got), tt.quads, nquads(got))
			}
		})
	}
}

func TestMaxIssues(t *testing.T) {
	var b strings.Builder
	for range 50 {
		b.WriteString(`{"sex": "?"}` + "\n")
	}
	n := 0
	_, rep, err := decodeString(t, b.String(), Options{MaxIssues: 5, OnIssue: func(RecordIssue) { n++ }})
	if err != nil {
		t.Fatal(err)
	}
	// Each record: unmapped code, and the id template's field missing.
	if len(rep.Issues) != 5 || rep.IssueCount != 100 || n != 100 || rep.Records != 50 {
		t.Errorf("kept %d, counted %d, streamed %d, records %d; want 5, 100, 100, 50", len(rep.Issues), rep.IssueCount, n, rep.Records)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, src string
		opts      Options
		want      string // the whole error text
	}{
		{"jsonl syntax", "{\"id\": \"P1\"}\n{\"id\": \"P2\"}\n{\"id\": x}\n", Options{}, `records.jsonl:3:8: json: invalid character 'x' looking for beginning of value`},
		{"jsonl truncated", "{\"id\": \"P1\"}\n{\"id\": ", Options{}, `records.jsonl:2:8: json: unexpected end of input`},
		{"not an object", "{\"id\": \"P1\"}\n  42\n", Options{}, `records.jsonl:2:3: record 2 is a number, want a JSON object`},
		{"array element", "[\n {\"id\": \"P1\"},\n \"P2\"\n]", Options{}, `records.jsonl:3:2: record 2 is a string, want a JSON object`},
		{"after array", "[{\"id\": \"P1\"}] {}", Options{}, `records.jsonl:1:16: json: unexpected { after the array of records`},
		{"unclosed array", "[{\"id\": \"P1\"}", Options{}, `records.jsonl:1:14: json: unexpected end of input`},
		{"too large", "{\"id\": \"P1\"}\n{\"name\": \"" + strings.Repeat("a", 1000) + "\"}\n", Options{MaxRecordBytes: 100}, `records.jsonl:2:1: record 2 larger than 100 bytes (raise Options.MaxRecordBytes)`},
		{"jsonld error", "{\"id\": \"P1\", \"@type\": 5}\n", Options{}, `records.jsonl:1:1: record 1: jsonld: invalid type value: @type value must be a string or array of strings`},
		{"unmapped fail", "{\"id\": \"P1\"}\n\n{\"sex\": \"Z\"}\n", Options{OnUnmappedCode: Fail}, `records.jsonl:3:1: record 2: sex="Z": unmapped code`},
		{"csv quote", "id,sex\nP1,M\nP2,\"F\n", Options{Format: FormatCSV}, `records.jsonl:3:7: csv: extraneous or missing " in quoted-field`},
		{"csv fields", "id,sex\nP1,M,extra\n", Options{Format: FormatCSV}, `records.jsonl:2:1: csv: wrong number of fields`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.File = "records.jsonl"
			_, _, err := decodeString(t, tt.src, tt.opts)
			if _, ok := syntax.AsError(err); !ok || err.Error() != tt.want {
				t.Fatalf("err = %v (%T), want *syntax.Error %q", err, err, tt.want)
			}
		})
	}
}

func TestDecoderEmptyAndSticky(t *testing.T) {
	for _, src := range []string{"", "  \n", "[]", "[ ]\n"} {
		got, rep, err := decodeString(t, src, Options{})
		if err != nil || len(got) != 0 || rep.Records != 0 {
			t.Errorf("decode(%q) = %d quads, %d records, %v; want none", src, len(got), rep.Records, err)
		}
	}
	d := NewDecoder(strings.NewReader("{x"), mustMapping(t, testMapping), Options{})
	_, err1 := d.Next()
	_, err2 := d.Next()
	if err1 == nil || err1 != err2 {
		t.Errorf("errors not sticky: %v then %v", err1, err2)
	}
	d = NewDecoder(strings.NewReader("{}"), nil, Options{})
	if _, err := d.Next(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("nil mapping: err = %v, want an error", err)
	}
}

func TestParseMappingErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"not json", `{"@context": `, "mapping.json:1:14: json: unexpected end of JSON input"},
		{"neither", `{"foo": 1}`, "neither a JSON-LD mapping"},
		{"bad context", `{"@context": {"sex": {"@id": 5}}}`, "jsonld: invalid IRI mapping"},
		{"bad template", `{"@context": {}, "idTemplate": "x{"}`, "unclosed"},
		{"csvw no columns", `{"tableSchema": {"columns": []}}`, "non-empty list"},
		{"csvw virtual", `{"tableSchema": {"columns": [{"name": "t", "virtual": true}]}}`, "virtual column needs"},
		{"csvw duplicate", `{"tableSchema": {"columns": [{"name": "a"}, {"name": "a"}]}}`, "two columns named"},
		{"csvw delimiter", `{"dialect": {"delimiter": ";;"}, "tableSchema": {"columns": [{"name": "a"}]}}`, "one character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMapping([]byte(tt.src), MappingOptions{Name: "mapping.json"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseMapping(%s) = %v, want an error containing %q", tt.src, err, tt.want)
			}
		})
	}
}
