// Package web holds Tessera's HTTP surfaces and what they share: routing,
// the JSON error format, limits, write authorisation and metrics.
//
// Implemented: the SPARQL 1.1 Protocol at /sparql (queries by GET and POST,
// form-encoded or direct; updates by POST; protocol datasets; content
// negotiation of result and RDF formats; streamed responses; a SPARQL 1.1
// Service Description in RDF on a bare GET), the SPARQL 1.1 Graph Store HTTP
// Protocol at /store (indirect ?graph= / ?default and direct /store/...
// identification; GET, HEAD, PUT, POST including multipart and graph
// creation, DELETE), GraphQL over HTTP at /graphql with the bundled GraphiQL
// playground (graphql.go, web/playground), Prometheus metrics at /metrics,
// /healthz and /stats.
// A browser's GET /sparql (Accept preferring text/html) gets the SPARQL
// editor (web/editor); /openapi.json describes the HTTP APIs and /openapi
// shows that description (web/openapi); see ui.go. GET / is the discovery
// portal (web/portal); /fdp the FAIR Data Point, /.well-known/void the VoID
// description, and every other path under the configured base dereferences
// as Linked Data (web/fdp).
//
// Updates run through sparql/update (LOAD only from the operator's
// allow-list); ?explain=true answers a query with its analysed plan
// (eval.Explain) as JSON, ?explain=plan without running it.
//
// Limits: a per-query timeout the client may lower (?timeout=), cancellation
// when the client goes away, a cap on result rows, a cap on the memory of a
// query's hash tables and sorts, caps on request bodies, and panics
// recovered into 500 JSON errors. Errors found before the response starts
// (the first 1024 rows are read ahead) get a status and a JSON body: 503 for
// a timeout, 413 for the row cap, 507 for the memory cap. After streaming
// has started the status line is gone: the document is left unfinished (so
// no parser takes it for complete) and the X-Tessera-Error and
// X-Tessera-Truncated trailers say why.
//
// Writes need the operator's bearer token, compared in constant time; with
// no token configured writes are refused unless anonymous writes are
// explicitly allowed.
//
// Per-graph access levels (graph/access) govern every read: GraphQL, the FAIR
// Data Point and Linked Data, and SPARQL queries and Graph Store reads, which
// run over a view hiding the record-level resources (patients, studies) of
// graphs whose records the caller may not see (Options.Records). Counts
// (/stats, the service description, /metrics, ?explain estimates) go
// through access.Policy.Stats, as VoID's do (counts.go). Not implemented
// yet: the HTML service description.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/web/fdp"
	"github.com/tessera-fair/tessera/web/portal"
)

