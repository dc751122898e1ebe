package results

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

const xsd = graph.XSDNamespace

// sample is a result exercising the cases every writer must get right:
// IRIs, a plain literal, a language tag, datatypes, a blank node, unbound
// values and characters that need escaping.
var sample = Table{
	Vars: []string{"s", "o"},
	Rows: []Solution{
		{graph.IRI("http://ex/a"), graph.String("plain")},
		{graph.IRI("http://ex/b"), graph.LangLiteral("chat", "FR-be")},
		{graph.Blank("b0"), graph.Literal("42", xsd+"integer")},
		{{}, graph.String("tab\there \"q\" back\\slash\nnl\r,comma <&>")},
		{graph.IRI("http://ex/c"), {}},
		{graph.IRI("http://ex/d"), graph.Literal("x", "http://ex/dt")},
	},
}

func TestWriters(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		in     Table
		want   string
	}{
		{"json", JSON, sample, `{"head":{"vars":["s","o"]},"results":{"bindings":[
{"s":{"type":"uri","value":"http://ex/a"},"o":{"type":"literal","value":"plain"}},
{"s":{"type":"uri","value":"http://ex/b"},"o":{"type":"literal","value":"chat","xml:lang":"fr-be"}},
{"s":{"type":"bnode","value":"b0"},"o":{"type":"literal","value":"42","datatype":"http://www.w3.org/2001/XMLSchema#integer"}},
{"o":{"type":"literal","value":"tab\there \"q\" back\\slash\nnl\r,comma <&>"}},
{"s":{"type":"uri","value":"http://ex/c"}},
{"s":{"type":"uri","value":"http://ex/d"},"o":{"type":"literal","value":"x","datatype":"http://ex/dt"}}
]}}
`},
		{"json empty", JSON, Table{Vars: []string{"x"}}, "{\"head\":{\"vars\":[\"x\"]},\"results\":{\"bindings\":[\n]}}\n"},
		{"json no variables", JSON, Table{Rows: []Solution{{}}}, "{\"head\":{\"vars\":[]},\"results\":{\"bindings\":[\n{}\n]}}\n"},
		{"json ask", JSON, Table{IsBoolean: true, Boolean: true}, "{\"head\":{},\"boolean\":true}\n"},
		{"json ask false", JSON, Table{IsBoolean: true}, "{\"head\":{},\"boolean\":false}\n"},
		{"json escapes", JSON, Table{Vars: []string{"x"}, Rows: []Solution{{graph.String("\x00\x1f\u2028\b\f\xff")}}},
			"{\"head\":{\"vars\":[\"x\"]},\"results\":{\"bindings\":[\n{\"x\":{\"type\":\"literal\",\"value\":\"\\u0000\\u001f\\u2028\\b\\f\\ufffd\"}}\n]}}\n"},
		{"xml", XML, sample, `<?xml version="1.0" encoding="UTF-8"?>
<sparql xmlns="http://www.w3.org/2005/sparql-results#">
<head>
 <variable name="s"/>
 <variable name="o"/>
</head>
<results>
 <result><binding name="s"><uri>http://ex/a</uri></binding><binding name="o"><literal>plain</literal></binding></result>
 <result><binding name="s"><uri>http://ex/b</uri></binding><binding name="o"><literal xml:lang="fr-be">chat</literal></binding></result>
 <result><binding name="s"><bnode>b0</bnode></binding><binding name="o"><literal datatype="http://www.w3.org/2001/XMLSchema#integer">42</literal></binding></result>
 <result><binding name="o"><literal>tab	here "q" back\slash
nl&#xD;,comma &lt;&amp;&gt;</literal></binding></result>
 <result><binding name="s"><uri>http://ex/c</uri></binding></result>
 <result><binding name="s"><uri>http://ex/d</uri></binding><binding name="o"><literal datatype="http://ex/dt">x</literal></binding></result>
</results>
</sparql>
`},
		{"xml empty", XML, Table{Vars: []string{"x"}}, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n<head>\n <variable name=\"x\"/>\n</head>\n<results>\n</results>\n</sparql>\n"},
		{"xml ask", XML, Table{IsBoolean: true, Boolean: false}, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n<head/>\n<boolean>false</boolean>\n</sparql>\n"},
		{"xml attribute escapes", XML, Table{Vars: []string{"x"}, Rows: []Solution{{graph.Literal("v", "http://ex/a\"b&c<d")}}},
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n<head>\n <variable name=\"x\"/>\n</head>\n<results>\n <result><binding name=\"x\"><literal datatype=\"http://ex/a&quot;b&amp;c&lt;d\">v</literal></binding></result>\n</results>\n</sparql>\n"},
		{"csv", CSV, sample, "s,o\r\n" +
			"http://ex/a,plain\r\n" +
			"http://ex/b,chat\r\n" +
			"_:b0,42\r\n" +
			",\"tab\there \"\"q\"\" back\\slash\nnl\r,comma <&>\"\r\n" +
			"http://ex/c,\r\n" +
			"http://ex/d,x\r\n"},
		{"csv empty values", CSV, Table{Vars: []string{"a", "b"}, Rows: []Solution{{graph.String(""), {}}, {{}, graph.IRI("")}}}, "a,b\r\n\"\",\r\n,\"\"\r\n"},
		{"csv empty", CSV, Table{Vars: []string{"a", "b"}}, "a,b\r\n"},
		{"tsv", TSV, sample, "?s\t?o\n" +
			"<http://ex/a>\t\"plain\"\n" +
			"<http://ex/b>\t\"chat\"@fr-be\n" +
			"_:b0\t42\n" +
			"\t\"tab\\there \\\"q\\\" back\\\\slash\\nnl\\r,comma <&>\"\n" +
			"<http://ex/c>\t\n" +
			"<http://ex/d>\t\"x\"^^<http://ex/dt>\n"},
		{"tsv empty", TSV, Table{Vars: []string{"a"}}, "?a\n"},
		{"tsv numbers", TSV, Table{Vars: []string{"n"}, Rows: []Solution{
			{graph.Literal("-5", xsd+"integer")},
			{graph.Literal("+.5", xsd+"decimal")},
			{graph.Literal("1.0E6", xsd+"double")},
			{graph.Literal("1e-3", xsd+"double")},
			{graph.Literal("01", xsd+"integer")},
			{graph.Literal("5.", xsd+"decimal")},     // not Turtle DECIMAL
			{graph.Literal("INF", xsd+"double")},     // no Turtle form
			{graph.Literal("1.5", xsd+"integer")},    // ill-typed: never shortened
			{graph.Literal("true", xsd+"boolean")},   // booleans keep the long form
			{graph.Literal("1", xsd+"float")},        // only integer, decimal, double
			{graph.Literal(" 1", xsd+"integer")},     // whitespace: not the Turtle form
			{graph.Literal("1.0e+06", xsd+"double")}, // signed exponent
		}}, "?n\n-5\n+.5\n1.0E6\n1e-3\n01\n" +
			"\"5.\"^^<http://www.w3.org/2001/XMLSchema#decimal>\n" +
			"\"INF\"^^<http://www.w3.org/2001/XMLSchema#double>\n" +
			"\"1.5\"^^<http://www.w3.org/2001/XMLSchema#integer>\n" +
			"\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>\n" +
			"\"1\"^^<http://www.w3.org/2001/XMLSchema#float>\n" +
			"\" 1\"^^<http://www.w3.org/2001/XMLSchema#integer>\n" +
			"1.0e+06\n"},
		{"tsv escapes", TSV, Table{Vars: []string{"x", "y"}, Rows: []Solution{
			{graph.IRI("http://ex/a b>c\\"), graph.String("\x01\x7f")},
			{graph.Blank("not valid"), graph.Blank("esc_x")},
			{graph.Blank("a.b"), graph.Blank("a.")},
		}}, "?x\t?y\n" +
			"<http://ex/a\\u0020b\\u003Ec\\u005C>\t\"\\u0001\\u007F\"\n" +
			"_:esc_6e6f742076616c6964\t_:esc_6573635f78\n" +
			"_:a.b\t_:esc_612e\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(context.Background(), &buf, tt.format, tt.in.Set()); err != nil {
				t.Fatalf("Write(%v) = %v", tt.format, err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("Write(%v) =\n%s\nwant\n%s", tt.format, got, tt.want)
			}
		})
	}
}

