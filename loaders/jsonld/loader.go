package jsonld

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/piprate/json-gold/ld"
)

// DefaultMaxFetchBytes caps a remote document fetched by a DocumentLoader
// when LoaderOptions.MaxBytes is zero. Contexts are small; 4 MiB leaves room
// for the largest published ones (schema.org's is under 1 MiB).
const DefaultMaxFetchBytes = 4 << 20

// DefaultMaxCached bounds the number of fetched documents and of processed
// contexts a DocumentLoader keeps when LoaderOptions.MaxCached is zero.
const DefaultMaxCached = 512

// bundled holds the contexts shipped inside the binary; contexts/README.md
// gives their source and licence.
//
//go:embed contexts/*.jsonld
var bundled embed.FS

// bundledContexts maps the IRI each bundled context is published at to its
// file under contexts/. It is read-only.
var bundledContexts = map[string]string{
	"https://tessera-fair.github.io/context/dcat-ap-3.jsonld":      "contexts/dcat-ap-3.jsonld",
	"https://tessera-fair.github.io/context/healthdcat-ap.jsonld":  "contexts/healthdcat-ap.jsonld",
	"https://tessera-fair.github.io/context/eucaim-dcat-ap.jsonld": "contexts/eucaim-dcat-ap.jsonld",
}

// BundledContexts returns the IRIs of the contexts every DocumentLoader
// serves offline, sorted, so documentation, messages and the server can list
// them.
func BundledContexts() []string {
	return slices.Sorted(maps.Keys(bundledContexts))
}

// RemoteContextError reports a context a DocumentLoader would not load: it
// is neither bundled nor one of LoaderOptions.Documents, and it may not be
// fetched (remote loading is off, or its URL is under no allowed prefix).
// Its message is for the people who wrote or load the document, with no Go
// API in it, because it reaches command-line and HTTP users; callers may add
// what their users can do (a flag, a server option). Go callers can serve
// the context with LoaderOptions.Documents, or fetch it by adding its URL
// prefix to LoaderOptions.Allow (with Client and Timeout). Decoder errors
// wrap it: find it with errors.As.
type RemoteContextError struct {
	// URL is the context's IRI, as the document gives it.
	URL string
	// Bundled lists the IRIs of the bundled contexts, sorted.
	Bundled []string
	// Allowed lists the URL prefixes contexts may be fetched from; empty
	// when remote loading is off.
	Allowed []string
}

// Error says which context could not be loaded, why, and which contexts are
// bundled.
func (e *RemoteContextError) Error() string {
	why := "remote contexts are not fetched (offline by design)"
	if len(e.Allowed) > 0 {
		why = "it is not under a URL prefix contexts may be fetched from (" + strings.Join(e.Allowed, ", ") + ")"
	}
	return fmt.Sprintf("context %s could not be loaded: %s, and it is not bundled (bundled contexts: %s)",
		e.URL, why, strings.Join(e.Bundled, ", "))
}

// LoaderOptions configure a DocumentLoader. The zero value is an offline
// loader that serves only the bundled contexts and Documents.
type LoaderOptions struct {
	// Documents are extra documents served offline, by IRI: contexts an
	// operator has vetted and stored locally. They are parsed when the loader
	// is created.
	Documents map[string][]byte
	// Allow lists the URL prefixes that may be fetched over the network, for
	// example "https://w3id.org/healthdcat-ap/". A prefix that does not end in
	// '/', '#' or '?' matches only at a path boundary, so
	// "https://example.org" does not allow "https://example.org.evil/".
	// Fetching also needs Client and Timeout.
	Allow []string
	// Client performs the fetches. Redirects are followed only to allowed
	// URLs. Fetching is off while Client is nil.
	Client *http.Client
	// Timeout bounds one fetch, connection to last byte. Fetching is off
	// while Timeout is zero, so an operator must choose one.
	Timeout time.Duration
	// MaxBytes caps a fetched document; 0 means DefaultMaxFetchBytes.
	MaxBytes int64
	// MaxCached bounds the fetched documents and the processed contexts kept;
	// 0 means DefaultMaxCached. When full, new entries are not cached.
	MaxCached int
}

