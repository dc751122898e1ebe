package rdfxml

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// catalogue writes a DCAT catalogue in RDF/XML with n datasets, each with
// 14 triples: a typed node, language-tagged and typed literals, keywords,
// a publisher reference and a nested distribution node.
func catalogue(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/"
    xml:base="https://data.example.org/catalogue/">
`)
	for i := range n {
		fmt.Fprintf(&b, `  <dcat:Dataset rdf:about="dataset/%d">
    <dct:title xml:lang="en">Observations of site %d</dct:title>
    <dct:description xml:lang="en">Hourly measurements &amp; derived products, station %d, all years.</dct:description>
    <dct:identifier>ds-%08d</dct:identifier>
    <dct:issued rdf:datatype="http://www.w3.org/2001/XMLSchema#date">2024-%02d-%02d</dct:issued>
    <dcat:keyword>climate</dcat:keyword>
    <dcat:keyword>station-%d</dcat:keyword>
    <dcat:keyword>hourly</dcat:keyword>
    <dct:publisher rdf:resource="https://data.example.org/org/%d"/>
    <dcat:distribution>
      <dcat:Distribution rdf:about="dataset/%d/csv">
        <dcat:accessURL rdf:resource="https://files.example.org/%d.csv"/>
        <dct:format>text/csv</dct:format>
        <dcat:byteSize rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">%d</dcat:byteSize>
      </dcat:Distribution>
    </dcat:distribution>
  </dcat:Dataset>
`, i, i, i, i, i%12+1, i%28+1, i, i%50, i, i, 1000+i)
	}
	b.WriteString("</rdf:RDF>\n")
	return b.Bytes()
}

const benchDatasets = 200_000 / 14 // ~200k triples

func BenchmarkDecode(b *testing.B) {
	data := catalogue(benchDatasets)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var triples int
	for b.Loop() {
		d := NewDecoder(bytes.NewReader(data), syntax.Options{})
		triples = 0
		for {
			_, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			triples++
		}
	}
	b.ReportMetric(float64(triples), "triples/op")
	b.ReportMetric(float64(triples)*float64(b.N)/b.Elapsed().Seconds(), "triples/s")
}

func BenchmarkEncode(b *testing.B) {
	qs, err := graph.Collect(NewDecoder(bytes.NewReader(catalogue(benchDatasets)), syntax.Options{}).Quads())
	if err != nil {
		b.Fatal(err)
	}
	prefixes := map[string]string{"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"}
	var n int64
	b.ReportAllocs()
	for b.Loop() {
		cw := &countWriter{}
		enc := NewEncoder(cw, EncoderOptions{Prefixes: prefixes})
		for _, q := range qs {
			if err := enc.Encode(q); err != nil {
				b.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
		n = cw.n
	}
	b.SetBytes(n)
	b.ReportMetric(float64(len(qs))*float64(b.N)/b.Elapsed().Seconds(), "triples/s")
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

func TestCatalogueCount(t *testing.T) {
	qs, err := graph.Collect(NewDecoder(bytes.NewReader(catalogue(3)), syntax.Options{}).Quads())
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 3*14 {
		t.Errorf("catalogue(3) has %d triples, want %d", len(qs), 3*14)
	}
}
