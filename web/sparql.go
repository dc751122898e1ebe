package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/update"
)

// The SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/) at
// /sparql. Operations are told apart as §2.1 and §2.2 specify:
//
//	GET  ?query=…                                        query
//	POST application/x-www-form-urlencoded query=…       query
//	POST application/sparql-query (body is the query)    query
//	POST application/x-www-form-urlencoded update=…      update
//	POST application/sparql-update (body is the update)  update
//	GET  with no query                                   service description
//
// Anything else is a client error: another method is 405, another media
// type (or a charset other than UTF-8) 415, a repeated or missing query or
// update parameter 400.

const (
	mediaForm        = "application/x-www-form-urlencoded"
	mediaQuery       = "application/sparql-query"
	mediaUpdate      = "application/sparql-update"
	trailerTruncated = "X-Tessera-Truncated"
	trailerError     = "X-Tessera-Error"
	// lookahead is the number of rows read before response headers are
	// sent: errors and row-cap violations found among them still get a
	// proper status code and JSON body.
	lookahead = 1024
	// writeGrace is how long past a query's deadline its response may
	// still be written: time enough to end the document and send the
	// trailers, not to wait on a client that stopped reading.
	writeGrace = time.Second
)

func (s *Server) sparql(c echo.Context) error {
	r := c.Request()
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		params := r.URL.Query()
		if _, ok := params["update"]; ok {
			return methodNotAllowed(r.Method, "POST", "a SPARQL update")
		}
		if _, ok := params["query"]; !ok {
			if prefersHTML(r) {
				return s.editorPage(c)
			}
			return s.serviceDescription(c)
		}
		text, err := single(params, "query")
		if err != nil {
			return err
		}
		return s.query(c, text, params)
	case http.MethodPost:
	default:
		return methodNotAllowed(r.Method, "GET, POST", "the SPARQL endpoint")
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return apiError(http.StatusUnsupportedMediaType, "missing_content_type",
			"a POST to the SPARQL endpoint needs Content-Type "+mediaForm+", "+mediaQuery+" or "+mediaUpdate)
	}
	mt, mparams, err := mime.ParseMediaType(ct)
	if err != nil {
		return apiError(http.StatusUnsupportedMediaType, "bad_content_type", fmt.Sprintf("Content-Type %q: %v", ct, err))
	}
	switch mt {
	case mediaForm, mediaQuery, mediaUpdate:
	default:
		return apiError(http.StatusUnsupportedMediaType, "unsupported_media_type",
			fmt.Sprintf("Content-Type %s is not a SPARQL protocol type (%s, %s, %s)", mt, mediaForm, mediaQuery, mediaUpdate))
	}
	body, err := requestBody(c.Response(), r, s.opts.MaxQueryBytes)
	if err != nil {
		return err
	}
	r.Body = body // ParseForm reads r.Body
	switch mt {
	case mediaForm:
		if err := r.ParseForm(); err != nil {
			return bodyError(err, "read the form")
		}
		queries, updates := r.Form["query"], r.Form["update"]
		switch {
		case len(queries) > 0 && len(updates) > 0:
			return apiError(http.StatusBadRequest, "bad_request", "a request carries either query or update, not both")
		case len(queries) > 0:
			text, err := single(r.Form, "query")
			if err != nil {
				return err
			}
			return s.query(c, text, r.Form)
		case len(updates) > 0:
			text, err := single(r.Form, "update")
			if err != nil {
				return err
			}
			return s.update(c, text, r.Form)
		}
		return apiError(http.StatusBadRequest, "bad_request", "the form has neither a query nor an update parameter")
	default: // mediaQuery, mediaUpdate
		if cs, ok := mparams["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
			return apiError(http.StatusUnsupportedMediaType, "bad_charset", fmt.Sprintf("charset %s is not supported: send UTF-8", cs))
		}
		body, err := io.ReadAll(body)
		if err != nil {
			return bodyError(err, "read the request body")
		}
		if !utf8.Valid(body) {
			return apiError(http.StatusBadRequest, "bad_encoding", "the request body is not valid UTF-8")
		}
		params := r.URL.Query()
		if _, ok := params["query"]; ok {
			return apiError(http.StatusBadRequest, "bad_request", "a direct POST carries the operation in the body, not in ?query=")
		}
		if mt == mediaQuery {
			return s.query(c, string(body), params)
		}
		return s.update(c, string(body), params)
	}
}

