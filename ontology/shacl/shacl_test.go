package shacl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

const prelude = `
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://ex/> .
`

func turtleQuads(t testing.TB, src string) []graph.Quad {
	t.Helper()
	qs, err := parseTurtleString(prelude + src)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	return qs
}

// summary prints results as "component focus value" lines, sorted.
func summary(r *Report) string {
	var lines []string
	for _, res := range r.Results {
		l := strings.TrimSuffix(strings.TrimPrefix(res.Component.Value(), SH), "ConstraintComponent") + " " + short(res.Focus)
		if !res.Value.IsZero() {
			l += " " + short(res.Value)
		}
		lines = append(lines, l)
	}
	sort.Strings(lines)
	return strings.Join(lines, "; ")
}

func TestConstraints(t *testing.T) {
	tests := []struct {
		name, shapes, data, want string
	}{
		{"class via subClassOf", `ex:S sh:targetNode ex:a, ex:b ; sh:class ex:C .`,
			`ex:a a ex:D . ex:D rdfs:subClassOf ex:C . ex:b a ex:E .`, `Class <http://ex/b> <http://ex/b>`},
		{"datatype ill-typed", `ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] .`,
			`ex:a ex:p "12"^^xsd:integer . ex:b ex:p "abc"^^xsd:integer . ex:c ex:p "1" .`,
			`Datatype <http://ex/b> "abc"^^xsd:integer; Datatype <http://ex/c> "1"`},
		{"byte range", `ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:datatype xsd:byte ] .`,
			`ex:a ex:p "127"^^xsd:byte . ex:b ex:p "128"^^xsd:byte .`, `Datatype <http://ex/b> "128"^^xsd:byte`},
		{"min/max count", `ex:S sh:targetNode ex:a, ex:b ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 1 ] .`,
			`ex:a ex:p 1, 2 .`, `MaxCount <http://ex/a>; MinCount <http://ex/b>`},
		{"numeric range across types", `ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:minInclusive 1.5 ; sh:maxExclusive "10"^^xsd:double ] .`,
			`ex:a ex:p 2 . ex:b ex:p 1 . ex:c ex:p "x" . ex:d ex:p 10.0 .`,
			`MaxExclusive <http://ex/c> "x"; MaxExclusive <http://ex/d> 10.0; MinInclusive <http://ex/b> 1; MinInclusive <http://ex/c> "x"`},
		{"date range", `ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:minExclusive "2020-01-01"^^xsd:date ] .`,
			`ex:a ex:p "2021-05-01"^^xsd:date . ex:b ex:p "2019-05-01"^^xsd:date .`,
			`MinExclusive <http://ex/b> "2019-05-01"^^xsd:date`},
		{"length and pattern", `ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:maxLength 3 ; sh:pattern "^a" ; sh:flags "i" ] .`,
			`ex:a ex:p "Abc" . ex:b ex:p "abcd" . ex:c ex:p "xy" . ex:d ex:p [] .`,
			`MaxLength <http://ex/b> "abcd"; MaxLength <http://ex/d> _:; Pattern <http://ex/c> "xy"; Pattern <http://ex/d> _:`},
		{"languageIn and uniqueLang", `ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:languageIn ("en" "fr") ; sh:uniqueLang true ] .`,
			`ex:a ex:p "a"@en-GB, "b"@en, "c"@de, "d" .`,
			`LanguageIn <http://ex/a> "c"@de; LanguageIn <http://ex/a> "d"`},
		{"equals disjoint", `ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:equals ex:q ; sh:disjoint ex:r ] .`,
			`ex:a ex:p 1, 2 ; ex:q 2, 3 ; ex:r 1 .`,
			`Disjoint <http://ex/a> 1; Equals <http://ex/a> 1; Equals <http://ex/a> 3`},
		{"lessThan", `ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:lessThan ex:q ] .`,
			`ex:a ex:p 1, 5 ; ex:q 3 .`, `LessThan <http://ex/a> 5`},
		{"logical", `ex:S sh:targetNode ex:a ; sh:or ( [ sh:class ex:C ] [ sh:class ex:D ] ) ; sh:not [ sh:class ex:E ] ; sh:xone ( [ sh:class ex:E ] [ sh:class ex:F ] ) .`,
			`ex:a a ex:E, ex:F .`, `Not <http://ex/a> <http://ex/a>; Or <http://ex/a> <http://ex/a>; Xone <http://ex/a> <http://ex/a>`},
		{"node and property", `ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:node ex:T ] . ex:T sh:property [ sh:path ex:name ; sh:minCount 1 ] .`,
			`ex:a ex:p ex:b, ex:c . ex:b ex:name "b" .`, `Node <http://ex/a> <http://ex/c>`},
		{"qualified", `ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:C ] ; sh:qualifiedMinCount 2 ; sh:qualifiedMaxCount 2 ] .`,
			`ex:a ex:p ex:b, ex:c . ex:b a ex:C .`, `QualifiedMinCount <http://ex/a>`},
		{"closed", `ex:S sh:targetNode ex:a ; sh:closed true ; sh:ignoredProperties (rdf:type) ; sh:property [ sh:path ex:p ] .`,
			`ex:a a ex:C ; ex:p 1 ; ex:q 2 .`, `Closed <http://ex/a> 2`},
		{"hasValue in", `ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:hasValue 3 ; sh:in (1 2) ] .`,
			`ex:a ex:p 1, 5 .`, `HasValue <http://ex/a>; In <http://ex/a> 5`},
		{"deactivated", `ex:S sh:targetNode ex:a ; sh:deactivated true ; sh:class ex:C .`, `ex:a ex:p 1 .`, ``},
		{"implicit class target", `ex:C a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`,
			`ex:a a ex:C . ex:b a ex:D . ex:D rdfs:subClassOf ex:C . ex:b ex:p 1 .`, `MinCount <http://ex/a>`},
		{"targetObjectsOf with nodeKind", `ex:S sh:targetObjectsOf ex:p ; sh:nodeKind sh:IRI .`,
			`ex:a ex:p ex:b, "lit" .`, `NodeKind "lit" "lit"`},
		{"zeroOrMore path over a cycle", `ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:zeroOrMorePath ex:next ] ; sh:class ex:C ] .`,
			`ex:a a ex:C ; ex:next ex:b . ex:b ex:next ex:a, ex:c . ex:b a ex:C .`, `Class <http://ex/a> <http://ex/c>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			shapes, data := turtleQuads(t, tc.shapes), turtleQuads(t, tc.data)
			for _, direct := range []bool{false, true} {
				rep, err := validateQuads(shapes, data, Options{DirectLookups: direct})
				if err != nil {
					t.Fatalf("validate: %v", err)
				}
				got := blankLabels(summary(rep))
				if got != tc.want {
					t.Errorf("direct=%v: results\n got %s\nwant %s", direct, got, tc.want)
				}
				if rep.Conforms != (tc.want == "") {
					t.Errorf("direct=%v: Conforms = %v", direct, rep.Conforms)
				}
			}
		})
	}
}

// blankLabels replaces blank node labels with "_:".
func blankLabels(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], "_:") {
			b.WriteString("_:")
			i += 2
			for i < len(s) && s[i] != ' ' && s[i] != ';' {
				i++
			}
			i--
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestCompileErrors(t *testing.T) {
	tests := []struct{ name, shapes, want string }{
		{"minCount on node shape", `ex:S a sh:NodeShape ; sh:minCount 1 .`, "sh:minCount is allowed only on property shapes"},
		{"bad count", `ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount "x" ] .`, `shape <http://ex/S> property <http://ex/p>: sh:minCount "x" is not a non-negative integer`},
		{"bad path", `ex:S sh:targetNode ex:a ; sh:property [ sh:path [ ex:foo ex:bar ] ] .`, "is not a well-formed path"},
		{"bad pattern", `ex:S sh:targetNode ex:a ; sh:pattern "(" .`, "sh:pattern"},
		{"bad nodeKind", `ex:S sh:targetNode ex:a ; sh:nodeKind ex:Foo .`, "node kinds"},
		{"bad list", `ex:S sh:targetNode ex:a ; sh:in ex:notAList .`, "not a well-formed RDF list"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(turtleQuads(t, tc.shapes))
			var ce CompileErrors
			if !errors.As(err, &ce) {
				t.Fatalf("Compile = %v, want CompileErrors", err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "<http://ex/S>") {
				t.Errorf("Compile error = %q, want it to contain %q and the shape", err, tc.want)
			}
		})
	}
}

