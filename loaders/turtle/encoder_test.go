package turtle

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

func encodeAll(t *testing.T, qs []graph.Quad, opts EncoderOptions, trig bool) string {
	t.Helper()
	var buf bytes.Buffer
	e := NewEncoder(&buf, opts)
	if trig {
		e = NewTriGEncoder(&buf, opts)
	}
	for _, q := range qs {
		if err := e.Encode(q); err != nil {
			t.Fatalf("Encode(%v): %v", q, err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.String()
}

var (
	exS = graph.IRI("http://a/s")
	exP = graph.IRI("http://a/p")
	exQ = graph.IRI("http://a/q")
	exO = graph.IRI("http://a/o")
	exG = graph.IRI("http://a/g")
)

func TestEncode(t *testing.T) {
	b1 := graph.Blank("b1")
	tests := []struct {
		name string
		trig bool
		opts EncoderOptions
		in   []graph.Quad
		want string
	}{
		{name: "grouping", opts: EncoderOptions{Prefixes: map[string]string{"ex": "http://a/", "rdf": graph.RDFNamespace}},
			in: []graph.Quad{
				graph.Triple(exS, rdfType, exO),
				graph.Triple(exS, exP, exO),
				graph.Triple(exS, exP, graph.String("x")),
				graph.Triple(exS, exQ, b1),
				graph.Triple(b1, exP, graph.LangLiteral("hé", "en-GB")),
			},
			want: `@prefix ex: <http://a/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .

ex:s a ex:o ;
    ex:p ex:o, "x" ;
    ex:q _:b1 .

_:b1 ex:p "hé"@en-gb .
`},
		{name: "literals", in: []graph.Quad{
			graph.Triple(exS, exP, graph.Literal("-12", graph.XSDInteger)),
			graph.Triple(exS, exP, graph.Literal("1.", graph.XSDDecimal)),
			graph.Triple(exS, exP, graph.Literal(".5", graph.XSDDecimal)),
			graph.Triple(exS, exP, graph.Literal("1.e5", graph.XSDDouble)),
			graph.Triple(exS, exP, graph.Literal("INF", graph.XSDDouble)),
			graph.Triple(exS, exP, graph.Literal("true", graph.XSDBoolean)),
			graph.Triple(exS, exP, graph.Literal("1", graph.XSDBoolean)),
			graph.Triple(exS, exP, graph.Literal(" 7", graph.XSDInteger)),
			graph.Triple(exS, exP, graph.String("q\"\\\n\r\t\x01\x7f")),
		},
			want: `<http://a/s> <http://a/p> -12, "1."^^<http://www.w3.org/2001/XMLSchema#decimal>, .5, 1.e5, "INF"^^<http://www.w3.org/2001/XMLSchema#double>, true, "1"^^<http://www.w3.org/2001/XMLSchema#boolean>, " 7"^^<http://www.w3.org/2001/XMLSchema#integer>, "q\"\\\n\r\t\u0001\u007F" .
`},
		{name: "local names", opts: EncoderOptions{Prefixes: map[string]string{"": "http://a/", "long": "http://a/x/"}},
			in: []graph.Quad{
				graph.Triple(graph.IRI("http://a/x/y"), graph.IRI("http://a/-a.b."), graph.IRI("http://a/.%41%4g~")),
				graph.Triple(graph.IRI("http://a/x/y"), graph.IRI("http://a/"), graph.IRI("http://a/a/b")),
			},
			want: `@prefix : <http://a/> .
@prefix long: <http://a/x/> .

long:y :\-a.b\. :\.%41\%4g\~ ;
    : :a\/b .
`},
		{name: "base", opts: EncoderOptions{Base: "http://a/b/doc"},
			in: []graph.Quad{
				graph.Triple(graph.IRI("http://a/b/doc"), graph.IRI("http://a/b/doc#p"), graph.IRI("http://a/b/other")),
				graph.Triple(graph.IRI("http://a/b/doc"), graph.IRI("http://a/b/doc#p"), graph.IRI("http://a/c")),
				graph.Triple(graph.IRI("http://a/b/doc"), graph.IRI("http://a/b/doc#p"), graph.IRI("http://a/b/../x")),
			},
			want: `@base <http://a/b/doc> .

<> <#p> <other>, <http://a/c>, <http://a/b/../x> .
`},
		{name: "trig graphs", trig: true, in: []graph.Quad{
			graph.Triple(exS, exP, exO),
			{S: exS, P: exP, O: exO, G: exG},
			{S: exS, P: exQ, O: exO, G: exG},
			{S: exO, P: exQ, O: exO, G: exG},
			{S: exS, P: exP, O: exO, G: b1},
			graph.Triple(exS, exQ, exO),
		},
			want: `<http://a/s> <http://a/p> <http://a/o> .

<http://a/g> {
    <http://a/s> <http://a/p> <http://a/o> ;
        <http://a/q> <http://a/o> .

    <http://a/o> <http://a/q> <http://a/o> .
}

_:b1 {
    <http://a/s> <http://a/p> <http://a/o> .
}
<http://a/s> <http://a/q> <http://a/o> .
`},
		{name: "blank labels", in: []graph.Quad{
			graph.Triple(graph.Blank("a b"), exP, graph.Blank("hx_612062")),
			graph.Triple(graph.Blank("x."), exP, graph.Blank("_ok-1")),
		},
			want: `_:hx_612062 <http://a/p> _:hx_68785f363132303632 .

_:hx_782e <http://a/p> _:_ok-1 .
`},
		{name: "empty", opts: EncoderOptions{Prefixes: map[string]string{"ex": "http://a/"}}, want: "@prefix ex: <http://a/> .\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := encodeAll(t, tt.in, tt.opts, tt.trig)
			if got != tt.want {
				t.Errorf("encode =\n%s\nwant\n%s", got, tt.want)
			}
			opts := syntax.Options{Base: "http://unused.example/"}
			d := NewDecoder(strings.NewReader(got), opts)
			if tt.trig {
				d = NewTriGDecoder(strings.NewReader(got), opts)
			}
			back, err := drain(d)
			if err != nil {
				t.Fatalf("re-parse: %v\n%s", err, got)
			}
			if !graph.Isomorphic(back, tt.in) {
				t.Errorf("round trip =\n%s\nwant\n%s", dump(back), dump(tt.in))
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name string
		trig bool
		opts EncoderOptions
		q    graph.Quad
		msg  string
	}{
		{"named graph in turtle", false, EncoderOptions{}, graph.Quad{S: exS, P: exP, O: exO, G: exG}, "Turtle has no named graphs"},
		{"literal subject", false, EncoderOptions{}, graph.Triple(graph.String("x"), exP, exO), "invalid quad"},
		{"space in IRI", false, EncoderOptions{}, graph.Triple(exS, exP, graph.IRI("http://a/ b")), "cannot hold"},
		{"invalid UTF-8", true, EncoderOptions{}, graph.Triple(exS, exP, graph.String("\xff")), "not valid UTF-8"},
		{"bad language tag", false, EncoderOptions{}, graph.Triple(exS, exP, graph.LangLiteral("x", "en_GB")), "LANGTAG"},
		{"bad prefix name", false, EncoderOptions{Prefixes: map[string]string{"1x": "http://a/"}}, graph.Triple(exS, exP, exO), "not a valid prefix name"},
		{"bad namespace", false, EncoderOptions{Prefixes: map[string]string{"x": "http://a/<"}}, graph.Triple(exS, exP, exO), "not an absolute IRI"},
		{"relative namespace", false, EncoderOptions{Prefixes: map[string]string{"x": "a/"}}, graph.Triple(exS, exP, exO), "not an absolute IRI"},
		{"relative base", false, EncoderOptions{Base: "doc"}, graph.Triple(exS, exP, exO), "not an absolute IRI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			e := NewEncoder(&buf, tt.opts)
			if tt.trig {
				e = NewTriGEncoder(&buf, tt.opts)
			}
			err := e.Encode(tt.q)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Encode(%v) = %v, want an error containing %q", tt.q, err, tt.msg)
			}
		})
	}
}

func TestEncoderAfterError(t *testing.T) {
	var buf bytes.Buffer
	e := NewEncoder(&buf, EncoderOptions{})
	if err := e.Encode(graph.Triple(exS, exP, exO)); err != nil {
		t.Fatal(err)
	}
	if err := e.Encode(graph.Quad{S: exS, P: exQ, O: exO, G: exG}); err == nil {
		t.Fatal("named graph accepted")
	}
	if err := e.Encode(graph.Triple(exS, exQ, graph.IRI("http://a/ bad"))); err == nil {
		t.Fatal("bad IRI accepted")
	}
	if err := e.Encode(graph.Triple(exS, exQ, exO)); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if err := e.Encode(graph.Triple(exS, exP, exO)); !errors.Is(err, errEncoderClosed) {
		t.Errorf("Encode after Close = %v", err)
	}
	want := "<http://a/s> <http://a/p> <http://a/o> ;\n    <http://a/q> <http://a/o> .\n"
	if buf.String() != want {
		t.Errorf("output =\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestShorthandForms(t *testing.T) {
	tests := []struct {
		s                        string
		integer, decimal, double bool
	}{
		{"0", true, false, false},
		{"+12", true, false, false},
		{"-", false, false, false},
		{"", false, false, false},
		{"1.5", false, true, false},
		{".5", false, true, false},
		{"1.", false, false, false},
		{"-.5", false, true, false},
		{"1e5", false, false, true},
		{"1.e5", false, false, true},
		{".5E-3", false, false, true},
		{".e5", false, false, false},
		{"1e", false, false, false},
		{"1e+", false, false, false},
		{"NaN", false, false, false},
		{"1_000", false, false, false},
		{"١", false, false, false},
	}
	for _, tt := range tests {
		if got := isInteger(tt.s); got != tt.integer {
			t.Errorf("isInteger(%q) = %v", tt.s, got)
		}
		if got := isDecimal(tt.s); got != tt.decimal {
			t.Errorf("isDecimal(%q) = %v", tt.s, got)
		}
		if got := isDouble(tt.s); got != tt.double {
			t.Errorf("isDouble(%q) = %v", tt.s, got)
		}
	}
}

func TestAppendLocal(t *testing.T) {
	tests := []struct {
		local, want string
		ok          bool
	}{
		{"", "", true},
		{"abc", "abc", true},
		{"0a", "0a", true},
		{"a.b", "a.b", true},
		{"a.", `a\.`, true},
		{".a", `\.a`, true},
		{"-a", `\-a`, true},
		{"a-b", "a-b", true},
		{"a:b", "a:b", true},
		{"%20", "%20", true},
		{"%2", `\%2`, true},
		{"a/b?c#d", `a\/b\?c\#d`, true},
		{"·a", "", false},
		{"a·", "a·", true},
		{"a b", "", false},
		{"a<b", "", false},
		{"é", "é", true},
		{"\xff", "", false},
	}
	for _, tt := range tests {
		got, ok := appendLocal(nil, tt.local)
		if ok != tt.ok || ok && string(got) != tt.want {
			t.Errorf("appendLocal(%q) = %q, %v; want %q, %v", tt.local, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCharClasses(t *testing.T) {
	for _, tt := range []struct {
		s             string
		prefix, bnode bool
	}{
		{"", true, false},
		{"ex", true, true},
		{"a.b", true, true},
		{"a.", false, false},
		{"_a", false, true},
		{"1a", false, true},
		{"a-1", true, true},
		{"-a", false, false},
		{"é\uFFFD", true, true},
		{"a b", false, false},
	} {
		if got := validPrefix(tt.s); got != tt.prefix {
			t.Errorf("validPrefix(%q) = %v", tt.s, got)
		}
		if got := validBlankLabel(tt.s); got != tt.bnode {
			t.Errorf("validBlankLabel(%q) = %v", tt.s, got)
		}
	}
	for _, tt := range []struct {
		s  string
		ok bool
	}{{"en", true}, {"en-GB", true}, {"zh-Hant-2x", true}, {"", false}, {"1en", false}, {"en-", false}, {"en--x", false}, {"en_GB", false}} {
		if got := validLangTag(tt.s); got != tt.ok {
			t.Errorf("validLangTag(%q) = %v", tt.s, got)
		}
	}
}
