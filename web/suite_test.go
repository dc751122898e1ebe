package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
	"github.com/tessera-fair/tessera/sparql/results"
)

// The W3C protocol suites (sparql11/protocol and graph-store-protocol)
// describe each test as HTTP requests in RDF (the ht: vocabulary) with the
// expected status, format, boolean, headers and body of each response. The
// runner below reads those descriptions and replays them against the
// server's handler, one fresh in-memory store per test, so every W3C test
// runs as a Go subtest named after its id.

const (
	nsMF   = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
	nsHT   = "http://www.w3.org/2011/http#"
	nsHTS  = "http://www.w3.org/2011/http-statusCodes#"
	nsCNT  = "http://www.w3.org/2011/content#"
	nsUT   = "http://www.w3.org/2009/sparql/tests/test-update#"
	nsRDF  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsRDFS = "http://www.w3.org/2000/01/rdf-schema#"
	// suiteToken is the operator token the runner's server is configured
	// with and its requests carry.
	suiteToken = "w3c-suite-token"
)

// rdfIndex answers "objects of (s, p)" over a manifest.
type rdfIndex map[graph.Term]map[string][]graph.Term

func readManifest(t *testing.T, path string) (rdfIndex, graph.Term) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	base := "file://" + filepath.ToSlash(path)
	turtle, _ := loaders.Lookup("turtle")
	idx := rdfIndex{}
	for q, err := range syntax.Quads(turtle.NewDecoder(f, loaders.DecodeOptions{Options: syntax.Options{File: path, Base: base}})) {
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		if idx[q.S] == nil {
			idx[q.S] = map[string][]graph.Term{}
		}
		idx[q.S][q.P.Value()] = append(idx[q.S][q.P.Value()], q.O)
	}
	return idx, graph.IRI(base)
}

func (x rdfIndex) all(s graph.Term, p string) []graph.Term { return x[s][p] }

func (x rdfIndex) one(s graph.Term, p string) graph.Term {
	if vs := x[s][p]; len(vs) > 0 {
		return vs[0]
	}
	return graph.Term{}
}

func (x rdfIndex) list(head graph.Term) []graph.Term {
	var out []graph.Term
	for !head.IsZero() && head.Value() != nsRDF+"nil" && len(out) < 10000 {
		out = append(out, x.one(head, nsRDF+"first"))
		head = x.one(head, nsRDF+"rest")
	}
	return out
}

// headers reads an ht:headers list into name → value.
func (x rdfIndex) headers(node graph.Term) map[string]string {
	h := map[string]string{}
	for _, hd := range x.list(x.one(node, nsHT+"headers")) {
		h[strings.ToLower(x.one(hd, nsHT+"fieldName").Value())] = x.one(hd, nsHT+"fieldValue").Value()
	}
	return h
}

