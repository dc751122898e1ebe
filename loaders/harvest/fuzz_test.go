package harvest

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
)

// FuzzLinks feeds arbitrary documents (as Turtle and as JSON-LD) and Link
// headers to the walker's link extraction: it must never panic, and every
// link it returns must be an absolute http(s) URL without a fragment.
func FuzzLinks(f *testing.F) {
	f.Add([]byte(prefixes+`<http://a/fdp> fdp:metadataCatalog <http://a/c#x>, <ftp://b/c>, <http://a/c> .`), `<http://a/p2>; rel="next", <x>; rel="first"`)
	f.Add([]byte(`{"@id": "http://a/c", "http://www.w3.org/ns/dcat#dataset": {"@id": "https://a/d"}}`), `<,>; rel=next`)
	f.Add([]byte(`<http://a/c> <http://www.w3.org/ns/ldp#contains> <http://[::1]:80/x> .`), `<"a,b">; rel="next prev"`)
	f.Fuzz(func(t *testing.T, doc []byte, link string) {
		base, _ := url.Parse("http://a/doc")
		for _, name := range []string{"turtle", "jsonld", "rdfxml"} {
			ft, err := loaders.Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			dec := ft.NewDecoder(bytes.NewReader(doc), loaders.DecodeOptions{})
			var quads []graph.Quad
			relabel := map[graph.Term]graph.Term{}
			for len(quads) < 1000 {
				q, err := dec.Next()
				if err == io.EOF || err != nil {
					break
				}
				q.S, q.O = stableBlank(relabel, "http://a/doc", q.S), stableBlank(relabel, "http://a/doc", q.O)
				quads = append(quads, q)
			}
			check(t, extractLinks(quads))
		}
		check(t, nextLinks(http.Header{"Link": []string{link}}, base))
	})
}

func check(t *testing.T, links []link) {
	t.Helper()
	for _, l := range links {
		u, err := url.Parse(l.url)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
			t.Fatalf("link %q is not an absolute http(s) URL without fragment", l.url)
		}
	}
}
