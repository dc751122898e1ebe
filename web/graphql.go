package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/lexer"
	"github.com/graphql-go/graphql/language/source"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tessera-fair/tessera/schema"
	"github.com/tessera-fair/tessera/sparql/results"
	"github.com/tessera-fair/tessera/web/playground"
)

// GraphQL over HTTP (https://graphql.github.io/graphql-over-http/) at
// /graphql:
//
//	POST application/json {query, operationName, variables, extensions}
//	POST application/graphql (the body is the query; operationName and
//	     variables may come as URL parameters)
//	GET  ?query=&operationName=&variables=&extensions= (queries only: a
//	     mutation over GET is 405)
//	GET  with Accept preferring text/html: the GraphiQL playground
//
// Responses are application/graphql-response+json when the client accepts
// it, else application/json (also when Accept is absent or */*). Status
// codes follow the spec: a request that is not well-formed GraphQL over
// HTTP (bad JSON, a query that is not a string, variables that are not an
// object) is 400 with a GraphQL error response and no data; a document that
// does not parse or validate, or that the limits refuse
// (schema.Response.Refused), is 400 for application/graphql-response+json
// and 200 for application/json; anything that executed is 200, field errors
// included. Failures below GraphQL — a method other than GET and POST (405),
// an unsupported Content-Type (415), a body over the cap (413), an Accept
// with neither JSON type (406), a bad bearer token (401), no schema (503) —
// use the server's JSON error format.
//
// The limits are those of /sparql: the server's query timeout, which
// ?timeout=SECONDS may lower (a request that runs out of time before
// producing any data is 503; its error, and the last error of a partial
// answer, is SPARQL's "the query exceeded its time limit" with
// extensions.code "timeout"); cancellation when the client goes away; the
// MaxQueryBytes cap on the body. ?explain=true (or extensions.explain=true)
// asks for the generated SPARQL algebra in extensions.explain.
//
// Registered is set on the request, for now, when it carries the operator
// token (Authorization: Bearer, as for writes); a bearer token that is not
// the operator's is refused with 401 rather than silently ignored. Real
// sign-in replaces this when auth lands.

// GraphQL executes GraphQL requests; schema.Service implements it. Do must
// honour ctx (the request's time limit and the client's disconnection) and
// never return nil.
type GraphQL interface {
	Do(ctx context.Context, req schema.Request) *schema.Response
}

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
	mediaGraphQL         = "application/graphql"
	mediaHTML            = "text/html"
)

// graphqlHandler serves /graphql and the playground's assets.
type graphqlHandler struct {
	s       *Server
	metrics *graphqlMetrics
	assets  http.Handler
	// page renders the playground once: it depends only on the binary.
	page func() ([]byte, error)
}

// routeGraphQL registers /graphql and /graphql/playground/*.
func (s *Server) routeGraphQL(e *echo.Echo) {
	h := &graphqlHandler{s: s, metrics: newGraphQLMetrics(s.opts.Registry), assets: playground.Assets(),
		page: sync.OnceValues(func() ([]byte, error) {
			// Behind a proxy that mounts the server under a path
			// (PublicURL https://host/tessera), the page's URLs carry it.
			prefix := ""
			if u, err := url.Parse(s.opts.PublicURL); err == nil {
				prefix = strings.TrimSuffix(u.EscapedPath(), "/")
			}
			return playground.Page(playground.Config{Endpoint: prefix + "/graphql", AssetBase: prefix + "/graphql/playground/"})
		})}
	e.Any("/graphql", h.serve)
	e.GET("/graphql/playground/*", h.asset)
	e.HEAD("/graphql/playground/*", h.asset)
}

// graphqlMetrics count GraphQL requests by operation type and outcome, time
// them, and count the GraphQL errors sent (the HTTP middleware counts the
// route as a whole).
type graphqlMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
}

func newGraphQLMetrics(reg *prometheus.Registry) *graphqlMetrics {
	m := &graphqlMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tessera_graphql_requests_total",
			Help: "GraphQL requests by operation type (query, mutation, subscription, unknown) and outcome (ok, error, refused, bad_request, timeout, cancelled).",
		}, []string{"operation", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "tessera_graphql_request_duration_seconds",
			Help:    "Time to execute a GraphQL request, by operation type, from the decoded request to the encoded response.",
			Buckets: []float64{.001, .003, .01, .03, .05, .1, .3, 1, 3, 10, 30},
		}, []string{"operation"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tessera_graphql_errors_total",
			Help: "GraphQL errors sent in responses, by kind: request (refused before execution) or field (raised during execution).",
		}, []string{"kind"}),
	}
	reg.MustRegister(m.requests, m.duration, m.errors)
	return m
}

