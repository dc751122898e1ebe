// Package openapi holds the OpenAPI 3.1 description of Tessera's HTTP
// surfaces (openapi.json, served at /openapi.json) and a viewer page for it
// (Swagger UI, from swagger-ui-dist, embedded in the binary; see README.md).
//
// The description covers the SPARQL 1.1 Protocol at /sparql (query by GET
// and POST, update by POST, every protocol parameter and result media type),
// the Graph Store HTTP Protocol at /store (indirect and direct
// identification), GraphQL over HTTP at /graphql, the FAIR Data Point tree
// and VoID at the level of the FDP specification, /healthz, /stats and
// /metrics, and the JSON error format. It is written by hand and kept honest
// by tests: it must validate as OpenAPI 3.1, and every documented operation
// must be routed by web.Server and answer one of its documented statuses.
//
// Not described: Linked Data dereferencing of every resource IRI (an open
// set of paths below the server's base) and the HTML pages.
package openapi

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/tessera-fair/tessera/web/asset"
)

//go:embed openapi.json
var spec []byte

//go:embed page.html
var pageHTML string

//go:embed assets
var assetFS embed.FS

// Default URL paths of the description, the viewer and its assets.
const (
	SpecPath    = "/openapi.json"
	ViewerPath  = "/openapi"
	AssetPrefix = "/static/openapi/"
)

// Spec returns the OpenAPI document (JSON). The slice is shared: do not
// modify it.
func Spec() []byte { return spec }

// ServeSpec writes the OpenAPI document.
func ServeSpec(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-cache")
	h.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(spec)
	}
}

// Viewer renders the viewer page and serves its assets.
type Viewer struct {
	assets *asset.Server
	page   []byte
}

// ViewerOptions configure the viewer; the zero value uses the default paths.
type ViewerOptions struct {
	// SpecURL is where the page loads the description from (default
	// SpecPath).
	SpecURL string
	// AssetPrefix is the URL path the Assets handler is mounted at
	// (default AssetPrefix).
	AssetPrefix string
}

// NewViewer prepares the viewer page.
func NewViewer(opts ViewerOptions) (*Viewer, error) {
	if opts.SpecURL == "" {
		opts.SpecURL = SpecPath
	}
	if opts.AssetPrefix == "" {
		opts.AssetPrefix = AssetPrefix
	}
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		return nil, fmt.Errorf("openapi viewer assets: %w", err)
	}
	assets, err := asset.New(sub)
	if err != nil {
		return nil, fmt.Errorf("openapi viewer assets: %w", err)
	}
	tmpl, err := template.New("page").Parse(pageHTML)
	if err != nil {
		return nil, fmt.Errorf("openapi viewer template: %w", err)
	}
	var buf bytes.Buffer
	err = tmpl.Execute(&buf, map[string]any{
		"Asset":   func(name string) string { return assets.Path(opts.AssetPrefix, name) },
		"SpecURL": opts.SpecURL,
	})
	if err != nil {
		return nil, fmt.Errorf("render openapi viewer: %w", err)
	}
	return &Viewer{assets: assets, page: buf.Bytes()}, nil
}

// ContentSecurityPolicy keeps the viewer to its own origin: scripts, styles,
// fonts and requests ("Try it out") go to this server only.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"

// ServePage writes the viewer's HTML page.
func (v *Viewer) ServePage(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(v.page)
	}
}

// Assets serves the viewer's embedded files; mount it at
// ViewerOptions.AssetPrefix with the prefix stripped.
func (v *Viewer) Assets() *asset.Server { return v.assets }

// Page returns the rendered HTML, for tests.
func (v *Viewer) Page() []byte { return v.page }
