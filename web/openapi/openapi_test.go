package openapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tessera-fair/tessera/web/asset"
)

// TestSpecValid loads the description with kin-openapi and validates it as
// OpenAPI 3.1 (JSON Schema 2020-12 for the schemas), with every $ref
// resolved.
func TestSpecValid(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(Spec())
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" || !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not valid OpenAPI 3.1: %v", err)
	}
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", method, path)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("operationId %s used by %s and %s %s", op.OperationID, prev, method, path)
			}
			ids[op.OperationID] = method + " " + path
			if len(op.Tags) == 0 || op.Summary == "" {
				t.Errorf("%s %s needs a tag and a summary", method, path)
			}
		}
	}
	for _, want := range []string{"GET /sparql", "POST /sparql", "GET /store", "PUT /store", "POST /store", "DELETE /store",
		"GET /graphql", "POST /graphql", "GET /healthz", "GET /stats", "GET /metrics", "GET /fdp", "GET /.well-known/void"} {
		found := false
		for _, v := range ids {
			found = found || v == want
		}
		if !found {
			t.Errorf("the description lacks %s", want)
		}
	}
	// The error format every API shares.
	errSchema := doc.Components.Schemas["Error"]
	if errSchema == nil || errSchema.Value.Properties["error"] == nil {
		t.Fatal("no Error schema with an error property")
	}
	inner := errSchema.Value.Properties["error"].Value
	for _, p := range []string{"code", "message", "details"} {
		if inner.Properties[p] == nil {
			t.Errorf("Error.error lacks %s", p)
		}
	}
	good := []byte(`{"error":{"code":"syntax_error","message":"m","details":{"line":1,"column":2}}}`)
	var v any
	_ = json.Unmarshal(good, &v)
	if err := errSchema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("a real error body does not match the Error schema: %v", err)
	}
	_ = json.Unmarshal([]byte(`{"error":{"message":"no code"}}`), &v)
	if err := errSchema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err == nil {
		t.Errorf("an error body without code matches the Error schema")
	}
}

func TestViewerPage(t *testing.T) {
	v, err := NewViewer(ViewerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if refs := asset.ExternalRefs("page.html", v.Page()); len(refs) > 0 {
		t.Errorf("the viewer page loads from other origins: %q", refs)
	}
	for _, name := range v.Assets().Names() {
		if refs := asset.ExternalRefs(name, v.Assets().Content(name)); len(refs) > 0 {
			t.Errorf("%s loads from other origins: %q", name, refs)
		}
	}
	page := string(v.Page())
	for _, name := range []string{"vendor/swagger-ui-bundle.js", "vendor/swagger-ui.css", "viewer.js", "viewer.css"} {
		if !strings.Contains(page, v.Assets().Path(AssetPrefix, name)) {
			t.Errorf("the page does not reference %s at its current version", name)
		}
	}
	if !strings.Contains(page, `data-spec="/openapi.json"`) {
		t.Errorf("the page does not point Swagger UI at /openapi.json")
	}
	// Swagger UI's default validator badge calls validator.swagger.io.
	if !strings.Contains(string(v.Assets().Content("viewer.js")), "validatorUrl: null") {
		t.Errorf("viewer.js must switch off the online validator")
	}
	w := httptest.NewRecorder()
	v.ServePage(w, httptest.NewRequest(http.MethodGet, "/openapi", nil))
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || w.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("GET /openapi: %d %q CSP %q", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Security-Policy"))
	}
}

func TestServeSpec(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		w := httptest.NewRecorder()
		ServeSpec(w, httptest.NewRequest(method, SpecPath, nil))
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: %d %q", method, w.Code, w.Header().Get("Content-Type"))
		}
		if method == http.MethodGet && !json.Valid(w.Body.Bytes()) {
			t.Errorf("GET: body is not JSON")
		}
		if method == http.MethodHead && w.Body.Len() > 0 {
			t.Errorf("HEAD wrote a body")
		}
	}
}
