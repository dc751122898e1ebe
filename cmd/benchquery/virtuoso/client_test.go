package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestQueryForm(t *testing.T) {
	tests := []struct {
		name string
		text string
		want form
	}{
		{"select", "SELECT * WHERE { ?s ?p ?o }", formSelect},
		{"lowercase ask", "ask { ?s ?p ?o }", formAsk},
		{"construct", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", formGraph},
		{"describe", "DESCRIBE <http://example.org/x>", formGraph},
		{"keyword in comment", "# ask the store\nSELECT ?s { ?s ?p ?o }", formSelect},
		{"keyword in prefix", "PREFIX ask: <http://example.org/ask#>\nSELECT ?s { ?s ask:p ?o }", formSelect},
		{"keyword in IRI", "BASE <http://example.org/construct/>\nSELECT ?s { ?s <ask> ?o }", formSelect},
		{"ask with select inside", "PREFIX ex: <http://example.org/>\nASK { { SELECT ?s { ?s ?p ?o } } }", formAsk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := queryForm(tt.text)
			if err != nil || got != tt.want {
				t.Errorf("queryForm(%q) = %v, %v, want %v", tt.text, got, err, tt.want)
			}
		})
	}
	if _, err := queryForm("PREFIX ex: <http://example.org/>\n"); err == nil {
		t.Error("queryForm(prologue only) succeeded, want an error")
	}
}

