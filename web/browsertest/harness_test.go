package browsertest_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/web/browsertest"
)

// TestHarnessCatchesProblems checks the checks: a page from another origin
// that loads an image from a third one and throws must be reported.
func TestHarnessCatchesProblems(t *testing.T) {
	b := browsertest.Start(t)
	// 192.0.2.0/24 is TEST-NET-1: never routed, so nothing leaves the machine.
	const img = "http://192.0.2.1/tracker.png"
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/csp" {
			w.Header().Set("Content-Security-Policy", "default-src 'self'")
			_, _ = w.Write([]byte(`<!doctype html><title>csp</title><p id="p">csp</p><script>document.title = "inline ran"</script>`))
			return
		}
		_, _ = w.Write([]byte(`<!doctype html><title>x</title><p id="p">hello</p><img src="` + img + `"><script>throw new Error("boom from the page")</script>`))
	}))
	defer other.Close()
	b.Open(other.URL)
	if got := b.Text("#p"); got != "hello" {
		t.Errorf("Text(#p) = %q", got)
	}
	b.WaitTrue("true")
	ext := b.TakeExternal()
	if !slices.Contains(ext, img) || !slices.Contains(ext, other.URL+"/") {
		t.Errorf("external requests = %q, want the page and %s", ext, img)
	}
	problems := b.TakeProblems()
	if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "boom from the page") }) {
		t.Errorf("problems = %q, want the uncaught exception", problems)
	}

	// A page whose Content-Security-Policy blocks its own inline script.
	b.Open(other.URL + "/csp")
	b.WaitVisible("#p")
	b.WaitTrue("true")
	b.TakeExternal()
	problems = b.TakeProblems()
	if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "Content Security Policy") }) {
		t.Errorf("problems = %q, want the CSP violation", problems)
	}
}