func TestWriterErrors(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		run    func(w Writer) error
		want   error
	}{
		{"solution before head", JSON, func(w Writer) error { return w.WriteSolution(Solution{}) }, ErrState},
		{"close before head", XML, func(w Writer) error { return w.Close() }, ErrState},
		{"head twice", TSV, func(w Writer) error {
			w.WriteHead([]string{"a"})
			return w.WriteHead([]string{"a"})
		}, ErrState},
		{"boolean after head", JSON, func(w Writer) error {
			w.WriteHead(nil)
			return w.WriteBoolean(true)
		}, ErrState},
		{"solution after close", JSON, func(w Writer) error {
			w.WriteHead(nil)
			w.Close()
			return w.WriteSolution(Solution{})
		}, ErrState},
		{"bad variable name", JSON, func(w Writer) error { return w.WriteHead([]string{"a b"}) }, ErrInvalid},
		{"variable with question mark", XML, func(w Writer) error { return w.WriteHead([]string{"?a"}) }, ErrInvalid},
		{"repeated variable", CSV, func(w Writer) error { return w.WriteHead([]string{"a", "a"}) }, ErrInvalid},
		{"row too short", TSV, func(w Writer) error {
			w.WriteHead([]string{"a", "b"})
			return w.WriteSolution(Solution{graph.IRI("http://ex/")})
		}, ErrInvalid},
		{"default graph term", JSON, func(w Writer) error {
			w.WriteHead([]string{"a"})
			return w.WriteSolution(Solution{graph.DefaultGraph})
		}, ErrInvalid},
		{"ask in csv", CSV, func(w Writer) error { return w.WriteBoolean(true) }, ErrUnsupported},
		{"ask in tsv", TSV, func(w Writer) error { return w.WriteBoolean(false) }, ErrUnsupported},
		{"control character in xml", XML, func(w Writer) error {
			w.WriteHead([]string{"a"})
			return w.WriteSolution(Solution{graph.String("bell\x07")})
		}, ErrUnsupported},
		{"U+FFFF in xml", XML, func(w Writer) error {
			w.WriteHead([]string{"a"})
			return w.WriteSolution(Solution{graph.IRI("http://ex/\uffff")})
		}, ErrUnsupported},
		{"sticky error", JSON, func(w Writer) error {
			w.WriteHead([]string{"a b"})
			return w.WriteHead([]string{"a"})
		}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWriter(&bytes.Buffer{}, tt.format)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.run(w); !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := NewWriter(&bytes.Buffer{}, Format(0)); err == nil {
		t.Error("NewWriter(Format(0)) succeeded")
	}
}

func TestWriteStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rows := func(yield func(Solution, error) bool) {
		for {
			if !yield(Solution{graph.String("x")}, nil) {
				return
			}
		}
	}
	err := Write(ctx, &bytes.Buffer{}, JSON, Select([]string{"a"}, rows))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Write with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestWriteStreamError(t *testing.T) {
	boom := errors.New("boom")
	rows := func(yield func(Solution, error) bool) { yield(nil, boom) }
	if err := Write(context.Background(), &bytes.Buffer{}, TSV, Select([]string{"a"}, rows)); !errors.Is(err, boom) {
		t.Errorf("Write = %v, want the stream's error", err)
	}
}

// TestWriterStreams checks that rows reach the underlying writer before
// Close once the buffer fills: nothing is held per row.
func TestWriterStreams(t *testing.T) {
	for _, f := range Formats() {
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, f)
		w.WriteHead([]string{"a"})
		row := Solution{graph.String(strings.Repeat("x", 1000))}
		for range 200 {
			if err := w.WriteSolution(row); err != nil {
				t.Fatal(err)
			}
		}
		if buf.Len() < 100_000 {
			t.Errorf("%v: %d bytes written before Close, want most of 200 kB", f, buf.Len())
		}
		w.Flush()
		n := buf.Len()
		w.Close()
		if (f == JSON || f == XML) && buf.Len() <= n {
			t.Errorf("%v: Close wrote no trailer", f)
		}
	}
}

func TestValidVarName(t *testing.T) {
	for name, want := range map[string]bool{
		"x": true, "_x": true, "1x": true, "x1·": true, "été": true, "a\u0300": true,
		"": false, "a-b": false, "a b": false, "?a": false, "a.b": false, "·a": false, "\xff": false,
	} {
		if got := ValidVarName(name); got != want {
			t.Errorf("ValidVarName(%q) = %v, want %v", name, got, want)
		}
	}
}
