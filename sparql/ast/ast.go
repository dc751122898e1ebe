// Package ast is the positioned syntax tree of SPARQL 1.1 Query and Update
// (https://www.w3.org/TR/sparql11-query/#grammar,
// https://www.w3.org/TR/sparql11-update/#grammar), as produced by
// sparql/parser and read by the algebra translator.
//
// The tree keeps the shape of the text: property lists, `[ ... ]` blank-node
// property lists and `( ... )` collections stay as written (the algebra
// translator expands them), and the prologue (BASE/PREFIX) is kept in order so
// that Format can print it back. Constants are graph.Term values that are
// already final: IRIs resolved against the base, prefixed names expanded,
// literals carrying their datatype (xsd:integer/decimal/double for numbers,
// xsd:boolean for true/false).
//
// Every node records where it starts (Pos). The node interfaces Expr,
// Pattern, TermNode, Path, QueryForm and Operation are sealed by unexported
// marker methods, so a type switch over the types listed in each interface's
// comment is exhaustive.
package ast

import (
	"fmt"

	"github.com/tessera-fair/tessera/graph"
)

// Pos is the place in the source text where a node starts. Line and Column
// count from 1 (Column in Unicode code points, as syntax.Error does); Offset
// is the byte offset from 0. The zero Pos means "no position" (nodes built by
// program rather than parsed).
type Pos struct {
	Offset, Line, Column int
}

// Position returns p. Every node embeds a Pos, so every node has this method.
func (p Pos) Position() Pos { return p }

// String returns "line:column".
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// Node is any node of the tree.
type Node interface {
	Position() Pos
}

// Expr is an expression (§17). Implementations: *Var, *Term, *Binary,
// *Unary, *In, *Call, *FuncCall, *Exists, *Aggregate.
type Expr interface {
	Node
	exprNode()
}

// Pattern is an element of a group graph pattern (§18.2.2). Implementations:
// *Group, *SubSelect, *TriplesBlock, *Optional, *Minus, *Union, *Graph,
// *Service, *Filter, *Bind, *Values.
type Pattern interface {
	Node
	patternNode()
}

// TermNode is a node in a subject or object position of a triple (the
// grammar's GraphNode / VarOrTerm). Implementations: *Var, *Term, *BlankNode,
// *BlankNodePropertyList, *Collection.
type TermNode interface {
	Node
	termNode()
}

// Path is the verb of a triple: a plain predicate or a property path (§9).
// Implementations: *Var (only as a whole verb), *Term (an IRI), *PathAlt,
// *PathSeq, *PathInverse, *PathMod, *PathNegated.
type Path interface {
	Node
	pathNode()
}

// QueryForm is the form of a query. Implementations: *Select, *Construct,
// *Ask, *Describe.
type QueryForm interface {
	Node
	formNode()
}

// Operation is one update operation (SPARQL 1.1 Update §3). Implementations:
// *InsertData, *DeleteData, *DeleteWhere, *Modify, *Load, *Clear, *Drop,
// *Create, *Transfer.
type Operation interface {
	Node
	operationNode()
}

// Decl is one BASE or PREFIX declaration of a prologue. IRI is the resolved
// namespace (for BASE: the new base IRI).
type Decl struct {
	Pos
	Base   bool   // BASE rather than PREFIX
	Prefix string // without the colon; "" for the default prefix
	IRI    string
}

// Query is a SPARQL query: prologue, form, dataset, WHERE, solution
// modifiers and the trailing VALUES block.
type Query struct {
	Pos
	Prologue []*Decl
	Form     QueryForm
	Dataset  []*DatasetClause
	// Where is the query pattern, a *Group; nil only for a DESCRIBE without
	// WHERE.
	Where Pattern
	Modifiers
	// Values is the trailing VALUES clause, or nil.
	Values *Values
}

// DatasetClause is FROM <iri> or FROM NAMED <iri> (and USING [NAMED] in
// updates).
type DatasetClause struct {
	Pos
	Named bool
	IRI   string
}

// Modifiers are the solution modifiers (§15) shared by queries and
// sub-selects.
type Modifiers struct {
	GroupBy []*GroupCondition
	Having  []Expr
	OrderBy []*OrderCondition
	// Limit and Offset are nil when absent.
	Limit, Offset *int64
}

