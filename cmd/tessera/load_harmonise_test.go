package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/loaders/jsonld"
)

// TestLoadValidate checks validation on load: reject stores nothing when
// the data has a violation (export before and after are equal), warn
// stores and prints the report, and the real example loads under reject.
func TestLoadValidate(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "store")
	orig := eucaimExample(t, "dataset-example.ttl")
	bad := writeFile(t, dir, "bad.ttl", strings.Replace(orig, "eucaim:SPEC1000011", "eucaim:SPEC1000099", 1))
	seed := writeFile(t, dir, "seed.ttl", sampleTTL)
	if code, _, errOut := tessera(t, "", "load", "--quiet", "--data", data, seed); code != 0 {
		t.Fatalf("load seed: exit %d: %s", code, errOut)
	}
	before := export(t, data, "--format", "nquads")

	code, _, errOut := tessera(t, "", "load", "--data", data, "--validate=reject", bad)
	if code != 1 || !strings.Contains(errOut, "SPEC1000099") || !strings.Contains(errOut, "nothing was loaded") {
		t.Fatalf("load --validate=reject bad: exit %d, want 1 with the report:\n%s", code, errOut)
	}
	if after := export(t, data, "--format", "nquads"); after != before {
		t.Errorf("--validate=reject changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	// Same with --graph --replace: the graph's old content stays.
	code, _, _ = tessera(t, "", "load", "--data", data, "--validate=reject", "--graph", "https://ex.org/g", "--replace", bad)
	if after := export(t, data, "--format", "nquads"); code != 1 || after != before {
		t.Errorf("--validate=reject --replace: exit %d, store changed: %v", code, after != before)
	}

	code, _, errOut = tessera(t, "", "load", "--data", data, "--validate=warn", "--graph", "https://ex.org/warned", bad)
	if code != 0 || !strings.Contains(errOut, "SPEC1000099") {
		t.Fatalf("load --validate=warn: exit %d, want 0 with the report:\n%s", code, errOut)
	}
	if out := export(t, data, "--graph", "https://ex.org/warned", "--format", "nquads"); !strings.Contains(out, "SPEC1000099") {
		t.Errorf("--validate=warn did not store the data")
	}

	good := writeFile(t, dir, "good.ttl", orig)
	code, _, errOut = tessera(t, "", "load", "--data", data, "--validate=reject", "--graph", "https://ex.org/eucaim", good)
	if code != 0 || !strings.Contains(errOut, "Warning") {
		t.Errorf("load --validate=reject real example: exit %d, want 0 with v2.0 warnings:\n%s", code, errOut)
	}

	for _, args := range [][]string{
		{"--validate=maybe", good},
		{"--shapes", "eucaim", good},
		{"--validate=reject", "--shapes", "nope", good},
	} {
		if code, _, errOut := tessera(t, "", append([]string{"load", "--data", data}, args...)...); code != 2 {
			t.Errorf("load %v: exit %d, want 2: %s", args, code, errOut)
		}
	}
}

const harmoniseMapping = `{"@context": {
  "ex": "https://data.example/ns#",
  "xsd": "http://www.w3.org/2001/XMLSchema#",
  "id": "@id",
  "sex": {"@id": "ex:sex", "@type": "@id"},
  "age": {"@id": "ex:age", "@type": "xsd:integer"},
  "diagnosis": "ex:diagnosis"
}}`

const harmoniseCodes = `field,local_code,concept_iri
sex,M,http://snomed.info/id/248153007
sex,H,http://snomed.info/id/248153007
sex,F,http://snomed.info/id/248152002
sex,mujer,http://snomed.info/id/248152002
`

const harmoniseRecords = `{"pid": "P1", "sex": "M", "age": 67, "diagnosis": "C61"}
{"pid": "P2", "sex": "mujer", "age": "54", "site": "Valencia"}
{"pid": "P3", "sex": "X", "age": "old"}
`

// TestLoadWarnsOnEmptyJSONLD: a JSON-LD input that yields no quads (plain
// JSON without @context, or a context that maps none of its keys) loads
// with exit 0 but a warning naming the file and --context; JSON-LD that
// yields quads, and empty files of other formats, load without one.
func TestLoadWarnsOnEmptyJSONLD(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "store")
	plain := writeFile(t, dir, "filteringTerms.json", `{"filters": [{"id": "HP:0002664", "scope": "biosamples"}]}`)
	unmapped := writeFile(t, dir, "unmapped.jsonld", `{"@context": {"name": "http://schema.org/name"}, "title": "x"}`)
	mapped := writeFile(t, dir, "mapped.jsonld", `{"@context": {"name": "http://schema.org/name"}, "@id": "http://ex.org/a", "name": "x"}`)
	empty := writeFile(t, dir, "empty.ttl", "")
	tests := []struct {
		name  string
		files []string
		warn  []string // files the warning must name; none: no warning
	}{
		{"plain JSON", []string{plain}, []string{plain}},
		{"context maps nothing", []string{unmapped}, []string{unmapped}},
		{"mixed", []string{mapped, plain}, []string{plain}},
		{"JSON-LD with quads", []string{mapped}, nil},
		{"empty Turtle", []string{empty}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"load", "--quiet", "--data", data}, tt.files...)
			code, _, errOut := tessera(t, "", args...)
			if code != exitOK {
				t.Fatalf("tessera %v: exit %d: %s", args, code, errOut)
			}
			if got := strings.Count(errOut, "warning"); got != len(tt.warn) {
				t.Errorf("tessera %v: %d warnings, want %d:\n%s", args, got, len(tt.warn), errOut)
			}
			for _, f := range tt.warn {
				if !strings.Contains(errOut, "warning: "+f+" yielded no quads") || !strings.Contains(errOut, "--context") {
					t.Errorf("tessera %v: no warning naming %s and --context:\n%s", args, f, errOut)
				}
			}
		})
	}
}

