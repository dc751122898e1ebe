package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/sparql/update"
)

var _ update.Loader = (*AllowListLoader)(nil)

// AllowListLoader fetches the documents of SPARQL LOAD over HTTP(S), but
// only from IRIs that start with one of the operator's prefixes
// (`tessera serve --allow-load`): a public endpoint must not become a proxy
// into the network it runs in.
type AllowListLoader struct {
	// Prefixes are the allowed IRI prefixes ("https://data.example/").
	Prefixes []string
	// Client makes the requests; nil means a client with a 60 s timeout.
	Client *http.Client
	// MaxBytes caps a document (0: no cap).
	MaxBytes int64
}

// ErrLoadDenied is returned (wrapped) by AllowListLoader for a source that
// is not under one of the operator's prefixes, or not http(s).
var ErrLoadDenied = errors.New("not allowed as a LOAD source")

// LoadError is a LOAD source that could not be loaded: fetching it failed
// (unreachable, an HTTP error status, no RDF Content-Type, larger than the
// cap) or its content is not valid RDF (a syntax or JSON-LD error).
// OperationError tells the two apart: the source's server failed (502), or
// the document the client named is bad (400).
type LoadError struct {
	// IRI is the source.
	IRI string
	// Err is the cause.
	Err error
}

// Error returns the cause's text; the update executor names the source.
func (e *LoadError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *LoadError) Unwrap() error { return e.Err }

// apiError maps the failed load to an API error.
func (e *LoadError) apiError() *Error {
	var mbe *http.MaxBytesError
	if errors.As(e.Err, &mbe) {
		return apiError(http.StatusBadGateway, "load_failed", fmt.Sprintf("LOAD <%s>: the document is larger than the server's limit of %d bytes", e.IRI, mbe.Limit))
	}
	if de, ok := documentError(e.Err); ok {
		de.Message = fmt.Sprintf("LOAD <%s>: %s", e.IRI, de.Message)
		return de
	}
	return apiError(http.StatusBadGateway, "load_failed", fmt.Sprintf("LOAD <%s>: %v", e.IRI, e.Err))
}

// Load implements update.Loader: it fetches iri with an Accept header
// listing every syntax Tessera reads and decodes the body by its
// Content-Type (or, failing that, the IRI's extension). The body is closed
// when the returned stream ends. A source outside the allow-list fails with
// ErrLoadDenied, any other failure with a *LoadError.
func (l *AllowListLoader) Load(ctx context.Context, iri string) (graph.Quads, error) {
	allowed := false
	for _, p := range l.Prefixes {
		allowed = allowed || (p != "" && strings.HasPrefix(iri, p))
	}
	if !allowed {
		return nil, fmt.Errorf("%w: under none of the operator's prefixes (--allow-load)", ErrLoadDenied)
	}
	u, err := url.Parse(iri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("%w: only http and https IRIs can be loaded", ErrLoadDenied)
	}
	fail := func(err error) error { return &LoadError{IRI: iri, Err: err} }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, iri, nil)
	if err != nil {
		return nil, fail(err)
	}
	var accept []string
	for _, f := range loaders.Formats() {
		accept = append(accept, f.MediaType())
	}
	req.Header.Set("Accept", strings.Join(accept, ", "))
	client := l.Client
	if client == nil {
		client = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fail(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fail(fmt.Errorf("the server answered %s", resp.Status))
	}
	var f loaders.Format
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if f, err = loaders.Lookup(mt); err != nil {
		if f, _, err = loaders.ForFile(path.Base(u.Path)); err != nil {
			resp.Body.Close()
			return nil, fail(fmt.Errorf("unknown RDF syntax (Content-Type %q)", mt))
		}
	}
	var body io.ReadCloser = resp.Body
	if l.MaxBytes > 0 {
		// An error past the cap, not a silent cut: a document cut at a
		// line boundary would load as if it were whole. (No
		// ResponseWriter: this body is a response, not a request.)
		body = http.MaxBytesReader(nil, body, l.MaxBytes)
	}
	dec := f.NewDecoder(body, loaders.DecodeOptions{Options: syntax.Options{File: iri, Base: iri}})
	return func(yield func(graph.Quad, error) bool) {
		defer resp.Body.Close()
		for q, err := range syntax.Quads(dec) {
			if err != nil {
				yield(graph.Quad{}, fail(err))
				return
			}
			if !yield(q, nil) {
				return
			}
		}
	}, nil
}
