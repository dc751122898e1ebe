package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/loaders/testsuite"
)

// eucaimExample returns the text of a file of the real EUCAIM examples.
func eucaimExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testsuite.MustData(t), "eucaim-dcat-ap", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	orig := eucaimExample(t, "dataset-example.ttl")
	good := writeFile(t, dir, "good.ttl", orig)
	legacy := writeFile(t, dir, "legacy.ttl", eucaimExample(t, "dataset-example-legacy-ns.ttl"))
	badTier := writeFile(t, dir, "bad-tier.ttl", strings.Replace(orig, "eucaim:SPEC1000011", "eucaim:SPEC1000099", 1))
	noTitle := writeFile(t, dir, "no-title.ttl", strings.Replace(orig, `dct:title "Open Challenge Prostate Cancer V1"@en ;`, "", 1))
	badType := writeFile(t, dir, "bad-type.ttl", strings.Replace(orig, `"8237"^^xsd:nonNegativeInteger`, `"many"^^xsd:nonNegativeInteger`, 1))
	broken := writeFile(t, dir, "broken.ttl", "@prefix ex: <https://ex.org/> .\nex:a ex:b ex:c ;\n  ex:d .\n")
	shapesFile := writeFile(t, dir, "title.ttl", `@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://ex.org/TitleShape> a sh:NodeShape ; sh:targetClass dcat:Dataset ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:message "needs a title" ] .
`)
	ds := "https://example.org/eucaim/dataset"
	tests := []struct {
		name    string
		args    []string
		code    int
		out     []string // substrings of stdout
		errText string   // substring of stderr
	}{
		// The real example: no violation, five v2.0 warnings; exit 0.
		{"real example", []string{good}, 0, []string{"Warning", "dcat:distribution"}, ""},
		{"legacy namespace", []string{legacy}, 0, nil, ""},
		{"unknown tier code", []string{badTier}, 1, []string{ds, "interoperabilityLevel", "SPEC1000099", "EUCAIM tier code"}, "1 violation"},
		{"missing title", []string{noTitle}, 1, []string{ds, "dct:title", "needs a dct:title"}, "violation"},
		{"wrong datatype", []string{badType}, 1, []string{ds, "numberOfUniqueIndividuals", `"many"`, "xsd:nonNegativeInteger"}, "violation"},
		{"shapes file", []string{"--shapes", shapesFile, noTitle}, 1, []string{"needs a title"}, "1 violation"},
		{"shapes file conforms", []string{"--shapes", shapesFile, good}, 0, nil, ""},
		{"two sets", []string{"--shapes", "eucaim", "--shapes", shapesFile, noTitle}, 1, []string{"needs a title", "needs a dct:title"}, "2 violations"},
		{"syntax error", []string{broken}, 2, nil, "broken.ttl:3:"},
		{"missing file", []string{filepath.Join(dir, "nope.ttl")}, 2, nil, "nope.ttl"},
		{"unknown shape set", []string{"--shapes", "nope", good}, 2, nil, "not a shipped shape set"},
		{"bad format", []string{"--format", "xml", good}, 2, nil, "--format"},
		{"no data", nil, 2, nil, "nothing to validate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := tessera(t, "", append([]string{"validate"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("validate %v: exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, out, errOut)
			}
			for _, s := range tt.out {
				if !strings.Contains(out, s) {
					t.Errorf("validate %v: stdout lacks %q:\n%s", tt.args, s, out)
				}
			}
			if !strings.Contains(errOut, tt.errText) {
				t.Errorf("validate %v: stderr %q lacks %q", tt.args, errOut, tt.errText)
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		code, out, _ := tessera(t, "", "validate", "--format", "json", badTier)
		var rep struct {
			Conforms bool `json:"conforms"`
			Results  []struct {
				Focus    struct{ Value string }   `json:"focusNode"`
				Path     string                   `json:"path"`
				Value    struct{ Value string }   `json:"value"`
				Messages []struct{ Value string } `json:"messages"`
				Severity string                   `json:"severity"`
			} `json:"results"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 {
			t.Fatalf("validate --format json: exit %d, %v:\n%s", code, err, out)
		}
		var found bool
		for _, r := range rep.Results {
			if strings.HasSuffix(r.Value.Value, "SPEC1000099") && r.Focus.Value == ds && r.Path != "" && len(r.Messages) > 0 {
				found = true
			}
		}
		if !found {
			t.Errorf("JSON report lacks the tier violation with focus, path, value and message:\n%s", out)
		}
	})
	t.Run("turtle", func(t *testing.T) {
		code, out, _ := tessera(t, "", "validate", "--format", "turtle", badTier)
		if code != 1 || !strings.Contains(out, "sh:ValidationReport") || !strings.Contains(out, "sh:focusNode") {
			t.Errorf("validate --format turtle: exit %d:\n%s", code, out)
		}
	})
}

// TestValidateFDP records the outcome of the FDP examples against the FDP
// shapes and of the Health-RI example against its profile.
func TestValidateFDP(t *testing.T) {
	data := testsuite.MustData(t)
	code, out, errOut := tessera(t, "", "validate", "--shapes", "health-ri", filepath.Join(data, "fdp", "health-ri", "example-dataset.ttl"))
	if code != 0 {
		t.Errorf("health-ri example: exit %d, want 0\n%s%s", code, out, errOut)
	}
	code, out, errOut = tessera(t, "", "validate", "--shapes", "fdp", filepath.Join(data, "fdp", "rdf-examples", "fantom5.ttl"))
	if code != 0 || !strings.Contains(out, "conforms") {
		t.Errorf("fdp fantom5 example: exit %d, want 0 (conforms)\n%s%s", code, out, errOut)
	}
}