func TestRecursion(t *testing.T) {
	shapes := turtleQuads(t, `ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:knows ; sh:node ex:S ] .`)
	// A tree terminates.
	if _, err := validateQuads(shapes, turtleQuads(t, `ex:a ex:knows ex:b .`), Options{}); err != nil {
		t.Fatalf("acyclic data: %v", err)
	}
	// A cycle in the data makes the check need itself.
	_, err := validateQuads(shapes, turtleQuads(t, `ex:a ex:knows ex:b . ex:b ex:knows ex:a .`), Options{})
	if !errors.Is(err, ErrRecursion) {
		t.Fatalf("cyclic data: err = %v, want ErrRecursion", err)
	}
}

func TestMaxResultsAndCancel(t *testing.T) {
	shapes := turtleQuads(t, `ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] .`)
	var data strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&data, "ex:s%d ex:p \"x\" .\n", i)
	}
	dq := turtleQuads(t, data.String())
	rep, err := validateQuads(shapes, dq, Options{MaxResults: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 10 || !rep.Truncated || rep.Conforms {
		t.Errorf("MaxResults 10: %d results, truncated %v, conforms %v", len(rep.Results), rep.Truncated, rep.Conforms)
	}
	s, _ := Compile(shapes)
	st, _ := storeOf(dq)
	snap, _ := st.Snapshot(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Validate(ctx, snap, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}

func TestNamedGraph(t *testing.T) {
	shapes := turtleQuads(t, `ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`)
	g := graph.IRI("http://ex/g")
	data := []graph.Quad{{S: graph.IRI("http://ex/a"), P: graph.IRI("http://ex/p"), O: graph.String("x"), G: g}}
	for _, tc := range []struct {
		g    graph.Term
		want bool
	}{{graph.Term{}, false}, {g, true}} {
		rep, err := validateQuads(shapes, data, Options{Graph: tc.g})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Conforms != tc.want {
			t.Errorf("graph %v: Conforms = %v, want %v", tc.g, rep.Conforms, tc.want)
		}
	}
}

func TestPathString(t *testing.T) {
	tests := []struct{ path, want string }{
		{`ex:p`, `<http://ex/p>`},
		{`[ sh:inversePath ex:p ]`, `^<http://ex/p>`},
		{`( ex:p [ sh:zeroOrMorePath ex:q ] )`, `<http://ex/p>/<http://ex/q>*`},
		{`[ sh:alternativePath ( ex:p ( ex:q ex:r ) ) ]`, `<http://ex/p>|(<http://ex/q>/<http://ex/r>)`},
		{`[ sh:oneOrMorePath [ sh:zeroOrOnePath ex:p ] ]`, `<http://ex/p>?+`},
	}
	for _, tc := range tests {
		s, err := Compile(turtleQuads(t, `ex:S sh:targetNode ex:a ; sh:property ex:P . ex:P sh:path `+tc.path+` .`))
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		p := s.byNode[graph.IRI("http://ex/P")].path
		if got := p.String(); got != tc.want {
			t.Errorf("path %s: String() = %s, want %s", tc.path, got, tc.want)
		}
		// The RDF form reads back as the same path.
		n, qs := p.Quads(graph.NewBlankScope())
		c := &compiler{sg: newSGraph(qs)}
		back, err := c.parsePath(n, 0)
		if err != nil || back.String() != tc.want {
			t.Errorf("path %s: RDF form reads back as %v, %v", tc.path, back, err)
		}
	}
}

func TestCompareValues(t *testing.T) {
	lit := graph.Literal
	tests := []struct {
		a, b graph.Term
		cmp  int
		ok   bool
	}{
		{lit("1", xsd+"integer"), lit("1.0", xsd+"decimal"), 0, true},
		{lit("2", xsd+"integer"), lit("1e1", xsd+"double"), -1, true},
		{lit("NaN", xsd+"double"), lit("1", xsd+"integer"), 0, false},
		{graph.String("a"), graph.String("b"), -1, true},
		{graph.String("a"), lit("1", xsd+"integer"), 0, false},
		{lit("2020-01-01T00:00:00Z", xsd+"dateTime"), lit("2020-01-01T01:00:00+02:00", xsd+"dateTime"), 1, true},
		{lit("2020-01-01T00:00:00", xsd+"dateTime"), lit("2020-01-01T01:00:00Z", xsd+"dateTime"), 0, false},
		{lit("2020-01-01T00:00:00", xsd+"dateTime"), lit("2020-01-03T00:00:00Z", xsd+"dateTime"), -1, true},
		{lit("abc", xsd+"integer"), lit("1", xsd+"integer"), 0, false},
		{graph.IRI("http://ex/a"), graph.IRI("http://ex/b"), 0, false},
		{lit("false", xsdBoolean), lit("true", xsdBoolean), -1, true},
	}
	for _, tc := range tests {
		cmp, ok := compareValues(tc.a, tc.b)
		if ok != tc.ok || (ok && cmp != tc.cmp) {
			t.Errorf("compareValues(%v, %v) = %d, %v, want %d, %v", tc.a, tc.b, cmp, ok, tc.cmp, tc.ok)
		}
	}
}

func TestValidLexical(t *testing.T) {
	tests := []struct {
		lex, dt string
		want    bool
	}{
		{"12", "integer", true}, {"+12", "integer", true}, {"1.5", "integer", false}, {"abc", "integer", false},
		{"-1", "nonNegativeInteger", false}, {"256", "unsignedByte", false}, {"255", "unsignedByte", true},
		{".5", "decimal", true}, {"1.", "decimal", true}, {"1e3", "decimal", false},
		{"1e3", "double", true}, {"INF", "float", true}, {"inf", "float", false},
		{"2020-02-29", "date", true}, {"2021-02-29", "date", false}, {"2020-13-01", "date", false},
		{"2020-01-01T24:00:00", "dateTime", true}, {"2020-01-01T24:00:01", "dateTime", false},
		{"2020-01-01T10:00:00", "dateTimeStamp", false}, {"2020-01-01T10:00:00Z", "dateTimeStamp", true},
		{"true", "boolean", true}, {"yes", "boolean", false}, {"P1Y2M", "duration", true}, {"P", "duration", false},
		{"en-GB", "language", true}, {"anything", "string", true}, {"x", "unknownType", true},
	}
	for _, tc := range tests {
		if got := validLexical(graph.Literal(tc.lex, xsd+tc.dt)); got != tc.want {
			t.Errorf("validLexical(%q^^xsd:%s) = %v, want %v", tc.lex, tc.dt, got, tc.want)
		}
	}
}

func TestCompilePattern(t *testing.T) {
	tests := []struct {
		pat, flags, input string
		want              bool
	}{
		{"^a.c$", "", "abc", true},
		{"^A", "i", "abc", true},
		{"a.c", "s", "a\nc", true},
		{"^b", "m", "a\nb", true},
		{"a b c", "x", "abc", true},
		{"a[ ]b", "x", "a b", true},
		{"a.c", "q", "abc", false},
		{"a.c", "q", "xa.c", true},
	}
	for _, tc := range tests {
		re, err := compilePattern(tc.pat, tc.flags)
		if err != nil {
			t.Fatalf("compilePattern(%q, %q): %v", tc.pat, tc.flags, err)
		}
		if got := re.MatchString(tc.input); got != tc.want {
			t.Errorf("pattern %q flags %q on %q = %v, want %v", tc.pat, tc.flags, tc.input, got, tc.want)
		}
	}
	if _, err := compilePattern("a", "z"); err == nil {
		t.Error("unknown flag accepted")
	}
}

func TestReportOutputs(t *testing.T) {
	shapes := turtleQuads(t, `ex:DatasetShape sh:targetNode ex:d1 ; sh:property [ sh:path ( ex:p [ sh:inversePath ex:q ] ) ; sh:minCount 1 ; sh:message "needs p/^q"@en ] ; sh:property [ sh:path ex:title ; sh:minCount 1 ; sh:severity sh:Warning ] .`)
	rep, err := validateQuads(shapes, turtleQuads(t, `ex:d1 ex:x 1 .`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `does not conform: 2 results (1 Violation, 1 Warning) on 1 focus node

<http://ex/d1>
  Violation <http://ex/p>/^<http://ex/q>: needs p/^q (minCount 1 not met (found 0)) [shape <http://ex/DatasetShape> property <http://ex/p>/^<http://ex/q>]
  Warning <http://ex/title>: minCount 1 not met (found 0) [shape <http://ex/DatasetShape> property <http://ex/title>]
`
	if b.String() != want {
		t.Errorf("WriteText:\n%s\nwant:\n%s", b.String(), want)
	}
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Conforms bool
		Results  []map[string]any
	}
	if err := json.Unmarshal(js, &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded.Conforms || len(decoded.Results) != 2 || decoded.Results[0]["path"] != "<http://ex/p>/^<http://ex/q>" {
		t.Errorf("MarshalJSON = %s", js)
	}
	// The RDF report has the standard shape: a sequence path as a list.
	qs := rep.Quads()
	count := map[string]int{}
	for _, q := range qs {
		count[strings.TrimPrefix(q.P.Value(), SH)]++
	}
	if count["result"] != 2 || count["resultPath"] != 2 || count["inversePath"] != 1 || count["resultMessage"] != 2 || count["conforms"] != 1 {
		t.Errorf("Quads predicates = %v", count)
	}
}

// failingReader fails every pattern query.
type failingReader struct{ graph.Reader }

func (failingReader) Quads(ctx context.Context, p graph.Pattern) graph.Quads {
	return graph.Error(errors.New("disk on fire"))
}

func (failingReader) Count(ctx context.Context, p graph.Pattern) (int64, error) {
	return 0, errors.New("disk on fire")
}

func TestReaderError(t *testing.T) {
	s, err := Compile(turtleQuads(t, `ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`))
	if err != nil {
		t.Fatal(err)
	}
	for _, direct := range []bool{false, true} {
		_, err := s.Validate(context.Background(), failingReader{}, Options{DirectLookups: direct})
		if err == nil || !strings.Contains(err.Error(), "disk on fire") {
			t.Errorf("direct=%v: err = %v, want the reader's error", direct, err)
		}
	}
}

// TestConcurrent validates with one Shapes from several goroutines (run
// with -race): compiled shapes are immutable.
func TestConcurrent(t *testing.T) {
	shapes := turtleQuads(t, `ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:node ex:T ] . ex:T sh:datatype xsd:integer .`)
	s, err := Compile(shapes)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := storeOf(turtleQuads(t, `ex:a ex:p 1, "x" . ex:b ex:p 2 .`))
	snap, _ := st.Snapshot(context.Background())
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			rep, err := s.Validate(context.Background(), snap, Options{})
			if err == nil && len(rep.Results) != 1 {
				err = fmt.Errorf("%d results, want 1", len(rep.Results))
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
