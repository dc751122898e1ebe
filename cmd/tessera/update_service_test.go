package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

// TestUpdateService checks the --allow-service wiring of tessera update: a
// SERVICE in a WHERE to an endpoint off the allow-list fails the whole
// request with a message naming the flag, and one on it is queried and its
// answer inserted.
func TestUpdateService(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/sparql-results+json")
		fmt.Fprint(w, `{"head":{"vars":["d","n"]},"results":{"bindings":[{"d":{"type":"uri","value":"https://ex.org/ds2"},"n":{"type":"literal","value":"42"}}]}}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errOut := tessera(t, "", "load", "--data", data, "--graph", "https://ex.org/graph/p1", writeFile(t, dir, "cat.ttl", sampleTTL)); code != 0 {
		t.Fatalf("load: %s", errOut)
	}
	u := `INSERT DATA { <https://ex.org/x> <https://ex.org/y> 1 } ;
	      INSERT { GRAPH <https://ex.org/graph/counts> { ?d <https://ex.org/remoteCount> ?n } }
	      WHERE { SERVICE <` + srv.URL + `/sparql> { ?d <https://ex.org/count> ?n } }`
	before := export(t, data)
	code, out, errOut := tessera(t, "", "update", "--data", data, "--quiet", u)
	if code != exitError || !strings.Contains(out+errOut, "--allow-service") || !strings.Contains(errOut, "nothing was changed") {
		t.Errorf("without --allow-service: exit %d, output %s%s; want an error naming --allow-service", code, out, errOut)
	}
	if requests.Load() != 0 {
		t.Errorf("the refused endpoint got %d requests", requests.Load())
	}
	if after := export(t, data); after != before {
		t.Errorf("the refused update changed the store:\n%s", after)
	}
	code, out, errOut = tessera(t, "", "update", "--data", data, "--quiet", "--allow-service", srv.URL+"/", u)
	if code != exitOK {
		t.Fatalf("with --allow-service: exit %d, output %s%s", code, out, errOut)
	}
	if requests.Load() != 1 {
		t.Errorf("%d requests, want 1", requests.Load())
	}
	code, out, errOut = tessera(t, "", "query", "--data", data, "--format", "tsv",
		`SELECT ?d ?n WHERE { GRAPH <https://ex.org/graph/counts> { ?d <https://ex.org/remoteCount> ?n } }`)
	if code != exitOK || !strings.Contains(out, "<https://ex.org/ds2>\t\"42\"") {
		t.Errorf("query after the update: exit %d, output %s%s; want ds2 with the remote count", code, out, errOut)
	}
}

// TestServeServiceDescription starts tessera serve with and without
// --allow-service and checks that only the first advertises
// sd:BasicFederatedQuery in its service description.
func TestServeServiceDescription(t *testing.T) {
	const feature = "http://www.w3.org/ns/sparql-service-description#feature"
	const federated = "http://www.w3.org/ns/sparql-service-description#BasicFederatedQuery"
	for _, tt := range []struct {
		name  string
		flags []string
		want  bool
	}{
		{"without --allow-service", nil, false},
		{"with --allow-service", []string{"--allow-service", "https://other.example/"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			features := serveFeatures(t, tt.flags)
			if got := features[federated]; got != tt.want {
				t.Errorf("<%s> <%s> advertised: %v, want %v (features %v)", feature, federated, got, tt.want, features)
			}
			if !features["http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph"] {
				t.Errorf("serve's union default graph (on by default) is not advertised: features %v", features)
			}
		})
	}
}

// serveFeatures runs tessera serve with the extra flags on a free local
// port, reads the sd:feature values of its service description, and stops
// the server.
func serveFeatures(t *testing.T, flags []string) map[string]bool {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr lockedBuffer
	args := append([]string{"serve", "--data", filepath.Join(t.TempDir(), "data"), "--addr", addr}, flags...)
	go func() { done <- run(ctx, args, strings.NewReader(""), io.Discard, &stderr) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop after its context ended")
		}
	}()
	var body []byte
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, _ := http.NewRequest("GET", "http://"+addr+"/sparql", nil)
		req.Header.Set("Accept", "text/turtle")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if err == nil && resp.StatusCode == 200 {
				break
			}
			t.Fatalf("GET /sparql: status %d: %s", resp.StatusCode, body)
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d before answering: %s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not answer in 30 s: %v\n%s", err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	qs, err := graph.Collect(syntax.Quads(turtle.NewDecoder(bytes.NewReader(body), syntax.Options{File: "sd.ttl"})))
	if err != nil {
		t.Fatalf("parse the service description: %v\n%s", err, body)
	}
	features := map[string]bool{}
	for _, q := range qs {
		if q.P.Value() == "http://www.w3.org/ns/sparql-service-description#feature" {
			features[q.O.Value()] = true
		}
	}
	return features
}

// lockedBuffer is a bytes.Buffer safe for a server goroutine to write while
// the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
