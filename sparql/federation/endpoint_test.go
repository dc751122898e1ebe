package federation_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/parser"
	"github.com/tessera-fair/tessera/sparql/results"
)

// endpoint is a minimal SPARQL 1.1 Protocol endpoint over a store for the
// tests: POST application/sparql-query (or a form's query=), answered in
// the first format the Accept header lists that it can write. It
// evaluates SERVICE with svc, so that endpoints can federate in turn. It
// counts its requests and keeps the last query text.
type endpoint struct {
	st  graph.Store
	svc eval.ServiceHandler
	// format, when set, overrides content negotiation.
	format results.Format

	requests atomic.Int64
	mu       sync.Mutex
	last     string
	agent    string
}

func (ep *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ep.requests.Add(1)
	var text string
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/sparql-query") {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		text = string(b)
	} else {
		text = r.FormValue("query")
	}
	ep.mu.Lock()
	ep.last, ep.agent = text, r.Header.Get("User-Agent")
	ep.mu.Unlock()
	set, err := ep.run(r.Context(), text)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f := ep.format
	if f == 0 {
		var ok bool
		if f, ok = results.Negotiate(r.Header.Get("Accept")); !ok {
			http.Error(w, "not acceptable", http.StatusNotAcceptable)
			return
		}
	}
	w.Header().Set("Content-Type", f.ContentType())
	if err := results.Write(r.Context(), w, f, set); err != nil {
		// The document is left unfinished: the client sees malformed
		// results, as it would from a real endpoint failing midway.
		return
	}
}

func (ep *endpoint) run(ctx context.Context, text string) (results.Set, error) {
	q, err := parser.ParseQuery(text, parser.Options{})
	if err != nil {
		return results.Set{}, err
	}
	a, err := algebra.Translate(q, algebra.Options{})
	if err != nil {
		return results.Set{}, err
	}
	snap, err := ep.st.Snapshot(ctx)
	if err != nil {
		return results.Set{}, err
	}
	res, err := eval.Query(ctx, snap, a, eval.Options{Service: ep.svc})
	if err != nil {
		snap.Release()
		return results.Set{}, err
	}
	if a.Form == algebra.Ask {
		snap.Release()
		return results.Ask(res.Boolean), nil
	}
	if a.Form != algebra.Select {
		snap.Release()
		return results.Set{}, errors.New("only SELECT and ASK")
	}
	return results.Select(res.Vars, func(yield func(results.Solution, error) bool) {
		defer snap.Release()
		for sol, err := range res.Solutions {
			if !yield(sol, err) || err != nil {
				return
			}
		}
	}), nil
}

func (ep *endpoint) lastQuery() string {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	return ep.last
}

// hosts is an http.RoundTripper that sends requests for the IRIs of test
// endpoints (http://example.org/sparql) to local test servers by host;
// any other host fails as a DNS lookup would.
type hosts struct {
	mu sync.Mutex
	m  map[string]*url.URL
	rt http.RoundTripper
}

func newHosts() *hosts { return &hosts{m: map[string]*url.URL{}, rt: http.DefaultTransport} }

// serve starts a test server for h and maps host to it.
func (hs *hosts) serve(t *testing.T, host string, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	hs.mu.Lock()
	hs.m[host] = u
	hs.mu.Unlock()
	return srv
}

// serveBench is serve for benchmarks: the caller closes the server.
func (hs *hosts) serveBench(host string, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	u, _ := url.Parse(srv.URL)
	hs.mu.Lock()
	hs.m[host] = u
	hs.mu.Unlock()
	return srv
}

func (hs *hosts) RoundTrip(r *http.Request) (*http.Response, error) {
	hs.mu.Lock()
	u, ok := hs.m[r.URL.Host]
	hs.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("dial tcp: lookup %s: no such host", r.URL.Host)
	}
	r2 := r.Clone(r.Context())
	r2.URL.Scheme, r2.URL.Host = u.Scheme, u.Host
	return hs.rt.RoundTrip(r2)
}
