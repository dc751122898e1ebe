package eval

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/tessera-fair/tessera/graph"
)

// ErrMemoryLimit is returned (wrapped, test with errors.Is) when a query
// needs more memory for its hash tables, sorts, DISTINCT or GROUP BY tables
// or sub-query caches than Options.MaxMemory allows. A server turns it into
// HTTP 413 or 507.
var ErrMemoryLimit = errors.New("eval: query memory limit exceeded")

// memory accounts, approximately, the bytes a query holds.
type memory struct {
	limit, used, peak int64
}

const (
	termBytes = int64(unsafe.Sizeof(graph.Term{}))
	idBytes   = 8
	// rowOverhead is a row's slice header plus a hash-table entry.
	rowOverhead = 24 + 48
)

// rowBytes estimates what holding r costs: its id slots (terms computed
// by the query are held once, in the query's dictionary).
func rowBytes(r row) int64 {
	return rowOverhead + idBytes*int64(len(r))
}

// reserve accounts n more bytes for what; it fails the query with
// ErrMemoryLimit and reports false when the budget is exceeded.
func (e *evaluator) reserve(n int64, what string) bool {
	e.mem.used += n
	if e.mem.used > e.mem.peak {
		e.mem.peak = e.mem.used
	}
	if e.mem.limit > 0 && e.mem.used > e.mem.limit {
		e.fail(fmt.Errorf("%w: %s needs more than %d bytes", ErrMemoryLimit, what, e.mem.limit))
		return false
	}
	return true
}

// release gives back n bytes reserved earlier.
func (e *evaluator) release(n int64) { e.mem.used -= n }
