package optimizer

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-fair/tessera/sparql/algebra"
)

// Node is one operator of a plan as EXPLAIN shows it: the operator, its
// arguments, the chosen algorithm, the optimizer's estimate and, after
// EXPLAIN ANALYZE, what actually happened.
type Node struct {
	// Op is the plan operator the node describes.
	Op algebra.Op `json:"-"`
	// Operator is the algebra operator's name (bgp, join, leftjoin, ...).
	Operator string `json:"operator"`
	// Args are its arguments as printed by algebra.Format: the triple
	// patterns of a BGP in matching order, the conditions of a filter, ...
	Args []string `json:"args,omitempty"`
	// Algorithm is "hash" or "nested-loop" for joins and left joins.
	Algorithm string `json:"algorithm,omitempty"`
	// Ordered reports that a BGP's patterns are matched in the order shown.
	Ordered bool `json:"ordered,omitempty"`
	// Estimated is the estimated number of solutions over the whole query
	// (-1 when the optimizer did not run).
	Estimated float64 `json:"estimated"`
	// Actual is set by EXPLAIN ANALYZE.
	Actual *Actual `json:"actual,omitempty"`
	// Children are the operator's inputs, and the patterns of its EXISTS.
	Children []*Node `json:"children,omitempty"`
}

// Actual is what an operator did during an analysed execution.
type Actual struct {
	// Rows is the number of solutions it produced, over all its loops.
	Rows int64 `json:"rows"`
	// Loops is the number of times it was evaluated.
	Loops int64 `json:"loops"`
	// Time is the time spent in it and its inputs (not in its consumers).
	Time time.Duration `json:"-"`
	// Millis is Time in milliseconds, for JSON.
	Millis float64 `json:"time_ms"`
}

// Tree returns the plan tree of op annotated from tr (which may be nil).
func Tree(op algebra.Op, tr *Trace) *Node {
	n := &Node{Op: op, Estimated: -1}
	if tr != nil {
		if est, ok := tr.Estimates[op]; ok {
			n.Estimated = est
		}
		if a, ok := tr.Algorithms[op]; ok {
			n.Algorithm = a.String()
		}
	}
	child := func(c algebra.Op) { n.Children = append(n.Children, Tree(c, tr)) }
	exprs := func(es ...algebra.Expr) {
		for _, e := range es {
			if e == nil {
				continue
			}
			n.Args = append(n.Args, algebra.FormatExpr(e))
			existsTrees(e, tr, &n.Children)
		}
	}
	switch o := op.(type) {
	case *algebra.BGP:
		n.Operator = "bgp"
		n.Ordered = tr != nil && tr.Ordered[o]
		for _, t := range o.Triples {
			s := algebra.Format(&algebra.BGP{Triples: []algebra.Triple{t}})
			n.Args = append(n.Args, strings.TrimSuffix(strings.TrimPrefix(s, "(bgp "), ")"))
		}
	case *algebra.Path:
		n.Operator = "path"
		n.Args = []string{strings.TrimSuffix(strings.TrimPrefix(algebra.Format(o), "(path "), ")")}
	case *algebra.Join:
		n.Operator = "join"
		if n.Algorithm == "" {
			n.Algorithm = NestedLoop.String()
		}
		child(o.L)
		child(o.R)
	case *algebra.LeftJoin:
		n.Operator = "leftjoin"
		if n.Algorithm == "" {
			n.Algorithm = NestedLoop.String()
		}
		exprs(o.Expr)
		n.Children = append([]*Node{Tree(o.L, tr), Tree(o.R, tr)}, n.Children...)
	case *algebra.Filter:
		n.Operator = "filter"
		child(o.Input)
		exprs(o.Exprs...)
	case *algebra.Union:
		n.Operator = "union"
		child(o.L)
		child(o.R)
	case *algebra.Minus:
		n.Operator = "minus"
		child(o.L)
		child(o.R)
	case *algebra.Graph:
		n.Operator = "graph"
		if o.Name.IsVar() {
			n.Args = []string{"?" + o.Name.Var}
		} else {
			n.Args = []string{o.Name.Term.String()}
		}
		child(o.Input)
	case *algebra.Extend:
		n.Operator = "extend"
		n.Args = []string{"?" + o.Var + " := " + algebra.FormatExpr(o.Expr)}
		existsTrees(o.Expr, tr, &n.Children)
		n.Children = append([]*Node{Tree(o.Input, tr)}, n.Children...)
	case *algebra.Group:
		n.Operator = "group"
		for _, k := range o.Keys {
			n.Args = append(n.Args, "?"+k.Var+" := "+algebra.FormatExpr(k.Expr))
		}
		for _, a := range o.Aggs {
			n.Args = append(n.Args, "?"+a.Var+" := "+aggString(a.Agg))
		}
		child(o.Input)
	case *algebra.Table:
		n.Operator = "table"
		n.Args = []string{fmt.Sprintf("%d rows of %s", len(o.Rows), varList(o.Vars))}
	case *algebra.OrderBy:
		n.Operator = "order"
		for _, c := range o.Conds {
			s := algebra.FormatExpr(c.Expr)
			if c.Desc {
				s = "(desc " + s + ")"
			}
			n.Args = append(n.Args, s)
		}
		child(o.Input)
	case *algebra.Project:
		n.Operator = "project"
		n.Args = []string{varList(o.Vars)}
		child(o.Input)
	case *algebra.Distinct:
		n.Operator = "distinct"
		child(o.Input)
	case *algebra.Reduced:
		n.Operator = "reduced"
		child(o.Input)
	case *algebra.Slice:
		n.Operator = "slice"
		n.Args = []string{fmt.Sprintf("offset %d limit %d", o.Offset, o.Limit)}
		child(o.Input)
	case *algebra.Service:
		n.Operator = "service"
		if o.Name.IsVar() {
			n.Args = []string{"?" + o.Name.Var}
		} else {
			n.Args = []string{o.Name.Term.String()}
		}
	case *algebra.ToMultiSet:
		n.Operator = "tomultiset"
		child(o.Input)
	default:
		n.Operator = fmt.Sprintf("%T", op)
	}
	return n
}

