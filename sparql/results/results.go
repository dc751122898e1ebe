package results

import (
	"errors"
	"iter"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// Solution is one row of a SELECT result: the values of the result
// variables, in the order of Set.Vars. The zero graph.Term marks an unbound
// variable.
type Solution []graph.Term

// Solutions is a stream of solutions. A stream stops at the first error,
// which it yields with a nil Solution. A solution yielded by a stream may be
// reused by the stream for the next row: copy it (slices.Clone) to keep it.
type Solutions = iter.Seq2[Solution, error]

// Set is the result of a SELECT or ASK query as it flows from the evaluator
// to a writer, or from a reader to its user.
//
// For SELECT, Vars names the result variables (without '?') and Solutions
// streams the rows; a stream read from a document can be ranged over only
// once. For ASK, IsBoolean is true and Boolean holds the answer.
type Set struct {
	Vars      []string
	Solutions Solutions
	IsBoolean bool
	Boolean   bool
}

// Select returns the Set of a SELECT query with the given variables and
// rows.
func Select(vars []string, rows Solutions) Set { return Set{Vars: vars, Solutions: rows} }

// Ask returns the Set of an ASK query.
func Ask(answer bool) Set { return Set{IsBoolean: true, Boolean: answer} }

// Table is a result held in memory: the form conformance runners compare.
// Rows keep the order of Vars; a boolean result has IsBoolean set and no
// variables or rows.
type Table struct {
	Vars      []string
	Rows      []Solution
	IsBoolean bool
	Boolean   bool
}

// Set streams the table's rows.
func (t Table) Set() Set {
	if t.IsBoolean {
		return Ask(t.Boolean)
	}
	rows := t.Rows
	return Select(t.Vars, func(yield func(Solution, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	})
}

// String prints the table for test failure messages: the variables, then
// one row per line with terms in N-Triples syntax and "-" for unbound.
func (t Table) String() string {
	if t.IsBoolean {
		if t.Boolean {
			return "ASK true"
		}
		return "ASK false"
	}
	var b strings.Builder
	for i, v := range t.Vars {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('?')
		b.WriteString(v)
	}
	for _, r := range t.Rows {
		b.WriteByte('\n')
		for i, term := range r {
			if i > 0 {
				b.WriteByte(' ')
			}
			if term.IsZero() {
				b.WriteByte('-')
			} else {
				graph.AppendTerm(&b, term)
			}
		}
	}
	return b.String()
}

// Collect reads a whole Set into a Table. It is for tests and small
// results; production paths stream.
func Collect(s Set) (Table, error) {
	if s.IsBoolean {
		return Table{IsBoolean: true, Boolean: s.Boolean}, nil
	}
	t := Table{Vars: s.Vars}
	if s.Solutions == nil {
		return t, nil
	}
	for row, err := range s.Solutions {
		if err != nil {
			return t, err
		}
		t.Rows = append(t.Rows, append(Solution(nil), row...))
	}
	return t, nil
}

// Errors a writer returns when it is driven out of order or given data the
// format cannot carry. They are wrapped with detail; test with errors.Is.
var (
	// ErrState reports a call out of the order WriteHead, WriteSolution...,
	// Close (or WriteBoolean, Close).
	ErrState = errors.New("results: writer call out of order")
	// ErrUnsupported reports a result the format cannot represent, such as
	// an ASK answer in CSV or TSV, or a character XML 1.0 forbids.
	ErrUnsupported = errors.New("results: not representable in this format")
	// ErrInvalid reports a malformed result handed to a writer: a bad or
	// repeated variable name, a row of the wrong width, a term that is not
	// an RDF term.
	ErrInvalid = errors.New("results: invalid result")
)