func (h *graphqlHandler) asset(c echo.Context) error {
	h.assets.ServeHTTP(c.Response(), c.Request())
	return nil
}

func (h *graphqlHandler) serve(c echo.Context) error {
	r := c.Request()
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return methodNotAllowed(r.Method, "GET, POST", "the GraphQL endpoint")
	}
	accept := r.Header.Get("Accept")
	media, ok := negotiateGraphQL(accept, r.Method == http.MethodGet)
	if !ok {
		return apiError(http.StatusNotAcceptable, "not_acceptable",
			fmt.Sprintf("no type in Accept %q is a GraphQL response type (%s, %s)", accept, mediaGraphQLResponse, mediaJSON))
	}
	if media == mediaHTML {
		return h.playground(c)
	}
	if h.s.opts.GraphQL == nil {
		return apiError(http.StatusServiceUnavailable, "graphql_unavailable", "this server has no GraphQL schema")
	}
	c.Response().Header().Add("Vary", "Accept")
	req, err := decodeGraphQL(c.Response(), r, h.s.opts.MaxQueryBytes)
	if err == nil {
		err = h.prepare(r, &req)
	}
	op := operationType(req.Query, req.OperationName)
	if err != nil {
		return h.requestError(c, media, op, err)
	}
	if r.Method == http.MethodGet && op == "mutation" {
		h.metrics.requests.WithLabelValues(op, "bad_request").Inc()
		return methodNotAllowed(r.Method, "POST", "a GraphQL mutation")
	}
	timeout, err := h.s.timeout(r.URL.Query())
	if err != nil {
		return h.requestError(c, media, op, err)
	}
	return h.execute(c, media, op, req, timeout)
}

// prepare fills what the HTTP request says beyond the GraphQL request:
// explain and the caller's registration.
func (h *graphqlHandler) prepare(r *http.Request, req *schema.Request) error {
	params := r.URL.Query()
	switch v := params.Get("explain"); v {
	case "", "false":
	case "true":
		req.Explain = true
	default:
		return apiError(http.StatusBadRequest, "bad_explain", fmt.Sprintf("explain %q is neither true nor false", v))
	}
	if b, ok := req.Extensions["explain"].(bool); ok && b {
		req.Explain = true
	}
	registered, err := h.s.registered(r)
	if err != nil {
		return err
	}
	req.Registered = registered
	return nil
}

// registered reports whether a request carries the operator token; a
// bearer token that is not the operator's is a 401, never a silent
// downgrade to anonymous.
func (s *Server) registered(r *http.Request) (bool, error) {
	if r.Header.Get("Authorization") == "" {
		return false, nil
	}
	if s.opts.WriteToken == "" {
		return false, apiError(http.StatusUnauthorized, "invalid_token", "this server has no operator token: send no Authorization header")
	}
	if err := s.authorizeWrite(r); err != nil {
		return false, err
	}
	return true, nil
}

// execute runs a decoded request and writes its response.
func (h *graphqlHandler) execute(c echo.Context, media, op string, req schema.Request, timeout time.Duration) error {
	r := c.Request()
	start := time.Now()
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	resp := h.s.opts.GraphQL.Do(ctx, req)
	if resp == nil {
		resp = &schema.Response{Errors: []gqlerrors.FormattedError{gqlerrors.NewFormattedError("the GraphQL service returned no response")}}
	}
	status, outcome := http.StatusOK, "ok"
	withData := !resp.Refused
	switch {
	case r.Context().Err() != nil:
		// The client is gone: nobody reads the answer.
		h.metrics.requests.WithLabelValues(op, "cancelled").Inc()
		return nil
	case resp.Refused:
		outcome = "refused"
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
		h.metrics.errors.WithLabelValues("request").Add(float64(len(resp.Errors)))
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		outcome = "timeout"
		if resp.Data == nil {
			// Nothing was computed in time: a request error, not a
			// response with data null, and the one thing to say.
			status, withData = http.StatusServiceUnavailable, false
			resp.Errors = []gqlerrors.FormattedError{timeoutGraphQLError()}
		} else {
			resp.Errors = timeoutErrors(resp.Errors)
		}
		h.metrics.errors.WithLabelValues("field").Add(float64(len(resp.Errors)))
	case len(resp.Errors) > 0:
		outcome = "error"
		h.metrics.errors.WithLabelValues("field").Add(float64(len(resp.Errors)))
	}
	err := h.write(c, media, status, resp, withData)
	var ae *Error
	if errors.As(err, &ae) {
		outcome = "error" // nothing was sent: the server's error is
	}
	h.metrics.requests.WithLabelValues(op, outcome).Inc()
	h.metrics.duration.WithLabelValues(op).Observe(time.Since(start).Seconds())
	if ae != nil {
		return ae
	}
	if err != nil {
		h.s.log.Warn("graphql response not sent", "error", err)
	}
	return nil
}