// single returns the only value of a parameter, or a 400 if it is repeated.
func single(params url.Values, name string) (string, error) {
	vs := params[name]
	if len(vs) != 1 {
		return "", apiError(http.StatusBadRequest, "bad_request", fmt.Sprintf("give exactly one %s parameter (got %d)", name, len(vs)))
	}
	if !utf8.ValidString(vs[0]) {
		return "", apiError(http.StatusBadRequest, "bad_encoding", fmt.Sprintf("the %s parameter is not valid UTF-8", name))
	}
	return vs[0], nil
}

// bodyError turns a failure to read a request body into an API error.
func bodyError(err error, what string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return apiError(http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("the request body exceeds the limit of %d bytes", mbe.Limit))
	}
	return apiError(http.StatusBadRequest, "bad_request", fmt.Sprintf("%s: %v", what, err))
}

// graphIRIs reads a repeatable parameter of absolute graph IRIs.
func graphIRIs(params url.Values, name string) ([]string, error) {
	vs := params[name]
	for _, v := range vs {
		if !iri.IsAbsolute(v) {
			return nil, apiError(http.StatusBadRequest, "bad_graph_iri", fmt.Sprintf("%s %q is not an absolute IRI", name, v))
		}
	}
	return vs, nil
}

// timeout is the time limit of one operation: the server's, or less if the
// client asks (timeout=SECONDS).
func (s *Server) timeout(params url.Values) (time.Duration, error) {
	d := s.opts.QueryTimeout
	v := params.Get("timeout")
	if v == "" {
		return d, nil
	}
	secs, err := strconv.ParseFloat(v, 64)
	if err != nil || secs <= 0 || secs != secs {
		return 0, apiError(http.StatusBadRequest, "bad_timeout", fmt.Sprintf("timeout %q is not a positive number of seconds", v))
	}
	if asked := time.Duration(secs * float64(time.Second)); asked < d {
		d = asked
	}
	return d, nil
}

