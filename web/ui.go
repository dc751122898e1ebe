package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/sparql/results"
	"github.com/tessera-fair/tessera/web/editor"
	"github.com/tessera-fair/tessera/web/openapi"
)

// The browser pages of the API surfaces:
//
//	GET /sparql (Accept preferring text/html)  the SPARQL editor (web/editor)
//	GET /openapi.json                          the OpenAPI 3.1 description
//	GET /openapi                               its viewer (web/openapi)
//	GET /static/editor/*, /static/openapi/*    their embedded assets

// ui holds the rendered pages; nil fields mean the page failed to build
// (logged once at start), and its routes answer 503.
type ui struct {
	editor *editor.Editor
	viewer *openapi.Viewer
}

// routeUI registers the editor's and the OpenAPI viewer's routes.
func (s *Server) routeUI(e *echo.Echo) {
	var err error
	if s.ui.editor, err = editor.New(editor.Options{Endpoint: "/sparql"}); err != nil {
		s.log.Error("SPARQL editor disabled", "error", err)
	}
	if s.ui.viewer, err = openapi.NewViewer(openapi.ViewerOptions{}); err != nil {
		s.log.Error("OpenAPI viewer disabled", "error", err)
	}
	get := []string{http.MethodGet, http.MethodHead}
	e.Match(get, openapi.SpecPath, echo.WrapHandler(http.HandlerFunc(openapi.ServeSpec)))
	e.Match(get, openapi.ViewerPath, func(c echo.Context) error {
		if s.ui.viewer == nil {
			return apiError(http.StatusServiceUnavailable, "viewer_unavailable", "the OpenAPI viewer could not start; "+openapi.SpecPath+" still works")
		}
		s.ui.viewer.ServePage(c.Response(), c.Request())
		return nil
	})
	if s.ui.editor != nil {
		e.Match(get, editor.AssetPrefix+"*", echo.WrapHandler(http.StripPrefix(editor.AssetPrefix, s.ui.editor.Assets())))
	}
	if s.ui.viewer != nil {
		e.Match(get, openapi.AssetPrefix+"*", echo.WrapHandler(http.StripPrefix(openapi.AssetPrefix, s.ui.viewer.Assets())))
	}
}

// editorPage answers GET /sparql without a query from a browser.
func (s *Server) editorPage(c echo.Context) error {
	if s.ui.editor == nil {
		return apiError(http.StatusServiceUnavailable, "editor_unavailable", "the SPARQL editor could not start; the endpoint still answers queries")
	}
	s.ui.editor.ServePage(c.Response(), c.Request())
	return nil
}

// prefersHTML reports whether a request without a query should get the
// editor page rather than the service description: it names no ?format=,
// and its Accept header ranks text/html (or XHTML) above every RDF syntax.
// Ties, wildcards and an absent header go to RDF, so `curl` and RDF clients
// keep getting the service description.
func prefersHTML(r *http.Request) bool {
	if r.URL.Query().Get("format") != "" {
		return false
	}
	accept := r.Header.Get("Accept")
	if accept == "" {
		return false
	}
	formats := rdfFormats()
	candidates := make([][]string, 0, len(formats)+1)
	for _, f := range formats {
		candidates = append(candidates, f.MediaTypes)
	}
	candidates = append(candidates, []string{"text/html", "application/xhtml+xml"})
	k, ok := results.NegotiateMediaTypes(accept, candidates)
	return ok && k == len(formats)
}
