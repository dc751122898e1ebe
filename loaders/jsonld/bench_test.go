package jsonld

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
)

// catalogue builds a DCAT-AP catalogue document with the bundled contexts:
// n datasets of 9 triples, each with a distribution of 4 triples, plus one
// dcat:dataset link per dataset: 14n+1 triples.
func catalogue(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"@context": ["` + dcatCtx + `", "` + healthCtx + `"],
"@graph": [{"id": "https://cat.example/", "type": "Catalog", "dataset": [`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"https://cat.example/ds/%d"`, i)
	}
	b.WriteString("]}")
	for i := range n {
		fmt.Fprintf(&b, `,
{"id": "https://cat.example/ds/%d", "type": "Dataset",
 "title": {"@value": "Prostate MRI collection %d", "@language": "en"},
 "description": "Biparametric MRI studies with expert segmentations.",
 "keyword": ["prostate", "MRI"], "issued": {"@value": "2024-01-%02d", "@type": "xsd:date"},
 "numberOfRecords": "%d", "theme": "http://publications.europa.eu/resource/authority/data-theme/HEAL",
 "distribution": {"id": "https://cat.example/dist/%d", "type": "Distribution",
   "accessURL": "https://cat.example/access/%d", "byteSize": "%d", "mediaType": "https://www.iana.org/assignments/media-types/application/dicom"}}`,
			i, i, i%28+1, i*7, i, i, i*1000)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

func BenchmarkDecodeCatalogue(b *testing.B) {
	data := catalogue(3600) // 50,401 triples, about 2.2 MB
	loader := mustLoader(&testing.T{}, LoaderOptions{})
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	var n int
	start := time.Now()
	for range b.N {
		d := NewDecoder(bytes.NewReader(data), Options{Loader: loader})
		n = 0
		for {
			_, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "triples/s")
	b.ReportMetric(float64(n), "triples/doc")
}

const smallDoc = `{"@context": ["` + dcatCtx + `", "` + healthCtx + `"],
 "id": "https://cat.example/ds/1", "type": "Dataset", "title": "Prostate MRI",
 "keyword": ["prostate", "MRI"], "numberOfRecords": "8789",
 "distribution": {"id": "https://cat.example/dist/1", "type": "Distribution", "accessURL": "https://cat.example/access/1"}}`

func decodeSmall(b *testing.B, loader *DocumentLoader) {
	if _, err := decodeAll(NewDecoder(strings.NewReader(smallDoc), Options{Loader: loader})); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSmallDocCachedContext is the latency of a small document whose
// bundled contexts are already processed (a shared loader, later calls).
func BenchmarkSmallDocCachedContext(b *testing.B) {
	loader := mustLoader(&testing.T{}, LoaderOptions{})
	decodeSmall(b, loader)
	b.ResetTimer()
	for range b.N {
		decodeSmall(b, loader)
	}
}

// BenchmarkSmallDocFirstCall is the latency of the first document through a
// new loader: the contexts are loaded and processed.
func BenchmarkSmallDocFirstCall(b *testing.B) {
	for range b.N {
		decodeSmall(b, mustLoader(&testing.T{}, LoaderOptions{}))
	}
}

func BenchmarkEncodeCatalogue(b *testing.B) {
	quads, err := decodeAll(NewDecoder(bytes.NewReader(catalogue(3600)), Options{}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := map[string]string{"dcat": dcat, "dct": dct, "xsd": graph.XSDNamespace}
	var buf bytes.Buffer
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		buf.Reset()
		enc := NewEncoder(&buf, EncoderOptions{Context: ctx})
		for _, q := range quads {
			if err := enc.Encode(q); err != nil {
				b.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportMetric(float64(len(quads)*b.N)/time.Since(start).Seconds(), "triples/s")
}
