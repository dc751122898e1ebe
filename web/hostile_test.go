package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphtest"
	"github.com/tessera-fair/tessera/graph/memstore"
)

// Hostile queries against the real handler over real HTTP (httptest.Server):
// each must be stopped by the time limit, the row cap or the memory cap with
// the documented answer (a status and a JSON error before streaming starts;
// an unfinished document and the X-Tessera-Error / X-Tessera-Truncated
// trailers after), within a bounded time, and the server must answer an
// ordinary query quickly right after, and while a hostile query runs.

const (
	// hostileNodes is the length of the chain in hostileStore (3 quads a node).
	hostileNodes = 1500
	// hostileTimeout is the server's query time limit in the timeout cases.
	hostileTimeout = 300 * time.Millisecond
	// stopWithin bounds how long a hostile request may take end to end: the
	// limit plus ample slack for a loaded 2-core machine and -race.
	stopWithin = 5 * time.Second
	// quickWithin bounds an ordinary query.
	quickWithin = 2 * time.Second
)

// ordinaryQuery is a selective query that must stay fast.
var ordinaryQuery = `SELECT ?l WHERE { <http://e/n7> <http://e/label> ?l }`

// hostileStore holds a chain of hostileNodes nodes: n_i next n_i+1, a label
// and a type on each (4,500 quads).
func hostileStore(t *testing.T) graph.Store {
	t.Helper()
	store := memstore.New()
	qs := make([]graph.Quad, 0, 3*hostileNodes)
	next, label := graph.IRI("http://e/next"), graph.IRI("http://e/label")
	typ, node := graph.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), graph.IRI("http://e/Node")
	for i := range hostileNodes {
		n := graph.IRI(fmt.Sprintf("http://e/n%d", i))
		qs = append(qs,
			graph.Triple(n, label, graph.Literal(fmt.Sprint(i), graph.XSDInteger)),
			graph.Triple(n, typ, node))
		if i+1 < hostileNodes {
			qs = append(qs, graph.Triple(n, next, graph.IRI(fmt.Sprintf("http://e/n%d", i+1))))
		}
	}
	graphtest.Add(t, store, qs...)
	return store
}

// reply is what a client saw of one request.
type reply struct {
	status  int
	header  http.Header
	trailer http.Header
	body    string
	took    time.Duration
}

// apiError decodes the JSON error body, or reports why it is not one.
func (r reply) apiError() (Error, error) {
	var b struct{ Error *Error }
	if err := json.Unmarshal([]byte(r.body), &b); err != nil || b.Error == nil {
		return Error{}, fmt.Errorf("body %.200q is not a JSON API error", r.body)
	}
	return *b.Error, nil
}

// query runs a SPARQL query by GET and reads the whole response.
func query(t *testing.T, client *http.Client, base, q, accept string) reply {
	t.Helper()
	start := time.Now()
	hr, err := http.NewRequest(http.MethodGet, base+"/sparql?query="+url.QueryEscape(q), nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		hr.Header.Set("Accept", accept)
	}
	resp, err := client.Do(hr)
	if err != nil {
		t.Fatalf("GET %.80s: %v (after %v)", q, err, time.Since(start))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read the answer to %.80s: %v (after %v)", q, err, time.Since(start))
	}
	return reply{status: resp.StatusCode, header: resp.Header, trailer: resp.Trailer, body: string(body), took: time.Since(start)}
}

// newHostileServer serves hostileStore with opts over real HTTP. The client
// gives up after 60 s, so a limit that does not hold fails the test instead
// of hanging it.
func newHostileServer(t *testing.T, store graph.Store, opts Options) (*httptest.Server, *http.Client) {
	t.Helper()
	ts := httptest.NewServer(New(store, opts).Handler())
	t.Cleanup(ts.Close)
	client := ts.Client()
	client.Timeout = 60 * time.Second
	return ts, client
}

// checkOrdinary runs ordinaryQuery and checks it answers one row quickly.
func checkOrdinary(t *testing.T, client *http.Client, base string) time.Duration {
	t.Helper()
	r := query(t, client, base, ordinaryQuery, "")
	if r.status != http.StatusOK {
		t.Fatalf("ordinary query: status %d, body %.300s", r.status, r.body)
	}
	var res struct {
		Results struct{ Bindings []map[string]any }
	}
	if err := json.Unmarshal([]byte(r.body), &res); err != nil || len(res.Results.Bindings) != 1 {
		t.Fatalf("ordinary query: %d rows (%v), want 1: %.300s", len(res.Results.Bindings), err, r.body)
	}
	if r.took > quickWithin {
		t.Errorf("ordinary query took %v, want under %v", r.took, quickWithin)
	}
	return r.took
}

// limit names the documented answer of one limit: its status and error code
// before streaming starts, and the words of the X-Tessera-Error trailer after.
type limit struct {
	status  int
	code    string
	trailer string
}

var (
	byTimeout = limit{http.StatusServiceUnavailable, "timeout", "time limit"}
	byMemory  = limit{http.StatusInsufficientStorage, "memory_limit", "more memory"}
	byRows    = limit{http.StatusRequestEntityTooLarge, "too_many_rows", "row limit"}
)

