package schema

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/graphql-go/graphql"
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/schema/model"
	"github.com/tessera-fair/tessera/schema/resource"
	"github.com/tessera-fair/tessera/sparql/algebra"
)

// BuildOptions configure Build. The zero value works: no discovery fields,
// record-level types decided by IsRecordClass, pages of 100 up to 1000.
type BuildOptions struct {
	// Discovery, when set, returns the hand-designed discovery fields
	// (schema/discovery) merged into the root Query type. It is given the
	// generated object type of DatasetClass (nil when the model has none).
	// Generated root fields whose names it takes are left out.
	Discovery func(dataset graphql.Output) graphql.Fields
	// DatasetClass is the class whose type is passed to Discovery; empty
	// means dcat:Dataset.
	DatasetClass string
	// IsRecord reports whether a type holds record-level data (patients,
	// studies) that is read only from the graphs the caller may see. Nil
	// means IsRecordClass of the type's class.
	IsRecord func(t *model.Type) bool
	// DefaultFirst is the page size of a list without first/limit (default
	// 100); MaxFirst the largest first/limit accepted (default 1000).
	DefaultFirst, MaxFirst int
	// DefaultLang is the language preferred when a lang argument is absent
	// (default "en"); untagged values still come first then.
	DefaultLang string
}

func (o BuildOptions) withDefaults() BuildOptions {
	if o.DatasetClass == "" {
		o.DatasetClass = dcatNS + "Dataset"
	}
	if o.IsRecord == nil {
		o.IsRecord = func(t *model.Type) bool { return IsRecordClass(t.Class) }
	}
	if o.DefaultFirst <= 0 {
		o.DefaultFirst = 100
	}
	if o.MaxFirst <= 0 {
		o.MaxFirst = 1000
	}
	if o.DefaultFirst > o.MaxFirst {
		o.DefaultFirst = o.MaxFirst
	}
	if o.DefaultLang == "" {
		o.DefaultLang = "en"
	}
	return o
}

// Namespaces of catalogue metadata, which every caller may read.
const (
	dcatNS  = "http://www.w3.org/ns/dcat#"
	dctNS   = "http://purl.org/dc/terms/"
	foafNS  = "http://xmlns.com/foaf/0.1/"
	vcardNS = "http://www.w3.org/2006/vcard/ns#"
	skosNS  = "http://www.w3.org/2004/02/skos/core#"
	fdpNS   = "https://w3id.org/fdp/fdp-o#"
	rdfType = graph.RDFNamespace + "type"
)

// IsRecordClass is the default record-level test: a class outside the
// catalogue vocabularies (DCAT, DCT, FOAF, vCard, SKOS, FDP) describes
// records — the EUCAIM CDM's patients and imaging studies — which are
// visible only from graphs the caller's access level opens (DESIGN.md §1).
func IsRecordClass(class graph.Term) bool {
	v := class.Value()
	for _, ns := range []string{dcatNS, dctNS, foafNS, vcardNS, skosNS, fdpNS} {
		if strings.HasPrefix(v, ns) {
			return false
		}
	}
	return true
}

// built is an executable schema with what the resolvers and the limit
// checks need to know about it.
type built struct {
	schema    graphql.Schema
	model     *model.Model
	types     map[string]*typeInfo
	opts      BuildOptions
	listNames map[string]bool // field names that return lists (for the cost model)
	concept   *conceptInfo
	node      *graphql.Interface
}

// typeInfo is one generated object type.
type typeInfo struct {
	t      *model.Type
	record bool
	obj    *graphql.Object
	iface  *graphql.Interface
	where  *graphql.InputObject
	order  *graphql.InputObject
	conn   *graphql.Object
	edge   *graphql.Object
	fields map[string]*fieldInfo
	types  *fieldInfo // rdf:type, for the types field
}

// fieldInfo is one generated field backed by an RDF path.
type fieldInfo struct {
	f     *model.Field
	owner *typeInfo // nil for the Concept type's fields
	path  []model.Step
	// record is true when the values must come from visible graphs only
	// (the owner is a record type).
	record bool
}

// Build turns a Model into an executable GraphQL schema whose resolvers
// compile every list, filter and field access into SPARQL algebra. The
// schema's resolvers need a request context from a Service: Build alone is
// for inspecting the schema (SDL, introspection).
func Build(m *model.Model, opts BuildOptions) (*graphql.Schema, error) {
	b, err := build(m, opts)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return &b.schema, nil
}

