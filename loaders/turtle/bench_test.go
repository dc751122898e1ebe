package turtle

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// catalogue generates DCAT-shaped Turtle: datasets described with prefixed
// names, ';' and ',' lists, nested [ ] nodes, language-tagged and typed
// literals, numeric shorthands and the odd collection. It returns the
// document and its number of triples.
func catalogue(datasets int, trig bool) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString(`@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix healthdcatap: <http://healthdataportal.eu/ns/health#> .
@prefix eucaim: <https://cancerimage.eu/ontology/EUCAIM#> .
@prefix ex: <https://catalogue.example.org/> .
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

`)
	modalities := []string{"CT", "MR", "PT", "MG", "US"}
	sites := []string{"Lung", "Breast", "Prostate", "Colon", "Liver"}
	triples := 0
	for i := range datasets {
		if trig && i%100 == 0 {
			if i > 0 {
				b.WriteString("}\n")
			}
			fmt.Fprintf(&b, "ex:graph%d {\n", i/100)
		}
		m, s := modalities[i%len(modalities)], sites[i%len(sites)]
		fmt.Fprintf(&b, `ex:dataset%d a dcat:Dataset ;
    dct:identifier "ds-%06d" ;
    dct:title "%s %s imaging collection %d"@en, "Colección de imágenes %d"@es ;
    dct:description """Retrospective %s images of %s cancer patients,
with "annotations" by two radiologists."""@en ;
    dct:issued "2021-%02d-%02dT10:00:00Z"^^xsd:dateTime ;
    dct:modified "2024-01-%02d"^^xsd:date ;
    dcat:keyword "%s"@en, "cancer"@en, "imaging"@en ;
    dcat:theme eucaim:%s, <http://publications.europa.eu/resource/authority/data-theme/HEAL> ;
    healthdcatap:numberOfRecords %d ;
    healthdcatap:numberOfUniqueIndividuals %d ;
    healthdcatap:minTypicalAge 18 ;
    healthdcatap:maxTypicalAge 87.5 ;
    eucaim:hasImageModality eucaim:%s ;
    rdfs:seeAlso ( ex:dataset%d ex:dataset%d ) ;
    dcat:contactPoint [ a vcard:Kind ; vcard:fn "Data steward %d" ; vcard:hasEmail <mailto:steward%d@example.org> ] ;
    dcat:distribution [
        a dcat:Distribution ;
        dcat:accessURL <https://data.example.org/datasets/%d/download> ;
        dcat:byteSize "%d"^^xsd:nonNegativeInteger ;
        dcat:mediaType <https://www.iana.org/assignments/media-types/application/dicom> ;
        dct:license <http://creativecommons.org/licenses/by/4.0/>
    ] .

`, i, i, m, s, i, i, m, s, 1+i%12, 1+i%28, 1+i%28, s, s, 1000+i*7, 100+i%900, m,
			i+1, i+2, i, i, i, 1<<20+i*97)
		triples += 32
	}
	if trig && datasets > 0 {
		b.WriteString("}\n")
	}
	return b.Bytes(), triples
}

func benchmarkDecode(b *testing.B, trig bool) {
	data, n := catalogue(32_000, trig) // about 1M triples
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var d *Decoder
		if trig {
			d = NewTriGDecoder(bytes.NewReader(data), syntax.Options{})
		} else {
			d = NewDecoder(bytes.NewReader(data), syntax.Options{})
		}
		got := 0
		for {
			_, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			got++
		}
		if got != n {
			b.Fatalf("decoded %d triples, want %d", got, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "triples/s")
}

// BenchmarkDecodeTurtle parses about 1M triples (~50 MB) of catalogue-shaped
// Turtle per iteration.
func BenchmarkDecodeTurtle(b *testing.B) { benchmarkDecode(b, false) }

// BenchmarkDecodeTriG parses the same data in 320 named graph blocks.
func BenchmarkDecodeTriG(b *testing.B) { benchmarkDecode(b, true) }

func benchmarkEncode(b *testing.B, trig bool) {
	data, n := catalogue(3_200, trig) // about 100k triples
	quads, err := drain(NewTriGDecoder(bytes.NewReader(data), syntax.Options{}))
	if err != nil || len(quads) != n {
		b.Fatalf("decode: %d quads, %v", len(quads), err)
	}
	prefixes := map[string]string{
		"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
		"xsd": graph.XSDNamespace, "vcard": "http://www.w3.org/2006/vcard/ns#",
		"healthdcatap": "http://healthdataportal.eu/ns/health#", "eucaim": "https://cancerimage.eu/ontology/EUCAIM#",
		"ex": "https://catalogue.example.org/", "rdf": graph.RDFNamespace,
		"rdfs": "http://www.w3.org/2000/01/rdf-schema#",
	}
	var size int64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		cw := &countWriter{}
		var e *Encoder
		if trig {
			e = NewTriGEncoder(cw, EncoderOptions{Prefixes: prefixes})
		} else {
			e = NewEncoder(cw, EncoderOptions{Prefixes: prefixes})
		}
		for _, q := range quads {
			if err := e.Encode(q); err != nil {
				b.Fatal(err)
			}
		}
		if err := e.Close(); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.SetBytes(size)
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "triples/s")
}

// BenchmarkEncodeTurtle writes about 100k triples with nine prefixes.
func BenchmarkEncodeTurtle(b *testing.B) { benchmarkEncode(b, false) }

// BenchmarkEncodeTriG writes the same triples in 32 named graphs.
func BenchmarkEncodeTriG(b *testing.B) { benchmarkEncode(b, true) }

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