// DocumentLoader is the safe json-gold document loader Tessera uses for
// JSON-LD contexts. It exists because json-gold's own loaders are unsafe for
// a server: the default one opens local files for any non-HTTP IRI (a
// document can read /etc/passwd as its context) and fetches with no timeout
// or size limit, and the caching one is not goroutine-safe.
//
// A DocumentLoader serves bundled contexts and LoaderOptions.Documents
// offline, never reads local files, and uses the network only for URLs under
// an allowed prefix with a timeout and a size cap. It caches fetched
// documents and processed contexts, so documents that share a context do
// not re-process it; share one DocumentLoader across decoders to benefit.
// It is safe for concurrent use.
type DocumentLoader struct {
	opts LoaderOptions

	mu       sync.Mutex
	fetched  map[string]*fetchEntry
	contexts map[contextKey]*ld.Context
	acyclic  map[string]bool // remote contexts checked by checkChain
}

// fetchEntry is one cached fetch; done closes when doc or err is set, so
// concurrent loads of one URL wait for a single fetch.
type fetchEntry struct {
	done chan struct{}
	data []byte
	err  error
}

// contextKey names a processed top-level context: the IRIs of the remote
// contexts, in order, and the processing mode.
type contextKey struct {
	iris string
	mode string
}

var _ ld.DocumentLoader = (*DocumentLoader)(nil)

// NewDocumentLoader returns a loader with the given options. It fails when an
// operator document is not JSON, or when Allow is set without a Client and a
// Timeout (a configuration that would silently stay offline).
func NewDocumentLoader(opts LoaderOptions) (*DocumentLoader, error) {
	if len(opts.Allow) > 0 && (opts.Client == nil || opts.Timeout <= 0) {
		return nil, errors.New("jsonld loader: an allow-list needs an HTTP client and a timeout")
	}
	for iri, data := range opts.Documents {
		if _, err := parseJSON(data); err != nil {
			return nil, fmt.Errorf("jsonld loader: document %s: %w", iri, err)
		}
	}
	return newLoader(opts), nil
}

// newLoader builds a loader from checked options.
func newLoader(opts LoaderOptions) *DocumentLoader {
	// Copy what the caller may change later.
	opts.Documents = maps.Clone(opts.Documents)
	opts.Allow = slices.Clone(opts.Allow)
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxFetchBytes
	}
	if opts.MaxCached <= 0 {
		opts.MaxCached = DefaultMaxCached
	}
	return &DocumentLoader{
		opts:     opts,
		fetched:  make(map[string]*fetchEntry),
		contexts: make(map[contextKey]*ld.Context),
		acyclic:  make(map[string]bool),
	}
}

// parseJSON decodes one JSON value and rejects trailing data.
func parseJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return doc, nil
}

// LoadDocument implements ld.DocumentLoader. Documents are cached as bytes
// and decoded afresh for each call, so every caller gets a private copy:
// json-gold modifies loaded documents in place (when it merges an @import),
// which would corrupt a shared cached copy.
func (l *DocumentLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	doc, err := l.loadContext(u)
	if err != nil {
		return nil, err
	}
	if err := l.checkChain(u, nil); err != nil {
		return nil, err
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}

// loadContext returns a fresh decoded copy of the document at u, with the
// context references in its @context made absolute against u: json-gold
// would resolve them against the referencing document's base.
func (l *DocumentLoader) loadContext(u string) (any, error) {
	data, err := l.load(u)
	if err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, err)
	}
	doc, err := parseJSON(data)
	if err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, fmt.Errorf("document %s: %w", u, err))
	}
	if m, ok := doc.(map[string]any); ok {
		if c, ok := m["@context"]; ok {
			if c, err := prepareContext(c, u, false, nil); err == nil {
				m["@context"] = c
			}
		}
	}
	return doc, nil
}

// maxContextChain bounds how deeply remote contexts may reference remote
// contexts.
const maxContextChain = 32

