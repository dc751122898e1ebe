package rdfxml

import (
	"io"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// readNTriples reads expected results (the suite's .nt files and the
// expectations of the table tests) with the project's N-Triples decoder.
func readNTriples(r io.Reader) ([]graph.Quad, error) {
	return graph.Collect(syntax.Quads(ntriples.NewDecoder(r, syntax.Options{})))
}