func build(m *model.Model, opts BuildOptions) (*built, error) {
	if m == nil {
		return nil, errors.New("nil model")
	}
	opts = opts.withDefaults()
	b := &built{model: m, types: map[string]*typeInfo{}, opts: opts, listNames: map[string]bool{}}
	b.concept = newConceptInfo(b, conceptName(m))
	b.node = graphql.NewInterface(graphql.InterfaceConfig{
		Name:        "Node",
		Description: "Any resource of a generated type, found by its IRI with the root field node (Relay object identification).",
		Fields: graphql.Fields{
			"id":    {Type: graphql.NewNonNull(graphql.ID), Description: "The resource's IRI (or _:label for a blank node)."},
			"types": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.ID))), Description: "The resource's rdf:type classes."},
		},
		ResolveType: func(p graphql.ResolveTypeParams) *graphql.Object {
			if tn, ok := p.Value.(typedNode); ok {
				return tn.obj
			}
			return nil
		},
	})
	for _, t := range m.Types {
		if t == nil || t.Name == "" {
			continue
		}
		if _, dup := b.types[t.Name]; dup {
			return nil, fmt.Errorf("two types named %s", t.Name)
		}
		ti := &typeInfo{t: t, record: opts.IsRecord(t), fields: map[string]*fieldInfo{}}
		for _, f := range t.Fields {
			if f == nil {
				continue
			}
			ti.fields[f.Name] = &fieldInfo{f: f, owner: ti, path: f.Path, record: ti.record}
		}
		ti.types = &fieldInfo{f: &model.Field{Name: "types", Kind: model.Scalar, Scalar: "ID",
			Path: []model.Step{{Predicates: []graph.Term{graph.IRI(rdfType)}}}}, owner: ti, path: []model.Step{{Predicates: []graph.Term{graph.IRI(rdfType)}}}, record: ti.record}
		if f := ti.fields["types"]; f != nil && len(f.path) > 0 {
			ti.types = f
		}
		b.types[t.Name] = ti
	}
	// Interfaces first (their fields are thunks, so order does not matter
	// for references), then objects, inputs and connections.
	for _, t := range m.Types {
		ti := b.types[t.Name]
		if ti == nil {
			continue
		}
		for _, in := range t.Interfaces {
			if st := b.types[in]; st != nil && st.iface == nil {
				b.newInterface(st)
			}
		}
	}
	for _, t := range m.Types {
		if ti := b.types[t.Name]; ti != nil {
			b.newObject(ti)
			b.newInputs(ti)
		}
	}
	for _, t := range m.Types {
		if ti := b.types[t.Name]; ti != nil {
			b.newConnection(ti)
		}
	}
	query := b.rootFields()
	if opts.Discovery != nil {
		var ds graphql.Output
		for _, t := range m.Types {
			if t.Class.Value() == opts.DatasetClass {
				ds = b.types[t.Name].obj
			}
		}
		extra := opts.Discovery(ds)
		shareTypes(extra)
		for name, f := range extra {
			query[name] = f
		}
	}
	var extra []graphql.Type
	for _, t := range m.Types {
		if ti := b.types[t.Name]; ti != nil {
			extra = append(extra, ti.obj)
			if ti.iface != nil {
				extra = append(extra, ti.iface)
			}
		}
	}
	s, err := graphql.NewSchema(graphql.SchemaConfig{
		Query: graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: query,
			Description: "The catalogue: one getter and one list per type of the SHACL shapes, and the discovery queries."}),
		Types: extra,
	})
	if err != nil {
		return nil, fmt.Errorf("build schema: %w", err)
	}
	b.schema = s
	return b, nil
}

// conceptName is the name of the shared Concept type: "Concept" unless the
// model uses it for a type of its own.
func conceptName(m *model.Model) string {
	name := "Concept"
	for taken := true; taken; {
		taken = false
		for _, t := range m.Types {
			if t != nil && t.Name == name {
				name += "Ref"
				taken = true
			}
		}
	}
	return name
}

// interfaceName is the GraphQL interface a type's subclasses implement.
func interfaceName(t *model.Type) string { return t.Name + "Interface" }

func (b *built) newInterface(ti *typeInfo) {
	ti.iface = graphql.NewInterface(graphql.InterfaceConfig{
		Name:        interfaceName(ti.t),
		Description: "What every instance of " + ti.t.Name + " has, subclasses included.",
		Fields:      graphql.FieldsThunk(func() graphql.Fields { return b.objectFields(ti) }),
		ResolveType: func(p graphql.ResolveTypeParams) *graphql.Object { return ti.obj },
	})
}

