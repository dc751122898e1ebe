package ntriples

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
)

const (
	ex  = "http://example/"
	xsd = graph.XSDNamespace
)

func iri(s string) graph.Term { return graph.IRI(ex + s) }

// decodeWith reads all of in with a decoder sharing scope, so tests can
// build the expected blank nodes with scope.Named.
func decodeWith(in string, quads bool, scope *graph.BlankScope) ([]graph.Quad, error) {
	opts := syntax.Options{File: "test.nq", Blanks: scope}
	d := NewDecoder(strings.NewReader(in), opts)
	if quads {
		d = NewQuadDecoder(strings.NewReader(in), opts)
	}
	var out []graph.Quad
	for {
		q, err := d.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, q)
	}
}

func TestDecode(t *testing.T) {
	scope := graph.NewBlankScope()
	b := scope.Named
	s, p, o, g := iri("s"), iri("p"), iri("o"), iri("g")
	tests := []struct {
		name  string
		quads bool
		in    string
		want  []graph.Quad
	}{
		{"empty", false, "", nil},
		{"blank lines and comments", false, "\n\n# c\n  \t# c2\n\r\n", nil},
		{"iris", false, "<http://example/s> <http://example/p> <http://example/o> .\n", []graph.Quad{graph.Triple(s, p, o)}},
		{"no final newline", false, "<http://example/s> <http://example/p> <http://example/o> .", []graph.Quad{graph.Triple(s, p, o)}},
		{"minimal whitespace", false, "<http://example/s><http://example/p>_:o.", []graph.Quad{graph.Triple(s, p, b("o"))}},
		{"tabs and trailing comment", false, "\t<http://example/s>\t<http://example/p>\t\"x\"\t.\t# done", []graph.Quad{graph.Triple(s, p, graph.String("x"))}},
		{"comment right after dot", false, "<http://example/s> <http://example/p> <http://example/o> .#c", []graph.Quad{graph.Triple(s, p, o)}},
		{"blank subject and object", false, "_:a <http://example/p> _:b .", []graph.Quad{graph.Triple(b("a"), p, b("b"))}},
		{"label with dots and digits", false, "_:1a.b-c_d·e <http://example/p> _:x.y.", []graph.Quad{graph.Triple(b("1a.b-c_d·e"), p, b("x.y"))}},
		{"label with non-ASCII", false, "_:été <http://example/p> _:ö‿ .", []graph.Quad{graph.Triple(b("été"), p, b("ö‿"))}},
		{"same label same node", false, "_:a <http://example/p> _:a .", []graph.Quad{graph.Triple(b("a"), p, b("a"))}},
		{"simple literal", false, `<http://example/s> <http://example/p> "hello" .`, []graph.Quad{graph.Triple(s, p, graph.String("hello"))}},
		{"empty literal", false, `<http://example/s> <http://example/p> "" .`, []graph.Quad{graph.Triple(s, p, graph.String(""))}},
		{"language tag lower-cased", false, `<http://example/s> <http://example/p> "chat"@en-GB .`, []graph.Quad{graph.Triple(s, p, graph.LangLiteral("chat", "en-gb"))}},
		{"language tag with digits", false, `<http://example/s> <http://example/p> "x"@de-1996 .`, []graph.Quad{graph.Triple(s, p, graph.LangLiteral("x", "de-1996"))}},
		{"datatype", false, `<http://example/s> <http://example/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .`, []graph.Quad{graph.Triple(s, p, graph.Literal("1", xsd+"integer"))}},
		{"explicit xsd:string", false, `<http://example/s> <http://example/p> "a"^^<http://www.w3.org/2001/XMLSchema#string> .`, []graph.Quad{graph.Triple(s, p, graph.String("a"))}},
		{"spaces around ^^ and @", false, `<http://example/s> <http://example/p> "1" ^^ <http://example/dt> .`, []graph.Quad{graph.Triple(s, p, graph.Literal("1", ex+"dt"))}},
		{"echar", false, `<http://example/s> <http://example/p> "\t\b\n\r\f\"\'\\" .`, []graph.Quad{graph.Triple(s, p, graph.String("\t\b\n\r\f\"'\\"))}},
		{"uchar in string", false, `<http://example/s> <http://example/p> "\u00E9\U0001F600\u0000" .`, []graph.Quad{graph.Triple(s, p, graph.String("é😀\x00"))}},
		{"escape between text", false, `<http://example/s> <http://example/p> "a\nb\u0063d" .`, []graph.Quad{graph.Triple(s, p, graph.String("a\nbcd"))}},
		{"raw controls and quotes in string", false, "<http://example/s> <http://example/p> \"\x00\x01\t\x0B\x7F'\" .", []graph.Quad{graph.Triple(s, p, graph.String("\x00\x01\t\x0B\x7F'"))}},
		{"uchar in IRI", false, `<http://example/\u0053> <http://example/p> <http://example/\U00000053\u00E9> .`, []graph.Quad{graph.Triple(iri("S"), p, iri("Sé"))}},
		{"escaped scheme", false, `<\u0068ttp://example/s> <http://example/p> <http://example/o> .`, []graph.Quad{graph.Triple(s, p, o)}},
		{"odd but absolute IRI", false, `<urn:x> <http://example/p> <scheme:!$%25&'()*+,-./:/@_~?#> .`, []graph.Quad{graph.Triple(graph.IRI("urn:x"), p, graph.IRI("scheme:!$%25&'()*+,-./:/@_~?#"))}},
		{"non-ASCII IRI", false, `<http://example/s> <http://example/p> <http://例え.jp/ö> .`, []graph.Quad{graph.Triple(s, p, graph.IRI("http://例え.jp/ö"))}},
		{"bom", false, "\uFEFF<http://example/s> <http://example/p> <http://example/o> .", []graph.Quad{graph.Triple(s, p, o)}},
		{"CR line ends", false, "<http://example/s> <http://example/p> \"1\" .\r<http://example/s> <http://example/p> \"2\" .\r", []graph.Quad{graph.Triple(s, p, graph.String("1")), graph.Triple(s, p, graph.String("2"))}},
		{"CRLF line ends", false, "<http://example/s> <http://example/p> \"1\" .\r\n\r\n<http://example/s> <http://example/p> \"2\" .\r\n", []graph.Quad{graph.Triple(s, p, graph.String("1")), graph.Triple(s, p, graph.String("2"))}},
		{"repeated subject and predicate", false, "<http://example/s> <http://example/p> \"1\" .\n<http://example/s> <http://example/p> \"2\" .\n<http://example/o> <http://example/p> <http://example/s> .",
			[]graph.Quad{graph.Triple(s, p, graph.String("1")), graph.Triple(s, p, graph.String("2")), graph.Triple(o, p, s)}},
		{"quad with IRI graph", true, `<http://example/s> <http://example/p> <http://example/o> <http://example/g> .`, []graph.Quad{{S: s, P: p, O: o, G: g}}},
		{"quad with blank graph", true, `<http://example/s> <http://example/p> "o"@en _:g .`, []graph.Quad{{S: s, P: p, O: graph.LangLiteral("o", "en"), G: b("g")}}},
		{"quad after typed literal", true, `<http://example/s> <http://example/p> "1"^^<http://example/dt><http://example/g>.`, []graph.Quad{{S: s, P: p, O: graph.Literal("1", ex+"dt"), G: g}}},
		{"quad in default graph", true, `<http://example/s> <http://example/p> <http://example/o> .`, []graph.Quad{graph.Triple(s, p, o)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeWith(tt.in, tt.quads, scope)
			if err != nil {
				t.Fatalf("decode %q: %v", tt.in, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("decode %q = %v, want %v", tt.in, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("decode %q: quad %d = %v, want %v", tt.in, i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name      string
		quads     bool
		in        string
		line, col int
		msg       string
	}{
		{"directive", false, "@prefix : <http://example/> .", 1, 1, "expected subject"},
		{"literal subject", false, `"s" <http://example/p> <http://example/o> .`, 1, 1, "expected subject"},
		{"blank predicate", false, `<http://example/s> _:p <http://example/o> .`, 1, 20, "expected predicate IRI"},
		{"missing object", false, `<http://example/s> <http://example/p> .`, 1, 39, "expected object"},
		{"missing dot", false, `<http://example/s> <http://example/p> <http://example/o>`, 1, 57, "expected '.', found end of line"},
		{"two statements on a line", false, `<http://example/s> <http://example/p> <http://example/o> . <http://example/s> <http://example/p> <http://example/o> .`, 1, 60, "one statement per line"},
		{"statement over two lines", false, "<http://example/s> <http://example/p>\n<http://example/o> .", 1, 38, "expected object"},
		{"error line after CRLF", false, "# c\r\n\r\n<http://example/s> <http://example/p> <o> .", 3, 39, "relative IRI <o>"},
		{"error line after CR", false, "# c\r\r<http://example/s> <http://example/p> <o> .", 3, 39, "relative IRI <o>"},
		{"column counts code points", false, `<http://example/é> <http://example/p> "ü" <x> .`, 1, 43, "fourth term"},
		{"graph in N-Triples", false, `<http://example/s> <http://example/p> <http://example/o> <http://example/g> .`, 1, 58, "N-Triples statements have no graph label"},
		{"literal graph", true, `<http://example/s> <http://example/p> <http://example/o> "g" .`, 1, 58, "expected graph label"},
		{"quint", true, `<http://example/s> <http://example/p> <http://example/o> <http://example/g> <http://example/n> .`, 1, 77, "expected '.'"},
		{"relative graph", true, `<http://example/s> <http://example/p> <http://example/o> <g> .`, 1, 58, "relative IRI <g>"},
		{"empty IRI", false, `<> <http://example/p> <http://example/o> .`, 1, 1, "relative IRI <>"},
		{"scheme only colon", false, `<:x> <http://example/p> <http://example/o> .`, 1, 1, "relative IRI"},
		{"space in IRI", false, `<http://example/a b> <http://example/p> <http://example/o> .`, 1, 18, "character ' ' not allowed in IRI"},
		{"brace in IRI", false, `<http://example/{a}> <http://example/p> <http://example/o> .`, 1, 17, "character '{' not allowed in IRI"},
		{"unterminated IRI", false, `<http://example/s`, 1, 18, "unterminated IRI"},
		{"echar in IRI", false, `<http://example/\t> <http://example/p> <http://example/o> .`, 1, 17, "invalid escape '\\t' in IRI"},
		{"short \\u", false, `<http://example/s> <http://example/p> "\u12" .`, 1, 44, "invalid hex digit '\"'"},
		{"escape at end of line", false, `<http://example/s> <http://example/p> "\`, 1, 40, "unfinished escape"},
		{"\\u at end of line", false, `<http://example/s> <http://example/p> "\u00`, 1, 44, "incomplete \\u escape"},
		{"surrogate escape", false, `<http://example/s> <http://example/p> "\uD800" .`, 1, 40, "not a Unicode scalar value"},
		{"escape beyond U+10FFFF", false, `<http://example/s> <http://example/p> "\U00110000" .`, 1, 40, "not a Unicode scalar value"},
		{"huge escape", false, `<http://example/s> <http://example/p> "\UFFFFFFFF" .`, 1, 40, "not a Unicode scalar value"},
		{"surrogate escape in IRI", false, `<http://example/\uDFFF> <http://example/p> <http://example/o> .`, 1, 17, "not a Unicode scalar value"},
		{"bad echar", false, `<http://example/s> <http://example/p> "\a" .`, 1, 40, "invalid escape '\\a' in string"},
		{"unterminated string", false, `<http://example/s> <http://example/p> "abc .`, 1, 45, "unterminated string"},
		{"raw newline in string", false, "<http://example/s> <http://example/p> \"a\nb\" .", 1, 41, "unterminated string"},
		{"raw CR in string", false, "<http://example/s> <http://example/p> \"a\rb\" .", 1, 41, "unterminated string"},
		{"single quotes", false, `<http://example/s> <http://example/p> 'a' .`, 1, 39, "expected object"},
		{"long string", false, `<http://example/s> <http://example/p> """a""" .`, 1, 41, "expected '.'"},
		{"number", false, `<http://example/s> <http://example/p> 1 .`, 1, 39, "expected object"},
		{"bad lang start", false, `<http://example/s> <http://example/p> "a"@1 .`, 1, 43, "invalid language tag"},
		{"empty lang subtag", false, `<http://example/s> <http://example/p> "a"@en- .`, 1, 46, "after '-'"},
		{"lang then datatype", false, `<http://example/s> <http://example/p> "a"@en^^<http://example/dt> .`, 1, 45, "expected '.'"},
		{"single caret", false, `<http://example/s> <http://example/p> "a"^<http://example/dt> .`, 1, 43, "expected '^'"},
		{"prefixed datatype", false, `<http://example/s> <http://example/p> "a"^^xsd:string .`, 1, 44, "expected datatype IRI"},
		{"langString without tag", false, `<http://example/s> <http://example/p> "a"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .`, 1, 44, "needs a language tag"},
		{"blank without colon", false, `_a <http://example/p> <http://example/o> .`, 1, 2, "expected ':'"},
		{"empty label", false, `<http://example/s> <http://example/p> _: .`, 1, 41, "cannot start with ' '"},
		{"empty label at end", false, `<http://example/s> <http://example/p> _:`, 1, 41, "empty blank node label"},
		{"label starting with dash", false, `_:-a <http://example/p> <http://example/o> .`, 1, 3, "cannot start with '-'"},
		{"label starting with dot", false, `_:.a <http://example/p> <http://example/o> .`, 1, 3, "cannot start with '.'"},
		{"colon in label", false, `_:a:b <http://example/p> <http://example/o> .`, 1, 4, "':' not allowed"},
		{"label then two dots", false, `<http://example/s> <http://example/p> _:a.. `, 1, 43, "unexpected '.' after '.'"},
		{"invalid UTF-8 in string", false, "<http://example/s> <http://example/p> \"a\xffb\" .", 1, 41, "invalid UTF-8 in string"},
		{"invalid UTF-8 in IRI", false, "<http://example/\xc3> <http://example/p> <http://example/o> .", 1, 17, "invalid UTF-8 in IRI"},
		{"encoded surrogate in string", false, "<http://example/s> <http://example/p> \"\xed\xa0\x80\" .", 1, 40, "invalid UTF-8"},
		{"invalid UTF-8 in label", false, "_:a\xff <http://example/p> <http://example/o> .", 1, 4, "invalid UTF-8 in blank node label"},
		{"invalid UTF-8 label start", false, "_:\xff <http://example/p> <http://example/o> .", 1, 3, "invalid UTF-8 in blank node label"},
		{"invalid UTF-8 as token", false, "\xff", 1, 1, "byte 0xFF (invalid UTF-8)"},
		{"error on a later line", false, "<http://example/s> <http://example/p> <http://example/o> .\n\n# x\n<http://example/s> <http://example/p> \"x\"@ .", 4, 43, "invalid language tag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeWith(tt.in, tt.quads, nil)
			se, ok := syntax.AsError(err)
			if !ok {
				t.Fatalf("decode %q: error %v, want a *syntax.Error", tt.in, err)
			}
			if se.File != "test.nq" || se.Line != tt.line || se.Column != tt.col || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("decode %q: error %q at %d:%d, want %q at %d:%d", tt.in, se.Msg, se.Line, se.Column, tt.msg, tt.line, tt.col)
			}
		})
	}
}

func TestDecoderStaysFailed(t *testing.T) {
	in := "<http://example/s> <http://example/p> <o> .\n<http://example/s> <http://example/p> <http://example/o> .\n"
	d := NewDecoder(strings.NewReader(in), syntax.Options{})
	_, err1 := d.Next()
	_, err2 := d.Next()
	if err1 == nil || err1 != err2 {
		t.Fatalf("Next after error = %v, want the first error %v again", err2, err1)
	}
	if se, _ := syntax.AsError(err1); se.File != "" || !strings.Contains(se.Error(), "<input>:1:39:") {
		t.Errorf("error %q, want position <input>:1:39", err1)
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
	r := io.MultiReader(strings.NewReader("<http://example/s> <http://example/p> <http://example/o> .\n<http://ex"), iotest.ErrReader(boom))
	d := NewDecoder(r, syntax.Options{File: "f.nt"})
	if _, err := d.Next(); err != nil {
		t.Fatalf("first Next: %v", err)
	}
	_, err := d.Next()
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "read f.nt") {
		t.Fatalf("Next = %v, want the read error wrapped with the file name", err)
	}
	if _, ok := syntax.AsError(err); ok {
		t.Errorf("a read error must not be a syntax error: %v", err)
	}
}

// TestLineEnds reads the same statements through readers that return one
// byte at a time, so that a CR and its LF arrive in different reads.
func TestLineEnds(t *testing.T) {
	stmt := "<http://example/s> <http://example/p> \"x\" ."
	for _, tt := range []struct {
		name, sep string
		lines     int
	}{{"LF", "\n", 1}, {"CR", "\r", 1}, {"CRLF", "\r\n", 1}, {"LFLF", "\n\n", 2}, {"CRCR", "\r\r", 2}, {"LFCR", "\n\r", 2}} {
		in := strings.Repeat(stmt+tt.sep, 3) + "<bad> ."
		for _, oneByte := range []bool{false, true} {
			var r io.Reader = strings.NewReader(in)
			if oneByte {
				r = iotest.OneByteReader(r)
			}
			d := NewDecoder(r, syntax.Options{})
			n := 0
			var err error
			for ; err == nil; n++ {
				_, err = d.Next()
			}
			se, ok := syntax.AsError(err)
			if !ok || n != 4 || se.Line != 3*tt.lines+1 {
				t.Errorf("%s (one byte reads %v): %d statements then %v, want 3 then an error on line %d", tt.name, oneByte, n-1, err, 3*tt.lines+1)
			}
		}
	}
}

// TestLongLine reads a literal much longer than the read buffer.
func TestLongLine(t *testing.T) {
	long := strings.Repeat("abcdéfgh", bufSize/2)
	in := "<http://example/s> <http://example/p> \"" + long + "\" .\r" +
		"<http://example/s> <http://example/p> \"x\\n" + long + "\" .\n" +
		"<http://example/s> <http://example/p> \"" + long + "\" <x> ."
	got, err := decodeWith(in, false, nil)
	se, ok := syntax.AsError(err)
	if len(got) != 2 || got[0].O.Value() != long || got[1].O.Value() != "x\n"+long || !ok || se.Line != 3 {
		t.Fatalf("long lines: %d statements, error %v; want 2 and an error on line 3", len(got), err)
	}
	if want := 1 + len(`<http://example/s> <http://example/p> "`) + len([]rune(long)) + 2; se.Column != want {
		t.Errorf("error column %d, want %d", se.Column, want)
	}
}

// TestLineTooLong feeds a line longer than MaxLineBytes without holding it.
func TestLineTooLong(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates MaxLineBytes")
	}
	r := io.MultiReader(strings.NewReader("# ok\n<http://example/s> <http://example/p> \""), &repeatReader{b: 'a', n: MaxLineBytes + 1})
	d := NewDecoder(r, syntax.Options{})
	_, err := d.Next()
	se, ok := syntax.AsError(err)
	if !ok || se.Line != 2 || !strings.Contains(se.Msg, "line longer than") {
		t.Fatalf("Next = %v, want a line-too-long error on line 2", err)
	}
}

// repeatReader yields n copies of b.
type repeatReader struct {
	b byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	p = p[:min(len(p), r.n)]
	for i := range p {
		p[i] = r.b
	}
	r.n -= len(p)
	return len(p), nil
}

// TestBlankScopes checks that two decoders without a shared scope never
// share blank nodes, and that a shared scope makes them share.
func TestBlankScopes(t *testing.T) {
	in := "_:a <http://example/p> _:a ."
	a, _ := decodeWith(in, false, nil)
	b, _ := decodeWith(in, false, nil)
	if a[0].S != a[0].O || a[0].S == b[0].S {
		t.Errorf("unshared scopes: %v and %v, want the same node inside a document and different nodes across", a[0], b[0])
	}
	scope := graph.NewBlankScope()
	a, _ = decodeWith(in, false, scope)
	b, _ = decodeWith(in, false, scope)
	if a[0].S != b[0].S || a[0].S != scope.Named("a") {
		t.Errorf("shared scope: %v and %v, want the same node", a[0], b[0])
	}
}

// TestCachesStayBounded decodes more distinct predicates, tags and blank
// nodes than the caches hold.
func TestCachesStayBounded(t *testing.T) {
	var in bytes.Buffer
	for i := range 3 * maxCache {
		in.WriteString("_:b")
		in.WriteString(strings.Repeat("x", i%7))
		writeInt(&in, i)
		in.WriteString(" <http://example/p")
		writeInt(&in, i)
		in.WriteString("> \"v\"@l")
		in.WriteString(strings.Repeat("x", i%5))
		in.WriteString("-")
		writeInt(&in, i)
		in.WriteString(" .\n")
	}
	d := NewDecoder(&in, syntax.Options{})
	n := 0
	for {
		q, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(q.P.Value(), "p"+itoa(n)) || !strings.HasSuffix(q.O.Lang(), "-"+itoa(n)) {
			t.Fatalf("statement %d read as %v", n, q)
		}
		n++
	}
	if len(d.iris) > maxCache || len(d.langs) > maxCache || len(d.nodes) > maxCache {
		t.Errorf("caches grew to %d, %d, %d entries, want at most %d", len(d.iris), len(d.langs), len(d.nodes), maxCache)
	}
}

func itoa(i int) string {
	var b bytes.Buffer
	writeInt(&b, i)
	return b.String()
}

func writeInt(b *bytes.Buffer, i int) {
	if i >= 10 {
		writeInt(b, i/10)
	}
	b.WriteByte(byte('0' + i%10))
}

func TestSyntaxQuads(t *testing.T) {
	in := "<http://example/s> <http://example/p> \"1\" .\n<http://example/s> <http://example/p> \"2\" .\n"
	qs, err := graph.Collect(syntax.Quads(NewDecoder(strings.NewReader(in), syntax.Options{})))
	if err != nil || len(qs) != 2 {
		t.Fatalf("Collect = %v, %v; want 2 quads", qs, err)
	}
}

// TestReaders decodes the valid W3C N-Triples files, joined with each kind
// of line end, through readers that split the input at every byte, and
// wants the same quads as from one whole read.
func TestReaders(t *testing.T) {
	var all []byte
	files, err := filepath.Glob(filepath.Join(testsuite.Must(t), "rdf-tests/rdf/rdf11/rdf-n-triples/*.nt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.Contains(f, "-bad-") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(append(all, data...), '\n')
	}
	for _, eol := range []string{"\n", "\r", "\r\n"} {
		in := bytes.ReplaceAll(all, []byte("\n"), []byte(eol))
		scope := graph.NewBlankScope()
		want, err := decodeWith(string(in), false, scope)
		if err != nil || len(want) < 50 {
			t.Fatalf("whole read: %d quads, %v", len(want), err)
		}
		for name, wrap := range map[string]func(io.Reader) io.Reader{
			"one byte": iotest.OneByteReader,
			"half":     iotest.HalfReader,
			"data+EOF": iotest.DataErrReader,
		} {
			d := NewDecoder(wrap(bytes.NewReader(in)), syntax.Options{Blanks: scope})
			got, err := graph.Collect(syntax.Quads(d))
			if err != nil || len(got) != len(want) {
				t.Fatalf("%s reads, EOL %q: %d quads, %v; want %d", name, eol, len(got), err, len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s reads, EOL %q: quad %d = %v, want %v", name, eol, i, got[i], want[i])
				}
			}
		}
	}
}

// TestConstantMemory streams about 300 MB of statements, never held in
// memory, through a decoder and checks that the live heap stays small.
func TestConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 300 MB")
	}
	const n = 2_000_000
	stmt := "<https://data.eucaim.example/provider/p001/dataset/d%07d> <http://purl.org/dc/terms/title> \"Dataset %07d of a catalogue\"@en .\n_:c%07d <http://www.w3.org/2006/vcard/ns#fn> \"Contact\" .\n"
	r := &generatedReader{n: n / 2, next: func(i int, b []byte) []byte {
		return fmt.Appendf(b, stmt, i, i, i)
	}}
	d := NewDecoder(r, syntax.Options{})
	var ms runtime.MemStats
	var peak uint64
	count := 0
	for {
		_, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if count++; count%250_000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if count != n {
		t.Fatalf("decoded %d statements, want %d", count, n)
	}
	t.Logf("%d statements, peak live heap %.1f MiB", count, float64(peak)/(1<<20))
	if peak > 16<<20 {
		t.Errorf("live heap reached %d MiB while streaming, want under 16 MiB", peak>>20)
	}
}

// generatedReader yields next(0), next(1), ... next(n-1) without keeping
// what it has yielded.
type generatedReader struct {
	n, i int
	next func(i int, b []byte) []byte
	buf  []byte
}

func (r *generatedReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.i == r.n {
			return 0, io.EOF
		}
		r.buf = r.next(r.i, r.buf[:0])
		r.i++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}
