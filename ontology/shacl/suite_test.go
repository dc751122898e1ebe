package shacl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/manifest"
	"github.com/tessera-fair/tessera/loaders/testsuite"
)

const (
	shtNS     = "http://www.w3.org/ns/shacl-test#"
	suiteBase = "http://datashapes.org/sh/tests/"
)

// TestSuite runs the W3C SHACL Core test suite: every sht:Validate entry
// validates its data graph against its shapes graph and compares the
// report with the expected sh:ValidationReport as graphs, ignoring
// sh:resultMessage.
func TestSuite(t *testing.T) {
	root := filepath.Join(testsuite.Must(t), "shacl", "tests")
	tests, err := loadSuite(filepath.Join(root, "manifest.ttl"), suiteBase+"manifest.ttl")
	if err != nil {
		t.Fatalf("load manifest: %v", err)
	}
	if len(tests) == 0 {
		t.Fatal("manifest lists no tests")
	}
	r := testsuite.NewRunner(t, filepath.Join("testdata", "known-failures.txt"))
	files := map[string][]graph.Quad{}
	parse := func(path, base string) ([]graph.Quad, error) {
		if qs, ok := files[path]; ok {
			return qs, nil
		}
		qs, err := parseTurtle(path, base)
		if err == nil {
			files[path] = qs
		}
		return qs, err
	}
	for _, tc := range tests {
		t.Run(strings.TrimPrefix(tc.ID, suiteBase), func(t *testing.T) {
			if tc.Type != shtNS+"Validate" {
				r.Skip(t, tc.ID, "test type "+tc.Type+" is not sht:Validate")
				return
			}
			r.Run(t, tc.ID, func() error { return runSuiteTest(tc, parse) })
		})
	}
	r.Report(t)
}

// loadSuite reads a manifest and, depth first, the manifests it includes.
// manifest.Load expects mf:include to hold an RDF list, as the RDF test
// suites write it; the SHACL suite repeats mf:include with one IRI each,
// so the includes are followed here. Included manifests missing from the
// shared copy (sparql/, not part of Core) are skipped.
func loadSuite(path, base string) ([]manifest.Test, error) {
	m, err := manifest.Parse(path, base)
	if err != nil {
		return nil, err
	}
	var out []manifest.Test
	for _, root := range m.Subjects(manifest.RDF+"type", graph.IRI(manifest.MF+"Manifest")) {
		for _, inc := range m.Objects(root, manifest.MF+"include") {
			local := m.LocalPath(inc.Value())
			if strings.Contains(inc.Value(), "/sparql/") {
				if _, err := os.Stat(local); os.IsNotExist(err) {
					continue
				}
			}
			sub, err := loadSuite(local, inc.Value())
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		}
	}
	return append(out, m.Tests...), nil
}

type parseFunc func(path, base string) ([]graph.Quad, error)

func runSuiteTest(tc manifest.Test, parse parseFunc) error {
	m := tc.Manifest
	dataIRI := m.Object(tc.ActionNode, shtNS+"dataGraph").Value()
	shapesIRI := m.Object(tc.ActionNode, shtNS+"shapesGraph").Value()
	data, err := parse(m.LocalPath(dataIRI), dataIRI)
	if err != nil {
		return err
	}
	shapesQuads, err := parse(m.LocalPath(shapesIRI), shapesIRI)
	if err != nil {
		return err
	}
	own, err := parse(m.Path, m.Base)
	if err != nil {
		return err
	}
	want := expectedReport(own, graph.IRI(tc.ID))
	if want == nil {
		return errorf("no mf:result for %s in %s", tc.ID, m.Path)
	}
	// Both lookup strategies must give the expected report.
	for _, opts := range []Options{{}, {DirectLookups: true}} {
		got, err := validateQuads(shapesQuads, data, opts)
		if err != nil {
			return errorf("validate (direct lookups %v): %v", opts.DirectLookups, err)
		}
		gotQuads := withoutMessages(got.Quads())
		if !graph.Isomorphic(gotQuads, want) {
			return errorf("report differs (direct lookups %v)\n got:\n%s\nwant:\n%s", opts.DirectLookups, dump(gotQuads), dump(want))
		}
	}
	return nil
}

// expectedReport extracts the mf:result of test from the manifest file's
// quads: the report node and everything reachable from it through blank
// nodes, except the terms results point at (focus node, value, shape) and
// sh:resultMessage.
func expectedReport(quads []graph.Quad, test graph.Term) []graph.Quad {
	mfResult := graph.IRI(manifest.MF + "result")
	var root graph.Term
	out := map[graph.Term][]graph.Quad{}
	for _, q := range quads {
		if q.S == test && q.P == mfResult {
			root = q.O
		}
		out[q.S] = append(out[q.S], q)
	}
	if root.IsZero() {
		return nil
	}
	stopAt := map[graph.Term]bool{shFocusNode: true, shValue: true, shSourceShape: true, shResultMessage: true}
	var res []graph.Quad
	visited := map[graph.Term]bool{}
	var walk func(n graph.Term)
	walk = func(n graph.Term) {
		if visited[n] {
			return
		}
		visited[n] = true
		for _, q := range out[n] {
			if q.P == shResultMessage {
				continue
			}
			res = append(res, graph.Triple(q.S, q.P, q.O))
			if q.O.IsBlank() && !stopAt[q.P] {
				walk(q.O)
			}
		}
	}
	walk(root)
	return res
}

func withoutMessages(qs []graph.Quad) []graph.Quad {
	out := qs[:0:0]
	for _, q := range qs {
		if q.P != shResultMessage {
			out = append(out, q)
		}
	}
	return out
}

func dump(qs []graph.Quad) string {
	lines := make([]string, len(qs))
	for i, q := range qs {
		lines[i] = "  " + q.String()
	}
	return strings.Join(lines, "\n")
}
