// Package federation is Tessera's client side of SPARQL federation: the
// SPARQL 1.1 Protocol client behind SERVICE (SPARQL 1.1 Federated Query,
// https://www.w3.org/TR/sparql11-federated-query/), and the hub's fan-out
// of one query to many member endpoints (DESIGN.md §3).
//
// Client implements eval.ServiceHandler: cmd/tessera wires it into
// eval.Options.Service. Each request is a POST of the query text
// (application/sparql-query, SPARQL 1.1 Protocol §2.1.3) asking for SPARQL
// JSON results, with XML and TSV accepted as fallbacks (read by
// sparql/results). The operator controls where it may go:
//
//   - an allow-list of endpoint IRI prefixes (Options.Allow; empty denies
//     every endpoint, so a server never makes requests a query author
//     chose unless told to), checked again on every redirect;
//   - a timeout per request (Options.Timeout) under the query's own
//     deadline, a cap on the bytes of a response (Options.MaxResponseBytes)
//     and on the requests in flight (Options.MaxConcurrent);
//   - a User-Agent naming Tessera.
//
// Errors are classified so that a server can answer precisely: a refused
// endpoint wraps eval.ErrServiceDenied; an endpoint too slow wraps
// ErrTimeout; an answer that is not a SPARQL result, or too large, wraps
// ErrBadResponse or ErrTooLarge; an error status or a failed connection
// wraps ErrUnavailable. A malformed answer is never reported as a
// syntax error of the user's query.
//
// FanOut sends one query to many members concurrently, each with its own
// timeout, and merges the solutions, marking every member ok, timeout,
// error or garbage: a member that is down, slow or answers garbage degrades
// the answer, never the hub.
//
// Not implemented: GET or form-encoded requests (every SPARQL 1.1 endpoint
// accepts the direct POST), authentication to endpoints, caching of
// answers, and pushing filters or LIMIT into the remote query beyond what
// the SERVICE group says.
package federation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/results"
)

// Errors of a request, wrapped with the endpoint and detail (test with
// errors.Is). The evaluator further wraps them in eval.ErrServiceFailed.
var (
	// ErrTimeout reports an endpoint that did not answer within the
	// per-request timeout (the query's own deadline is reported as
	// context.DeadlineExceeded instead).
	ErrTimeout = errors.New("federation: endpoint did not answer in time")
	// ErrTooLarge reports an answer longer than Options.MaxResponseBytes.
	ErrTooLarge = errors.New("federation: answer exceeds the size limit")
	// ErrBadResponse reports an answer that is not a SPARQL result of the
	// expected kind: an unknown content type, malformed JSON/XML/TSV, a
	// boolean where solutions were expected.
	ErrBadResponse = errors.New("federation: answer is not a SPARQL result")
	// ErrUnavailable reports an endpoint that could not be reached or
	// answered with an error status.
	ErrUnavailable = errors.New("federation: endpoint unavailable")
)

// Defaults of Options.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultMaxResponseBytes = 64 << 20
	DefaultMaxConcurrent    = 8
	DefaultUserAgent        = "Tessera-Federation/1 (+https://github.com/tessera-fair/tessera)"
)

// accept asks for SPARQL JSON results, with XML and TSV as fallbacks
// (CSV cannot carry terms).
const accept = "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.8"

// Options configure a Client. The zero value works and denies every
// endpoint.
type Options struct {
	// Allow lists the IRI prefixes of the endpoints SERVICE may query
	// (`--allow-service`). An endpoint is allowed when it starts with a
	// prefix and, unless the prefix ends in '/', '?' or '#', the prefix
	// ends at a boundary ("http://a.example" allows
	// "http://a.example/sparql", not "http://a.example.evil/"). Only http
	// and https endpoints are ever queried. Empty denies all.
	Allow []string
	// HTTPClient sends the requests; nil means a client of its own. Its
	// redirects are checked against Allow (unless it has its own
	// CheckRedirect).
	HTTPClient *http.Client
	// Timeout bounds one request, from sending to the last byte of the
	// answer (default DefaultTimeout); the query's context bounds it too.
	Timeout time.Duration
	// MaxResponseBytes caps the bytes of one answer (default
	// DefaultMaxResponseBytes); a longer answer fails with ErrTooLarge.
	MaxResponseBytes int64
	// MaxConcurrent caps the requests in flight through this client
	// (default DefaultMaxConcurrent); further requests wait their turn
	// within their deadline.
	MaxConcurrent int
	// BatchSize is the number of left-hand solutions sent per bind-join
	// request (default eval.DefaultServiceBatch).
	BatchSize int
	// UserAgent is sent with every request (default DefaultUserAgent).
	UserAgent string
	// Logger receives a debug line per failed request; nil discards.
	Logger *slog.Logger
}

// Client is the HTTP ServiceHandler and fan-out client. It is safe for
// concurrent use; create it once with New and share it.
type Client struct {
	opts Options
	http *http.Client
	sem  chan struct{}
	log  *slog.Logger
}

