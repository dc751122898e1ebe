package web

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/loaders/jsonld"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/web/fdp"
)

// The SPARQL 1.1 Graph Store HTTP Protocol
// (https://www.w3.org/TR/sparql11-http-rdf-update/) at /store.
//
// A request names its graph indirectly, /store?graph=IRI or /store?default
// (§4.2), or directly: /store/some/path is the graph whose IRI is the
// request URL without its query (§4.1). A direct path is read as the Linked
// Data pages read theirs (fdp.CandidateIRIs): "x(1)", "x%281%29" and
// "caf%c3%a9" may name the graphs "x(1)" and "café", and the first candidate
// IRI naming a graph that exists is the one addressed. A write to a graph
// no candidate names creates the canonical one: the path with
// percent-encoded unreserved characters and ucschar decoded and other hex
// uppercased (iri.NormalizePercent), so "/store/caf%C3%A9" and
// "/store/café" both create "…/store/café", while "%28" stays "%28" (an
// encoded sub-delimiter is not equivalent to the character, RFC 3986
// §6.2.2.2). /store alone is the graph store itself, to which POST adds a
// new graph (§5.5) and answers its URI in Location. Writes are all or nothing
// (graph.Load), need the operator token, and take the body in any RDF
// syntax Tessera reads, chosen by Content-Type; multipart/form-data bodies
// merge every part. A body in a syntax with named graphs (TriG, N-Quads,
// JSON-LD) may use only its default graph: a request writes one graph.

// gspTarget is the graph a Graph Store request addresses.
type gspTarget struct {
	g     graph.Term // zero for the graph store itself
	store bool
	// candidates are, for a graph named by the request path, the IRIs the
	// path may name (fdp.CandidateIRIs); g is then the canonical one, which
	// resolve replaces by the first candidate naming a graph that exists.
	candidates []graph.Term
}

// directTarget is the graph named by a request path below /store/ (rest,
// as fdp.RequestPath gives it without the "/store/"): its candidate IRIs,
// and the canonical IRI, base/store/ + iri.NormalizePercent(rest).
func directTarget(base, rest string) (gspTarget, error) {
	prefix := base + "/store/"
	canonical := prefix + iri.NormalizePercent(rest)
	if !utf8.ValidString(canonical) {
		return gspTarget{}, apiError(http.StatusBadRequest, "bad_graph_iri", fmt.Sprintf("the request path /store/%s is not UTF-8 and names no IRI", rest))
	}
	t := gspTarget{g: graph.IRI(canonical)}
	for _, v := range fdp.CandidateIRIs(prefix, rest) {
		t.candidates = append(t.candidates, graph.IRI(v))
	}
	return t, nil
}

// resolve sets t.g to the first candidate IRI of a direct target naming a
// graph that exists; when none does, t.g stays the canonical IRI.
func (s *Server) resolve(ctx context.Context, t *gspTarget) error {
	if len(t.candidates) == 0 {
		return nil
	}
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		return apiError(http.StatusServiceUnavailable, "store_unavailable", err.Error())
	}
	defer snap.Release()
	for _, g := range t.candidates {
		ok, err := snap.HasGraph(ctx, g)
		if err != nil {
			return apiError(http.StatusInternalServerError, "store_failed", fmt.Sprintf("look up graph %s: %v", GraphName(g), err))
		}
		if ok {
			t.g = g
			return nil
		}
	}
	return nil
}

func (s *Server) gspTarget(c echo.Context) (gspTarget, error) {
	r := c.Request()
	params := r.URL.Query()
	_, isDefault := params["default"]
	graphs := params["graph"]
	direct := strings.TrimPrefix(fdp.RequestPath(r), "/store")
	direct = strings.TrimPrefix(direct, "/")
	switch {
	case direct != "" && (isDefault || len(graphs) > 0):
		return gspTarget{}, apiError(http.StatusBadRequest, "bad_request", "a graph named by the request path takes no ?graph= or ?default")
	case direct != "":
		return directTarget(s.base(r), direct)
	case isDefault && len(graphs) > 0:
		return gspTarget{}, apiError(http.StatusBadRequest, "bad_request", "give ?graph= or ?default, not both")
	case isDefault:
		return gspTarget{g: graph.DefaultGraph}, nil
	case len(graphs) > 1:
		return gspTarget{}, apiError(http.StatusBadRequest, "bad_request", "give one ?graph= parameter")
	case len(graphs) == 1:
		if !iri.IsAbsolute(graphs[0]) {
			return gspTarget{}, apiError(http.StatusBadRequest, "bad_graph_iri", fmt.Sprintf("graph %q is not an absolute IRI", graphs[0]))
		}
		return gspTarget{g: graph.IRI(graphs[0])}, nil
	}
	return gspTarget{store: true}, nil
}

