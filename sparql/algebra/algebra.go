// Package algebra is the SPARQL 1.1 algebra (Query §18): the operator tree a
// query is translated to before it is optimised and evaluated.
//
// Translate turns a parsed query (sparql/ast) into a Query whose Op is the
// algebra expression of §18.2: group graph patterns become Join, LeftJoin,
// Filter, Union, Minus, Graph, Extend and Table operators with the filter
// scoping of §18.2.2.6; triple patterns have their syntax sugar expanded
// (property lists, `[ ]`, collections) and blank nodes turned into fresh
// variables; property paths are translated per §18.2.2.4 (links to triple
// patterns, inverse links reversed, sequences split with fresh variables,
// the rest kept as Path operators); GROUP BY, aggregates, HAVING, select
// expressions, trailing VALUES, ORDER BY, projection, DISTINCT/REDUCED and
// OFFSET/LIMIT become Group, Filter, Join/Table, Extend, OrderBy, Project,
// Distinct/Reduced and Slice.
//
// Operators, expressions and paths are sealed interfaces: a type switch over
// the implementations listed in each interface's comment is exhaustive.
// Format prints a tree as an S-expression in the style of Jena's SSE, for
// tests and EXPLAIN.
//
// Variables the translator invents (for blank nodes, path sequences,
// collections, aggregates and unnamed group keys) have names starting with
// '.', which no SPARQL variable can have, so they never clash with the
// query's own variables and are never projected by SELECT *.
//
// For SPARQL 1.1 Update (update.go), TranslatePattern translates the WHERE
// of an operation, TranslateTemplate expands quad templates and data blocks
// into Quad patterns, and QuadsPattern builds the pattern of DELETE WHERE;
// sparql/update executes the operations themselves, which have no operator
// of their own here.
package algebra

import (
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/ast"
)

// Node is one position of a triple pattern: a variable (Var != "") or a
// constant term.
type Node struct {
	Var  string
	Term graph.Term
}

// V returns the variable node ?name.
func V(name string) Node { return Node{Var: name} }

// T returns the constant node t.
func T(t graph.Term) Node { return Node{Term: t} }

// IsVar reports whether n is a variable.
func (n Node) IsVar() bool { return n.Var != "" }

// Triple is a triple pattern (§18.1.3).
type Triple struct {
	S, P, O Node
}

// Op is an algebra operator. Implementations: *BGP, *Path, *Join,
// *LeftJoin, *Filter, *Union, *Minus, *Graph, *Extend, *Group, *Table,
// *OrderBy, *Project, *Distinct, *Reduced, *Slice, *Service, *ToMultiSet.
type Op interface {
	op()
}

// BGP is a basic graph pattern (§18.1.6): a set of triple patterns matched
// together. The empty BGP is the identity of Join (one empty solution).
type BGP struct {
	Triples []Triple
}

// Path is a property path pattern (§18.1.7) that Translate did not reduce to
// triple patterns.
type Path struct {
	S    Node
	Path PathExpr
	O    Node
}

// Join is the join of two patterns (§18.5, Join).
type Join struct {
	L, R Op
}

// LeftJoin is OPTIONAL (§18.5, LeftJoin): the solutions of L extended by the
// compatible solutions of R for which Expr holds, or kept alone. A nil Expr
// is true.
type LeftJoin struct {
	L, R Op
	Expr Expr
}

// Filter keeps the solutions of Input for which every expression has
// effective boolean value true (§18.5, Filter).
type Filter struct {
	Exprs []Expr
	Input Op
}

// Union is the multiset union of two patterns (§18.5, Union).
type Union struct {
	L, R Op
}

// Minus removes the solutions of L compatible with a solution of R that
// shares a variable with it (§18.5, Minus).
type Minus struct {
	L, R Op
}

// Graph evaluates Input with a named graph as the active graph (§18.5,
// Graph). Name is a variable (every named graph, bound to it) or an IRI.
type Graph struct {
	Name  Node
	Input Op
}

