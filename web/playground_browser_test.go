package web

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/web/playground"
)

// TestPlaygroundInBrowser loads the playground in headless Chromium, with
// the Content-Security-Policy the server sends and the real schema over the
// demo catalogue: GraphiQL must start (no script blocked by the policy, no
// script error), load the schema by introspection and open the example
// tabs. It needs a chromium binary (Debian: apt-get install chromium; or
// set TESSERA_CHROMIUM) and is skipped without one.
func TestPlaygroundInBrowser(t *testing.T) {
	bin := os.Getenv("TESSERA_CHROMIUM")
	if bin == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				bin = p
				break
			}
		}
	}
	if bin == "" {
		t.Skip("no chromium to run the playground in (apt-get install chromium, or set TESSERA_CHROMIUM)")
	}
	srv, _ := demoGraphQLServer(t)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile := t.TempDir()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+profile, "--enable-logging=stderr", "--v=0",
		"--virtual-time-budget=20000", "--dump-dom", ts.URL+"/graphql")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	dom, logs := string(out), stderr.String()
	for _, bad := range []string{"Content Security Policy", "Refused to", "Uncaught"} {
		for line := range strings.SplitSeq(logs, "\n") {
			if strings.Contains(line, bad) {
				t.Errorf("browser console: %s", line)
			}
		}
	}
	if !strings.Contains(dom, `class="graphiql-container"`) {
		t.Fatalf("GraphiQL did not render; DOM:\n%.3000s\nconsole:\n%.3000s", dom, logs)
	}
	// Each example is a tab named after its operation.
	for _, ex := range playground.Examples() {
		name := opName(ex.Query)
		if !strings.Contains(dom, name) {
			t.Errorf("no tab %s in the rendered playground", name)
		}
	}
	// The schema loaded by introspection: the documentation explorer's
	// button is enabled and no introspection error is shown.
	if strings.Contains(dom, "Error fetching schema") || strings.Contains(dom, "graphiql-spinner") {
		t.Errorf("the schema did not load:\n%.3000s", dom)
	}
}

// opName is the name of the first operation of a document.
func opName(doc string) string {
	_, rest, ok := strings.Cut(doc, "\nquery ")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, " ")
	name, _, _ = strings.Cut(name, "(")
	return strings.TrimSpace(name)
}
