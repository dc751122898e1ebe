package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/ontology/demo"
)

func TestDemoCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string // in stdout (exit 0) or stderr
	}{
		{[]string{"demo"}, exitOK, "<https://tessera.example/graph/system/providers> ."},
		{[]string{"demo", "--format", "trig"}, exitOK, "<https://tessera.example/graph/system/providers> {"},
		{[]string{"demo", "--format", "turtle"}, exitUsage, "turtle cannot hold named graphs"},
		{[]string{"demo", "--scale", "0"}, exitUsage, "at least 1"},
		{[]string{"demo", "extra"}, exitUsage, "unexpected argument"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(""), &out, &errb)
			got := out.String()
			if tc.code != exitOK {
				got = errb.String()
			}
			if code != tc.code || !strings.Contains(got, tc.want) {
				t.Errorf("run(%q) = %d, output %.200q; want %d containing %q", tc.args, code, got, tc.code, tc.want)
			}
		})
	}
}

// quadsPerGraph counts quads by graph name.
func quadsPerGraph(t *testing.T, quads graph.Quads) map[graph.Term]int {
	t.Helper()
	n := map[graph.Term]int{}
	for q, err := range quads {
		if err != nil {
			t.Fatal(err)
		}
		n[q.G]++
	}
	return n
}

// TestDemoOutputRoundTrip: like export, demo writes the format (and gzip
// compression) load reads from the --output name, --format overriding, so
// the file reads back through load's decoding, format taken from the same
// name, as the federation's quads, graph by graph.
func TestDemoOutputRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads the 0.59M-quad federation in several formats: run by make test, skipped by the -short race run of make check")
	}
	want := quadsPerGraph(t, demo.Federation(1))
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		format string   // the format written
		args   []string // besides --output
	}{
		{"fed.nq", "nquads", nil},
		{"fed.nq.gz", "nquads", nil},
		{"fed.trig", "trig", nil},
		{"fed.trig.gz", "trig", nil},
		{"fed.jsonld", "jsonld", nil},
		{"fed-trig.nq", "trig", []string{"--format", "trig"}}, // --format wins; load is told it too
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, tc.name)
			args := append([]string{"demo", "--output", file}, tc.args...)
			code, out, errOut := tessera(t, "", args...)
			if code != exitOK {
				t.Fatalf("tessera %v: exit %d: %s", args, code, errOut)
			}
			if out != "" {
				t.Errorf("tessera %v wrote %d bytes to standard output", args, len(out))
			}
			gz := strings.HasSuffix(tc.name, ".gz")
			what := tc.format
			if gz {
				what += ", gzip"
			}
			if !strings.Contains(errOut, "quads to "+file+" ("+what+")") {
				t.Errorf("demo does not report writing %s: %q", what, errOut)
			}
			if gzipped(t, file) != gz {
				t.Errorf("%s: gzip-compressed = %v, want %v", tc.name, !gz, gz)
			}
			loadFormat := ""
			if len(tc.args) > 0 {
				loadFormat = tc.format
			}
			srcs, err := loaders.Sources([]string{file}, loadFormat, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := quadsPerGraph(t, loaders.Decode(context.Background(), srcs, loaders.DecodeOptions{}))
			if len(got) != len(want) {
				t.Errorf("%s holds %d graphs, want %d", tc.name, len(got), len(want))
			}
			for g, n := range want {
				if got[g] != n {
					t.Errorf("%s: graph %v holds %d quads, want %d", tc.name, g, got[g], n)
				}
			}
		})
	}
}

// TestDemoOutputErrors: demo refuses what export refuses (an --output name
// that names no format, an unknown --format, a format without named graphs)
// before writing, and an interrupted demo removes its partial file; no case
// leaves a file behind or writes to standard output.
func TestDemoOutputErrors(t *testing.T) {
	dir := t.TempDir()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name     string
		ctx      context.Context
		args     []string
		code     int
		contains string
	}{
		{"unknown extension", nil, []string{"--output", "fed.csv"}, exitUsage, `cannot tell the format from the extension ".csv"; name it with --format`},
		{"no extension", nil, []string{"--output", "fed"}, exitUsage, "name it with --format"},
		{"unknown extension gzipped", nil, []string{"--output", "fed.csv.gz"}, exitUsage, "name it with --format"},
		{"unknown format", nil, []string{"--format", "csv", "--output", "fed.nq"}, exitUsage, "unknown RDF format"},
		{"turtle", nil, []string{"--output", "fed.ttl"}, exitUsage, "turtle cannot hold named graphs"},
		{"ntriples gzipped", nil, []string{"--output", "fed.nt.gz"}, exitUsage, "ntriples cannot hold named graphs"},
		{"rdfxml by --format", nil, []string{"--format", "rdfxml", "--output", "fed.nq"}, exitUsage, "rdfxml cannot hold named graphs"},
		{"interrupted", cancelled, []string{"--output", "fed.nq.gz"}, exitError, "write " + filepath.Join(dir, "fed.nq.gz") + ": context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"demo"}
			for _, a := range tt.args {
				if strings.HasPrefix(a, "fed") {
					a = filepath.Join(dir, a)
				}
				args = append(args, a)
			}
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			var out, errOut bytes.Buffer
			code := run(ctx, args, strings.NewReader(""), &out, &errOut)
			if code != tt.code || !strings.Contains(errOut.String(), tt.contains) {
				t.Errorf("tessera %v = exit %d, %q; want exit %d and %q", args, code, errOut.String(), tt.code, tt.contains)
			}
			if out.Len() > 0 {
				t.Errorf("tessera %v wrote %d bytes to standard output", args, out.Len())
			}
		})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("a failed demo left %s behind", e.Name())
	}
}
