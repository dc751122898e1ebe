package harmonise

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenOptions is testdata/golden/*/options.json.
type goldenOptions struct {
	OnUnmappedCode string `json:"onUnmappedCode"`
	OnInvalidValue string `json:"onInvalidValue"`
	IDTemplate     string `json:"idTemplate"`
}

func parsePolicy(t *testing.T, s string) Policy {
	switch s {
	case "", "keep":
		return Keep
	case "drop":
		return Drop
	case "fail":
		return Fail
	}
	t.Fatalf("unknown policy %q", s)
	return Keep
}

// TestGolden runs every case under testdata/golden: records.* mapped by
// mapping.* with the code table codes.* (optional) and options.json
// (optional) must give the dataset in want.nq (compared with
// graph.Isomorphic) and the report in want.report (compared as text).
// Regenerate with go test -run TestGolden -update.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no golden cases")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data := glob1(t, dir, "records.*")
			mapping := glob1(t, dir, "mapping.*")
			var opts Options
			if codes := globOpt(t, dir, "codes.*"); codes != "" {
				opts.Codes = NewCodes(CodeOptions{})
				if err := LoadCodes(codes, opts.Codes); err != nil {
					t.Fatal(err)
				}
			}
			if b, err := os.ReadFile(filepath.Join(dir, "options.json")); err == nil {
				var g goldenOptions
				if err := json.Unmarshal(b, &g); err != nil {
					t.Fatal(err)
				}
				opts.OnUnmappedCode = parsePolicy(t, g.OnUnmappedCode)
				opts.OnInvalidValue = parsePolicy(t, g.OnInvalidValue)
				opts.IDTemplate = g.IDTemplate
			}
			opts.File = filepath.Base(data)
			opts.Base = "https://data.example/load/"
			f, err := Open(context.Background(), data, mapping, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := collect(f)
			if err != nil {
				t.Fatal(err)
			}
			var report strings.Builder
			if err := f.Report().WriteSummary(&report); err != nil {
				t.Fatal(err)
			}
			for _, is := range f.Report().Issues {
				report.WriteString(is.String() + "\n")
			}
			wantNQ, wantReport := filepath.Join(dir, "want.nq"), filepath.Join(dir, "want.report")
			if *update {
				writeNQuads(t, wantNQ, got)
				if err := os.WriteFile(wantReport, []byte(report.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want := readNQuads(t, wantNQ)
			if !graph.Isomorphic(got, want) {
				t.Errorf("%s: quads differ\ngot\n%s\nwant\n%s", dir, nquads(got), nquads(want))
			}
			b, err := os.ReadFile(wantReport)
			if err != nil {
				t.Fatal(err)
			}
			if report.String() != string(b) {
				t.Errorf("%s: report differs\ngot\n%s\nwant\n%s", dir, report.String(), b)
			}
		})
	}
}

func glob1(t *testing.T, dir, pattern string) string {
	t.Helper()
	p := globOpt(t, dir, pattern)
	if p == "" {
		t.Fatalf("%s: no %s", dir, pattern)
	}
	return p
}

func globOpt(t *testing.T, dir, pattern string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil || len(m) > 1 {
		t.Fatalf("%s: %s: %v %v", dir, pattern, m, err)
	}
	if len(m) == 0 {
		return ""
	}
	return m[0]
}

// collect drains a decoder.
func collect(d syntax.Decoder) ([]graph.Quad, error) {
	var out []graph.Quad
	for {
		q, err := d.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, q)
	}
}

// nquads renders quads as sorted N-Quads lines, blank labels and all.
func nquads(qs []graph.Quad) string {
	lines := make([]string, len(qs))
	for i, q := range qs {
		lines[i] = q.String() + "\n"
	}
	slices.Sort(lines)
	return strings.Join(lines, "")
}

func writeNQuads(t *testing.T, path string, qs []graph.Quad) {
	t.Helper()
	// Relabel blank nodes in order of appearance so the file is stable.
	labels := map[graph.Term]graph.Term{}
	relabel := func(x graph.Term) graph.Term {
		if !x.IsBlank() {
			return x
		}
		if l, ok := labels[x]; ok {
			return l
		}
		l := graph.Blank(fmt.Sprintf("b%d", len(labels)))
		labels[x] = l
		return l
	}
	out := make([]graph.Quad, len(qs))
	for i, q := range qs {
		out[i] = graph.Quad{S: relabel(q.S), P: q.P, O: relabel(q.O), G: relabel(q.G)}
	}
	if err := os.WriteFile(path, []byte(nquads(out)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readNQuads(t *testing.T, path string) []graph.Quad {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qs, err := collect(ntriples.NewQuadDecoder(f, syntax.Options{File: path}))
	if err != nil {
		t.Fatal(err)
	}
	return qs
}