// Extend binds Var to the value of Expr in every solution of Input, leaving
// it unbound when Expr raises an error (§18.5, Extend).
type Extend struct {
	Input Op
	Var   string
	Expr  Expr
}

// Group partitions the solutions of Input by the values of Keys and
// computes Aggs for each group (§18.5 Group, Aggregation and AggregateJoin
// in one operator, as Jena does). Each output solution binds the key
// variables and the aggregate variables. With no keys, Input forms a single
// group, even when it is empty.
type Group struct {
	Input Op
	Keys  []GroupKey
	Aggs  []AggBinding
}

// GroupKey is one GROUP BY key: the expression and the variable that holds
// its value in the output (the variable itself for `GROUP BY ?x`, the AS
// variable, or a fresh hidden variable).
type GroupKey struct {
	Var  string
	Expr Expr
}

// AggBinding binds the value of an aggregate over a group to Var.
type AggBinding struct {
	Var string
	Agg *Aggregate
}

// Aggregate is a set function (§18.5): COUNT, SUM, MIN, MAX, AVG, SAMPLE,
// GROUP_CONCAT. Arg is nil for COUNT(*).
type Aggregate struct {
	Func      string
	Distinct  bool
	Arg       Expr
	Separator string // GROUP_CONCAT; " " by default
}

// Table is inline data (VALUES, §18.2.2.5 / ToMultiSet of data). Each row has
// one entry per variable; a zero Term is UNDEF.
type Table struct {
	Vars []string
	Rows [][]graph.Term
}

// OrderBy sorts the solutions of Input (§15.1, §18.5 OrderBy).
type OrderBy struct {
	Input Op
	Conds []OrderCond
}

// OrderCond is one ORDER BY key.
type OrderCond struct {
	Expr Expr
	Desc bool
}

// Project keeps only Vars of each solution (§18.5, Project).
type Project struct {
	Input Op
	Vars  []string
}

// Distinct removes duplicate solutions (§18.5, Distinct).
type Distinct struct {
	Input Op
}

// Reduced may remove duplicate solutions (§18.5, Reduced).
type Reduced struct {
	Input Op
}

// Slice skips Offset solutions and keeps at most Limit (§18.5, Slice); a
// negative Limit means no limit.
type Slice struct {
	Input  Op
	Offset int64
	Limit  int64
}

// Service evaluates Input at a remote endpoint (SPARQL 1.1 Federated Query).
// Pattern keeps the syntax of the remote group, which is sent as text.
type Service struct {
	Name    Node
	Input   Op
	Pattern ast.Pattern
	Silent  bool
}

// ToMultiSet turns the solution sequence of a sub-select into a multiset for
// use as a pattern (§18.2.4.2, ToMultiSet). It changes nothing at run time but
// marks the sub-query boundary: variables Input does not project are not
// visible outside.
type ToMultiSet struct {
	Input Op
}

func (*BGP) op()        {}
func (*Path) op()       {}
func (*Join) op()       {}
func (*LeftJoin) op()   {}
func (*Filter) op()     {}
func (*Union) op()      {}
func (*Minus) op()      {}
func (*Graph) op()      {}
func (*Extend) op()     {}
func (*Group) op()      {}
func (*Table) op()      {}
func (*OrderBy) op()    {}
func (*Project) op()    {}
func (*Distinct) op()   {}
func (*Reduced) op()    {}
func (*Slice) op()      {}
func (*Service) op()    {}
func (*ToMultiSet) op() {}

// PathExpr is a property path expression (§18.1.7). Implementations:
// *Link, *Inverse, *Seq, *Alt, *ZeroOrOne, *ZeroOrMore, *OneOrMore,
// *NegatedSet.
type PathExpr interface {
	pathExpr()
}

// Link is a single predicate IRI.
type Link struct{ IRI graph.Term }

// Inverse is ^P.
type Inverse struct{ Path PathExpr }

// Seq is P1/P2.
type Seq struct{ L, R PathExpr }

