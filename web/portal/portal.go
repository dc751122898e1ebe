// Package portal is Tessera's discovery portal: the web pages a researcher
// opens at "/" to search the catalogue, read a dataset's metadata and the
// charts of its cohort, and build a cohort across datasets without writing a
// query.
//
// The pages are plain HTML, CSS and JavaScript modules embedded in the
// binary (no framework, no external URL, no inline script, so a strict
// Content-Security-Policy holds). They talk only to the public GraphQL API at
// /graphql; this package serves files and nothing else.
//
// Routes: GET "/" and the page routes "/portal/search", "/portal/dataset"
// and "/portal/cohort" answer index.html (the script renders the page named
// by the URL, so links and back/forward work); "/portal/v/VERSION/FILE"
// serves an asset as immutable (VERSION is a hash of every asset, so a new
// binary changes every asset URL); "/portal/FILE" serves the same asset for
// revalidation. Every response carries a strong ETag, answers
// If-None-Match with 304, and is gzip-compressed when the client accepts it.
//
// Not implemented: server-side rendering (the pages need JavaScript) and
// translations of the interface itself (the data language is selectable).
package portal

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

//go:embed assets
var embedded embed.FS

// Pages are the URL paths that answer index.html; the script picks the view.
var Pages = []string{"/", "/portal/search", "/portal/dataset", "/portal/cohort"}

// CSP is the Content-Security-Policy of the portal's HTML: everything from
// the same origin, no inline script or style attribute in markup, no
// framing. It is exported so tests and operators' proxies can reuse it.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// Cache-Control values: versioned asset URLs never change; the HTML and
// unversioned URLs are revalidated (cheaply, by ETag) on every use.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// asset is one embedded file, ready to serve.
type asset struct {
	name  string // path below assets/, e.g. "app.js"
	ctype string
	body  []byte
	gz    []byte // nil when compression does not pay
	etag  string
}

// bundle is every asset plus the version hash over all of them.
type bundle struct {
	version string
	files   map[string]*asset
	index   *asset
}

var load = sync.OnceValues(func() (*bundle, error) { return newBundle(embedded) })

// newBundle reads the assets below "assets" in fsys, hashes them into one
// version and renders index.html with that version in its asset URLs.
func newBundle(fsys fs.FS) (*bundle, error) {
	sub, err := fs.Sub(fsys, "assets")
	if err != nil {
		return nil, fmt.Errorf("portal assets: %w", err)
	}
	b := &bundle{files: map[string]*asset{}}
	var names []string
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list portal assets: %w", err)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		body, err := fs.ReadFile(sub, n)
		if err != nil {
			return nil, fmt.Errorf("read portal asset %s: %w", n, err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(body))
		h.Write(body)
		b.files[n] = newAsset(n, body)
	}
	b.version = hex.EncodeToString(h.Sum(nil))[:12]
	idx, ok := b.files["index.html"]
	if !ok {
		return nil, fmt.Errorf("portal assets: index.html is missing")
	}
	b.index = newAsset("index.html", bytes.ReplaceAll(idx.body, []byte("{{version}}"), []byte(b.version)))
	delete(b.files, "index.html")
	return b, nil
}

func newAsset(name string, body []byte) *asset {
	ctype := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) { // the OS mime table may lack these or differ
	case ".js", ".mjs":
		ctype = "text/javascript; charset=utf-8"
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".html":
		ctype = "text/html; charset=utf-8"
	case ".svg":
		ctype = "image/svg+xml"
	case ".json":
		ctype = "application/json"
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	sum := sha256.Sum256(body)
	a := &asset{name: name, ctype: ctype, body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	if len(body) > 512 && !strings.HasPrefix(ctype, "image/png") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(body)
		if zw.Close() == nil && buf.Len() < len(body)*9/10 {
			a.gz = buf.Bytes()
		}
	}
	return a
}

// Version returns the hash of the embedded assets, which appears in their
// URLs ("/portal/v/VERSION/app.js").
func Version() string {
	b, err := load()
	if err != nil {
		return ""
	}
	return b.version
}

// Register adds the portal's routes to e: the pages (Pages) and the assets
// below /portal/. Other routes of e are left alone.
func Register(e *echo.Echo) {
	for _, p := range Pages {
		e.GET(p, page)
		e.HEAD(p, page)
	}
	e.GET("/portal", redirectHome)
	e.GET("/portal/", redirectHome)
	e.GET("/portal/v/:version/*", versioned)
	e.HEAD("/portal/v/:version/*", versioned)
	e.GET("/portal/*", unversioned)
	e.HEAD("/portal/*", unversioned)
}

func redirectHome(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, "/")
}

func page(c echo.Context) error {
	b, err := load()
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", CSP)
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	return serve(c, b.index, cacheRevalidate)
}

func versioned(c echo.Context) error {
	b, err := load()
	if err != nil {
		return err
	}
	a, ok := b.files[c.Param("*")]
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "no portal asset "+c.Param("*"))
	}
	if c.Param("version") != b.version {
		// An older page asking for its own version: serve the current file,
		// but do not let a cache keep it under the old URL for a year.
		return serve(c, a, cacheRevalidate)
	}
	return serve(c, a, cacheImmutable)
}

func unversioned(c echo.Context) error {
	b, err := load()
	if err != nil {
		return err
	}
	a, ok := b.files[c.Param("*")]
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "no portal asset "+c.Param("*"))
	}
	return serve(c, a, cacheRevalidate)
}

// serve writes a with its validators, honouring If-None-Match and
// Accept-Encoding.
func serve(c echo.Context, a *asset, cache string) error {
	h := c.Response().Header()
	h.Set("Cache-Control", cache)
	h.Set("ETag", a.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatch(inm, a.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	body := a.body
	if a.gz != nil && acceptsGzip(c.Request().Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	if c.Request().Method == http.MethodHead {
		h.Set("Content-Type", a.ctype)
		h.Set("Content-Length", fmt.Sprint(len(body)))
		return c.NoContent(http.StatusOK)
	}
	return c.Blob(http.StatusOK, a.ctype, body)
}

// etagMatch reports whether an If-None-Match header lists tag (weak
// comparison, RFC 9110 §13.1.2).
func etagMatch(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip (a
// q=0 refusal included).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
