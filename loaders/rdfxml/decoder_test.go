package rdfxml

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

const (
	testBase = "http://example.org/dir/doc.rdf"
	head     = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/ns#">`
	tail     = `</rdf:RDF>`
	rdfP     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	xmlLit   = "^^<" + rdfP + "XMLLiteral>"
)

func decodeString(s string) ([]graph.Quad, error) {
	return graph.Collect(NewDecoder(strings.NewReader(s), syntax.Options{File: "t.rdf", Base: testBase}).Quads())
}

func mustNT(t *testing.T, s string) []graph.Quad {
	t.Helper()
	qs, err := readNTriples(strings.NewReader(s))
	if err != nil {
		t.Fatalf("bad expected N-Triples: %v", err)
	}
	return qs
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"typed node, property attributes, inherited lang",
			head + `<ex:Book rdf:about="b1" xml:lang="en" ex:title="Dune"><ex:by>Frank</ex:by></ex:Book>` + tail,
			`<http://example.org/dir/b1> <` + rdfP + `type> <http://example.org/ns#Book> .
<http://example.org/dir/b1> <http://example.org/ns#title> "Dune"@en .
<http://example.org/dir/b1> <http://example.org/ns#by> "Frank"@en .`},
		{"xml:lang empty resets",
			head + `<rdf:Description rdf:about="http://x/" xml:lang="de"><ex:p xml:lang="">a</ex:p><ex:q>b</ex:q></rdf:Description>` + tail,
			`<http://x/> <http://example.org/ns#p> "a" .
<http://x/> <http://example.org/ns#q> "b"@de .`},
		{"rdf:li numbering is per element",
			head + `<rdf:Seq rdf:about="http://s"><rdf:li>a</rdf:li><rdf:li rdf:resource="http://b"/></rdf:Seq><rdf:Bag rdf:about="http://t"><rdf:li>c</rdf:li></rdf:Bag>` + tail,
			`<http://s> <` + rdfP + `type> <` + rdfP + `Seq> .
<http://s> <` + rdfP + `_1> "a" .
<http://s> <` + rdfP + `_2> <http://b> .
<http://t> <` + rdfP + `type> <` + rdfP + `Bag> .
<http://t> <` + rdfP + `_1> "c" .`},
		{"parseType Resource",
			head + `<rdf:Description rdf:about="http://s"><ex:p rdf:parseType="Resource"><ex:q>v</ex:q><rdf:li>w</rdf:li></ex:p></rdf:Description>` + tail,
			`<http://s> <http://example.org/ns#p> _:r .
_:r <http://example.org/ns#q> "v" .
_:r <` + rdfP + `_1> "w" .`},
		{"parseType Collection",
			head + `<rdf:Description rdf:about="http://s"><ex:p rdf:parseType="Collection"><rdf:Description rdf:about="http://a"/><ex:T rdf:nodeID="n"/></ex:p><ex:e rdf:parseType="Collection"/></rdf:Description>` + tail,
			`<http://s> <http://example.org/ns#p> _:l1 .
_:l1 <` + rdfP + `first> <http://a> .
_:l1 <` + rdfP + `rest> _:l2 .
_:l2 <` + rdfP + `first> _:n .
_:n <` + rdfP + `type> <http://example.org/ns#T> .
_:l2 <` + rdfP + `rest> <` + rdfP + `nil> .
<http://s> <http://example.org/ns#e> <` + rdfP + `nil> .`},
		{"parseType Literal is exclusive canonical XML",
			`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/ns#" xmlns="http://www.w3.org/1999/xhtml" xmlns:u="urn:u">` +
				`<rdf:Description rdf:about="http://s"><ex:p rdf:parseType="Literal"><b u:z="1" a="x&#9;&quot;" ex:y="2">x &amp; &lt;y&gt;<!--c--><br/><i xmlns="">j</i></b></ex:p></rdf:Description>` + tail,
			`<http://s> <http://example.org/ns#p> "<b xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:ex=\"http://example.org/ns#\" xmlns:u=\"urn:u\" a=\"x&#x9;&quot;\" ex:y=\"2\" u:z=\"1\">x &amp; &lt;y&gt;<!--c--><br></br><i xmlns=\"\">j</i></b>"` + xmlLit + ` .`},
		{"other parseType values are literals",
			head + `<rdf:Description rdf:about="http://s"><ex:p rdf:parseType="Other"><ex:a/> t</ex:p></rdf:Description>` + tail,
			`<http://s> <http://example.org/ns#p> "<ex:a xmlns:ex=\"http://example.org/ns#\"></ex:a> t"` + xmlLit + ` .`},
		{"rdf:datatype ignores xml:lang",
			head + `<rdf:Description rdf:about="http://s" xml:lang="en"><ex:p rdf:datatype="http://www.w3.org/2001/XMLSchema#int">5</ex:p><ex:e rdf:datatype="http://d"/></rdf:Description>` + tail,
			`<http://s> <http://example.org/ns#p> "5"^^<http://www.w3.org/2001/XMLSchema#int> .
<http://s> <http://example.org/ns#e> ""^^<http://d> .`},
		{"empty property elements",
			head + `<rdf:Description rdf:about="http://s" xml:lang="fr"><ex:a/><ex:b rdf:resource="#x"/><ex:c rdf:nodeID="k" ex:d="v"/><ex:e ex:f="w" rdf:type="http://T"/></rdf:Description>` + tail,
			`<http://s> <http://example.org/ns#a> ""@fr .
<http://s> <http://example.org/ns#b> <http://example.org/dir/doc.rdf#x> .
<http://s> <http://example.org/ns#c> _:k .
_:k <http://example.org/ns#d> "v"@fr .
<http://s> <http://example.org/ns#e> _:e .
_:e <http://example.org/ns#f> "w"@fr .
_:e <` + rdfP + `type> <http://T> .`},
		{"xml:base nests and rdf:ID uses it",
			head + `<rdf:Description xml:base="http://other.example/a/b#frag" rdf:ID="i"><ex:p xml:base="c/" rdf:resource="../d"/><ex:q rdf:resource=""/></rdf:Description>` + tail,
			`<http://other.example/a/b#i> <http://example.org/ns#p> <http://other.example/a/d> .
<http://other.example/a/b#i> <http://example.org/ns#q> <http://other.example/a/b> .`},
		{"rdf:ID on a property element reifies",
			head + `<rdf:Description rdf:about="http://s"><ex:p rdf:ID="st">v</ex:p></rdf:Description>` + tail,
			`<http://s> <http://example.org/ns#p> "v" .
<` + testBase + `#st> <` + rdfP + `type> <` + rdfP + `Statement> .
<` + testBase + `#st> <` + rdfP + `subject> <http://s> .
<` + testBase + `#st> <` + rdfP + `predicate> <http://example.org/ns#p> .
<` + testBase + `#st> <` + rdfP + `object> "v" .`},
		{"nested node element, no rdf:RDF, rdf:nodeID shared",
			`<ex:A xmlns:ex="http://example.org/ns#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:nodeID="a"><ex:knows><rdf:Description rdf:nodeID="a"/></ex:knows></ex:A>`,
			`_:a <` + rdfP + `type> <http://example.org/ns#A> .
_:a <http://example.org/ns#knows> _:a .`},
		{"unqualified RDF attributes and ignored xml attributes",
			head + `<rdf:Description about="http://s" xmlFoo="1" xml:space="preserve"><ex:p resource="http://o"/></rdf:Description>` + tail,
			`<http://s> <http://example.org/ns#p> <http://o> .`},
		{"DOCTYPE entities",
			`<?xml version="1.0" encoding="utf-8"?><!DOCTYPE rdf:RDF [<!ENTITY ex "http://example.org/ns#"> <!ENTITY t "&ex;T">]>` +
				head + `<rdf:Description rdf:about="&ex;s"><rdf:type rdf:resource="&t;"/></rdf:Description>` + tail,
			`<http://example.org/ns#s> <` + rdfP + `type> <http://example.org/ns#T> .`},
		{"whitespace around a node object and CDATA text",
			head + `<rdf:Description rdf:about="http://s"><ex:p>
				<rdf:Description rdf:about="http://o"/>
			</ex:p><ex:q><![CDATA[<x>]]></ex:q></rdf:Description>` + tail,
			`<http://s> <http://example.org/ns#p> <http://o> .
<http://s> <http://example.org/ns#q> "<x>" .`},
		{"byte order mark and processing instruction in a literal",
			"\xef\xbb\xbf<?xml version=\"1.0\"?>" + head + `<rdf:Description rdf:about="http://s"><ex:p rdf:parseType="Literal"><?pi   data ?></ex:p></rdf:Description>` + tail,
			`<http://s> <http://example.org/ns#p> "<?pi data ?>"` + xmlLit + ` .`},
		{"absolute IRIs keep their form, dot segments removed",
			head + `<rdf:Description rdf:about="http://a/b/../c"/>` + `<rdf:Description rdf:about="http://a/.well-known/x"><ex:p>1</ex:p></rdf:Description>` + tail,
			`<http://a/.well-known/x> <http://example.org/ns#p> "1" .`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeString(tc.in)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if want := mustNT(t, tc.want); !graph.Isomorphic(got, want) {
				t.Errorf("decode =\n%swant\n%s", dump(got), dump(want))
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in  string
		line, col int
		msg       string
	}{
		{"duplicate rdf:ID", head + "\n<rdf:Description rdf:ID=\"a\"/>\n<rdf:Description rdf:ID=\"a\"/>" + tail, 3, 1, "used twice"},
		{"mixed content", head + `<rdf:Description><ex:p>text<rdf:Description/></ex:p></rdf:Description>` + tail, 1, 127, "mixes text and elements"},
		{"two objects", head + `<rdf:Description><ex:p><rdf:Description/><rdf:Description/></ex:p></rdf:Description>` + tail, 1, 141, "more than one node element"},
		{"text after object", head + `<rdf:Description><ex:p><rdf:Description/>x</ex:p></rdf:Description>` + tail, 1, 141, "unexpected text"},
		{"undeclared prefix", head + `<rdf:Description><zz:p/></rdf:Description>` + tail, 1, 117, `undeclared namespace prefix "zz"`},
		{"mismatched end tag", head + `<rdf:Description></ex:p>` + tail, 1, 117, "closed by"},
		{"unexpected end of input", head + `<rdf:Description>`, 1, 117, "unexpected end of input"},
		{"text at top level", head + `hello` + tail, 1, 100, "unexpected text"},
		{"bad IRI", head + `<rdf:Description rdf:about="http://a b/"/>` + tail, 1, 100, "invalid IRI"},
		{"bad language tag", head + `<rdf:Description xml:lang="en_GB"/>` + tail, 1, 100, "invalid language tag"},
		{"element without namespace", `<foo/>`, 1, 1, "has no namespace"},
		{"unqualified property attribute", head + `<rdf:Description bar="1"/>` + tail, 1, 100, "has no namespace"},
		{"datatype with a node element", head + `<rdf:Description><ex:p rdf:datatype="http://d"><rdf:Description/></ex:p></rdf:Description>` + tail, 1, 147, "rdf:datatype"},
		{"content in empty property element", head + `<rdf:Description><ex:p rdf:resource="http://o">x</ex:p></rdf:Description>` + tail, 1, 147, "unexpected text"},
		{"about on property element", head + `<rdf:Description><ex:p rdf:about="http://o"/></rdf:Description>` + tail, 1, 117, "rdf:about"},
		{"resource on node element", head + `<rdf:Description rdf:resource="http://o"/>` + tail, 1, 100, "not allowed on node element"},
		{"attributes on rdf:RDF", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about="http://a"/>`, 1, 1, "rdf:RDF takes no"},
		{"second root", head + tail + `<rdf:RDF/>`, 1, 110, "after the document element"},
		{"empty input", ``, 1, 1, "no root element"},
		{"encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, 1, 44, "encoding"},
		{"xml syntax error", head + "\n  <rdf:Description <", 2, 20, ""},
		{"duplicate attribute", head + `<rdf:Description ex:a="1" ex:a="2"/>` + tail, 1, 100, "duplicate attribute"},
		{"duplicate attribute among many", head + `<rdf:Description` + strings.Repeat(` ex:a="1"`, 20) + `/>` + tail, 1, 100, "duplicate attribute"},
		{"nesting too deep", head + strings.Repeat(`<rdf:Description><ex:p>`, MaxDepth/2-1) + "<rdf:Description>\n<ex:x/>", 2, 1, "nested deeper"},
		{"rdf:li as property attribute", head + `<rdf:Description rdf:li="1"/>` + tail, 1, 100, "rdf:li"},
		{"undeclared prefix in literal", head + `<rdf:Description><ex:p rdf:parseType="Literal"><q:x/></ex:p></rdf:Description>` + tail, 1, 147, "undeclared"},
		{"column counts code points", head + "<rdf:Description rdf:about=\"http://é/\">é<x/></rdf:Description>" + tail, 1, 139, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeString(tc.in)
			se, ok := syntax.AsError(err)
			if !ok {
				t.Fatalf("decode error = %v, want a *syntax.Error", err)
			}
			if se.File != "t.rdf" || se.Line != tc.line || se.Column != tc.col || !strings.Contains(se.Msg, tc.msg) {
				t.Errorf("decode error = %v, want t.rdf:%d:%d: ...%s...", err, tc.line, tc.col, tc.msg)
			}
		})
	}
}

func TestDecodeRelativeWithoutBase(t *testing.T) {
	in := `<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about="x"/>`
	_, err := graph.Collect(NewDecoder(strings.NewReader(in), syntax.Options{}).Quads())
	if se, ok := syntax.AsError(err); !ok || !strings.Contains(se.Msg, "without a base") {
		t.Errorf("decode = %v, want a syntax error about the missing base", err)
	}
}

func TestDecodeReadError(t *testing.T) {
	boom := errors.New("boom")
	d := NewDecoder(io.MultiReader(strings.NewReader(head), iotest.ErrReader(boom)), syntax.Options{File: "f"})
	_, err := d.Next()
	if !errors.Is(err, boom) {
		t.Fatalf("Next() = %v, want an error wrapping boom", err)
	}
	if _, ok := syntax.AsError(err); ok {
		t.Errorf("Next() = %v: a read error is not a syntax error", err)
	}
	if _, err2 := d.Next(); err2 != err {
		t.Errorf("second Next() = %v, want the same sticky error", err2)
	}
}

func TestDecodeBlankScope(t *testing.T) {
	doc := head + `<rdf:Description rdf:nodeID="x"><ex:p rdf:nodeID="x"/></rdf:Description><rdf:Description/>` + tail
	scope := graph.NewBlankScope()
	a, err := graph.Collect(NewDecoder(strings.NewReader(doc), syntax.Options{Blanks: scope}).Quads())
	if err != nil {
		t.Fatal(err)
	}
	b, err := graph.Collect(NewDecoder(strings.NewReader(doc), syntax.Options{Blanks: scope}).Quads())
	if err != nil {
		t.Fatal(err)
	}
	if a[0].S != b[0].S || a[0].S != a[0].O {
		t.Errorf("rdf:nodeID x gave %v and %v in one scope, want one node", a[0].S, b[0].S)
	}
	c, _ := decodeString(doc)
	if c[0].S == a[0].S {
		t.Errorf("two scopes share blank node %v", c[0].S)
	}
}