// Options configure the server; the zero value works (and refuses writes).
type Options struct {
	// Logger receives request and lifecycle logs; nil discards them.
	Logger *slog.Logger
	// ShutdownTimeout bounds the graceful shutdown (default 10 s).
	ShutdownTimeout time.Duration

	// UnionDefaultGraph makes the default graph of queries that name no
	// dataset the merge of the store's default graph and every named
	// graph (`tessera serve` turns it on).
	UnionDefaultGraph bool
	// WriteToken is the operator's bearer token for updates and Graph
	// Store writes. Empty refuses every write unless AllowAnonymousWrites.
	WriteToken string
	// AllowAnonymousWrites accepts writes without a token when WriteToken
	// is empty (for a local sandbox only).
	AllowAnonymousWrites bool
	// QueryTimeout bounds each query and update (default 30 s); a client
	// may ask for less with the timeout parameter, never for more.
	QueryTimeout time.Duration
	// MaxRows caps the rows (or triples) of one query response; 0 means
	// no cap.
	MaxRows int64
	// MaxQueryBytes caps the body of a /sparql request (default 1 MiB).
	MaxQueryBytes int64
	// MaxUploadBytes caps the body of a Graph Store write (default 1 GiB).
	MaxUploadBytes int64
	// AllowLoad lists the IRI prefixes SPARQL LOAD may fetch from; empty
	// forbids LOAD.
	AllowLoad []string
	// HTTPClient fetches the documents of LOAD; nil means a client with a
	// 60 s timeout.
	HTTPClient *http.Client
	// MaxQueryMemory bounds what one query holds in hash tables, sorts and
	// caches (eval.Options.MaxMemory); 0 means no limit.
	MaxQueryMemory int64
	// PublicURL is the server's external base URL ("https://tessera.example"),
	// used for the service description, the base IRI of requests and the
	// IRIs of graphs created by POST /store. Empty means http://<Host>.
	PublicURL string
	// Hierarchy, when set, returns the ontology snapshot that queries use
	// for fast rdfs:subClassOf* / skos:broader* paths (eval.Options.Hierarchy),
	// or nil when none is current.
	Hierarchy func() eval.Hierarchy
	// Entailment, when set, returns the RDFS schema of queries that ask
	// for the RDFS entailment regime (entailment=rdfs;
	// eval.Options.Entailment). Nil, or a nil result, refuses them.
	Entailment func() eval.Entailment
	// Service evaluates SERVICE patterns (sparql/federation's client,
	// with the operator's allow-list); nil answers them with 501.
	Service eval.ServiceHandler
	// FederatedQuery says Service may query some endpoint (the operator's
	// --allow-service is not empty): only then does the service
	// description advertise sd:BasicFederatedQuery.
	FederatedQuery bool
	// OnWrite, when set, is called after every committed write with the
	// graph it touched, or the zero Term when a request may have touched
	// several (SPARQL Update), so caches can be invalidated.
	OnWrite func(g graph.Term)
	// Records, when set, returns the view of r a query (or a Graph Store
	// read) may use: r without the record-level resources the caller may
	// not see (graph/access.RecordsCache.Filter, DESIGN.md §1). Registered
	// is true when the request carries the operator token. Nil reads
	// everything. Updates never pass through it: they need the operator
	// token and act on the whole store (README, "Access levels govern
	// reads").
	Records func(ctx context.Context, r graph.Reader, registered bool) (graph.Reader, error)
	// Registry receives the server's Prometheus metrics and is served at
	// /metrics; nil means a fresh registry (no global state).
	Registry *prometheus.Registry
	// GraphQL executes the requests of /graphql (schema.Service); nil
	// answers them with 503 (the playground is still served).
	GraphQL GraphQL
	// Policy returns the current access policy (an access.Cache's
	// Current): it decides which counts /stats, the service description,
	// /metrics and query plans obfuscate (access.Policy.Stats), and is
	// FDP.Policy unless that is set. Nil reads the policy from the store
	// when needed (never "no policy": graphs the system graph does not
	// describe are controlled).
	Policy func() *access.Policy
	// FDP configures the FAIR Data Point, Linked Data and VoID surfaces
	// (web/fdp); the zero value serves the demo's IRIs.
	FDP fdp.Options
}

// Server serves one store over HTTP.
type Server struct {
	store   graph.Store
	opts    Options
	log     *slog.Logger
	echo    *echo.Echo
	metrics *metrics
	ui      ui
}

// New returns a server for store.
func New(store graph.Store, opts Options) *Server {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 10 * time.Second
	}
	if opts.QueryTimeout <= 0 {
		opts.QueryTimeout = 30 * time.Second
	}
	if opts.MaxQueryBytes <= 0 {
		opts.MaxQueryBytes = 1 << 20
	}
	if opts.MaxUploadBytes <= 0 {
		opts.MaxUploadBytes = 1 << 30
	}
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
	}
	opts.PublicURL = strings.TrimSuffix(opts.PublicURL, "/")
	if opts.FDP.Policy == nil {
		opts.FDP.Policy = opts.Policy
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler
	s := &Server{store: store, opts: opts, log: log, echo: e}
	s.metrics = newMetrics(opts.Registry, store, s.policy)
	e.Use(s.metrics.middleware)
	e.Use(s.withCaller)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		StackSize: 8 << 10,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			log.Error("panic while serving a request", "path", c.Request().URL.Path, "error", err, "stack", string(stack))
			return apiError(http.StatusInternalServerError, "internal", "internal error (the request was logged)")
		},
	}))
	e.GET("/healthz", s.health)
	e.GET("/stats", s.stats)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(opts.Registry, promhttp.HandlerOpts{})))
	e.Any("/sparql", s.sparql)
	e.Any("/sparql/", s.sparql)
	e.Any("/store", s.graphStore)
	e.Any("/store/*", s.graphStore)
	portal.Register(e) // GET / and /portal/*: the discovery portal
	s.routeGraphQL(e)
	s.routeUI(e)
	fdp.Register(e, store, opts.FDP) // /fdp, /.well-known/void, Linked Data for unrouted paths
	return s
}

