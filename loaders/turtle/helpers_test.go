package turtle

import (
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// drain reads a decoder to the end.
func drain(d syntax.Decoder) ([]graph.Quad, error) {
	return graph.Collect(syntax.Quads(d))
}

// dump prints quads as N-Quads lines for failure messages.
func dump(qs []graph.Quad) string {
	var b strings.Builder
	for _, q := range qs {
		b.WriteString(q.String())
		b.WriteByte('\n')
	}
	return b.String()
}