// query answers a SPARQL query.
func (s *Server) query(c echo.Context, text string, params url.Values) error {
	r := c.Request()
	start := time.Now()
	var ds DatasetParams
	var err error
	if ds.Default, err = graphIRIs(params, "default-graph-uri"); err != nil {
		return err
	}
	if ds.Named, err = graphIRIs(params, "named-graph-uri"); err != nil {
		return err
	}
	timeout, err := s.timeout(params)
	if err != nil {
		return err
	}
	prep, err := PrepareQuery(text, s.base(r)+"/sparql")
	if err != nil {
		s.metrics.queries.WithLabelValues("unknown", "malformed").Inc()
		return OperationError(err, "query")
	}
	form := strings.ToLower(prep.Form().String())
	out, ok := ChooseOutput(prep.Form(), r.Header.Get("Accept"), params.Get("format"))
	if explain := params.Get("explain"); explain != "" && explain != "false" {
		ok = true // the plan is JSON whatever the query form
	}
	if !ok {
		names, mediaTypes := outputChoices(prep.Form())
		if f := params.Get("format"); f != "" {
			code := "unknown_format"
			if knownFormat(f) {
				code = "not_acceptable"
			}
			return apiError(http.StatusNotAcceptable, code, fmt.Sprintf("format %q cannot carry the result of this %s query: use %s", f, prep.Form(), strings.Join(names, ", ")))
		}
		return apiError(http.StatusNotAcceptable, "not_acceptable", fmt.Sprintf("no format in Accept %q can carry the result of this %s query: accept one of %s", r.Header.Get("Accept"), prep.Form(), strings.Join(mediaTypes, ", ")))
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		return apiError(http.StatusServiceUnavailable, "store_unavailable", err.Error())
	}
	defer snap.Release()
	view, err := s.readable(ctx, r, snap)
	if err != nil {
		return err
	}
	opts := EvalOptions(ds, s.opts.UnionDefaultGraph)
	if s.opts.Hierarchy != nil {
		if h := s.opts.Hierarchy(); h != nil {
			opts.Hierarchy = h
		}
	}
	if opts.Entailment, err = s.entailment(params.Get("entailment")); err != nil {
		return err
	}
	opts.MaxMemory = s.opts.MaxQueryMemory
	opts.Service = s.opts.Service
	// The optimizer's statistics are the caller's view of them
	// (counts.go): ?explain shows estimates, and exact ones would give the
	// sizes of hidden graphs and record classes. Without statistics it
	// gets an empty set rather than none, so that the evaluator does not
	// fall back to the reader's own (exact) statistics.
	opts.Stats = &graph.Stats{}
	if st, err := s.metrics.stats.get(ctx); err == nil {
		registered, rerr := s.registered(r)
		if rerr != nil {
			return rerr
		}
		rst, perr := s.reportedStats(ctx, st, registered)
		if perr != nil {
			return apiError(http.StatusInternalServerError, "access_failed", fmt.Sprintf("apply the access policy: %v", perr))
		}
		opts.Stats = rst
	}
	if mode := params.Get("explain"); mode != "" && mode != "false" {
		plan, err := eval.Explain(ctx, view, prep.Algebra, opts, mode != "plan")
		if err != nil {
			return OperationError(err, "query")
		}
		return c.JSON(http.StatusOK, plan)
	}
	res, err := eval.Query(ctx, view, prep.Algebra, opts)
	if err != nil {
		return s.queryFailed(form, err)
	}
	a, err := newAnswer(res, out, s.opts.MaxRows, lookahead)
	if err != nil {
		return s.queryFailed(form, err)
	}
	defer a.close()
	if out, err = writableOutput(a, r.Header.Get("Accept"), params.Get("format") != ""); err != nil {
		s.metrics.queries.WithLabelValues(form, "error").Inc()
		return err
	}

	w := c.Response()
	// A client that stops reading would block a write, and with it the
	// query and its snapshot, for as long as it keeps the connection open:
	// writes get the query's deadline, plus a grace for the trailers that
	// report an ordinary timeout. (http.Server resets it per request.)
	if dl, ok := ctx.Deadline(); ok {
		_ = http.NewResponseController(w).SetWriteDeadline(dl.Add(writeGrace))
	}
	w.Header().Set("Content-Type", out.ContentType())
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Trailer", trailerTruncated+", "+trailerError)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	n, err := a.write(ctx, w, w.Flush)
	s.metrics.rows.Add(float64(n))
	if cerr := ctx.Err(); err != nil && cerr != nil && !errors.Is(err, cerr) && !errors.Is(err, ErrTooManyRows) {
		// A write that fails once the query's time is up (its deadline is
		// the query's plus a grace) or after the client left failed for
		// that reason, whichever call happened to notice it first.
		err = fmt.Errorf("%w (%v)", cerr, err)
	}
	if err != nil {
		// The status line is gone: say what happened in trailers and
		// leave the document unfinished.
		outcome := outcomeOf(err)
		s.metrics.queries.WithLabelValues(form, outcome).Inc()
		if outcome == "timeout" {
			s.metrics.timeouts.Inc()
		}
		if errors.Is(err, ErrTooManyRows) {
			w.Header().Set(trailerTruncated, fmt.Sprintf("max-rows=%d", s.opts.MaxRows))
		}
		w.Header().Set(trailerError, OperationError(err, "query").Message)
		s.log.Warn("query ended early", "form", form, "rows", n, "error", err, "took", time.Since(start))
		return nil
	}
	s.metrics.queries.WithLabelValues(form, "ok").Inc()
	s.log.Debug("query", "form", form, "rows", n, "took", time.Since(start))
	return nil
}

// writableOutput checks that the answer's RDF syntax can write its
// read-ahead triples and otherwise falls back to the next syntax the
// client accepts (writableRDF). It returns the output chosen.
func writableOutput(a *answer, accept string, fixed bool) (Output, error) {
	if a.out.Results != 0 {
		return a.out, nil // result formats write every solution
	}
	f, err := writableRDF(a.out.RDF, a.triples(), loaders.EncodeOptions{Prefixes: loaders.CommonPrefixes()}, accept, fixed)
	if err != nil {
		return a.out, err
	}
	a.out = Output{RDF: f}
	return a.out, nil
}