// timeoutGraphQLError is the error of a GraphQL request stopped by its
// time limit, worded as SPARQL's (OperationError), with the same code in
// extensions.code.
func timeoutGraphQLError() gqlerrors.FormattedError {
	ae := OperationError(context.DeadlineExceeded, "query")
	fe := gqlerrors.NewFormattedError(ae.Message)
	fe.Extensions = map[string]any{"code": ae.Code}
	return fe
}

// timeoutErrors rewords the errors of a partial answer stopped by its time
// limit. Errors the deadline caused carry the store's or the evaluator's
// text ("snapshot: context deadline exceeded"): a field's keeps its path
// and locations with timeoutGraphQLError's message and code, the others are
// dropped; one timeoutGraphQLError for the request as a whole comes last.
// Other errors are kept as they are.
func timeoutErrors(errs []gqlerrors.FormattedError) []gqlerrors.FormattedError {
	timeout := timeoutGraphQLError()
	out := make([]gqlerrors.FormattedError, 0, len(errs)+1)
	for _, e := range errs {
		switch {
		case !causedBy(e, context.DeadlineExceeded):
			out = append(out, e)
		case len(e.Path) > 0:
			e.Message, e.Extensions = timeout.Message, timeout.Extensions
			out = append(out, e)
		}
	}
	return append(out, timeout)
}

// causedBy reports whether the error behind a GraphQL error is target:
// graphql-go keeps a resolver's error as the OriginalError of a
// *gqlerrors.Error, which has no Unwrap.
func causedBy(fe gqlerrors.FormattedError, target error) bool {
	err := fe.OriginalError()
	for range 8 { // nesting is shallow; the bound guards against a cycle
		switch e := err.(type) {
		case *gqlerrors.Error:
			err = e.OriginalError
		case gqlerrors.FormattedError:
			err = e.OriginalError()
		default:
			return errors.Is(err, target)
		}
	}
	return false
}

