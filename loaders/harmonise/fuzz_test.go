package harmonise

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// fuzzCheck decodes data and checks what every input must satisfy: no
// panic (the decoder turns one into a non-syntax error, caught here), no
// hang, bad input reported as *syntax.Error, only valid quads, a report
// that counts them, and the same dataset on a second run.
func fuzzCheck(t *testing.T, data []byte, m *Mapping, opts Options) {
	watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("decode hangs on %q", data)) })
	defer watchdog.Stop()
	run := func() ([]graph.Quad, *Report, error) {
		d := NewDecoder(bytes.NewReader(data), m, opts)
		qs, err := collect(d)
		return qs, d.Report(), err
	}
	got, rep, err := run()
	if err != nil {
		if _, ok := syntax.AsError(err); !ok {
			t.Fatalf("error of type %T: %v", err, err)
		}
	}
	for _, q := range got {
		if !q.Valid() {
			t.Fatalf("invalid quad %v", q)
		}
	}
	if rep.Triples != int64(len(got)) {
		t.Fatalf("report counts %d triples, decoder gave %d", rep.Triples, len(got))
	}
	again, _, err2 := run()
	if (err == nil) != (err2 == nil) || !graph.Isomorphic(got, again) {
		t.Fatalf("second run differs: %v vs %v\n%s\n%s", err, err2, nquads(got), nquads(again))
	}
}

func addSeeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, err := filepath.Glob(filepath.Join("testdata", "golden", "*", p))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

// FuzzJSONLines fuzzes the JSON and JSON Lines path with the test mapping
// and code tables. Seeds are the golden records.
func FuzzJSONLines(f *testing.F) {
	addSeeds(f, "records.json*")
	f.Add([]byte(`[{"id": "P1", "sex": ["M", "?"], "age": 1e3, "labels": {"en": "x"}, "@context": {"q": "ex:q"}, "q": 1}]`))
	f.Add([]byte("{\"id\": \"\\u00e9\"}\n{\"@id\": \"_:b\", \"tags\": [{\"@value\": 1}, {\"@list\": [1]}]}\n"))
	m := mustMapping(f, testMapping)
	codes := testCodes(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCheck(t, data, m, Options{Codes: codes, MaxRecordBytes: 1 << 16})
	})
}

// FuzzCSV fuzzes both CSV paths: the CSVW table description of the
// patients-csvw golden case, and the JSON-LD mapping over the header.
func FuzzCSV(f *testing.F) {
	addSeeds(f, "records.csv")
	f.Add([]byte("patient_id;sex\n\"P\"\"1\";M\n"))
	csvw, err := LoadMapping(filepath.Join("testdata", "golden", "patients-csvw", "mapping.json"), MappingOptions{Base: "https://data.example/"})
	if err != nil {
		f.Fatal(err)
	}
	ctx := mustMapping(f, testMapping)
	codes := NewCodes(CodeOptions{})
	if err := LoadCodes(filepath.Join("testdata", "golden", "patients-csvw", "codes.json"), codes); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCheck(t, data, csvw, Options{Format: FormatCSV, Codes: codes})
		fuzzCheck(t, data, ctx, Options{Format: FormatCSV, Codes: codes})
	})
}
