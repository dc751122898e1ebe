package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/tessera-fair/tessera/sparql/results"
)

// Member is one node of a federation that the hub sends live queries to.
type Member struct {
	// Name identifies the member in statuses ("chaimeleon").
	Name string
	// Endpoint is the member's SPARQL endpoint URL.
	Endpoint string
	// Timeout bounds this member's answer, counted from the start of the
	// fan-out; zero means the client's Options.Timeout.
	Timeout time.Duration
}

// Status is how a member took part in a fan-out.
type Status string

// The statuses of a member in a fan-out.
const (
	// StatusOK: the member answered; its solutions are in the answer.
	StatusOK Status = "ok"
	// StatusTimeout: the member did not answer within its timeout.
	StatusTimeout Status = "timeout"
	// StatusError: the member could not be reached or answered with an
	// error status (or the fan-out was cancelled).
	StatusError Status = "error"
	// StatusGarbage: the member answered with something that is not a
	// SPARQL result, or one larger than the size limit.
	StatusGarbage Status = "garbage"
)

// MemberResult is the outcome of one member.
type MemberResult struct {
	Member Member
	Status Status
	// Err says what went wrong; nil when Status is StatusOK.
	Err error
	// Rows is the number of solutions the member contributed.
	Rows int
	// Elapsed is the time from the start of the fan-out to the member's
	// last byte or failure.
	Elapsed time.Duration
}

// Row is one solution of a fan-out: its values, in the order of
// Answer.Vars, and the index of the member it came from.
type Row struct {
	Member int
	Values results.Solution
}

// Answer is the merged result of a fan-out.
type Answer struct {
	// Vars are the variables of every member's answer, in order of first
	// appearance (members in the order given).
	Vars []string
	// Rows are the members' solutions, member by member in the order
	// given. A member that failed contributes nothing, not part of an
	// answer.
	Rows []Row
	// Members holds one result per member, in the order given.
	Members []MemberResult
}

// Complete reports whether every member answered.
func (a *Answer) Complete() bool {
	for _, m := range a.Members {
		if m.Status != StatusOK {
			return false
		}
	}
	return true
}

// FanOut sends the SELECT query to every member concurrently (within the
// client's MaxConcurrent), each bounded by its timeout and the size limit,
// and merges the solutions of those that answered. A member that is down,
// slow or answers garbage is marked so in Answer.Members and leaves the
// others' solutions intact; FanOut itself never fails. When ctx ends, the
// members still running are marked error (or timeout, at ctx's deadline).
//
// Members are the operator's configuration, so they are not checked
// against Options.Allow (which governs endpoints named by queries); they
// must still be http or https URLs.
func (c *Client) FanOut(ctx context.Context, members []Member, query string) *Answer {
	start := time.Now()
	type part struct {
		vars []string
		rows []results.Solution
	}
	parts := make([]part, len(members))
	out := &Answer{Members: make([]MemberResult, len(members))}
	var wg sync.WaitGroup
	for i, m := range members {
		out.Members[i].Member = m
		wg.Add(1)
		go func() {
			defer wg.Done()
			vars, rows, err := c.collect(ctx, m, query)
			mr := &out.Members[i]
			mr.Elapsed = time.Since(start)
			if err != nil {
				mr.Status, mr.Err = statusOf(err), err
				return
			}
			mr.Status, mr.Rows = StatusOK, len(rows)
			parts[i] = part{vars, rows}
		}()
	}
	wg.Wait()
	at := map[string]int{}
	for _, p := range parts {
		for _, v := range p.vars {
			if _, ok := at[v]; !ok {
				at[v] = len(out.Vars)
				out.Vars = append(out.Vars, v)
			}
		}
	}
	for i, p := range parts {
		for _, sol := range p.rows {
			vals := make(results.Solution, len(out.Vars))
			for j, v := range p.vars {
				if j < len(sol) {
					vals[at[v]] = sol[j]
				}
			}
			out.Rows = append(out.Rows, Row{Member: i, Values: vals})
		}
	}
	return out
}

// collect runs query at one member and reads the whole answer.
func (c *Client) collect(ctx context.Context, m Member, query string) ([]string, []results.Solution, error) {
	if err := checkHTTP(m.Endpoint); err != nil {
		return nil, nil, fmt.Errorf("member %s: endpoint <%s>: %w: %v", m.Name, m.Endpoint, ErrUnavailable, err)
	}
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = c.opts.Timeout
	}
	a, err := c.send(ctx, m.Endpoint, query, timeout)
	if err != nil {
		return nil, nil, fmt.Errorf("member %s: %w", m.Name, err)
	}
	defer a.close()
	var rows []results.Solution
	for sol, err := range a.set.Solutions {
		if err != nil {
			return nil, nil, fmt.Errorf("member %s: %w", m.Name, a.classify(err))
		}
		rows = append(rows, slices.Clone(sol))
	}
	return a.set.Vars, rows, nil
}

// statusOf maps an error of collect to a member status.
func statusOf(err error) Status {
	switch {
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return StatusTimeout
	case errors.Is(err, ErrBadResponse), errors.Is(err, ErrTooLarge):
		return StatusGarbage
	}
	return StatusError
}
