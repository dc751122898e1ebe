package testsuite

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
)

// KnownFailures reads a known-failures file: one test IRI per line followed
// by " # reason". Blank lines and lines starting with '#' are comments. A
// line without a reason is an error, so every entry says why it is there.
func KnownFailures(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read known failures: %w", err)
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, ok := strings.Cut(line, " # ")
		id, reason = strings.TrimSpace(id), strings.TrimSpace(reason)
		if !ok || id == "" || reason == "" {
			return nil, fmt.Errorf("%s:%d: want \"<test IRI> # reason\", got %q", path, n, line)
		}
		if _, dup := known[id]; dup {
			return nil, fmt.Errorf("%s:%d: %s is listed twice", path, n, id)
		}
		known[id] = reason
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return known, nil
}

// T is the part of testing.TB a Runner reports through. Taking an interface
// keeps the testing package (and its flags) out of non-test binaries.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
	Skipf(format string, args ...any)
}

// Runner keeps the books of one conformance run against a committed
// known-failures file, so that every suite applies the same rules: a
// failure that is not listed fails the run, a listed test that passes fails
// the run (the list only shrinks), and so does a listed test that the run
// never reaches (a stale entry). It is safe for concurrent use by parallel
// subtests.
type Runner struct {
	// Name prefixes the summary line, for packages that run several suites.
	Name string
	// Scope, when set, limits the runner to the listed IRIs starting with
	// it, for a known-failures file shared by several manifests; the other
	// entries are neither expected to fail nor reported as stale here.
	Scope string

	file  string
	known map[string]string

	mu                                   sync.Mutex
	seen                                 map[string]bool
	passed, failed, knownFailed, skipped int
}

// NewRunner reads the known-failures file at path (see KnownFailures) and
// returns a runner with nothing counted yet; it fails the test if the file
// cannot be read.
func NewRunner(t TB, path string) *Runner {
	t.Helper()
	known, err := KnownFailures(path)
	if err != nil {
		t.Fatal(err)
	}
	return &Runner{file: path, known: known, seen: map[string]bool{}}
}

// Known returns the reason id is listed in the known-failures file, if it
// is and falls within the runner's Scope.
func (r *Runner) Known(id string) (reason string, ok bool) {
	if !strings.HasPrefix(id, r.Scope) {
		return "", false
	}
	reason, ok = r.known[id]
	return reason, ok
}

// Run runs the test id, which fails when run returns an error, and records
// the outcome. A failure not listed in the known-failures file is reported
// with t.Errorf; a listed failure skips t with its reason; a listed test
// that passes is an error. Call it last in a subtest: a known failure ends
// the subtest through t.Skipf.
func (r *Runner) Run(t T, id string, run func() error) {
	t.Helper()
	err := run()
	reason, listed := r.Known(id)
	r.mu.Lock()
	r.seen[id] = true
	switch {
	case err == nil:
		r.passed++
	case listed:
		r.failed++
		r.knownFailed++
	default:
		r.failed++
	}
	r.mu.Unlock()
	switch {
	case err == nil && listed:
		t.Errorf("%s passes but is listed in %s (%s): remove it from the list", id, r.file, reason)
	case listed:
		t.Skipf("known failure %s (%s): %v", id, reason, err)
	case err != nil:
		t.Errorf("%s: %v", id, err)
	}
}

// Skip records the test id as not run, for the reason given, and skips t.
// A listed id that is skipped is not stale. Call it last in a subtest.
func (r *Runner) Skip(t T, id, reason string) {
	t.Helper()
	r.mu.Lock()
	r.seen[id] = true
	r.skipped++
	r.mu.Unlock()
	t.Skipf("%s: %s", id, reason)
}

// Counts returns the tests that passed, failed (known failures included),
// failed as listed, and were skipped so far.
func (r *Runner) Counts() (passed, failed, known, skipped int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.passed, r.failed, r.knownFailed, r.skipped
}

// Report logs "N passed, N failed (N known), N skipped" and fails t for each
// entry of the known-failures file within Scope that no test of the run
// had: such an entry would otherwise hide forever. Call it once, after
// every test has run.
func (r *Runner) Report(t T) {
	t.Helper()
	r.mu.Lock()
	var stale []string
	for id := range r.known {
		if strings.HasPrefix(id, r.Scope) && !r.seen[id] {
			stale = append(stale, id)
		}
	}
	r.mu.Unlock()
	slices.Sort(stale)
	for _, id := range stale {
		t.Errorf("%s lists %s, which no test of this run has: remove it from the list", r.file, id)
	}
	passed, failed, known, skipped := r.Counts()
	prefix := ""
	if r.Name != "" {
		prefix = r.Name + ": "
	}
	t.Logf("%s%d passed, %d failed (%d known), %d skipped", prefix, passed, failed, known, skipped)
}
