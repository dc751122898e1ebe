package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/ast"
	"github.com/tessera-fair/tessera/sparql/parser"
	"github.com/tessera-fair/tessera/sparql/update"
)

// PrepareUpdate parses an update request and applies the protocol's
// using-graph-uri / using-named-graph-uri parameters (SPARQL 1.1 Protocol
// §2.2.3): they act as USING / USING NAMED clauses on every DELETE/INSERT
// operation, and an operation that has its own USING or WITH is an error.
func PrepareUpdate(text, base string, using DatasetParams) (*ast.Update, error) {
	u, err := parser.ParseUpdate(text, parser.Options{Base: base, File: "update"})
	if err != nil {
		return nil, err
	}
	if using.IsZero() {
		return u, nil
	}
	var clauses []*ast.DatasetClause
	for _, g := range using.Default {
		clauses = append(clauses, &ast.DatasetClause{IRI: g})
	}
	for _, g := range using.Named {
		clauses = append(clauses, &ast.DatasetClause{Named: true, IRI: g})
	}
	for _, st := range u.Steps {
		m, ok := st.Op.(*ast.Modify)
		if !ok {
			continue
		}
		if m.With != "" || len(m.Using) > 0 {
			return nil, &datasetConflictError{line: m.Line, column: m.Column}
		}
		m.Using = clauses
	}
	return u, nil
}

// datasetConflictError reports USING or WITH in an update that also has
// using-graph-uri / using-named-graph-uri parameters.
type datasetConflictError struct{ line, column int }

func (e *datasetConflictError) Error() string {
	return fmt.Sprintf("line %d, column %d: the update has USING or WITH and the request has using-graph-uri or using-named-graph-uri; give the dataset one way", e.line, e.column)
}

// update runs a SPARQL update; it needs the operator token.
func (s *Server) update(c echo.Context, text string, params url.Values) error {
	r := c.Request()
	if err := s.authorizeWrite(r); err != nil {
		s.metrics.updates.WithLabelValues("unauthorized").Inc()
		return err
	}
	var using DatasetParams
	var err error
	if using.Default, err = graphIRIs(params, "using-graph-uri"); err != nil {
		return err
	}
	if using.Named, err = graphIRIs(params, "using-named-graph-uri"); err != nil {
		return err
	}
	timeout, err := s.timeout(params)
	if err != nil {
		return err
	}
	base := s.base(r) + "/sparql"
	u, err := PrepareUpdate(text, base, using)
	if err != nil {
		s.metrics.updates.WithLabelValues("malformed").Inc()
		var ce *datasetConflictError
		if errors.As(err, &ce) {
			return apiError(http.StatusBadRequest, "dataset_conflict", ce.Error())
		}
		return OperationError(err, "update")
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	start := time.Now()
	err = update.Execute(ctx, s.store, u, s.UpdateOptions(base))
	s.written(graph.Term{})
	if err != nil {
		outcome := outcomeOf(err)
		s.metrics.updates.WithLabelValues(outcome).Inc()
		if outcome == "timeout" {
			s.metrics.timeouts.Inc()
		}
		s.log.Info("update failed", "error", err, "took", time.Since(start))
		return OperationError(err, "update")
	}
	s.metrics.updates.WithLabelValues("ok").Inc()
	s.log.Info("update", "took", time.Since(start))
	return c.NoContent(http.StatusNoContent)
}

// UpdateOptions are the options updates run with on this server: the base
// IRI, the union default graph setting, the LOAD allow-list and the SERVICE
// handler queries use (so WHERE clauses federate under the same allow-list).
func (s *Server) UpdateOptions(base string) update.Options {
	opts := update.Options{Base: base, UnionDefaultGraph: s.opts.UnionDefaultGraph, Service: s.opts.Service}
	if len(s.opts.AllowLoad) > 0 {
		opts.Loader = &AllowListLoader{Prefixes: s.opts.AllowLoad, Client: s.opts.HTTPClient, MaxBytes: s.opts.MaxUploadBytes}
	}
	return opts
}
