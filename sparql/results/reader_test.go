package results

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

type readCase struct {
	name string
	in   string
	want Table
}

type badCase struct {
	name      string
	in        string
	line, col int    // position of the error; 0 skips the check
	msg       string // a part of the message
}

func checkReads(t *testing.T, f Format, cases []readCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadTable(strings.NewReader(tt.in), f, syntax.Options{File: "in"})
			if err != nil {
				t.Fatalf("ReadTable(%q) = %v", tt.in, err)
			}
			if !Equivalent(got, tt.want, true) || !slices.Equal(got.Vars, tt.want.Vars) {
				t.Errorf("ReadTable(%q) =\n%v\nwant\n%v", tt.in, got, tt.want)
			}
		})
	}
}

func checkBadReads(t *testing.T, f Format, cases []badCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadTable(strings.NewReader(tt.in), f, syntax.Options{File: "in"})
			if err == nil {
				t.Fatalf("ReadTable(%q) = %v, want an error", tt.in, got)
			}
			se, ok := syntax.AsError(err)
			if !ok {
				t.Fatalf("ReadTable(%q) error %v is not a *syntax.Error", tt.in, err)
			}
			if se.File != "in" || (tt.line != 0 && (se.Line != tt.line || se.Column != tt.col)) {
				t.Errorf("ReadTable(%q) error at %s:%d:%d, want in:%d:%d (%v)", tt.in, se.File, se.Line, se.Column, tt.line, tt.col, err)
			}
			if !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("ReadTable(%q) error %q, want it to mention %q", tt.in, se.Msg, tt.msg)
			}
		})
	}
}

var (
	exA    = graph.IRI("http://ex/a")
	exB    = graph.IRI("http://ex/b")
	b0     = graph.Blank("b0")
	b1     = graph.Blank("b1")
	askYes = Table{IsBoolean: true, Boolean: true}
	askNo  = Table{IsBoolean: true, Boolean: false}
)

