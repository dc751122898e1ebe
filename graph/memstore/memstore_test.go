package memstore

import (
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphtest"
)

func TestStore(t *testing.T) {
	graphtest.Run(t, func(t *testing.T) graph.Store { return New() })
}
