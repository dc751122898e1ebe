package schema

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/graphql-go/graphql"
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/schema/model"
	"github.com/tessera-fair/tessera/schema/resource"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// ErrArgument marks a request whose arguments are out of bounds (a page
// larger than the limit, a malformed cursor).
var ErrArgument = errors.New("schema: bad argument")

// page is a parsed first/after or limit/offset pair.
type page struct {
	offset, limit int
}

const cursorPrefix = "tessera:"

// encodeCursor is the opaque cursor of the i-th resource of a list. The
// position is enough because every list has a total, deterministic order.
func encodeCursor(i int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(i)))
}

func decodeCursor(s string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, fmt.Errorf("%w: malformed cursor %q", ErrArgument, s)
	}
	rest, ok := strings.CutPrefix(string(b), cursorPrefix)
	n, err := strconv.Atoi(rest)
	if !ok || err != nil || n < 0 {
		return 0, fmt.Errorf("%w: malformed cursor %q", ErrArgument, s)
	}
	return n, nil
}

func intArg(args map[string]any, name string) (int, bool) {
	switch v := args[name].(type) {
	case int:
		return v, true
	case float64:
		return int(v), true
	}
	return 0, false
}

// parsePage reads first/after/limit/offset. first and limit are the same
// bound (one of them), after and offset the same start (one of them).
func (b *built) parsePage(args map[string]any) (page, error) {
	pg := page{limit: b.opts.DefaultFirst}
	first, hasFirst := intArg(args, "first")
	limit, hasLimit := intArg(args, "limit")
	if hasFirst && hasLimit {
		return pg, fmt.Errorf("%w: give first or limit, not both", ErrArgument)
	}
	if hasLimit {
		first, hasFirst = limit, true
	}
	if hasFirst {
		if first < 0 || first > b.opts.MaxFirst {
			return pg, fmt.Errorf("%w: first/limit must be between 0 and %d, got %d", ErrArgument, b.opts.MaxFirst, first)
		}
		pg.limit = first
	}
	offset, hasOffset := intArg(args, "offset")
	after, hasAfter := args["after"].(string)
	if hasOffset && hasAfter {
		return pg, fmt.Errorf("%w: give after or offset, not both", ErrArgument)
	}
	if hasOffset {
		if offset < 0 {
			return pg, fmt.Errorf("%w: offset must not be negative", ErrArgument)
		}
		pg.offset = offset
	}
	if hasAfter {
		n, err := decodeCursor(after)
		if err != nil {
			return pg, err
		}
		pg.offset = n + 1
	}
	return pg, nil
}

// canonical is a stable text of arguments (map keys sorted by
// encoding/json), to recognise the same nested list asked by many parents.
func canonical(args map[string]any) string {
	b, err := json.Marshal(args)
	if err != nil {
		return fmt.Sprint(args)
	}
	return string(b)
}

// resolveValues serves a scalar field (or types) from the batch loader.
func (b *built) resolveValues(fi *fieldInfo, scalar string, single bool) graphql.FieldResolveFn {
	return batched(fi, func(p graphql.ResolveParams, vals []graph.Term) (any, error) {
		if single {
			for _, v := range vals {
				if x := convert(scalar, v); x != nil {
					return x, nil
				}
			}
			return nil, nil
		}
		out := make([]any, 0, len(vals))
		for _, v := range vals {
			if x := convert(scalar, v); x != nil {
				out = append(out, x)
			}
		}
		return out, nil
	})
}

func (b *built) resolveLang(fi *fieldInfo, single bool) graphql.FieldResolveFn {
	return batched(fi, func(p graphql.ResolveParams, vals []graph.Term) (any, error) {
		lang, _ := p.Args["lang"].(string)
		best := bestLang(vals, lang, b.opts.DefaultLang)
		if single {
			if len(best) == 0 {
				return nil, nil
			}
			return best[0].Value(), nil
		}
		out := make([]any, len(best))
		for i, t := range best {
			out[i] = t.Value()
		}
		return out, nil
	})
}

func (b *built) resolveLangs(fi *fieldInfo) graphql.FieldResolveFn {
	return batched(fi, func(p graphql.ResolveParams, vals []graph.Term) (any, error) {
		out := make([]any, 0, len(vals))
		for _, v := range vals {
			if v.IsLiteral() {
				out = append(out, v)
			}
		}
		return out, nil
	})
}