// wireError is a GraphQL error as the spec (§7.1.2) writes it: locations
// and path only when known.
type wireError struct {
	Message    string         `json:"message"`
	Locations  []wireLocation `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

type wireLocation struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// The two shapes of a GraphQL response: data is present (possibly null)
// once execution started, absent for request errors (spec §7.1).
type (
	wireWithData struct {
		Errors     []wireError    `json:"errors,omitempty"`
		Data       any            `json:"data"`
		Extensions map[string]any `json:"extensions,omitempty"`
	}
	wireNoData struct {
		Errors     []wireError    `json:"errors"`
		Extensions map[string]any `json:"extensions,omitempty"`
	}
)

func wireErrors(errs []gqlerrors.FormattedError) []wireError {
	out := make([]wireError, 0, len(errs))
	for _, e := range errs {
		w := wireError{Message: e.Message, Path: e.Path, Extensions: e.Extensions}
		for _, l := range e.Locations {
			w.Locations = append(w.Locations, wireLocation{Line: l.Line, Column: l.Column})
		}
		out = append(out, w)
	}
	return out
}

// write sends a GraphQL response. An *Error means nothing was sent (the
// response could not be encoded); another error, that sending failed.
func (h *graphqlHandler) write(c echo.Context, media string, status int, resp *schema.Response, withData bool) error {
	var body any
	if withData {
		body = wireWithData{Errors: wireErrors(resp.Errors), Data: resp.Data, Extensions: resp.Extensions}
	} else {
		errs := wireErrors(resp.Errors)
		if len(errs) == 0 {
			errs = []wireError{{Message: "the request was refused"}}
		}
		body = wireNoData{Errors: errs, Extensions: resp.Extensions}
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(body); err != nil {
		return apiError(http.StatusInternalServerError, "internal", fmt.Sprintf("encode the GraphQL response: %v", err))
	}
	w := c.Response()
	// A client that stops reading must not hold the handler: the write
	// gets the same grace as a SPARQL response's trailers.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(h.s.opts.QueryTimeout + writeGrace))
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// requestError answers a request that is not well-formed GraphQL over HTTP:
// a 400 becomes a GraphQL error response without data (its code in
// extensions.code), other statuses the server's JSON error.
func (h *graphqlHandler) requestError(c echo.Context, media, op string, err error) error {
	var ae *Error
	if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest {
		h.metrics.requests.WithLabelValues(op, "bad_request").Inc()
		return err
	}
	h.metrics.requests.WithLabelValues(op, "bad_request").Inc()
	h.metrics.errors.WithLabelValues("request").Inc()
	fe := gqlerrors.NewFormattedError(ae.Message)
	fe.Extensions = map[string]any{"code": ae.Code}
	return h.write(c, media, http.StatusBadRequest, &schema.Response{Errors: []gqlerrors.FormattedError{fe}, Refused: true}, false)
}

// playground serves the GraphiQL page.
func (h *graphqlHandler) playground(c echo.Context) error {
	page, err := h.page()
	if err != nil {
		return apiError(http.StatusInternalServerError, "internal", err.Error())
	}
	hd := c.Response().Header()
	hd.Set("Content-Security-Policy", playground.ContentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Cache-Control", "no-cache")
	hd.Add("Vary", "Accept")
	return c.Blob(http.StatusOK, mediaHTML+"; charset=utf-8", page)
}

// negotiateGraphQL picks the response type from Accept: the GraphQL
// response type, plain JSON (the default, also for */*), or for a GET the
// playground's HTML when the client prefers it.
func negotiateGraphQL(accept string, html bool) (string, bool) {
	candidates := [][]string{{mediaJSON}, {mediaGraphQLResponse}}
	if html {
		candidates = append(candidates, []string{mediaHTML})
	}
	k, ok := results.NegotiateMediaTypes(accept, candidates)
	if !ok {
		return "", false
	}
	return candidates[k][0], true
}

// decodeGraphQL reads the GraphQL request of an HTTP request: GET
// parameters, a JSON body, or an application/graphql body (gzip-compressed
// or not, see requestBody). Errors are *Error: 400 for a request that is
// not well-formed, 413 and 415 for the body.
func decodeGraphQL(w http.ResponseWriter, r *http.Request, maxBytes int64) (schema.Request, error) {
	if r.Method == http.MethodGet {
		return requestFromParams(r.URL.Query(), true)
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return schema.Request{}, apiError(http.StatusUnsupportedMediaType, "missing_content_type",
			"a POST to the GraphQL endpoint needs Content-Type "+mediaJSON+" (or "+mediaGraphQL+")")
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return schema.Request{}, apiError(http.StatusUnsupportedMediaType, "bad_content_type", fmt.Sprintf("Content-Type %q: %v", ct, err))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return schema.Request{}, apiError(http.StatusUnsupportedMediaType, "bad_charset", fmt.Sprintf("charset %s is not supported: send UTF-8", cs))
	}
	if mt != mediaJSON && mt != mediaGraphQL {
		return schema.Request{}, apiError(http.StatusUnsupportedMediaType, "unsupported_media_type",
			fmt.Sprintf("Content-Type %s is not a GraphQL request type (%s, %s)", mt, mediaJSON, mediaGraphQL))
	}
	rb, err := requestBody(w, r, maxBytes)
	if err != nil {
		return schema.Request{}, err
	}
	body, err := io.ReadAll(rb)
	if err != nil {
		return schema.Request{}, bodyError(err, "read the request body")
	}
	if !utf8.Valid(body) {
		return schema.Request{}, badGraphQL("bad_encoding", "the request body is not valid UTF-8")
	}
	if mt == mediaGraphQL {
		req, err := requestFromParams(r.URL.Query(), false)
		req.Query = string(body)
		return req, err
	}
	return requestFromJSON(body)
}

func badGraphQL(code, msg string) *Error { return apiError(http.StatusBadRequest, code, msg) }

// requestFromJSON decodes a JSON request body (spec §5.1): an object whose
// query is a string, operationName a string or null, variables and
// extensions objects or null. Unknown members are ignored.
func requestFromJSON(body []byte) (schema.Request, error) {
	var req schema.Request
	if len(bytes.TrimSpace(body)) == 0 {
		return req, badGraphQL("bad_request", "the request body is empty: send a JSON object with a query")
	}
	var members map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&members); err != nil || members == nil {
		return req, badGraphQL("bad_json", "the request body is not a JSON object: "+jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return req, badGraphQL("bad_json", "the request body has data after the JSON object")
	}
	q, err := stringMember(members, "query")
	if err != nil {
		return req, err
	}
	if q == nil {
		return req, badGraphQL("missing_query", "the request has no query")
	}
	req.Query = *q
	if name, err := stringMember(members, "operationName"); err != nil {
		return req, err
	} else if name != nil {
		req.OperationName = *name
	}
	if req.Variables, err = objectMember(members["variables"], "variables"); err != nil {
		return req, err
	}
	if req.Extensions, err = objectMember(members["extensions"], "extensions"); err != nil {
		return req, err
	}
	return req, nil
}

func jsonProblem(err error) string {
	if err == nil {
		return "null"
	}
	return err.Error()
}

// stringMember returns a member that must be a string or null (nil when
// absent or null).
func stringMember(members map[string]json.RawMessage, name string) (*string, error) {
	raw, ok := members[name]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, badGraphQL("bad_"+strings.ToLower(name), fmt.Sprintf("%s must be a string", name))
	}
	return &s, nil
}

// objectMember decodes a member that must be a JSON object or null.
func objectMember(raw json.RawMessage, name string) (map[string]any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] != '{' {
		return nil, badGraphQL("bad_"+name, fmt.Sprintf("%s must be a JSON object", name))
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, badGraphQL("bad_"+name, fmt.Sprintf("%s is not a JSON object: %v", name, err))
	}
	return m, nil
}

// requestFromParams reads a request from URL parameters (spec §5.2: the
// query, operationName, and JSON-encoded variables and extensions); when
// needQuery is false the query comes from elsewhere (an application/graphql
// body) and a query parameter is an error.
func requestFromParams(params url.Values, needQuery bool) (schema.Request, error) {
	var req schema.Request
	get := func(name string) (string, bool, error) {
		vs, ok := params[name]
		if !ok {
			return "", false, nil
		}
		if len(vs) != 1 {
			return "", false, badGraphQL("bad_request", fmt.Sprintf("give at most one %s parameter (got %d)", name, len(vs)))
		}
		if !utf8.ValidString(vs[0]) {
			return "", false, badGraphQL("bad_encoding", fmt.Sprintf("the %s parameter is not valid UTF-8", name))
		}
		return vs[0], true, nil
	}
	q, ok, err := get("query")
	switch {
	case err != nil:
		return req, err
	case needQuery && !ok:
		return req, badGraphQL("missing_query", "the request has no query parameter (open this address in a browser for the GraphQL playground)")
	case !needQuery && ok:
		return req, badGraphQL("bad_request", "an "+mediaGraphQL+" POST carries the query in the body, not in ?query=")
	}
	req.Query = q
	if req.OperationName, _, err = get("operationName"); err != nil {
		return req, err
	}
	for _, m := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &req.Variables}, {"extensions", &req.Extensions}} {
		v, ok, err := get(m.name)
		if err != nil {
			return req, err
		}
		if !ok || v == "" {
			continue
		}
		if *m.dst, err = objectMember(json.RawMessage(v), m.name); err != nil {
			return req, err
		}
	}
	return req, nil
}

// operationType returns the type ("query", "mutation", "subscription") of
// the operation a request would run — the one named operationName, or the
// only one — or "unknown" when the document does not say (a syntax error, no
// such operation, several and no name). It scans tokens without building a
// tree, so it costs linear time and constant stack whatever the document;
// the executor reports the errors.
func operationType(doc, operationName string) string {
	var ops []gqlOperation
	lex := lexer.Lex(source.NewSource(&source.Source{Body: []byte(doc)}))
	depth := 0          // braces, brackets and parentheses open
	inHeader := false   // a top-level definition has started and its body not yet
	expectName := false // the previous token was an operation keyword
	for {
		tok, err := lex(0)
		if err != nil {
			return "unknown"
		}
		switch tok.Kind {
		case lexer.EOF:
			return pickOperation(ops, operationName)
		case lexer.BRACE_L, lexer.BRACKET_L, lexer.PAREN_L:
			if depth == 0 && tok.Kind == lexer.BRACE_L {
				if !inHeader {
					ops = append(ops, gqlOperation{kind: "query"}) // query shorthand
				}
				inHeader = false
			}
			expectName = false
			depth++
		case lexer.BRACE_R, lexer.BRACKET_R, lexer.PAREN_R:
			if depth == 0 {
				return "unknown"
			}
			depth--
		case lexer.NAME:
			if depth > 0 {
				continue
			}
			if expectName {
				ops[len(ops)-1].name = tok.Value
				expectName = false
				continue
			}
			if !inHeader {
				inHeader = true
				switch tok.Value {
				case "query", "mutation", "subscription":
					ops = append(ops, gqlOperation{kind: tok.Value})
					expectName = true
				}
			}
		default:
			expectName = false
		}
	}
}

// gqlOperation is an operation definition found by operationType.
type gqlOperation struct{ kind, name string }

// pickOperation is the type of the operation a request selects.
func pickOperation(ops []gqlOperation, name string) string {
	for _, o := range ops {
		if name == "" && len(ops) == 1 || name != "" && o.name == name {
			return o.kind
		}
	}
	return "unknown"
}
