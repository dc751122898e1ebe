package web

import (
	"context"
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

// Load implements update.Loader: it fetches iri with an Accept header
// listing every syntax Tessera reads and decodes the body by its
// Content-Type (or, failing that, the IRI's extension). The body is closed
// when the returned stream ends.
func (l *AllowListLoader) Load(ctx context.Context, iri string) (graph.Quads, error) {
	allowed := false
	for _, p := range l.Prefixes {
		allowed = allowed || (p != "" && strings.HasPrefix(iri, p))
	}
	if !allowed {
		return nil, fmt.Errorf("load <%s>: not under an allowed prefix (the operator sets them with --allow-load)", iri)
	}
	u, err := url.Parse(iri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("load <%s>: only http and https IRIs can be loaded", iri)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, iri, nil)
	if err != nil {
		return nil, fmt.Errorf("load <%s>: %w", iri, err)
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
		return nil, fmt.Errorf("load <%s>: %w", iri, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("load <%s>: %s", iri, resp.Status)
	}
	var f loaders.Format
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if f, err = loaders.Lookup(mt); err != nil {
		if f, _, err = loaders.ForFile(path.Base(u.Path)); err != nil {
			resp.Body.Close()
			return nil, fmt.Errorf("load <%s>: unknown RDF syntax (Content-Type %q)", iri, mt)
		}
	}
	var body io.Reader = resp.Body
	if l.MaxBytes > 0 {
		body = io.LimitReader(body, l.MaxBytes)
	}
	dec := f.NewDecoder(body, loaders.DecodeOptions{Options: syntax.Options{File: iri, Base: iri}})
	return func(yield func(graph.Quad, error) bool) {
		defer resp.Body.Close()
		for q, err := range syntax.Quads(dec) {
			if !yield(q, err) || err != nil {
				return
			}
		}
	}, nil
}
