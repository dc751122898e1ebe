package graph

import (
	"strings"
	"testing"
)

func TestAppendEscaped(t *testing.T) {
	tests := []struct {
		in, str, iri string
	}{
		{"", "", ""},
		{"plain é", "plain é", `plain\u0020é`},
		{"q\"b\\", `q\"b\\`, `q\u0022b\u005C`},
		{"\t\b\n\r\f", `\t\b\n\r\f`, `\u0009\u0008\u000A\u000D\u000C`},
		{"\x00\x1f\x7f", `\u0000\u001F\u007F`, "\\u0000\\u001F\x7f"},
		{"<>{}|^`", "<>{}|^`", `\u003C\u003E\u007B\u007D\u007C\u005E\u0060`},
		{"bad \xff utf8", "bad \xff utf8", "bad\\u0020\xff\\u0020utf8"},
	}
	for _, tt := range tests {
		if got := string(AppendEscapedString([]byte("x"), tt.in)); got != "x"+tt.str {
			t.Errorf("AppendEscapedString(%q) = %q, want %q", tt.in, got, "x"+tt.str)
		}
		if got := string(AppendEscapedIRI([]byte("x"), tt.in)); got != "x"+tt.iri {
			t.Errorf("AppendEscapedIRI(%q) = %q, want %q", tt.in, got, "x"+tt.iri)
		}
	}
}

func TestTermString(t *testing.T) {
	long := string(make([]byte, 300)) // longer than AppendTerm's scratch buffer
	tests := []struct {
		term Term
		want string
	}{
		{IRI("http://ex/a b"), `<http://ex/a\u0020b>`},
		{Blank("b0"), "_:b0"},
		{String("a\"b\n"), `"a\"b\n"`},
		{LangLiteral("chat", "FR"), `"chat"@fr`},
		{Literal("1", XSDInteger), `"1"^^<http://www.w3.org/2001/XMLSchema#integer>`},
		{DefaultGraph, "DEFAULT"},
		{Term{}, "ANY"},
		{IRI("http://ex/" + long), "<http://ex/" + strings.Repeat(`\u0000`, 300) + ">"},
	}
	for _, tt := range tests {
		if got := tt.term.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.term, got, tt.want)
		}
	}
}
