package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tessera runs one command line in-process and returns exit code and output.
func tessera(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const sampleTTL = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://ex.org/ds1> a dcat:Dataset ; dct:title "Lung CT"@en , "TC pulmón"@es .
<https://ex.org/ds2> a dcat:Dataset ; dct:title "Prostate MR" ; dcat:keyword "mri", "prostate" .
`

func statsOf(t *testing.T, data string) map[string]any {
	t.Helper()
	code, out, errOut := tessera(t, "", "stats", "--json", "--data", data)
	if code != 0 {
		t.Fatalf("stats: exit %d: %s", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("stats --json output %q: %v", out, err)
	}
	return m
}

func export(t *testing.T, data string, args ...string) string {
	t.Helper()
	code, out, errOut := tessera(t, "", append([]string{"export", "--data", data}, args...)...)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	return out
}

func TestLoadExportStats(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	ttl := writeFile(t, dir, "cat.ttl", sampleTTL)
	code, _, errOut := tessera(t, "", "load", "--data", data, "--graph", "https://ex.org/graph/p1", "--compact", ttl)
	if code != 0 {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "compacted the store") {
		t.Errorf("load output %q does not report the compaction", errOut)
	}
	nq := "<https://ex.org/a> <https://ex.org/p> \"x\" <https://ex.org/graph/p2> .\n<https://ex.org/a> <https://ex.org/p> \"y\" .\n"
	code, _, errOut = tessera(t, nq, "load", "--data", data, "--format", "application/n-quads", "-")
	if code != 0 {
		t.Fatalf("load stdin: exit %d: %s", code, errOut)
	}
	if strings.Contains(errOut, "compacted") {
		t.Errorf("load without --compact: output %q reports a compaction", errOut)
	}
	st := statsOf(t, data)
	if st["quads"] != float64(9) {
		t.Errorf("stats quads = %v, want 9", st["quads"])
	}
	graphs, _ := st["graphs"].(map[string]any)
	want := map[string]float64{"https://ex.org/graph/p1": 7, "https://ex.org/graph/p2": 1, "default": 1}
	for g, n := range want {
		if graphs[g] != n {
			t.Errorf("stats graphs[%s] = %v, want %v (all: %v)", g, graphs[g], n, graphs)
		}
	}
	out := export(t, data, "--graph", "https://ex.org/graph/p1", "--format", "ntriples")
	if got := strings.Count(out, "\n"); got != 7 {
		t.Errorf("export of p1 has %d lines, want 7:\n%s", got, out)
	}
	if !strings.Contains(out, `"TC pulmón"@es`) {
		t.Errorf("export lost a language-tagged literal:\n%s", out)
	}
	// Every writable format round-trips through load.
	for _, format := range []string{"nquads", "trig", "jsonld"} {
		t.Run(format, func(t *testing.T) {
			file := filepath.Join(dir, "out."+format)
			if code, _, errOut := tessera(t, "", "export", "--data", data, "--format", format, "--output", file); code != 0 {
				t.Fatalf("export: exit %d: %s", code, errOut)
			}
			other := filepath.Join(dir, "copy-"+format)
			if code, _, errOut := tessera(t, "", "load", "--data", other, "--format", format, file); code != 0 {
				t.Fatalf("reload: exit %d: %s", code, errOut)
			}
			if got := statsOf(t, other)["quads"]; got != float64(9) {
				t.Errorf("reloaded %s export has %v quads, want 9", format, got)
			}
		})
	}
	code, out, _ = tessera(t, "", "graphs", "--data", data)
	if code != 0 || !strings.Contains(out, "7\thttps://ex.org/graph/p1") {
		t.Errorf("graphs list = %d %q", code, out)
	}
	if code, _, errOut := tessera(t, "", "graphs", "drop", "--data", data, "https://ex.org/graph/p1"); code != 0 {
		t.Fatalf("graphs drop: exit %d: %s", code, errOut)
	}
	if got := statsOf(t, data)["quads"]; got != float64(2) {
		t.Errorf("after drop: %v quads, want 2", got)
	}
}

func TestUserErrors(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	ttl := writeFile(t, dir, "cat.ttl", sampleTTL)
	bad := writeFile(t, dir, "bad.ttl", "<https://ex.org/a> <https://ex.org/p> \"unterminated .\n")
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		contains string
	}{
		{"no command", nil, "", exitUsage, "Usage"},
		{"unknown command", []string{"frobnicate"}, "", exitUsage, `unknown command "frobnicate"`},
		{"load nothing", []string{"load", "--data", data}, "", exitUsage, "nothing to load"},
		{"unknown format", []string{"load", "--data", data, "--format", "yaml", ttl}, "", exitError, `unknown RDF format "yaml"`},
		{"stdin without format", []string{"load", "--data", data, "-"}, "", exitError, "needs --format"},
		{"missing file", []string{"load", "--data", data, filepath.Join(dir, "nope.ttl")}, "", exitError, "no such file"},
		{"unknown extension", []string{"load", "--data", data, writeFile(t, dir, "x.csv", "a,b")}, "", exitError, "--format"},
		{"relative graph", []string{"load", "--data", data, "--graph", "provider1", ttl}, "", exitUsage, "not an absolute IRI"},
		{"replace without graph", []string{"load", "--data", data, "--replace", ttl}, "", exitUsage, "--replace needs --graph"},
		{"syntax error", []string{"load", "--data", data, bad}, "", exitError, "bad.ttl:1:"},
		{"bad flag", []string{"stats", "--nope"}, "", exitUsage, "flag provided but not defined"},
		{"stats without store", []string{"stats", "--data", filepath.Join(dir, "none")}, "", exitError, "no store at"},
		{"drop missing graph", []string{"graphs", "drop", "--data", data, "https://ex.org/none"}, "", exitError, "does not exist"},
		// graphs drop takes graph names as arguments: errors name the argument, not a --graph flag.
		{"drop relative graph", []string{"graphs", "drop", "--data", data, "notanIRI"}, "", exitUsage, `tessera graphs: graph "notanIRI" is not an absolute IRI`},
		{"drop blank graph", []string{"graphs", "drop", "--data", data, "_:b"}, "", exitUsage, `tessera graphs: graph "_:b": a blank node`},
		{"export unknown format", []string{"export", "--data", data, "--format", "csv"}, "", exitUsage, "unknown RDF format"},
	}
	// A store must exist for the drop test.
	if code, _, errOut := tessera(t, "", "load", "--data", data, ttl); code != 0 {
		t.Fatalf("load: %s", errOut)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := tessera(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.contains) {
				t.Errorf("tessera %v = exit %d, %q; want exit %d and output containing %q", tt.args, code, out+errOut, tt.code, tt.contains)
			}
		})
	}
}

// TestReadCommandsNeedStore: the commands that read a store refuse a
// directory that is not one, missing or holding other files, and leave it as
// it was instead of creating a store in it.
func TestReadCommandsNeedStore(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "x")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, other, "readme.txt", "hi\n")
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "none")
	commands := [][]string{
		{"stats"},
		{"graphs"},
		{"graphs", "drop", "https://ex.org/g"},
		{"export"},
		{"export", "--output", filepath.Join(dir, "out.nq")},
		{"query", "SELECT * WHERE { ?s ?p ?o }"},
	}
	for _, data := range []string{other, empty, missing} {
		for _, cmd := range commands {
			t.Run(filepath.Base(data)+"/"+strings.Join(cmd, " "), func(t *testing.T) {
				args := append([]string{cmd[0], "--data", data}, cmd[1:]...)
				code, _, errOut := tessera(t, "", args...)
				if code != exitError || !strings.Contains(errOut, "no store at "+data) {
					t.Errorf("tessera %v = exit %d, %q; want exit 1, no store at %s", args, code, errOut, data)
				}
			})
		}
	}
	for dir, want := range map[string][]string{other: {"readme.txt"}, empty: nil} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if !slices.Equal(names, want) {
			t.Errorf("%s holds %v after the commands, want %v", dir, names, want)
		}
	}
	for _, p := range []string{missing, filepath.Join(dir, "out.nq")} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was created (%v)", p, err)
		}
	}
}

// bigNTriples writes n valid triples and then, when broken, a syntax error.
func bigNTriples(t *testing.T, path string, n int, broken bool) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<https://ex.org/s%d> <https://ex.org/p%d> \"value %d\" .\n", i, i%13, i)
		if b.Len() > 1<<20 {
			f.WriteString(b.String())
			b.Reset()
		}
	}
	if broken {
		b.WriteString("<https://ex.org/s> <https://ex.org/p> \"no end .\n")
	}
	f.WriteString(b.String())
}

// TestFailedLoadChangesNothing: a syntax error after 300,000 good triples
// leaves the store exactly as before.
func TestFailedLoadChangesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 300,000 triples: run by make test, skipped by the -short race run of make check")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errOut := tessera(t, "", "load", "--data", data, writeFile(t, dir, "cat.ttl", sampleTTL)); code != 0 {
		t.Fatal(errOut)
	}
	before := export(t, data)
	bad := filepath.Join(dir, "big-broken.nt")
	bigNTriples(t, bad, 300_000, true)
	code, _, errOut := tessera(t, "", "load", "--data", data, "--graph", "https://ex.org/g", bad)
	if code != exitError || !strings.Contains(errOut, "big-broken.nt:300001:") || !strings.Contains(errOut, "unchanged") {
		t.Fatalf("broken load: exit %d, %q; want exit 1 naming big-broken.nt:300001", code, errOut)
	}
	if after := export(t, data); after != before {
		t.Errorf("store changed by a failed load: before %d bytes, after %d bytes", len(before), len(after))
	}
}

// TestKilledLoadChangesNothing kills a `tessera load` process while it is
// writing and checks the store is exactly as before, then that a completed
// load survives a kill right after it returned.
func TestKilledLoadChangesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and kills a 2M-triple load: run by make test, skipped by the -short race run of make check")
	}
	if os.Getenv("TESSERA_TEST_CHILD") != "" {
		t.Skip("running as the child process")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errOut := tessera(t, "", "load", "--data", data, writeFile(t, dir, "cat.ttl", sampleTTL)); code != 0 {
		t.Fatal(errOut)
	}
	before := export(t, data)
	big := filepath.Join(dir, "big.nt")
	bigNTriples(t, big, 2_000_000, false)

	cmd := exec.Command(os.Args[0], "-test.run=^TestChildLoad$")
	cmd.Env = append(os.Environ(), "TESSERA_TEST_CHILD=1", "TESSERA_CHILD_ARGS=load\x1f--quiet\x1f--data\x1f"+data+"\x1f"+big)
	var childErr bytes.Buffer
	cmd.Stderr = &childErr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it mid-load: 2M triples take several seconds to parse and
	// write, so after 1.5 s it is writing (the store-level tests in
	// graph/badgerstore kill at precise points of the write protocol).
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if err == nil {
		t.Fatalf("the load finished before it could be killed; make the input bigger (child: %s)", childErr.String())
	}
	if after := export(t, data); after != before {
		t.Errorf("store changed by a killed load: before %d bytes, after %d bytes", len(before), len(after))
	}
	// A later load works, and a completed load is durable even if the
	// process dies right after.
	small := filepath.Join(dir, "small.nt")
	bigNTriples(t, small, 1000, false)
	cmd = exec.Command(os.Args[0], "-test.run=^TestChildLoad$")
	cmd.Env = append(os.Environ(), "TESSERA_TEST_CHILD=1", "TESSERA_CHILD_ARGS=load\x1f--quiet\x1f--data\x1f"+data+"\x1f"+small, "TESSERA_CHILD_HANG=1")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _ := stdout.Read(buf) // the child prints "done" after the load returned, then hangs
	if !strings.Contains(string(buf[:n]), "done") {
		t.Fatalf("child did not report its load: %q", buf[:n])
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if got := statsOf(t, data)["quads"]; got != float64(7+1000) {
		t.Errorf("after a committed load and a kill: %v quads, want %d", got, 7+1000)
	}
}

// TestChildLoad is the child process of TestKilledLoadChangesNothing.
func TestChildLoad(t *testing.T) {
	if os.Getenv("TESSERA_TEST_CHILD") == "" {
		t.Skip("only runs as a child process of TestKilledLoadChangesNothing")
	}
	args := strings.Split(os.Getenv("TESSERA_CHILD_ARGS"), "\x1f")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), args, nil, &out, &errOut); code != 0 {
		t.Fatalf("child load: %s", errOut.String())
	}
	if os.Getenv("TESSERA_CHILD_HANG") != "" {
		fmt.Fprintln(os.Stdout, "done")
		select {} // wait to be killed, store still open
	}
}
