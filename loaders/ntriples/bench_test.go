package ntriples

import (
	"bytes"
	"cmp"
	"io"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphgen"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// benchTriples is the size of the benchmark input: about 190 MB of
// catalogue-shaped N-Triples from graphgen.
const benchTriples = 1_000_000

// benchData is the graphgen catalogue as N-Triples and as N-Quads (spread
// over eight named graphs), generated once per test binary: graphgen needs
// several seconds for a million triples. Only the bytes are kept, so the
// decoder benchmarks do not run with a large live heap of quads.
var benchData = sync.OnceValues(func() ([2][]byte, error) {
	var nt, nq bytes.Buffer
	nt.Grow(benchTriples * 200)
	nq.Grow(benchTriples * 250)
	ent, enq := NewEncoder(&nt), NewQuadEncoder(&nq)
	i := 0
	for q, err := range graphgen.Catalog(benchTriples, 1) {
		if err != nil {
			return [2][]byte{}, err
		}
		if err := ent.Encode(q); err != nil {
			return [2][]byte{}, err
		}
		q.G = graph.IRI("https://data.eucaim.example/graph/provider-" + strconv.Itoa(i%8))
		if err := enq.Encode(q); err != nil {
			return [2][]byte{}, err
		}
		i++
	}
	if err := cmp.Or(ent.Close(), enq.Close()); err != nil {
		return [2][]byte{}, err
	}
	return [2][]byte{nt.Bytes(), nq.Bytes()}, nil
})

// benchInput returns the N-Triples or N-Quads benchmark input.
func benchInput(b *testing.B, quads bool) []byte {
	b.Helper()
	data, err := benchData()
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC() // collect the setup's garbage outside the timed loop
	if quads {
		return data[1]
	}
	return data[0]
}

func BenchmarkDecodeNTriples(b *testing.B) { benchDecode(b, false) }
func BenchmarkDecodeNQuads(b *testing.B)   { benchDecode(b, true) }

func benchDecode(b *testing.B, quads bool) {
	data := benchInput(b, quads)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0, cpuOK := cpuTime()
	n := 0
	for b.Loop() {
		d := NewDecoder(bytes.NewReader(data), syntax.Options{})
		if quads {
			d = NewQuadDecoder(bytes.NewReader(data), syntax.Options{})
		}
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
	if n != b.N*benchTriples {
		b.Fatalf("decoded %d statements in %d runs, want %d each", n, b.N, benchTriples)
	}
	reportRates(b, n, cpu0, cpuOK)
}

// reportRates reports statements per second of wall time and, where the
// platform tells, CPU nanoseconds per statement (all threads, GC included):
// 1e9 / cpu-ns/triple is the single-threaded rate on an idle machine.
func reportRates(b *testing.B, n int, cpu0 int64, cpuOK bool) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "triples/s")
	if cpu1, ok := cpuTime(); ok && cpuOK && n > 0 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(n), "cpu-ns/triple")
	}
}

func BenchmarkEncodeNTriples(b *testing.B) { benchEncode(b, false) }
func BenchmarkEncodeNQuads(b *testing.B)   { benchEncode(b, true) }

func benchEncode(b *testing.B, quads bool) {
	data := benchInput(b, quads)
	qs, err := decodeAll(data, quads, "bench")
	if err != nil || len(qs) != benchTriples {
		b.Fatalf("decoded %d statements, %v; want %d", len(qs), err, benchTriples)
	}
	runtime.GC()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0, cpuOK := cpuTime()
	for b.Loop() {
		if err := encodeAll(io.Discard, qs, quads); err != nil {
			b.Fatal(err)
		}
	}
	reportRates(b, b.N*len(qs), cpu0, cpuOK)
}