func TestReadJSON(t *testing.T) {
	checkReads(t, JSON, []readCase{
		{"terms", `{"head":{"vars":["s","o"],"link":["http://ex/doc"]},"results":{"bindings":[
			{"s":{"type":"uri","value":"http://ex/a"},"o":{"type":"literal","value":"x","xml:lang":"EN"}},
			{"o":{"type":"literal","value":"1","datatype":"http://www.w3.org/2001/XMLSchema#integer"}},
			{"s":{"type":"bnode","value":"b0"},"o":{"type":"typed-literal","value":"t","datatype":"http://ex/dt"}},
			{"s":{"type":"bnode","value":"b0"},"o":{"type":"literal","value":"a\"\\\n\u00e9\ud83d\ude00"}},
			{"o":{"type":"literal","value":"l","xml:lang":"de","datatype":"http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}},
			{}
		]}}`, Table{Vars: []string{"s", "o"}, Rows: []Solution{
			{exA, graph.LangLiteral("x", "en")},
			{{}, graph.Literal("1", xsd+"integer")},
			{b0, graph.Literal("t", "http://ex/dt")},
			{b0, graph.String("a\"\\\né😀")},
			{{}, graph.LangLiteral("l", "de")},
			{{}, {}},
		}}},
		{"results before head", `{"results":{"bindings":[{"x":{"type":"uri","value":"http://ex/a"}},{"y":{"type":"uri","value":"http://ex/b"}}]},"head":{"vars":["y","x"]}}`,
			Table{Vars: []string{"y", "x"}, Rows: []Solution{{{}, exA}, {exB, {}}}}},
		{"escapes and surrogates", `{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"literal","value":"\/\b\f\r\t\ud83d\ude00\ud800x\udc00"}}]}}`,
			Table{Vars: []string{"a"}, Rows: []Solution{{graph.String("/\b\f\r\t😀\uFFFDx\uFFFD")}}}},
		{"byte order mark", "\uFEFF{\"boolean\":true}", askYes},
		{"unknown members ignored", `{"x":[1,{"a":null,"b":[[],{}]},-2.5e+3,true,"s"],"head":{"vars":["a"],"z":1},"results":{"distinct":false,"bindings":[{"a":{"type":"uri","value":"http://ex/a","extra":{"q":[]}}}],"ordered":true}}`,
			Table{Vars: []string{"a"}, Rows: []Solution{{exA}}}},
		{"empty", `{"head":{"vars":["a"]},"results":{"bindings":[]}}`, Table{Vars: []string{"a"}}},
		{"no variables", `{"head":{"vars":[]},"results":{"bindings":[{}]}}`, Table{Rows: []Solution{{}}}},
		{"ask", ` { "head" : { } , "boolean" : true } `, askYes},
		{"ask with link", `{"boolean":false,"head":{"link":["http://ex/"]}}`, askNo},
		{"ask without head", `{"boolean":true}`, askYes},
		{"blank nodes keep identity", `{"head":{"vars":["a","b"]},"results":{"bindings":[{"a":{"type":"bnode","value":"x"},"b":{"type":"bnode","value":"y"}},{"a":{"type":"bnode","value":"y"}}]}}`,
			Table{Vars: []string{"a", "b"}, Rows: []Solution{{b0, b1}, {b1, {}}}}},
	})
	checkBadReads(t, JSON, []badCase{
		{"not an object", `[]`, 1, 1, "want a JSON object"},
		{"syntax error", "{\"head\":{\"vars\":[\"a\"]},\n\"results\":{\"bindings\":[\n  {\"a\" {}}]}}", 3, 8, "want ':'"},
		{"truncated", `{"head":{"vars":["a"]},"results":{"bindings":[{"a":`, 1, 52, "unexpected end"},
		{"undeclared variable", "{\"head\":{\"vars\":[\"a\"]},\"results\":{\"bindings\":[\n{\"b\":{\"type\":\"uri\",\"value\":\"http://ex/\"}}]}}", 2, 2, "not in head.vars"},
		{"bound twice", `{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"uri","value":"x"},"a":{"type":"uri","value":"y"}}]}}`, 0, 0, "bound twice"},
		{"no results", `{"head":{"vars":["a"]}}`, 0, 0, "neither"},
		{"no bindings", `{"head":{"vars":["a"]},"results":{}}`, 0, 0, "no \"bindings\""},
		{"no head", `{"results":{"bindings":[]}}`, 0, 0, "no \"head\""},
		{"boolean and results", `{"head":{},"boolean":true,"results":{"bindings":[]}}`, 0, 0, "both"},
		{"repeated head", `{"head":{},"head":{},"boolean":true}`, 0, 0, "repeated"},
		{"boolean not a bool", `{"head":{},"boolean":"true"}`, 1, 22, "not true or false"},
		{"bad variable", `{"head":{"vars":["a b"]},"results":{"bindings":[]}}`, 0, 0, "bad variable"},
		{"repeated variable", `{"head":{"vars":["a","a"]},"results":{"bindings":[]}}`, 0, 0, "repeated"},
		{"unknown type", `{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"url","value":"x"}}]}}`, 0, 0, "unknown term type"},
		{"triple term", `{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"triple","value":{}}}]}}`, 0, 0, "triple terms"},
		{"no value", `{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"uri"}}]}}`, 0, 0, "without \"value\""},
		{"no type", `{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"value":"x"}}]}}`, 0, 0, "without \"type\""},
		{"empty blank label", `{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"bnode","value":""}}]}}`, 0, 0, "empty label"},
		{"language and datatype", `{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"literal","value":"x","xml:lang":"en","datatype":"http://ex/d"}}]}}`, 0, 0, "both language"},
		{"langString without tag", `{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"literal","value":"x","datatype":"http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}}]}}`, 0, 0, "without a language"},
		{"bad language", `{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"literal","value":"x","xml:lang":"e n"}}]}}`, 0, 0, "bad language"},
		{"trailing data", `{"head":{},"boolean":true} {}`, 0, 0, "after the top object"},
		{"row not an object", `{"head":{"vars":["a"]},"results":{"bindings":[1]}}`, 0, 0, "want a binding object"},
		{"bad literal", `{"head":{},"boolean":tru}`, 1, 22, "invalid literal"},
		{"bad number", `{"head":{"x":01},"boolean":true}`, 1, 14, "invalid number"},
		{"bad value", `{"head":{"x":@},"boolean":true}`, 1, 14, "invalid character"},
		{"control character", "{\"head\":{\"x\":\"a\nb\"},\"boolean\":true}", 1, 16, "control character"},
		{"bad escape", `{"head":{"x":"\q"},"boolean":true}`, 1, 15, "bad escape"},
		{"bad unicode escape", `{"head":{"x":"\u00G0"},"boolean":true}`, 1, 20, "bad hex digit"},
		{"missing comma", `{"head":{} "boolean":true}`, 1, 12, "want ','"},
		{"invalid UTF-8", "{\"head\":{\"x\":\"\xff\"},\"boolean\":true}", 1, 14, "not valid UTF-8"},
		{"column counts code points", "{\"head\":{\"vars\":[\"é\"]}, x}", 1, 25, "want an object key"},
	})
}

