package portal

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
)

func newEcho() *echo.Echo {
	e := echo.New()
	Register(e)
	return e
}

func get(t *testing.T, e *echo.Echo, method, target string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestPages(t *testing.T) {
	e := newEcho()
	v := Version()
	if len(v) != 12 {
		t.Fatalf("Version() = %q, want 12 hex digits", v)
	}
	for _, p := range []string{"/", "/?q=lung&modality=x", "/portal/search", "/portal/dataset?id=https%3A%2F%2Fx", "/portal/cohort"} {
		t.Run(p, func(t *testing.T) {
			rec := get(t, e, http.MethodGet, p, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", p, rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("GET %s Content-Type = %q", p, ct)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("GET %s Cache-Control = %q, want no-cache", p, cc)
			}
			if csp := rec.Header().Get("Content-Security-Policy"); csp != CSP {
				t.Errorf("GET %s Content-Security-Policy = %q", p, csp)
			}
			body := rec.Body.String()
			if !strings.Contains(body, `<html lang="en">`) {
				t.Errorf("GET %s: no lang attribute on <html>", p)
			}
			if strings.Contains(body, "{{version}}") {
				t.Errorf("GET %s: the version placeholder was not replaced", p)
			}
			if !strings.Contains(body, `src="/portal/v/`+v+`/app.js"`) {
				t.Errorf("GET %s: index.html does not load /portal/v/%s/app.js", p, v)
			}
		})
	}
}

func TestAssets(t *testing.T) {
	e := newEcho()
	v := Version()
	tests := []struct {
		path, ctype, cache string
		code               int
	}{
		{"/portal/v/" + v + "/app.js", "text/javascript; charset=utf-8", cacheImmutable, 200},
		{"/portal/v/" + v + "/portal.css", "text/css; charset=utf-8", cacheImmutable, 200},
		{"/portal/v/" + v + "/search.js", "text/javascript; charset=utf-8", cacheImmutable, 200},
		{"/portal/app.js", "text/javascript; charset=utf-8", cacheRevalidate, 200},
		{"/portal/v/000000000000/app.js", "text/javascript; charset=utf-8", cacheRevalidate, 200},
		{"/portal/v/" + v + "/missing.js", "", "", 404},
		{"/portal/index.html", "", "", 404},
		{"/portal/../portal.go", "", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := get(t, e, http.MethodGet, tt.path, nil)
			if rec.Code != tt.code {
				t.Fatalf("GET %s = %d, want %d", tt.path, rec.Code, tt.code)
			}
			if tt.code != 200 {
				return
			}
			if ct := rec.Header().Get("Content-Type"); ct != tt.ctype {
				t.Errorf("GET %s Content-Type = %q, want %q", tt.path, ct, tt.ctype)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != tt.cache {
				t.Errorf("GET %s Cache-Control = %q, want %q", tt.path, cc, tt.cache)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("GET %s: no X-Content-Type-Options: nosniff", tt.path)
			}
			if rec.Body.Len() == 0 {
				t.Errorf("GET %s: empty body", tt.path)
			}
		})
	}
}

func TestRedirect(t *testing.T) {
	rec := get(t, newEcho(), http.MethodGet, "/portal/", nil)
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/" {
		t.Errorf("GET /portal/ = %d Location %q, want 301 to /", rec.Code, rec.Header().Get("Location"))
	}
}

func TestConditionalAndGzip(t *testing.T) {
	e := newEcho()
	path := "/portal/v/" + Version() + "/search.js"
	plain := get(t, e, http.MethodGet, path, nil)
	etag := plain.Header().Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{16}"$`).MatchString(etag) {
		t.Fatalf("ETag = %q, want a quoted hash", etag)
	}
	for _, inm := range []string{etag, "W/" + etag, `"nope", ` + etag, "*"} {
		if rec := get(t, e, http.MethodGet, path, map[string]string{"If-None-Match": inm}); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Errorf("If-None-Match %s = %d (%d bytes), want 304 and no body", inm, rec.Code, rec.Body.Len())
		}
	}
	if rec := get(t, e, http.MethodGet, path, map[string]string{"If-None-Match": `"other"`}); rec.Code != http.StatusOK {
		t.Errorf("If-None-Match other = %d, want 200", rec.Code)
	}

	gz := get(t, e, http.MethodGet, path, map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
	if gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Accept-Encoding gzip: Content-Encoding = %q", gz.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	unz, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	if !bytes.Equal(unz, plain.Body.Bytes()) {
		t.Errorf("gunzipped body differs from the plain one")
	}
	if gz.Body.Len() >= plain.Body.Len() {
		t.Errorf("gzip body %d bytes, plain %d", gz.Body.Len(), plain.Body.Len())
	}
	if rec := get(t, e, http.MethodGet, path, map[string]string{"Accept-Encoding": "gzip;q=0"}); rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 still got Content-Encoding %q", rec.Header().Get("Content-Encoding"))
	}

	head := get(t, e, http.MethodHead, path, nil)
	if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("Content-Length") != strconv.Itoa(plain.Body.Len()) {
		t.Errorf("HEAD = %d, %d body bytes, Content-Length %q; want 200, 0, %d", head.Code, head.Body.Len(), head.Header().Get("Content-Length"), plain.Body.Len())
	}
}

