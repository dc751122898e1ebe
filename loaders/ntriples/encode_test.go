package ntriples

import (
	"errors"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

func TestEncode(t *testing.T) {
	s, p, o, g := iri("s"), iri("p"), iri("o"), iri("g")
	tests := []struct {
		name  string
		quads bool
		q     graph.Quad
		want  string
	}{
		{"iris", false, graph.Triple(s, p, o), "<http://example/s> <http://example/p> <http://example/o> .\n"},
		{"zero graph is default", false, graph.Quad{S: s, P: p, O: o}, "<http://example/s> <http://example/p> <http://example/o> .\n"},
		{"blank", false, graph.Triple(graph.Blank("b1"), p, graph.Blank("x.y")), "_:b1 <http://example/p> _:x.y .\n"},
		{"simple literal", false, graph.Triple(s, p, graph.String("x")), "<http://example/s> <http://example/p> \"x\" .\n"},
		{"xsd:string datatype dropped", false, graph.Triple(s, p, graph.Literal("x", graph.XSDString)), "<http://example/s> <http://example/p> \"x\" .\n"},
		{"typed literal", false, graph.Triple(s, p, graph.Literal("1", graph.XSDInteger)), "<http://example/s> <http://example/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"},
		{"language tag", false, graph.Triple(s, p, graph.LangLiteral("chat", "FR-be")), "<http://example/s> <http://example/p> \"chat\"@fr-be .\n"},
		{"string escapes", false, graph.Triple(s, p, graph.String("a\"b\\c\nd\re\tf\bg\fh\x00i\x1fj\x7fk'é")),
			"<http://example/s> <http://example/p> \"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0000i\\u001Fj\\u007Fk'é\" .\n"},
		{"IRI escapes", false, graph.Triple(graph.IRI("http://example/a b<>\"{}|^`\\\x01é"), p, o),
			"<http://example/a\\u0020b\\u003C\\u003E\\u0022\\u007B\\u007D\\u007C\\u005E\\u0060\\u005C\\u0001é> <http://example/p> <http://example/o> .\n"},
		{"named graph", true, graph.Quad{S: s, P: p, O: o, G: g}, "<http://example/s> <http://example/p> <http://example/o> <http://example/g> .\n"},
		{"blank graph", true, graph.Quad{S: s, P: p, O: o, G: graph.Blank("g")}, "<http://example/s> <http://example/p> <http://example/o> _:g .\n"},
		{"default graph in N-Quads", true, graph.Triple(s, p, o), "<http://example/s> <http://example/p> <http://example/o> .\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			e := NewEncoder(&b)
			if tt.quads {
				e = NewQuadEncoder(&b)
			}
			if err := e.Encode(tt.q); err != nil {
				t.Fatalf("Encode(%v): %v", tt.q, err)
			}
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("Encode(%v) wrote %q, want %q", tt.q, b.String(), tt.want)
			}
			// The encoder escapes as graph.AppendTerm does.
			if want := tt.q.Normalize().String() + "\n"; b.String() != want {
				t.Errorf("Encode(%v) wrote %q, graph.Quad.String gives %q", tt.q, b.String(), want)
			}
			got, err := decodeWith(b.String(), tt.quads, nil)
			if err != nil || len(got) != 1 || !graph.Isomorphic(got, []graph.Quad{tt.q.Normalize()}) {
				t.Errorf("decode(%q) = %v, %v; want %v", b.String(), got, err, tt.q)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	s, p, o := iri("s"), iri("p"), iri("o")
	tests := []struct {
		name  string
		quads bool
		q     graph.Quad
		msg   string
	}{
		{"named graph in N-Triples", false, graph.Quad{S: s, P: p, O: o, G: iri("g")}, "named graph <http://example/g>"},
		{"literal subject", false, graph.Triple(graph.String("s"), p, o), "invalid quad"},
		{"blank predicate", true, graph.Triple(s, graph.Blank("p"), o), "invalid quad"},
		{"zero object", true, graph.Triple(s, p, graph.Term{}), "invalid quad"},
		{"relative IRI", false, graph.Triple(graph.IRI("s"), p, o), "relative IRI <s>"},
		{"relative datatype", false, graph.Triple(s, p, graph.Literal("1", "int")), "relative IRI <int>"},
		{"invalid UTF-8 in IRI", false, graph.Triple(graph.IRI("http://example/\xff"), p, o), "invalid UTF-8"},
		{"invalid UTF-8 in literal", false, graph.Triple(s, p, graph.String("a\xffb")), "invalid UTF-8"},
		{"bad blank label", true, graph.Triple(graph.Blank("a b"), p, o), "invalid blank node label"},
		{"blank label ending with dot", true, graph.Triple(graph.Blank("a."), p, o), "invalid blank node label"},
		{"empty blank label", true, graph.Triple(graph.Blank(""), p, o), "invalid blank node label"},
		{"bad language tag", false, graph.Triple(s, p, graph.LangLiteral("x", "en_US")), "invalid language tag"},
		{"langString without tag", false, graph.Triple(s, p, graph.Literal("x", graph.RDFLangString)), "without a language tag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			e := NewEncoder(&b)
			if tt.quads {
				e = NewQuadEncoder(&b)
			}
			ok := graph.Triple(s, p, o)
			if err := e.Encode(ok); err != nil {
				t.Fatal(err)
			}
			err := e.Encode(tt.q)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Encode(%v) = %v, want an error containing %q", tt.q, err, tt.msg)
			}
			// Nothing of the refused quad is written; the encoder goes on.
			if err := e.Encode(ok); err != nil {
				t.Fatalf("Encode after a refused quad: %v", err)
			}
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			if want := strings.Repeat(ok.String()+"\n", 2); b.String() != want {
				t.Errorf("wrote %q, want %q", b.String(), want)
			}
		})
	}
}

func TestEncoderClose(t *testing.T) {
	var b strings.Builder
	e := NewEncoder(&b)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if err := e.Encode(graph.Triple(iri("s"), iri("p"), iri("o"))); !errors.Is(err, ErrClosed) {
		t.Errorf("Encode after Close = %v, want ErrClosed", err)
	}
}

// TestEncoderWriteError checks that a failing writer's error is returned
// and stays.
func TestEncoderWriteError(t *testing.T) {
	boom := errors.New("boom")
	e := NewEncoder(failWriter{boom})
	q := graph.Triple(iri("s"), iri("p"), graph.String(strings.Repeat("x", 1000)))
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		err = e.Encode(q)
	}
	if !errors.Is(err, boom) {
		t.Fatalf("Encode with a failing writer = %v, want boom", err)
	}
	if err := e.Close(); !errors.Is(err, boom) {
		t.Errorf("Close = %v, want boom", err)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }
