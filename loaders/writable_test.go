package loaders

import (
	"errors"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

// TestFirstWritable: a syntax that cannot write the sample yields to next's
// choice among those left; nothing left is a *NotWritableError.
func TestFirstWritable(t *testing.T) {
	lookup := func(name string) Format {
		f, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	rdfxml, turtle, ntriples := lookup("rdfxml"), lookup("turtle"), lookup("ntriples")
	digit := []graph.Quad{graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/1"), graph.String("x"))}
	plain := []graph.Quad{graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.String("x"))}
	tests := []struct {
		name   string
		sample []graph.Quad
		next   string // next's choice, "" for none
		want   string // "" for a *NotWritableError
	}{
		{"writable", plain, "", "rdfxml"},
		{"falls back", digit, "ntriples", "ntriples"},
		{"nothing left", digit, "", ""},
		{"a refused choice counts as none", digit, "rdfxml", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FirstWritable(rdfxml, []Format{turtle, ntriples, rdfxml}, tt.sample, EncodeOptions{}, func(left []Format) (Format, bool) {
				if len(left) != 2 {
					t.Errorf("left = %v, want turtle and ntriples", left)
				}
				if tt.next == "" {
					return Format{}, false
				}
				return lookup(tt.next), true
			})
			var nw *NotWritableError
			switch {
			case tt.want == "" && (!errors.As(err, &nw) || nw.Refused.Name != "rdfxml" || len(nw.Left) != 2):
				t.Errorf("FirstWritable = %v, %v; want a NotWritableError refusing rdfxml", got, err)
			case tt.want != "" && (err != nil || got.Name != tt.want):
				t.Errorf("FirstWritable = %v, %v; want %s", got, err, tt.want)
			}
		})
	}
}