// externalURL finds absolute http(s) URLs and protocol-relative ones in
// code, markup and CSS; the XML namespace of SVG (an identifier, never
// fetched) is the one exception.
var externalURL = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)

func TestNoExternalURLs(t *testing.T) {
	err := fs.WalkDir(embedded, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(embedded, p)
		if err != nil {
			return err
		}
		for _, m := range externalURL.FindAllString(string(body), -1) {
			if strings.EqualFold(m, "http://www.w3.org") {
				continue // the SVG namespace
			}
			t.Errorf("%s references an external URL %q", p, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNoInlineScriptOrStyle(t *testing.T) {
	b, err := load()
	if err != nil {
		t.Fatal(err)
	}
	html := string(b.index.body)
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`), // a script with a body
		regexp.MustCompile(`\son[a-z]+\s*=`),                // inline event handlers
		regexp.MustCompile(`\sstyle\s*=`),                   // style attributes
		regexp.MustCompile(`<style`),
	} {
		if m := bad.FindString(html); m != "" {
			t.Errorf("index.html has %q, which the CSP forbids", m)
		}
	}
	// Scripts must not build style attributes or markup from strings either.
	for name, a := range b.files {
		if !strings.HasSuffix(name, ".js") {
			continue
		}
		for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute('style'"} {
			if bytes.Contains(a.body, []byte(bad)) {
				t.Errorf("%s uses %s", name, bad)
			}
		}
	}
}

func TestEveryModuleImportResolves(t *testing.T) {
	b, err := load()
	if err != nil {
		t.Fatal(err)
	}
	imp := regexp.MustCompile(`(?:from|import\()\s*'\./([^']+)'`)
	for name, a := range b.files {
		for _, m := range imp.FindAllSubmatch(a.body, -1) {
			if _, ok := b.files[string(m[1])]; !ok {
				t.Errorf("%s imports ./%s, which is not an asset", name, m[1])
			}
		}
	}
	for _, m := range regexp.MustCompile(`/portal/v/[0-9a-f]+/([^"]+)"`).FindAllStringSubmatch(string(b.index.body), -1) {
		if _, ok := b.files[m[1]]; !ok {
			t.Errorf("index.html loads %s, which is not an asset", m[1])
		}
	}
}

func TestBundleErrors(t *testing.T) {
	if _, err := newBundle(fstest.MapFS{"assets/app.js": {Data: []byte("x")}}); err == nil {
		t.Error("newBundle without index.html: no error")
	}
	b, err := newBundle(fstest.MapFS{
		"assets/index.html": {Data: []byte(`<script src="/portal/v/{{version}}/a.js">`)},
		"assets/a.js":       {Data: []byte("1")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b.index.body), b.version) {
		t.Errorf("index = %s, want version %s in it", b.index.body, b.version)
	}
	b2, _ := newBundle(fstest.MapFS{
		"assets/index.html": {Data: []byte(`<script src="/portal/v/{{version}}/a.js">`)},
		"assets/a.js":       {Data: []byte("2")},
	})
	if b.version == b2.version {
		t.Errorf("changing an asset kept the version %s", b.version)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, tt := range []struct {
		h    string
		want bool
	}{
		{"", false}, {"gzip", true}, {"GZIP", true}, {"br, gzip;q=0.5", true}, {"gzip;q=0", false},
		{"gzip; q=0", false}, {"deflate", false}, {"x-gzip", false},
	} {
		if got := acceptsGzip(tt.h); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

// TestJavaScript runs the unit tests of the portal's scripts
// (testdata/js/*.test.js) with Node.js, which CI has; without node it skips.
func TestJavaScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the JavaScript unit tests need it")
	}
	cmd := exec.Command(node, "--experimental-default-type=module", "--test", "--test-reporter=tap", "testdata/js/")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`(?m)^# pass [1-9]`).Match(out) || regexp.MustCompile(`(?m)^# fail [1-9]`).Match(out) {
		t.Fatalf("node --test passed nothing:\n%s", out)
	}
}

func FuzzAcceptHeaders(f *testing.F) {
	f.Add("gzip;q=0.5, br", `"abc", W/"def"`)
	e := newEcho()
	path := "/portal/v/" + Version() + "/app.js"
	f.Fuzz(func(t *testing.T, ae, inm string) {
		acceptsGzip(ae)
		etagMatch(inm, `"x"`)
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header["Accept-Encoding"] = []string{ae}
		req.Header["If-None-Match"] = []string{inm}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusNotModified {
			t.Fatalf("status %d", rec.Code)
		}
	})
}
