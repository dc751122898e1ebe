package access

import (
	"maps"

	"github.com/tessera-fair/tessera/graph"
)

// Counts of graphs whose records a caller may not see leave the node
// obfuscated, on every surface that reports them (VoID, the SPARQL service
// description, /stats, /metrics, query plans): this file is the one
// implementation they share, so that no surface publishes a figure another
// one rounds.
//
// Totals are sums of the reported per-graph counts, never the store's exact
// total: an exact total minus the exact counts of the graphs a caller may
// see would give the hidden graphs' counts back by subtraction. A total
// therefore reveals nothing the per-graph figures do not.
//
// Not covered here: cohort counts (schema/discovery.Obfuscation, a
// configurable rule of its own that rounds to the nearest step).

// ObfuscateCount rounds a count as EUCAIM's Focus does before it leaves a
// node, without Focus's random perturbation (deterministic: asking again
// leaks nothing new): zero stays zero, 1 to 9 become 10 and larger counts
// round up to a multiple of 10. Negative counts (unknown) are returned as
// they are.
func ObfuscateCount(n int64) int64 {
	switch {
	case n <= 0:
		return n
	case n < 10:
		return 10
	}
	return (n + 9) / 10 * 10
}

// ExactCounts reports whether counts over graph g may be reported exactly
// to a caller: exactly when the caller may see g's records
// (CanSeeRecords), so never for a controlled graph.
func (p *Policy) ExactCounts(g graph.Term, registered bool) bool {
	return p.CanSeeRecords(g, registered)
}

// Count returns n, a count over graph g (its quads, its typed entities), as
// reported to a caller: n itself when ExactCounts allows it, otherwise
// ObfuscateCount(n). exact says which.
func (p *Policy) Count(g graph.Term, n int64, registered bool) (reported int64, exact bool) {
	if p.ExactCounts(g, registered) {
		return n, true
	}
	return ObfuscateCount(n), false
}

// Stats returns st as one caller may see it: each graph's quads through
// Count, Quads as the sum of the reported per-graph counts (see the comment
// at the top of this file), and — when some graph's counts are obfuscated —
// every store-wide figure that mixes in hidden graphs obfuscated too: the
// term dictionary size and each predicate's quads, distinct subjects and
// objects and frequent-object counts (a predicate used only in hidden
// records would otherwise give their exact number). DiskBytes and the
// number of predicates are left as they are. st is not modified (the
// result may share its read-only maps); a nil st gives nil. The second
// result reports whether every figure is exact.
func (p *Policy) Stats(st *graph.Stats, registered bool) (*graph.Stats, bool) {
	if st == nil {
		return nil, true
	}
	out := &graph.Stats{Graphs: make(map[graph.Term]int64, len(st.Graphs)), Terms: st.Terms, DiskBytes: st.DiskBytes}
	exact := true
	for g, n := range st.Graphs {
		c, ok := p.Count(g, n, registered)
		out.Graphs[g] = c
		out.Quads += c
		exact = exact && ok
	}
	if exact {
		out.Predicates = st.Predicates // shared: statistics are read-only
		return out, true
	}
	out.Terms = ObfuscateCount(st.Terms)
	out.Predicates = make(map[graph.Term]graph.PredicateStats, len(st.Predicates))
	for pred, ps := range st.Predicates {
		ps.Quads = ObfuscateCount(ps.Quads)
		ps.Subjects = ObfuscateCount(ps.Subjects)
		ps.Objects = ObfuscateCount(ps.Objects)
		if ps.FrequentObjects != nil {
			fo := maps.Clone(ps.FrequentObjects)
			for o, n := range fo {
				fo[o] = ObfuscateCount(n)
			}
			ps.FrequentObjects = fo
		}
		out.Predicates[pred] = ps
	}
	return out, false
}