var (
	_ eval.ServiceHandler = (*Client)(nil)
	_ eval.ServiceBatcher = (*Client)(nil)
)

// New returns a client configured by opts (defaults filled in).
func New(opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = DefaultMaxConcurrent
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = eval.DefaultServiceBatch
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	c := &Client{opts: opts, sem: make(chan struct{}, opts.MaxConcurrent), log: opts.Logger}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	hc := http.Client{}
	if opts.HTTPClient != nil {
		hc = *opts.HTTPClient
	}
	if hc.CheckRedirect == nil {
		hc.CheckRedirect = func(r *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("stopped after 5 redirects")
			}
			return c.Allowed(r.URL.String())
		}
	}
	c.http = &hc
	return c
}

// ServiceBatchSize returns Options.BatchSize (eval.ServiceBatcher).
func (c *Client) ServiceBatchSize() int { return c.opts.BatchSize }

// Allowed reports, as nil, that the operator allows queries to endpoint,
// or why not (wrapping eval.ErrServiceDenied).
func (c *Client) Allowed(endpoint string) error {
	if err := checkHTTP(endpoint); err != nil {
		return fmt.Errorf("federation: endpoint <%s>: %w: %w", endpoint, err, eval.ErrServiceDenied)
	}
	for _, p := range c.opts.Allow {
		if allows(p, endpoint) {
			return nil
		}
	}
	if len(c.opts.Allow) == 0 {
		return fmt.Errorf("federation: endpoint <%s>: %w (no endpoint is allowed: the operator can allow it with --allow-service)", endpoint, eval.ErrServiceDenied)
	}
	return fmt.Errorf("federation: endpoint <%s>: %w (not under any --allow-service prefix)", endpoint, eval.ErrServiceDenied)
}

// allows reports whether prefix p admits endpoint (see Options.Allow).
func allows(p, endpoint string) bool {
	rest, ok := strings.CutPrefix(endpoint, p)
	if !ok || p == "" {
		return false
	}
	if rest == "" || strings.HasSuffix(p, "/") || strings.HasSuffix(p, "?") || strings.HasSuffix(p, "#") {
		return true
	}
	return strings.ContainsRune("/?#", rune(rest[0]))
}

