package turtle

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

const testBase = "http://example.org/dir/doc.ttl"

func decodeString(t *testing.T, in string, trig bool) ([]graph.Quad, error) {
	t.Helper()
	opts := syntax.Options{File: "test.ttl", Base: testBase}
	if trig {
		return drain(NewTriGDecoder(strings.NewReader(in), opts))
	}
	return drain(NewDecoder(strings.NewReader(in), opts))
}

func parseNQuads(t *testing.T, s string) []graph.Quad {
	t.Helper()
	qs, err := drain(ntriples.NewQuadDecoder(strings.NewReader(s), syntax.Options{}))
	if err != nil {
		t.Fatalf("bad expected N-Quads: %v\n%s", err, s)
	}
	return qs
}

const xsd = "http://www.w3.org/2001/XMLSchema#"

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		trig bool
		in   string
		want string // N-Quads; blank nodes compared up to renaming
	}{
		{name: "triple", in: `<http://a/s> <http://a/p> <http://a/o> .`,
			want: `<http://a/s> <http://a/p> <http://a/o> .`},
		{name: "prefix forms", in: "@prefix ex: <http://a/> .\nPREFIX e2: <http://b/>\nprefix : <http://c/>\nex:s e2:p :o .",
			want: `<http://a/s> <http://b/p> <http://c/o> .`},
		{name: "relative IRIs", in: `<> <#p> <../x/y> .`,
			want: `<http://example.org/dir/doc.ttl> <http://example.org/dir/doc.ttl#p> <http://example.org/x/y> .`},
		{name: "base forms", in: "@base <http://a/b/> .\n<s> <p> <o> .\nBASE <c/>\n<s> <p> <o> .\nbase </d>\n<s> <p> <o> .",
			want: "<http://a/b/s> <http://a/b/p> <http://a/b/o> .\n<http://a/b/c/s> <http://a/b/c/p> <http://a/b/c/o> .\n<http://a/s> <http://a/p> <http://a/o> ."},
		{name: "relative prefix", in: "@prefix x: <ns#> .\nx:s x:p x:o .",
			want: `<http://example.org/dir/ns#s> <http://example.org/dir/ns#p> <http://example.org/dir/ns#o> .`},
		{name: "local name rules", in: `@prefix ex: <http://a/> .
ex:a\-b ex:%41b ex:a:b:c . ex:a.b ex:_x ex:0 . ex:\~\.\! ex:p ex:a.`,
			want: "<http://a/a-b> <http://a/%41b> <http://a/a:b:c> .\n<http://a/a.b> <http://a/_x> <http://a/0> .\n<http://a/~.!> <http://a/p> <http://a/a> ."},
		{name: "prefix only and dotted prefix", in: "@prefix a.b: <http://a/> .\na.b: a.b:p a.b:.",
			want: `<http://a/> <http://a/p> <http://a/> .`},
		{name: "comment after name", in: "@prefix ex: <http://a/> .\nex:s ex:p ex:o#comment\n.",
			want: `<http://a/s> <http://a/p> <http://a/o> .`},
		{name: "a and lists", in: `<http://a/s> a <http://a/C> ; <http://a/p> 1, 2 ;; <http://a/q> true ; .`,
			want: `<http://a/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://a/C> .
<http://a/s> <http://a/p> "1"^^<` + xsd + `integer> .
<http://a/s> <http://a/p> "2"^^<` + xsd + `integer> .
<http://a/s> <http://a/q> "true"^^<` + xsd + `boolean> .`},
		{name: "numbers as written", in: `<http://a/s> <http://a/p> -0, +1.50, .5, 1e3, 1.E-3, -.5e+7, 1.e2, 7 .`,
			want: `<http://a/s> <http://a/p> "-0"^^<` + xsd + `integer> .
<http://a/s> <http://a/p> "+1.50"^^<` + xsd + `decimal> .
<http://a/s> <http://a/p> ".5"^^<` + xsd + `decimal> .
<http://a/s> <http://a/p> "1e3"^^<` + xsd + `double> .
<http://a/s> <http://a/p> "1.E-3"^^<` + xsd + `double> .
<http://a/s> <http://a/p> "-.5e+7"^^<` + xsd + `double> .
<http://a/s> <http://a/p> "1.e2"^^<` + xsd + `double> .
<http://a/s> <http://a/p> "7"^^<` + xsd + `integer> .`},
		{name: "integer then dot", in: `<http://a/s> <http://a/p> 1.`,
			want: `<http://a/s> <http://a/p> "1"^^<` + xsd + `integer> .`},
		{name: "strings", in: `<http://a/s> <http://a/p> """"a""", 'b"c', '''x'y''z''', "t\tu\u00E9\U0001F600\\", """l1
l2""", "" .`,
			want: `<http://a/s> <http://a/p> "\"a" .
<http://a/s> <http://a/p> "b\"c" .
<http://a/s> <http://a/p> "x'y''z" .
<http://a/s> <http://a/p> "t\tu\u00E9\U0001F600\\" .
<http://a/s> <http://a/p> "l1\nl2" .
<http://a/s> <http://a/p> "" .`},
		{name: "language and datatype", in: `@prefix xsd: <` + xsd + `> .
<http://a/s> <http://a/p> "x"@en-GB, "y" @de, "1"^^xsd:int, "2" ^^ <` + xsd + `long>, "s"^^xsd:string .`,
			want: `<http://a/s> <http://a/p> "x"@en-gb .
<http://a/s> <http://a/p> "y"@de .
<http://a/s> <http://a/p> "1"^^<` + xsd + `int> .
<http://a/s> <http://a/p> "2"^^<` + xsd + `long> .
<http://a/s> <http://a/p> "s" .`},
		{name: "langtag named like a directive", in: `<http://a/s> <http://a/p> "x"@prefix .`,
			want: `<http://a/s> <http://a/p> "x"@prefix .`},
		{name: "property lists", in: `[ <http://a/p> [ <http://a/q> 1 ] ; <http://a/r> [] ] <http://a/t> _:x . [ <http://a/u> 2 ] .`,
			want: `_:b1 <http://a/p> _:b2 .
_:b2 <http://a/q> "1"^^<` + xsd + `integer> .
_:b1 <http://a/r> _:b3 .
_:b1 <http://a/t> _:x .
_:b4 <http://a/u> "2"^^<` + xsd + `integer> .`},
		{name: "anon never merges with labels", in: `[] <http://a/p> _:b1 . _:b1 <http://a/p> [ ] .`,
			want: "_:a <http://a/p> _:b1 .\n_:b1 <http://a/p> _:c ."},
		{name: "collections", in: `(1 (2) ()) <http://a/p> ( [ <http://a/q> 3 ] ) . () <http://a/p> () .`,
			want: `_:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<` + xsd + `integer> .
_:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:l2 .
_:l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> _:m1 .
_:m1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "2"^^<` + xsd + `integer> .
_:m1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:l3 .
_:l3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:l3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:l1 <http://a/p> _:o1 .
_:o1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> _:x .
_:x <http://a/q> "3"^^<` + xsd + `integer> .
_:o1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> <http://a/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .`},
		{name: "byte order mark", in: "\uFEFF<http://a/s> <http://a/p> <http://a/o> .",
			want: `<http://a/s> <http://a/p> <http://a/o> .`},
		{name: "minimal white space", in: `@prefix :<http://a/>.<http://a/s><http://a/p><http://a/o>.:s :p"x".:s :p 1.:s :p[:q :r].`,
			want: "<http://a/s> <http://a/p> <http://a/o> .\n<http://a/s> <http://a/p> \"x\" .\n<http://a/s> <http://a/p> \"1\"^^<" + xsd + "integer> .\n<http://a/s> <http://a/p> _:b .\n_:b <http://a/q> <http://a/r> ."},
		{name: "colons and dots in local names", in: "@prefix : <http://a/> .\n:s:p:o.:s :p :o .",
			want: "<http://a/s:p:o.:s> <http://a/p> <http://a/o> ."},
		{name: "trig blocks", trig: true, in: `@prefix ex: <http://a/> .
ex:s ex:p ex:o .
ex:g { ex:s ex:p ex:o . ex:s ex:q ex:o }
GRAPH <http://a/h> { ex:s ex:p 1 }
graph _:g { ex:s ex:p 2 . }
[] { ex:s ex:p 3 }
{ ex:s ex:p 4 }
_:g { ex:s ex:p 5 }
[ ex:p 6 ] .
(7) ex:p ex:o .
{ }`,
			want: `<http://a/s> <http://a/p> <http://a/o> .
<http://a/s> <http://a/p> <http://a/o> <http://a/g> .
<http://a/s> <http://a/q> <http://a/o> <http://a/g> .
<http://a/s> <http://a/p> "1"^^<` + xsd + `integer> <http://a/h> .
<http://a/s> <http://a/p> "2"^^<` + xsd + `integer> _:g .
<http://a/s> <http://a/p> "3"^^<` + xsd + `integer> _:anon .
<http://a/s> <http://a/p> "4"^^<` + xsd + `integer> .
<http://a/s> <http://a/p> "5"^^<` + xsd + `integer> _:g .
_:n <http://a/p> "6"^^<` + xsd + `integer> .
_:l <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "7"^^<` + xsd + `integer> .
_:l <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:l <http://a/p> <http://a/o> .`},
		{name: "empty document", in: "# nothing\n\n", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeString(t, tt.in, tt.trig)
			if err != nil {
				t.Fatalf("decode(%q): %v", tt.in, err)
			}
			want := parseNQuads(t, tt.want)
			if !graph.Isomorphic(got, want) {
				t.Errorf("decode(%q) =\n%s\nwant\n%s", tt.in, dump(got), dump(want))
			}
			// The same input read one byte at a time gives the same graph:
			// every token crosses a buffer boundary somewhere.
			opts := syntax.Options{Base: testBase}
			d := NewDecoder(iotest.OneByteReader(strings.NewReader(tt.in)), opts)
			if tt.trig {
				d = NewTriGDecoder(iotest.OneByteReader(strings.NewReader(tt.in)), opts)
			}
			slow, err := drain(d)
			if err != nil || !graph.Isomorphic(slow, want) {
				t.Errorf("decode one byte at a time(%q) = %v\n%s", tt.in, err, dump(slow))
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name      string
		trig      bool
		in        string
		line, col int
		msg       string
	}{
		{"space in IRI", false, `<http://a/ b> <http://a/p> <http://a/o> .`, 1, 11, "not allowed in an IRI"},
		{"escaped space in IRI", false, `<http://a/\u0020> <http://a/p> <http://a/o> .`, 1, 11, "not allowed in an IRI"},
		{"bad UCHAR", false, `<http://a/\u00ZZ> <http://a/p> <http://a/o> .`, 1, 11, "invalid hex digit"},
		{"surrogate UCHAR", false, `<http://a/s> <http://a/p> "\uD800" .`, 1, 28, "not a Unicode scalar value"},
		{"unterminated string", false, "<http://a/s> <http://a/p> \"abc", 1, 27, "unterminated string"},
		{"newline in short string", false, "<http://a/s> <http://a/p> \"ab\nc\" .", 1, 30, "line break in a string"},
		{"bad escape", false, `<http://a/s> <http://a/p> "a\qb" .`, 1, 29, `invalid escape sequence \q`},
		{"undefined prefix", false, "\n  ex:s <http://a/p> <http://a/o> .", 2, 3, `undefined prefix "ex"`},
		{"missing final dot", false, `<http://a/s> <http://a/p> <http://a/o>`, 1, 39, "unexpected end of input"},
		{"directive needs dot", false, "@prefix ex: <http://a/>\nex:s ex:p ex:o .", 2, 1, "expected '.' after the directive"},
		{"sparql directive takes no dot", false, "PREFIX ex: <http://a/> .", 1, 24, "unexpected '.'"},
		{"lang and datatype", false, `<http://a/s> <http://a/p> "x"@en^^<http://a/t> .`, 1, 33, "unexpected '^^'"},
		{"literal subject", false, `"x" <http://a/p> <http://a/o> .`, 1, 1, "expected a subject"},
		{"blank predicate", false, `<http://a/s> _:p <http://a/o> .`, 1, 14, "expected a predicate"},
		{"unknown keyword", false, `<http://a/s> <http://a/p> maybe .`, 1, 27, `unexpected "maybe"`},
		{"A is not a", false, `<http://a/s> A <http://a/o> .`, 1, 14, `unexpected "A"`},
		{"braces in turtle", false, `{ <http://a/s> <http://a/p> <http://a/o> . }`, 1, 1, "expected a subject"},
		{"relative IRI without base", false, "", 0, 0, ""}, // replaced below
		{"bad percent", false, "@prefix ex: <http://a/> .\nex:a%4g ex:p ex:o .", 2, 5, "two hex digits"},
		{"bad local escape", false, "@prefix ex: <http://a/> .\nex:a\\u0041 ex:p ex:o .", 2, 5, "invalid escape in a local name"},
		{"prefix ending in dot", false, "@prefix ex.: <http://a/> .", 1, 9, `unexpected "ex"`},
		{"column counts code points", false, `<http://a/s> <http://a/p> "éé" junk .`, 1, 32, `unexpected "junk"`},
		{"invalid UTF-8", false, "<http://a/s> <http://a/p> \"\xff\" .", 1, 27, "invalid UTF-8"},
		{"sign without digits", false, `<http://a/s> <http://a/p> - .`, 1, 27, "invalid number"},
		{"empty collection object in graph name", true, `( ) { }`, 1, 5, "expected a predicate"},
		{"GRAPH without name", true, `GRAPH { }`, 1, 7, "expected a graph name"},
		{"two dots in block", true, `<http://a/g> { <http://a/s> <http://a/p> <http://a/o> . . }`, 1, 57, "expected a subject"},
		{"directive in block", true, `{ @prefix ex: <http://a/> . }`, 1, 3, "expected a subject"},
		{"unclosed block", true, `<http://a/g> { <http://a/s> <http://a/p> <http://a/o> .`, 1, 56, "unexpected end of input"},
		{"dot after block", true, `<http://a/g> { } .`, 1, 18, "expected a subject"},
		{"property list as graph name", true, `[ <http://a/p> <http://a/o> ] { }`, 1, 31, "expected a predicate or '.'"},
	}
	for _, tt := range tests {
		if tt.name == "relative IRI without base" {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeString(t, tt.in, tt.trig)
			e, ok := syntax.AsError(err)
			if !ok {
				t.Fatalf("decode(%q) error = %v, want a *syntax.Error", tt.in, err)
			}
			if e.File != "test.ttl" || e.Line != tt.line || e.Column != tt.col || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("decode(%q) error = %v, want test.ttl:%d:%d: ...%s...", tt.in, err, tt.line, tt.col, tt.msg)
			}
		})
	}
	t.Run("relative IRI without base", func(t *testing.T) {
		_, err := drain(NewDecoder(strings.NewReader(`<s> <http://a/p> <http://a/o> .`), syntax.Options{}))
		if e, ok := syntax.AsError(err); !ok || e.Line != 1 || e.Column != 1 || !strings.Contains(e.Msg, "no base IRI") {
			t.Errorf("error = %v, want <input>:1:1 ... no base IRI", err)
		}
	})
}