// checkChain fails when the remote context at u includes itself, directly or
// through other remote contexts, or when the chain is deeper than
// maxContextChain. json-gold's own check is broken (it copies the list of
// contexts seen into a zero-length slice), so such a context recurses until
// the goroutine's stack overflows, which kills the process: a recover cannot
// catch it. Verdicts are cached per URL.
func (l *DocumentLoader) checkChain(u string, path []string) error {
	if slices.Contains(path, u) {
		return ld.NewJsonLdError(ld.RecursiveContextInclusion, fmt.Sprintf("%s includes itself through %s", u, strings.Join(path, " → ")))
	}
	if len(path) >= maxContextChain {
		return ld.NewJsonLdError(ld.LoadingRemoteContextFailed, fmt.Sprintf("remote contexts nested deeper than %d at %s", maxContextChain, u))
	}
	l.mu.Lock()
	ok := l.acyclic[u]
	l.mu.Unlock()
	if ok {
		return nil
	}
	doc, err := l.loadContext(u)
	if err != nil {
		if len(path) == 0 {
			return err
		}
		return nil // reported when json-gold loads it
	}
	m, _ := doc.(map[string]any)
	refs, isList := m["@context"].([]any)
	if !isList {
		refs = []any{m["@context"]}
	}
	path = append(path, u)
	for _, r := range refs {
		if s, ok := r.(string); ok {
			if err := l.checkChain(s, path); err != nil {
				return err
			}
		}
	}
	l.mu.Lock()
	if len(l.acyclic) < l.opts.MaxCached {
		l.acyclic[u] = true
	}
	l.mu.Unlock()
	return nil
}

// load returns the bytes of the document at u.
func (l *DocumentLoader) load(u string) ([]byte, error) {
	if data, ok := l.opts.Documents[u]; ok {
		return data, nil
	}
	if file, ok := bundledContexts[u]; ok {
		return bundled.ReadFile(file)
	}
	if !l.allowed(u) {
		e := &RemoteContextError{URL: u, Bundled: BundledContexts()}
		if l.opts.Client != nil && l.opts.Timeout > 0 {
			e.Allowed = slices.Clone(l.opts.Allow)
		}
		return nil, e
	}
	l.mu.Lock()
	e, ok := l.fetched[u]
	if ok {
		l.mu.Unlock()
		<-e.done
		return e.data, e.err
	}
	e = &fetchEntry{done: make(chan struct{})}
	cache := len(l.fetched) < l.opts.MaxCached
	if cache {
		l.fetched[u] = e
	}
	l.mu.Unlock()

	e.data, e.err = l.fetch(u)
	close(e.done)
	if e.err != nil && cache {
		// Failures are not cached: the next document retries.
		l.mu.Lock()
		delete(l.fetched, u)
		l.mu.Unlock()
	}
	return e.data, e.err
}

// allowed reports whether u may be fetched over the network.
func (l *DocumentLoader) allowed(u string) bool {
	if l.opts.Client == nil || l.opts.Timeout <= 0 {
		return false
	}
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return false
	}
	for _, p := range l.opts.Allow {
		if !strings.HasPrefix(u, p) || p == "" {
			continue
		}
		if strings.HasSuffix(p, "/") || strings.HasSuffix(p, "#") || strings.HasSuffix(p, "?") || len(u) == len(p) {
			return true
		}
		switch u[len(p)] {
		case '/', '?', '#':
			return true
		}
	}
	return false
}

// fetch gets u over HTTP with the timeout and size cap and checks that it
// is JSON.
func (l *DocumentLoader) fetch(u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), l.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, http.NoBody)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/ld+json, application/json;q=0.9")
	client := *l.opts.Client
	next := client.CheckRedirect
	client.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if !l.allowed(r.URL.String()) {
			return fmt.Errorf("redirect to %s, which is not under an allowed prefix", r.URL)
		}
		if next != nil {
			return next(r, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: status %s", u, res.Status)
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, l.opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	if int64(len(data)) > l.opts.MaxBytes {
		return nil, fmt.Errorf("fetch %s: larger than %d bytes", u, l.opts.MaxBytes)
	}
	if _, err := parseJSON(data); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	return data, nil
}

// cachedContext returns the processed context for key, if cached.
func (l *DocumentLoader) cachedContext(key contextKey) (*ld.Context, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.contexts[key]
	return c, ok
}

// storeContext caches a processed context (nil marks one that cannot be
// cached) unless the cache is full.
func (l *DocumentLoader) storeContext(key contextKey, c *ld.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.contexts) < l.opts.MaxCached {
		l.contexts[key] = c
	}
}