// base returns the external base URL of the server for a request.
func (s *Server) base(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return s.opts.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Handler returns the server's HTTP handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.echo }

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{Handler: s.echo, ReadHeaderTimeout: 10 * time.Second}
	s.log.Info("tessera is listening", "url", "http://"+ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	s.log.Info("shutting down")
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) health(c echo.Context) error {
	snap, err := s.store.Snapshot(c.Request().Context())
	if err != nil {
		return apiError(http.StatusServiceUnavailable, "store_unavailable", err.Error())
	}
	snap.Release()
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// StatsDocument is the JSON form of store statistics, served at /stats and
// printed by `tessera stats --json`; its field names are a stable interface
// for scripts.
type StatsDocument struct {
	Quads      int64            `json:"quads"`
	Graphs     map[string]int64 `json:"graphs"`
	Terms      int64            `json:"terms"`
	DiskBytes  int64            `json:"disk_bytes"`
	Predicates int              `json:"predicates"`
}

// stats answers /stats with the store's statistics as the caller may see
// them (counts.go): counts of graphs whose records the caller may not see
// are obfuscated, quads is the sum of the reported graph counts, and while
// any graph is obfuscated so is terms.
func (s *Server) stats(c echo.Context) error {
	st, err := s.requestStats(c.Request())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, NewStatsDocument(st))
}

// NewStatsDocument converts store statistics; graphs are keyed by IRI, "_:label"
// for blank nodes and "default" for the default graph.
func NewStatsDocument(st *graph.Stats) StatsDocument {
	out := StatsDocument{Quads: st.Quads, Graphs: map[string]int64{}, Terms: st.Terms, DiskBytes: st.DiskBytes, Predicates: len(st.Predicates)}
	for g, n := range st.Graphs {
		out.Graphs[GraphName(g)] = n
	}
	return out
}

// GraphName formats a graph term for people and JSON keys: the IRI, "_:label"
// for a blank node, "default" for the default graph.
func GraphName(g graph.Term) string {
	switch {
	case g.IsDefaultGraph():
		return "default"
	case g.IsBlank():
		return "_:" + g.Value()
	}
	return g.Value()
}

// Error is the body of every API error: {"error": {"code", "message", "details"}}.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Details any    `json:"details,omitempty"`
	// header holds response headers the error needs (Allow,
	// WWW-Authenticate).
	header map[string]string
}

func (e *Error) Error() string { return e.Message }

func apiError(status int, code, msg string) *Error {
	return &Error{Status: status, Code: code, Message: msg}
}

// methodNotAllowed is a 405 naming the allowed methods.
func methodNotAllowed(method, allow, what string) *Error {
	e := apiError(http.StatusMethodNotAllowed, "method_not_allowed", fmt.Sprintf("%s does not accept %s (allowed: %s)", what, method, allow))
	e.header = map[string]string{"Allow": allow}
	return e
}

func errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var ae *Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &he):
		ae = apiError(he.Code, http.StatusText(he.Code), fmt.Sprint(he.Message))
	default:
		ae = apiError(http.StatusInternalServerError, "internal", err.Error())
	}
	for k, v := range ae.header {
		c.Response().Header().Set(k, v)
	}
	if ae.Status == http.StatusUnauthorized && ae.header["WWW-Authenticate"] == "" {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="tessera"`)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(ae.Status)
		return
	}
	_ = c.JSON(ae.Status, map[string]*Error{"error": ae})
}

// readable returns the view of snap the request r may read
// (Options.Records), or snap itself when no filter is configured.
func (s *Server) readable(ctx context.Context, r *http.Request, snap graph.Reader) (graph.Reader, error) {
	if s.opts.Records == nil {
		return snap, nil
	}
	registered, err := s.registered(r)
	if err != nil {
		return nil, err
	}
	view, err := s.opts.Records(ctx, snap, registered)
	if err != nil {
		return nil, apiError(http.StatusInternalServerError, "access_failed", fmt.Sprintf("apply the access policy: %v", err))
	}
	return view, nil
}

// written reports a committed write to Options.OnWrite.
func (s *Server) written(g graph.Term) {
	s.metrics.stats.invalidate()
	if s.opts.OnWrite != nil {
		s.opts.OnWrite(g)
	}
}
