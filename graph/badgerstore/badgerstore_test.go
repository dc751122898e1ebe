package badgerstore

import (
	"io"
	"log/slog"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphtest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// openTest opens a store in a fresh directory, closed at the end of the test.
func openTest(t testing.TB, opts Options) *Store {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quiet
	}
	s, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestGraphtest(t *testing.T) {
	graphtest.Run(t, func(t *testing.T) graph.Store { return openTest(t, Options{}) })
}

// TestGraphtestUncompressed runs the suite on uncompressed tables.
func TestGraphtestUncompressed(t *testing.T) {
	graphtest.Run(t, func(t *testing.T) graph.Store { return openTest(t, Options{NoCompression: true}) })
}
