package shacl

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/testsuite"
)

var update = flag.Bool("update", false, "rewrite the golden reports under testdata/golden")

// parseFiles parses Turtle files, each with a base IRI naming it under
// https://tessera.example/data/, and adds their named prefixes to px.
func parseFiles(t *testing.T, px map[string]string, paths ...string) []graph.Quad {
	t.Helper()
	var out []graph.Quad
	for _, p := range paths {
		qs, prefixes, err := parseTurtlePrefixes(p, "https://tessera.example/data/"+filepath.Base(p))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range prefixes {
			if _, ok := px[k]; !ok && k != "" && px != nil {
				px[k] = v
			}
		}
		out = append(out, qs...)
	}
	return out
}

// checkGolden compares got with testdata/golden/name, or rewrites it.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("report for %s differs from %s (run with -update if intended)\n got:\n%s\nwant:\n%s", name, path, got, want)
	}
}

// TestShippedShapes compiles the shapes Tessera ships (DCAT-AP 3, FAIR Data
// Point) and validates the example metadata against them, keeping the text
// reports as golden files.
func TestShippedShapes(t *testing.T) {
	data := testsuite.MustData(t)
	fdpShapes, err := filepath.Glob(filepath.Join(data, "fdp", "shapes", "*.ttl"))
	if err != nil || len(fdpShapes) == 0 {
		t.Fatalf("no FDP shapes found: %v", err)
	}
	px := wellKnown()
	dcatAP := parseFiles(t, px, filepath.Join(data, "dcat-ap-shacl", "shapes.ttl"))
	// The DCAT-AP shapes use the empty prefix for their own namespace.
	px["dcatap-sh"] = "https://semiceu.github.io/DCAT-AP/releases/3.0.0/html/shacl/shapes.ttl#"
	fdp := parseFiles(t, px, fdpShapes...)
	px["fdp-sh"] = "http://fairdatapoint.org/"
	for _, tc := range []struct {
		name   string
		shapes []graph.Quad
		min    int // shapes the graph must at least yield
	}{{"dcat-ap", dcatAP, 20}, {"fdp", fdp, 7}} {
		s, err := Compile(tc.shapes)
		if err != nil {
			t.Fatalf("Compile(%s) = %v", tc.name, err)
		}
		if s.Len() < tc.min {
			t.Errorf("Compile(%s) gave %d shapes, want at least %d", tc.name, s.Len(), tc.min)
		}
		var b bytes.Buffer
		for _, w := range s.Warnings() {
			fmt.Fprintf(&b, "shape %s: %s\n", s.label(w.Shape, px), w.Msg)
		}
		checkGolden(t, tc.name+"/compile-warnings.txt", b.Bytes())
	}

	type vcase struct {
		golden string
		shapes []graph.Quad
		data   []string
	}
	examples, _ := filepath.Glob(filepath.Join(data, "fdp", "rdf-examples", "*.ttl"))
	cases := []vcase{
		{"dcat-ap/eucaim-dataset-example.txt", dcatAP, []string{filepath.Join(data, "eucaim-dcat-ap", "dataset-example.ttl")}},
		// The FDP examples together, against DCAT-AP 3: what a FAIR Data
		// Point would have to add to publish DCAT-AP.
		{"dcat-ap/fdp-examples.txt", dcatAP, examples},
	}
	for _, e := range examples {
		cases = append(cases, vcase{"fdp/" + strings.TrimSuffix(filepath.Base(e), ".ttl") + ".txt", fdp, []string{e}})
	}
	for _, tc := range cases {
		t.Run(tc.golden, func(t *testing.T) {
			rep, err := validateQuads(tc.shapes, parseFiles(t, nil, tc.data...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			rep.Prefixes = px
			var buf bytes.Buffer
			if err := rep.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.golden, buf.Bytes())
		})
	}
}