func (b *built) newObject(ti *typeInfo) {
	ifaces := []*graphql.Interface{b.node}
	if ti.iface != nil {
		ifaces = append(ifaces, ti.iface)
	}
	for _, in := range ti.t.Interfaces {
		st := b.types[in]
		if st == nil || st.iface == nil || st == ti || !b.compatible(ti, st) {
			continue
		}
		ifaces = append(ifaces, st.iface)
	}
	ti.obj = graphql.NewObject(graphql.ObjectConfig{
		Name:        ti.t.Name,
		Description: typeDescription(ti.t),
		Interfaces:  ifaces,
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			fs := b.objectFields(ti)
			// Inherit the fields of implemented interfaces the type lacks.
			for _, in := range ti.t.Interfaces {
				st := b.types[in]
				if st == nil || st.iface == nil || st == ti || !b.compatible(ti, st) {
					continue
				}
				for name, f := range b.objectFields(st) {
					if _, ok := fs[name]; !ok {
						fs[name] = f
					}
				}
			}
			return fs
		}),
	})
}

// compatible reports whether sub can implement super's interface: fields of
// the same name must have the same kind, scalar, target and cardinality.
func (b *built) compatible(sub, super *typeInfo) bool {
	for name, sf := range super.fields {
		f, ok := sub.fields[name]
		if !ok {
			continue
		}
		a, c := f.f, sf.f
		if a.Kind != c.Kind || a.Scalar != c.Scalar || a.Target != c.Target || a.Single != c.Single {
			return false
		}
	}
	return true
}

func typeDescription(t *model.Type) string {
	d := t.Description
	if d == "" {
		d = "Instances of <" + t.Class.Value() + ">."
	}
	return d
}

// objectFields builds the output fields of a type.
func (b *built) objectFields(ti *typeInfo) graphql.Fields {
	fs := graphql.Fields{
		"id": {Type: graphql.NewNonNull(graphql.ID), Description: "The resource's IRI (or _:label for a blank node).",
			Resolve: safe(func(p graphql.ResolveParams) (any, error) {
				n, ok := nodeOf(p.Source)
				if !ok {
					return nil, nil
				}
				return idString(n.Term), nil
			})},
		"types": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.ID))),
			Description: "The resource's rdf:type classes.", Resolve: b.resolveValues(ti.types, "ID", false)},
	}
	for _, f := range ti.t.Fields {
		if f == nil || f.Name == "id" || f.Name == "types" {
			continue
		}
		fi := ti.fields[f.Name]
		desc := f.Description
		switch f.Kind {
		case model.Scalar:
			t := graphql.Output(scalarType(f.Scalar))
			if !f.Single {
				t = graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(t)))
			}
			fs[f.Name] = &graphql.Field{Type: t, Description: desc, Resolve: b.resolveValues(fi, f.Scalar, f.Single)}
		case model.LangString:
			t := graphql.Output(graphql.String)
			if !f.Single {
				t = graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.String)))
			}
			fs[f.Name] = &graphql.Field{Type: t, Description: desc, Args: graphql.FieldConfigArgument{
				"lang": {Type: graphql.String, Description: "Preferred language (BCP 47): exact tag, then a tag sharing its prefix, then untagged, then any other. Default: the service's default language."},
			}, Resolve: b.resolveLang(fi, f.Single)}
			all := f.Name + "Langs"
			if _, clash := ti.fields[all]; !clash {
				fs[all] = &graphql.Field{Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(langStringType))),
					Description: "Every value of " + f.Name + " with its language tag.", Resolve: b.resolveLangs(fi)}
			}
		case model.Reference:
			t := graphql.Output(b.concept.obj)
			if !f.Single {
				t = graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(t)))
			}
			fs[f.Name] = &graphql.Field{Type: t, Description: desc, Resolve: b.resolveNodes(fi, f.Single)}
		case model.Object:
			target := b.types[f.Target]
			if target == nil {
				continue
			}
			if f.Single {
				fs[f.Name] = &graphql.Field{Type: target.obj, Description: desc, Resolve: b.resolveNodes(fi, true)}
				continue
			}
			fs[f.Name] = &graphql.Field{Type: graphql.NewNonNull(target.conn), Description: desc,
				Args: b.listArgs(target), Resolve: b.resolveNested(fi, target)}
			b.listNames[f.Name] = true
		}
	}
	return fs
}