// GroupCondition is one GROUP BY key: an expression, optionally bound to a
// variable with AS.
type GroupCondition struct {
	Pos
	Expr Expr
	Var  *Var // nil without AS
}

// OrderCondition is one ORDER BY key.
type OrderCondition struct {
	Pos
	Expr Expr
	Desc bool
}

// Select is the SELECT clause of a query or sub-select.
type Select struct {
	Pos
	Distinct, Reduced bool
	Star              bool // SELECT *: Items is empty
	Items             []*SelectItem
}

// SelectItem is a projected variable, or (Expr AS Var).
type SelectItem struct {
	Pos
	Var  *Var
	Expr Expr // nil for a plain variable
}

// Construct is the CONSTRUCT form. For the short form (CONSTRUCT WHERE { T })
// Short is true and Template holds the same triples as the WHERE group.
type Construct struct {
	Pos
	Template []*Triples
	Short    bool
}

// Ask is the ASK form.
type Ask struct {
	Pos
}

// Describe is the DESCRIBE form: * or a list of variables and IRIs (*Var
// and *Term).
type Describe struct {
	Pos
	Star    bool
	Targets []TermNode
}

// Group is a group graph pattern `{ ... }`: its elements in order.
type Group struct {
	Pos
	Elems []Pattern
}

// SubSelect is a sub-query `{ SELECT ... }`.
type SubSelect struct {
	Pos
	Select *Select
	Where  Pattern // a *Group
	Modifiers
	Values *Values
}

// TriplesBlock is a run of triple patterns (the grammar's TriplesBlock).
type TriplesBlock struct {
	Pos
	Triples []*Triples
}

// Triples is a subject with its property list (TriplesSameSubject[Path]).
// Props is empty only when Subject is a *BlankNodePropertyList or a
// *Collection standing alone (`[ :p :o ] .`).
type Triples struct {
	Pos
	Subject TermNode
	Props   []*Property
}

// Property is one verb with its objects (`:p :o1, :o2`).
type Property struct {
	Pos
	Verb    Path
	Objects []TermNode
}

// Optional is OPTIONAL { ... }.
type Optional struct {
	Pos
	Pattern Pattern
}

// Minus is MINUS { ... }.
type Minus struct {
	Pos
	Pattern Pattern
}

// Union is { ... } UNION { ... } [UNION ...]: at least two patterns, each a
// *Group or *SubSelect.
type Union struct {
	Pos
	Patterns []Pattern
}

// Graph is GRAPH name { ... }; Name is a *Var or an IRI *Term.
type Graph struct {
	Pos
	Name    TermNode
	Pattern Pattern
}

// Service is SERVICE [SILENT] name { ... } (SPARQL 1.1 Federated Query).
type Service struct {
	Pos
	Silent  bool
	Name    TermNode // *Var or IRI *Term
	Pattern Pattern
}

// Filter is FILTER constraint.
type Filter struct {
	Pos
	Expr Expr
}

// Bind is BIND (expr AS ?var).
type Bind struct {
	Pos
	Expr Expr
	Var  *Var
}

// Values is an inline data block (VALUES, §10.2), in a group or after a
// query. Each row has len(Vars) entries; a nil entry is UNDEF.
type Values struct {
	Pos
	Vars []*Var
	Rows [][]*Term
}

// Var is a variable (?x or $x; Name has no sigil).
type Var struct {
	Pos
	Name string
}

// Term is a constant: an IRI or a literal. (Blank nodes are *BlankNode.)
type Term struct {
	Pos
	Value graph.Term
}

// BlankNode is a labelled blank node `_:label`. In query patterns it acts as
// an undistinguished variable; in templates and INSERT DATA it stands for a
// fresh blank node per solution or per request.
type BlankNode struct {
	Pos
	Label string
}

// BlankNodePropertyList is `[ props ]`; with no Props it is the anonymous
// blank node `[]`.
type BlankNodePropertyList struct {
	Pos
	Props []*Property
}

// Collection is an RDF collection `( item ... )` with at least one item (the
// empty collection `()` is the IRI rdf:nil, a *Term).
type Collection struct {
	Pos
	Items []TermNode
}

