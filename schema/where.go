package schema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/graphql-go/graphql"
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/ontology"
	"github.com/tessera-fair/tessera/schema/model"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/ast"
)

// filterInputs holds one comparison input per scalar, shared by every
// where input of a schema.
var filterInputs = func() map[string]*graphql.InputObject {
	m := map[string]*graphql.InputObject{}
	ordered := func(name string, t graphql.Input, desc string) *graphql.InputObject {
		return graphql.NewInputObject(graphql.InputObjectConfig{
			Name:        name,
			Description: desc,
			Fields: graphql.InputObjectConfigFieldMap{
				"eq":  {Type: t, Description: "Some value equals this."},
				"ne":  {Type: t, Description: "No value equals this."},
				"in":  {Type: graphql.NewList(graphql.NewNonNull(t)), Description: "Some value is one of these."},
				"lt":  {Type: t, Description: "Some value is less than this."},
				"lte": {Type: t, Description: "Some value is less than or equal to this."},
				"gt":  {Type: t, Description: "Some value is greater than this."},
				"gte": {Type: t, Description: "Some value is greater than or equal to this."},
			},
		})
	}
	m["Int"] = ordered("IntFilter", graphql.Int, "Comparisons of an Int field; all given comparisons must hold for the same value.")
	m["Long"] = ordered("LongFilter", Long, "Comparisons of a Long field; all given comparisons must hold for the same value.")
	m["Float"] = ordered("FloatFilter", graphql.Float, "Comparisons of a Float field; all given comparisons must hold for the same value.")
	m["Date"] = ordered("DateFilter", Date, "Comparisons of a Date field (chronological); all given comparisons must hold for the same value.")
	m["DateTime"] = ordered("DateTimeFilter", DateTime, "Comparisons of a DateTime field (chronological); all given comparisons must hold for the same value.")
	str := func(name, desc string, lang bool) *graphql.InputObject {
		f := graphql.InputObjectConfigFieldMap{
			"eq":              {Type: graphql.String, Description: "Some value equals this."},
			"ne":              {Type: graphql.String, Description: "No value equals this."},
			"in":              {Type: graphql.NewList(graphql.NewNonNull(graphql.String)), Description: "Some value is one of these."},
			"lt":              {Type: graphql.String, Description: "Some value sorts before this (code point order)."},
			"lte":             {Type: graphql.String, Description: "Some value sorts before or equals this."},
			"gt":              {Type: graphql.String, Description: "Some value sorts after this."},
			"gte":             {Type: graphql.String, Description: "Some value sorts after or equals this."},
			"contains":        {Type: graphql.String, Description: "Some value contains this substring."},
			"regex":           {Type: graphql.String, Description: "Some value matches this XPath regular expression (SPARQL REGEX)."},
			"caseInsensitive": {Type: graphql.Boolean, DefaultValue: false, Description: "Make eq, ne, in, contains and regex ignore case."},
		}
		if lang {
			f["lang"] = &graphql.InputObjectFieldConfig{Type: graphql.String, Description: "Only values with this language tag (or a tag it is a prefix of)."}
		}
		return graphql.NewInputObject(graphql.InputObjectConfig{Name: name, Description: desc, Fields: f})
	}
	m["String"] = str("StringFilter", "Comparisons of a String field; all given comparisons must hold for the same value.", false)
	m["LangString"] = str("LangStringFilter", "Comparisons of a language-tagged String field; all given comparisons must hold for the same value.", true)
	m["Boolean"] = graphql.NewInputObject(graphql.InputObjectConfig{Name: "BooleanFilter", Description: "Comparisons of a Boolean field.",
		Fields: graphql.InputObjectConfigFieldMap{
			"eq": {Type: graphql.Boolean, Description: "Some value equals this."},
			"ne": {Type: graphql.Boolean, Description: "No value equals this."},
		}})
	m["ID"] = graphql.NewInputObject(graphql.InputObjectConfig{Name: "IDFilter", Description: "Comparisons of an IRI.",
		Fields: graphql.InputObjectConfigFieldMap{
			"eq": {Type: graphql.ID, Description: "Some value is this IRI."},
			"ne": {Type: graphql.ID, Description: "No value is this IRI."},
			"in": {Type: graphql.NewList(graphql.NewNonNull(graphql.ID)), Description: "Some value is one of these IRIs."},
		}})
	m["Concept"] = graphql.NewInputObject(graphql.InputObjectConfig{Name: "ConceptFilter",
		Description: "Matches concept-valued fields through the ontology: a concept matches itself, every narrower concept or subclass and every equivalent code (skos:exactMatch, owl:equivalentClass, namespace aliases), as GA4GH Beacon's ontology filters do.",
		Fields: graphql.InputObjectConfigFieldMap{
			"eq":                 {Type: graphql.ID, Description: "Some value is this concept (or below it)."},
			"in":                 {Type: graphql.NewList(graphql.NewNonNull(graphql.ID)), Description: "Some value is one of these concepts (or below one)."},
			"ne":                 {Type: graphql.ID, Description: "No value is this concept (or below it)."},
			"includeDescendants": {Type: graphql.Boolean, DefaultValue: true, Description: "Also match descendants and equivalents (default true); false matches the given IRIs only."},
		}})
	return m
}()

