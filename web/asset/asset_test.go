package asset

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestExternalRefs(t *testing.T) {
	tests := []struct {
		name, file, content string
		want                []string
	}{
		{"html script", "a.html", `<script src="https://cdn.example/x.js"></script>`, []string{"https://cdn.example/x.js"}},
		{"html protocol-relative", "a.html", `<link rel=stylesheet href=//cdn.example/x.css>`, []string{"//cdn.example/x.css"}},
		{"html local script", "a.html", `<script src="/static/x.js"></script><link href="x.css" rel="stylesheet">`, nil},
		{"html anchor is a link, not a load", "a.html", `<a href="https://example.org/">docs</a>`, nil},
		{"html inline style", "a.html", `<style>@import "https://fonts.example/f.css";</style>`, []string{"https://fonts.example/f.css"}},
		{"html img", "a.htm", `<img alt="" src='http://img.example/a.png'>`, []string{"http://img.example/a.png"}},
		{"css url", "a.css", `.x{background:url("https://img.example/a.png")} .y{background:url(data:image/png;base64,AA)}`, []string{"https://img.example/a.png"}},
		{"css font", "a.css", `@font-face{src:url(//fonts.example/f.woff2)}`, []string{"//fonts.example/f.woff2"}},
		{"js fetch", "a.js", "fetch(`https://api.example/x`)", []string{"https://api.example/x"}},
		{"js dynamic import", "a.mjs", `import("https://cdn.example/m.js")`, []string{"https://cdn.example/m.js"}},
		{"js static import", "a.mjs", `import x from 'https://cdn.example/m.js'`, []string{"https://cdn.example/m.js"}},
		{"js script element", "a.js", `s.src = "https://cdn.example/x.js"`, []string{"https://cdn.example/x.js"}},
		{"js websocket", "a.js", `new WebSocket("wss://x.example/s")`, []string{"wss://x.example/s"}},
		{"js namespace strings are not loads", "a.js", `const ns = "http://www.w3.org/2000/svg"; a.href = "https://docs.example/"`, nil},
		{"js relative fetch", "a.js", `fetch("/sparql")`, nil},
		{"other files are not scanned", "LICENSE", `<script src="https://cdn.example/x.js">`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExternalRefs(tt.file, []byte(tt.content))
			if !slices.Equal(got, tt.want) {
				t.Errorf("ExternalRefs(%q, %q) = %q, want %q", tt.file, tt.content, got, tt.want)
			}
		})
	}
}

func TestServer(t *testing.T) {
	fsys := fstest.MapFS{
		"app.js":        {Data: []byte("console.log(1)")},
		"css/style.css": {Data: []byte("body{}")},
	}
	s, err := New(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.Names()); got != 2 {
		t.Fatalf("Names() has %d files, want 2", got)
	}
	v := s.Version("app.js")
	if len(v) != 16 || v == s.Version("css/style.css") {
		t.Fatalf("Version(app.js) = %q, want 16 hex digits differing from another file's", v)
	}
	if got, want := s.Path("/static/", "app.js"), "/static/app.js?v="+v; got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}

	do := func(method, target string, hdr map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, target, nil)
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	tests := []struct {
		name, method, target string
		hdr                  map[string]string
		status               int
		ctype, cache, body   string
	}{
		{"js", "GET", "/app.js", nil, 200, "text/javascript; charset=utf-8", "public, max-age=300", "console.log(1)"},
		{"versioned is immutable", "GET", "/app.js?v=" + v, nil, 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "console.log(1)"},
		{"nested css", "GET", "/css/style.css", nil, 200, "text/css; charset=utf-8", "public, max-age=300", "body{}"},
		{"head", "HEAD", "/app.js", nil, 200, "text/javascript; charset=utf-8", "public, max-age=300", ""},
		{"not modified", "GET", "/app.js", map[string]string{"If-None-Match": `"` + v + `"`}, 304, "", "", ""},
		{"stale etag", "GET", "/app.js", map[string]string{"If-None-Match": `"0000"`}, 200, "text/javascript; charset=utf-8", "public, max-age=300", "console.log(1)"},
		{"missing", "GET", "/nope.js", nil, 404, "", "", ""},
		{"post", "POST", "/app.js", nil, 405, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(tt.method, tt.target, tt.hdr)
			if w.Code != tt.status {
				t.Fatalf("%s %s: status %d, want %d", tt.method, tt.target, w.Code, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if got := w.Header().Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
			}
			if got := w.Header().Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control = %q, want %q", got, tt.cache)
			}
			if got := w.Body.String(); got != tt.body {
				t.Errorf("body = %q, want %q", got, tt.body)
			}
		})
	}
	if got := do("GET", "/app.js", nil).Header().Get("ETag"); got != `"`+v+`"` {
		t.Errorf("ETag = %q, want %q", got, `"`+v+`"`)
	}
	if got := do("POST", "/app.js", nil).Header().Get("Allow"); got != "GET, HEAD" {
		t.Errorf("405 Allow = %q", got)
	}
}

func TestGzip(t *testing.T) {
	big := bytes.Repeat([]byte("function f(){return 1}\n"), 200)
	s, err := New(fstest.MapFS{
		"big.js":   {Data: big},
		"small.js": {Data: []byte("x()")},
		"img.png":  {Data: bytes.Repeat([]byte{0x89}, 4096)},
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(name, ae, inm string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/"+name, nil)
		if ae != "" {
			r.Header.Set("Accept-Encoding", ae)
		}
		if inm != "" {
			r.Header.Set("If-None-Match", inm)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	w := get("big.js", "gzip, deflate, br", "")
	if w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("big.js with gzip: Content-Encoding %q, Vary %q", w.Header().Get("Content-Encoding"), w.Header().Get("Vary"))
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(plain, big) {
		t.Fatalf("gzip body does not decompress to the file (%v)", err)
	}
	gzTag := w.Header().Get("ETag")
	if gzTag == `"`+s.Version("big.js")+`"` {
		t.Errorf("the gzip representation reuses the plain ETag %s", gzTag)
	}
	if w := get("big.js", "gzip", gzTag); w.Code != 304 {
		t.Errorf("If-None-Match on the gzip ETag = %d, want 304", w.Code)
	}
	for _, tc := range []struct{ name, ae string }{{"big.js", ""}, {"big.js", "gzip;q=0"}, {"big.js", "br"}, {"small.js", "gzip"}, {"img.png", "gzip"}} {
		w := get(tc.name, tc.ae, "")
		if w.Header().Get("Content-Encoding") != "" || w.Body.Len() != len(s.Content(tc.name)) {
			t.Errorf("%s with Accept-Encoding %q: Content-Encoding %q, %d bytes; want the plain file", tc.name, tc.ae, w.Header().Get("Content-Encoding"), w.Body.Len())
		}
	}
}

func FuzzAcceptsGzip(f *testing.F) {
	for _, s := range []string{"gzip", "gzip;q=0", "br, gzip;q=0.5", "", ",,;", "GZIP ; q=0.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		got := acceptsGzip(header)
		if !strings.Contains(strings.ToLower(header), "gzip") && got {
			t.Errorf("acceptsGzip(%q) = true without gzip in the header", header)
		}
	})
}