// Alt is P1|P2.
type Alt struct{ L, R PathExpr }

// ZeroOrOne is P?.
type ZeroOrOne struct{ Path PathExpr }

// ZeroOrMore is P*.
type ZeroOrMore struct{ Path PathExpr }

// OneOrMore is P+.
type OneOrMore struct{ Path PathExpr }

// NegatedSet is a negated property set !(...) (§18.2.2.4): Forward lists
// the excluded IRIs of forward steps, Backward those of inverse steps. When
// both are non-empty the path is the alternative of the forward and the
// inverted backward sets.
type NegatedSet struct {
	Forward, Backward []graph.Term
}

func (*Link) pathExpr()       {}
func (*Inverse) pathExpr()    {}
func (*Seq) pathExpr()        {}
func (*Alt) pathExpr()        {}
func (*ZeroOrOne) pathExpr()  {}
func (*ZeroOrMore) pathExpr() {}
func (*OneOrMore) pathExpr()  {}
func (*NegatedSet) pathExpr() {}

// Expr is an expression (§17). Implementations: *Var, *Const, *Binary,
// *Unary, *In, *Call, *FuncCall, *Exists.
type Expr interface {
	expr()
}

// Var is a variable reference.
type Var struct{ Name string }

// Const is a constant term.
type Const struct{ Term graph.Term }

// Binary is X op Y for the binary operators of §17.3.
type Binary struct {
	Op   ast.Op
	X, Y Expr
}

// Unary is !X, +X or -X.
type Unary struct {
	Op ast.Op
	X  Expr
}

// In is X IN (List) or X NOT IN (List) (§17.4.1.9, §17.4.1.10).
type In struct {
	Not  bool
	X    Expr
	List []Expr
}

// Call is a built-in function of §17.4 named by its keyword in upper case
// (BOUND, IF, COALESCE, STR, REGEX, ...).
type Call struct {
	Func string
	Args []Expr
}

// FuncCall is a function named by an IRI: an XSD cast (§17.5) or an
// extension function.
type FuncCall struct {
	IRI  string
	Args []Expr
}

// Exists is EXISTS / NOT EXISTS (§17.4.1.4): whether Op has a solution once
// the current solution is substituted into it.
type Exists struct {
	Not bool
	Op  Op
}

func (*Var) expr()      {}
func (*Const) expr()    {}
func (*Binary) expr()   {}
func (*Unary) expr()    {}
func (*In) expr()       {}
func (*Call) expr()     {}
func (*FuncCall) expr() {}
func (*Exists) expr()   {}

// Form says which query form a Query has.
type Form uint8

// The query forms.
const (
	Select Form = iota + 1
	Construct
	Ask
	Describe
)

// String returns the form's keyword.
func (f Form) String() string {
	switch f {
	case Select:
		return "SELECT"
	case Construct:
		return "CONSTRUCT"
	case Ask:
		return "ASK"
	case Describe:
		return "DESCRIBE"
	}
	return "?"
}

// Query is a translated query: its form, its algebra and what the form
// needs besides the solutions.
type Query struct {
	Form Form
	// Op is the whole algebra expression, solution modifiers included.
	Op Op
	// Vars are the projected variables of a SELECT, in order.
	Vars []string
	// Template holds the triple patterns of a CONSTRUCT. Blank nodes are
	// constants of kind blank: each solution gets fresh ones.
	Template []Triple
	// Describe lists the resources of a DESCRIBE (variables or IRIs);
	// DESCRIBE * lists every projected variable.
	Describe []Node
	// Dataset is the FROM / FROM NAMED clauses, in order.
	Dataset []DatasetClause
	// Base is the base IRI in effect at the end of the prologue, for IRI().
	Base string
	// Ordered reports whether the query has ORDER BY at the top level.
	Ordered bool
}

// DatasetClause is FROM <iri> (Named false) or FROM NAMED <iri>.
type DatasetClause struct {
	Named bool
	IRI   string
}
