package loaders

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

func TestLookup(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ntriples", "ntriples"}, {"nt", "ntriples"}, {"application/n-triples", "ntriples"},
		{"nquads", "nquads"}, {"application/n-quads", "nquads"},
		{"turtle", "turtle"}, {"TTL", "turtle"}, {"text/turtle; charset=utf-8", "turtle"},
		{"trig", "trig"}, {"application/trig", "trig"},
		{"rdfxml", "rdfxml"}, {"application/rdf+xml", "rdfxml"}, {"rdf/xml", "rdfxml"},
		{"jsonld", "jsonld"}, {"json-ld", "jsonld"}, {"application/ld+json", "jsonld"},
	}
	for _, tt := range tests {
		f, err := Lookup(tt.in)
		if err != nil || f.Name != tt.want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", tt.in, f.Name, err, tt.want)
		}
	}
	for _, bad := range []string{"", "yaml", "text/html", "application/sparql-query"} {
		if _, err := Lookup(bad); !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("Lookup(%q) err = %v, want ErrUnknownFormat", bad, err)
		}
	}
}

func TestForFile(t *testing.T) {
	tests := []struct {
		name, want string
		gz         bool
	}{
		{"a.nt", "ntriples", false}, {"dir/B.NQ", "nquads", false}, {"x.ttl", "turtle", false},
		{"x.ttl.gz", "turtle", true}, {"x.trig", "trig", false}, {"onto.owl", "rdfxml", false},
		{"x.rdf.gz", "rdfxml", true}, {"x.jsonld", "jsonld", false}, {"records.json", "jsonld", false},
	}
	for _, tt := range tests {
		f, gz, err := ForFile(tt.name)
		if err != nil || f.Name != tt.want || gz != tt.gz {
			t.Errorf("ForFile(%q) = %v, %v, %v; want %s, %v", tt.name, f.Name, gz, err, tt.want, tt.gz)
		}
	}
	if _, _, err := ForFile("notes.txt"); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("ForFile(notes.txt) err = %v, want ErrUnknownFormat", err)
	}
}

// TestEveryFormatRoundTrips encodes a dataset in every writable format and
// decodes it back.
func TestEveryFormatRoundTrips(t *testing.T) {
	ex := func(s string) graph.Term { return graph.IRI("http://example.org/" + s) }
	data := []graph.Quad{
		graph.Triple(ex("ds"), graph.IRI(graph.RDFNamespace+"type"), graph.IRI("http://www.w3.org/ns/dcat#Dataset")),
		graph.Triple(ex("ds"), graph.IRI("http://purl.org/dc/terms/title"), graph.LangLiteral("Pulmón \"TC\"\n", "es")),
		graph.Triple(ex("ds"), ex("count"), graph.Literal("42", graph.XSDInteger)),
		graph.Triple(ex("ds"), ex("point"), graph.Blank("b1")),
		graph.Triple(graph.Blank("b1"), ex("x"), graph.Literal("1.5", graph.XSDDecimal)),
		{S: ex("ds"), P: ex("in"), O: ex("g"), G: ex("graph1")},
	}
	for _, f := range Formats() {
		if !f.CanEncode() {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			in := data
			if !f.Quads {
				in = data[:len(data)-1]
			}
			var buf bytes.Buffer
			enc, err := f.NewEncoder(&buf, EncodeOptions{Prefixes: CommonPrefixes()})
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range in {
				if err := enc.Encode(q); err != nil {
					t.Fatalf("Encode(%v): %v", q, err)
				}
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := graph.Collect(syntax.Quads(f.NewDecoder(&buf, DecodeOptions{})))
			if err != nil {
				t.Fatalf("decode own %s output: %v\n%s", f.Name, err, buf.String())
			}
			if !graph.Isomorphic(got, in) {
				t.Errorf("%s round trip:\n got %v\nwant %v\noutput:\n%s", f.Name, got, in, buf.String())
			}
		})
	}
}

func TestDecodeSources(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, content []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.nt", []byte("_:x <http://ex.org/p> <http://ex.org/o> .\n"))
	write("b.ttl", []byte("@prefix ex: <http://ex.org/> . _:x ex:p <rel> .\n"))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("<http://ex.org/s> <http://ex.org/p> \"z\" <http://ex.org/g> .\n"))
	zw.Close()
	write("c.nq.gz", gz.Bytes())
	write("README", []byte("not RDF"))
	srcs, err := Sources([]string{dir}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 3 {
		t.Fatalf("Sources(dir) = %d sources, want 3 (README skipped)", len(srcs))
	}
	got, err := graph.Collect(Decode(context.Background(), srcs, DecodeOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("decoded %d quads, want 3: %v", len(got), got)
	}
	if got[0].S == got[1].S {
		t.Errorf("_:x in two documents became one blank node")
	}
	if want := FileIRI(filepath.Join(dir, "rel")); got[1].O.Value() != want {
		t.Errorf("relative IRI resolved to %q, want %q", got[1].O.Value(), want)
	}
	if got[2].G != graph.IRI("http://ex.org/g") {
		t.Errorf("gzipped N-Quads gave %v", got[2])
	}
	// A syntax error names the file, line and column.
	write("bad.ttl", []byte("@prefix ex: <http://ex.org/> .\nex:a ex:b .\n"))
	srcs, _ = Sources([]string{filepath.Join(dir, "bad.ttl")}, "", nil)
	_, err = graph.Collect(Decode(context.Background(), srcs, DecodeOptions{}))
	se, ok := syntax.AsError(err)
	if !ok || se.Line != 2 || !strings.HasSuffix(se.File, "bad.ttl") {
		t.Errorf("syntax error = %v; want one at bad.ttl line 2", err)
	}
	// Errors name the file once: the decoders' own errors carry it, others
	// get it from Decode.
	write("remote.jsonld", []byte(`{"@context": "https://ex.org/ctx.jsonld"}`))
	write("dir.nt.gz", []byte("not gzip"))
	for _, name := range []string{"bad.ttl", "remote.jsonld", "dir.nt.gz"} {
		path := filepath.Join(dir, name)
		srcs, _ = Sources([]string{path}, "", nil)
		_, err = graph.Collect(Decode(context.Background(), srcs, DecodeOptions{}))
		if err == nil || strings.Count(err.Error(), path) != 1 {
			t.Errorf("%s: error %v does not name the file exactly once", name, err)
		}
	}
}