func varList(vs []string) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = "?" + v
	}
	return "(" + strings.Join(parts, " ") + ")"
}

func aggString(a *algebra.Aggregate) string {
	var b strings.Builder
	b.WriteString("(" + strings.ToLower(a.Func))
	if a.Distinct {
		b.WriteString(" distinct")
	}
	if a.Arg == nil {
		b.WriteString(" *")
	} else {
		b.WriteString(" " + algebra.FormatExpr(a.Arg))
	}
	return b.String() + ")"
}

// existsTrees appends a node per EXISTS in e.
func existsTrees(e algebra.Expr, tr *Trace, out *[]*Node) {
	switch x := e.(type) {
	case *algebra.Exists:
		name := "exists"
		if x.Not {
			name = "not exists"
		}
		*out = append(*out, &Node{Operator: name, Estimated: -1, Children: []*Node{Tree(x.Op, tr)}})
	case *algebra.Binary:
		existsTrees(x.X, tr, out)
		existsTrees(x.Y, tr, out)
	case *algebra.Unary:
		existsTrees(x.X, tr, out)
	case *algebra.In:
		existsTrees(x.X, tr, out)
		for _, y := range x.List {
			existsTrees(y, tr, out)
		}
	case *algebra.Call:
		for _, y := range x.Args {
			existsTrees(y, tr, out)
		}
	case *algebra.FuncCall:
		for _, y := range x.Args {
			existsTrees(y, tr, out)
		}
	}
}

// Walk calls f for n and every node below it, parents first.
func (n *Node) Walk(f func(*Node)) {
	f(n)
	for _, c := range n.Children {
		c.Walk(f)
	}
}

// String returns the text form of the tree (see WriteTo).
func (n *Node) String() string {
	var b strings.Builder
	n.write(&b, 0)
	return b.String()
}

// WriteTo writes the tree as indented text, one operator per line with
// its estimate (and actual figures after EXPLAIN ANALYZE), its arguments
// on the lines below:
//
//	join hash  (est 1200; actual 1187 rows, 1 loop, 3.1 ms)
//	  bgp ordered  (est 20)
//	    ?ds <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>
func (n *Node) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	n.write(&b, 0)
	k, err := io.WriteString(w, b.String())
	return int64(k), err
}

func (n *Node) write(b *strings.Builder, depth int) {
	ind := strings.Repeat("  ", depth)
	b.WriteString(ind + n.Operator)
	if n.Algorithm != "" {
		b.WriteString(" " + n.Algorithm)
	}
	if n.Ordered {
		b.WriteString(" ordered")
	}
	var figs []string
	if n.Estimated >= 0 {
		figs = append(figs, "est "+formatCount(n.Estimated))
	}
	if a := n.Actual; a != nil {
		loops := "loops"
		if a.Loops == 1 {
			loops = "loop"
		}
		figs = append(figs, fmt.Sprintf("actual %d rows, %d %s, %.3f ms", a.Rows, a.Loops, loops, float64(a.Time)/float64(time.Millisecond)))
	}
	if len(figs) > 0 {
		b.WriteString("  (" + strings.Join(figs, "; ") + ")")
	}
	b.WriteByte('\n')
	for _, a := range n.Args {
		b.WriteString(ind + "  │ " + strings.ReplaceAll(a, "\n", " ") + "\n")
	}
	for _, c := range n.Children {
		c.write(b, depth+1)
	}
}

// formatCount prints an estimate: whole numbers below a million, then
// with an exponent.
func formatCount(f float64) string {
	switch {
	case f < 10 && f != float64(int64(f)):
		return strconv.FormatFloat(f, 'g', 2, 64)
	case f < 1e6:
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'e', 1, 64)
}
