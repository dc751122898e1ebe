package jsonld

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

const (
	dcatCtx   = "https://tessera-fair.github.io/context/dcat-ap-3.jsonld"
	healthCtx = "https://tessera-fair.github.io/context/healthdcat-ap.jsonld"
	dcat      = "http://www.w3.org/ns/dcat#"
	dct       = "http://purl.org/dc/terms/"
)

func decodeString(t *testing.T, doc string, opts Options) ([]graph.Quad, error) {
	t.Helper()
	return decodeAll(NewDecoder(strings.NewReader(doc), opts))
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		opts Options
		want []graph.Quad
	}{
		{
			name: "plain literal and IRI",
			doc:  `{"@id": "http://ex/s", "http://ex/p": "o", "http://ex/q": {"@id": "http://ex/o"}}`,
			want: []graph.Quad{
				graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.String("o")),
				graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/q"), graph.IRI("http://ex/o")),
			},
		},
		{
			name: "native numbers and booleans",
			doc:  `{"@id": "http://ex/s", "http://ex/p": [1, 1.5, true, 1e21, -0, 123456789012345678901]}`,
			want: []graph.Quad{
				graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.Literal("1", graph.XSDInteger)),
				graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.Literal("1.5E0", graph.XSDDouble)),
				graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.Literal("true", graph.XSDBoolean)),
				graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.Literal("1.0E21", graph.XSDDouble)),
				graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.Literal("0", graph.XSDInteger)),
				graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.Literal("123456789012345680000", graph.XSDInteger)), // float64, as JSON-LD processors read JSON numbers
			},
		},
		{
			name: "relative IRI against the base",
			doc:  `{"@id": "a", "http://ex/p": {"@id": "../b"}}`,
			opts: Options{Options: syntax.Options{Base: "http://ex/x/y"}},
			want: []graph.Quad{graph.Triple(graph.IRI("http://ex/x/a"), graph.IRI("http://ex/p"), graph.IRI("http://ex/b"))},
		},
		{
			name: "relative IRI without a base is dropped",
			doc:  `{"@id": "a", "http://ex/p": "x"}`,
		},
		{
			name: "language and direction dropped by default",
			doc:  `{"@id": "http://ex/s", "http://ex/p": {"@value": "x", "@language": "EN-gb", "@direction": "rtl"}}`,
			want: []graph.Quad{graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.LangLiteral("x", "en-gb"))},
		},
		{
			name: "i18n datatype",
			doc:  `{"@id": "http://ex/s", "http://ex/p": {"@value": "x", "@language": "ar-EG", "@direction": "rtl"}}`,
			opts: Options{RDFDirection: RDFDirectionI18nDatatype},
			want: []graph.Quad{graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.Literal("x", "https://www.w3.org/ns/i18n#ar-eg_rtl"))},
		},
		{
			name: "JSON literal canonicalised",
			doc:  `{"@id": "http://ex/s", "http://ex/p": {"@value": {"b": [1.0, 2e0], "a": "\u00e9"}, "@type": "@json"}}`,
			want: []graph.Quad{graph.Triple(graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.Literal(`{"a":"é","b":[1,2]}`, rdfJSON))},
		},
		{
			name: "named graph",
			doc:  `{"@id": "http://ex/g", "@graph": {"@id": "http://ex/s", "http://ex/p": "o"}}`,
			want: []graph.Quad{{S: graph.IRI("http://ex/s"), P: graph.IRI("http://ex/p"), O: graph.String("o"), G: graph.IRI("http://ex/g")}},
		},
		{
			name: "bundled DCAT-AP and HealthDCAT-AP contexts",
			doc: `{"@context": ["` + dcatCtx + `", "` + healthCtx + `"],
				"id": "http://ex/d", "type": "Dataset", "title": {"@value": "T", "@language": "en"},
				"distribution": "http://ex/dist", "numberOfRecords": "8789"}`,
			want: []graph.Quad{
				graph.Triple(graph.IRI("http://ex/d"), graph.IRI(rdfType), graph.IRI(dcat+"Dataset")),
				graph.Triple(graph.IRI("http://ex/d"), graph.IRI(dct+"title"), graph.LangLiteral("T", "en")),
				graph.Triple(graph.IRI("http://ex/d"), graph.IRI(dcat+"distribution"), graph.IRI("http://ex/dist")),
				graph.Triple(graph.IRI("http://ex/d"), graph.IRI("https://w3id.org/healthdcat-ap#numberOfRecords"), graph.Literal("8789", "http://www.w3.org/2001/XMLSchema#nonNegativeInteger")),
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeString(t, tc.doc, tc.opts)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !graph.Isomorphic(got, tc.want) {
				t.Errorf("decode = \n%s\nwant\n%s", quadsString(got), quadsString(tc.want))
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name      string
		doc       string
		opts      Options
		line, col int    // for *syntax.Error
		code      string // for *Error
		contains  string
	}{
		{name: "bad JSON", doc: "{\n  \"a\": [1,\n  2,,]}", line: 3, col: 5, contains: "invalid character"},
		{name: "truncated JSON", doc: "{\n \"a\": \"é", line: 2, col: 9, contains: "unexpected end"},
		{name: "trailing data", doc: `{} {}`, line: 1, col: 5, contains: "after the JSON value"},
		{name: "too large", doc: `{"@id": "http://ex/s"}`, opts: Options{MaxBytes: 5}, line: 1, col: 1, contains: "larger than 5 bytes"},
		{name: "invalid context entry", doc: `{"@context": {"@version": 1.1, "@propagate": "yes"}}`, code: "invalid @propagate value"},
		{name: "unknown remote context", doc: `{"@context": "https://example.org/ctx.jsonld"}`, code: "loading remote context failed", contains: "context https://example.org/ctx.jsonld could not be loaded: remote contexts are not fetched"},
		{name: "local file context", doc: `{"@context": "file:///etc/passwd"}`, code: "loading remote context failed", contains: "file:///etc/passwd"},
		{name: "relative file context", doc: `{"@context": "../../go.mod"}`, code: "loading remote context failed"},
		{name: "empty term", doc: `{"@context": {"": "http://ex/"}}`, code: "invalid term definition"},
		{name: "@version a number other than 1.1", doc: `{"@context": {"@version": 1.2}}`, code: "invalid @version value", contains: "@version must be the number 1.1"},
		{name: "@version a string", doc: `{"@context": {"@version": "1.1"}}`, code: "invalid @version value", contains: "@version must be the number 1.1"},
		{name: "typed value with two types", doc: `{"http://ex/p": {"@value": "x", "@type": ["http://ex/a", "http://ex/b"]}}`, code: "invalid typed value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.File = "doc.jsonld"
			_, err := decodeString(t, tc.doc, tc.opts)
			if err == nil {
				t.Fatal("decode succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("error %q does not contain %q", err, tc.contains)
			}
			if strings.Contains(err.Error(), "%!") {
				t.Errorf("error %q has a garbled fmt verb", err)
			}
			if !strings.HasPrefix(err.Error(), "doc.jsonld:") {
				t.Errorf("error %q does not name the file", err)
			}
			if tc.code != "" {
				var e *Error
				if !errors.As(err, &e) || e.Code != tc.code {
					t.Fatalf("error = %v, want code %q", err, tc.code)
				}
				return
			}
			se, ok := syntax.AsError(err)
			if !ok {
				t.Fatalf("error = %T %v, want *syntax.Error", err, err)
			}
			if se.Line != tc.line || se.Column != tc.col {
				t.Errorf("position = %d:%d, want %d:%d", se.Line, se.Column, tc.line, tc.col)
			}
		})
	}
}

// TestDecodeErrorIsFinal checks that Next keeps returning the first error.
func TestDecodeErrorIsFinal(t *testing.T) {
	d := NewDecoder(strings.NewReader(`{`), Options{})
	_, err1 := d.Next()
	_, err2 := d.Next()
	if err1 == nil || err1 != err2 {
		t.Errorf("Next errors = %v, %v; want the same error twice", err1, err2)
	}
}

func TestBlankNodesScoped(t *testing.T) {
	doc := `{"@id": "_:a", "http://ex/p": {"@id": "_:b"}}`
	q1, err := decodeString(t, doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	q2, err := decodeString(t, doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if q1[0].S == q2[0].S {
		t.Error("two documents share blank node _:a")
	}
	scope := graph.NewBlankScope()
	opts := Options{Options: syntax.Options{Blanks: scope}}
	q3, _ := decodeString(t, doc, opts)
	q4, _ := decodeString(t, doc, opts)
	if q3[0].S != q4[0].S || q3[0].S != scope.Named("a") {
		t.Error("a shared scope does not share document labels")
	}
}

// TestCachedContextRebased checks that a cached processed context is used
// with each document's own base IRI, and gives the same quads as a fresh
// loader.
func TestCachedContextRebased(t *testing.T) {
	loader, err := NewDocumentLoader(LoaderOptions{Documents: map[string][]byte{
		"https://ctx.example/c.jsonld":   []byte(`{"@context": {"ex": "http://ex/", "link": {"@id": "ex:link", "@type": "@id"}}}`),
		"https://ctx.example/rel.jsonld": []byte(`{"@context": {"@vocab": "#"}}`),
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ctx := range []string{"https://ctx.example/c.jsonld", "https://ctx.example/rel.jsonld"} {
		for _, base := range []string{"http://one.example/doc", "http://two.example/doc", "http://one.example/doc"} {
			doc := `{"@context": "` + ctx + `", "@id": "s", "link": "o", "term": "v"}`
			want, err := decodeAll(NewDecoder(strings.NewReader(doc), Options{Options: syntax.Options{Base: base}, Loader: mustLoader(t, loader.opts)}))
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeAll(NewDecoder(strings.NewReader(doc), Options{Options: syntax.Options{Base: base}, Loader: loader}))
			if err != nil {
				t.Fatal(err)
			}
			if !graph.Isomorphic(got, want) || len(got) == 0 {
				t.Errorf("%s with base %s: cached\n%s\nfresh\n%s", ctx, base, quadsString(got), quadsString(want))
			}
		}
	}
	if _, ok := loader.cachedContext(contextKey{iris: "https://ctx.example/c.jsonld", mode: ProcessingMode11}); !ok {
		t.Error("context not cached")
	}
	if c, _ := loader.cachedContext(contextKey{iris: "https://ctx.example/rel.jsonld", mode: ProcessingMode11}); c != nil {
		t.Error("base-dependent context cached")
	}
}

func mustLoader(t *testing.T, opts LoaderOptions) *DocumentLoader {
	t.Helper()
	l, err := NewDocumentLoader(opts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestRecursiveContext(t *testing.T) {
	loader := mustLoader(t, LoaderOptions{Documents: map[string][]byte{
		"https://ctx.example/a.jsonld": []byte(`{"@context": ["b.jsonld", {"ex": "http://ex/"}]}`),
		"https://ctx.example/b.jsonld": []byte(`{"@context": "https://ctx.example/a.jsonld"}`),
	}})
	_, err := decodeString(t, `{"@context": "https://ctx.example/a.jsonld", "@id": "ex:s"}`, Options{Loader: loader})
	var e *Error
	if !errors.As(err, &e) || e.Code != "recursive context inclusion" {
		t.Errorf("decode = %v, want recursive context inclusion", err)
	}
}

func TestLoaderOptions(t *testing.T) {
	if _, err := NewDocumentLoader(LoaderOptions{Allow: []string{"https://ex/"}}); err == nil {
		t.Error("allow-list without client and timeout accepted")
	}
	if _, err := NewDocumentLoader(LoaderOptions{Documents: map[string][]byte{"https://ex/c": []byte("{")}}); err == nil {
		t.Error("invalid operator document accepted")
	}
	l := mustLoader(t, LoaderOptions{Allow: []string{"https://ex.org", "https://w3id.org/x/"}, Client: http.DefaultClient, Timeout: time.Second})
	for u, want := range map[string]bool{
		"https://ex.org/c.jsonld":     true,
		"https://ex.org":              true,
		"https://ex.org.evil/c":       false,
		"https://w3id.org/x/c":        true,
		"https://w3id.org/y/c":        false,
		"file:///etc/passwd":          false,
		"/etc/passwd":                 false,
		"https://ex.orgx/c.jsonld":    false,
		"http://ex.org/c.jsonld":      false,
		"https://ex.org?c.jsonld=a/b": true,
	} {
		if got := l.allowed(u); got != want {
			t.Errorf("allowed(%q) = %v, want %v", u, got, want)
		}
	}
}

// TestRemoteContextError: a context the loader refuses comes out as a
// *RemoteContextError (found with errors.As through the decoder's *Error)
// that names the URL, why it was refused and the bundled contexts, with no
// Go API in its message, and without json-gold's repetition of it.
func TestRemoteContextError(t *testing.T) {
	allowList := mustLoader(t, LoaderOptions{Allow: []string{"https://w3id.org/x/"}, Client: http.DefaultClient, Timeout: time.Second})
	tests := []struct {
		name    string
		doc     string
		loader  *DocumentLoader
		url     string
		allowed []string
		why     string
	}{
		{"top-level context", `{"@context": "https://w3id.org/healthdcat-ap/context.jsonld", "@id": "http://ex/a"}`, nil,
			"https://w3id.org/healthdcat-ap/context.jsonld", nil, "remote contexts are not fetched (offline by design)"},
		{"after a bundled one", `{"@context": ["` + dcatCtx + `", "https://ex.org/c.jsonld"]}`, nil,
			"https://ex.org/c.jsonld", nil, "remote contexts are not fetched"},
		{"@import", `{"@context": {"@version": 1.1, "@import": "https://ex.org/imp.jsonld"}}`, nil,
			"https://ex.org/imp.jsonld", nil, "remote contexts are not fetched"},
		{"scoped context", `{"@context": {"@vocab": "http://ex/", "x": {"@context": "https://ex.org/scoped.jsonld"}}, "x": {"y": 1}}`, nil,
			"https://ex.org/scoped.jsonld", nil, "remote contexts are not fetched"},
		{"outside the allow-list", `{"@context": "https://w3id.org/y/c.jsonld"}`, allowList,
			"https://w3id.org/y/c.jsonld", []string{"https://w3id.org/x/"}, "not under a URL prefix contexts may be fetched from (https://w3id.org/x/)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeString(t, tc.doc, Options{Options: syntax.Options{File: "doc.jsonld"}, Loader: tc.loader})
			var rce *RemoteContextError
			if !errors.As(err, &rce) {
				t.Fatalf("decode error = %v, want a *RemoteContextError", err)
			}
			if rce.URL != tc.url || !slices.Equal(rce.Allowed, tc.allowed) || !slices.Equal(rce.Bundled, BundledContexts()) {
				t.Errorf("RemoteContextError = %+v, want URL %s, Allowed %v and the bundled contexts", rce, tc.url, tc.allowed)
			}
			msg := err.Error()
			for _, want := range append([]string{"doc.jsonld:", "context " + tc.url + " could not be loaded", tc.why}, BundledContexts()...) {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			for _, bad := range []string{"LoaderOptions", "dereferencing a URL"} {
				if strings.Contains(msg, bad) {
					t.Errorf("message %q contains %q", msg, bad)
				}
			}
		})
	}
	if got := BundledContexts(); !slices.IsSorted(got) || len(got) == 0 {
		t.Errorf("BundledContexts() = %v, want a sorted, non-empty list", got)
	}
}

func TestBundledContextsParse(t *testing.T) {
	l := mustLoader(t, LoaderOptions{})
	for _, u := range BundledContexts() {
		if _, err := l.LoadDocument(u); err != nil {
			t.Errorf("bundled %s: %v", u, err)
		}
		doc := `{"@context": "` + u + `", "@id": "http://ex/s"}`
		if _, err := decodeString(t, doc, Options{Loader: l}); err != nil {
			t.Errorf("bundled %s does not process: %v", u, err)
		}
	}
}

// TestRemoteFetch checks the network path: allowed URLs are fetched once
// (concurrently safe), oversized ones and redirects off the list fail.
func TestRemoteFetch(t *testing.T) {
	var hits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/ok.jsonld", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, `{"@context": {"ex": "http://ex/"}}`)
	})
	mux.HandleFunc("/big.jsonld", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"@context": {"ex": "`+strings.Repeat("x", 2000)+`"}}`)
	})
	mux.HandleFunc("/redirect.jsonld", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.example/ctx", http.StatusFound)
	})
	mux.HandleFunc("/slow.jsonld", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	l := mustLoader(t, LoaderOptions{Allow: []string{srv.URL + "/"}, Client: srv.Client(), Timeout: 200 * time.Millisecond, MaxBytes: 1000})

	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc := `{"@context": "` + srv.URL + `/ok.jsonld", "@id": "ex:s", "ex:p": "o"}`
			q, err := decodeAll(NewDecoder(strings.NewReader(doc), Options{Loader: l}))
			if err != nil || len(q) != 1 {
				t.Errorf("decode with fetched context = %v, %v", q, err)
			}
		}()
	}
	wg.Wait()
	if n := hits.Load(); n != 1 {
		t.Errorf("context fetched %d times, want 1", n)
	}
	for _, path := range []string{"/big.jsonld", "/redirect.jsonld", "/slow.jsonld", "/missing.jsonld"} {
		doc := `{"@context": "` + srv.URL + path + `"}`
		if _, err := decodeAll(NewDecoder(strings.NewReader(doc), Options{Loader: l})); err == nil {
			t.Errorf("%s: loaded, want an error", path)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	s, p, g := graph.IRI("http://ex/s"), graph.IRI("http://ex/p"), graph.IRI("http://ex/g")
	b := graph.Blank("b1")
	quads := []graph.Quad{
		graph.Triple(s, graph.IRI(rdfType), graph.IRI(dcat+"Dataset")),
		graph.Triple(s, graph.IRI(rdfType), graph.String("literal type")),
		graph.Triple(s, graph.IRI(rdfType), b),
		graph.Triple(s, p, graph.String("a \"quoted\"\n\ttab \x01 é")),
		graph.Triple(s, p, graph.LangLiteral("x", "en-GB")),
		graph.Triple(s, p, graph.Literal("1", graph.XSDInteger)),
		graph.Triple(s, p, graph.Literal(`{"a":1}`, rdfJSON)),
		graph.Triple(s, graph.IRI(dct+"title"), b),
		graph.Triple(b, p, graph.Literal("x", "http://ex/dt")),
		{S: s, P: p, O: graph.String("in g"), G: g},
		{S: b, P: p, O: graph.String("in g"), G: g},
		{S: s, P: p, O: graph.String("in blank graph"), G: b},
		graph.Triple(s, p, graph.String("default again")),
		graph.Triple(graph.IRI("ex:not-a-prefix-but-a-scheme"), p, graph.IRI("http://ex/ns")),
		graph.Triple(s, graph.IRI(dcat+"//odd"), s),
	}
	for _, ctx := range []map[string]string{nil, {"dcat": dcat, "dct": dct, "exns": "http://ex/ns", "xsd": graph.XSDNamespace}} {
		var buf bytes.Buffer
		enc := NewEncoder(&buf, EncoderOptions{Context: ctx})
		for _, q := range quads {
			if err := enc.Encode(q); err != nil {
				t.Fatalf("Encode(%v): %v", q, err)
			}
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		got, err := decodeString(t, buf.String(), Options{})
		if err != nil {
			t.Fatalf("decode encoded: %v\n%s", err, buf.String())
		}
		if !graph.Isomorphic(got, quads) {
			t.Errorf("round trip with context %v:\n%s\ngot\n%s\nwant\n%s", ctx, buf.String(), quadsString(got), quadsString(quads))
		}
	}
}

func TestEncodeRejects(t *testing.T) {
	s, p := graph.IRI("http://ex/s"), graph.IRI("http://ex/p")
	tests := []struct {
		name string
		q    graph.Quad
		ctx  map[string]string
	}{
		{"relative IRI", graph.Triple(graph.IRI("s"), p, s), nil},
		{"IRI with space", graph.Triple(s, p, graph.IRI("http://ex/a b")), nil},
		{"bad language tag", graph.Triple(s, p, graph.LangLiteral("x", "en_GB")), nil},
		{"not UTF-8", graph.Triple(s, p, graph.String("\xff")), nil},
		{"literal subject", graph.Triple(graph.String("x"), p, s), nil},
		{"scheme is a prefix", graph.Triple(graph.IRI("ex:s"), p, s), map[string]string{"ex": "http://ex/"}},
		{"bad prefix", graph.Triple(s, p, s), map[string]string{"a:b": "http://ex/"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc := NewEncoder(io.Discard, EncoderOptions{Context: tc.ctx})
			if err := enc.Encode(tc.q); err == nil {
				t.Errorf("Encode(%v) succeeded, want an error", tc.q)
			}
		})
	}
}

func TestEncodeEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := NewEncoder(&buf, EncoderOptions{}).Close(); err != nil {
		t.Fatal(err)
	}
	got, err := decodeString(t, buf.String(), Options{})
	if err != nil || len(got) != 0 {
		t.Errorf("empty document decodes to %v, %v", got, err)
	}
}

func TestCanonicalForms(t *testing.T) {
	doubles := map[float64]string{1.1: "1.1E0", 1e21: "1.0E21", -2.5e-7: "-2.5E-7", 0.1: "1.0E-1", 123456.789: "1.23456789E5"}
	for f, want := range doubles {
		if got := canonicalDouble(f); got != want {
			t.Errorf("canonicalDouble(%v) = %q, want %q", f, got, want)
		}
	}
	numbers := map[float64]string{0: "0", 1: "1", 1e21: "1e+21", 1e20: "100000000000000000000", 1.5: "1.5", 1e-7: "1e-7", 0.000001: "0.000001", -12.25: "-12.25", 333333333.33333329: "333333333.3333333"}
	for f, want := range numbers {
		if got, _ := esNumber(f); got != want {
			t.Errorf("esNumber(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestWellFormed(t *testing.T) {
	iris := map[string]bool{"http://ex/a": true, "urn:x": true, "a": false, "http://ex/a b": false, "1a:b": false, "http://ex/#a#b": false, "tag:x<y": false}
	for s, want := range iris {
		if got := wellFormedIRI(s); got != want {
			t.Errorf("wellFormedIRI(%q) = %v, want %v", s, got, want)
		}
	}
	langs := map[string]bool{"en": true, "en-GB": true, "zh-Hant-TW": true, "x-private1": true, "": false, "en_GB": false, "1en": false, "en--gb": false, "abcdefghi": false}
	for s, want := range langs {
		if got := wellFormedLang(s); got != want {
			t.Errorf("wellFormedLang(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestPositionCountsCodePoints(t *testing.T) {
	line, col := position([]byte("{\n\"é€\": x"))
	if line != 2 || col != 8 {
		t.Errorf("position = %d:%d, want 2:8", line, col)
	}
}

func ExampleNewDecoder() {
	doc := `{
	  "@context": "https://tessera-fair.github.io/context/dcat-ap-3.jsonld",
	  "id": "https://example.org/dataset/1",
	  "type": "Dataset",
	  "title": "Prostate MRI"
	}`
	d := NewDecoder(strings.NewReader(doc), Options{})
	for q, err := range syntax.Quads(d) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(q)
	}
	// Unordered output:
	// <https://example.org/dataset/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .
	// <https://example.org/dataset/1> <http://purl.org/dc/terms/title> "Prostate MRI" .
}
