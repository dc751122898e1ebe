package federation_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/sparql/federation"
)

// TestFanOut sends a cohort-count query to six members — two that answer,
// one slow, one answering garbage, one down, one failing with 500 — and
// checks that the answers of the first two are merged, each other member
// is marked with what went wrong, and the slow one costs no more than its
// timeout.
func TestFanOut(t *testing.T) {
	hs := newHosts()
	hs.serve(t, "a.example", &endpoint{st: ttlStore(t, `<http://ex/p1> a <http://ex/Patient> . <http://ex/p2> a <http://ex/Patient> .`)})
	hs.serve(t, "b.example", &endpoint{st: ttlStore(t, `<http://ex/p3> a <http://ex/Patient> .`)})
	hs.serve(t, "slow.example", slowHandler(5*time.Second, &endpoint{st: ttlStore(t, `<http://ex/p9> a <http://ex/Patient> .`)}))
	hs.serve(t, "garbage.example", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/sparql-results+xml")
		fmt.Fprint(w, `<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="n"/></head><results><result><binding name="n"><literal>7`)
	}))
	hs.serve(t, "error.example", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "overloaded", http.StatusServiceUnavailable)
	}))
	c := federation.New(federation.Options{HTTPClient: &http.Client{Transport: hs}, Timeout: 2 * time.Second})
	members := []federation.Member{
		{Name: "a", Endpoint: "http://a.example/sparql"},
		{Name: "slow", Endpoint: "http://slow.example/sparql", Timeout: 200 * time.Millisecond},
		{Name: "garbage", Endpoint: "http://garbage.example/sparql"},
		{Name: "down", Endpoint: "http://down.example/sparql"},
		{Name: "error", Endpoint: "http://error.example/sparql"},
		{Name: "b", Endpoint: "http://b.example/sparql"},
		{Name: "not-http", Endpoint: "ftp://b.example/sparql"},
	}
	start := time.Now()
	ans := c.FanOut(context.Background(), members, `SELECT (COUNT(?p) AS ?n) (SAMPLE(?p) AS ?some) WHERE { ?p a <http://ex/Patient> }`)
	took := time.Since(start)
	if took > time.Second {
		t.Errorf("fan-out took %v: the slow member's 200 ms timeout did not bound it", took)
	}
	want := map[string]federation.Status{
		"a": federation.StatusOK, "b": federation.StatusOK, "slow": federation.StatusTimeout,
		"garbage": federation.StatusGarbage, "down": federation.StatusError, "error": federation.StatusError,
		"not-http": federation.StatusError,
	}
	if len(ans.Members) != len(members) {
		t.Fatalf("%d member results, want %d", len(ans.Members), len(members))
	}
	for i, m := range ans.Members {
		if m.Member.Name != members[i].Name {
			t.Errorf("member %d is %q, want %q (the order given)", i, m.Member.Name, members[i].Name)
		}
		if m.Status != want[m.Member.Name] {
			t.Errorf("member %s: status %s (%v), want %s", m.Member.Name, m.Status, m.Err, want[m.Member.Name])
		}
		if (m.Err == nil) != (m.Status == federation.StatusOK) {
			t.Errorf("member %s: status %s with error %v", m.Member.Name, m.Status, m.Err)
		}
		if m.Status != federation.StatusOK && m.Rows != 0 {
			t.Errorf("member %s failed but contributed %d rows", m.Member.Name, m.Rows)
		}
	}
	if ans.Complete() {
		t.Error("Complete() with failed members")
	}
	if strings.Join(ans.Vars, ",") != "n,some" {
		t.Errorf("Vars = %v, want [n some]", ans.Vars)
	}
	var counts []string
	for _, r := range ans.Rows {
		counts = append(counts, fmt.Sprintf("%s=%s", ans.Members[r.Member].Member.Name, r.Values[0].Value()))
	}
	sort.Strings(counts)
	if strings.Join(counts, " ") != "a=2 b=1" {
		t.Errorf("merged counts %v, want [a=2 b=1]", counts)
	}
}

// TestFanOutCancelled checks that a cancelled fan-out returns promptly
// with every member marked.
func TestFanOutCancelled(t *testing.T) {
	hs := newHosts()
	hs.serve(t, "slow.example", slowHandler(5*time.Second, &endpoint{st: ttlStore(t, `<http://ex/p9> a <http://ex/Patient> .`)}))
	c := federation.New(federation.Options{HTTPClient: &http.Client{Transport: hs}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	ans := c.FanOut(ctx, []federation.Member{{Name: "s1", Endpoint: "http://slow.example/sparql"}, {Name: "s2", Endpoint: "http://slow.example/sparql"}}, `SELECT * { ?s ?p ?o }`)
	if d := time.Since(start); d > time.Second {
		t.Errorf("cancelled fan-out took %v", d)
	}
	for _, m := range ans.Members {
		if m.Status != federation.StatusError || m.Err == nil {
			t.Errorf("member %s: status %s, error %v; want error", m.Member.Name, m.Status, m.Err)
		}
	}
}
