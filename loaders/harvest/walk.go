package harvest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// accept is the Accept header of every request: the RDF syntaxes Tessera
// reads, Turtle first, never HTML.
const accept = "text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8, application/n-triples;q=0.8, application/n-quads;q=0.7, application/trig;q=0.7"

// linkPredicates are the relations from a catalogue resource to the
// resources one level down that the walker follows.
var linkPredicates = map[string]bool{
	"https://w3id.org/fdp/fdp-o#metadataCatalog":    true,
	"http://www.w3.org/ns/ldp#contains":             true,
	"http://www.w3.org/ns/dcat#catalog":             true,
	"http://www.w3.org/ns/dcat#dataset":             true,
	"http://www.w3.org/ns/dcat#distribution":        true,
	"http://www.re3data.org/schema/3-0#dataCatalog": true,
	"http://www.w3.org/ns/hydra/core#next":          true,
}

// pagePredicates are links to the next page of the same listing, followed
// even when the target is already described.
var pagePredicates = map[string]bool{
	"http://www.w3.org/ns/hydra/core#next": true,
}

// link is a document to fetch.
type link struct {
	url  string
	page bool // a next-page link: fetch even if its subject is described
}

// extractLinks returns the link targets of a document's triples: objects of
// linkPredicates that are http(s) IRIs, without fragments, in order and
// without duplicates.
func extractLinks(quads []graph.Quad) []link {
	var out []link
	seen := map[string]bool{}
	for _, q := range quads {
		if !q.O.IsIRI() || !linkPredicates[q.P.Value()] {
			continue
		}
		u, ok := normalise(q.O.Value())
		if !ok || seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, link{url: u, page: pagePredicates[q.P.Value()]})
	}
	return out
}

// normalise returns an absolute http(s) URL without its fragment, or false.
func normalise(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String(), true
}

// nextLinks returns the targets of rel="next" in Link headers (RFC 8288),
// resolved against the document URL.
func nextLinks(h http.Header, base *url.URL) []link {
	var out []link
	for _, v := range h.Values("Link") {
		for _, part := range splitLinkHeader(v) {
			target, params, ok := strings.Cut(part, ">")
			target = strings.TrimSpace(target)
			if !ok || !strings.HasPrefix(target, "<") {
				continue
			}
			target = target[1:]
			next := false
			for _, p := range strings.Split(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(strings.TrimSpace(k), "rel") {
					for _, r := range strings.Fields(strings.Trim(strings.TrimSpace(val), `"`)) {
						if strings.EqualFold(r, "next") {
							next = true
						}
					}
				}
			}
			if !next {
				continue
			}
			ref, err := url.Parse(target)
			if err != nil {
				continue
			}
			if u, ok := normalise(base.ResolveReference(ref).String()); ok {
				out = append(out, link{url: u, page: true})
			}
		}
	}
	return out
}

// splitLinkHeader splits a Link header value at the commas between links
// (not those inside <...> or quotes).
func splitLinkHeader(v string) []string {
	var parts []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"' && depth == 0:
			quoted = !quoted
		case c == '<' && !quoted:
			depth++
		case c == '>' && !quoted && depth > 0:
			depth--
		case c == ',' && depth == 0 && !quoted:
			parts = append(parts, v[start:i])
			start = i + 1
		}
	}
	return append(parts, v[start:])
}

// fetchError is a failed document, with its HTTP status when there was one.
type fetchError struct {
	status int
	err    error
}

