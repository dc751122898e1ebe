package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestQueryService checks the --allow-service wiring of tessera query: a
// SERVICE to an endpoint off the allow-list is refused with a message
// naming the flag, and one on it is queried with the query's bindings.
func TestQueryService(t *testing.T) {
	var requests atomic.Int64
	var last atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		b, _ := io.ReadAll(r.Body)
		last.Store(string(b))
		w.Header().Set("Content-Type", "application/sparql-results+json")
		fmt.Fprint(w, `{"head":{"vars":["t","n"]},"results":{"bindings":[{"t":{"type":"literal","value":"Prostate MR"},"n":{"type":"literal","value":"remote count 42"}}]}}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errOut := tessera(t, "", "load", "--data", data, "--graph", "https://ex.org/graph/p1", writeFile(t, dir, "cat.ttl", sampleTTL)); code != 0 {
		t.Fatalf("load: %s", errOut)
	}
	q := `SELECT ?t ?n WHERE { <https://ex.org/ds2> <http://purl.org/dc/terms/title> ?t SERVICE <` + srv.URL + `/sparql> { ?x <http://ex/title> ?t ; <http://ex/n> ?n } }`
	code, out, errOut := tessera(t, "", "query", "--data", data, q)
	if code != exitError || !strings.Contains(out+errOut, "--allow-service") {
		t.Errorf("without --allow-service: exit %d, output %s%s; want an error naming --allow-service", code, out, errOut)
	}
	if requests.Load() != 0 {
		t.Errorf("the refused endpoint got %d requests", requests.Load())
	}
	code, out, errOut = tessera(t, "", "query", "--data", data, "--allow-service", srv.URL+"/", q)
	if code != exitOK || !strings.Contains(out, "remote count 42") {
		t.Errorf("with --allow-service: exit %d, output %s%s; want the remote row", code, out, errOut)
	}
	if requests.Load() != 1 {
		t.Errorf("%d requests, want 1", requests.Load())
	}
	if s, _ := last.Load().(string); !strings.Contains(s, `VALUES`) || !strings.Contains(s, `"Prostate MR"`) {
		t.Errorf("the request does not carry the local titles as bindings:\n%s", s)
	}
}