func TestDecoderStaysFailed(t *testing.T) {
	d := NewDecoder(strings.NewReader("<http://a/s> <http://a/p> <http://a/o> .\nbad\n<http://a/s> <http://a/p> <http://a/o> ."), syntax.Options{})
	if _, err := d.Next(); err != nil {
		t.Fatalf("first Next: %v", err)
	}
	_, err1 := d.Next()
	_, err2 := d.Next()
	if err1 == nil || err1 != err2 {
		t.Errorf("errors after failure = %v, %v; want the same error twice", err1, err2)
	}
	d = NewDecoder(strings.NewReader(""), syntax.Options{})
	for range 3 {
		if _, err := d.Next(); err != io.EOF {
			t.Fatalf("Next at end = %v, want io.EOF", err)
		}
	}
}

func TestReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("<http://a/s> <http://a/p> <http://a/o> .\n<http://a/s> <http://a/p> \"abc"), iotest.ErrReader(boom))
	got, err := drain(NewDecoder(r, syntax.Options{File: "cat.ttl"}))
	if len(got) != 1 || !errors.Is(err, boom) || !strings.Contains(err.Error(), "read cat.ttl") {
		t.Errorf("decode = %d quads, %v; want 1 quad and a wrapped read error", len(got), err)
	}
}

