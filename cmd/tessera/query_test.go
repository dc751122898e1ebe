package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestQueryAndUpdate(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errOut := tessera(t, "", "load", "--data", data, "--graph", "https://ex.org/graph/p1", writeFile(t, dir, "cat.ttl", sampleTTL)); code != 0 {
		t.Fatalf("load: %s", errOut)
	}
	titles := `SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t } ORDER BY ?t`
	rq := writeFile(t, dir, "q.rq", titles)
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		contains []string
	}{
		{"select tsv over the union default graph", []string{"query", titles}, "", exitOK, []string{"?t\n", `"Lung CT"@en`, `"Prostate MR"`}},
		{"select from file as csv", []string{"query", "--format", "csv", "--file", rq}, "", exitOK, []string{"t\r\n", "Lung CT\r\n"}},
		{"query from stdin", []string{"query", "--format", "json", "--file", "-"}, titles, exitOK, []string{`"vars":["t"]`, `"Lung CT"`}},
		{"without union the default graph is empty", []string{"query", "--union-default-graph=false", titles}, "", exitOK, []string{"?t\n"}},
		{"--graph names the default graph", []string{"query", "--union-default-graph=false", "--graph", "https://ex.org/graph/p1", titles}, "", exitOK, []string{"Prostate MR"}},
		{"ask prints true", []string{"query", `ASK { ?d a <http://www.w3.org/ns/dcat#Dataset> }`}, "", exitOK, []string{"true\n"}},
		{"construct as turtle", []string{"query", `CONSTRUCT WHERE { ?d <http://www.w3.org/ns/dcat#keyword> ?k }`}, "", exitOK, []string{`"mri"`}},
		{"construct as n-triples", []string{"query", "--format", "ntriples", `CONSTRUCT WHERE { ?d <http://www.w3.org/ns/dcat#keyword> ?k }`}, "", exitOK, []string{`<https://ex.org/ds2> <http://www.w3.org/ns/dcat#keyword> "mri" .`}},
		{"explain", []string{"query", "--explain", titles}, "", exitOK, []string{"actual"}},
		{"syntax error has a position", []string{"query", "SELECT * WHERE { ?s ?p }"}, "", exitError, []string{"line 1, column"}},
		{"bad format", []string{"query", "--format", "yaml", titles}, "", exitUsage, []string{"cannot carry"}},
		{"no query", []string{"query"}, "", exitUsage, []string{"no query"}},
		{"query and file", []string{"query", "--file", rq, titles}, "", exitUsage, []string{"not both"}},
		{"relative --graph", []string{"query", "--graph", "p1", titles}, "", exitUsage, []string{"not an absolute IRI"}},
		{"max rows", []string{"query", "--max-rows", "1", titles}, "", exitError, []string{"row limit"}},
		{"entailment rdfs: datasets are dcat:Resources", []string{"query", "--entailment", "rdfs", "--format", "csv", `SELECT (COUNT(*) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Resource> }`}, "", exitOK, []string{"\r\n2\r\n"}},
		{"no entailment: no dcat:Resource", []string{"query", "--format", "csv", `SELECT (COUNT(*) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Resource> }`}, "", exitOK, []string{"\r\n0\r\n"}},
		{"unknown entailment", []string{"query", "--entailment", "owl", titles}, "", exitUsage, []string{"use rdfs or simple"}},
		{"update syntax error", []string{"update", "INSERT DATA { ?s <p> <o> }"}, "", exitError, []string{"update syntax error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := tessera(t, tt.stdin, append(tt.args, "--data", data)...)
			if code != tt.code {
				t.Fatalf("tessera %v = exit %d, want %d: %s%s", tt.args, code, tt.code, out, errOut)
			}
			for _, c := range tt.contains {
				if !strings.Contains(out+errOut, c) {
					t.Errorf("tessera %v output lacks %q:\n%s%s", tt.args, c, out, errOut)
				}
			}
		})
	}

	// Updates change the store atomically; a failing request changes nothing.
	ins := `INSERT DATA { GRAPH <https://ex.org/graph/p2> { <https://ex.org/ds3> <http://purl.org/dc/terms/title> "Brain MR" } }`
	if code, _, errOut := tessera(t, "", "update", "--data", data, ins); code != 0 {
		t.Fatalf("update: %s", errOut)
	}
	bad := `INSERT DATA { <https://ex.org/x> <https://ex.org/p> 1 } ; CREATE GRAPH <https://ex.org/graph/p2>`
	if code, _, errOut := tessera(t, "", "update", "--data", data, bad); code != exitError || !strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("failing update: exit %d, %s", code, errOut)
	}
	code, out, _ := tessera(t, "", "query", "--data", data, "--format", "csv", `SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`)
	if code != 0 || !strings.Contains(out, "\r\n8\r\n") {
		t.Errorf("count after updates = %q, want 8 (7 loaded + 1 inserted)", out)
	}
	upd := writeFile(t, dir, "u.ru", `DELETE WHERE { GRAPH <https://ex.org/graph/p2> { ?s <http://purl.org/dc/terms/title> "Brain MR" } }`)
	if code, _, errOut := tessera(t, "", "update", "--data", data, "--file", upd); code != 0 {
		t.Fatalf("update --file: %s", errOut)
	}
	if st := statsOf(t, data); st["quads"] != float64(7) {
		t.Errorf("quads after delete = %v, want 7", st["quads"])
	}
}