// langStringType is a literal with its language tag.
var langStringType = graphql.NewObject(graphql.ObjectConfig{
	Name:        "LangString",
	Description: "A string with its language tag (null for an untagged string).",
	Fields: graphql.Fields{
		"value": {Type: graphql.NewNonNull(graphql.String), Resolve: func(p graphql.ResolveParams) (any, error) {
			if t, ok := p.Source.(graph.Term); ok {
				return t.Value(), nil
			}
			return nil, nil
		}},
		"lang": {Type: graphql.String, Resolve: func(p graphql.ResolveParams) (any, error) {
			if t, ok := p.Source.(graph.Term); ok && t.Lang() != "" {
				return t.Lang(), nil
			}
			return nil, nil
		}},
	},
})

// orderDirection is the direction of one orderBy key.
var orderDirection = graphql.NewEnum(graphql.EnumConfig{
	Name:        "OrderDirection",
	Description: "Sort direction. Missing values sort first ascending, last descending; ties are always broken by id.",
	Values: graphql.EnumValueConfigMap{
		"ASC":  {Value: "ASC", Description: "Ascending."},
		"DESC": {Value: "DESC", Description: "Descending."},
	},
})

func (b *built) listArgs(ti *typeInfo) graphql.FieldConfigArgument {
	return graphql.FieldConfigArgument{
		"where":   {Type: ti.where, Description: "Only the " + ti.t.Name + " resources matching these conditions."},
		"orderBy": {Type: graphql.NewList(graphql.NewNonNull(ti.order)), Description: "Sort keys, in order; ties are broken by id."},
		"first":   {Type: graphql.Int, Description: fmt.Sprintf("Page size for cursor paging (default %d, at most %d).", b.opts.DefaultFirst, b.opts.MaxFirst)},
		"after":   {Type: graphql.String, Description: "Start after this cursor (from edges.cursor or pageInfo.endCursor)."},
		"limit":   {Type: graphql.Int, Description: fmt.Sprintf("Page size for offset paging (same bounds as first)." + "")},
		"offset":  {Type: graphql.Int, Description: "Skip this many resources (offset paging)."},
	}
}

func (b *built) newConnection(ti *typeInfo) {
	ti.edge = graphql.NewObject(graphql.ObjectConfig{
		Name:        ti.t.Name + "Edge",
		Description: "One " + ti.t.Name + " of a connection with its cursor.",
		Fields: graphql.Fields{
			"cursor": {Type: graphql.NewNonNull(graphql.String), Resolve: safe(func(p graphql.ResolveParams) (any, error) {
				if e, ok := p.Source.(edge); ok {
					return e.cursor, nil
				}
				return nil, nil
			})},
			"node": {Type: graphql.NewNonNull(ti.obj), Resolve: safe(func(p graphql.ResolveParams) (any, error) {
				if e, ok := p.Source.(edge); ok {
					return e.node, nil
				}
				return nil, nil
			})},
		},
	})
	ti.conn = graphql.NewObject(graphql.ObjectConfig{
		Name:        ti.t.Name + "Connection",
		Description: "A page of " + ti.t.Name + " resources (Relay cursor connection, plus limit/offset).",
		Fields: graphql.Fields{
			"totalCount": {Type: graphql.NewNonNull(graphql.Int), Description: "All matching resources, not only this page (computed only when asked for).",
				Resolve: safe(func(p graphql.ResolveParams) (any, error) {
					c, ok := p.Source.(*connection)
					if !ok {
						return nil, nil
					}
					return c.totalCount()
				})},
			"nodes": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(ti.obj))), Resolve: safe(func(p graphql.ResolveParams) (any, error) {
				if c, ok := p.Source.(*connection); ok {
					return c.nodes, nil
				}
				return nil, nil
			})},
			"edges": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(ti.edge))), Resolve: safe(func(p graphql.ResolveParams) (any, error) {
				if c, ok := p.Source.(*connection); ok {
					return c.edges(), nil
				}
				return nil, nil
			})},
			"pageInfo": {Type: graphql.NewNonNull(resource.PageInfo), Resolve: safe(func(p graphql.ResolveParams) (any, error) {
				if c, ok := p.Source.(*connection); ok {
					return c.page(), nil
				}
				return nil, nil
			})},
		},
	})
}