func TestPrefixesAndBase(t *testing.T) {
	d := NewDecoder(strings.NewReader("@prefix ex: <http://a/> .\n@base <http://b/c/> .\nPREFIX : <d#>\n<s> ex:p :o ."), syntax.Options{Base: "http://x/"})
	if d.Base() != "http://x/" {
		t.Errorf("Base() before reading = %q", d.Base())
	}
	if _, err := drain(d); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ex": "http://a/", "": "http://b/c/d#"}
	if got := d.Prefixes(); !maps.Equal(got, want) {
		t.Errorf("Prefixes() = %v, want %v", got, want)
	}
	d.Prefixes()["ex"] = "changed"
	if d.Prefixes()["ex"] != "http://a/" {
		t.Error("Prefixes() returned the decoder's own map")
	}
	if d.Base() != "http://b/c/" {
		t.Errorf("Base() = %q, want http://b/c/", d.Base())
	}
}

func TestBlankScopes(t *testing.T) {
	in := `_:a <http://a/p> [] .`
	read := func(opts syntax.Options) []graph.Quad {
		qs, err := drain(NewDecoder(strings.NewReader(in), opts))
		if err != nil {
			t.Fatal(err)
		}
		return qs
	}
	one, two := read(syntax.Options{}), read(syntax.Options{})
	if one[0].S == two[0].S {
		t.Error("_:a of two documents is the same node without a shared scope")
	}
	scope := graph.NewBlankScope()
	one, two = read(syntax.Options{Blanks: scope}), read(syntax.Options{Blanks: scope})
	if one[0].S != two[0].S {
		t.Error("_:a differs between documents sharing a scope")
	}
	if one[0].O == two[0].O {
		t.Error("[] is the same node in two documents")
	}
}

