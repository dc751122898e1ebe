package fdp

import (
	"bufio"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph/memstore"
)

const pathBase = "https://tessera.example/"

// newPathService returns a service over an empty store with the given Base.
func newPathService(t *testing.T, base string) *Service {
	t.Helper()
	s, err := New(memstore.New(), Options{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// readRequest parses a request line as the HTTP server does, so that tests
// see r.URL exactly as a handler would.
func readRequest(t *testing.T, target string) *http.Request {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")))
	if err != nil {
		t.Fatalf("request %q: %v", target, err)
	}
	return r
}

// TestRequestPath: the path as the client sent it, encodings kept, even
// when raw non-ASCII octets make net/url re-encode the whole path.
func TestRequestPath(t *testing.T) {
	tests := []struct{ name, target, want string }{
		{"plain", "/provider/x/dataset/1", "/provider/x/dataset/1"},
		{"raw parens", "/x(1)", "/x(1)"},
		{"encoded parens", "/x%281%29", "/x%281%29"},
		{"lowercase hex kept", "/caf%c3%a9", "/caf%c3%a9"},
		{"raw UTF-8", "/café", "/café"},
		{"raw UTF-8 keeps an encoded slash", "/a%2Fcafé", "/a%2Fcafé"},
		{"raw UTF-8 keeps an encoded percent", "/100%25/é", "/100%25/é"},
		{"encoded unreserved kept", "/%7Euser", "/%7Euser"},
		{"query is not part of the path", "/x(1)?format=turtle", "/x(1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RequestPath(readRequest(t, tt.target)); got != tt.want {
				t.Errorf("RequestPath(%q) = %q, want %q", tt.target, got, tt.want)
			}
		})
	}
}

// TestPathIRIs: a request path → the IRIs tried, in order.
func TestPathIRIs(t *testing.T) {
	const b = pathBase + "p/"
	tests := []struct {
		name, base, path string
		want             []string
	}{
		{"plain ASCII: itself only", b, "/p/provider/x/dataset/1", []string{b + "provider/x/dataset/1"}},
		{"raw parens", b, "/p/x(1)", []string{b + "x(1)"}},
		{"encoded parens: as sent, then decoded", b, "/p/x%281%29", []string{b + "x%281%29", b + "x(1)"}},
		{"lowercase hex", b, "/p/x%28%c3%a9", []string{b + "x%28%c3%a9", b + "x%28é", b + "x%28%C3%A9", b + "x(é", b + "x(%C3%A9"}},
		{"uppercase UTF-8", b, "/p/caf%C3%A9", []string{b + "caf%C3%A9", b + "café"}},
		{"raw UTF-8", b, "/p/café", []string{b + "café", b + "caf%C3%A9"}},
		{"slash and percent stay encoded", b, "/p/a%2Fb%25c%2f", []string{b + "a%2Fb%25c%2f", b + "a%2Fb%25c%2F"}},
		{"sub-delims, colon, at", b, "/p/%21%24%26%27%2A%2B%2C%3B%3D%3A%40", []string{b + "%21%24%26%27%2A%2B%2C%3B%3D%3A%40", b + "!$&'*+,;=:@"}},
		{"gen-delims stay encoded", b, "/p/%3F%23%5B%5D", []string{b + "%3F%23%5B%5D"}},
		{"encoded unreserved", b, "/p/%7Euser", []string{b + "%7Euser", b + "~user"}},
		{"invalid UTF-8 is dropped", b, "/p/\xff", []string{b + "%FF"}},
		{"outside Base's path", b, "/q/x", nil},
		{"the /. before a leading slash is dropped", pathBase, "/.//x", []string{pathBase + "/x"}},
		{"Base itself", pathBase, "/", []string{pathBase}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := newPathService(t, tt.base).pathIRIs(tt.path)
			if ok != (tt.want != nil) || !slices.Equal(got, tt.want) {
				t.Errorf("pathIRIs(%q) = %q, %v; want %q", tt.path, got, ok, tt.want)
			}
		})
	}
}

// TestLocalPath: an IRI → the path its links point to.
func TestLocalPath(t *testing.T) {
	tests := []struct{ name, base, iri, want string }{
		{"plain ASCII unchanged", pathBase, pathBase + "provider/x/dataset/1", "/provider/x/dataset/1"},
		{"parens stay raw", pathBase, pathBase + "x(1)", "/x(1)"},
		{"non-ASCII as uppercase UTF-8", pathBase, pathBase + "café", "/caf%C3%A9"},
		{"encodings kept as written", pathBase, pathBase + "a%2Fb%28c%c3%a9", "/a%2Fb%28c%c3%a9"},
		{"sub-delims and gen-delims kept", pathBase, pathBase + "a!$&'*+,;=:@b?q=1#f", "/a!$&'*+,;=:@b?q=1#f"},
		{"leading slash is not a host", pathBase, pathBase + "/evil.example/x", "/.//evil.example/x"},
		{"under a base path", pathBase + "t/", pathBase + "t/café(1)", "/t/caf%C3%A9(1)"},
		{"not under Base", pathBase, "https://other.example/x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := newPathService(t, tt.base).localPath(tt.iri); got != tt.want {
				t.Errorf("localPath(%q) = %q, want %q", tt.iri, got, tt.want)
			}
		})
	}
}