// TestLoadRemoteContext: a JSON-LD document whose context is remote fails
// with a message for people: the context URL, that contexts are not
// fetched, the bundled contexts and what to do, with no Go API in it. The
// ways out it names work.
func TestLoadRemoteContext(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "store")
	const remote = "https://w3id.org/healthdcat-ap/context.jsonld"
	doc := writeFile(t, dir, "b.jsonld", `{"@context": "`+remote+`", "@id": "http://ex/a", "title": "x"}`)
	bundled := jsonld.BundledContexts()
	tests := []struct {
		name    string
		args    []string
		code    int
		hint    string // what the user can do, as the command offers it
		notHint string
	}{
		{"load", []string{"load", "--data", data, doc}, exitError, "load it with --context FILE", ""},
		{"validate", []string{"validate", doc}, exitUsage, "bundled context that covers its terms", "--context"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := tessera(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("tessera %v: exit %d, want %d: %s", tt.args, code, tt.code, errOut)
			}
			for _, want := range append([]string{"context " + remote + " could not be loaded", "not fetched", tt.hint}, bundled...) {
				if !strings.Contains(errOut, want) {
					t.Errorf("tessera %v: message lacks %q:\n%s", tt.args, want, errOut)
				}
			}
			for _, bad := range []string{"LoaderOptions", tt.notHint} {
				if bad != "" && strings.Contains(errOut, bad) {
					t.Errorf("tessera %v: message has %q:\n%s", tt.args, bad, errOut)
				}
			}
		})
	}

	// The ways out: a bundled context, or the context as --context FILE.
	viaBundled := writeFile(t, dir, "bundled.jsonld", `{"@context": "`+bundled[0]+`", "@id": "http://ex/a", "title": "x"}`)
	ctx := writeFile(t, dir, "context.jsonld", `{"@context": {"title": "http://purl.org/dc/terms/title"}}`)
	noContext := writeFile(t, dir, "records.json", `{"@id": "http://ex/a", "title": "x"}`)
	for _, args := range [][]string{{viaBundled}, {"--context", ctx, noContext}} {
		args = append([]string{"load", "--data", data}, args...)
		if code, _, errOut := tessera(t, "", args...); code != 0 || !strings.Contains(errOut, "loaded 1 quads") {
			t.Errorf("tessera %v: exit %d, want 1 quad loaded: %s", args, code, errOut)
		}
	}
}