func TestReadXML(t *testing.T) {
	const head = `<?xml version="1.0"?>
<sparql xmlns="http://www.w3.org/2005/sparql-results#">`
	checkReads(t, XML, []readCase{
		{"terms", head + `
<!-- a comment -->
<head><variable name="s"/><variable name="o"/><link href="http://ex/doc"/></head>
<results>
 <result><binding name="s"><uri>http://ex/a</uri></binding><binding name="o"><literal xml:lang="EN">x</literal></binding></result>
 <result><binding name="o"><literal datatype="http://www.w3.org/2001/XMLSchema#integer">1</literal></binding></result>
 <result><binding name="s"><bnode>b0</bnode></binding><binding name="o"><literal><![CDATA[<&>]]> &amp;&#xD;&#233;
 x </literal></binding></result>
 <result><binding name="o"><bnode>b0</bnode></binding><binding name="s"><literal/></binding></result>
 <result></result>
</results>
</sparql>
<!-- trailing comment -->
`, Table{Vars: []string{"s", "o"}, Rows: []Solution{
			{exA, graph.LangLiteral("x", "en")},
			{{}, graph.Literal("1", xsd+"integer")},
			{b0, graph.String("<&> &\ré\n x ")},
			{graph.String(""), b0},
			{{}, {}},
		}}},
		{"prefixed namespace", `<s:sparql xmlns:s="http://www.w3.org/2005/sparql-results#"><s:head><s:variable name="a"/></s:head><s:results><s:result><s:binding name="a"><s:uri>http://ex/a</s:uri></s:binding></s:result></s:results></s:sparql>`,
			Table{Vars: []string{"a"}, Rows: []Solution{{exA}}}},
		{"empty", head + `<head><variable name="a"/></head><results/></sparql>`, Table{Vars: []string{"a"}}},
		{"ask", head + "<head/><boolean> true </boolean></sparql>", askYes},
		{"ask false", head + "<head><link href='x'/></head><boolean>false</boolean></sparql>", askNo},
	})
	checkBadReads(t, XML, []badCase{
		{"not xml", "hello", 1, 1, "unexpected text"},
		{"wrong root", `<results xmlns="http://www.w3.org/2005/sparql-results#"/>`, 1, 1, "want <sparql>"},
		{"wrong namespace", `<sparql xmlns="http://example.org/"/>`, 1, 1, "namespace"},
		{"no namespace", `<sparql><head/><boolean>true</boolean></sparql>`, 1, 1, "namespace"},
		{"unclosed", head + "\n<head>\n<variable name=\"a\"/>\n", 5, 1, "unexpected end"},
		{"mismatched tags", head + "\n<head></results>", 3, 17, "element <head> closed by </results>"},
		{"unknown element in head", head + `<head><var name="a"/></head>`, 0, 0, "<var> in <head>"},
		{"bad variable", head + `<head><variable name="1 2"/></head>`, 0, 0, "bad or missing name"},
		{"repeated variable", head + `<head><variable name="a"/><variable name="a"/></head>`, 0, 0, "repeated"},
		{"undeclared binding", head + "<head><variable name=\"a\"/></head><results>\n  <result><binding name=\"b\"><uri>x</uri></binding></result></results></sparql>", 3, 11, "not a <variable>"},
		{"two terms", head + `<head><variable name="a"/></head><results><result><binding name="a"><uri>x</uri><uri>y</uri></binding></result></results></sparql>`, 0, 0, "more than one term"},
		{"empty binding", head + `<head><variable name="a"/></head><results><result><binding name="a"></binding></result></results></sparql>`, 0, 0, "empty <binding>"},
		{"bound twice", head + `<head><variable name="a"/></head><results><result><binding name="a"><uri>x</uri></binding><binding name="a"><uri>x</uri></binding></result></results></sparql>`, 0, 0, "bound twice"},
		{"triple term", head + `<head><variable name="a"/></head><results><result><binding name="a"><triple/></binding></result></results></sparql>`, 0, 0, "triple terms"},
		{"element in literal", head + `<head><variable name="a"/></head><results><result><binding name="a"><literal>a<b/></literal></binding></result></results></sparql>`, 0, 0, "in a term"},
		{"text in results", head + `<head/><results>x</results></sparql>`, 0, 0, "unexpected text"},
		{"bad boolean", head + `<head/><boolean>yes</boolean></sparql>`, 0, 0, "want true or false"},
		{"ask with variables", head + `<head><variable name="a"/></head><boolean>true</boolean></sparql>`, 0, 0, "ASK result with variables"},
		{"content after root", head + `<head/><boolean>true</boolean></sparql><sparql/>`, 0, 0, "after </sparql>"},
		{"results and boolean", head + `<head/><results/><boolean>true</boolean></sparql>`, 0, 0, "unexpected <boolean>"},
		{"empty blank label", head + `<head><variable name="a"/></head><results><result><binding name="a"><bnode/></binding></result></results></sparql>`, 0, 0, "empty label"},
		{"language and datatype", head + `<head><variable name="a"/></head><results><result><binding name="a"><literal xml:lang="en" datatype="http://ex/d">x</literal></binding></result></results></sparql>`, 0, 0, "both language"},
		{"undefined entity", head + `<head/><boolean>&bogus;</boolean></sparql>`, 0, 0, "entity"},
	})
}