// queryFailed counts a query that failed before its response started and
// returns the error to send.
func (s *Server) queryFailed(form string, err error) error {
	outcome := outcomeOf(err)
	s.metrics.queries.WithLabelValues(form, outcome).Inc()
	if outcome == "timeout" {
		s.metrics.timeouts.Inc()
	}
	return OperationError(err, "query")
}

func outcomeOf(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, ErrTooManyRows):
		return "too_many_rows"
	}
	return "error"
}

// OperationError maps an error of a query or update to an API error (the
// command line prints its message): syntax errors are 400 with line and
// column, time limits 503, the row cap 413, memory limits 507, SERVICE 501
// (no handler), 403 (endpoint not allowed) or 502 (endpoint failed),
// LOAD disabled or outside the allow-list 403, a LOAD source that cannot be
// fetched 502 and one that is not valid RDF 400 (the document's syntax or
// JSON-LD error, not the update's), CREATE of an existing graph 409, DROP of
// a missing one 404, the rest 500.
func OperationError(err error, what string) *Error {
	var le *LoadError
	if errors.As(err, &le) {
		return le.apiError()
	}
	if se, ok := syntax.AsError(err); ok {
		e := apiError(http.StatusBadRequest, "malformed_"+what, fmt.Sprintf("%s syntax error at line %d, column %d: %s", what, se.Line, se.Column, se.Msg))
		e.Details = map[string]any{"line": se.Line, "column": se.Column}
		return e
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return apiError(http.StatusServiceUnavailable, "timeout", fmt.Sprintf("the %s exceeded its time limit", what))
	case errors.Is(err, context.Canceled):
		return apiError(http.StatusServiceUnavailable, "cancelled", fmt.Sprintf("the %s was cancelled", what))
	case errors.Is(err, ErrTooManyRows):
		return apiError(http.StatusRequestEntityTooLarge, "too_many_rows", "the result exceeds the server's row limit: add LIMIT, or page with LIMIT and OFFSET")
	case errors.Is(err, eval.ErrMemoryLimit), errors.Is(err, update.ErrTooManySolutions):
		return apiError(http.StatusInsufficientStorage, "memory_limit", fmt.Sprintf("the %s needs more memory than the server allows: make it more selective", what))
	case errors.Is(err, eval.ErrServiceDenied):
		return apiError(http.StatusForbidden, "service_denied", err.Error())
	case errors.Is(err, eval.ErrServiceFailed):
		return apiError(http.StatusBadGateway, "service_failed", err.Error())
	case errors.Is(err, eval.ErrService):
		return apiError(http.StatusNotImplemented, "not_implemented", err.Error())
	case errors.Is(err, update.ErrLoadDisabled):
		return apiError(http.StatusForbidden, "load_disabled", err.Error())
	case errors.Is(err, ErrLoadDenied):
		return apiError(http.StatusForbidden, "load_denied", err.Error())
	case errors.Is(err, graph.ErrGraphExists):
		return apiError(http.StatusConflict, "graph_exists", err.Error())
	case errors.Is(err, graph.ErrGraphNotFound):
		return apiError(http.StatusNotFound, "graph_not_found", err.Error())
	case errors.Is(err, graph.ErrInvalidQuad):
		return apiError(http.StatusBadRequest, "invalid_quad", err.Error())
	}
	return apiError(http.StatusInternalServerError, what+"_failed", err.Error())
}

// entailment returns the schema for the entailment regime a query asks
// for with entailment= (Tessera's parameter: the protocol has none):
// "rdfs", or "" / "simple" for none.
func (s *Server) entailment(regime string) (eval.Entailment, error) {
	switch strings.ToLower(regime) {
	case "", "simple":
		return nil, nil
	case "rdfs":
		if s.opts.Entailment != nil {
			if ent := s.opts.Entailment(); ent != nil {
				return ent, nil
			}
		}
		return nil, apiError(http.StatusServiceUnavailable, "entailment_unavailable", "the RDFS entailment regime needs the ontology, which this server does not have (yet)")
	}
	return nil, apiError(http.StatusBadRequest, "unknown_entailment", fmt.Sprintf("entailment %q is not supported: use rdfs or simple", regime))
}
