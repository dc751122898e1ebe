package fdp_test

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	acl "github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/web/fdp"
)

// rawGet sends target on the wire exactly as given (raw non-ASCII octets,
// parentheses, lowercase hex: what curl or a browser may send; net/http's
// client would re-encode some of it) and returns status, headers, body.
func rawGet(t *testing.T, srv *httptest.Server, target, accept string) (int, http.Header, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\nAccept: %s\r\nConnection: close\r\n\r\n", target, accept); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

var hrefRE = regexp.MustCompile(`href="([^"]*)"`)

// hrefs returns the link targets of an HTML page, HTML entities decoded.
func hrefs(page []byte) []string {
	var out []string
	for _, m := range hrefRE.FindAllSubmatch(page, -1) {
		out = append(out, html.UnescapeString(string(m[1])))
	}
	return out
}

// TestTrickyIRIs dereferences resources whose IRIs hold parentheses,
// quotes, non-ASCII characters and literal percent-encodings: over HTTP,
// in every form a client may send, and by the links the HTML pages write.
func TestTrickyIRIs(t *testing.T) {
	const ns = base + "provider/q/"
	g := graph.IRI(base + "graph/q")
	label := graph.IRI(nsRDFS + "label")
	seeAlso := graph.IRI(nsRDFS + "seeAlso")
	links := graph.IRI(ns + "links")
	// IRI (after ns) → the href the links page must write for it.
	tricky := []struct{ rest, href string }{
		{"plain/1", "/provider/q/plain/1"},
		{"x(1)", "/provider/q/x(1)"},
		{"x%281%29", "/provider/q/x%281%29"}, // another IRI than x(1)
		{"it's!*", "/provider/q/it's!*"},
		{"a;b=c,d", "/provider/q/a;b=c,d"},
		{"café", "/provider/q/caf%C3%A9"},
		{"日本/𝄞", "/provider/q/%E6%97%A5%E6%9C%AC/%F0%9D%84%9E"},
		{"a%2Fb", "/provider/q/a%2Fb"},
		{"a/b", "/provider/q/a/b"}, // another IRI than a%2Fb
		{"d%28é", "/provider/q/d%28%C3%A9"},
		{"100%25", "/provider/q/100%25"},
	}
	quads := []graph.Quad{
		// The graph is public, so that its untyped resources are shown.
		{S: g, P: graph.IRI(acl.LevelPredicate), O: graph.IRI(acl.NS + "public"), G: graph.IRI(acl.DefaultSystemGraph)},
		{S: links, P: label, O: graph.String("links"), G: g},
		{S: links, P: seeAlso, O: graph.IRI("https://other.example/é(1)"), G: g},
	}
	for i, tt := range tricky {
		iri := graph.IRI(ns + tt.rest)
		quads = append(quads,
			graph.Quad{S: iri, P: label, O: graph.String(fmt.Sprint("label ", i)), G: g},
			graph.Quad{S: links, P: seeAlso, O: iri, G: g})
	}
	// A catalogue with a non-ASCII IRI, for its child pages.
	cat, ds := graph.IRI(ns+"catalogue-é"), graph.IRI(ns+"dataset(1)")
	quads = append(quads,
		graph.Quad{S: cat, P: graph.IRI(nsRDF + "type"), O: graph.IRI(nsDCAT + "Catalog"), G: g},
		graph.Quad{S: cat, P: graph.IRI(nsDCT + "title"), O: graph.String("Catalogue é"), G: g},
		graph.Quad{S: cat, P: graph.IRI(nsDCAT + "dataset"), O: ds, G: g},
		graph.Quad{S: ds, P: graph.IRI(nsRDF + "type"), O: graph.IRI(nsDCAT + "Dataset"), G: g},
		graph.Quad{S: ds, P: graph.IRI(nsDCT + "title"), O: graph.String("Dataset (1)"), G: g},
	)
	store := memstore.New()
	if _, err := graph.Load(context.Background(), store, graph.FromSlice(quads), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, store, fdp.Options{})

	// labelOf fetches target as Turtle and returns the rdfs:label of want.
	labelOf := func(t *testing.T, target, want string) string {
		t.Helper()
		status, h, body := rawGet(t, srv, target, turtleMedia)
		if status != http.StatusOK {
			t.Errorf("GET %s = %d, want 200 for %s: %s", target, status, want, body)
			return ""
		}
		got := objects(parse(t, h.Get("Content-Type"), body), want, nsRDFS+"label")
		if len(got) != 1 {
			t.Errorf("GET %s: %s has labels %v, want one", target, want, got)
			return ""
		}
		return got[0].Value()
	}

	t.Run("links", func(t *testing.T) {
		status, _, page := rawGet(t, srv, "/provider/q/links", "text/html")
		if status != http.StatusOK {
			t.Fatalf("links page = %d", status)
		}
		written := hrefs(page)
		if !slices.Contains(written, "https://other.example/%C3%A9(1)") {
			t.Errorf("links page does not link the external IRI as its URI: %q", written)
		}
		for i, tt := range tricky {
			if !slices.Contains(written, tt.href) {
				t.Errorf("links page lacks href %q for %s; it has %q", tt.href, tt.rest, written)
				continue
			}
			if got, want := labelOf(t, tt.href, ns+tt.rest), fmt.Sprint("label ", i); got != want {
				t.Errorf("link %q reaches a resource labelled %q, want %q", tt.href, got, want)
			}
		}
	})

	t.Run("request forms", func(t *testing.T) {
		for _, tt := range []struct{ target, rest string }{
			{"/provider/q/x(1)", "x(1)"},
			{"/provider/q/x%281%29", "x%281%29"}, // the exact IRI first
			{"/provider/q/x%281)", "x(1)"},
			{"/provider/q/it%27s%21%2A", "it's!*"},
			{"/provider/q/it%27s%21%2a", "it's!*"},
			{"/provider/q/a%3Bb%3Dc%2Cd", "a;b=c,d"},
			{"/provider/q/café", "café"},
			{"/provider/q/caf%C3%A9", "café"},
			{"/provider/q/caf%c3%a9", "café"},
			{"/provider/q/%E6%97%A5%E6%9C%AC/%f0%9d%84%9e", "日本/𝄞"},
			{"/provider/q/日本/𝄞", "日本/𝄞"},
			{"/provider/q/a%2Fb", "a%2Fb"},
			{"/provider/q/a%2fb", "a%2Fb"},
			{"/provider/q/a/b", "a/b"},
			{"/provider/q/d%28é", "d%28é"},
			{"/provider/q/d%28%c3%a9", "d%28é"},
			{"/provider/q/100%25", "100%25"},
			{"/provider/q/%70lain/1", "plain/1"},
		} {
			i := slices.IndexFunc(tricky, func(x struct{ rest, href string }) bool { return x.rest == tt.rest })
			if got, want := labelOf(t, tt.target, ns+tt.rest), fmt.Sprint("label ", i); got != want {
				t.Errorf("GET %s reaches a resource labelled %q, want %q (%s)", tt.target, got, want, tt.rest)
			}
		}
		for _, target := range []string{"/provider/q/d(é", "/provider/q/100%", "/provider/q/a%252Fb"} {
			if status, _, _ := rawGet(t, srv, target, turtleMedia); status == http.StatusOK {
				t.Errorf("GET %s = 200, want no resource", target)
			}
		}
	})

	t.Run("child pages", func(t *testing.T) {
		status, _, page := rawGet(t, srv, "/provider/q/catalogue-%C3%A9", "text/html")
		if status != http.StatusOK {
			t.Fatalf("catalogue page = %d", status)
		}
		written := hrefs(page)
		for _, want := range []string{"/provider/q/catalogue-%C3%A9/page/dataset", "/provider/q/dataset(1)", "/provider/q/catalogue-%C3%A9?format=turtle"} {
			if !slices.Contains(written, want) {
				t.Errorf("catalogue page lacks href %q; it has %q", want, written)
			}
		}
		for _, target := range []string{"/provider/q/catalogue-%C3%A9/page/dataset", "/provider/q/catalogue-é/page/dataset", "/provider/q/catalogue-%c3%a9/page/dataset"} {
			status, h, body := rawGet(t, srv, target, turtleMedia)
			if status != http.StatusOK {
				t.Errorf("GET %s = %d: %s", target, status, body)
				continue
			}
			if link := h.Get("Link"); !strings.Contains(link, "</provider/q/catalogue-%C3%A9/page/dataset?page=0&size=10>") {
				t.Errorf("GET %s: Link %q", target, link)
			}
			if got := objects(parse(t, h.Get("Content-Type"), body), ds.Value(), nsDCT+"title"); len(got) == 0 {
				t.Errorf("GET %s does not list %s", target, ds)
			}
		}
		status, _, page = rawGet(t, srv, "/provider/q/catalogue-%C3%A9/page/dataset", "text/html")
		if status != http.StatusOK || !slices.Contains(hrefs(page), "/provider/q/dataset(1)") || !slices.Contains(hrefs(page), "/provider/q/catalogue-%C3%A9") {
			t.Errorf("HTML child page = %d, links %q", status, hrefs(page))
		}
	})
}

// TestNotWritable: a description RDF/XML cannot write (a predicate IRI
// without an XML local name) asked for as RDF/XML was a 200 broken off
// mid-body. It is now the next acceptable RDF syntax, or 406.
func TestNotWritable(t *testing.T) {
	g := graph.IRI(base + "graph/w")
	subj := graph.IRI(base + "provider/w/thing")
	store := memstore.New()
	quads := []graph.Quad{
		{S: g, P: graph.IRI(acl.LevelPredicate), O: graph.IRI(acl.NS + "public"), G: graph.IRI(acl.DefaultSystemGraph)},
		{S: subj, P: graph.IRI("http://ex/1"), O: graph.String("one"), G: g},
	}
	if _, err := graph.Load(context.Background(), store, graph.FromSlice(quads), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, store, fdp.Options{})
	tests := []struct {
		name, target, accept string
		status               int
		contentType          string // media type of a 200
	}{
		{"RDF/XML only is 406", "/provider/w/thing", rdfxmlMedia, 406, ""},
		{"format=rdfxml is 406", "/provider/w/thing?format=rdfxml", turtleMedia, 406, ""},
		{"falls back to Turtle", "/provider/w/thing", rdfxmlMedia + ", " + turtleMedia + ";q=0.5", 200, turtleMedia},
		{"falls back to N-Triples", "/provider/w/thing", rdfxmlMedia + ", " + ntriplesMedia + ";q=0.1", 200, ntriplesMedia},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := rawGet(t, srv, tt.target, tt.accept)
			if status != tt.status {
				t.Fatalf("GET %s (Accept %s) = %d, want %d: %s", tt.target, tt.accept, status, tt.status, body)
			}
			if status == 406 {
				if !strings.Contains(string(body), "not_acceptable") || !strings.Contains(string(body), turtleMedia) {
					t.Errorf("406 body %s, want not_acceptable listing the formats", body)
				}
				return
			}
			if mt := strings.Split(h.Get("Content-Type"), ";")[0]; mt != tt.contentType {
				t.Fatalf("Content-Type %q, want %s", mt, tt.contentType)
			}
			if got := objects(parse(t, h.Get("Content-Type"), body), subj.Value(), "http://ex/1"); len(got) != 1 {
				t.Errorf("body: %v, want the triple: %s", got, body)
			}
		})
	}
}