func (s *Server) graphStore(c echo.Context) error {
	r := c.Request()
	const allow = "GET, HEAD, PUT, POST, DELETE"
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPost, http.MethodDelete:
	default:
		return methodNotAllowed(r.Method, allow, "the graph store")
	}
	t, err := s.gspTarget(c)
	if err != nil {
		return err
	}
	if t.store && r.Method != http.MethodPost {
		return apiError(http.StatusBadRequest, "missing_graph", "name a graph with ?graph=IRI or ?default (only POST creates a graph in the store itself)")
	}
	if err := s.resolve(r.Context(), &t); err != nil {
		return err
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		return s.gspGet(c, t.g)
	}
	if err := s.authorizeWrite(r); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.QueryTimeout)
	defer cancel()
	switch r.Method {
	case http.MethodDelete:
		return s.gspDelete(ctx, c, t.g)
	case http.MethodPut:
		return s.gspWrite(ctx, c, t.g, true)
	}
	if t.store {
		id := make([]byte, 16)
		_, _ = rand.Read(id)
		g := graph.IRI(s.base(r) + "/store/graphs/" + hex.EncodeToString(id))
		if err := s.gspLoad(ctx, c, g, false); err != nil {
			return err
		}
		// The IRI as a URI (non-ASCII characters of a --public-url
		// percent-encoded): a header holds ASCII only, and a GET of the
		// URI finds the graph again by its candidate IRIs.
		c.Response().Header().Set("Location", iri.ToURI(g.Value()))
		return c.NoContent(http.StatusCreated)
	}
	return s.gspWrite(ctx, c, t.g, false)
}

// exists reports whether g has content: a named graph that exists, or a
// default graph with quads.
func (s *Server) exists(ctx context.Context, g graph.Term) (bool, error) {
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		return false, err
	}
	defer snap.Release()
	if !g.IsDefaultGraph() {
		return snap.HasGraph(ctx, g)
	}
	for _, err := range snap.Quads(ctx, graph.Pattern{G: graph.DefaultGraph}) {
		return err == nil, err
	}
	return false, nil
}

