package results

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// benchRows is the row count of the writer benchmarks: 1M rows of three
// variables per operation.
const benchRows = 1_000_000

// benchSample returns 1024 varied rows of (?s ?p ?o) in the shape of
// catalogue data: IRI subjects and predicates, objects that are IRIs,
// strings, language-tagged strings, integers, dates and blank nodes.
func benchSample() []Solution {
	r := rand.New(rand.NewPCG(3, 5))
	rows := make([]Solution, 1024)
	for i := range rows {
		s := graph.IRI(fmt.Sprintf("https://tessera.example/dataset/%06d", r.IntN(1_000_000)))
		p := graph.IRI([]string{"http://purl.org/dc/terms/title", "http://www.w3.org/ns/dcat#keyword",
			"http://purl.org/dc/terms/issued", "https://w3id.org/healthdcat-ap#numberOfRecords"}[i%4])
		var o graph.Term
		switch i % 6 {
		case 0:
			o = graph.String(fmt.Sprintf("Breast MRI cohort %d \"phase\" II", i))
		case 1:
			o = graph.LangLiteral("lung cancer screening", "en")
		case 2:
			o = graph.Literal(fmt.Sprint(r.IntN(100000)), graph.XSDInteger)
		case 3:
			o = graph.Literal("2024-05-17", graph.XSDNamespace+"date")
		case 4:
			o = graph.IRI("http://purl.obolibrary.org/obo/NCIT_C4872")
		default:
			o = graph.Blank(fmt.Sprintf("b%d", i))
		}
		rows[i] = Solution{s, p, o}
	}
	return rows
}

func benchSet(rows []Solution, n int) Set {
	return Select([]string{"s", "p", "o"}, func(yield func(Solution, error) bool) {
		for i := range n {
			if !yield(rows[i&1023], nil) {
				return
			}
		}
	})
}

// countingWriter discards output and counts it.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func benchmarkWrite(b *testing.B, f Format) {
	rows := benchSample()
	var size countingWriter
	if err := Write(context.Background(), &size, f, benchSet(rows, benchRows)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size.n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Write(context.Background(), io.Discard, f, benchSet(rows, benchRows)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkWriteJSON(b *testing.B) { benchmarkWrite(b, JSON) }
func BenchmarkWriteTSV(b *testing.B)  { benchmarkWrite(b, TSV) }
func BenchmarkWriteXML(b *testing.B)  { benchmarkWrite(b, XML) }
func BenchmarkWriteCSV(b *testing.B)  { benchmarkWrite(b, CSV) }

// benchmarkRead reads a document of 100k rows.
func benchmarkRead(b *testing.B, f Format) {
	const n = 100_000
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, f, benchSet(benchSample(), n)); err != nil {
		b.Fatal(err)
	}
	doc := buf.Bytes()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s, err := Read(bytes.NewReader(doc), f, syntax.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		for _, err := range s.Solutions {
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		if rows != n {
			b.Fatalf("%d rows", rows)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkReadJSON(b *testing.B) { benchmarkRead(b, JSON) }
func BenchmarkReadXML(b *testing.B)  { benchmarkRead(b, XML) }
func BenchmarkReadTSV(b *testing.B)  { benchmarkRead(b, TSV) }

// BenchmarkEquivalent compares two shuffled, relabelled results of 1000
// rows in the shape of real results: a blank subject shared by a few rows,
// literal values, some rows without blank nodes.
func BenchmarkEquivalent(b *testing.B) {
	const n = 1000
	r := rand.New(rand.NewPCG(1, 2))
	build := func(prefix string) Table {
		t := Table{Vars: []string{"s", "p", "o"}}
		for i := range n {
			s := graph.Blank(fmt.Sprintf("%s%d", prefix, i/3))
			if i%5 == 0 {
				s = graph.IRI(fmt.Sprintf("http://ex/%d", i))
			}
			t.Rows = append(t.Rows, Solution{s, graph.IRI(fmt.Sprintf("http://ex/p%d", i%3)), graph.String(fmt.Sprint(i % 7))})
		}
		r.Shuffle(len(t.Rows), func(i, j int) { t.Rows[i], t.Rows[j] = t.Rows[j], t.Rows[i] })
		return t
	}
	x, y := build("a"), build("b")
	b.ReportAllocs()
	for b.Loop() {
		if !Equivalent(x, y, false) {
			b.Fatal("not equivalent")
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkEquivalentCycle is the hard case: 1000 rows whose blank nodes
// form one long cycle with a periodic labelling, which colour refinement
// needs about n/2 rounds to break.
func BenchmarkEquivalentCycle(b *testing.B) {
	const n = 1000
	r := rand.New(rand.NewPCG(1, 2))
	x, y := blankTable(n, "a", r.Perm(n)), blankTable(n, "b", r.Perm(n))
	b.ReportAllocs()
	for b.Loop() {
		if !Equivalent(x, y, false) {
			b.Fatal("not equivalent")
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