// resolveNodes serves single object fields and concept references.
func (b *built) resolveNodes(fi *fieldInfo, single bool) graphql.FieldResolveFn {
	literals := fi.f.Kind == model.Reference
	return batched(fi, func(p graphql.ResolveParams, vals []graph.Term) (any, error) {
		var out []any
		for _, v := range vals {
			if v.IsLiteral() && !literals {
				continue
			}
			out = append(out, resource.Node{Term: v})
			if single {
				return out[0], nil
			}
		}
		if single {
			return nil, nil
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	})
}

// resolveNested serves a list-valued object field as a connection: the
// lists of every parent at this level come from one query.
func (b *built) resolveNested(fi *fieldInfo, target *typeInfo) graphql.FieldResolveFn {
	return safe(func(p graphql.ResolveParams) (any, error) {
		st, err := stateOf(p.Context)
		if err != nil {
			return nil, err
		}
		n, ok := nodeOf(p.Source)
		if !ok {
			return nil, nil
		}
		if _, err := b.parsePage(p.Args); err != nil {
			return nil, err
		}
		req, err := st.wantNested(fi, target, p.Args, n.Term)
		if err != nil {
			return nil, err
		}
		return thunk(func() (any, error) { return st.nestedConn(req, n.Term) }), nil
	})
}

// resolveList serves a root list: one query for the page (one more row
// than asked, for hasNextPage) and, only when totalCount is read, one count.
func (b *built) resolveList(ti *typeInfo) graphql.FieldResolveFn {
	return safe(func(p graphql.ResolveParams) (any, error) {
		st, err := stateOf(p.Context)
		if err != nil {
			return nil, err
		}
		pg, err := b.parsePage(p.Args)
		if err != nil {
			return nil, err
		}
		c := st.compiler()
		base := st.typePattern(c, ti, "s")
		op, vars, err := st.listOp(c, ti, base, nil, p.Args)
		if err != nil {
			return nil, err
		}
		rows, err := st.selectRows(&algebra.Slice{Input: op, Offset: int64(pg.offset), Limit: int64(pg.limit) + 1}, vars, c.records)
		if err != nil {
			return nil, err
		}
		conn := &connection{offset: pg.offset}
		for i, row := range rows {
			if i == pg.limit {
				conn.hasNext = true
				break
			}
			conn.nodes = append(conn.nodes, resource.Node{Term: row[0]})
		}
		conn.totalFn = func() (int, error) {
			if !conn.hasNext && (len(conn.nodes) > 0 || pg.offset == 0) {
				return pg.offset + len(conn.nodes), nil
			}
			cc := st.compiler()
			cb := st.typePattern(cc, ti, "s")
			cop, err := cc.filtered(ti, cb, p.Args)
			if err != nil {
				return 0, err
			}
			cop = &algebra.Group{Input: &algebra.Distinct{Input: &algebra.Project{Input: cop, Vars: []string{"s"}}},
				Aggs: []algebra.AggBinding{{Var: "n", Agg: &algebra.Aggregate{Func: "COUNT"}}}}
			rows, err := st.selectRows(cop, []string{"n"}, cc.records)
			if err != nil {
				return 0, err
			}
			if len(rows) == 0 {
				return 0, nil
			}
			n, err := strconv.Atoi(rows[0][0].Value())
			if err != nil {
				return 0, fmt.Errorf("count: %w", err)
			}
			return n, nil
		}
		return conn, nil
	})
}

// resolveGet serves a root getter: the resource if it is an instance of
// the type (in a visible graph, for record types).
func (b *built) resolveGet(ti *typeInfo) graphql.FieldResolveFn {
	return safe(func(p graphql.ResolveParams) (any, error) {
		st, err := stateOf(p.Context)
		if err != nil {
			return nil, err
		}
		id, _ := p.Args["id"].(string)
		if id == "" {
			return nil, nil
		}
		t := idTerm(id)
		c := st.compiler()
		op := &algebra.Slice{Input: &algebra.Join{
			L: &algebra.Table{Vars: []string{"s"}, Rows: [][]graph.Term{{t}}},
			R: st.typePattern(c, ti, "s"),
		}, Limit: 1}
		rows, err := st.selectRows(op, []string{"s"}, c.records)
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return nil, nil
		}
		return resource.Node{Term: t}, nil
	})
}

// resolveNode serves node(id): the resource's rdf:type classes pick the
// generated type (the first, in name order, whose classes include one of
// them); a record type must be visible to the caller.
func (b *built) resolveNode() graphql.FieldResolveFn {
	return safe(func(p graphql.ResolveParams) (any, error) {
		st, err := stateOf(p.Context)
		if err != nil {
			return nil, err
		}
		id, _ := p.Args["id"].(string)
		if id == "" {
			return nil, nil
		}
		t := idTerm(id)
		rows, err := st.selectRows(&algebra.BGP{Triples: []algebra.Triple{{S: algebra.T(t), P: algebra.T(graph.IRI(rdfType)), O: algebra.V("c")}}}, []string{"c"}, false)
		if err != nil {
			return nil, err
		}
		has := map[graph.Term]bool{}
		for _, r := range rows {
			has[r[0]] = true
		}
		for _, mt := range b.model.Types {
			ti := b.types[mt.Name]
			if ti == nil || !slices.ContainsFunc(st.classes(ti), func(c graph.Term) bool { return has[c] }) {
				continue
			}
			if ti.record {
				c := st.compiler()
				op := &algebra.Slice{Input: &algebra.Join{
					L: &algebra.Table{Vars: []string{"s"}, Rows: [][]graph.Term{{t}}},
					R: st.typePattern(c, ti, "s"),
				}, Limit: 1}
				vis, err := st.selectRows(op, []string{"s"}, true)
				if err != nil {
					return nil, err
				}
				if len(vis) == 0 {
					continue
				}
			}
			return typedNode{Node: resource.Node{Term: t}, obj: ti.obj}, nil
		}
		return nil, nil
	})
}