func (e *fetchError) Error() string { return e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

// fetch gets one document and decodes it. It returns its triples (graph
// dropped, blank nodes relabelled deterministically), the next-page links
// of its headers, and the URL it was finally read from.
func fetch(ctx context.Context, u string, opts Options, budget int) ([]graph.Quad, []link, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, &fetchError{err: fmt.Errorf("request %s: %w", u, err)}
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "tessera-harvest")
	resp, err := opts.Client.Do(req)
	if err != nil {
		return nil, nil, &fetchError{err: fmt.Errorf("get %s: %w", u, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, nil, &fetchError{status: resp.StatusCode, err: fmt.Errorf("get %s: %s", u, resp.Status)}
	}
	final := resp.Request.URL
	if final == nil {
		final, _ = url.Parse(u)
	}
	f, err := formatOf(resp.Header.Get("Content-Type"), final.Path)
	if err != nil {
		return nil, nil, &fetchError{status: resp.StatusCode, err: fmt.Errorf("get %s: %w", u, err)}
	}
	body := &capReader{r: resp.Body, left: opts.MaxBytes}
	dec := f.NewDecoder(body, loaders.DecodeOptions{Options: syntax.Options{File: u, Base: final.String()}})
	relabel := map[graph.Term]graph.Term{}
	var quads []graph.Quad
	for {
		q, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if body.over {
			return nil, nil, &fetchError{status: resp.StatusCode, err: fmt.Errorf("get %s: document larger than %d bytes", u, opts.MaxBytes)}
		}
		if err != nil {
			return nil, nil, &fetchError{status: resp.StatusCode, err: fmt.Errorf("read %s: %w", u, err)}
		}
		if len(quads) >= budget {
			return nil, nil, fmt.Errorf("%w: more than %d triples", ErrLimit, opts.MaxTriples)
		}
		q.S, q.O = stableBlank(relabel, u, q.S), stableBlank(relabel, u, q.O)
		q.G = graph.Term{}
		if q.Valid() {
			quads = append(quads, q)
		}
	}
	if body.over {
		return nil, nil, &fetchError{status: resp.StatusCode, err: fmt.Errorf("get %s: document larger than %d bytes", u, opts.MaxBytes)}
	}
	return quads, nextLinks(resp.Header, final), nil
}

// stableBlank renames a document's blank nodes by the document URL and
// their order of first appearance, so that re-harvesting the same document
// gives the same nodes.
func stableBlank(relabel map[graph.Term]graph.Term, doc string, t graph.Term) graph.Term {
	if !t.IsBlank() {
		return t
	}
	if r, ok := relabel[t]; ok {
		return r
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d", doc, len(relabel)))
	r := graph.Blank("h" + hex.EncodeToString(h[:12]))
	relabel[t] = r
	return r
}

// capReader reads at most left bytes and then reports over.
type capReader struct {
	r    io.Reader
	left int64
	over bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One byte more tells a document of exactly the cap from a longer one.
		var b [1]byte
		if n, _ := c.r.Read(b[:]); n > 0 {
			c.over = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// formatOf finds the RDF syntax of a response: by Content-Type, else by the
// URL's file extension (servers often say text/plain or
// application/octet-stream for .ttl files).
func formatOf(contentType, path string) (loaders.Format, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err == nil && mt != "" {
		if mt == "text/html" || mt == "application/xhtml+xml" {
			return loaders.Format{}, fmt.Errorf("the server answered with HTML, not RDF")
		}
		if f, err := loaders.Lookup(mt); err == nil {
			return f, nil
		}
	}
	if f, _, err := loaders.ForFile(path); err == nil {
		return f, nil
	}
	return loaders.Format{}, fmt.Errorf("content type %q is not an RDF syntax Tessera reads", contentType)
}

// walk fetches the source and what it links to, breadth first, and returns
// every triple found, without duplicates.
func walk(ctx context.Context, source string, opts Options, rep *Report) ([]graph.Quad, error) {
	src, ok := normalise(source)
	if !ok {
		return nil, fmt.Errorf("%w: %q is not an absolute http(s) URL", ErrSource, source)
	}
	srcURL, _ := url.Parse(src)
	hosts := append([]string{srcURL.Host}, opts.AllowHosts...)
	queue := []link{{url: src}}
	queued := map[string]bool{src: true}
	described := map[graph.Term]bool{}
	seen := map[graph.Quad]bool{}
	var triples []graph.Quad
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("harvest %s: %w", source, err)
		}
		l := queue[0]
		queue = queue[1:]
		if !l.page && l.url != src && described[graph.IRI(l.url)] {
			continue
		}
		if rep.Documents >= opts.MaxDocuments {
			return nil, fmt.Errorf("%w: more than %d documents (raise the limit or harvest a smaller source)", ErrLimit, opts.MaxDocuments)
		}
		rep.Documents++
		quads, next, err := fetch(ctx, l.url, opts, opts.MaxTriples)
		if err != nil {
			if errors.Is(err, ErrLimit) || ctx.Err() != nil {
				return nil, fmt.Errorf("harvest %s: %w", source, err)
			}
			if l.url == src {
				return nil, fmt.Errorf("%w: %w", ErrSource, err)
			}
			f := Failure{URL: l.url, Error: err.Error()}
			var fe *fetchError
			if errors.As(err, &fe) {
				f.Status = fe.status
			}
			rep.Failures = append(rep.Failures, f)
			opts.Logger.Warn("harvest: document failed", "url", l.url, "error", err)
			continue
		}
		for _, q := range quads {
			if seen[q] {
				continue
			}
			seen[q] = true
			triples = append(triples, q)
			if q.P == rdfType {
				described[q.S] = true
			}
		}
		if len(triples) > opts.MaxTriples {
			return nil, fmt.Errorf("harvest %s: %w: more than %d triples", source, ErrLimit, opts.MaxTriples)
		}
		for _, nl := range append(extractLinks(quads), next...) {
			if queued[nl.url] {
				continue
			}
			queued[nl.url] = true
			u, _ := url.Parse(nl.url)
			if !slices.Contains(hosts, u.Host) {
				rep.Skipped = append(rep.Skipped, nl.url)
				continue
			}
			queue = append(queue, nl)
		}
	}
	return triples, nil
}
