package update_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/federation"
	"github.com/tessera-fair/tessera/sparql/parser"
	"github.com/tessera-fair/tessera/sparql/update"
	"github.com/tessera-fair/tessera/web"
)

const svcPrefixes = "PREFIX : <http://example.org/>\nPREFIX dct: <http://purl.org/dc/terms/>\n"

// fill adds the Turtle/TriG data (with the prefixes of svcPrefixes) to st.
func fill(t *testing.T, st graph.Store, data string) {
	t.Helper()
	src := "@prefix : <http://example.org/> .\n@prefix dct: <http://purl.org/dc/terms/> .\n" + data
	qs, err := graph.Collect(syntax.Quads(turtle.NewTriGDecoder(strings.NewReader(src), syntax.Options{File: "data.trig"})))
	if err != nil {
		t.Fatalf("read %q: %v", data, err)
	}
	ctx := context.Background()
	if err := st.Update(ctx, func(tx graph.Tx) error {
		for _, q := range qs {
			if err := tx.Add(q.Normalize()); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("fill store: %v", err)
	}
}

// dump returns every quad of st as sorted N-Quads-like lines.
func dump(t *testing.T, st graph.Store) []string {
	t.Helper()
	ctx := context.Background()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	qs, err := graph.Collect(snap.Quads(ctx, graph.Pattern{}))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.String()
	}
	slices.Sort(out)
	return out
}

// remote starts Tessera's own SPARQL endpoint (web.Server) over a memory
// store holding data, and counts the requests it gets.
func remote(t *testing.T, data string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	st := memstore.New()
	fill(t, st, data)
	h := web.New(st, web.Options{}).Handler()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func runUpdate(ctx context.Context, st graph.Store, text string, opts update.Options) error {
	u, err := parser.ParseUpdate(svcPrefixes+text, parser.Options{Base: "http://example.org/req"})
	if err != nil {
		return err
	}
	return update.Execute(ctx, st, u, opts)
}

// TestServiceInWhere runs updates whose WHERE has SERVICE patterns against
// an in-process Tessera endpoint through sparql/federation's client.
func TestServiceInWhere(t *testing.T) {
	ctx := context.Background()
	hub, hubRequests := remote(t, `
		:ds1 dct:title "Prostate MR" ; dct:publisher :p1 .
		:ds2 dct:title "Breast MG" ; dct:publisher :p1 .
		:ds3 :withdrawn true .`)
	other, otherRequests := remote(t, `:ds9 dct:title "Not allowed" .`)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	t.Cleanup(failing.Close)
	client := federation.New(federation.Options{Allow: []string{hub.URL + "/", failing.URL + "/"}})
	local := `:ds3 dct:title "Old" . :ds4 dct:title "Kept" .`

	tests := []struct {
		name  string
		req   string
		svc   eval.ServiceHandler
		want  string // TriG of the local store after the request; "" = unchanged
		err   error  // wanted error (errors.Is); the store must then be unchanged
		calls int64  // requests the allowed endpoint gets
	}{
		{name: "insert remote data",
			req:   `INSERT { GRAPH :mirror { ?d dct:title ?t } } WHERE { SERVICE <` + hub.URL + `/sparql> { ?d dct:title ?t ; dct:publisher :p1 } }`,
			svc:   client,
			want:  local + `:mirror { :ds1 dct:title "Prostate MR" . :ds2 dct:title "Breast MG" }`,
			calls: 1},
		{name: "delete local data the remote marks",
			req:   `DELETE { ?d ?p ?o } WHERE { ?d ?p ?o SERVICE <` + hub.URL + `/sparql> { ?d :withdrawn true } }`,
			svc:   client,
			want:  `:ds4 dct:title "Kept" .`,
			calls: 1},
		{name: "endpoint off the allow-list fails the whole request",
			req: `INSERT DATA { :x :y :z } ;
			      INSERT { ?d dct:title ?t } WHERE { SERVICE <` + other.URL + `/sparql> { ?d dct:title ?t } }`,
			svc: client,
			err: eval.ErrServiceDenied},
		{name: "failing endpoint fails the whole request",
			req: `INSERT DATA { :x :y :z } ;
			      INSERT { :x :y ?t } WHERE { SERVICE <` + failing.URL + `/sparql> { ?d dct:title ?t } }`,
			svc: client,
			err: eval.ErrServiceFailed},
		{name: "SERVICE SILENT to a failing endpoint yields its input",
			req:  `INSERT { :ds4 :checked ?when } WHERE { BIND("now" AS ?when) SERVICE SILENT <` + failing.URL + `/sparql> { ?d dct:title ?t } }`,
			svc:  client,
			want: local + `:ds4 :checked "now" .`},
		{name: "SERVICE SILENT off the allow-list yields its input",
			req:  `INSERT { :ds4 :checked true } WHERE { SERVICE SILENT <` + other.URL + `/sparql> { ?d dct:title ?t } }`,
			svc:  client,
			want: local + `:ds4 :checked true .`},
		{name: "no handler",
			req: `INSERT { ?d dct:title ?t } WHERE { SERVICE <` + hub.URL + `/sparql> { ?d dct:title ?t } }`,
			err: eval.ErrService},
	}
	stores := []struct {
		name string
		open func(t *testing.T) graph.Store
	}{
		{"memstore", func(*testing.T) graph.Store { return memstore.New() }},
		{"badgerstore", func(t *testing.T) graph.Store {
			st, err := badgerstore.Open(t.TempDir(), badgerstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		}},
	}
	for _, s := range stores {
		for _, tt := range tests {
			t.Run(s.name+"/"+tt.name, func(t *testing.T) {
				st := s.open(t)
				fill(t, st, local)
				before := dump(t, st)
				hubBefore, otherBefore := hubRequests.Load(), otherRequests.Load()
				err := runUpdate(ctx, st, tt.req, update.Options{Service: tt.svc})
				after := dump(t, st)
				if tt.err != nil {
					if !errors.Is(err, tt.err) {
						t.Fatalf("Execute(%s) = %v, want %v", tt.req, err, tt.err)
					}
					if !slices.Equal(after, before) {
						t.Errorf("the failed request changed the store:\nbefore %q\nafter  %q", before, after)
					}
				} else {
					if err != nil {
						t.Fatalf("Execute(%s) = %v", tt.req, err)
					}
					want := memstore.New()
					fill(t, want, tt.want)
					if w := dump(t, want); !slices.Equal(after, w) {
						t.Errorf("store after Execute(%s):\n got %q\nwant %q", tt.req, after, w)
					}
				}
				if n := hubRequests.Load() - hubBefore; n != tt.calls {
					t.Errorf("the allowed endpoint got %d requests, want %d", n, tt.calls)
				}
				if n := otherRequests.Load() - otherBefore; n != 0 {
					t.Errorf("the endpoint off the allow-list got %d requests", n)
				}
			})
		}
	}
}
