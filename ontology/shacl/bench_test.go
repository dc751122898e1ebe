package shacl

import (
	"context"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphgen"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

// benchShapes is a DCAT-AP-like dataset shape with ten property
// constraints over what graphgen emits, plus a patient shape.
const benchShapes = `
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix health: <http://healthdataportal.eu/ns/health#> .
@prefix eucaim: <https://cancerimage.eu/ontology/EUCAIM#> .
@prefix ex: <https://tessera.example/shapes#> .

ex:DatasetShape a sh:NodeShape ;
  sh:targetClass dcat:Dataset ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:uniqueLang true ; sh:nodeKind sh:Literal ] ,
    [ sh:path dct:description ; sh:minCount 1 ; sh:datatype <http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> ] ,
    [ sh:path dct:identifier ; sh:maxCount 1 ; sh:pattern "^[A-Za-z]+-[0-9]+$" ] ,
    [ sh:path dct:publisher ; sh:minCount 1 ; sh:maxCount 1 ; sh:class foaf:Agent ] ,
    [ sh:path dct:issued ; sh:maxCount 1 ; sh:datatype xsd:date ] ,
    [ sh:path dcat:theme ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ,
    [ sh:path dcat:contactPoint ; sh:node ex:ContactShape ] ,
    [ sh:path health:numberOfUniqueIndividuals ; sh:datatype xsd:nonNegativeInteger ; sh:minInclusive 0 ] ,
    [ sh:path health:minTypicalAge ; sh:lessThanOrEquals health:maxTypicalAge ; sh:maxInclusive 150 ] ,
    [ sh:path dcat:distribution ; sh:class dcat:Distribution ; sh:minCount 1 ] .

ex:ContactShape a sh:NodeShape ;
  sh:class vcard:Kind ;
  sh:property [ sh:path vcard:hasEmail ; sh:minCount 1 ; sh:nodeKind sh:IRI ] .

ex:PatientShape a sh:NodeShape ;
  sh:targetClass eucaim:Patient ;
  sh:property [ sh:path dct:isPartOf ; sh:minCount 1 ; sh:class dcat:Dataset ] ,
    [ sh:path [ sh:inversePath eucaim:subject ] ; sh:minCount 1 ] .
`

func compileTurtle(tb testing.TB, src string) *Shapes {
	tb.Helper()
	dec := turtle.NewDecoder(strings.NewReader(src), syntax.Options{Base: "https://tessera.example/shapes"})
	var qs []graph.Quad
	for {
		q, err := dec.Next()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			tb.Fatal(err)
		}
		qs = append(qs, q)
	}
	s, err := Compile(qs)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func BenchmarkValidateCatalog(b *testing.B) {
	// "full" is what callers get: index the memstore snapshot, then
	// validate; "prebuilt" validates against an index built beforehand,
	// measuring the validator alone.
	for _, mode := range []struct {
		name     string
		opts     Options
		prebuilt bool
	}{{"full", Options{}, false}, {"prebuilt", Options{}, true}} {
		b.Run(mode.name, func(b *testing.B) {
			shapes := compileTurtle(b, benchShapes)
			quads, err := graph.Collect(graphgen.Catalog(100_000, 1))
			if err != nil {
				b.Fatal(err)
			}
			var size int64
			for _, q := range quads {
				size += int64(len(q.String())) + 1
			}
			st, err := storeOf(quads)
			if err != nil {
				b.Fatal(err)
			}
			snap, err := st.Snapshot(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			defer snap.Release()
			// Count the focus nodes once.
			rep, err := shapes.Validate(context.Background(), snap, mode.opts)
			if err != nil {
				b.Fatal(err)
			}
			x := mustIndex(b, snap)
			v := newValidator(context.Background(), Options{})
			v.data = x
			focus := 0
			for _, s := range shapes.targeted {
				focus += len(v.focusNodes(s))
			}
			b.SetBytes(size)
			b.ResetTimer()
			for b.Loop() {
				if mode.prebuilt {
					v := newValidator(context.Background(), mode.opts)
					v.data = x
					if _, err := shapes.run(v); err != nil {
						b.Fatal(err)
					}
				} else if _, err := shapes.Validate(context.Background(), snap, mode.opts); err != nil {
					b.Fatal(err)
				}
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(focus)/sec, "focus-nodes/s")
			b.ReportMetric(float64(len(quads))/sec, "triples/s")
			b.ReportMetric(float64(len(rep.Results)), "results")
		})
	}
}

func mustIndex(tb testing.TB, r graph.Reader) *index {
	x, err := loadIndex(context.Background(), r, graph.DefaultGraph)
	if err != nil {
		tb.Fatal(err)
	}
	return x
}