// statusMatches reports whether code matches an hts: status term, a class
// (StatusCode2xx) or a named code (Created).
func statusMatches(code int, want graph.Term) bool {
	name := strings.TrimPrefix(want.Value(), nsHTS)
	if strings.HasPrefix(name, "StatusCode") && strings.HasSuffix(name, "xx") {
		return fmt.Sprint(code/100) == name[len("StatusCode"):len("StatusCode")+1]
	}
	named := map[string]int{"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404, "BadRequest": 400, "MethodNotAllowed": 405}
	n, ok := named[name]
	return ok && n == code
}

func TestW3CProtocol(t *testing.T) {
	dir := filepath.Join(testsuite.Must(t), "rdf-tests", "sparql", "sparql11")
	r := testsuite.NewRunner(t, filepath.Join("testdata", "known-failures.txt"))
	for _, m := range []string{
		"protocol/manifest.ttl",
		"graph-store-protocol/manifest-direct.ttl",
		"graph-store-protocol/manifest-indirect.ttl",
	} {
		path := filepath.Join(dir, filepath.FromSlash(m))
		idx, manifest := readManifest(t, path)
		for _, test := range idx.list(idx.one(manifest, nsMF+"entries")) {
			id := test.Value()
			name := id[strings.LastIndex(id, "#")+1:]
			t.Run(name, func(t *testing.T) {
				r.Run(t, id, func() error { return runProtocolTest(idx, filepath.Dir(path), test) })
			})
		}
	}
	r.Report(t)
}

func runProtocolTest(idx rdfIndex, dir string, test graph.Term) error {
	ctx := context.Background()
	store := memstore.New()
	for _, gd := range idx.all(test, nsUT+"graphData") {
		file := strings.TrimPrefix(idx.one(gd, nsUT+"graph").Value(), "file://")
		label := idx.one(gd, nsRDFS+"label").Value()
		src, err := os.Open(filepath.Join(dir, filepath.Base(file)))
		if err != nil {
			return err
		}
		nt, _ := loaders.Lookup("ntriples")
		_, err = graph.Load(ctx, store, syntax.Quads(nt.NewDecoder(src, loaders.DecodeOptions{})), graph.LoadOptions{Graph: graph.IRI(label)})
		src.Close()
		if err != nil {
			return fmt.Errorf("load %s: %w", file, err)
		}
	}
	srv := New(store, Options{WriteToken: suiteToken})
	action := idx.one(test, nsMF+"action")
	authority := idx.one(action, nsHT+"connectionAuthority").Value()
	vars := map[string]string{}
	subst := func(s string) string {
		for k, v := range vars {
			s = strings.ReplaceAll(s, k, v)
		}
		return s
	}
	for i, req := range idx.list(idx.one(action, nsHT+"requests")) {
		path := subst(idx.one(req, nsHT+"absolutePath").Value())
		if rest, ok := strings.CutPrefix(path, "/gsp"); ok {
			path = "/store" + rest
		}
		method := idx.one(req, nsHT+"methodName").Value()
		var body io.Reader
		if b := idx.one(req, nsHT+"body"); !b.IsZero() {
			body = strings.NewReader(subst(idx.one(b, nsCNT+"chars").Value()))
		}
		hr := httptest.NewRequest(method, "http://"+authority+path, body)
		for k, v := range idx.headers(req) {
			hr.Header.Set(k, v)
		}
		hr.Header.Set("Authorization", "Bearer "+suiteToken)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, hr)
		resp := idx.one(req, nsHT+"resp")
		what := fmt.Sprintf("request %d (%s %s)", i+1, method, path)
		if err := checkResponse(idx, resp, rec, vars); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

func checkResponse(idx rdfIndex, resp graph.Term, rec *httptest.ResponseRecorder, vars map[string]string) error {
	body := rec.Body.Bytes()
	if want := idx.all(resp, nsMF+"expectedStatus"); len(want) > 0 {
		ok := false
		for _, w := range want {
			ok = ok || statusMatches(rec.Code, w)
		}
		if !ok {
			return fmt.Errorf("status %d, want one of %v: %s", rec.Code, want, body)
		}
	}
	if loc := idx.one(resp, nsMF+"expectedLocation"); !loc.IsZero() {
		got := rec.Header().Get("Location")
		if got == "" {
			return fmt.Errorf("no Location header")
		}
		vars[loc.Value()] = got
	}
	ct := rec.Header().Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	switch format := idx.one(resp, nsMF+"expectedFormat").Value(); format {
	case "":
	case "boolean", "tabular":
		rf, ok := results.FormatForMediaType(mt)
		if !ok {
			return fmt.Errorf("Content-Type %q is not a result format", ct)
		}
		set, err := results.Read(bytes.NewReader(body), rf, syntax.Options{})
		if err != nil {
			return fmt.Errorf("read %s result: %w", rf, err)
		}
		if set.IsBoolean != (format == "boolean") {
			return fmt.Errorf("result is boolean=%v, want %s", set.IsBoolean, format)
		}
		if want := idx.one(resp, nsMF+"expectedBoolean"); !want.IsZero() && fmt.Sprint(set.Boolean) != want.Value() {
			return fmt.Errorf("ASK answered %v, want %s", set.Boolean, want.Value())
		}
		if !set.IsBoolean {
			if _, err := results.Collect(set); err != nil {
				return fmt.Errorf("read rows: %w", err)
			}
		}
	case "RDF":
		if _, err := parseRDF(mt, body); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown expected format %q", format)
	}
	want := idx.headers(resp)
	if w := want["content-type"]; w != "" {
		wmt, wp, _ := mime.ParseMediaType(w)
		_, gp, _ := mime.ParseMediaType(ct)
		if wmt != mt || !strings.EqualFold(wp["charset"], gp["charset"]) {
			return fmt.Errorf("Content-Type %q, want %q", ct, w)
		}
	}
	if b := idx.one(resp, nsHT+"body"); !b.IsZero() {
		wmt, _, _ := mime.ParseMediaType(want["content-type"])
		wantQuads, err := parseRDF(wmt, []byte(idx.one(b, nsCNT+"chars").Value()))
		if err != nil {
			return fmt.Errorf("expected body: %w", err)
		}
		got, err := parseRDF(mt, body)
		if err != nil {
			return err
		}
		if !graph.Isomorphic(got, wantQuads) {
			return fmt.Errorf("body is not isomorphic to the expected graph:\n%s", body)
		}
	}
	return nil
}

func parseRDF(mediaType string, body []byte) ([]graph.Quad, error) {
	f, err := loaders.Lookup(mediaType)
	if err != nil {
		return nil, fmt.Errorf("Content-Type %q is not RDF: %w", mediaType, err)
	}
	qs, err := graph.Collect(syntax.Quads(f.NewDecoder(bytes.NewReader(body), loaders.DecodeOptions{})))
	if err != nil {
		return nil, fmt.Errorf("parse %s response: %w\n%s", f.Name, err, body)
	}
	return qs, nil
}
