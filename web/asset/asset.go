// Package asset serves the static files that Tessera's web pages embed in the
// binary (go:embed), and checks that none of them loads anything from another
// origin: every script, style sheet, font and image a page needs must come
// from the Tessera server itself, so the UI works offline, behind a hospital
// firewall, and leaks no visitor to a CDN.
//
// Implemented: an http.Handler over an fs.FS with strong ETags (a hash of the
// content), conditional GET (304), Content-Type by extension, a
// Cache-Control suited to files whose URLs carry that hash (Server.Path),
// gzip for clients that accept it (each text file compressed once, on its
// first request, so servers that never serve a page pay nothing), and
// ExternalRefs, a lexical scan of HTML, CSS and JavaScript for references that
// would load a resource from an absolute http(s) or protocol-relative URL.
//
// Not implemented: brotli.
package asset

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Server serves the files of one embedded file system.
type Server struct {
	files map[string]*file
}

type file struct {
	data  []byte
	etag  string
	ctype string

	gzOnce sync.Once
	gz     []byte // nil when compression does not pay
}

// minGzip is the smallest file worth compressing.
const minGzip = 1024

// gzipped returns the file compressed with gzip, or nil when it is not text
// or compression would not make it smaller.
func (f *file) gzipped() []byte {
	f.gzOnce.Do(func() {
		if len(f.data) < minGzip || !compressible(f.ctype) {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(f.data); err != nil || zw.Close() != nil {
			return
		}
		if buf.Len() < len(f.data)*9/10 {
			f.gz = buf.Bytes()
		}
	})
	return f.gz
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "svg") || strings.Contains(ctype, "xml")
}

// acceptsGzip reports whether the Accept-Encoding header allows gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// New reads every regular file of fsys into memory (the files are embedded,
// so this costs no I/O) and hashes it.
func New(fsys fs.FS) (*Server, error) {
	s := &Server{files: map[string]*file{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("read asset %s: %w", name, err)
		}
		sum := sha256.Sum256(data)
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = http.DetectContentType(data)
		}
		s.files[name] = &file{data: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctype: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index assets: %w", err)
	}
	return s, nil
}

// Names lists the files served, for tests that inspect every asset.
func (s *Server) Names() []string {
	out := make([]string, 0, len(s.files))
	for n := range s.files {
		out = append(out, n)
	}
	return out
}

// Content returns a file's bytes, or nil when there is none of that name.
func (s *Server) Content(name string) []byte { return s.files[name].data }

// Version returns a short hash of a file's content, or "" when there is no
// such file. Pages put it in asset URLs (?v=…) so that a new binary's files
// are never confused with cached old ones.
func (s *Server) Version(name string) string {
	f, ok := s.files[name]
	if !ok {
		return ""
	}
	return strings.Trim(f.etag, `"`)
}

// Path returns prefix+name with the content version as a query, the URL a
// page should use for the file.
func (s *Server) Path(prefix, name string) string {
	return prefix + name + "?v=" + s.Version(name)
}

// ServeHTTP serves the file named by the request path (the caller strips its
// route prefix, e.g. with http.StripPrefix). Only GET and HEAD are allowed.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	f, ok := s.files[strings.TrimPrefix(r.URL.Path, "/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	body, etag := f.data, f.etag
	if compressible(f.ctype) {
		h.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			if gz := f.gzipped(); gz != nil {
				// Each representation has its own strong ETag.
				body, etag = gz, strings.TrimSuffix(f.etag, `"`)+`-gz"`
				h.Set("Content-Encoding", "gzip")
			}
		}
	}
	h.Set("ETag", etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if r.URL.Query().Get("v") != "" {
		// The URL names this exact content.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// Patterns of references that make a browser fetch a resource. Each has one
// capture group: the URL.
var (
	htmlRef = regexp.MustCompile(`(?i)<(?:script|link|img|iframe|source|embed|object|video|audio)\b[^>]*?\s(?:src|href|data|srcset)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)`)
	cssRef  = regexp.MustCompile(`(?i)(?:url\(\s*["']?|@import\s+["'])\s*((?:https?:)?//[^"')\s]+)`)
	jsRef   = regexp.MustCompile(`(?i)(?:\bimport\s*\(\s*|\bfrom\s*|\bimportScripts\s*\(\s*|\bfetch\s*\(\s*|\.src\s*=\s*|\bnew\s+(?:Worker|EventSource|WebSocket)\s*\(\s*)["'` + "`" + `]((?:https?:|wss?:)?//[^"'` + "`" + `\s]+)`)
)

// ExternalRefs returns the absolute (http, https, ws, or protocol-relative)
// URLs that the file would make a browser load: script, link and media
// elements in HTML; url() and @import in CSS (also inside HTML); and, in
// JavaScript (also inside HTML), dynamic imports, fetch, importScripts, and
// string assignments to .src. Plain strings in code (namespace IRIs, links
// a user may follow, .href of an anchor) are not loads and are not reported. The scan is
// lexical, so it is a guard, not a proof; the browser tests check the
// requests a page really makes.
func ExternalRefs(name string, content []byte) []string {
	var res []*regexp.Regexp
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		res = []*regexp.Regexp{htmlRef, cssRef, jsRef}
	case ".css":
		res = []*regexp.Regexp{cssRef}
	case ".js", ".mjs":
		res = []*regexp.Regexp{jsRef}
	default:
		return nil
	}
	var out []string
	for _, re := range res {
		for _, m := range re.FindAllSubmatch(content, -1) {
			out = append(out, string(m[1]))
		}
	}
	return out
}
