package jsonld

import (
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
	"github.com/tessera-fair/tessera/loaders/testsuite"
)

// suiteBase is the IRI the JSON-LD test suite is published at; files under
// it are served from the local copy (testsuites/README.md).
const suiteBase = "https://w3c.github.io/json-ld-api/tests/"

// suiteDir returns ../shared/testsuites/json-ld-api/tests beside the module
// root, failing the test when it is missing (CI always has it).
func suiteDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(testsuite.Must(t), "json-ld-api", "tests")
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

// suiteManifest is a JSON-LD test suite manifest.
type suiteManifest struct {
	BaseIri  string      `json:"baseIri"`
	Sequence []suiteTest `json:"sequence"`
}

// readManifest reads the manifest file name of the suite in dir.
func readManifest(t *testing.T, dir, name string) suiteManifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var m suiteManifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// TestToRDFSuite runs the W3C JSON-LD 1.1 toRdf suite. The tests for
// JSON-LD 1.0 processors only are listed in testdata/known-failures.txt
// with a reason starting "skip:" and are not run.
func TestToRDFSuite(t *testing.T) {
	dir := suiteDir(t)
	manifest := readManifest(t, dir, "toRdf-manifest.jsonld")
	r := testsuite.NewRunner(t, filepath.Join("testdata", "known-failures.txt"))
	r.Name = "toRdf"
	loader := suiteLoader(t, dir)
	manifestIRI := manifest.BaseIri + "toRdf-manifest"
	for _, tc := range manifest.Sequence {
		id := manifestIRI + tc.ID
		t.Run(tc.ID, func(t *testing.T) {
			reason, listed := r.Known(id)
			skip := listed && strings.HasPrefix(reason, "skip:")
			switch {
			case tc.Option.SpecVersion == "json-ld-1.0":
				if !skip {
					t.Errorf("%s: specVersion json-ld-1.0 test not listed as skip in known-failures.txt", id)
				}
				r.Skip(t, id, reason)
				return
			case skip:
				t.Errorf("%s: listed as skip but is not a json-ld-1.0 test", id)
				r.Skip(t, id, reason)
				return
			}
			r.Run(t, id, func() error {
				if err := runSuiteTest(dir, manifest.BaseIri, loader, tc); err != nil {
					return fmt.Errorf("%s: %w", tc.Name, err)
				}
				return nil
			})
		})
	}
	r.Report(t)
	t.Logf("toRdf: %d tests in the manifest", len(manifest.Sequence))
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
