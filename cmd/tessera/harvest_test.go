package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func TestHarvestCommand(t *testing.T) {
	catalog := `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://ex.org/cat> a dcat:Catalog ; dcat:dataset <https://ex.org/ds1>, <https://ex.org/ds2> .
` + strings.SplitN(sampleTTL, "\n", 3)[2]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/catalog.ttl" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/turtle")
		_, _ = w.Write([]byte(catalog))
	}))
	defer srv.Close()
	data := filepath.Join(t.TempDir(), "data")

	code, out, errOut := tessera(t, "", "harvest", srv.URL+"/catalog.ttl", "--data", data, "--graph", "https://tessera.example/graph/harvest/ex", "--json")
	if code != exitOK {
		t.Fatalf("harvest exit %d: %s", code, errOut)
	}
	var rep struct {
		Graph       string   `json:"graph"`
		Datasets    int      `json:"datasets"`
		NewDatasets []string `json:"new_datasets"`
		Triples     int      `json:"triples"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if rep.Graph != "https://tessera.example/graph/harvest/ex" || rep.Datasets != 2 || len(rep.NewDatasets) != 2 || rep.Triples != 10 {
		t.Errorf("report = %+v", rep)
	}
	// Again, as text: nothing changed.
	code, out, errOut = tessera(t, "", "harvest", srv.URL+"/catalog.ttl", "--store", data, "--graph", "https://tessera.example/graph/harvest/ex")
	if code != exitOK || !strings.Contains(out, "+0 −0 triples; 2 datasets: 0 new, 0 removed, 0 changed") {
		t.Errorf("second harvest exit %d:\n%s%s", code, out, errOut)
	}
	if st := statsOf(t, data); st["graphs"].(map[string]any)["https://tessera.example/graph/harvest/ex"] != float64(10) {
		t.Errorf("stats after harvest: %v", st["graphs"])
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"harvest"}, exitUsage},
		{[]string{"harvest", "a", "b"}, exitUsage},
		{[]string{"harvest", srv.URL + "/catalog.ttl", "--graph", "default"}, exitUsage},
		{[]string{"harvest", srv.URL + "/missing.ttl"}, exitError},
		{[]string{"harvest", "ftp://example.org/x"}, exitError},
	} {
		if code, _, errOut := tessera(t, "", append(tc.args, "--data", data)...); code != tc.code {
			t.Errorf("tessera %v exit %d, want %d: %s", tc.args, code, tc.code, errOut)
		}
	}
}
