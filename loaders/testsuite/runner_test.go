package testsuite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fakeT records what a Runner reports instead of failing the real test.
type fakeT struct {
	errors, logs, skips []string
	fatal               string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}
func (f *fakeT) Logf(format string, a ...any)  { f.logs = append(f.logs, fmt.Sprintf(format, a...)) }
func (f *fakeT) Skipf(format string, a ...any) { f.skips = append(f.skips, fmt.Sprintf(format, a...)) }
func (f *fakeT) Fatal(a ...any)                { f.fatal = fmt.Sprint(a...) }

func writeFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "known-failures.txt")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKnownFailures(t *testing.T) {
	tests := []struct {
		name, text string
		want       map[string]string
		wantErr    string
	}{
		{"empty", "", map[string]string{}, ""},
		{"comments", "# header\n\n  # indented comment\n", map[string]string{}, ""},
		{"entries", "http://x/m#a # slow\nhttp://x/m#b  #  not # simple  \n",
			map[string]string{"http://x/m#a": "slow", "http://x/m#b": "not # simple"}, ""},
		{"no reason", "http://x/m#a\n", nil, ":1: want"},
		{"empty reason", "# c\nhttp://x/m#a #  \n", nil, ":2: want"},
		{"hash without spaces", "http://x/m#a#reason\n", nil, ":1: want"},
		{"duplicate", "http://x/m#a # one\nhttp://x/m#a # two\n", nil, ":2: http://x/m#a is listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := KnownFailures(writeFile(t, tt.text))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("KnownFailures(%q) error = %v, want one containing %q", tt.text, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("KnownFailures(%q): %v", tt.text, err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("KnownFailures(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
	if _, err := KnownFailures(filepath.Join(t.TempDir(), "missing.txt")); err == nil {
		t.Error("KnownFailures(missing file) succeeded")
	}
}

func TestNewRunnerFatal(t *testing.T) {
	f := &fakeT{}
	NewRunner(f, writeFile(t, "no reason here\n"))
	if f.fatal == "" {
		t.Error("NewRunner with a malformed file did not fail the test")
	}
}

func TestRunner(t *testing.T) {
	type outcome struct {
		id   string
		err  error
		skip bool
	}
	fail := errors.New("boom")
	tests := []struct {
		name, known, scope string
		runs               []outcome
		summary            string
		errors, skips      int
	}{
		{"all pass", "", "", []outcome{{id: "a"}, {id: "b"}},
			"2 passed, 0 failed (0 known), 0 skipped", 0, 0},
		{"unlisted failure", "", "", []outcome{{id: "a"}, {id: "b", err: fail}},
			"1 passed, 1 failed (0 known), 0 skipped", 1, 0},
		{"known failure", "b # why\n", "", []outcome{{id: "a"}, {id: "b", err: fail}},
			"1 passed, 1 failed (1 known), 0 skipped", 0, 1},
		{"listed test passes", "b # why\n", "", []outcome{{id: "b"}},
			"1 passed, 0 failed (0 known), 0 skipped", 1, 0},
		{"stale entry", "gone # why\n", "", []outcome{{id: "a"}},
			"1 passed, 0 failed (0 known), 0 skipped", 1, 0},
		{"skipped", "", "", []outcome{{id: "a", skip: true}, {id: "b"}},
			"1 passed, 0 failed (0 known), 1 skipped", 0, 1},
		{"listed and skipped is not stale", "a # skip: old\n", "", []outcome{{id: "a", skip: true}},
			"0 passed, 0 failed (0 known), 1 skipped", 0, 1},
		{"out of scope entries ignored", "q:b # why\nq:gone # why\n", "t:", []outcome{{id: "t:a"}, {id: "t:b", err: fail}},
			"1 passed, 1 failed (0 known), 0 skipped", 1, 0},
		{"in scope entries apply", "t:b # why\nq:gone # why\n", "t:", []outcome{{id: "t:a"}, {id: "t:b", err: fail}},
			"1 passed, 1 failed (1 known), 0 skipped", 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeT{}
			r := NewRunner(f, writeFile(t, tt.known))
			r.Name, r.Scope = "suite", tt.scope
			for _, o := range tt.runs {
				if o.skip {
					r.Skip(f, o.id, "not supported")
					continue
				}
				r.Run(f, o.id, func() error { return o.err })
			}
			r.Report(f)
			if want := "suite: " + tt.summary; !slices.Contains(f.logs, want) {
				t.Errorf("logs = %q, want %q", f.logs, want)
			}
			if len(f.errors) != tt.errors || len(f.skips) != tt.skips {
				t.Errorf("errors = %q, skips = %q; want %d errors, %d skips", f.errors, f.skips, tt.errors, tt.skips)
			}
		})
	}
}
