package web

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph/graphtest"
	"github.com/tessera-fair/tessera/graph/memstore"
)

func TestHealthAndStats(t *testing.T) {
	store := memstore.New()
	graphtest.Add(t, store, graphtest.Fixture()...)
	// Every graph public: /stats reports exact figures (counts_test.go
	// covers the obfuscated ones).
	srv := New(store, Options{Policy: publicPolicy(t, store)})
	tests := []struct {
		path   string
		status int
		check  func(t *testing.T, body map[string]any)
	}{
		{"/healthz", 200, func(t *testing.T, b map[string]any) {
			if b["status"] != "ok" {
				t.Errorf("healthz body %v", b)
			}
		}},
		{"/stats", 200, func(t *testing.T, b map[string]any) {
			if b["quads"] != float64(len(graphtest.Fixture())) {
				t.Errorf("stats quads = %v, want %d", b["quads"], len(graphtest.Fixture()))
			}
			g, _ := b["graphs"].(map[string]any)
			if g["default"] == nil || g["http://example.org/g1"] != float64(3) {
				t.Errorf("stats graphs = %v", g)
			}
		}},
		{"/no/such/page", 404, func(t *testing.T, b map[string]any) {
			e, _ := b["error"].(map[string]any)
			if e["code"] == nil || e["message"] == nil {
				t.Errorf("404 body %v is not a JSON API error", b)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("GET %s = %d, want %d: %s", tt.path, rec.Code, tt.status, rec.Body)
			}
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("GET %s body %q: %v", tt.path, rec.Body, err)
			}
			tt.check(t, body)
		})
	}
}

func TestHealthWhenStoreClosed(t *testing.T) {
	store := memstore.New()
	store.Close()
	rec := httptest.NewRecorder()
	New(store, Options{}).Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("healthz on a closed store = %d, want 503", rec.Code)
	}
}

func TestServeShutsDownWithContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(memstore.New(), Options{}).Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v after cancel, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
}