func (s *Server) gspGet(c echo.Context, g graph.Term) error {
	r := c.Request()
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.QueryTimeout)
	defer cancel()
	out, ok := NegotiateRDF(r.Header.Get("Accept"))
	if f := r.URL.Query().Get("format"); f != "" {
		out, ok = lookupRDF(f)
	}
	if !ok {
		return apiError(http.StatusNotAcceptable, "not_acceptable", fmt.Sprintf("no RDF syntax Tessera writes matches Accept %q", r.Header.Get("Accept")))
	}
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		return apiError(http.StatusServiceUnavailable, "store_unavailable", err.Error())
	}
	defer snap.Release()
	if !g.IsDefaultGraph() {
		ok, err := snap.HasGraph(ctx, g)
		if err != nil {
			return apiError(http.StatusInternalServerError, "store_failed", err.Error())
		}
		if !ok {
			return apiError(http.StatusNotFound, "graph_not_found", fmt.Sprintf("graph %s does not exist", GraphName(g)))
		}
	}
	view, err := s.readable(ctx, r, snap)
	if err != nil {
		return err
	}
	// The first loaders.WriteSample triples are read before the response
	// starts, so that a syntax that cannot write them (writableRDF) yields
	// to the next acceptable one, or a 406, rather than a broken 200.
	next, stop := iter.Pull2(iter.Seq2[graph.Quad, error](view.Quads(ctx, graph.Pattern{G: g})))
	defer stop()
	var head []graph.Quad
	for len(head) < loaders.WriteSample {
		q, err, ok := next()
		if !ok {
			break
		}
		if err != nil {
			return apiError(http.StatusInternalServerError, "store_failed", fmt.Sprintf("read graph %s: %v", GraphName(g), err))
		}
		q.G = graph.DefaultGraph
		head = append(head, q)
	}
	opts := loaders.EncodeOptions{Prefixes: loaders.CommonPrefixes()}
	if out, err = writableRDF(out, head, opts, r.Header.Get("Accept"), r.URL.Query().Get("format") != ""); err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set("Content-Type", rdfContentType(out))
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Trailer", trailerError)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	enc, err := out.NewEncoder(bw, opts)
	if err != nil {
		return err
	}
	rest := func(yield func(graph.Quad, error) bool) {
		for _, q := range head {
			if !yield(q, nil) {
				return
			}
		}
		for {
			q, err, ok := next()
			if !ok || !yield(q, err) {
				return
			}
		}
	}
	for q, err := range rest {
		if err == nil {
			q.G = graph.DefaultGraph
			err = enc.Encode(q)
		}
		if err != nil {
			_ = bw.Flush()
			w.Header().Set(trailerError, err.Error())
			s.log.Warn("graph store GET ended early", "graph", GraphName(g), "error", err)
			return nil
		}
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

func (s *Server) gspDelete(ctx context.Context, c echo.Context, g graph.Term) error {
	err := s.store.Update(ctx, func(tx graph.Tx) error {
		if g.IsDefaultGraph() {
			return tx.ClearGraph(ctx, g)
		}
		return tx.DropGraph(ctx, g)
	})
	switch {
	case errors.Is(err, graph.ErrGraphNotFound):
		return apiError(http.StatusNotFound, "graph_not_found", fmt.Sprintf("graph %s does not exist", GraphName(g)))
	case err != nil:
		return storeWriteError(err)
	}
	s.written(g)
	return c.NoContent(http.StatusNoContent)
}

// gspWrite is PUT (replace) or POST (merge) on one graph: 201 when the
// graph did not exist before, else 204.
func (s *Server) gspWrite(ctx context.Context, c echo.Context, g graph.Term, replace bool) error {
	existed, err := s.exists(ctx, g)
	if err != nil {
		return apiError(http.StatusServiceUnavailable, "store_unavailable", err.Error())
	}
	if err := s.gspLoad(ctx, c, g, replace); err != nil {
		return err
	}
	if !existed {
		return c.NoContent(http.StatusCreated)
	}
	return c.NoContent(http.StatusNoContent)
}

// gspLoad streams the request body into g in one transaction.
func (s *Server) gspLoad(ctx context.Context, c echo.Context, g graph.Term, replace bool) error {
	r := c.Request()
	body, err := requestBody(c.Response(), r, s.opts.MaxUploadBytes)
	if err != nil {
		return err
	}
	base := g.Value()
	if g.IsDefaultGraph() {
		base = s.base(r) + "/store"
	}
	quads, err := bodyQuads(body, r.Header.Get("Content-Type"), base)
	if err != nil {
		return err
	}
	if _, err := graph.Load(ctx, s.store, oneGraph(payload(quads), g), graph.LoadOptions{Graph: g, Replace: replace}); err != nil {
		return storeWriteError(err)
	}
	s.written(g)
	return nil
}

// bodyQuads decodes a request body by its Content-Type; a multipart body
// yields the quads of every part in turn, each part decoded by its own
// Content-Type and with its own blank nodes.
func bodyQuads(body io.Reader, contentType, base string) (graph.Quads, error) {
	if contentType == "" {
		return nil, apiError(http.StatusUnsupportedMediaType, "missing_content_type", "the request body needs a Content-Type naming its RDF syntax")
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, apiError(http.StatusUnsupportedMediaType, "bad_content_type", fmt.Sprintf("Content-Type %q: %v", contentType, err))
	}
	if mt == "multipart/form-data" || mt == "multipart/mixed" {
		if params["boundary"] == "" {
			return nil, apiError(http.StatusBadRequest, "bad_content_type", "a multipart body needs a boundary parameter")
		}
		mr := multipart.NewReader(body, params["boundary"])
		return func(yield func(graph.Quad, error) bool) {
			for i := 1; ; i++ {
				part, err := mr.NextPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					yield(graph.Quad{}, fmt.Errorf("read multipart body: %w", err))
					return
				}
				name := part.FileName()
				if name == "" {
					name = fmt.Sprintf("part %d", i)
				}
				dec, err := decoderFor(part, part.Header.Get("Content-Type"), name, base)
				if err != nil {
					yield(graph.Quad{}, err)
					return
				}
				for q, err := range syntax.Quads(dec) {
					if !yield(q, err) || err != nil {
						return
					}
				}
			}
		}, nil
	}
	dec, err := decoderFor(body, contentType, "request body", base)
	if err != nil {
		return nil, err
	}
	return syntax.Quads(dec), nil
}

// payloadError marks an error of the request body itself (bad syntax, bad
// JSON-LD, a body that cannot be read): the client's to fix, so a 400 and
// never the store's 500.
type payloadError struct{ err error }

func (e *payloadError) Error() string { return e.err.Error() }
func (e *payloadError) Unwrap() error { return e.err }

// payload marks every error of a body's quad stream as a *payloadError.
func payload(quads graph.Quads) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		for q, err := range quads {
			if err != nil {
				yield(graph.Quad{}, &payloadError{err})
				return
			}
			if !yield(q, nil) {
				return
			}
		}
	}
}

