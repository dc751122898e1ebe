package playground

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
)

// TestBundledFilesMatchChecksums checks the committed third-party builds
// are exactly what update.sh fetched (assets/SHA256SUMS).
func TestBundledFilesMatchChecksums(t *testing.T) {
	sums, err := assetFS.ReadFile("assets/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(sums))
	n := 0
	for sc.Scan() {
		want, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		body, err := assetFS.ReadFile("assets/" + name)
		if err != nil {
			t.Fatalf("%s is listed in SHA256SUMS but not embedded: %v", name, err)
		}
		got := sha256.Sum256(body)
		if hex.EncodeToString(got[:]) != want {
			t.Errorf("%s: sha256 %x, want %s (run web/playground/update.sh, do not edit vendored files)", name, got, want)
		}
		n++
	}
	if n < 7 {
		t.Errorf("SHA256SUMS lists %d files, want the 4 builds and 3 licences", n)
	}
}

// attrURL finds src and href attributes in HTML.
var attrURL = regexp.MustCompile(`(?i)\b(?:src|href)\s*=\s*"([^"]*)"`)

// cdnHosts are hosts a browser build might load code or styles from at run
// time; none may appear in anything the page loads.
var cdnHosts = []string{"unpkg.com", "jsdelivr.net", "cdnjs.cloudflare.com", "googleapis.com", "gstatic.com", "esm.sh", "skypack.dev"}

func TestPageLoadsOnlyBundledFiles(t *testing.T) {
	page, err := Page(Config{})
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	refs := attrURL.FindAllStringSubmatch(html, -1)
	if len(refs) != len(Scripts)+len(Stylesheets) {
		t.Errorf("page references %d URLs, want %d: %v", len(refs), len(Scripts)+len(Stylesheets), refs)
	}
	srv := httptest.NewServer(http.StripPrefix("/graphql/playground/", Assets()))
	defer srv.Close()
	for _, m := range refs {
		ref := m[1]
		if strings.Contains(ref, "//") || !strings.HasPrefix(ref, "/graphql/playground/") {
			t.Errorf("page references %q: want a same-origin path under /graphql/playground/", ref)
			continue
		}
		resp, err := http.Get(srv.URL + strings.ReplaceAll(ref, "&amp;", "&"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET %s = %d (%d bytes)", ref, resp.StatusCode, len(body))
		}
		for _, host := range cdnHosts {
			if bytes.Contains(body, []byte(host)) {
				t.Errorf("%s mentions %s", ref, host)
			}
		}
	}
	// Every <script> but the JSON data block has a src: nothing inline runs.
	for _, tag := range regexp.MustCompile(`(?i)<script[^>]*>`).FindAllString(html, -1) {
		if !strings.Contains(tag, "src=") && !strings.Contains(tag, `type="application/json"`) {
			t.Errorf("inline script %s", tag)
		}
	}
	for _, host := range cdnHosts {
		if strings.Contains(html, host) {
			t.Errorf("the page mentions %s", host)
		}
	}
}

func TestPageConfig(t *testing.T) {
	page, err := Page(Config{Endpoint: "/api/graphql", AssetBase: "/static/gql", Title: "A <b>title</b>"})
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if !strings.Contains(html, "<title>A &lt;b&gt;title&lt;/b&gt;</title>") {
		t.Errorf("title not escaped: %s", html)
	}
	if !strings.Contains(html, `src="/static/gql/playground.js?v=`) {
		t.Errorf("asset base not used: %s", html)
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="tessera-playground-config">(.*?)</script>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no config block in %s", html)
	}
	var cfg pageConfig
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatalf("config block %q: %v", m[1], err)
	}
	if cfg.Endpoint != "/api/graphql" || cfg.Version == "" {
		t.Errorf("config = %+v", cfg)
	}
	want := Examples()
	if len(cfg.Examples) != len(want) || len(want) < 5 {
		t.Fatalf("config has %d examples, bundle %d (want at least 5)", len(cfg.Examples), len(want))
	}
	for k := range want {
		if cfg.Examples[k] != want[k] {
			t.Errorf("example %d in the page = %+v, want %+v", k, cfg.Examples[k], want[k])
		}
	}
}

// TestExamplesParse checks each example is one named GraphQL query with a
// title, and valid JSON variables. (web's tests validate them against the
// real schema.)
func TestExamplesParse(t *testing.T) {
	names := map[string]bool{}
	for _, ex := range Examples() {
		t.Run(ex.Name, func(t *testing.T) {
			if ex.Title == "" {
				t.Error("no title comment on the first line")
			}
			doc, err := parser.Parse(parser.ParseParams{Source: ex.Query})
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if len(doc.Definitions) != 1 {
				t.Fatalf("%d definitions, want one operation", len(doc.Definitions))
			}
			op, ok := doc.Definitions[0].(*ast.OperationDefinition)
			if !ok || op.Operation != "query" || op.Name == nil {
				t.Fatalf("definition %T is not a named query", doc.Definitions[0])
			}
			if names[op.Name.Value] {
				t.Errorf("operation name %s used twice", op.Name.Value)
			}
			names[op.Name.Value] = true
			if ex.Variables != "" {
				var v map[string]any
				if err := json.Unmarshal([]byte(ex.Variables), &v); err != nil {
					t.Errorf("variables %q: %v", ex.Variables, err)
				}
			}
		})
	}
}

func TestAssetsHandler(t *testing.T) {
	h := http.StripPrefix("/p/", Assets())
	get := func(path string, header map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		for k, v := range header {
			r.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}
	want, ok := Asset("graphiql.min.js")
	if !ok {
		t.Fatal("graphiql.min.js is not bundled")
	}
	rec := get("/p/graphiql.min.js", nil)
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), want) || rec.Header().Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Fatalf("plain GET = %d %q (%d bytes)", rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
	}
	etag := rec.Header().Get("ETag")
	if rec = get("/p/graphiql.min.js", map[string]string{"If-None-Match": etag}); rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match = %d, want 304", rec.Code)
	}
	rec = get("/p/graphiql.min.js", map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip not used: %v", rec.Header())
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("gzipped body does not decompress to the file (%v)", err)
	}
	if rec.Body.Len() > len(want)/2 {
		t.Logf("gzip: %d -> %d bytes", len(want), rec.Body.Len())
	}
	if rec = get("/p/graphiql.min.css", nil); rec.Header().Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("css Content-Type = %q", rec.Header().Get("Content-Type"))
	}
	for _, path := range []string{"/p/LICENSE.react", "/p/SHA256SUMS", "/p/nope.js", "/p/"} {
		if rec = get(path, nil); rec.Code != 404 {
			t.Errorf("GET %s = %d, want 404", path, rec.Code)
		}
	}
	r := httptest.NewRequest(http.MethodPost, "/p/playground.js", nil)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", rec.Code)
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"deflate, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"gzip;q=0.000", false},
		{"*", true},
		{"*;q=0", false},
		{"br", false},
		{"*, gzip;q=0", false},
		{"identity;q=1, *;q=0.1", true},
	}
	for _, tt := range tests {
		if got := acceptsGzip(tt.header); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}