func TestCountSolutions(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		ask     bool
		want    int64
		wantErr bool
	}{
		{"bindings", `{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"a"}},{"s":{"type":"uri","value":"b"}},{}]}}`, false, 3, false},
		{"results after head with extra members", `{"head":{"link":[],"vars":["s"]},"results":{"distinct":false,"ordered":true,"bindings":[{"s":{"type":"literal","value":"x"}}]}}`, false, 1, false},
		{"no solutions", `{"head":{"vars":["s"]},"results":{"bindings":[]}}`, false, 0, false},
		{"standard ask true", `{"head":{},"boolean":true}`, true, 1, false},
		{"standard ask false", `{"head":{},"boolean":false}`, true, 0, false},
		{"virtuoso ask true", `{"head":{"link":[],"vars":["__ASK_RETVAL"]},"results":{"distinct":false,"ordered":true,"bindings":[{"__ASK_RETVAL":{"type":"typed-literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"1"}}]}}`, true, 1, false},
		{"virtuoso ask false", `{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[{"__ASK_RETVAL":{"type":"typed-literal","value":"0"}}]}}`, true, 0, false},
		{"ask without boolean", `{"head":{"vars":["s"]},"results":{"bindings":[]}}`, true, 0, true},
		{"boolean to select", `{"head":{},"boolean":true}`, false, 0, true},
		{"truncated", `{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"a"}},`, false, 0, true},
		{"not an object", `[1,2]`, false, 0, true},
		{"html error page", `<html>error</html>`, false, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := countSolutions(strings.NewReader(tt.body), tt.ask)
			if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
				t.Errorf("countSolutions(%q, %v) = %d, %v, want %d (error %v)", tt.body, tt.ask, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestCountNTriples(t *testing.T) {
	tests := []struct {
		name string
		body string
		want int64
	}{
		{"virtuoso empty", "# Empty NT\n", 0},
		{"two triples", "<a> <b> <c> .\n<a> <b> \"x\" .\n", 2},
		{"blank lines and comments", "\n# c\n<a> <b> <c> .\n   \n<a> <b> _:x .", 2},
		{"long literal", "<a> <b> \"" + strings.Repeat("x", 200_000) + "\" .\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := countNTriples(strings.NewReader(tt.body))
			if err != nil || got != tt.want {
				t.Errorf("countNTriples(%.40q) = %d, %v, want %d", tt.body, got, err, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	d := func(ms ...int) []time.Duration {
		var out []time.Duration
		for _, m := range ms {
			out = append(out, time.Duration(m)*time.Millisecond)
		}
		return out
	}
	tests := []struct {
		name             string
		lat              []time.Duration
		median, p90, min time.Duration
	}{
		{"one", d(5), 5 * time.Millisecond, 5 * time.Millisecond, 5 * time.Millisecond},
		{"odd, unsorted", d(9, 1, 5), 5 * time.Millisecond, 9 * time.Millisecond, time.Millisecond},
		{"even median is the mean of the middle two", d(4, 1, 2, 3), 2500 * time.Microsecond, 4 * time.Millisecond, time.Millisecond},
		{"twenty runs: p90 is the 18th", d(20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 10500 * time.Microsecond, 18 * time.Millisecond, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := summarize(tt.lat)
			if m.median != tt.median || m.p90 != tt.p90 || m.min != tt.min || m.runs != len(tt.lat) {
				t.Errorf("summarize = median %v p90 %v min %v runs %d, want %v %v %v %d", m.median, m.p90, m.min, m.runs, tt.median, tt.p90, tt.min, len(tt.lat))
			}
		})
	}
}

func TestReadExpected(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "benchquery.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := readExpected(f)
	if err != nil {
		t.Fatalf("readExpected: %v", err)
	}
	want := map[string]int64{"aggregate-study-stats": 12, "ask-dataset-open-licence": 1, "graph-datasets-per-provider": 1, "lookup-dataset-by-id": 0}
	if len(got) != len(want) {
		t.Errorf("readExpected = %v, want %v", got, want)
	}
	for k, v := range want {
		if n, ok := got[k]; !ok || n != v {
			t.Errorf("readExpected[%q] = %d, %v, want %d", k, n, ok, v)
		}
	}
	if _, err := readExpected(strings.NewReader("benchquery: building the store\n")); err == nil {
		t.Error("readExpected(no table) succeeded, want an error")
	}
}

func TestCheck(t *testing.T) {
	want := map[string]int64{"a": 3}
	tests := []struct {
		name string
		rows int64
		want map[string]int64
		out  string
	}{
		{"a", 3, want, "ok"},
		{"a", 4, want, "ROWS DIFFER (go 3)"},
		{"b", 3, want, "no go rows"},
		{"a", 3, nil, ""},
	}
	for _, tt := range tests {
		if got := check(tt.name, tt.rows, tt.want); got != tt.out {
			t.Errorf("check(%q, %d, %v) = %q, want %q", tt.name, tt.rows, tt.want, got, tt.out)
		}
	}
}

// fakeEndpoint answers like Virtuoso 7: SPARQL JSON for SELECT and ASK (ASK
// as an __ASK_RETVAL solution), N-Triples for CONSTRUCT, and HTTP 500 for a
// query containing "BROKEN" (406 for CONSTRUCT without an N-Triples Accept).
// It records the requests' Accept headers.
func fakeEndpoint(t *testing.T, accepts *[]string) *httptest.Server {
	t.Helper()
	var mu sync.Mutex
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			http.Error(w, "want an urlencoded POST", http.StatusBadRequest)
			return
		}
		b, _ := io.ReadAll(r.Body)
		v, err := url.ParseQuery(string(b))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		q := v.Get("query")
		mu.Lock()
		*accepts = append(*accepts, r.Header.Get("Accept"))
		mu.Unlock()
		w.Header().Set("Server", "FakeVirtuoso/7")
		switch {
		case strings.Contains(q, "BROKEN"):
			http.Error(w, "Virtuoso 37000 Error SP030: SPARQL compiler", http.StatusInternalServerError)
		case strings.HasPrefix(q, "ASK"):
			io.WriteString(w, `{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[{"__ASK_RETVAL":{"type":"typed-literal","value":"1"}}]}}`)
		case strings.HasPrefix(q, "CONSTRUCT") && r.Header.Get("Accept") != "application/n-triples":
			http.Error(w, "want N-Triples for CONSTRUCT", http.StatusNotAcceptable)
		case strings.HasPrefix(q, "CONSTRUCT"):
			io.WriteString(w, "<a> <b> <c> .\n<a> <b> <d> .\n<a> <b> <e> .\n")
		default:
			io.WriteString(w, `{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"a"}},{"s":{"type":"uri","value":"b"}}]}}`)
		}
	}))
}

// TestRun drives the whole command against a fake endpoint and compares the
// table, with its latencies masked, with testdata/run.golden.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	queries := map[string]string{
		"a-select.rq":    "# kind: lookup\nPREFIX ex: <http://example.org/>\nSELECT ?s { ?s ex:p ?o }",
		"b-ask.rq":       "ASK { ?s ?p ?o }",
		"c-construct.rq": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
		"d-broken.rq":    "SELECT * { BROKEN }",
		"e-differs.rq":   "SELECT ?s { ?s ?p ?o }",
	}
	for name, text := range queries {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	expect := filepath.Join(dir, "go.txt")
	goTable := "benchquery: 5 queries\nquery  rows  runs  median\na-select  2  1  1ms\nb-ask  1  1  1ms\nc-construct  3  1  1ms\nd-broken  0  1  1ms\ne-differs  7  1  1ms\n"
	if err := os.WriteFile(expect, []byte(goTable), 0o644); err != nil {
		t.Fatal(err)
	}
	var accepts []string
	srv := fakeEndpoint(t, &accepts)
	defer srv.Close()

	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-endpoint", srv.URL, "-queries", dir, "-expect", expect, "-runs", "3", "-warmup", "1"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v (stderr %s)", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "query d-broken: HTTP 500") {
		t.Errorf("stderr = %q, want the broken query's HTTP 500", stderr.String())
	}
	// 1 server probe + 4 working queries × (1 warm-up + 3 runs) + 1 failed warm-up.
	if len(accepts) != 1+4*4+1 {
		t.Errorf("%d requests, want %d", len(accepts), 1+4*4+1)
	}
	for i, a := range accepts {
		if a == "" {
			t.Errorf("request %d has no Accept header", i)
		}
	}
	got := regexp.MustCompile(`\d+\.\d{3}ms`).ReplaceAllString(stdout.String(), "T")
	got = regexp.MustCompile(`load average .*`).ReplaceAllString(got, "load average L")
	got = strings.ReplaceAll(got, srv.URL, "URL")
	// Latencies vary in width, and so does the padding; normalise it.
	got = regexp.MustCompile(` +`).ReplaceAllString(got, " ")
	golden := filepath.Join("testdata", "run.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("run output:\n%s\nwant (%s):\n%s", got, golden, want)
	}
}

func TestRunFlags(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "q.rq"), []byte("SELECT * { ?s ?p ?o }"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Nothing listens on port 1 (tcpmux) of the loopback address.
	tests := [][]string{
		{"-queries", dir, "-runs", "0"},
		{"-queries", dir, "-warmup", "-1"},
		{"-queries", t.TempDir()},
		{"-queries", dir, "-expect", filepath.Join(t.TempDir(), "missing.txt")},
		{"-queries", dir, "-endpoint", "http://127.0.0.1:1/sparql"},
		{"-nosuchflag"},
	}
	for _, args := range tests {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, &stdout, &stderr); err == nil {
			t.Errorf("run(%q) succeeded, want an error", args)
		}
	}
}