func decoderFor(r io.Reader, contentType, name, base string) (syntax.Decoder, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, apiError(http.StatusUnsupportedMediaType, "bad_content_type", fmt.Sprintf("%s: Content-Type %q: %v", name, contentType, err))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, apiError(http.StatusUnsupportedMediaType, "bad_charset", fmt.Sprintf("%s: charset %s is not supported: send UTF-8", name, cs))
	}
	f, err := loaders.Lookup(mt)
	if err != nil {
		return nil, apiError(http.StatusUnsupportedMediaType, "unsupported_media_type", fmt.Sprintf("%s: %s is not an RDF syntax Tessera reads (%s)", name, mt, strings.Join(loaders.Names(), ", ")))
	}
	return f.NewDecoder(r, loaders.DecodeOptions{Options: syntax.Options{File: name, Base: base}}), nil
}

// graphInBodyError reports a quad of a Graph Store body (TriG, N-Quads,
// JSON-LD) in a named graph: the protocol writes the one graph the request
// names, and moving the quad into it silently would lose what the body
// said. (`tessera load --graph` does move them, with a note: there the
// operator asked for it.)
type graphInBodyError struct {
	named, target graph.Term
}

func (e *graphInBodyError) Error() string {
	target := "the default graph"
	if !e.target.IsDefaultGraph() {
		target = graphRef(e.target)
	}
	return fmt.Sprintf("the body names graph %s; the Graph Store Protocol writes the one graph of the request (%s): send its triples in the body's default graph, or write several graphs with SPARQL Update",
		graphRef(e.named), target)
}

// graphRef writes a graph name as in SPARQL: <iri>, or _:label.
func graphRef(g graph.Term) string {
	if g.IsBlank() {
		return "_:" + g.Value()
	}
	return "<" + g.Value() + ">"
}

// oneGraph passes on the quads of a body's default graph, which go into
// target, and fails with a *graphInBodyError at the first quad in a named
// graph: the write then changes nothing.
func oneGraph(quads graph.Quads, target graph.Term) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		for q, err := range quads {
			if err == nil && !q.G.IsDefaultGraph() {
				err = &graphInBodyError{named: q.G, target: target}
			}
			if err != nil {
				yield(graph.Quad{}, err)
				return
			}
			if !yield(q, nil) {
				return
			}
		}
	}
}

// storeWriteError maps a failed write to an API error: every error of the
// body is the client's (a syntax error 400 with file, line and column; a
// JSON-LD error 400 with its JSON-LD error code; a quad in a named graph
// 400; a body that cannot be read 400; an oversized body 413), a time limit is 503, and only a failure of
// the store itself is 500. Client errors say that nothing was changed: a
// write is all or nothing.
func storeWriteError(err error) error {
	var ae *Error
	var mbe *http.MaxBytesError
	var pe *payloadError
	var ge *graphInBodyError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &mbe):
		return apiError(http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("the request body exceeds the limit of %d bytes; nothing was changed", mbe.Limit))
	}
	if e, ok := documentError(err); ok {
		e.Message += "; nothing was changed"
		return e
	}
	switch {
	case errors.As(err, &ge):
		return apiError(http.StatusBadRequest, "graph_in_body", ge.Error()+"; nothing was changed")
	case errors.As(err, &pe):
		return apiError(http.StatusBadRequest, "bad_body", fmt.Sprintf("%v; nothing was changed", pe.err))
	case errors.Is(err, graph.ErrInvalidQuad):
		return apiError(http.StatusBadRequest, "invalid_quad", fmt.Sprintf("%v; nothing was changed", err))
	case errors.Is(err, context.DeadlineExceeded):
		return apiError(http.StatusServiceUnavailable, "timeout", "the write exceeded its time limit; nothing was changed")
	}
	return apiError(http.StatusInternalServerError, "store_failed", err.Error())
}

// documentError describes an error in the content of an RDF document
// someone sent (a request body, a LOAD source): a syntax error is 400
// syntax_error with file, line and column in details; a JSON-LD error 400
// invalid_jsonld with the JSON-LD error code in details.jsonld_code (a
// context the server does not bundle is worded for the sender, who cannot
// configure the server's loader). It reports false for any other error.
func documentError(err error) (*Error, bool) {
	if se, ok := syntax.AsError(err); ok {
		e := apiError(http.StatusBadRequest, "syntax_error", se.Error())
		e.Details = map[string]any{"file": se.File, "line": se.Line, "column": se.Column}
		return e, true
	}
	var je *jsonld.Error
	if !errors.As(err, &je) {
		return nil, false
	}
	msg := je.Error()
	if rce := (*jsonld.RemoteContextError)(nil); errors.As(je, &rce) {
		msg = fmt.Sprintf("%s: jsonld: %s: context %s is not one this server bundles, and it fetches no others: embed the context in the document, or use a bundled one (%s)",
			je.File, je.Code, rce.URL, strings.Join(rce.Bundled, ", "))
	}
	e := apiError(http.StatusBadRequest, "invalid_jsonld", msg)
	details := map[string]any{"file": je.File}
	if je.Code != "" {
		details["jsonld_code"] = je.Code
	}
	e.Details = details
	return e, true
}
