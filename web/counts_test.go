package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/graph/memstore"
)

// publicPolicy returns a policy of store that makes every graph public
// (Options.Policy), for tests of exact figures.
func publicPolicy(t *testing.T, store *memstore.Store) func() *access.Policy {
	t.Helper()
	cache := access.NewCache(store, access.Options{Default: access.Public})
	if _, err := cache.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return cache.Current
}

// TestCountsFollowThePolicy checks that every surface reporting counts
// (/stats, the service description, VoID, /metrics, the estimates of
// ?explain) reports the same figures to the same caller: exact for the
// graphs whose records the caller may see, obfuscated (8 → 10) for the
// others, never exact for the controlled graph, and totals that are the
// sums of the reported graph counts, so that subtracting the visible graphs
// from the total gives back no hidden count.
func TestCountsFollowThePolicy(t *testing.T) {
	const (
		pub = "https://example.org/g/pub"
		reg = "https://example.org/g/reg"
		ctl = "https://example.org/g/ctl"
		sys = access.DefaultSystemGraph
	)
	store := recordsStore(t)
	cache := access.NewCache(store, access.Options{})
	if _, err := cache.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	rc := access.NewRecordsCache(cache.Current, isCDMRecord)
	srv := New(store, Options{WriteToken: testToken, UnionDefaultGraph: true, Records: rc.Filter, Policy: cache.Current})
	h := srv.Handler()
	auth := map[string]string{"Authorization": "Bearer " + testToken}

	tests := []struct {
		name   string
		header map[string]string
		graphs map[string]int64 // every graph's reported quads; each provider graph holds 8
		total  int64
	}{
		{"anonymous", nil, map[string]int64{pub: 8, reg: 10, ctl: 10, sys: 3}, 31},
		{"operator", auth, map[string]int64{pub: 8, reg: 8, ctl: 10, sys: 3}, 29},
	}
	for _, tt := range tests {
		t.Run(tt.name+" /stats", func(t *testing.T) {
			rec := do(t, h, req{method: http.MethodGet, target: "/stats", header: tt.header})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			var doc StatsDocument
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(doc.Graphs) != fmt.Sprint(tt.graphs) {
				t.Errorf("graphs = %v, want %v", doc.Graphs, tt.graphs)
			}
			var sum int64
			for _, n := range doc.Graphs {
				sum += n
			}
			if doc.Quads != tt.total || doc.Quads != sum {
				t.Errorf("quads = %d, want %d, the sum of the reported graph counts (%d)", doc.Quads, tt.total, sum)
			}
		})
		t.Run(tt.name+" service description", func(t *testing.T) {
			got, dflt := describedCounts(t, h, "/sparql", tt.header)
			if fmt.Sprint(got) != fmt.Sprint(tt.graphs) {
				t.Errorf("named graph triples = %v, want %v", got, tt.graphs)
			}
			if dflt != tt.total {
				t.Errorf("default (union) graph triples = %d, want %d", dflt, tt.total)
			}
		})
		t.Run(tt.name+" VoID", func(t *testing.T) {
			got, total := voidCounts(t, h, tt.header)
			if fmt.Sprint(got) != fmt.Sprint(tt.graphs) {
				t.Errorf("void:triples per graph = %v, want %v", got, tt.graphs)
			}
			if total != tt.total {
				t.Errorf("void:triples of the store = %d, want %d", total, tt.total)
			}
		})
		t.Run(tt.name+" explain", func(t *testing.T) {
			// ?s cdm:subject ?o has one quad per provider graph: the
			// estimate comes from the predicate's statistics, which mix in
			// the controlled graph, so it is obfuscated for everyone.
			query := `SELECT * WHERE { ?s <` + recordsCDM + `subject> ?o }`
			rec := do(t, h, req{method: http.MethodGet, target: "/sparql?explain=plan&query=" + q(query), header: tt.header})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			var plan struct{ Plan planNode }
			if err := json.Unmarshal(rec.Body.Bytes(), &plan); err != nil {
				t.Fatal(err)
			}
			if got := plan.Plan.estimated("bgp"); got != 10 {
				t.Errorf("estimated rows of the pattern = %v, want 10 (3 obfuscated): %s", got, rec.Body)
			}
		})
	}
	t.Run("metrics", func(t *testing.T) {
		rec := do(t, h, req{method: http.MethodGet, target: "/metrics"})
		if want := "tessera_store_quads 31\n"; !strings.Contains(rec.Body.String(), want) {
			t.Errorf("metrics lack %q (anonymous callers' total)", want)
		}
	})
	t.Run("wrong token", func(t *testing.T) {
		bad := map[string]string{"Authorization": "Bearer not-the-token"}
		for _, target := range []string{"/stats", "/sparql?format=turtle"} {
			if rec := do(t, h, req{method: http.MethodGet, target: target, header: bad}); rec.Code != http.StatusUnauthorized {
				t.Errorf("GET %s with a wrong token = %d, want 401", target, rec.Code)
			}
		}
	})
}

