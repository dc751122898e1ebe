package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph/memstore"
)

func TestPrefersHTML(t *testing.T) {
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
	tests := []struct {
		accept, target string
		want           bool
	}{
		{browser, "/sparql", true},
		{"text/html", "/sparql", true},
		{"application/xhtml+xml", "/sparql", true},
		{"", "/sparql", false},
		{"*/*", "/sparql", false},
		{"text/turtle", "/sparql", false},
		{"text/turtle, text/html", "/sparql", false},
		{"text/html;q=0.5, text/turtle", "/sparql", false},
		{"text/html, text/turtle;q=0.5", "/sparql", true},
		{"application/rdf+xml, text/html;q=0.9", "/sparql", false},
		{browser, "/sparql?format=turtle", false},
		{"text/html;q=0", "/sparql", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, tt.target, nil)
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		if got := prefersHTML(r); got != tt.want {
			t.Errorf("prefersHTML(Accept %q, %s) = %v, want %v", tt.accept, tt.target, got, tt.want)
		}
	}
}

func TestUIRoutes(t *testing.T) {
	h := New(memstore.New(), Options{}).Handler()
	tests := []struct {
		method, target, accept string
		status                 int
		ctype, contains        string
	}{
		{"GET", "/sparql", "text/html,*/*;q=0.8", 200, "text/html; charset=utf-8", "SPARQL editor"},
		{"HEAD", "/sparql", "text/html", 200, "text/html; charset=utf-8", ""},
		{"GET", "/sparql", "*/*", 200, "text/turtle; charset=utf-8", "sd:Service"},
		{"GET", "/sparql?format=ntriples", "text/html", 200, "application/n-triples; charset=utf-8", "sparql-service-description"},
		{"GET", "/sparql?query=ASK%7B%7D", "text/html,*/*;q=0.8", 200, "application/sparql-results+json", "boolean"},
		{"GET", "/openapi", "", 200, "text/html; charset=utf-8", "swagger-ui-bundle.js"},
		{"GET", "/openapi.json", "", 200, "application/json", `"openapi": "3.1.0"`},
		{"GET", "/static/editor/editor.js", "", 200, "text/javascript; charset=utf-8", "registerPlugin"},
		{"GET", "/static/editor/vendor/yasgui.min.css", "", 200, "text/css; charset=utf-8", ""},
		{"GET", "/static/openapi/viewer.js", "", 200, "text/javascript; charset=utf-8", "SwaggerUIBundle"},
		{"GET", "/static/editor/missing.js", "", 404, "", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.target, nil)
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tt.status {
			t.Errorf("%s %s (Accept %q) = %d, want %d: %.200s", tt.method, tt.target, tt.accept, w.Code, tt.status, w.Body)
			continue
		}
		if tt.ctype != "" && w.Header().Get("Content-Type") != tt.ctype {
			t.Errorf("%s %s (Accept %q): Content-Type %q, want %q", tt.method, tt.target, tt.accept, w.Header().Get("Content-Type"), tt.ctype)
		}
		if !strings.Contains(w.Body.String(), tt.contains) {
			t.Errorf("%s %s (Accept %q): body lacks %q", tt.method, tt.target, tt.accept, tt.contains)
		}
		if tt.method == "HEAD" && w.Body.Len() > 0 {
			t.Errorf("HEAD %s wrote a body", tt.target)
		}
	}
}

// FuzzPrefersHTML feeds arbitrary Accept headers and ?format= values to the
// editor/service-description choice: it must not panic, and it never picks
// HTML for a header that does not mention an HTML type.
func FuzzPrefersHTML(f *testing.F) {
	for _, s := range []string{"text/html", "*/*", "text/html;q=0.5, text/turtle", ";;,q=", "text/html;q=abc", "application/xhtml+xml;level=1"} {
		f.Add(s, "")
	}
	f.Add("text/html", "turtle")
	f.Fuzz(func(t *testing.T, accept, format string) {
		r := httptest.NewRequest(http.MethodGet, "/sparql", nil)
		r.Header.Set("Accept", accept)
		if format != "" {
			q := r.URL.Query()
			q.Set("format", format)
			r.URL.RawQuery = q.Encode()
		}
		got := prefersHTML(r)
		lower := strings.ToLower(accept)
		if got && !strings.Contains(lower, "html") {
			t.Errorf("prefersHTML(Accept %q) = true", accept)
		}
		if got && format != "" {
			t.Errorf("prefersHTML with ?format=%q = true", format)
		}
	})
}
