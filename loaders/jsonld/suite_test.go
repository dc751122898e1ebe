package jsonld

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// suiteBase is the IRI the JSON-LD test suite is published at; files under
// it are served from the local copy (testsuites/README.md).
const suiteBase = "https://w3c.github.io/json-ld-api/tests/"

// suiteDir returns ../shared/testsuites/json-ld-api/tests beside the module
// root, failing the test when it is missing (CI always has it).
func suiteDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	suite := filepath.Join(dir, "..", "shared", "testsuites", "json-ld-api", "tests")
	if _, err := os.Stat(suite); err != nil {
		t.Fatalf("JSON-LD test suite missing: %v", err)
	}
	return suite
}

// suiteLoader serves every JSON file of the suite at its published IRI,
// through the production loader's operator documents.
func suiteLoader(t testing.TB, dir string) *DocumentLoader {
	t.Helper()
	docs := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".jsonld") && !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, err := parseJSON(data); err != nil {
			return nil // invalid on purpose; loading it must fail
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		docs[suiteBase+filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewDocumentLoader(LoaderOptions{Documents: docs})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

type suiteTest struct {
	ID              string   `json:"@id"`
	Type            []string `json:"@type"`
	Name            string   `json:"name"`
	Input           string   `json:"input"`
	Expect          string   `json:"expect"`
	ExpectErrorCode string   `json:"expectErrorCode"`
	Option          struct {
		SpecVersion           string `json:"specVersion"`
		ProcessingMode        string `json:"processingMode"`
		Base                  string `json:"base"`
		ExpandContext         string `json:"expandContext"`
		ProduceGeneralizedRdf bool   `json:"produceGeneralizedRdf"`
		RDFDirection          string `json:"rdfDirection"`
	} `json:"option"`
}

// knownFailures reads testdata/known-failures.txt: test IRI, " # ", reason.
// A reason starting with "skip:" means the test is not run.
func knownFailures(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "known-failures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, ok := strings.Cut(line, " # ")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("known-failures.txt: %q has no ` # reason`", line)
		}
		out[strings.TrimSpace(id)] = strings.TrimSpace(reason)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestToRDFSuite runs the W3C JSON-LD 1.1 toRdf suite.
func TestToRDFSuite(t *testing.T) {
	dir := suiteDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "toRdf-manifest.jsonld"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		BaseIri  string      `json:"baseIri"`
		Sequence []suiteTest `json:"sequence"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	known := knownFailures(t)
	loader := suiteLoader(t, dir)
	manifestIRI := manifest.BaseIri + "toRdf-manifest"
	var passed, failed, skipped int
	seen := map[string]bool{}
	for _, tc := range manifest.Sequence {
		id := manifestIRI + tc.ID
		seen[id] = true
		reason, listed := known[id]
		if tc.Option.SpecVersion == "json-ld-1.0" {
			if !listed || !strings.HasPrefix(reason, "skip:") {
				t.Errorf("%s: specVersion json-ld-1.0 test not listed as skip in known-failures.txt", id)
			}
			skipped++
			continue
		}
		if listed && strings.HasPrefix(reason, "skip:") {
			t.Errorf("%s: listed as skip but is not a json-ld-1.0 test", id)
			continue
		}
		err := runSuiteTest(dir, manifest.BaseIri, loader, tc)
		switch {
		case err == nil && listed:
			failed++
			t.Errorf("%s (%s) passes but is listed in known-failures.txt: remove it", id, tc.Name)
		case err == nil:
			passed++
		case listed:
			failed++
		default:
			failed++
			t.Errorf("%s (%s): %v", id, tc.Name, err)
		}
	}
	for id := range known {
		if !seen[id] {
			t.Errorf("known-failures.txt lists %s, which is not in the manifest", id)
		}
	}
	t.Logf("toRdf: %d passed, %d failed, %d skipped (of %d)", passed, failed, skipped, len(manifest.Sequence))
}

// runSuiteTest runs one test and returns why it failed.
func runSuiteTest(dir, base string, loader *DocumentLoader, tc suiteTest) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	in, err := os.Open(filepath.Join(dir, filepath.FromSlash(tc.Input)))
	if err != nil {
		return err
	}
	defer in.Close()
	opts := Options{Loader: loader, RDFDirection: tc.Option.RDFDirection, ProcessingMode: tc.Option.ProcessingMode}
	opts.File = tc.Input
	opts.Base = base + tc.Input
	if tc.Option.Base != "" {
		opts.Base = tc.Option.Base
	}
	if tc.Option.ExpandContext != "" {
		opts.ExpandContext, err = iri.Resolve(base, tc.Option.ExpandContext)
		if err != nil {
			return err
		}
	}
	got, derr := decodeAll(NewDecoder(in, opts))
	switch {
	case slices.Contains(tc.Type, "jld:NegativeEvaluationTest"):
		if derr == nil {
			return fmt.Errorf("want error %q, got %d quads", tc.ExpectErrorCode, len(got))
		}
		var e *Error
		if !errors.As(derr, &e) || e.Code != tc.ExpectErrorCode {
			return fmt.Errorf("want error %q, got %v", tc.ExpectErrorCode, derr)
		}
		return nil
	case derr != nil:
		return derr
	case slices.Contains(tc.Type, "jld:PositiveSyntaxTest"):
		return nil
	}
	want, err := readNQuads(filepath.Join(dir, filepath.FromSlash(tc.Expect)))
	if err != nil {
		return fmt.Errorf("expected result: %w", err)
	}
	if !graph.Isomorphic(got, want) {
		return fmt.Errorf("not isomorphic\n got:\n%s\nwant:\n%s", quadsString(got), quadsString(want))
	}
	return nil
}

func decodeAll(d *Decoder) ([]graph.Quad, error) {
	var out []graph.Quad
	for {
		q, err := d.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, q)
	}
}

func quadsString(qs []graph.Quad) string {
	lines := make([]string, len(qs))
	for i, q := range qs {
		lines[i] = q.String()
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// readNQuads reads an expected result with the N-Quads decoder.
func readNQuads(path string) ([]graph.Quad, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return graph.Collect(syntax.Quads(ntriples.NewQuadDecoder(f, syntax.Options{File: path})))
}
