package federation_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/federation"
	"github.com/tessera-fair/tessera/sparql/parser"
	"github.com/tessera-fair/tessera/sparql/results"
)

func ttlStore(t *testing.T, ttl string) graph.Store {
	t.Helper()
	st := memstore.New()
	if _, err := graph.Load(context.Background(), st, syntax.Quads(turtle.NewDecoder(strings.NewReader(ttl), syntax.Options{})), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	return st
}

// request is a SERVICE request for the pattern { ?s ?p ?o }.
func request(endpoint string) *eval.ServiceRequest {
	return &eval.ServiceRequest{
		Endpoint: graph.IRI(endpoint),
		Query:    "SELECT ?s ?o WHERE { ?s ?p ?o }",
		Vars:     []string{"s", "o"},
	}
}

// drain reads a Select answer to the end.
func drain(c *federation.Client, ctx context.Context, req *eval.ServiceRequest) ([][]graph.Term, error) {
	sols, err := c.Select(ctx, req)
	if err != nil {
		return nil, err
	}
	var rows [][]graph.Term
	for sol, err := range sols {
		if err != nil {
			return rows, err
		}
		rows = append(rows, sol)
	}
	return rows, nil
}

const data = `@prefix : <http://ex/> . :a :p "x" . :b :p "y"@en . :c :p 3 . :d :p _:n .`

func TestSelectFormats(t *testing.T) {
	for _, f := range []results.Format{0, results.JSON, results.XML, results.TSV, results.CSV} {
		t.Run(f.String(), func(t *testing.T) {
			hs := newHosts()
			ep := &endpoint{st: ttlStore(t, data), format: f}
			hs.serve(t, "member.example", ep)
			c := federation.New(federation.Options{Allow: []string{"http://member.example/"}, HTTPClient: &http.Client{Transport: hs}})
			rows, err := drain(c, context.Background(), request("http://member.example/sparql"))
			if f == results.CSV {
				if !errors.Is(err, federation.ErrBadResponse) {
					t.Fatalf("CSV answer: error %v, want ErrBadResponse (CSV cannot carry terms)", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{`<http://ex/a> "x"`: true, `<http://ex/b> "y"@en`: true, `<http://ex/c> "3"^^<http://www.w3.org/2001/XMLSchema#integer>`: true}
			blanks := 0
			for _, r := range rows {
				if r[1].IsBlank() {
					blanks++
					continue
				}
				k := r[0].String() + " " + r[1].String()
				if !want[k] {
					t.Errorf("unexpected row %s", k)
				}
				delete(want, k)
			}
			if len(want) > 0 || blanks != 1 {
				t.Errorf("missing rows %v, %d blank nodes (want 1)", want, blanks)
			}
			if !strings.HasPrefix(ep.agent, "Tessera-Federation/") {
				t.Errorf("User-Agent %q", ep.agent)
			}
		})
	}
}

func TestAllowList(t *testing.T) {
	tests := []struct {
		allow    []string
		endpoint string
		ok       bool
	}{
		{nil, "http://a.example/sparql", false},
		{[]string{"http://a.example/"}, "http://a.example/sparql", true},
		{[]string{"http://a.example"}, "http://a.example/sparql", true},
		{[]string{"http://a.example"}, "http://a.example", true},
		{[]string{"http://a.example"}, "http://a.example.evil.org/sparql", false},
		{[]string{"http://a.example"}, "http://a.example:8080/sparql", false},
		{[]string{"http://a.example/x/"}, "http://a.example/y/sparql", false},
		{[]string{"https://"}, "https://any.example/sparql", true},
		{[]string{"https://"}, "http://any.example/sparql", false},
		{[]string{""}, "http://a.example/sparql", false},
		{[]string{"file:"}, "file:///etc/passwd", false},
		{[]string{"http://"}, "http://user:pw@a.example/sparql", false},
		{[]string{"http://"}, "http:///sparql", false},
		{[]string{"urn:"}, "urn:x:y", false},
	}
	for _, tc := range tests {
		c := federation.New(federation.Options{Allow: tc.allow})
		err := c.Allowed(tc.endpoint)
		if (err == nil) != tc.ok {
			t.Errorf("Allow %q: Allowed(%q) = %v, want allowed=%v", tc.allow, tc.endpoint, err, tc.ok)
		}
		if err != nil && !errors.Is(err, eval.ErrServiceDenied) {
			t.Errorf("Allowed(%q) = %v, want it to wrap eval.ErrServiceDenied", tc.endpoint, err)
		}
	}
}

// TestRefused checks that a refused endpoint is never contacted, also
// through a redirect, and that the error says how to allow it.
func TestRefused(t *testing.T) {
	hs := newHosts()
	ep := &endpoint{st: ttlStore(t, data)}
	hs.serve(t, "member.example", ep)
	hs.serve(t, "open.example", http.RedirectHandler("http://member.example/sparql", http.StatusTemporaryRedirect))
	c := federation.New(federation.Options{Allow: []string{"http://open.example/"}, HTTPClient: &http.Client{Transport: hs}})
	_, err := drain(c, context.Background(), request("http://member.example/sparql"))
	if !errors.Is(err, eval.ErrServiceDenied) || !strings.Contains(err.Error(), "--allow-service") {
		t.Errorf("refused endpoint: error %v, want ErrServiceDenied naming --allow-service", err)
	}
	_, err = drain(c, context.Background(), request("http://open.example/sparql"))
	if !errors.Is(err, eval.ErrServiceDenied) {
		t.Errorf("redirect off the allow-list: error %v, want ErrServiceDenied", err)
	}
	if n := ep.requests.Load(); n != 0 {
		t.Errorf("the refused endpoint got %d requests", n)
	}
}

// slowHandler answers after delay, or gives up when the request ends.
func slowHandler(delay time.Duration, inner http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The server notices a closed connection only once the body is read.
		io.Copy(io.Discard, r.Body)
		select {
		case <-time.After(delay):
			inner.ServeHTTP(w, r)
		case <-r.Context().Done():
		}
	})
}

func TestFailures(t *testing.T) {
	hs := newHosts()
	ok := &endpoint{st: ttlStore(t, data)}
	hs.serve(t, "slow.example", slowHandler(5*time.Second, ok))
	hs.serve(t, "status.example", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "the store is\nbroken", http.StatusInternalServerError)
	}))
	hs.serve(t, "garbage.example", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/sparql-results+json")
		fmt.Fprint(w, `{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://ex/a"}},{"s":{"type":"nonsense"`)
	}))
	hs.serve(t, "html.example", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body>Login required</body></html>")
	}))
	hs.serve(t, "ask.example", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/sparql-results+json")
		fmt.Fprint(w, `{"head":{},"boolean":true}`)
	}))
	big := strings.Repeat(`:s :p "0123456789012345678901234567890123456789" .`+"\n", 1)
	var sb strings.Builder
	sb.WriteString("@prefix : <http://ex/> .\n")
	for i := range 200 {
		sb.WriteString(strings.ReplaceAll(big, ":s", fmt.Sprintf(":s%d", i)))
	}
	hs.serve(t, "big.example", &endpoint{st: ttlStore(t, sb.String())})
	c := federation.New(federation.Options{
		Allow:            []string{"http://"},
		HTTPClient:       &http.Client{Transport: hs},
		Timeout:          200 * time.Millisecond,
		MaxResponseBytes: 4 << 10,
	})
	tests := []struct {
		host string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"slow.example", nil, federation.ErrTimeout},
		{"slow.example", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 50*time.Millisecond)
		}, context.DeadlineExceeded},
		{"slow.example", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(50*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
		{"status.example", nil, federation.ErrUnavailable},
		{"down.example", nil, federation.ErrUnavailable},
		{"garbage.example", nil, federation.ErrBadResponse},
		{"html.example", nil, federation.ErrBadResponse},
		{"ask.example", nil, federation.ErrBadResponse},
		{"big.example", nil, federation.ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.host, func(t *testing.T) {
			ctx, cancel := context.Background(), func() {}
			if tc.ctx != nil {
				ctx, cancel = tc.ctx()
			}
			defer cancel()
			start := time.Now()
			_, err := drain(c, ctx, request("http://"+tc.host+"/sparql"))
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if _, ok := syntax.AsError(err); ok {
				t.Errorf("error %v carries a *syntax.Error: a server would report it as the user's syntax error", err)
			}
			if !strings.Contains(err.Error(), tc.host) {
				t.Errorf("error %q does not name the endpoint", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestConcurrencyLimit checks that no more than MaxConcurrent requests are
// in flight at once.
func TestConcurrencyLimit(t *testing.T) {
	hs := newHosts()
	var inFlight, peak atomic.Int64
	ok := &endpoint{st: ttlStore(t, data)}
	hs.serve(t, "member.example", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		ok.ServeHTTP(w, r)
	}))
	c := federation.New(federation.Options{Allow: []string{"http://"}, HTTPClient: &http.Client{Transport: hs}, MaxConcurrent: 2})
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := drain(c, context.Background(), request("http://member.example/sparql"))
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if p := peak.Load(); p > 2 || p < 1 {
		t.Errorf("peak of %d requests in flight, want 1..2", p)
	}
}

// TestBindJoinOverHTTP runs a bind join through the HTTP client: one
// request per batch, and the answer of the same query over the merged
// data.
func TestBindJoinOverHTTP(t *testing.T) {
	var local, remote strings.Builder
	for i := range 250 {
		fmt.Fprintf(&local, "<http://ex/s%d> <http://ex/p> %d .\n", i, i)
		if i%2 == 0 {
			fmt.Fprintf(&remote, "<http://ex/s%d> <http://ex/q> \"r%d\" .\n", i, i)
		}
	}
	hs := newHosts()
	ep := &endpoint{st: ttlStore(t, remote.String())}
	hs.serve(t, "member.example", ep)
	c := federation.New(federation.Options{Allow: []string{"http://member.example/"}, HTTPClient: &http.Client{Transport: hs}, BatchSize: 100})
	q, err := parser.ParseQuery(`SELECT (COUNT(*) AS ?n) (SUM(?o) AS ?sum) { ?s <http://ex/p> ?o SERVICE <http://member.example/sparql> { ?s <http://ex/q> ?x } }`, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := algebra.Translate(q, algebra.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := ttlStore(t, local.String())
	snap, _ := st.Snapshot(context.Background())
	defer snap.Release()
	res, err := eval.Query(context.Background(), snap, a, eval.Options{Service: c})
	if err != nil {
		t.Fatal(err)
	}
	for sol, err := range res.Solutions {
		if err != nil {
			t.Fatal(err)
		}
		// 125 even subjects 0..248: sum 2*(0+...+124) = 15500.
		if sol[0].Value() != "125" || sol[1].Value() != "15500" {
			t.Errorf("COUNT, SUM = %v, %v; want 125, 15500", sol[0], sol[1])
		}
	}
	if n := ep.requests.Load(); n != 3 {
		t.Errorf("%d requests for 250 solutions in batches of 100, want 3", n)
	}
	if last := ep.lastQuery(); !strings.Contains(last, "VALUES (?__tessera_row ?s)") {
		t.Errorf("last request has no numbered VALUES block:\n%s", last)
	}
}
