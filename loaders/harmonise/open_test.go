package harmonise

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

func TestFormatForFile(t *testing.T) {
	tests := []struct {
		path  string
		want  Format
		comma rune
	}{
		{"records.jsonl", FormatJSONLines, 0}, {"r.NDJSON", FormatJSONLines, 0}, {"r.json", FormatJSON, 0},
		{"r.jsonld.gz", FormatJSON, 0}, {"r.csv", FormatCSV, ','}, {"r.tsv", FormatCSV, '\t'}, {"r.txt", FormatAuto, 0},
	}
	for _, tt := range tests {
		if f, c := FormatForFile(tt.path); f != tt.want || c != tt.comma {
			t.Errorf("FormatForFile(%q) = %v, %q, want %v, %q", tt.path, f, c, tt.want, tt.comma)
		}
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// CSVW convention: data.csv-metadata.json beside data.csv.
	csvPath := write("data.csv", "id,sex\nP1,M\n")
	write("data.csv-metadata.json", `{"url": "data.csv", "tableSchema": {"aboutUrl": "https://data.example/patient/{id}",
	  "columns": [{"name": "id", "suppressOutput": true}, {"name": "sex", "propertyUrl": "https://data.example/ns#sex"}]}}`)
	f, err := Open(context.Background(), csvPath, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := collect(f)
	f.Close()
	want := []graph.Quad{graph.Triple(graph.IRI("https://data.example/patient/P1"), graph.IRI("https://data.example/ns#sex"), graph.String("M"))}
	if err != nil || !graph.Isomorphic(got, want) {
		t.Errorf("Open(csv) = %v, %v, want %v", got, err, want)
	}

	// Gzipped JSON Lines with a JSON-LD mapping.
	mapping := write("mapping.jsonld", testMapping)
	gz, err := os.Create(filepath.Join(dir, "records.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(gz)
	io.WriteString(zw, `{"id": "P1", "name": "Ana"}`+"\n")
	zw.Close()
	gz.Close()
	f, err = Open(context.Background(), gz.Name(), mapping, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err = collect(f)
	f.Close()
	want = []graph.Quad{graph.Triple(graph.IRI("https://data.example/patient/P1"), graph.IRI(exNS+"name"), graph.String("Ana"))}
	if err != nil || !graph.Isomorphic(got, want) {
		t.Errorf("Open(jsonl.gz) = %v, %v, want %v", got, err, want)
	}

	// Cancelled context stops Next.
	ctx, cancel := context.WithCancel(context.Background())
	f, err = Open(ctx, write("r.jsonl", `{"id": "P1"}`), mapping, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := f.Next(); err != context.Canceled {
		t.Errorf("Next after cancel = %v, want context.Canceled", err)
	}
	f.Close()

	if _, err := Open(context.Background(), write("lonely.csv", "a\n1\n"), "", Options{}); err == nil {
		t.Error("Open without mapping succeeded")
	}
}

// genReader produces n JSON Lines records on the fly, so that the test
// input itself takes no memory.
type genReader struct {
	n, i int
	buf  []byte
}

func (g *genReader) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		if g.i == g.n {
			return 0, io.EOF
		}
		g.buf = fmt.Appendf(g.buf[:0], `{"id": "P%d", "sex": "M", "age": %d, "name": "Patient %d"}`+"\n", g.i, g.i%90, g.i)
		g.i++
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}

// TestStreaming checks that memory held for positions stays bounded by a
// record plus read-ahead, whatever the number of records.
func TestStreaming(t *testing.T) {
	const n = 20_000
	d := NewDecoder(&genReader{n: n}, mustMapping(t, testMapping), Options{Codes: testCodes(t), MaxIssues: -1})
	count := 0
	peak := 0
	for {
		_, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		count++
		if d.jsrc != nil {
			peak = max(peak, cap(d.jsrc.tr.buf))
		}
	}
	if d.Report().Records != n || count != 3*n {
		t.Fatalf("%d records, %d quads, want %d, %d", d.Report().Records, count, n, 3*n)
	}
	if peak > 1<<17 {
		t.Errorf("position buffer grew to %d bytes", peak)
	}
	if len(d.Report().Issues) != 0 || d.Report().IssueCount != n { // "id" has no term
		t.Errorf("kept %d issues of %d, want 0 of %d", len(d.Report().Issues), d.Report().IssueCount, n)
	}
}