func TestLongTokens(t *testing.T) {
	long := strings.Repeat("é-x", 50_000) // 200 KB, longer than the read buffer
	in := "@prefix ex: <http://a/> .\n<http://a/" + long + "> ex:" + long + " \"" + long + "\", \"\"\"" + long + "\n\"\"\", _:" + long + " ."
	got, err := decodeString(t, in, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].S.Value() != "http://a/"+long || got[0].P.Value() != "http://a/"+long ||
		got[0].O.Value() != long || got[1].O.Value() != long+"\n" || !got[2].O.IsBlank() {
		t.Errorf("long tokens decoded wrong: %d quads", len(got))
	}
}

func TestTokenTooLong(t *testing.T) {
	r := io.MultiReader(strings.NewReader(`<http://a/s> <http://a/p> "`), &repeatReader{c: 'a', n: maxTokenSize + 1})
	_, err := drain(NewDecoder(r, syntax.Options{}))
	if e, ok := syntax.AsError(err); !ok || !strings.Contains(e.Msg, "token longer than") {
		t.Errorf("error = %v, want token too long", err)
	}
}

func TestNestingLimit(t *testing.T) {
	in := "<http://a/s> <http://a/p> " + strings.Repeat("[ <http://a/p> ", maxDepth+5)
	_, err := decodeString(t, in, false)
	if e, ok := syntax.AsError(err); !ok || !strings.Contains(e.Msg, "nesting deeper") {
		t.Errorf("error = %v, want nesting limit", err)
	}
	in = "<http://a/s> <http://a/p> " + strings.Repeat("(", 100) + strings.Repeat(")", 100) + " ."
	if _, err := decodeString(t, in, false); err != nil {
		t.Errorf("100 nested collections: %v", err)
	}
}