// TestHrefRoundTrip: the link written for an IRI, requested as a browser
// or HTTP client sends it, finds that IRI — also when the store holds
// another IRI that differs only by an encoding that is not equivalent
// ("x(1)" and "x%281%29").
func TestHrefRoundTrip(t *testing.T) {
	tricky := []string{
		"provider/x/dataset/1",
		"x(1)", "x%281%29", "x%28", "(x)!*';,=+$&:@",
		"café", "caf%C3%A9", "caf%c3%a9", "日本語/𝄞", "a%2Fb", "a%2Fcafé", "a%28b/café", "a(b/café",
		"100%25", "%7Euser", "/leading-slash", "sp%20ace",
	}
	for _, base := range []string{pathBase, pathBase + "tessera/"} {
		s := newPathService(t, base)
		// Every IRI in one store: the first known candidate must be the IRI
		// itself, whatever else the store holds.
		known := map[string]bool{}
		for _, v := range tricky {
			known[base+v] = true
		}
		for _, v := range tricky {
			want := base + v
			href := s.localPath(want)
			r := readRequest(t, href)
			cands, ok := s.pathIRIs(RequestPath(r))
			if !ok {
				t.Errorf("%s: href %q is not under Base", want, href)
				continue
			}
			got := ""
			for _, c := range cands {
				if known[c] {
					got = c
					break
				}
			}
			// IRIs equivalent by RFC 3986/3987 are one resource on the web:
			// "café" and "caf%C3%A9" have one link, and the store holding
			// both, the first rule of pathIRIs wins.
			if v == "café" {
				want = base + "caf%C3%A9"
			}
			if got != want {
				t.Errorf("href %q of %s finds %q (candidates %q)", href, want, got, cands)
			}
			// Alone in a store, the IRI is found too.
			if !slices.Contains(cands, base+v) {
				t.Errorf("href %q of %s: candidates %q lack it", href, base+v, cands)
			}
		}
	}
}

// TestRequestFormsFindIRI: the forms clients send for one IRI all reach it.
func TestRequestFormsFindIRI(t *testing.T) {
	s := newPathService(t, pathBase)
	tests := []struct {
		iri   string
		forms []string
	}{
		{"x(1)", []string{"/x(1)", "/x%281%29", "/x%281)", "/%78(1)"}},
		{"café", []string{"/café", "/caf%C3%A9", "/caf%c3%a9", "/caf%C3%a9"}},
		{"x'y!*", []string{"/x'y!*", "/x%27y%21%2A", "/x%27y%21%2a"}},
		{"a;b=c,d", []string{"/a;b=c,d", "/a%3Bb%3Dc%2Cd"}},
		{"caf%C3%A9", []string{"/caf%C3%A9", "/café", "/caf%c3%a9"}},
		{"a%2Fb", []string{"/a%2Fb"}},
		{"x%281%29", []string{"/x%281%29"}},
		{"dé(1)", []string{"/dé(1)", "/d%C3%A9%281%29", "/d%c3%a9(1)", "/dé%281%29"}},
	}
	for _, tt := range tests {
		for _, form := range tt.forms {
			cands, _ := s.pathIRIs(RequestPath(readRequest(t, form)))
			if !slices.Contains(cands, pathBase+tt.iri) {
				t.Errorf("request %q does not reach %s: candidates %q", form, tt.iri, cands)
			}
		}
	}
	// "%2F" never becomes a path separator.
	cands, _ := s.pathIRIs(RequestPath(readRequest(t, "/a%2Fb")))
	if slices.Contains(cands, pathBase+"a/b") {
		t.Errorf("/a%%2Fb reaches a/b: %q", cands)
	}
}

// TestHrefAttr: the href attribute of the page template.
func TestHrefAttr(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"local path", "/provider/x/dataset/1", `href="/provider/x/dataset/1"`},
		{"parens and quote stay raw", "/x(1)'", `href="/x(1)&#39;"`},
		{"query ampersand escaped", "/x?format=turtle&profile=full", `href="/x?format=turtle&amp;profile=full"`},
		{"non-ASCII encoded", "https://other.example/café", `href="https://other.example/caf%C3%A9"`},
		{"quotes and brackets encoded", `/a"b<c>`, `href="/a%22b%3Cc%3E"`},
		{"mailto", "mailto:a@b.example", `href="mailto:a@b.example"`},
		{"fragment", "#x", `href="#x"`},
		{"empty is this page", "", `href=""`},
		{"javascript refused", "javascript:alert(1)", `href="#ZgotmplZ"`},
		{"other scheme refused", "data:text/html,x", `href="#ZgotmplZ"`},
		{"protocol-relative refused", "//evil.example/", `href="#ZgotmplZ"`},
		{"backslash cannot make it protocol-relative", `/\evil.example/`, `href="/%5Cevil.example/"`},
		{"relative path refused", "x", `href="#ZgotmplZ"`},
		{"a tab cannot make it protocol-relative", "/\t/evil.example/", `href="/%09/evil.example/"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(hrefAttr(tt.in)); got != tt.want {
				t.Errorf("hrefAttr(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}
