// Package demo is the bundled demo catalogue that `make run` starts with:
// real EUCAIM DCAT-AP and FAIR Data Point example records (see data/README.md
// for sources and licences) plus a deterministic generated EUCAIM-like
// federation (Federation), each source in its own named graph and the access
// level of every graph in the system graph, as DESIGN.md §1 lays out.
//
// The generator draws its codes from a committed extract of the real
// vocabularies (codes.tsv: OncoTree cancer types with their NCIt codes, DICOM
// CID 29 modalities, DICOM body parts with SNOMED CT regions). It does not
// generate image series as resources (studies carry series and instance
// counts), nor FHIR-shaped mCODE resources.
package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

//go:embed data
var files embed.FS

// GraphBase is the IRI prefix of the demo's named graphs.
const GraphBase = "https://tessera.example/graph/provider/"

// Quads streams the whole demo catalogue: the real example records, one
// named graph per source folder, then Federation(1).
func Quads() graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		dirs, err := fs.ReadDir(files, "data")
		if err != nil {
			yield(graph.Quad{}, err)
			return
		}
		for _, d := range dirs {
			if !d.IsDir() {
				continue
			}
			g := graph.IRI(GraphBase + d.Name() + "-examples")
			entries, err := fs.ReadDir(files, path.Join("data", d.Name()))
			if err != nil {
				yield(graph.Quad{}, err)
				return
			}
			for _, e := range entries {
				if !strings.HasSuffix(e.Name(), ".ttl") {
					continue
				}
				name := path.Join("data", d.Name(), e.Name())
				f, err := files.Open(name)
				if err != nil {
					yield(graph.Quad{}, err)
					return
				}
				dec := turtle.NewDecoder(f, syntax.Options{File: name, Base: "https://tessera.example/demo/" + d.Name() + "/" + e.Name()})
				for q, err := range syntax.Quads(dec) {
					if err != nil {
						f.Close()
						yield(graph.Quad{}, fmt.Errorf("demo file %s: %w", name, err))
						return
					}
					q.G = g
					if !yield(q, nil) {
						f.Close()
						return
					}
				}
				f.Close()
			}
		}
		for q, err := range Federation(1) {
			if !yield(q, err) || err != nil {
				return
			}
		}
	}
}

// LoadIfEmpty loads the demo catalogue in one transaction when the store has
// no quads, and returns how many quads it loaded (0 when the store had data).
func LoadIfEmpty(ctx context.Context, s graph.Store) (int64, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	n, err := snap.Count(ctx, graph.Pattern{})
	snap.Release()
	if err != nil || n > 0 {
		return 0, err
	}
	return graph.Load(ctx, s, Quads(), graph.LoadOptions{})
}