// checkStopped checks that r is the documented answer of lim: either the
// status with its JSON error (the limit struck within the read-ahead), or a
// 200 whose document was left unfinished with the X-Tessera-Error trailer
// (it struck while streaming). streamed says which of the two must happen
// ("" accepts either: for a time limit it depends on the machine's speed).
// The whole request must have taken less than within.
func checkStopped(t *testing.T, r reply, lim limit, streamed string, within time.Duration) {
	t.Helper()
	switch r.status {
	case lim.status:
		if streamed == "yes" {
			t.Errorf("status %d before streaming, want 200 and a trailer: %.300s", r.status, r.body)
		}
		e, err := r.apiError()
		if err != nil {
			t.Fatal(err)
		}
		if e.Code != lim.code || e.Message == "" {
			t.Errorf("error %+v, want code %q with a message", e, lim.code)
		}
	case http.StatusOK:
		if streamed == "no" {
			t.Errorf("status 200, want %d %s before streaming", lim.status, lim.code)
		}
		if msg := r.trailer.Get(trailerError); !strings.Contains(msg, lim.trailer) {
			t.Errorf("trailer %s = %q, want it to mention %q (trailers %v)", trailerError, msg, lim.trailer, r.trailer)
		}
		if strings.Contains(r.header.Get("Content-Type"), "json") && json.Valid([]byte(r.body)) {
			t.Errorf("a cut JSON result must not be a valid JSON document")
		}
	default:
		t.Errorf("status %d, want %d %s (or 200 with a trailer): %.300s", r.status, lim.status, lim.code, r.body)
	}
	if r.took > within {
		t.Errorf("the query was stopped after %v, want under %v", r.took, within)
	}
}

func TestHostileQueries(t *testing.T) {
	store := hostileStore(t)
	const (
		cross      = `SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }`
		crossCount = `SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }`
		everything = `SELECT * WHERE { ?s ?p ?o }`
		crossOrder = `SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f`
		// Every node reaches every other one both ways: hostileNodes² rows.
		closure      = `SELECT * WHERE { ?x (<http://e/next>|^<http://e/next>)* ?y }`
		closureCount = `SELECT (COUNT(*) AS ?n) WHERE { ?x (<http://e/next>|^<http://e/next>)+ ?y }`
		closureOrder = `SELECT * WHERE { ?x <http://e/next>* ?y } ORDER BY DESC(?y) ?x`
		// A closure over any predicate, nested in a cross product.
		anyClosure = `SELECT (COUNT(*) AS ?n) WHERE { ?x (!<urn:none>)* ?y . ?y (!<urn:none>)* ?z }`
	)
	tests := []struct {
		name     string
		opts     Options
		query    string
		accept   string
		lim      limit
		streamed string // "yes", "no", or "" for either
		rows     int    // with the row cap: the rows the cut document holds
	}{
		{name: "cross product streamed, timeout", opts: Options{QueryTimeout: hostileTimeout}, query: cross, lim: byTimeout},
		{name: "cross product as CSV, timeout", opts: Options{QueryTimeout: hostileTimeout}, query: cross, accept: "text/csv", lim: byTimeout},
		{name: "cross product counted, timeout", opts: Options{QueryTimeout: hostileTimeout}, query: crossCount, lim: byTimeout, streamed: "no"},
		{name: "cross product, row cap", opts: Options{MaxRows: 2000}, query: cross, accept: "text/csv", lim: byRows, streamed: "yes", rows: 2000},
		{name: "everything, small row cap", opts: Options{MaxRows: 100}, query: everything, lim: byRows, streamed: "no"},
		{name: "everything, row cap past the read-ahead", opts: Options{MaxRows: 2000}, query: everything, accept: "text/csv", lim: byRows, streamed: "yes", rows: 2000},
		{name: "ORDER BY over a cross product, memory cap", opts: Options{MaxQueryMemory: 1 << 20, QueryTimeout: time.Minute}, query: crossOrder, lim: byMemory, streamed: "no"},
		{name: "ORDER BY over a cross product, timeout", opts: Options{QueryTimeout: hostileTimeout}, query: crossOrder, lim: byTimeout, streamed: "no"},
		{name: "path closure over everything, timeout", opts: Options{QueryTimeout: hostileTimeout}, query: closure, lim: byTimeout},
		{name: "path closure counted, timeout", opts: Options{QueryTimeout: hostileTimeout}, query: closureCount, lim: byTimeout, streamed: "no"},
		{name: "path closure sorted, memory cap", opts: Options{MaxQueryMemory: 1 << 20, QueryTimeout: time.Minute}, query: closureOrder, lim: byMemory, streamed: "no"},
		{name: "closure over any predicate in a cross product, timeout", opts: Options{QueryTimeout: hostileTimeout}, query: anyClosure, lim: byTimeout, streamed: "no"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, client := newHostileServer(t, store, tt.opts)
			r := query(t, client, ts.URL, tt.query, tt.accept)
			checkStopped(t, r, tt.lim, tt.streamed, stopWithin)
			if tt.lim == byRows && r.status == http.StatusOK {
				if got := r.trailer.Get(trailerTruncated); got != fmt.Sprintf("max-rows=%d", tt.opts.MaxRows) {
					t.Errorf("trailer %s = %q, want max-rows=%d", trailerTruncated, got, tt.opts.MaxRows)
				}
				if lines := strings.Count(r.body, "\n"); lines != tt.rows+1 {
					t.Errorf("%d CSV lines, want a header and %d rows", lines, tt.rows)
				}
			}
			t.Logf("%s: status %d after %v (%d bytes)", tt.name, r.status, r.took.Round(time.Millisecond), len(r.body))
			checkOrdinary(t, client, ts.URL)
		})
	}
}