// PathAlt is path1 | path2 | ... (at least two).
type PathAlt struct {
	Pos
	Paths []Path
}

// PathSeq is path1 / path2 / ... (at least two).
type PathSeq struct {
	Pos
	Paths []Path
}

// PathInverse is ^path.
type PathInverse struct {
	Pos
	Path Path
}

// PathMod is path*, path+ or path?; Mod is '*', '+' or '?'.
type PathMod struct {
	Pos
	Path Path
	Mod  byte
}

// PathNegated is a negated property set !iri, !^iri or !(iri | ^iri | ...).
type PathNegated struct {
	Pos
	Items []NegatedItem
}

// NegatedItem is one member of a negated property set.
type NegatedItem struct {
	Inverse bool
	IRI     string
}

// Op is an operator of Binary and Unary expressions.
type Op uint8

// The operators, from §17.3. OpNot, OpPlus and OpMinus are unary.
const (
	OpOr    Op = iota + 1 // ||
	OpAnd                 // &&
	OpEq                  // =
	OpNe                  // !=
	OpLt                  // <
	OpGt                  // >
	OpLe                  // <=
	OpGe                  // >=
	OpAdd                 // binary +
	OpSub                 // binary -
	OpMul                 // *
	OpDiv                 // /
	OpNot                 // unary !
	OpPlus                // unary +
	OpMinus               // unary -
)