func filterFor(f *model.Field) *graphql.InputObject {
	switch f.Kind {
	case model.LangString:
		return filterInputs["LangString"]
	case model.Reference:
		return filterInputs["Concept"]
	}
	if in, ok := filterInputs[f.Scalar]; ok {
		return in
	}
	return filterInputs["String"]
}

func (b *built) newInputs(ti *typeInfo) {
	ti.where = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        ti.t.Name + "Where",
		Description: "Conditions on " + ti.t.Name + " resources. All given fields must hold (AND). A condition on a field holds when some value of the field satisfies it; a condition on an object field holds when some related object matches.",
		Fields: graphql.InputObjectConfigFieldMapThunk(func() graphql.InputObjectConfigFieldMap {
			fs := graphql.InputObjectConfigFieldMap{
				"and": {Type: graphql.NewList(graphql.NewNonNull(ti.where)), Description: "All of these hold."},
				"or":  {Type: graphql.NewList(graphql.NewNonNull(ti.where)), Description: "At least one of these holds."},
				"not": {Type: ti.where, Description: "This does not hold."},
				"id":  {Type: filterInputs["ID"], Description: "The resource's own IRI."},
			}
			for _, f := range ti.t.Fields {
				if f == nil || f.Name == "id" || f.Name == "and" || f.Name == "or" || f.Name == "not" {
					continue
				}
				if f.Kind == model.Object {
					if target := b.types[f.Target]; target != nil {
						fs[f.Name] = &graphql.InputObjectFieldConfig{Type: target.where, Description: "Some related " + f.Target + " matches."}
					}
					continue
				}
				if f.Name == "types" {
					fs[f.Name] = &graphql.InputObjectFieldConfig{Type: filterInputs["Concept"], Description: "Some rdf:type is this class (or a subclass)."}
					continue
				}
				fs[f.Name] = &graphql.InputObjectFieldConfig{Type: filterFor(f), Description: f.Description}
			}
			if _, ok := fs["types"]; !ok {
				fs["types"] = &graphql.InputObjectFieldConfig{Type: filterInputs["Concept"], Description: "Some rdf:type is this class (or a subclass)."}
			}
			return fs
		}),
	})
	ti.order = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        ti.t.Name + "OrderBy",
		Description: "One sort key: set exactly one field. A field with several values sorts by its smallest (ASC) or largest (DESC) value.",
		Fields: graphql.InputObjectConfigFieldMapThunk(func() graphql.InputObjectConfigFieldMap {
			fs := graphql.InputObjectConfigFieldMap{"id": {Type: orderDirection}}
			for _, f := range ti.t.Fields {
				if f == nil || f.Name == "id" || f.Name == "types" {
					continue
				}
				if f.Kind == model.Scalar || f.Kind == model.LangString || f.Kind == model.Reference {
					fs[f.Name] = &graphql.InputObjectFieldConfig{Type: orderDirection}
				}
			}
			return fs
		}),
	})
}

