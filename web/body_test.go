package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

// gzipped compresses s.
func gzipped(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCompressedBodies checks Content-Encoding on every endpoint that takes
// a body: gzip and x-gzip are decompressed, the body limit applies to the
// decompressed size too (a zip bomb is 413), another coding is 415 naming
// gzip in Accept-Encoding, and a body that is not gzip is 400.
func TestCompressedBodies(t *testing.T) {
	const limit = 4096
	auth := "Bearer " + testToken
	g1 := "/store?graph=" + q("http://example.org/g1")
	nt := "<http://example.org/s> <http://example.org/p> \"gz\" .\n"
	bombNT := strings.Repeat(nt, 1000)                             // 50 kB of N-Triples, about 1 kB compressed
	bombQuery := "ASK {}\n#" + strings.Repeat("x", 100_000) + "\n" // a 100 kB comment
	bombGraphQL := `{"query": "{ a }", "x": "` + strings.Repeat("x", 100_000) + `"}`
	type endpoint struct {
		name, method, target string
		header               map[string]string
		body, bomb           string
		ok                   int
	}
	endpoints := []endpoint{
		{"Graph Store PUT", "PUT", g1, map[string]string{"Content-Type": "application/n-triples", "Authorization": auth}, nt, bombNT, 204},
		{"Graph Store POST multipart", "POST", g1, map[string]string{"Content-Type": "multipart/form-data; boundary=XX", "Authorization": auth},
			"--XX\r\nContent-Type: application/n-triples\r\n\r\n" + nt + "\r\n--XX--\r\n", "--XX\r\nContent-Type: application/n-triples\r\n\r\n" + bombNT + "\r\n--XX--\r\n", 204},
		{"SPARQL query", "POST", "/sparql", map[string]string{"Content-Type": mediaQuery}, "ASK {}", bombQuery, 200},
		{"SPARQL form", "POST", "/sparql", map[string]string{"Content-Type": mediaForm}, "query=" + q("ASK {}"), "query=" + q(bombQuery), 200},
		{"SPARQL update", "POST", "/sparql", map[string]string{"Content-Type": mediaUpdate, "Authorization": auth}, "INSERT DATA { <a:s> <a:p> <a:o> }", "CLEAR SILENT GRAPH <a:g>\n#" + strings.Repeat("x", 100_000), 204},
		{"GraphQL", "POST", "/graphql", map[string]string{"Content-Type": "application/json"}, `{"query": "{ a }"}`, bombGraphQL, 200},
	}
	with := func(h map[string]string, k, v string) map[string]string {
		out := map[string]string{k: v}
		for hk, hv := range h {
			out[hk] = hv
		}
		return out
	}
	for _, ep := range endpoints {
		tests := []struct {
			name   string
			header map[string]string
			body   string
			status int
			code   string
		}{
			{"uncompressed", ep.header, ep.body, ep.ok, ""},
			{"identity", with(ep.header, "Content-Encoding", "identity"), ep.body, ep.ok, ""},
			{"gzip", with(ep.header, "Content-Encoding", "gzip"), gzipped(t, ep.body), ep.ok, ""},
			{"x-gzip", with(ep.header, "Content-Encoding", "X-Gzip"), gzipped(t, ep.body), ep.ok, ""},
			{"zip bomb", with(ep.header, "Content-Encoding", "gzip"), gzipped(t, ep.bomb), 413, "body_too_large"},
			{"not gzip", with(ep.header, "Content-Encoding", "gzip"), ep.body, 400, "bad_content_encoding"},
			{"empty gzip body", with(ep.header, "Content-Encoding", "gzip"), "", 400, "bad_content_encoding"},
			{"corrupt gzip", with(ep.header, "Content-Encoding", "gzip"), gzipped(t, ep.body)[:20], 400, ""},
			{"br", with(ep.header, "Content-Encoding", "br"), ep.body, 415, "unsupported_content_encoding"},
			{"gzip twice", with(ep.header, "Content-Encoding", "gzip, gzip"), gzipped(t, gzipped(t, ep.body)), 415, "unsupported_content_encoding"},
		}
		for _, tt := range tests {
			t.Run(ep.name+"/"+tt.name, func(t *testing.T) {
				srv, store := fixtureServer(t, Options{MaxUploadBytes: limit, MaxQueryBytes: limit, GraphQL: &fakeGraphQL{}})
				if len(tt.body) > limit {
					t.Fatalf("the test body is %d bytes, over the limit it tests", len(tt.body))
				}
				rec := do(t, srv.Handler(), req{ep.method, ep.target, tt.header, tt.body})
				if rec.Code != tt.status {
					t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
				}
				if tt.status == 415 && rec.Header().Get("Accept-Encoding") != "gzip" {
					t.Errorf("415 without Accept-Encoding: gzip (%q)", rec.Header().Get("Accept-Encoding"))
				}
				if tt.code != "" {
					code := ""
					if ep.name == "GraphQL" && tt.status == 400 {
						b := decodeGQL(t, rec)
						code, _ = b.Errors[0]["extensions"].(map[string]any)["code"].(string)
					} else {
						code = apiErr(t, rec).Code
					}
					if code != tt.code {
						t.Errorf("error code %q, want %q: %s", code, tt.code, rec.Body)
					}
				}
				if ep.target == g1 {
					st, _ := store.Stats(context.Background())
					want := int64(3) // the fixture's
					if tt.status/100 == 2 {
						want = 4
						if ep.method == "PUT" {
							want = 1
						}
					}
					if n := st.Graphs[graph.IRI("http://example.org/g1")]; n != want {
						t.Errorf("g1 has %d quads, want %d", n, want)
					}
				}
			})
		}
	}
}