var opText = [...]string{"", "||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "!", "+", "-"}

// String returns the operator as written in SPARQL.
func (o Op) String() string {
	if int(o) < len(opText) {
		return opText[o]
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// Binary is X op Y.
type Binary struct {
	Pos
	Op   Op
	X, Y Expr
}

// Unary is op X (!, unary + or unary -).
type Unary struct {
	Pos
	Op Op
	X  Expr
}

// In is X IN (list) or X NOT IN (list).
type In struct {
	Pos
	Not  bool
	X    Expr
	List []Expr
}

// Call is a call of a built-in function of §17.4 (the grammar's BuiltInCall
// other than aggregates and EXISTS). Func is the keyword in upper case
// ("STR", "REGEX", "BOUND", "IF", "COALESCE", "NOW", ...).
type Call struct {
	Pos
	Func string
	Args []Expr
}

// FuncCall is a call of a function named by an IRI, such as an XSD cast
// `xsd:integer(?x)` or an extension function. Distinct is set by
// `f(DISTINCT ...)`, which the grammar allows for custom aggregates.
type FuncCall struct {
	Pos
	IRI      string
	Distinct bool
	Args     []Expr
}

// Exists is EXISTS { ... } or NOT EXISTS { ... }.
type Exists struct {
	Pos
	Not     bool
	Pattern Pattern
}

// Aggregate is a set function (§18.5): COUNT, SUM, MIN, MAX, AVG, SAMPLE or
// GROUP_CONCAT (Func, upper case). Star is COUNT(*), with Arg nil.
// Separator is GROUP_CONCAT's SEPARATOR, when HasSeparator.
type Aggregate struct {
	Pos
	Func         string
	Distinct     bool
	Star         bool
	Arg          Expr
	HasSeparator bool
	Separator    string
}

// Update is an update request: a sequence of steps separated by `;`.
type Update struct {
	Pos
	Steps []*Step
}

// Step is one operation with the prologue written before it. Op is nil for
// a prologue at the end of the request (or an empty request).
type Step struct {
	Pos
	Prologue []*Decl
	Op       Operation
}

// QuadTemplate is the braces of INSERT DATA, DELETE DATA, DELETE WHERE and
// the DELETE/INSERT templates of Modify: triples in the default graph and
// GRAPH blocks, in order.
type QuadTemplate struct {
	Pos
	Blocks []*QuadBlock
}

// QuadBlock is a run of triples in one graph: Graph is nil for the default
// graph (or the WITH graph), else a *Var or IRI *Term.
type QuadBlock struct {
	Pos
	Graph   TermNode
	Triples []*Triples
}

// InsertData is INSERT DATA { quads }.
type InsertData struct {
	Pos
	Data *QuadTemplate
}

// DeleteData is DELETE DATA { quads }.
type DeleteData struct {
	Pos
	Data *QuadTemplate
}

// DeleteWhere is DELETE WHERE { quads }.
type DeleteWhere struct {
	Pos
	Pattern *QuadTemplate
}

// Modify is [WITH iri] DELETE {..} INSERT {..} USING ... WHERE {..}. Delete
// or Insert is nil when its clause is absent (at least one is present).
type Modify struct {
	Pos
	With   string // "" when absent
	Delete *QuadTemplate
	Insert *QuadTemplate
	Using  []*DatasetClause
	Where  Pattern // a *Group
}

// Load is LOAD [SILENT] iri [INTO GRAPH iri].
type Load struct {
	Pos
	Silent bool
	Source string
	Into   string // "" loads into the default graph
}

// TargetKind says which graphs a GraphTarget names.
type TargetKind uint8

// The graph targets of CLEAR, DROP, ADD, MOVE and COPY.
const (
	TargetGraph   TargetKind = iota + 1 // GRAPH iri (or iri alone in ADD/MOVE/COPY)
	TargetDefault                       // DEFAULT
	TargetNamed                         // NAMED: every named graph
	TargetAll                           // ALL: every graph
)

// GraphTarget is the graph operand of a graph-management operation.
type GraphTarget struct {
	Kind TargetKind
	IRI  string // for TargetGraph
}

// Clear is CLEAR [SILENT] target.
type Clear struct {
	Pos
	Silent bool
	Target GraphTarget
}

// Drop is DROP [SILENT] target.
type Drop struct {
	Pos
	Silent bool
	Target GraphTarget
}

// Create is CREATE [SILENT] GRAPH iri.
type Create struct {
	Pos
	Silent bool
	Graph  string
}

// TransferKind is ADD, MOVE or COPY.
type TransferKind uint8

// The graph-to-graph operations.
const (
	Add TransferKind = iota + 1
	Move
	Copy
)

// String returns the keyword.
func (k TransferKind) String() string {
	switch k {
	case Add:
		return "ADD"
	case Move:
		return "MOVE"
	case Copy:
		return "COPY"
	}
	return fmt.Sprintf("TransferKind(%d)", uint8(k))
}

// Transfer is ADD, MOVE or COPY [SILENT] from TO to; From and To are
// TargetDefault or TargetGraph.
type Transfer struct {
	Pos
	Kind     TransferKind
	Silent   bool
	From, To GraphTarget
}

func (*Var) exprNode()       {}
func (*Term) exprNode()      {}
func (*Binary) exprNode()    {}
func (*Unary) exprNode()     {}
func (*In) exprNode()        {}
func (*Call) exprNode()      {}
func (*FuncCall) exprNode()  {}
func (*Exists) exprNode()    {}
func (*Aggregate) exprNode() {}

func (*Group) patternNode()        {}
func (*SubSelect) patternNode()    {}
func (*TriplesBlock) patternNode() {}
func (*Optional) patternNode()     {}
func (*Minus) patternNode()        {}
func (*Union) patternNode()        {}
func (*Graph) patternNode()        {}
func (*Service) patternNode()      {}
func (*Filter) patternNode()       {}
func (*Bind) patternNode()         {}
func (*Values) patternNode()       {}

func (*Var) termNode()                   {}
func (*Term) termNode()                  {}
func (*BlankNode) termNode()             {}
func (*BlankNodePropertyList) termNode() {}
func (*Collection) termNode()            {}

func (*Var) pathNode()         {}
func (*Term) pathNode()        {}
func (*PathAlt) pathNode()     {}
func (*PathSeq) pathNode()     {}
func (*PathInverse) pathNode() {}
func (*PathMod) pathNode()     {}
func (*PathNegated) pathNode() {}

func (*Select) formNode()    {}
func (*Construct) formNode() {}
func (*Ask) formNode()       {}
func (*Describe) formNode()  {}

func (*InsertData) operationNode()  {}
func (*DeleteData) operationNode()  {}
func (*DeleteWhere) operationNode() {}
func (*Modify) operationNode()      {}
func (*Load) operationNode()        {}
func (*Clear) operationNode()       {}
func (*Drop) operationNode()        {}
func (*Create) operationNode()      {}
func (*Transfer) operationNode()    {}