// compiler turns where arguments into SPARQL expressions. It invents
// variable names (?_w1, ?_w2, ...) that cannot clash with each other.
type compiler struct {
	b   *built
	st  *reqState
	ont *ontology.Ontology
	n   int
	// records is set once the query touches a record-level type or field.
	records bool
}

func (c *compiler) fresh(prefix string) string {
	c.n++
	return prefix + strconv.Itoa(c.n)
}

// whereExpr compiles a where input on the resource in variable s.
func (c *compiler) whereExpr(ti *typeInfo, s string, w map[string]any) (algebra.Expr, error) {
	var conj []algebra.Expr
	keys := make([]string, 0, len(w))
	for k := range w {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := w[k]
		if v == nil {
			continue
		}
		var e algebra.Expr
		var err error
		switch k {
		case "and", "or":
			list, _ := v.([]any)
			var parts []algebra.Expr
			for _, item := range list {
				m, _ := item.(map[string]any)
				pe, err := c.whereExpr(ti, s, m)
				if err != nil {
					return nil, err
				}
				parts = append(parts, pe)
			}
			if k == "and" {
				e = joinExprs(ast.OpAnd, parts, true)
			} else {
				e = joinExprs(ast.OpOr, parts, false)
			}
		case "not":
			m, _ := v.(map[string]any)
			inner, err := c.whereExpr(ti, s, m)
			if err != nil {
				return nil, err
			}
			e = &algebra.Unary{Op: ast.OpNot, X: inner}
		case "id":
			m, _ := v.(map[string]any)
			e, err = c.idExpr(&algebra.Var{Name: s}, m)
		case "types":
			m, _ := v.(map[string]any)
			e, err = c.conceptExpr(ti.types, s, m)
		default:
			fi := ti.fields[k]
			if fi == nil {
				return nil, fmt.Errorf("where: unknown field %s of %s", k, ti.t.Name)
			}
			m, _ := v.(map[string]any)
			switch fi.f.Kind {
			case model.Object:
				e, err = c.nestedExpr(fi, s, m)
			case model.Reference:
				e, err = c.conceptExpr(fi, s, m)
			default:
				e, err = c.valueExpr(fi, s, m)
			}
		}
		if err != nil {
			return nil, err
		}
		if e != nil {
			conj = append(conj, e)
		}
	}
	return joinExprs(ast.OpAnd, conj, true), nil
}

var (
	trueExpr  = &algebra.Const{Term: graph.Literal("true", graph.XSDBoolean)}
	falseExpr = &algebra.Const{Term: graph.Literal("false", graph.XSDBoolean)}
)

// joinExprs folds es with op; an empty list is the identity (true for AND,
// false for OR).
func joinExprs(op ast.Op, es []algebra.Expr, empty bool) algebra.Expr {
	if len(es) == 0 {
		if empty {
			return trueExpr
		}
		return falseExpr
	}
	out := es[0]
	for _, e := range es[1:] {
		out = &algebra.Binary{Op: op, X: out, Y: e}
	}
	return out
}

// exists is EXISTS { s path ?v FILTER(cond) } evaluated against the graphs
// the field may read.
func (c *compiler) exists(fi *fieldInfo, s string, cond func(v algebra.Expr) (algebra.Expr, error), not bool) (algebra.Expr, error) {
	v := c.fresh("_w")
	op := c.st.valuePattern(c, fi, s, v)
	if cond != nil {
		e, err := cond(&algebra.Var{Name: v})
		if err != nil {
			return nil, err
		}
		if e != nil {
			op = &algebra.Filter{Exprs: []algebra.Expr{e}, Input: op}
		}
	}
	return &algebra.Exists{Not: not, Op: op}, nil
}

// useRecords marks the query as touching record-level data: it runs over
// the caller's visible graphs only (see visibleReader).
func (c *compiler) useRecords(record bool) {
	if record {
		c.records = true
	}
}

