// Package testsuite finds the shared W3C test suites and data fixtures that
// conformance tests read, and keeps the books of a conformance run against
// the package's committed known-failures file (Runner). CI keeps the suites
// in ../shared beside the clone, read-only; tests never download them.
package testsuite

import (
	"fmt"
	"os"
	"path/filepath"
)

// Dir returns the absolute path of ../shared/testsuites beside the module root
// that contains the working directory.
func Dir() (string, error) { return shared("testsuites") }

// DataDir returns the absolute path of ../shared/data beside the module root.
func DataDir() (string, error) { return shared("data") }

func shared(name string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("testsuite: no go.mod above the working directory")
		}
		dir = parent
	}
	p := filepath.Join(filepath.Dir(dir), "shared", name)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("testsuite: shared/%s not found beside the repository: %w", name, err)
	}
	return p, nil
}

// TB is the part of testing.TB that Must needs.
type TB interface {
	Helper()
	Fatal(args ...any)
}

// Must returns Dir() or fails the test.
func Must(t TB) string {
	t.Helper()
	d, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// MustData returns DataDir() or fails the test.
func MustData(t TB) string {
	t.Helper()
	d, err := DataDir()
	if err != nil {
		t.Fatal(err)
	}
	return d
}
