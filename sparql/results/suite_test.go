package results

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

// sparqlBase is the IRI the SPARQL 1.1 suite was published at
// (testsuites/README.md); a file's IRI is this plus its path.
const sparqlBase = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"

const knownFailuresFile = "testdata/known-failures.txt"

// TestW3CResultFiles reads every expected-result file of the SPARQL 1.1
// suite in a format this package reads (.srx, .srj, .tsv, and the .ttl
// files written with the rs: vocabulary) and checks that writing it in each
// format and reading it back gives an equivalent result, with order kept.
// Each file is a subtest named by its IRI; failures not listed in
// testdata/known-failures.txt fail the run, and so do listed files that
// pass.
func TestW3CResultFiles(t *testing.T) {
	root := filepath.Join(testsuite.Must(t), "rdf-tests", "sparql", "sparql11")
	r := testsuite.NewRunner(t, knownFailuresFile)
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch filepath.Ext(path) {
		case ".srx", ".srj", ".tsv", ".ttl":
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		id := sparqlBase + filepath.ToSlash(rel)
		ext := filepath.Ext(path)
		if ext == ".ttl" && !isRSFile(t, path) {
			continue // data, manifests and CONSTRUCT graphs
		}
		counts[ext]++
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			r.Run(t, id, func() error { return checkResultFile(path, id) })
		})
	}
	if counts[".srx"] == 0 || counts[".srj"] == 0 || counts[".tsv"] == 0 || counts[".ttl"] == 0 {
		t.Errorf("found too few result files: %v", counts)
	}
	t.Logf("result files %v", counts)
	r.Report(t)
}

// isRSFile reports whether a Turtle file of the suite mentions the rs:
// vocabulary's ResultSet class.
func isRSFile(t *testing.T, path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(data, []byte(RS)) && bytes.Contains(data, []byte("ResultSet"))
}

// readExpected reads an expected-result file of the suite by its extension.
// ordered reports whether the file itself fixes an order (rs:index); the
// other formats keep their document order.
func readExpected(path, id string) (Table, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return Table{}, false, err
	}
	defer f.Close()
	if filepath.Ext(path) == ".ttl" {
		quads, err := graph.Collect(syntax.Quads(turtle.NewDecoder(bufio.NewReader(f), syntax.Options{File: path, Base: id})))
		if err != nil {
			return Table{}, false, fmt.Errorf("parse Turtle: %w", err)
		}
		return FromRDF(quads)
	}
	format, ok := FormatForExtension(filepath.Ext(path))
	if !ok {
		return Table{}, false, fmt.Errorf("no format for %s", path)
	}
	tab, err := ReadTable(f, format, syntax.Options{File: path})
	return tab, true, err
}

func checkResultFile(path, id string) error {
	want, _, err := readExpected(path, id)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	for _, f := range []Format{JSON, XML, TSV} {
		if want.IsBoolean && f == TSV {
			continue
		}
		var buf bytes.Buffer
		if err := Write(context.Background(), &buf, f, want.Set()); err != nil {
			return fmt.Errorf("write %v: %w", f, err)
		}
		got, err := ReadTable(&buf, f, syntax.Options{File: "rewritten" + f.Extension()})
		if err != nil {
			return fmt.Errorf("read back %v: %w", f, err)
		}
		if !Equivalent(want, got, true) || !slices.Equal(want.Vars, got.Vars) {
			return fmt.Errorf("%v round trip changed the result:\n%v\nbecame\n%v", f, want, got)
		}
	}
	if !want.IsBoolean {
		if _, err := csvOf(want); err != nil {
			return err
		}
	}
	back, ordered, err := FromRDF(ToRDF(want, true))
	if err != nil || ordered != (len(want.Rows) > 0) || !Equivalent(want, back, true) {
		return fmt.Errorf("rs: round trip: %v\n%v\nbecame\n%v", err, want, back)
	}
	return nil
}