func (c *compiler) idExpr(x algebra.Expr, m map[string]any) (algebra.Expr, error) {
	var es []algebra.Expr
	if v, ok := m["eq"].(string); ok {
		es = append(es, &algebra.Binary{Op: ast.OpEq, X: x, Y: &algebra.Const{Term: idTerm(v)}})
	}
	if v, ok := m["ne"].(string); ok {
		es = append(es, &algebra.Binary{Op: ast.OpNe, X: x, Y: &algebra.Const{Term: idTerm(v)}})
	}
	if list, ok := m["in"].([]any); ok {
		var in []algebra.Expr
		for _, item := range list {
			if s, ok := item.(string); ok {
				in = append(in, &algebra.Const{Term: idTerm(s)})
			}
		}
		es = append(es, &algebra.In{X: x, List: in})
	}
	return joinExprs(ast.OpAnd, es, true), nil
}

// conceptSet expands concept IRIs through the ontology.
func (c *compiler) conceptSet(ids []string, descendants bool) []algebra.Expr {
	seen := map[graph.Term]bool{}
	var out []algebra.Expr
	for _, id := range ids {
		t := idTerm(id)
		terms := []graph.Term{t}
		if descendants && c.ont != nil {
			terms = c.ont.Descendants(t, true)
		}
		for _, x := range terms {
			if !seen[x] {
				seen[x] = true
				out = append(out, &algebra.Const{Term: x})
			}
		}
	}
	return out
}

