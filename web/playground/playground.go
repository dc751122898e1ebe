// Package playground is Tessera's GraphiQL playground: the page served at
// GET /graphql to browsers, the third-party browser builds it loads
// (GraphiQL, React and ReactDOM, bundled into the binary: no CDN at run
// time, see README.md for sources, versions and licences) and the example
// queries for the demo catalogue that it opens as tabs.
//
// The page is written for a strict Content-Security-Policy
// (ContentSecurityPolicy): no inline script runs; the configuration (GraphQL
// endpoint, examples) travels in a JSON data block that playground.js reads.
// Introspection is on: GraphiQL loads the schema from the endpoint.
//
// Not implemented: subscriptions (the API has none), GraphiQL plugins such
// as the query explorer.
package playground

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

//go:embed assets
var assetFS embed.FS

//go:embed examples
var exampleFS embed.FS

//go:embed page.html
var pageText string

// ContentSecurityPolicy is the policy the page works under; the server
// sends it with the page. Scripts and styles come only from the server;
// inline style attributes are allowed because CodeMirror sets them; fonts
// and images of the GraphiQL stylesheet are data: URLs.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Scripts and Stylesheets are the asset files the page loads, in order.
var (
	Scripts     = []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "playground.js"}
	Stylesheets = []string{"graphiql.min.css", "playground.css"}
)

// Example is one example query preloaded as a tab.
type Example struct {
	// Name is the file name without extension ("01-lung-cancer-...").
	Name string `json:"name"`
	// Title is the first line of the leading comment.
	Title string `json:"title"`
	// Query is the GraphQL document, comment included.
	Query string `json:"query"`
	// Variables is the JSON text of the example's variables, if it has any.
	Variables string `json:"variables,omitempty"`
}

// Examples returns the bundled example queries in file-name order.
func Examples() []Example {
	ents, _ := fs.ReadDir(exampleFS, "examples") // embedded: cannot fail
	var out []Example
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".graphql")
		if !ok {
			continue
		}
		q, _ := exampleFS.ReadFile("examples/" + e.Name())
		ex := Example{Name: name, Query: string(q), Title: title(string(q))}
		if v, err := exampleFS.ReadFile("examples/" + name + ".json"); err == nil {
			ex.Variables = strings.TrimSpace(string(v))
		}
		out = append(out, ex)
	}
	return out
}

// title is the text of the first comment line of a document.
func title(doc string) string {
	line, _, _ := strings.Cut(doc, "\n")
	if t, ok := strings.CutPrefix(strings.TrimSpace(line), "#"); ok {
		return strings.TrimSpace(t)
	}
	return ""
}

// Config says where the page finds the API and its assets.
type Config struct {
	// Endpoint is the URL of the GraphQL endpoint as the browser sees it
	// (default "/graphql").
	Endpoint string
	// AssetBase is the URL path under which Assets is served, ending in
	// "/" (default "/graphql/playground/").
	AssetBase string
	// Title is the page title (default "Tessera GraphQL").
	Title string
}

// pageConfig is the JSON data block playground.js reads.
type pageConfig struct {
	Endpoint string    `json:"endpoint"`
	Version  string    `json:"version"`
	Examples []Example `json:"examples"`
}

var pageTmpl = template.Must(template.New("page").Parse(pageText))

// Page renders the playground's HTML. Asset URLs carry a version parameter
// (a hash of the bundle and the examples) so that browsers reload them
// after an upgrade.
func Page(cfg Config) ([]byte, error) {
	if cfg.Endpoint == "" {
		cfg.Endpoint = "/graphql"
	}
	if cfg.AssetBase == "" {
		cfg.AssetBase = "/graphql/playground/"
	}
	if !strings.HasSuffix(cfg.AssetBase, "/") {
		cfg.AssetBase += "/"
	}
	if cfg.Title == "" {
		cfg.Title = "Tessera GraphQL"
	}
	b := bundle()
	url := func(name string) string { return cfg.AssetBase + name + "?v=" + b.version }
	var scripts, styles []string
	for _, s := range Scripts {
		scripts = append(scripts, url(s))
	}
	for _, s := range Stylesheets {
		styles = append(styles, url(s))
	}
	var buf bytes.Buffer
	err := pageTmpl.Execute(&buf, map[string]any{
		"Title":   cfg.Title,
		"Scripts": scripts,
		"Styles":  styles,
		"Config":  pageConfig{Endpoint: cfg.Endpoint, Version: b.version, Examples: Examples()},
	})
	if err != nil {
		return nil, fmt.Errorf("render the playground page: %w", err)
	}
	return buf.Bytes(), nil
}

// asset is one embedded file, with its gzip form computed once.
type asset struct {
	name, contentType, etag string
	body                    []byte
	gzOnce                  sync.Once
	gz                      []byte
}

// gzipped returns the gzip form of the asset, or nil when it does not pay.
func (a *asset) gzipped() []byte {
	a.gzOnce.Do(func() {
		if len(a.body) < 1024 {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(a.body)
		if zw.Close() == nil && buf.Len() < len(a.body) {
			a.gz = buf.Bytes()
		}
	})
	return a.gz
}

// contentTypes are the served kinds of file (fixed here: the system's MIME
// table must not decide what the server sends).
var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

type assets struct {
	files   map[string]*asset
	version string
}

var bundle = sync.OnceValue(func() *assets {
	out := &assets{files: map[string]*asset{}}
	ents, _ := fs.ReadDir(assetFS, "assets")
	h := sha256.New()
	for _, e := range ents {
		name := e.Name()
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			continue // licences, checksums: not served
		}
		body, _ := assetFS.ReadFile("assets/" + name)
		sum := sha256.Sum256(body)
		out.files[name] = &asset{name: name, contentType: ct, body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		h.Write(sum[:])
	}
	examples, _ := json.Marshal(Examples())
	h.Write(examples)
	out.version = hex.EncodeToString(h.Sum(nil)[:6])
	return out
})

// Asset returns the content of a served asset file.
func Asset(name string) ([]byte, bool) {
	a, ok := bundle().files[name]
	if !ok {
		return nil, false
	}
	return a.body, true
}

// Assets serves the asset files by the last element of the request path
// (mount it with http.StripPrefix or any router): GET and HEAD, with an
// ETag, gzip when the client accepts it, and a day of caching (the page
// references each file with a version parameter).
func Assets() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		a, ok := bundle().files[path.Base(r.URL.Path)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("ETag", a.etag)
		h.Set("Cache-Control", "public, max-age=86400")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Add("Vary", "Accept-Encoding")
		if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, a.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := a.body
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			if gz := a.gzipped(); gz != nil {
				body = gz
				h.Set("Content-Encoding", "gzip")
			}
		}
		h.Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_, _ = w.Write(body)
		}
	})
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip
// (RFC 9110 §12.5.3): named, or covered by "*", with a q-value above 0.
func acceptsGzip(ae string) bool {
	gzipQ, starQ := -1.0, -1.0
	for part := range strings.SplitSeq(ae, ",") {
		fields := strings.Split(part, ";")
		coding := strings.ToLower(strings.TrimSpace(fields[0]))
		q := 1.0
		for _, p := range fields[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		switch coding {
		case "gzip", "x-gzip":
			gzipQ = q
		case "*":
			starQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}