// TestCountsFailClosed checks that a server configured without a policy
// reads it from the store: graphs the system graph does not describe are
// controlled, so their counts are obfuscated.
func TestCountsFailClosed(t *testing.T) {
	store := recordsStore(t)
	h := New(store, Options{}).Handler()
	rec := do(t, h, req{method: http.MethodGet, target: "/stats"})
	var doc StatsDocument
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	want := map[string]int64{"https://example.org/g/pub": 8, "https://example.org/g/reg": 10, "https://example.org/g/ctl": 10, access.DefaultSystemGraph: 3}
	if fmt.Sprint(doc.Graphs) != fmt.Sprint(want) || doc.Quads != 31 {
		t.Errorf("stats = %d %v, want 31 %v", doc.Quads, doc.Graphs, want)
	}
}

// describedCounts returns the void:triples of each named graph of the
// service description at target, and of its default graph.
func describedCounts(t *testing.T, h http.Handler, target string, header map[string]string) (map[string]int64, int64) {
	t.Helper()
	hdr := map[string]string{"Accept": "text/turtle"}
	for k, v := range header {
		hdr[k] = v
	}
	rec := do(t, h, req{method: http.MethodGet, target: target, header: hdr})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	qs, err := parseRDF("text/turtle", rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	objects := func(s graph.Term, p string) []graph.Term {
		var out []graph.Term
		for _, q := range qs {
			if q.S == s && q.P.Value() == p {
				out = append(out, q.O)
			}
		}
		return out
	}
	triples := func(g graph.Term) int64 {
		t.Helper()
		ts := objects(g, nsVoID+"triples")
		if len(ts) != 1 {
			t.Fatalf("%v has %d void:triples", g, len(ts))
		}
		var n int64
		fmt.Sscan(ts[0].Value(), &n)
		return n
	}
	got := map[string]int64{}
	var dflt int64
	for _, q := range qs {
		switch q.P.Value() {
		case nsSD + "namedGraph":
			name, gr := objects(q.O, nsSD+"name"), objects(q.O, nsSD+"graph")
			if len(name) != 1 || len(gr) != 1 {
				t.Fatalf("named graph %v: names %v, graphs %v", q.O, name, gr)
			}
			got[name[0].Value()] = triples(gr[0])
		case nsSD + "defaultGraph":
			dflt = triples(q.O)
		}
	}
	return got, dflt
}

// voidCounts returns the void:triples of each subset of the VoID
// description and of the whole store.
func voidCounts(t *testing.T, h http.Handler, header map[string]string) (map[string]int64, int64) {
	t.Helper()
	hdr := map[string]string{"Accept": "text/turtle"}
	for k, v := range header {
		hdr[k] = v
	}
	rec := do(t, h, req{method: http.MethodGet, target: "/.well-known/void", header: hdr})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	qs, err := parseRDF("text/turtle", rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	subsets := map[graph.Term]bool{}
	for _, q := range qs {
		if q.P.Value() == nsVoID+"subset" {
			subsets[q.O] = true
		}
	}
	got := map[string]int64{}
	var total int64
	for _, q := range qs {
		if q.P.Value() != nsVoID+"triples" {
			continue
		}
		var n int64
		fmt.Sscan(q.O.Value(), &n)
		switch {
		case subsets[q.S]:
			got[q.S.Value()] = n
		case strings.HasSuffix(q.S.Value(), ".well-known/void#tessera"):
			total = n
		}
	}
	return got, total
}

// planNode is a node of an ?explain plan.
type planNode struct {
	Operator  string
	Estimated float64
	Children  []planNode
}

// estimated returns the estimate of the first node with the operator, or -1.
func (n planNode) estimated(operator string) float64 {
	if n.Operator == operator {
		return n.Estimated
	}
	for _, c := range n.Children {
		if e := c.estimated(operator); e >= 0 {
			return e
		}
	}
	return -1
}