func (c *compiler) conceptExpr(fi *fieldInfo, s string, m map[string]any) (algebra.Expr, error) {
	desc := true
	if d, ok := m["includeDescendants"].(bool); ok {
		desc = d
	}
	var es []algebra.Expr
	var pos []string
	if v, ok := m["eq"].(string); ok {
		pos = append(pos, v)
	}
	if list, ok := m["in"].([]any); ok {
		var ids []string
		for _, item := range list {
			if id, ok := item.(string); ok {
				ids = append(ids, id)
			}
		}
		set := c.conceptSet(ids, desc)
		if len(set) == 0 {
			es = append(es, falseExpr)
		} else {
			e, err := c.exists(fi, s, func(v algebra.Expr) (algebra.Expr, error) { return &algebra.In{X: v, List: set}, nil }, false)
			if err != nil {
				return nil, err
			}
			es = append(es, e)
		}
	}
	for _, id := range pos {
		set := c.conceptSet([]string{id}, desc)
		e, err := c.exists(fi, s, func(v algebra.Expr) (algebra.Expr, error) { return &algebra.In{X: v, List: set}, nil }, false)
		if err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	if v, ok := m["ne"].(string); ok {
		set := c.conceptSet([]string{v}, desc)
		e, err := c.exists(fi, s, func(v algebra.Expr) (algebra.Expr, error) { return &algebra.In{X: v, List: set}, nil }, true)
		if err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return joinExprs(ast.OpAnd, es, true), nil
}

func (c *compiler) nestedExpr(fi *fieldInfo, s string, m map[string]any) (algebra.Expr, error) {
	target := c.b.types[fi.f.Target]
	if target == nil {
		return nil, fmt.Errorf("where: field %s has no target type", fi.f.Name)
	}
	return c.exists(fi, s, func(v algebra.Expr) (algebra.Expr, error) {
		return c.whereExpr(target, v.(*algebra.Var).Name, m)
	}, false)
}

// valueExpr compiles a scalar or language-string filter.
func (c *compiler) valueExpr(fi *fieldInfo, s string, m map[string]any) (algebra.Expr, error) {
	cond, pos, ne, err := c.valueParts(fi, m)
	if err != nil {
		return nil, err
	}
	var out []algebra.Expr
	if pos {
		e, err := c.exists(fi, s, cond, false)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if ne != nil {
		e, err := c.exists(fi, s, ne, true)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return joinExprs(ast.OpAnd, out, true), nil
}

// valueParts splits a scalar filter into the condition one value must
// meet (pos reports whether there is one) and the condition no value may
// meet (ne; nil when absent).
func (c *compiler) valueParts(fi *fieldInfo, m map[string]any) (cond func(v algebra.Expr) (algebra.Expr, error), pos bool, ne func(v algebra.Expr) (algebra.Expr, error), err error) {
	scalar := fi.f.Scalar
	stringy := fi.f.Kind == model.LangString || scalar == "String" || scalar == ""
	ci, _ := m["caseInsensitive"].(bool)
	lang, _ := m["lang"].(string)
	lit := func(v any) (algebra.Expr, error) {
		if stringy {
			str, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("where: %s takes strings", fi.f.Name)
			}
			if ci {
				return &algebra.Const{Term: graph.String(strings.ToLower(str))}, nil
			}
			return &algebra.Const{Term: graph.String(str)}, nil
		}
		t, ok := literal(scalar, v)
		if !ok {
			return nil, fmt.Errorf("where: bad value %v for %s", v, fi.f.Name)
		}
		return &algebra.Const{Term: t}, nil
	}
	val := func(v algebra.Expr, fold bool) algebra.Expr {
		if stringy {
			e := algebra.Expr(&algebra.Call{Func: "STR", Args: []algebra.Expr{v}})
			if fold && ci {
				e = &algebra.Call{Func: "LCASE", Args: []algebra.Expr{e}}
			}
			return e
		}
		return v
	}
	cond = func(v algebra.Expr) (algebra.Expr, error) {
		var es []algebra.Expr
		if lang != "" {
			es = append(es, &algebra.Call{Func: "LANGMATCHES", Args: []algebra.Expr{
				&algebra.Call{Func: "LANG", Args: []algebra.Expr{v}}, &algebra.Const{Term: graph.String(lang)}}})
		}
		for _, op := range []struct {
			key string
			op  ast.Op
		}{{"eq", ast.OpEq}, {"lt", ast.OpLt}, {"lte", ast.OpLe}, {"gt", ast.OpGt}, {"gte", ast.OpGe}} {
			x, ok := m[op.key]
			if !ok || x == nil {
				continue
			}
			l, err := lit(x)
			if err != nil {
				return nil, err
			}
			es = append(es, &algebra.Binary{Op: op.op, X: val(v, op.key == "eq"), Y: l})
		}
		if list, ok := m["in"].([]any); ok {
			var in []algebra.Expr
			for _, item := range list {
				l, err := lit(item)
				if err != nil {
					return nil, err
				}
				in = append(in, l)
			}
			es = append(es, &algebra.In{X: val(v, true), List: in})
		}
		if x, ok := m["contains"].(string); ok {
			l, err := lit(x)
			if err != nil {
				return nil, err
			}
			es = append(es, &algebra.Call{Func: "CONTAINS", Args: []algebra.Expr{val(v, true), l}})
		}
		if x, ok := m["regex"].(string); ok {
			args := []algebra.Expr{val(v, false), &algebra.Const{Term: graph.String(x)}}
			if ci {
				args = append(args, &algebra.Const{Term: graph.String("i")})
			}
			es = append(es, &algebra.Call{Func: "REGEX", Args: args})
		}
		return joinExprs(ast.OpAnd, es, true), nil
	}
	for _, k := range []string{"eq", "in", "lt", "lte", "gt", "gte", "contains", "regex", "lang"} {
		if m[k] != nil {
			pos = true
		}
	}
	if x, ok := m["ne"]; ok && x != nil {
		l, err := lit(x)
		if err != nil {
			return nil, false, nil, err
		}
		ne = func(v algebra.Expr) (algebra.Expr, error) {
			return &algebra.Binary{Op: ast.OpEq, X: val(v, true), Y: l}, nil
		}
	}
	// Check the values once now, so that a bad literal is an error even
	// when the condition is never built.
	if _, err := cond(&algebra.Var{Name: "_check"}); err != nil {
		return nil, false, nil, err
	}
	return cond, pos, ne, nil
}

// wherePattern compiles the conjunctive, positive part of a where input on
// the resource in s into graph patterns to join — conditions the optimizer
// can start from (a concept set, an IRI, a related object's condition) —
// and returns the rest (or, not, ne) as filter expressions over the
// joined variables. Joins may repeat s: the caller deduplicates.
func (c *compiler) wherePattern(ti *typeInfo, s string, w map[string]any) (pats []algebra.Op, rest []algebra.Expr, err error) {
	keys := make([]string, 0, len(w))
	for k := range w {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := w[k]
		if v == nil {
			continue
		}
		m, _ := v.(map[string]any)
		var fi *fieldInfo
		switch k {
		case "and":
			list, _ := v.([]any)
			for _, item := range list {
				im, _ := item.(map[string]any)
				p, r, err := c.wherePattern(ti, s, im)
				if err != nil {
					return nil, nil, err
				}
				pats, rest = append(pats, p...), append(rest, r...)
			}
			continue
		case "or", "not":
			e, err := c.whereExpr(ti, s, map[string]any{k: v})
			if err != nil {
				return nil, nil, err
			}
			rest = append(rest, e)
			continue
		case "id":
			var ids []graph.Term
			if x, ok := m["eq"].(string); ok {
				ids = append(ids, idTerm(x))
			}
			list, hasIn := m["in"].([]any)
			if len(ids) > 0 || !hasIn {
				e, err := c.idExpr(&algebra.Var{Name: s}, m)
				if err != nil {
					return nil, nil, err
				}
				rest = append(rest, e)
				continue
			}
			rows := [][]graph.Term{}
			for _, item := range list {
				if x, ok := item.(string); ok {
					rows = append(rows, []graph.Term{idTerm(x)})
				}
			}
			pats = append(pats, &algebra.Table{Vars: []string{s}, Rows: rows})
			if m["ne"] != nil {
				e, err := c.idExpr(&algebra.Var{Name: s}, map[string]any{"ne": m["ne"]})
				if err != nil {
					return nil, nil, err
				}
				rest = append(rest, e)
			}
			continue
		case "types":
			fi = ti.types
		default:
			fi = ti.fields[k]
			if fi == nil {
				return nil, nil, fmt.Errorf("where: unknown field %s of %s", k, ti.t.Name)
			}
		}
		switch {
		case k == "types" || fi.f.Kind == model.Reference:
			desc := true
			if d, ok := m["includeDescendants"].(bool); ok {
				desc = d
			}
			var sets [][]algebra.Expr
			if x, ok := m["eq"].(string); ok {
				sets = append(sets, c.conceptSet([]string{x}, desc))
			}
			if list, ok := m["in"].([]any); ok {
				var idl []string
				for _, item := range list {
					if x, ok := item.(string); ok {
						idl = append(idl, x)
					}
				}
				sets = append(sets, c.conceptSet(idl, desc))
			}
			for _, set := range sets {
				vv := c.fresh("_w")
				rows := make([][]graph.Term, 0, len(set))
				for _, e := range set {
					rows = append(rows, []graph.Term{e.(*algebra.Const).Term})
				}
				pats = append(pats, &algebra.Join{L: &algebra.Table{Vars: []string{vv}, Rows: rows}, R: c.st.valuePattern(c, fi, s, vv)})
			}
			if m["ne"] != nil {
				e, err := c.conceptExpr(fi, s, map[string]any{"ne": m["ne"], "includeDescendants": desc})
				if err != nil {
					return nil, nil, err
				}
				rest = append(rest, e)
			}
		case fi.f.Kind == model.Object:
			target := c.b.types[fi.f.Target]
			if target == nil {
				return nil, nil, fmt.Errorf("where: field %s has no target type", fi.f.Name)
			}
			o := c.fresh("_w")
			pats = append(pats, c.st.valuePattern(c, fi, s, o))
			p, r, err := c.wherePattern(target, o, m)
			if err != nil {
				return nil, nil, err
			}
			pats, rest = append(pats, p...), append(rest, r...)
		default:
			cond, pos, ne, err := c.valueParts(fi, m)
			if err != nil {
				return nil, nil, err
			}
			if pos {
				vv := c.fresh("_w")
				e, err := cond(&algebra.Var{Name: vv})
				if err != nil {
					return nil, nil, err
				}
				pats = append(pats, &algebra.Filter{Exprs: []algebra.Expr{e}, Input: c.st.valuePattern(c, fi, s, vv)})
			}
			if ne != nil {
				e, err := c.exists(fi, s, ne, true)
				if err != nil {
					return nil, nil, err
				}
				rest = append(rest, e)
			}
		}
	}
	return pats, rest, nil
}