// TestHarmoniseFlagsNeedMapping: the flags that apply only to harmonised
// records are usage errors without --context or --mapping, rather than
// silently ignored, and nothing is loaded.
func TestHarmoniseFlagsNeedMapping(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "store")
	ttl := writeFile(t, dir, "cat.ttl", sampleTTL)
	codes := writeFile(t, dir, "sex-codes.csv", harmoniseCodes)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"invalid", []string{"--invalid", "fail"}, "--invalid needs --context or --mapping"},
		{"invalid keep", []string{"--invalid=keep"}, "--invalid needs --context or --mapping"},
		{"unmapped", []string{"--unmapped", "drop"}, "--unmapped needs --context or --mapping"},
		{"codes", []string{"--codes", codes}, "--codes needs --context or --mapping"},
		{"report", []string{"--report", filepath.Join(dir, "report.txt")}, "--report needs --context or --mapping"},
		{"id-template", []string{"--id-template", "https://ex.org/{id}"}, "--id-template needs --context or --mapping"},
		{"several", []string{"--report", filepath.Join(dir, "report.txt"), "--codes", codes}, "--codes, --report need --context or --mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"load", "--data", data}, tt.args...), ttl)
			code, _, errOut := tessera(t, "", args...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("tessera %v = exit %d, %q; want exit %d naming %q", args, code, errOut, exitUsage, tt.want)
			}
		})
	}
	if _, err := os.Stat(data); err == nil {
		t.Errorf("a refused load created the store %s", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.txt")); err == nil {
		t.Errorf("a refused load wrote the --report file")
	}
}

// TestLoadHarmonise loads JSON Lines through a JSON-LD mapping and a code
// table end to end, with the issue report.
func TestLoadHarmonise(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "store")
	mapping := writeFile(t, dir, "mapping.jsonld", harmoniseMapping)
	codes := writeFile(t, dir, "sex-codes.csv", harmoniseCodes)
	records := writeFile(t, dir, "records.jsonl", harmoniseRecords)
	report := filepath.Join(dir, "issues.txt")
	code, _, errOut := tessera(t, "", "load", "--data", data, "--graph", "https://ex.org/patients",
		"--context", mapping, "--id-template", "https://data.example/patient/{pid}", "--codes", codes,
		"--unmapped", "keep", "--invalid", "drop", "--report", report, records)
	if code != 0 {
		t.Fatalf("load --context: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "3 records") {
		t.Errorf("no issue summary on stderr:\n%s", errOut)
	}
	out := export(t, data, "--graph", "https://ex.org/patients", "--format", "ntriples")
	for _, want := range []string{
		"<https://data.example/patient/P1> <https://data.example/ns#sex> <http://snomed.info/id/248153007>",
		"<https://data.example/patient/P2> <https://data.example/ns#sex> <http://snomed.info/id/248152002>",
		`<https://data.example/patient/P3> <https://data.example/ns#sex> "X"`, // unmapped, kept
		`<https://data.example/patient/P1> <https://data.example/ns#age> "67"^^<http://www.w3.org/2001/XMLSchema#integer>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, `"old"`) {
		t.Errorf("--invalid drop kept an invalid age:\n%s", out)
	}
	rep, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"record 3", `sex="X": unmapped code (kept)`, `age="old"`, "(dropped)", "site", "3 records"} {
		if !strings.Contains(string(rep), want) {
			t.Errorf("report lacks %q:\n%s", want, rep)
		}
	}

	// --unmapped fail stops the load; nothing is stored.
	before := export(t, data, "--format", "nquads")
	code, _, errOut = tessera(t, "", "load", "--data", data, "--context", mapping, "--codes", codes, "--unmapped", "fail", records)
	if code != 1 || export(t, data, "--format", "nquads") != before {
		t.Errorf("--unmapped fail: exit %d (want 1), store changed: %s", code, errOut)
	}
	for _, args := range [][]string{
		{"--context", mapping, "--mapping", mapping, records},
		{"--context", mapping, "--unmapped", "maybe", records},
		{"--context", mapping, "--codes", filepath.Join(dir, "none.csv"), records},
		{"--context", mapping, "-"},
	} {
		if code, _, errOut := tessera(t, "", append([]string{"load", "--data", data}, args...)...); code != 2 {
			t.Errorf("load %v: exit %d, want 2: %s", args, code, errOut)
		}
	}
}
