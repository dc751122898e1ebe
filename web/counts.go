package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
)

// Counts on every surface of this package (/stats, the service
// description, /metrics, the estimates of ?explain) are reported through
// graph/access.Policy.Stats, as web/fdp's VoID description reports them:
// the counts of graphs whose records the caller may not see are obfuscated
// and totals are sums of the reported counts. Only `tessera stats`, run by
// the operator on the store's machine, prints exact figures.

// policy returns the current access policy: Options.Policy's, or else the
// policy read from the store (fail closed: a server configured without a
// policy still honours the system graph, and graphs it does not describe
// are controlled).
func (s *Server) policy(ctx context.Context) (*access.Policy, error) {
	if s.opts.Policy != nil {
		if p := s.opts.Policy(); p != nil {
			return p, nil
		}
	}
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the access policy: %w", err)
	}
	defer snap.Release()
	var opts access.Options
	if s.opts.FDP.SystemGraph != "" {
		opts.SystemGraph = graph.IRI(s.opts.FDP.SystemGraph)
	}
	p, err := access.Load(ctx, snap, opts)
	if err != nil {
		return nil, fmt.Errorf("read the access policy: %w", err)
	}
	return p, nil
}

// reportedStats returns st as a caller may see it (access.Policy.Stats),
// memoised in the statistics cache.
func (s *Server) reportedStats(ctx context.Context, st *graph.Stats, registered bool) (*graph.Stats, error) {
	p, err := s.policy(ctx)
	if err != nil {
		return nil, err
	}
	return s.metrics.stats.reported(st, p, registered), nil
}

// requestStats returns the store's statistics as the caller of r may see
// them, from the statistics cache.
func (s *Server) requestStats(r *http.Request) (*graph.Stats, error) {
	registered, err := s.registered(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	st, err := s.metrics.stats.get(ctx)
	if err != nil {
		return nil, apiError(http.StatusServiceUnavailable, "store_unavailable", err.Error())
	}
	rst, err := s.reportedStats(ctx, st, registered)
	if err != nil {
		return nil, apiError(http.StatusInternalServerError, "access_failed", fmt.Sprintf("apply the access policy: %v", err))
	}
	return rst, nil
}

// withCaller puts the caller into the request context (access.WithCaller)
// for the surfaces that read it there (web/fdp's FAIR Data Point, Linked
// Data and VoID; GraphQL): registered when the request carries the
// operator token, so that the operator sees the same figures on VoID as on
// /stats. A request with a token that is not the operator's stays
// anonymous here; the handlers that read a token themselves (SPARQL, Graph
// Store, GraphQL, /stats) answer it with 401.
func (s *Server) withCaller(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if registered, err := s.registered(r); err == nil && registered {
			c.SetRequest(r.WithContext(access.WithCaller(r.Context(), access.Caller{Registered: true, Subject: "operator"})))
		}
		return next(c)
	}
}

// reportedKey identifies one caller's view of one statistics snapshot.
type reportedKey struct {
	st         *graph.Stats
	policy     *access.Policy
	registered bool
}

// maxReported bounds the memoised views: a server that reads its policy
// per request (Options.Policy nil) makes a new key each time.
const maxReported = 8

// reported returns access.Policy.Stats(st, registered), memoised: every
// query asks for it (its optimizer's statistics) and st changes only after
// a write or the cache's TTL.
func (c *statsCache) reported(st *graph.Stats, p *access.Policy, registered bool) *graph.Stats {
	k := reportedKey{st, p, registered}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.views[k]; ok {
		return v
	}
	if c.views == nil || len(c.views) >= maxReported {
		c.views = map[reportedKey]*graph.Stats{}
	}
	v, _ := p.Stats(st, registered)
	c.views[k] = v
	return v
}