// TestCatalogueOneByte reads a generated catalogue whole and one byte at a
// time, so every token meets a buffer boundary.
func TestCatalogueOneByte(t *testing.T) {
	for _, trig := range []bool{false, true} {
		data, n := catalogue(300, trig)
		read := func(r io.Reader) []graph.Quad {
			d := NewDecoder(r, syntax.Options{})
			if trig {
				d = NewTriGDecoder(r, syntax.Options{})
			}
			qs, err := drain(d)
			if err != nil || len(qs) != n {
				t.Fatalf("decode: %d quads (want %d), %v", len(qs), n, err)
			}
			return qs
		}
		whole := read(bytes.NewReader(data))
		bytewise := read(iotest.OneByteReader(bytes.NewReader(data)))
		if !graph.Isomorphic(whole, bytewise) {
			t.Errorf("trig=%v: reading one byte at a time changes the graph", trig)
		}
	}
}

type repeatReader struct {
	c byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	n := min(len(p), r.n)
	for i := range n {
		p[i] = r.c
	}
	r.n -= n
	return n, nil
}

// statementReader generates n Turtle statements lazily, so that a test can
// stream far more data than it keeps.
type statementReader struct {
	i, n int
	buf  []byte
}

func (r *statementReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.i == r.n {
			return 0, io.EOF
		}
		r.buf = fmt.Appendf(r.buf[:0], "<http://a/s%d> <http://a/p> \"v%d\"@en ; <http://a/q> [ <http://a/r> %d ] .\n", r.i, r.i, r.i)
		r.i++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// TestConstantMemory streams 1M triples and checks that the heap does not
// grow with the input.
func TestConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 1M triples")
	}
	d := NewDecoder(&statementReader{n: 250_000}, syntax.Options{})
	var heap [2]uint64
	for n := 0; ; n++ {
		_, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if n == 100_000 || n == 900_000 {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			heap[n/900_000] = m.HeapAlloc
		}
	}
	if heap[1] > heap[0]+1<<20 {
		t.Errorf("heap grew from %d to %d bytes between triples 100k and 900k", heap[0], heap[1])
	}
}
