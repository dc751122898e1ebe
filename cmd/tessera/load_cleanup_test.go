package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dirNames lists the entries of dir, nil when it does not exist.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestFailedFirstLoadRemovesNewStore: a load that fails into a data
// directory holding no store removes what it created (the directory and
// its missing parents, or only the new entries of a directory that
// existed), so stats still says "no store" and a retry starts clean; a
// successful first load keeps its store and the directory's other files.
func TestFailedFirstLoadRemovesNewStore(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "cat.ttl", sampleTTL)
	bad := writeFile(t, dir, "bad.ttl", sampleTTL+"<https://ex.org/s> <https://ex.org/p> \"no end .\n")
	remote := writeFile(t, dir, "remote.jsonld", `{"@context": "https://remote.example/context.jsonld", "@id": "https://ex.org/a", "title": "x"}`)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	// Where the load goes: the data directory, relative to a fresh
	// directory, and what that directory held before.
	setups := []struct {
		name  string
		data  string            // under the setup's directory
		files map[string]string // in the data directory beforehand
		gone  string            // what must not exist after a failure, "" if the data directory stays
	}{
		{"missing", "data", nil, "data"},
		{"missing parents", "a/b/data", nil, "a"},
		{"empty", "data", map[string]string{}, ""},
		{"other files", "data", map[string]string{"notes.txt": "keep me\n"}, ""},
	}
	failures := []struct {
		name     string
		ctx      context.Context
		file     string
		code     int
		contains string
	}{
		{"syntax error", nil, bad, exitError, "bad.ttl:5:"},
		{"remote context", nil, remote, exitError, "https://remote.example/context.jsonld"},
		{"interrupted", cancelled, good, exitError, "context canceled"},
	}
	for _, su := range setups {
		for _, fl := range failures {
			t.Run(su.name+"/"+fl.name, func(t *testing.T) {
				root := t.TempDir()
				data := filepath.Join(root, filepath.FromSlash(su.data))
				var want []string
				if su.files != nil {
					if err := os.Mkdir(data, 0o755); err != nil {
						t.Fatal(err)
					}
					for name, content := range su.files {
						writeFile(t, data, name, content)
						want = append(want, name)
					}
					slices.Sort(want)
				}
				ctx := fl.ctx
				if ctx == nil {
					ctx = context.Background()
				}
				args := []string{"load", "--quiet", "--data", data, fl.file}
				var out, errOut bytes.Buffer
				code := run(ctx, args, strings.NewReader(""), &out, &errOut)
				if code != fl.code || !strings.Contains(errOut.String(), fl.contains) || !strings.Contains(errOut.String(), "the new store in "+data+" was removed") {
					t.Fatalf("tessera %v = exit %d, %q; want exit %d, %q and the new store removed", args, code, errOut.String(), fl.code, fl.contains)
				}
				if su.gone != "" {
					if _, err := os.Lstat(filepath.Join(root, su.gone)); !errors.Is(err, os.ErrNotExist) {
						t.Errorf("%s left behind (%v)", su.gone, err)
					}
				} else if got := dirNames(t, data); !slices.Equal(got, want) {
					t.Errorf("%s holds %v after the failed load, want %v", data, got, want)
				}
				for name, content := range su.files {
					if got, err := os.ReadFile(filepath.Join(data, name)); err != nil || string(got) != content {
						t.Errorf("%s: %q, %v; want %q as before", name, got, err, content)
					}
				}
				if code, _, errOut := tessera(t, "", "stats", "--data", data); code != exitError || !strings.Contains(errOut, "no store at "+data) {
					t.Errorf("stats after the failed load = exit %d, %q; want no store", code, errOut)
				}
				// The retry starts clean, and its store stays.
				if code, _, errOut := tessera(t, "", "load", "--quiet", "--data", data, good); code != exitOK {
					t.Fatalf("retry: exit %d: %s", code, errOut)
				}
				if n := statsOf(t, data)["quads"]; n != float64(7) {
					t.Errorf("after the retry the store holds %v quads, want 7", n)
				}
				for name := range su.files {
					if _, err := os.Stat(filepath.Join(data, name)); err != nil {
						t.Errorf("the successful load removed %s: %v", name, err)
					}
				}
			})
		}
	}
}

// TestFailedLoadKeepsExistingStore: a failed load into a store that was
// there, even an empty one, leaves it as it was.
func TestFailedLoadKeepsExistingStore(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.ttl", "<https://ex.org/s> <https://ex.org/p> \"no end .\n")
	for _, tc := range []struct {
		name  string
		first string // loaded first, creating the store
	}{
		{"with data", writeFile(t, dir, "cat.ttl", sampleTTL)},
		{"empty", writeFile(t, dir, "empty.nt", "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			if code, _, errOut := tessera(t, "", "load", "--quiet", "--data", data, tc.first); code != exitOK {
				t.Fatalf("load: exit %d: %s", code, errOut)
			}
			before := export(t, data)
			code, _, errOut := tessera(t, "", "load", "--quiet", "--data", data, bad)
			if code != exitError || !strings.Contains(errOut, "the store is unchanged") {
				t.Fatalf("failed load = exit %d, %q; want exit 1, the store is unchanged", code, errOut)
			}
			if after := export(t, data); after != before {
				t.Errorf("the failed load changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}
