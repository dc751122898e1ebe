// Package editor is Tessera's SPARQL editor: the HTML page a browser gets on
// GET /sparql (Accept: text/html), with its assets embedded in the binary.
//
// The page bundles Yasgui (@zazuko/yasgui: the Yasqe query editor with
// SPARQL syntax checking and the Yasr result viewer) and Chart.js, pinned and
// recorded in README.md and refreshed by update-vendor.sh. It is configured
// for Tessera: the endpoint is the same-origin /sparql, the catalogue's
// prefixes are declared (and used to shorten IRIs in result tables), the
// example queries under queries/ are one click away, and a chart view (bar
// chart of the first label column against the first numeric column) joins
// Yasr's table and raw-response views. Nothing is loaded from another origin:
// the prefix.cc look-up and the Linked Open Vocabularies autocompletion of
// Yasqe are switched off, and the endpoint catalogue lists only this server.
//
// Not implemented: autocompletion of classes and properties from the store
// itself (Yasqe's completers would need an endpoint of their own).
package editor

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"

	"github.com/tessera-fair/tessera/web/asset"
)

//go:embed assets
var assetFS embed.FS

//go:embed queries/*.rq
var queryFS embed.FS

//go:embed page.html
var pageHTML string

// AssetPrefix is the default URL path under which the editor's assets are
// served.
const AssetPrefix = "/static/editor/"

// Prefix is a namespace prefix declared in the editor.
type Prefix struct {
	Name string `json:"name"`
	IRI  string `json:"iri"`
}

// Prefixes are the catalogue's namespaces: DCAT, Dublin Core, FOAF, SKOS,
// RDFS, XSD, HealthDCAT-AP, EUCAIM, the EUCAIM-like common data model of the
// record-level descriptors, Tessera's own namespace and the bundled
// vocabularies. They are the PREFIX lines of a new query.
var Prefixes = []Prefix{
	{"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
	{"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
	{"xsd", "http://www.w3.org/2001/XMLSchema#"},
	{"skos", "http://www.w3.org/2004/02/skos/core#"},
	{"dcat", "http://www.w3.org/ns/dcat#"},
	{"dct", "http://purl.org/dc/terms/"},
	{"foaf", "http://xmlns.com/foaf/0.1/"},
	{"hdcat", "https://w3id.org/healthdcat-ap#"},
	{"eucaim", "https://hyperontology.eucaim.cancerimage.eu/#"},
	{"cdm", "https://tessera.example/ns/cdm#"},
	{"tessera", "https://tessera.example/ns#"},
	{"oncotree", "https://tessera.example/vocab/oncotree/"},
	{"ncit", "http://purl.obolibrary.org/obo/NCIT_"},
	{"dcm", "http://dicom.nema.org/resources/ontology/DCM/"},
}

// Example is a query offered on the page.
type Example struct {
	// ID is the file name without its number and extension
	// ("datasets-per-provider").
	ID string `json:"id"`
	// Title and Description come from the "# title:" and "# description:"
	// comment lines at the top of the file.
	Title       string `json:"title"`
	Description string `json:"description"`
	// Query is the whole file, comments included.
	Query string `json:"query"`
}

// Examples returns the bundled example queries in file-name order.
func Examples() ([]Example, error) {
	names, err := fs.Glob(queryFS, "queries/*.rq")
	if err != nil {
		return nil, fmt.Errorf("list example queries: %w", err)
	}
	sort.Strings(names)
	out := make([]Example, 0, len(names))
	for _, name := range names {
		data, err := queryFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read example %s: %w", name, err)
		}
		ex := Example{Query: string(data)}
		base := strings.TrimSuffix(path.Base(name), ".rq")
		if i := strings.IndexByte(base, '-'); i > 0 && strings.Trim(base[:i], "0123456789") == "" {
			base = base[i+1:]
		}
		ex.ID = base
		for line := range strings.Lines(ex.Query) {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "#") {
				break
			}
			key, val, ok := strings.Cut(strings.TrimSpace(line[1:]), ":")
			if !ok {
				continue
			}
			switch strings.TrimSpace(key) {
			case "title":
				ex.Title = strings.TrimSpace(val)
			case "description":
				ex.Description = strings.TrimSpace(val)
			}
		}
		if ex.Title == "" {
			return nil, fmt.Errorf("example %s has no \"# title:\" line", name)
		}
		out = append(out, ex)
	}
	return out, nil
}

// Options configure the editor page; the zero value serves the same-origin
// /sparql endpoint with assets under AssetPrefix.
type Options struct {
	// Endpoint is the SPARQL endpoint the page queries, a path on this
	// server or an absolute URL (default "/sparql").
	Endpoint string
	// AssetPrefix is the URL path the Assets handler is mounted at
	// (default AssetPrefix).
	AssetPrefix string
}

// Editor renders the editor page and serves its assets.
type Editor struct {
	opts   Options
	assets *asset.Server
	page   []byte
}

// New prepares the page: it reads the embedded assets and examples and
// renders the HTML once.
func New(opts Options) (*Editor, error) {
	if opts.Endpoint == "" {
		opts.Endpoint = "/sparql"
	}
	if opts.AssetPrefix == "" {
		opts.AssetPrefix = AssetPrefix
	}
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		return nil, fmt.Errorf("editor assets: %w", err)
	}
	assets, err := asset.New(sub)
	if err != nil {
		return nil, fmt.Errorf("editor assets: %w", err)
	}
	examples, err := Examples()
	if err != nil {
		return nil, err
	}
	config, err := json.Marshal(struct {
		Endpoint string    `json:"endpoint"`
		Prefixes []Prefix  `json:"prefixes"`
		Examples []Example `json:"examples"`
	}{opts.Endpoint, Prefixes, examples})
	if err != nil {
		return nil, fmt.Errorf("editor config: %w", err)
	}
	tmpl, err := template.New("page").Parse(pageHTML)
	if err != nil {
		return nil, fmt.Errorf("editor page template: %w", err)
	}
	asset := func(name string) string { return assets.Path(opts.AssetPrefix, name) }
	var buf bytes.Buffer
	err = tmpl.Execute(&buf, map[string]any{
		"Asset": asset,
		// json.Marshal escapes <, > and & so the JSON cannot end the script
		// element early.
		"Config":   template.JS(config),
		"Examples": examples,
		"Endpoint": opts.Endpoint,
	})
	if err != nil {
		return nil, fmt.Errorf("render editor page: %w", err)
	}
	return &Editor{opts: opts, assets: assets, page: buf.Bytes()}, nil
}

// ServePage writes the editor's HTML page.
func (e *Editor) ServePage(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Vary", "Accept")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(e.page)
	}
}

// ContentSecurityPolicy lets the page load scripts, styles, images and
// fonts only from its own origin (plus inline styles and data: images,
// which Yasgui and Chart.js create at run time), so even a bug cannot make
// a browser fetch from elsewhere. connect-src 'self' limits queries to this
// server.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"

// Assets serves the embedded files; mount it at Options.AssetPrefix with the
// prefix stripped.
func (e *Editor) Assets() *asset.Server { return e.assets }

// Page returns the rendered HTML, for tests.
func (e *Editor) Page() []byte { return e.page }