// checkHTTP accepts absolute http and https URLs with a host and without
// user information.
func checkHTTP(endpoint string) error {
	u, err := url.Parse(endpoint)
	switch {
	case err != nil:
		return errors.New("not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New("only http and https endpoints can be queried")
	case u.Host == "":
		return errors.New("no host")
	case u.User != nil:
		return errors.New("user information in an endpoint IRI is not accepted")
	}
	return nil
}

// Select sends req.Query to req.Endpoint (eval.ServiceHandler). The rows
// follow req.Vars; variables of the answer that req.Vars does not name are
// dropped.
func (c *Client) Select(ctx context.Context, req *eval.ServiceRequest) (iter.Seq2[[]graph.Term, error], error) {
	endpoint := req.Endpoint.Value()
	if !req.Endpoint.IsIRI() {
		return nil, fmt.Errorf("federation: endpoint %v is not an IRI: %w", req.Endpoint, eval.ErrServiceDenied)
	}
	if err := c.Allowed(endpoint); err != nil {
		return nil, err
	}
	a, err := c.send(ctx, endpoint, req.Query, c.opts.Timeout)
	if err != nil {
		c.log.Debug("SERVICE request failed", "endpoint", endpoint, "silent", req.Silent, "error", err)
		return nil, err
	}
	cols := columns(a.set.Vars, req.Vars)
	return func(yield func([]graph.Term, error) bool) {
		defer a.close()
		for sol, err := range a.set.Solutions {
			if err != nil {
				err = a.classify(err)
				c.log.Debug("SERVICE answer failed", "endpoint", endpoint, "silent", req.Silent, "error", err)
				yield(nil, err)
				return
			}
			row := make([]graph.Term, len(req.Vars))
			for i, j := range cols {
				if j >= 0 && i < len(sol) {
					row[j] = sol[i]
				}
			}
			if !yield(row, nil) {
				return
			}
		}
	}, nil
}

// columns maps each column of an answer to its place in want, or -1.
func columns(got, want []string) []int {
	at := make(map[string]int, len(want))
	for i, v := range want {
		at[v] = i
	}
	cols := make([]int, len(got))
	for i, v := range got {
		j, ok := at[v]
		if !ok {
			j = -1
		}
		cols[i] = j
	}
	return cols
}

// answer is an open response: the result set read from its body, and what
// must be released when it has been read.
type answer struct {
	set      results.Set
	endpoint string
	parent   context.Context
	ctx      context.Context
	timeout  time.Duration
	release  func()
}

func (a *answer) close() { a.release() }

// classify words an error met while sending or reading as one of the
// package's errors (or the caller's own context error).
func (a *answer) classify(err error) error {
	return classify(a.parent, a.ctx, a.endpoint, a.timeout, err)
}

func classify(parent, ctx context.Context, endpoint string, timeout time.Duration, err error) error {
	switch {
	case parent.Err() != nil:
		return fmt.Errorf("federation: <%s>: %w", endpoint, parent.Err())
	case ctx.Err() != nil:
		return fmt.Errorf("<%s>: %w (%s)", endpoint, ErrTimeout, timeout)
	case errors.Is(err, ErrTooLarge):
		return fmt.Errorf("<%s>: %w", endpoint, err)
	case errors.Is(err, ErrBadResponse), errors.Is(err, ErrUnavailable), errors.Is(err, ErrTimeout):
		return err
	}
	if se, ok := syntax.AsError(err); ok {
		// %v, not %w: the answer's syntax error is not the query's.
		return fmt.Errorf("<%s>: %w: line %d, column %d: %s", endpoint, ErrBadResponse, se.Line, se.Column, se.Msg)
	}
	return fmt.Errorf("<%s>: %w: %v", endpoint, ErrUnavailable, err)
}

// send posts query to endpoint and returns the answer once its head has
// been read. The request holds one of the client's concurrency slots and
// its own deadline (timeout, under ctx) until the answer is closed.
func (c *Client) send(parent context.Context, endpoint, query string, timeout time.Duration) (*answer, error) {
	ctx, cancel := context.WithTimeout(parent, timeout)
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		cancel()
		return nil, classify(parent, ctx, endpoint, timeout, ctx.Err())
	}
	released := false
	release := func() {
		if !released {
			released = true
			cancel()
			<-c.sem
		}
	}
	// Errors are classified before release cancels ctx, which would make
	// every failure look like a timeout.
	fail := func(err error) (*answer, error) {
		err = classify(parent, ctx, endpoint, timeout, err)
		release()
		return nil, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(query))
	if err != nil {
		return fail(fmt.Errorf("%w: %v", ErrUnavailable, err))
	}
	hr.Header.Set("Content-Type", "application/sparql-query; charset=utf-8")
	hr.Header.Set("Accept", accept)
	hr.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := c.http.Do(hr)
	if err != nil {
		if errors.Is(err, eval.ErrServiceDenied) { // a redirect off the allow-list
			release()
			return nil, fmt.Errorf("federation: <%s> redirected: %w", endpoint, err)
		}
		return fail(err)
	}
	body := &limitedBody{r: resp.Body, left: c.opts.MaxResponseBytes, limit: c.opts.MaxResponseBytes}
	closeBody := func() {
		resp.Body.Close()
		release()
	}
	if resp.StatusCode/100 != 2 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		msg := strings.Join(strings.Fields(string(snippet)), " ")
		err := classify(parent, ctx, endpoint, timeout, fmt.Errorf("<%s>: %w: HTTP %s: %s", endpoint, ErrUnavailable, resp.Status, msg))
		closeBody()
		return nil, err
	}
	set, err := decode(body, resp.Header.Get("Content-Type"), endpoint)
	if err != nil {
		err = classify(parent, ctx, endpoint, timeout, err)
		closeBody()
		return nil, err
	}
	return &answer{set: set, endpoint: endpoint, parent: parent, ctx: ctx, timeout: timeout, release: closeBody}, nil
}

// decode reads the head of a SELECT answer whose media type is
// contentType, sniffing the format from the first byte when the type is
// missing or not a result format.
func decode(body io.Reader, contentType, endpoint string) (results.Set, error) {
	f, ok := results.FormatForMediaType(contentType)
	if !ok || f == results.CSV {
		var first [1]byte
		n, err := io.ReadFull(body, first[:])
		if n == 0 {
			if err == nil || err == io.EOF || err == io.ErrUnexpectedEOF {
				return results.Set{}, fmt.Errorf("<%s>: %w: empty answer (content type %q)", endpoint, ErrBadResponse, contentType)
			}
			return results.Set{}, err
		}
		switch first[0] {
		case '{':
			f = results.JSON
		case '<':
			f = results.XML
		case '?', '$':
			f = results.TSV
		default:
			return results.Set{}, fmt.Errorf("<%s>: %w: content type %q", endpoint, ErrBadResponse, contentType)
		}
		body = io.MultiReader(strings.NewReader(string(first[:])), body)
	}
	set, err := results.Read(body, f, syntax.Options{File: endpoint})
	if err != nil {
		return results.Set{}, err
	}
	if set.IsBoolean {
		return results.Set{}, fmt.Errorf("<%s>: %w: a boolean (ASK) answer where solutions were expected", endpoint, ErrBadResponse)
	}
	return set, nil
}

// limitedBody reads at most left bytes, then fails with ErrTooLarge
// rather than ending quietly: a truncated answer must not pass for a
// complete one.
type limitedBody struct {
	r           io.Reader
	left, limit int64
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells a body of exactly the limit from a longer one.
		var b [1]byte
		n, err := l.r.Read(b[:])
		if n > 0 {
			return 0, fmt.Errorf("%w (%d bytes)", ErrTooLarge, l.limit)
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
