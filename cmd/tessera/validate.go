package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/ontology/shacl"
	"github.com/tessera-fair/tessera/ontology/shapes"
)

// cmdValidate checks RDF files against SHACL shapes without touching the
// store. All data files are merged into one data graph (named graphs
// included), because a record and the resources it links to are often split
// over files. Exit 0: no sh:Violation (warnings and infos are printed but do
// not fail, as with load --validate); 1: violations, with the report on
// stdout; 2: bad input (unreadable file, syntax error, unknown shape set).
func cmdValidate(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "validate", "[--shapes NAME|FILE]... [--format text|json|turtle] DATA...")
	var shapeArgs listFlag
	f.Var(&shapeArgs, "shapes", fmt.Sprintf("shipped shape set (%s) or a shapes file; repeatable (default %s)", strings.Join(shapes.Names(), ", "), shapes.Default))
	format := f.String("format", "text", "report format: text, json or turtle (sh:ValidationReport)")
	dataFormat := f.String("data-format", "", "syntax of the data files (default: from the extension; needed for -)")
	base := f.String("base", "", "base IRI for relative IRIs in the data (default: each file's file: IRI)")
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	switch *format {
	case "text", "json", "turtle":
	default:
		return usagef("--format %q: want text, json or turtle", *format)
	}
	if len(files) == 0 {
		f.Usage()
		return usagef("nothing to validate: name data files, directories or - for standard input")
	}
	sh, err := compileShapes(ctx, e, shapeArgs)
	if err != nil {
		return err
	}
	srcs, err := loaders.Sources(files, *dataFormat, e.stdin)
	if err != nil {
		return usagef("%v", err)
	}
	data := loaders.Decode(ctx, srcs, loaders.DecodeOptions{Options: loadOptions(*base)})
	rep, err := validateQuads(ctx, sh, data)
	if err != nil {
		if errors.Is(err, errBadData) {
			return usagef("%v", explainRemoteContext(err, false))
		}
		return err
	}
	if err := writeReport(e.stdout, rep, *format); err != nil {
		return err
	}
	if n := violations(rep); n > 0 {
		return fmt.Errorf("%s: the data does not conform", countNoun(n, "violation"))
	}
	return nil
}

// errBadData marks a data stream that could not be read.
var errBadData = errors.New("bad data")

// validateQuads collects quads into a fresh in-memory store, as one data
// graph, and validates it. Read errors are wrapped with errBadData.
func validateQuads(ctx context.Context, sh *shacl.Shapes, quads graph.Quads) (*shacl.Report, error) {
	st := memstore.New()
	defer st.Close()
	if _, err := graph.Load(ctx, st, quads, graph.LoadOptions{Graph: graph.DefaultGraph}); err != nil {
		return nil, fmt.Errorf("%w: %w", errBadData, err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer snap.Release()
	return sh.Validate(ctx, snap, shacl.Options{})
}

// compileShapes loads and compiles the --shapes arguments: shipped set
// names first, then files (any RDF syntax). No argument means the default
// set. An unknown name or unreadable file is a usage error (exit 2).
func compileShapes(ctx context.Context, e *env, args []string) (*shacl.Shapes, error) {
	if len(args) == 0 {
		args = []string{shapes.Default}
	}
	var all []graph.Quad
	for _, a := range args {
		if shapes.Has(a) {
			qs, err := shapes.Load(a)
			if err != nil {
				return nil, err
			}
			all = append(all, qs...)
			continue
		}
		if _, err := os.Stat(a); err != nil {
			return nil, usagef("--shapes %q: not a shipped shape set (%s) nor a readable file", a, strings.Join(shapes.Names(), ", "))
		}
		srcs, err := loaders.Sources([]string{a}, "", e.stdin)
		if err != nil {
			return nil, usagef("--shapes %s: %v", a, err)
		}
		for q, err := range loaders.Decode(ctx, srcs, loaders.DecodeOptions{}) {
			if err != nil {
				return nil, usagef("--shapes: %v", err)
			}
			all = append(all, q)
		}
	}
	sh, err := shacl.Compile(all)
	if err != nil {
		return nil, usagef("shapes %s: %v", strings.Join(args, ", "), err)
	}
	return sh, nil
}

// violations counts the results of severity sh:Violation: only these fail
// validate and reject a load.
func violations(rep *shacl.Report) int {
	n := 0
	for _, r := range rep.Results {
		if r.Severity == shViolation {
			n++
		}
	}
	return n
}

var shViolation = graph.IRI("http://www.w3.org/ns/shacl#Violation")

// writeReport writes the report as text, JSON or Turtle.
func writeReport(w io.Writer, rep *shacl.Report, format string) error {
	switch format {
	case "json":
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	case "turtle":
		tf, err := loaders.Lookup("turtle")
		if err != nil {
			return err
		}
		px := loaders.CommonPrefixes()
		px["sh"] = "http://www.w3.org/ns/shacl#"
		enc, err := tf.NewEncoder(w, loaders.EncodeOptions{Prefixes: px})
		if err != nil {
			return err
		}
		for _, q := range rep.Quads() {
			if err := enc.Encode(q); err != nil {
				return fmt.Errorf("write report: %w", err)
			}
		}
		return enc.Close()
	}
	return rep.WriteText(w)
}

func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