func TestReadTSV(t *testing.T) {
	checkReads(t, TSV, []readCase{
		{"terms", "?s\t?o\n" +
			"<http://ex/a>\t\"x\"@EN\n" +
			"\t1\n" +
			"_:b0\t\"t\"^^<http://ex/dt>\n" +
			"_:b0\t'a\\t\\\"\\'\\\\\\n\\u00E9\\U0001F600'\n" +
			"<http://ex/\\u0020>\t-1.5\n" +
			"\t.5e-3\n" +
			"<http://ex/b>\ttrue\n" +
			"\t\n", Table{Vars: []string{"s", "o"}, Rows: []Solution{
			{exA, graph.LangLiteral("x", "en")},
			{{}, graph.Literal("1", xsd+"integer")},
			{b0, graph.Literal("t", "http://ex/dt")},
			{b0, graph.String("a\t\"'\\\né😀")},
			{graph.IRI("http://ex/ "), graph.Literal("-1.5", xsd+"decimal")},
			{{}, graph.Literal(".5e-3", xsd+"double")},
			{exB, graph.Literal("true", xsd+"boolean")},
			{{}, {}},
		}}},
		{"dollar variables, CRLF, no final newline", "$a\t?b\r\n<http://ex/a>\t_:x\r\n_:x\t<http://ex/b>", Table{Vars: []string{"a", "b"}, Rows: []Solution{{exA, b0}, {b0, exB}}}},
		{"empty", "?a\n", Table{Vars: []string{"a"}}},
		{"one unbound variable", "?a\n\n\n", Table{Vars: []string{"a"}, Rows: []Solution{{{}}, {{}}}}},
		{"no variables", "\n\n", Table{Rows: []Solution{{}}}},
		{"string escapes", "?a\n\"\\b\\f\\r\"\n", Table{Vars: []string{"a"}, Rows: []Solution{{graph.String("\b\f\r")}}}},
	})
	checkBadReads(t, TSV, []badCase{
		{"empty document", "", 1, 1, "no header"},
		{"bad header", "?a\tb\n", 1, 4, "bad variable"},
		{"repeated header", "?a\t?a\n", 1, 4, "repeated"},
		{"too few values", "?a\t?b\n<http://ex/a>\n", 2, 14, "1 values for 2"},
		{"too many values", "?a\n<http://ex/a>\t<http://ex/b>\n", 2, 14, "more values"},
		{"unclosed IRI", "?a\n<http://ex/a\n", 2, 1, "closing '>'"},
		{"space in IRI", "?a\n<http://ex/ a>\n", 2, 12, "not allowed"},
		{"unclosed string", "?a\n\"abc\n", 2, 1, "closing quote"},
		{"bad escape", "?a\n\"a\\q\"\n", 2, 3, "unknown escape"},
		{"short unicode escape", "?a\n\"\\u00\"\n", 2, 2, "short \\u escape"},
		{"bad hex digit", "?a\n\"\\u00G0\"\n", 2, 2, "bad hex digit"},
		{"surrogate escape", "?a\n\"\\uD800\"\n", 2, 2, "not a Unicode scalar"},
		{"bad language", "?a\n\"a\"@-en\n", 2, 4, "bad language"},
		{"prefixed datatype", "?a\n\"a\"^^xsd:int\n", 2, 6, "datatype must be"},
		{"prefixed name", "?a\nex:a\n", 2, 1, "bad term"},
		{"bad blank node", "?a\n_:a.\n", 2, 1, "bad blank node"},
		{"junk after term", "?a\n<http://ex/a>x\n", 2, 14, "after a term"},
		{"invalid UTF-8", "?a\n\"é\xff\"\n", 2, 3, "invalid UTF-8"},
		{"third line", "?a\n1\n2 3\n", 3, 1, "bad term"},
	})
}

