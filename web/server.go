// Package web holds Tessera's HTTP surfaces. For now: health and store
// statistics; the SPARQL protocol, Graph Store protocol, GraphQL, FAIR Data
// Point and the portal come with later issues and share this server's
// routing, error format and limits.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
)

// Options configure the server; the zero value works.
type Options struct {
	// Logger receives request and lifecycle logs; nil discards them.
	Logger *slog.Logger
	// ShutdownTimeout bounds the graceful shutdown (default 10 s).
	ShutdownTimeout time.Duration
}

// Server serves one store over HTTP.
type Server struct {
	store graph.Store
	opts  Options
	log   *slog.Logger
	echo  *echo.Echo
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
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler
	s := &Server{store: store, opts: opts, log: log, echo: e}
	e.GET("/healthz", s.health)
	e.GET("/stats", s.stats)
	return s
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

func (s *Server) stats(c echo.Context) error {
	st, err := s.store.Stats(c.Request().Context())
	if err != nil {
		return apiError(http.StatusInternalServerError, "stats_failed", err.Error())
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
}

func (e *Error) Error() string { return e.Message }

func apiError(status int, code, msg string) *Error {
	return &Error{Status: status, Code: code, Message: msg}
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
	_ = c.JSON(ae.Status, map[string]*Error{"error": ae})
}