// rootFields builds the getter and the list of every type.
func (b *built) rootFields() graphql.Fields {
	fs := graphql.Fields{
		"node": {Type: b.node, Description: "The resource with this IRI as an object of its most specific generated type, or null.",
			Args:    graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID), Description: "The IRI."}},
			Resolve: b.resolveNode()},
	}
	for _, t := range b.model.Types {
		ti := b.types[t.Name]
		if ti == nil {
			continue
		}
		one, many := lowerFirst(t.Name), plural(lowerFirst(t.Name))
		fs[one] = &graphql.Field{Type: ti.obj, Description: "The " + t.Name + " with this IRI, or null.",
			Args:    graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID), Description: "The IRI."}},
			Resolve: b.resolveGet(ti)}
		fs[many] = &graphql.Field{Type: graphql.NewNonNull(ti.conn), Description: "Every " + t.Name + ", filtered, ordered and paged.",
			Args: b.listArgs(ti), Resolve: b.resolveList(ti)}
		b.listNames[many] = true
	}
	return fs
}

func lowerFirst(s string) string {
	r := []rune(s)
	// Lower a leading acronym as a whole: "FDPCatalog" -> "fdpCatalog".
	i := 0
	for i < len(r) && unicode.IsUpper(r[i]) {
		i++
	}
	switch {
	case i == 0:
		return s
	case i == 1 || i == len(r):
		for k := range i {
			r[k] = unicode.ToLower(r[k])
		}
	default:
		for k := range i - 1 {
			r[k] = unicode.ToLower(r[k])
		}
	}
	return string(r)
}

// plural is the English plural of a camelCase name, for list fields.
func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsRune("aeiou", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "sh"):
		return s + "es"
	}
	return s + "s"
}

// pathExpr is the SPARQL property path of a model path.
func pathExpr(path []model.Step) algebra.PathExpr {
	var out algebra.PathExpr
	for _, st := range path {
		var alt algebra.PathExpr
		for _, p := range st.Predicates {
			var l algebra.PathExpr = &algebra.Link{IRI: p}
			if alt == nil {
				alt = l
			} else {
				alt = &algebra.Alt{L: alt, R: l}
			}
		}
		if alt == nil {
			continue
		}
		if st.Inverse {
			alt = &algebra.Inverse{Path: alt}
		}
		if out == nil {
			out = alt
		} else {
			out = &algebra.Seq{L: out, R: alt}
		}
	}
	return out
}

// pathPattern is the graph pattern s path o: a triple pattern for one
// forward predicate, a Path operator otherwise.
func pathPattern(s algebra.Node, path []model.Step, o algebra.Node) algebra.Op {
	if len(path) == 1 && len(path[0].Predicates) == 1 {
		p := algebra.T(path[0].Predicates[0])
		if path[0].Inverse {
			return &algebra.BGP{Triples: []algebra.Triple{{S: o, P: p, O: s}}}
		}
		return &algebra.BGP{Triples: []algebra.Triple{{S: s, P: p, O: o}}}
	}
	pe := pathExpr(path)
	if pe == nil {
		// An empty path is the identity: o is s.
		return &algebra.Extend{Input: &algebra.BGP{}, Var: o.Var, Expr: &algebra.Var{Name: s.Var}}
	}
	return &algebra.Path{S: s, Path: pe, O: o}
}

// shareTypes makes the discovery fields use the shared types of package
// resource: an object type of theirs named like one (PageInfo) is replaced
// by it, since a schema may hold one type per name. resource.PageInfo
// resolves the map values such a type's default resolvers read.
func shareTypes(fields graphql.Fields) {
	shared := map[string]*graphql.Object{resource.PageInfo.Name(): resource.PageInfo}
	seen := map[*graphql.Object]bool{}
	var swap func(t graphql.Output) (graphql.Output, *graphql.Object)
	swap = func(t graphql.Output) (graphql.Output, *graphql.Object) {
		switch x := t.(type) {
		case *graphql.NonNull:
			inner, obj := swap(x.OfType.(graphql.Output))
			return graphql.NewNonNull(inner), obj
		case *graphql.List:
			inner, obj := swap(x.OfType.(graphql.Output))
			return graphql.NewList(inner), obj
		case *graphql.Object:
			if s, ok := shared[x.Name()]; ok && s != x {
				return s, nil
			}
			return x, x
		}
		return t, nil
	}
	var walk func(o *graphql.Object)
	walk = func(o *graphql.Object) {
		if o == nil || seen[o] {
			return
		}
		seen[o] = true
		for _, def := range o.Fields() {
			t, obj := swap(def.Type)
			def.Type = t
			walk(obj)
		}
	}
	for _, f := range fields {
		t, obj := swap(f.Type)
		f.Type = t
		walk(obj)
	}
}
