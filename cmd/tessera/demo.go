package main

import (
	"context"

	"github.com/tessera-fair/tessera/ontology/demo"
)

// cmdDemo writes the generated demo federation (demo.Federation) as RDF, for
// benchmarks and for loading elsewhere: `tessera demo --scale 17 > fed.nq`,
// or `--output fed.trig.gz`. The format and compression come from --output's
// name as export's do (outputFormat, writeOutput). It needs no store.
func cmdDemo(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "demo", "[--scale N] [--format F] [--output FILE[.gz]]")
	scale := f.Int("scale", 1, "size of the federation: N times the `make run` catalogue (1 ≈ 0.59M quads, 17 ≈ 10M)")
	format := f.String("format", "", formatFlagHelp+"; nquads, trig or jsonld keep the provider graphs")
	output := f.String("output", "-", outputFlagHelp)
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	if *scale < 1 {
		return usagef("--scale must be at least 1")
	}
	fm, gz, err := outputFormat(*format, *output)
	if err != nil {
		return err
	}
	if !fm.Quads {
		// Every provider's catalogue is a named graph: refuse before
		// writing, as export does for a store with named graphs.
		return usagef("%s cannot hold named graphs, and the federation's quads are in named graphs: choose nquads, trig or jsonld", fm.Name)
	}
	return writeOutput(ctx, e, *output, "wrote", demo.Federation(*scale), fm, gz)
}
