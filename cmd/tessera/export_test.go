package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/loaders"
)

// sortedLines returns the lines of an N-Quads export in order, so exports
// of two stores (whose quads come out in term-id order) compare.
func sortedLines(s string) []string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	slices.Sort(lines)
	return lines
}

// gzipped reports whether the file starts with the gzip magic number.
func gzipped(t *testing.T, path string) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.HasPrefix(data, []byte{0x1f, 0x8b})
}

// TestExportRoundTrip: without --format, export writes the format (and the
// gzip compression) load reads from the --output name, so export → load,
// neither given --format, gives the same quads back, for every writable
// format and each of its extensions, plain and gzipped. Triples-only
// formats export one graph (--graph) and load back into it.
func TestExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	const p1 = "https://ex.org/graph/p1"
	if code, _, errOut := tessera(t, "", "load", "--quiet", "--data", data, "--graph", p1, writeFile(t, dir, "cat.ttl", sampleTTL)); code != 0 {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	nq := "<https://ex.org/a> <https://ex.org/p> \"x\" <https://ex.org/graph/p2> .\n<https://ex.org/a> <https://ex.org/p> \"y\" .\n"
	if code, _, errOut := tessera(t, "", "load", "--quiet", "--data", data, writeFile(t, dir, "more.nq", nq)); code != 0 {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	all := sortedLines(export(t, data))
	onlyP1 := sortedLines(export(t, data, "--graph", p1))

	type roundTrip struct{ name, format string }
	var cases []roundTrip
	for _, f := range loaders.Formats() {
		if !f.CanEncode() {
			continue
		}
		for _, ext := range f.Extensions {
			cases = append(cases, roundTrip{"out" + ext, f.Name})
		}
		cases = append(cases, roundTrip{"out" + f.Extensions[0] + ".gz", f.Name})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := loaders.Lookup(tc.format)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, tc.name)
			exportArgs := []string{"export", "--data", data, "--output", file}
			copyData := filepath.Join(dir, "copy", tc.name)
			loadArgs := []string{"load", "--quiet", "--data", copyData}
			want := all
			if !f.Quads {
				exportArgs = append(exportArgs, "--graph", p1)
				loadArgs = append(loadArgs, "--graph", p1)
				want = onlyP1
			}
			code, _, errOut := tessera(t, "", exportArgs...)
			if code != 0 {
				t.Fatalf("tessera %v: exit %d: %s", exportArgs, code, errOut)
			}
			if !strings.Contains(errOut, "("+tc.format) {
				t.Errorf("export does not report the format %s: %q", tc.format, errOut)
			}
			if gz := strings.HasSuffix(tc.name, ".gz"); gzipped(t, file) != gz {
				t.Errorf("%s: gzip-compressed = %v, want %v", tc.name, !gz, gz)
			}
			if code, _, errOut := tessera(t, "", append(loadArgs, file)...); code != 0 {
				t.Fatalf("load of the export: exit %d: %s", code, errOut)
			}
			if got := sortedLines(export(t, copyData)); !slices.Equal(got, want) {
				t.Errorf("round trip through %s changed the quads:\ngot:\n%s\nwant:\n%s", tc.name, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}

	// --format wins over the extension, and .gz still compresses.
	file := filepath.Join(dir, "triples.nq.gz")
	if code, _, errOut := tessera(t, "", "export", "--data", data, "--graph", p1, "--format", "ntriples", "--output", file); code != 0 {
		t.Fatalf("export --format ntriples: exit %d: %s", code, errOut)
	}
	if !gzipped(t, file) {
		t.Fatalf("--format ntriples --output %s did not compress", file)
	}
	raw, _ := os.ReadFile(file)
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(text), "\n"); n != len(onlyP1) || strings.Contains(string(text), p1) {
		t.Errorf("--format ntriples wrote %d lines, want %d triples without graph labels:\n%s", n, len(onlyP1), text)
	}
}

// TestExportErrors: an --output name that names no format asks for
// --format; a triples-only format refuses a store with named graphs unless
// --graph picks one; neither leaves a file behind.
func TestExportErrors(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errOut := tessera(t, "", "load", "--quiet", "--data", data, "--graph", "https://ex.org/g", writeFile(t, dir, "cat.ttl", sampleTTL)); code != 0 {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"unknown extension", []string{"--output", "all.csv"}, exitUsage, `cannot tell the format from the extension ".csv"; name it with --format`},
		{"no extension", []string{"--output", "all"}, exitUsage, "name it with --format"},
		{"unknown extension gzipped", []string{"--output", "all.csv.gz"}, exitUsage, "name it with --format"},
		{"unknown format", []string{"--format", "csv", "--output", "all.nq"}, exitUsage, "unknown RDF format"},
		{"turtle with named graphs", []string{"--output", "all.ttl"}, exitError, "turtle cannot hold named graphs"},
		{"ntriples with named graphs", []string{"--output", "all.nt.gz"}, exitError, "ntriples cannot hold named graphs"},
		{"rdfxml with named graphs", []string{"--format", "rdfxml", "--output", "all.nq"}, exitError, "rdfxml cannot hold named graphs"},
		{"turtle on stdout with named graphs", []string{"--format", "turtle"}, exitError, "export one graph with --graph"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"export", "--data", data}
			for _, a := range tt.args {
				if strings.HasPrefix(a, "all") {
					a = filepath.Join(dir, a)
				}
				args = append(args, a)
			}
			code, out, errOut := tessera(t, "", args...)
			if code != tt.code || !strings.Contains(errOut, tt.contains) {
				t.Errorf("tessera %v = exit %d, %q; want exit %d and %q", args, code, errOut, tt.code, tt.contains)
			}
			if out != "" {
				t.Errorf("tessera %v wrote to standard output: %q", args, out)
			}
		})
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "all") {
			t.Errorf("a failed export left %s behind", e.Name())
		}
	}
	// Turtle of a store whose quads are all in the default graph works.
	other := filepath.Join(dir, "default-only")
	if code, _, errOut := tessera(t, "", "load", "--quiet", "--data", other, filepath.Join(dir, "cat.ttl")); code != 0 {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	if out := export(t, other, "--format", "turtle"); !strings.Contains(out, "Lung CT") {
		t.Errorf("turtle export of the default graph:\n%s", out)
	}
}