func TestReadIOError(t *testing.T) {
	boom := errors.New("boom")
	for _, f := range []Format{JSON, XML, TSV} {
		_, err := ReadTable(io.MultiReader(strings.NewReader(" "), iotest.ErrReader(boom)), f, syntax.Options{})
		if !errors.Is(err, boom) {
			t.Errorf("%v: ReadTable = %v, want the reader's error", f, err)
		}
		if _, ok := syntax.AsError(err); ok {
			t.Errorf("%v: an I/O error became a syntax error: %v", f, err)
		}
	}
}

func TestReadCSVUnsupported(t *testing.T) {
	if _, err := Read(strings.NewReader("a\r\n1\r\n"), CSV, syntax.Options{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Read(CSV) = %v, want ErrUnsupported", err)
	}
	if _, err := Read(strings.NewReader(""), Format(9), syntax.Options{}); err == nil {
		t.Error("Read(Format(9)) succeeded")
	}
}

// TestReadStreams checks that a reader yields rows before the document
// ends: the first row of a document whose tail is broken still arrives.
func TestReadStreams(t *testing.T) {
	docs := map[Format]string{
		JSON: `{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"uri","value":"http://ex/a"}},{"a":`,
		XML:  `<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="a"/></head><results><result><binding name="a"><uri>http://ex/a</uri></binding></result><result><binding`,
		TSV:  "?a\n<http://ex/a>\n<http://ex/",
	}
	for f, doc := range docs {
		s, err := Read(strings.NewReader(doc), f, syntax.Options{})
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		var rows int
		var last error
		for row, err := range s.Solutions {
			if err != nil {
				last = err
				break
			}
			if row[0] != exA {
				t.Errorf("%v: row %v", f, row)
			}
			rows++
		}
		if rows != 1 || last == nil {
			t.Errorf("%v: %d rows then %v, want 1 row then an error", f, rows, last)
		}
	}
}

// TestReadScopesBlankNodes checks that two documents read with their own
// scopes never share blank nodes, and share them with one scope.
func TestReadScopesBlankNodes(t *testing.T) {
	doc := "?a\n_:x\n"
	read := func(opts syntax.Options) graph.Term {
		tab, err := ReadTable(strings.NewReader(doc), TSV, opts)
		if err != nil {
			t.Fatal(err)
		}
		return tab.Rows[0][0]
	}
	first, second := read(syntax.Options{}), read(syntax.Options{})
	if first == second {
		t.Error("two reads without a shared scope gave the same blank node")
	}
	scope := graph.NewBlankScope()
	first, second = read(syntax.Options{Blanks: scope}), read(syntax.Options{Blanks: scope})
	if first != second {
		t.Error("two reads with one scope gave different blank nodes")
	}
}