// TestHostileQueryDoesNotBlockOthers runs ordinary queries while hostile
// ones (one streaming, one counting without output) are still running.
func TestHostileQueryDoesNotBlockOthers(t *testing.T) {
	store := hostileStore(t)
	const hostileLimit = 4 * time.Second
	ts, client := newHostileServer(t, store, Options{QueryTimeout: hostileLimit})
	for _, q := range []string{
		`SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }`,
		`SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }`,
		`SELECT (COUNT(*) AS ?n) WHERE { ?x (<http://e/next>|^<http://e/next>)* ?y . ?y ?p ?o }`,
	} {
		t.Run(q, func(t *testing.T) {
			started := time.Now()
			done := make(chan reply, 1)
			go func() {
				// t.Fatal must not run outside the test goroutine: report by value.
				hr, _ := http.NewRequest(http.MethodGet, ts.URL+"/sparql?query="+url.QueryEscape(q), nil)
				resp, err := client.Do(hr)
				if err != nil {
					done <- reply{status: -1, body: err.Error(), took: time.Since(started)}
					return
				}
				// Keep only an error body: a streamed answer is counted and
				// dropped (TestHostileQueries checks cut documents).
				var body strings.Builder
				if resp.StatusCode == http.StatusOK {
					n, _ := io.Copy(io.Discard, resp.Body)
					fmt.Fprintf(&body, "(%d bytes)", n)
				} else {
					_, _ = io.Copy(&body, resp.Body)
				}
				resp.Body.Close()
				done <- reply{status: resp.StatusCode, header: resp.Header, trailer: resp.Trailer, body: body.String(), took: time.Since(started)}
			}()
			time.Sleep(100 * time.Millisecond) // let the hostile query get going
			for range 3 {
				checkOrdinary(t, client, ts.URL)
			}
			select {
			case r := <-done:
				t.Fatalf("the hostile query ended (status %d after %v) before the ordinary ones were checked: raise hostileLimit", r.status, r.took)
			default:
			}
			t.Logf("3 ordinary queries answered %v into the hostile one", time.Since(started).Round(time.Millisecond))
			select {
			case r := <-done:
				if r.status == -1 {
					t.Fatalf("hostile request: %s", r.body)
				}
				checkStopped(t, r, byTimeout, "", hostileLimit+stopWithin)
				if r.took < hostileLimit-100*time.Millisecond {
					t.Errorf("the hostile query ended after %v, before its limit %v: it did not run alongside", r.took, hostileLimit)
				}
			case <-time.After(hostileLimit + stopWithin):
				t.Fatalf("the hostile query was not stopped within %v", hostileLimit+stopWithin)
			}
		})
	}
}

// TestStalledReaderIsStopped sends a hostile streaming query from a client
// that reads the response headers and then stops reading: the server must
// still give up at its time limit (the query must not hold its snapshot and
// goroutine for as long as the client keeps the connection), and stay
// responsive meanwhile.
func TestStalledReaderIsStopped(t *testing.T) {
	store := hostileStore(t)
	// Long enough for the server to fill the socket buffers and block in a
	// write before the limit strikes.
	const stallLimit = 2 * time.Second
	ts, client := newHostileServer(t, store, Options{QueryTimeout: stallLimit})
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(4096)
	}
	q := url.QueryEscape(`SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }`)
	fmt.Fprintf(conn, "GET /sparql?query=%s HTTP/1.1\r\nHost: test\r\n\r\n", q)
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, " 200 ") {
		t.Fatalf("status line %q, %v", status, err)
	}
	// Now read nothing more: the server's writes fill the socket buffers and block.
	start := time.Now()
	checkOrdinary(t, client, ts.URL)
	ctx, cancel := context.WithTimeout(context.Background(), stallLimit+stopWithin)
	defer cancel()
	want := `tessera_sparql_queries_total{form="select",outcome="timeout"} 1`
	for {
		resp, err := client.Get(ts.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		m, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(m), want) {
			t.Logf("the stalled query was stopped after %v", time.Since(start).Round(time.Millisecond))
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("after %v the query of a client that stopped reading still runs (no %s in /metrics)", time.Since(start), want)
		case <-time.After(50 * time.Millisecond):
		}
	}
	checkOrdinary(t, client, ts.URL)
}
