package shacl

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/ontology/shapes"
)

// demoRecords returns at least n dataset records of the demo federation in
// the default graph: its 70 generated datasets with their distributions,
// publishers and contact points (patients and studies left out), copied
// with renamed resources until there are n datasets or more. It returns
// the quads and the number of datasets.
func demoRecords(tb testing.TB, n int) ([]graph.Quad, int) {
	tb.Helper()
	all, err := graph.Collect(demo.Federation(1))
	if err != nil {
		tb.Fatal(err)
	}
	typ := graph.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
	records := map[graph.Term]bool{}
	datasets := 0
	for _, q := range all {
		if q.P != typ {
			continue
		}
		switch q.O.Value() {
		case demo.CDM + "Patient", demo.CDM + "ImagingStudy":
			records[q.S] = true
		case "http://www.w3.org/ns/dcat#Dataset":
			datasets++
		}
	}
	var base []graph.Quad
	for _, q := range all {
		if q.G.Value() == demo.SystemGraph || records[q.S] || records[q.O] {
			continue
		}
		q.G = graph.DefaultGraph
		base = append(base, q)
	}
	copies := (n + datasets - 1) / datasets
	rename := func(t graph.Term, k int) graph.Term {
		if t.IsIRI() && strings.HasPrefix(t.Value(), demo.ResourceBase) {
			return graph.IRI(fmt.Sprintf("%s-r%d", t.Value(), k))
		}
		if t.IsBlank() {
			return graph.Blank(fmt.Sprintf("%s-r%d", t.Value(), k))
		}
		return t
	}
	out := make([]graph.Quad, 0, copies*len(base))
	for k := range copies {
		for _, q := range base {
			out = append(out, graph.Quad{S: rename(q.S, k), P: q.P, O: rename(q.O, k), G: q.G})
		}
	}
	return out, copies * datasets
}

// BenchmarkValidate10kDatasets is the target: validating 10,000
// dataset records against the EUCAIM DCAT-AP v2.0 shapes (the default
// shape set) in under 2 s, from a store snapshot (index included).
func BenchmarkValidate10kDatasets(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a 10,000-dataset store")
	}
	src, err := shapes.Load(shapes.Default)
	if err != nil {
		b.Fatal(err)
	}
	sh, err := Compile(src)
	if err != nil {
		b.Fatal(err)
	}
	quads, datasets := demoRecords(b, 10_000)
	st, err := storeOf(quads)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer snap.Release()
	rep, err := sh.Validate(ctx, snap, Options{})
	if err != nil {
		b.Fatal(err)
	}
	x := mustIndex(b, snap)
	// "full" is what callers get (the data graph indexed, then
	// validated); "prebuilt" validates against an index built beforehand.
	for _, prebuilt := range []bool{false, true} {
		name := map[bool]string{false: "full", true: "prebuilt"}[prebuilt]
		b.Run(name, func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				if prebuilt {
					v := newValidator(ctx, Options{})
					v.data = x
					if _, err := sh.run(v); err != nil {
						b.Fatal(err)
					}
				} else if _, err := sh.Validate(ctx, snap, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			// On a shared machine wall time includes waiting for a core;
			// the process's CPU time (GC workers included) is the cost
			// itself.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(datasets), "datasets")
			b.ReportMetric(float64(len(quads)), "triples")
			b.ReportMetric(float64(datasets)/sec, "datasets/s")
			b.ReportMetric(float64(len(rep.Results)), "results")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
