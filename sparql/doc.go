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
// sparql/algebra translates the tree to the SPARQL algebra of §18.2 (BGPs
// with the syntax sugar expanded and blank nodes turned into fresh
// variables, Join, LeftJoin, Filter, Union, Minus, Graph, Extend, Group,
// Table, OrderBy, Project, Distinct, Reduced, Slice); algebra.Format
// prints it.
//
// # Optimizer
//
// sparql/optimizer rewrites algebra into an equivalent plan with three
// named passes, each a set of named rules (optimizer.Rule* constants):
//
//	normalise      identity joins out, nested filters merged, FILTER(a && b)
//	               split, constants folded (with the evaluator's own
//	               expression code), constant true/false filters resolved,
//	               GROUP BY before a pattern that only adds a key (a
//	               code's label: grouped first, looked up once per group)
//	push-filters   conditions into UNION branches, the left side of
//	               OPTIONAL and MINUS, below BIND, into GRAPH
//	reorder-joins  each join flattened into steps (triple patterns and
//	               other operators), ordered greedily by estimated
//	               cardinality without cartesian products, conditions
//	               placed right after the step binding their last
//	               variable, and per join: index nested-loop, hash, or
//	               merge (a star of patterns on one subject variable,
//	               led by any BGP binding it: each branch read once in
//	               subject order and intersected); costs calibrated on
//	               badgerstore (a lookup ≈ 24 scanned solutions, a
//	               merge-joined solution ≈ 1)
//
// It sees the data only through optimizer.Catalog: Stats (per-predicate
// quads, distinct subjects and objects) and cheap exact counts of patterns
// with bound terms (optimizer.NewCatalog counts bound-subject patterns
// exactly and bound-object ones up to a cap, cached per query). The
// optimizer's Trace records the rules that fired, the estimate per
// operator, the join algorithms and which BGPs have a fixed order; the
// evaluator reads the last two. Data-driven tests in
// sparql/optimizer/testdata (statistics fixture + query → rules fired +
// printed plan, -update to regenerate) pin its behaviour.
//
// # Evaluator
//
// sparql/eval evaluates the plan as streaming iterators under a
// context.Context. eval.Query optimizes by default (Options.NoOptimize
// turns it off; Options.Stats passes the store's statistics). Joins are
// index nested-loop (the right side is evaluated with each left
// solution substituted) unless the optimizer chose a hash join (the right
// side is evaluated once into a hash table on the shared variables), a
// hash left join (OPTIONAL, its filter applied to each merged solution)
// or a merge join (merge.go: pattern branches as id columns, or the
// store's own subject-sorted slices read in place; a galloping
// intersection). Solutions are rows of term ids (store ids where the
// reader has them), decoded only for expressions, ORDER BY and output.
// Operators that read each solution only until the next (GROUP BY,
// filters, a top-k ORDER BY) let BGPs and merge joins fill one row in
// place (transient.go); a filter over one variable is evaluated once per
// distinct value (memo.go); ORDER BY under LIMIT keeps a bounded heap; a
// union default graph is read in one scan over all graphs. Options.MaxMemory
// bounds what one query holds in hash tables, ORDER BY, DISTINCT, GROUP
// BY, MINUS, sub-query caches and path searches (approximate
// accounting); exceeding it ends
// the query with an error wrapping eval.ErrMemoryLimit, which a server
// maps to HTTP 413 or 507. The row cap and the timeout are the caller's
// (the context).
//
// # EXPLAIN
//
// One call gives a plan:
//
//	plan, err := eval.Explain(ctx, snapshot, query, opts, analyze)
//	fmt.Print(plan)              // text: rules fired, then the indented tree
//	json.NewEncoder(w).Encode(plan) // JSON for ?explain=true
//
// Each operator shows its estimated solutions; with analyze the query is
// run to the end (results discarded) and each operator also shows the
// solutions it actually produced, how many times it ran and the time
// spent in it and its inputs, like PostgreSQL's EXPLAIN ANALYZE. An
// execution error (a memory limit, a timeout) is reported in Plan.Error
// with the plan, since that is when EXPLAIN is wanted.
//
// sparql/results writes solutions as SPARQL JSON, XML, CSV and TSV, and
// graphs of CONSTRUCT/DESCRIBE as RDF.
//
// SERVICE goes through eval.ServiceHandler; sparql/federation implements
// it over HTTP (operator allow-list, bind joins in batches of VALUES) and
// fans live queries out to a federation's members.
//
// # Not yet
//
// Dynamic-programming join order; batch-at-a-time (vectorised)
// evaluation; typed inline ids for dates (a date range filter decodes
// each distinct date once per query).
package sparql
