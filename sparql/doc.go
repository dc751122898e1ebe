// Package sparql is the root of Tessera's SPARQL 1.1 engine. It holds no
// code of its own yet; this comment describes the pipeline its
// sub-packages form.
//
//	query text ──► parser ──► ast ──► algebra ──► optimizer ──► eval ──► results
//	               (syntax)   (tree)  (§18)       (named passes) (streams over store ids)
//
// # What exists
//
// sparql/ast is the positioned syntax tree of SPARQL 1.1 Query and Update.
// It keeps the text's shape (prologue, property lists, [ ] and ( ) sugar,
// paths, modifiers) with every constant already final: IRIs resolved against
// the base, prefixed names expanded, literals typed (xsd:integer, decimal,
// double, boolean). Node interfaces are sealed, so a type switch over a
// node's implementations is exhaustive. ast.Format prints a tree back to
// SPARQL that parses to the same tree; ast.Equal compares trees ignoring
// positions.
//
// sparql/parser turns text into that tree: a hand-written lexer and
// recursive-descent parser for the grammar of Query §19.8 and Update §19,
// plus the static rules the grammar does not express (scope of SELECT
// expressions and BIND, grouping of projections, where aggregates may
// appear, blank-node label scope, no blank nodes in DELETE, no variables in
// DATA blocks, VALUES arity). Errors are *syntax.Error values with file,
// line and column. It passes every syntax test of the W3C SPARQL 1.1 suite.
//
// # Planned shape of the later stages
//
// sparql/algebra translates the tree to the SPARQL algebra of §18.2 (BGPs
// with the syntax sugar expanded and blank nodes turned into fresh
// variables, Join, LeftJoin, Filter, Union, Minus, Graph, Extend, Group,
// Aggregation, ToList/OrderBy/Project/Distinct/Reduced/Slice) and update
// operations to their algebra forms. sparql/optimizer rewrites algebra with
// named passes (normalise, push filters, push graph, reorder joins by store
// statistics). sparql/eval evaluates the plan as streaming iterators over
// store term ids, decoding to terms only at the end, under a
// context.Context; SERVICE calls go through a small handler interface that
// federation implements. sparql/results writes solutions as SPARQL JSON,
// XML, CSV and TSV, and graphs of CONSTRUCT/DESCRIBE as RDF.
package sparql
