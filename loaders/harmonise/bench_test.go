package harmonise

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"
)

// patientsJSONL builds n JSON Lines patient records of 6 triples each (one
// of them through a code table).
func patientsJSONL(n int) []byte {
	var b bytes.Buffer
	sexes := []string{"M", "F", "male", "mujer", "1", "H"}
	for i := range n {
		fmt.Fprintf(&b, `{"id": "P%06d", "sex": %q, "age": %d, "name": "Patient %d", "modality": "MR", "tags": ["cohort-%d"]}`+"\n",
			i, sexes[i%len(sexes)], 20+i%70, i, i%10)
	}
	return b.Bytes()
}

// BenchmarkJSONLines decodes 100,000 JSON Lines records with a cached
// mapping context (one Mapping, so the context is processed once).
func BenchmarkJSONLines(b *testing.B) {
	const n = 100_000
	data := patientsJSONL(n)
	m := mustMapping(b, testMapping)
	codes := testCodes(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	var triples int64
	start := time.Now()
	for range b.N {
		d := NewDecoder(bytes.NewReader(data), m, Options{Codes: codes, MaxIssues: -1})
		for {
			_, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		triples = d.Report().Triples
		if d.Report().Records != n {
			b.Fatalf("%d records, want %d", d.Report().Records, n)
		}
	}
	sec := time.Since(start).Seconds()
	b.ReportMetric(float64(n)*float64(b.N)/sec, "records/s")
	b.ReportMetric(float64(triples)*float64(b.N)/sec, "triples/s")
}

// BenchmarkCSVW decodes 100,000 CSV rows with a CSVW table description.
func BenchmarkCSVW(b *testing.B) {
	const n = 100_000
	var buf bytes.Buffer
	buf.WriteString("patient_id,sex,age,diagnosis,modalities,consent,site\n")
	for i := range n {
		fmt.Fprintf(&buf, "P%06d,%s,%d,C61,MR;CT,Y,\n", i, []string{"M", "F", "hombre", "2"}[i%4], 20+i%70)
	}
	data := buf.Bytes()
	m, err := LoadMapping("testdata/golden/patients-csvw/mapping.json", MappingOptions{Base: "https://data.example/"})
	if err != nil {
		b.Fatal(err)
	}
	codes := NewCodes(CodeOptions{})
	if err := LoadCodes("testdata/golden/patients-csvw/codes.json", codes); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	var triples int64
	start := time.Now()
	for range b.N {
		d := NewDecoder(bytes.NewReader(data), m, Options{Format: FormatCSV, Codes: codes, MaxIssues: -1})
		for {
			_, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		triples = d.Report().Triples
	}
	sec := time.Since(start).Seconds()
	b.ReportMetric(float64(n)*float64(b.N)/sec, "records/s")
	b.ReportMetric(float64(triples)*float64(b.N)/sec, "triples/s")
}