// TestW3CResultFormatWriters checks that the writers produce the expected
// files of the suite's result-format tests (csv-tsv-res, json-res) for
// their result sets. The evaluation tests themselves, which need the
// evaluator, are run by sparql/eval.
//
// The result sets come from the data where the query is
// SELECT * { ?s ?p ?o } ORDER BY ?s ?p ?o over distinct subjects (so the
// solutions are the data's triples sorted by subject IRI), and otherwise
// from the expected TSV or JSON file itself.
func TestW3CResultFormatWriters(t *testing.T) {
	dir := filepath.Join(testsuite.Must(t), "rdf-tests", "sparql", "sparql11")
	fromData := func(t *testing.T, name string) Table {
		path := filepath.Join(dir, "csv-tsv-res", name)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		quads, err := graph.Collect(syntax.Quads(turtle.NewDecoder(f, syntax.Options{File: path, Base: sparqlBase + "csv-tsv-res/" + name})))
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(quads, func(a, b graph.Quad) int { return strings.Compare(a.S.Value(), b.S.Value()) })
		tab := Table{Vars: []string{"s", "p", "o"}}
		for i, q := range quads {
			if !q.S.IsIRI() || (i > 0 && q.S == quads[i-1].S) {
				t.Fatalf("%s: subjects are not distinct IRIs", name)
			}
			tab.Rows = append(tab.Rows, Solution{q.S, q.P, q.O})
		}
		return tab
	}
	fromFile := func(t *testing.T, name string) Table {
		tab, _, err := readExpected(filepath.Join(dir, filepath.FromSlash(name)), sparqlBase+name)
		if err != nil {
			t.Fatal(err)
		}
		return tab
	}
	expected := func(t *testing.T, name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	cases := []struct {
		test   string
		source func(t *testing.T) Table
		csv    string // expected CSV file, compared as the suite's CSV tests do
		tsv    string // expected TSV file
		tsvRaw bool   // the TSV text must match byte for byte (blank labels renamed)
	}{
		{"csv01/tsv01", func(t *testing.T) Table { return fromData(t, "data.ttl") }, "csv-tsv-res/csvtsv01.csv", "csv-tsv-res/csvtsv01.tsv", true},
		{"csv02/tsv02", func(t *testing.T) Table { return fromFile(t, "csv-tsv-res/csvtsv02.tsv") }, "csv-tsv-res/csvtsv02.csv", "csv-tsv-res/csvtsv02.tsv", true},
		// The expected TSV writes the data's "1.0E6"^^xsd:double as 1.0e6:
		// equal as values, so compared after Canonicalize.
		{"csv03/tsv03", func(t *testing.T) Table { return fromData(t, "data2.ttl") }, "csv-tsv-res/csvtsv03.csv", "csv-tsv-res/csvtsv03.tsv", false},
		{"tsv03 text", func(t *testing.T) Table { return fromFile(t, "csv-tsv-res/csvtsv03.tsv") }, "", "csv-tsv-res/csvtsv03.tsv", true},
	}
	for _, c := range cases {
		t.Run(c.test, func(t *testing.T) {
			tab := c.source(t)
			if c.csv != "" {
				got, err := csvOf(tab)
				if err != nil {
					t.Fatal(err)
				}
				ok, err := EquivalentCSV(bytes.NewReader(expected(t, c.csv)), bytes.NewReader(got), true)
				if err != nil || !ok {
					t.Errorf("CSV = %v\n%s\nwant\n%s", err, got, expected(t, c.csv))
				}
			}
			var buf bytes.Buffer
			if err := Write(context.Background(), &buf, TSV, tab.Set()); err != nil {
				t.Fatal(err)
			}
			want := expected(t, c.tsv)
			if c.tsvRaw {
				if g, w := renameBlankLabels(buf.String()), renameBlankLabels(string(want)); g != w {
					t.Errorf("TSV =\n%s\nwant\n%s", g, w)
				}
				return
			}
			got, err := ReadTable(&buf, TSV, syntax.Options{})
			if err != nil {
				t.Fatal(err)
			}
			wantTab := fromFile(t, c.tsv)
			if !Equivalent(Canonicalize(wantTab), Canonicalize(got), true) {
				t.Errorf("TSV =\n%s\nwant\n%s", buf.String(), want)
			}
		})
	}
	for _, name := range []string{"json-res/jsonres01.srj", "json-res/jsonres02.srj", "json-res/jsonres03.srj", "json-res/jsonres04.srj",
		"aggregates/agg-empty-group-count-1.srj", "aggregates/agg-empty-group-count-2.srj"} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(context.Background(), &buf, JSON, fromFile(t, name).Set()); err != nil {
				t.Fatal(err)
			}
			got, want := normalJSON(t, buf.Bytes()), normalJSON(t, expected(t, name))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("JSON =\n%s\nwant the same structure as\n%s", buf.String(), expected(t, name))
			}
		})
	}
}

// csvOf writes a table as CSV.
func csvOf(tab Table) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, CSV, tab.Set()); err != nil {
		return nil, fmt.Errorf("write CSV: %w", err)
	}
	return buf.Bytes(), nil
}

var blankLabel = regexp.MustCompile(`_:[A-Za-z0-9_.\-]+`)

// renameBlankLabels renames _:labels to _:x0, _:x1... in order of first
// appearance, so two texts can be compared up to blank-node relabelling.
func renameBlankLabels(s string) string {
	names := map[string]string{}
	return blankLabel.ReplaceAllStringFunc(s, func(l string) string {
		if n, ok := names[l]; ok {
			return n
		}
		names[l] = fmt.Sprintf("_:x%d", len(names))
		return names[l]
	})
}

// normalJSON decodes a JSON results document into generic values with the
// labels of blank nodes renamed in order of appearance.
func normalJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%v in\n%s", err, data)
	}
	names := map[string]string{}
	res, _ := v["results"].(map[string]any)
	rows, _ := res["bindings"].([]any)
	for _, row := range rows {
		m, _ := row.(map[string]any)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			term, _ := m[k].(map[string]any)
			if term["type"] == "bnode" {
				l, _ := term["value"].(string)
				if _, ok := names[l]; !ok {
					names[l] = fmt.Sprintf("x%d", len(names))
				}
				term["value"] = names[l]
			}
		}
	}
	return v
}
