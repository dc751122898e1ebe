package eval

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/optimizer"
)

// Plan is what Explain returns: the plan that Query would evaluate, with
// the optimizer's estimate per operator and, when analysed, the actual
// figures. Its JSON form (encoding/json) is what `?explain=true` serves;
// String is the text form for `tessera query --explain`.
type Plan struct {
	// Root is the plan tree.
	Root *optimizer.Node `json:"plan"`
	// Rules lists the rewrite rules that fired, with their details.
	Rules []optimizer.Firing `json:"rules"`
	// Optimized reports whether the optimizer ran (Options.NoOptimize).
	Optimized bool `json:"optimized"`
	// Analyzed reports whether the query was executed.
	Analyzed bool `json:"analyzed"`
	// Rows is the number of results the query produced (solutions, the
	// ASK answer as 0 or 1, or triples), when analysed.
	Rows int64 `json:"rows"`
	// Time is the wall time of the execution, when analysed.
	Time time.Duration `json:"-"`
	// Millis is Time in milliseconds, for JSON.
	Millis float64 `json:"time_ms"`
	// PeakMemory is the largest amount of memory the query held in hash
	// tables, sorts and caches, in bytes (the figure MaxMemory limits).
	PeakMemory int64 `json:"peak_memory_bytes"`
	// Error is the error the analysed execution ended with, if any (the
	// plan is still returned: EXPLAIN of a query that hits a limit is
	// exactly when it is wanted).
	Error string `json:"error,omitempty"`
}

// String returns the text form: the rules that fired, then the tree.
func (p *Plan) String() string {
	var b strings.Builder
	if p.Analyzed {
		b.WriteString("-- analysed: ")
		b.WriteString(formatInt(p.Rows) + " results in " + p.Time.Round(time.Microsecond).String())
		b.WriteString(", peak memory " + formatInt(p.PeakMemory) + " bytes")
		if p.Error != "" {
			b.WriteString(", error: " + p.Error)
		}
		b.WriteString("\n")
	}
	if !p.Optimized {
		b.WriteString("-- optimizer off\n")
	}
	for _, f := range p.Rules {
		b.WriteString("-- rule " + f.Rule + ": " + f.Detail + "\n")
	}
	p.Root.WriteTo(&b)
	return b.String()
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

// Explain returns the plan Query would evaluate for q over r with opts.
// With analyze set it also runs the query to the end, discarding the
// results, and records per operator the solutions it produced, how often
// it was evaluated and the time spent in it (including its inputs), like
// PostgreSQL's EXPLAIN ANALYZE. An error of the execution (a memory limit,
// a timeout) is reported in Plan.Error, not as Explain's error.
func Explain(ctx context.Context, r graph.Reader, q *algebra.Query, opts Options, analyze bool) (*Plan, error) {
	e := newEvaluator(ctx, r, q, opts)
	e.prepare(q, opts)
	p := &Plan{Optimized: e.trace != nil, Analyzed: analyze}
	if e.trace != nil {
		p.Rules = e.trace.Fired
	}
	if analyze {
		e.prof = map[algebra.Op]*opStats{}
		start := time.Now()
		res, err := e.run(q)
		if err == nil {
			err = drain(res, &p.Rows)
		}
		p.Time = time.Since(start)
		p.Millis = float64(p.Time) / float64(time.Millisecond)
		if err != nil {
			p.Error = err.Error()
		}
		p.PeakMemory = e.mem.peak
	}
	if e.root == nil {
		return p, nil
	}
	p.Root = optimizer.Tree(e.root, e.trace)
	if analyze {
		p.Root.Walk(func(n *optimizer.Node) {
			if st, ok := e.prof[n.Op]; ok && n.Op != nil {
				n.Actual = &optimizer.Actual{Rows: st.rows, Loops: st.loops, Time: st.dur, Millis: float64(st.dur) / float64(time.Millisecond)}
			}
		})
	}
	return p, nil
}

// drain consumes a result, counting what it yields.
func drain(res *Result, n *int64) error {
	switch {
	case res.Solutions != nil:
		for _, err := range res.Solutions {
			if err != nil {
				return err
			}
			*n++
		}
	case res.Quads != nil:
		for _, err := range res.Quads {
			if err != nil {
				return err
			}
			*n++
		}
	case res.Boolean:
		*n = 1
	}
	return nil
}

// opStats counts what one operator did under EXPLAIN ANALYZE.
type opStats struct {
	rows, loops int64
	dur         time.Duration
}

// instrument wraps the solutions of op to count them and time the work
// done producing them (time spent in the consumer is excluded).
func (e *evaluator) instrument(op algebra.Op, s seq) seq {
	st, ok := e.prof[op]
	if !ok {
		st = &opStats{}
		e.prof[op] = st
	}
	return func(yield func(row) bool) {
		st.loops++
		start := time.Now()
		s(func(r row) bool {
			st.rows++
			st.dur += time.Since(start)
			ok := yield(r)
			start = time.Now()
			return ok
		})
		st.dur += time.Since(start)
	}
}
