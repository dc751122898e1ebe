package schema

import (
	"cmp"
	"slices"

	"github.com/graphql-go/graphql"
)

// Introspection order. graphql-go keeps arguments, input fields, enum
// values and a schema's types in Go maps (graphql.FieldConfigArgument,
// graphql.InputObjectConfigFieldMap, graphql.EnumValueConfigMap, the type
// map) and its introspection resolvers list them in map iteration order:
// argument and enum-value order changed from one schema build (server
// start, or rebuild after a shapes write) to the next, and the order of
// __schema.types, of input fields and of interface fields from one request
// to the next. Only object fields were sorted. SDL diffs and the code
// clients generate from introspection must not change when the schema
// does not, so every list introspection returns is in name order — the
// order PrintSDL prints in (graphql-js's lexicographicSortSchema does the
// same): __schema.types; __Type.fields, interfaces, possibleTypes,
// enumValues and inputFields; __Field.args and __Directive.args.
// __schema.directives keep the library's fixed order.
//
// The introspection types are graphql-go's package-level objects, shared
// by every schema in the process; their list fields are replaced once, at
// initialisation (before any request can run), by the same fields whose
// resolvers sort what the library's return. graphql-go has no hook for
// this: see TestIntrospectionDeterministic for the guarantee.
func init() {
	sortIntrospection(graphql.SchemaType, "types")
	for _, f := range []string{"fields", "interfaces", "possibleTypes", "enumValues", "inputFields"} {
		sortIntrospection(graphql.TypeType, f)
	}
	sortIntrospection(graphql.FieldType, "args")
	sortIntrospection(graphql.DirectiveType, "args")
}

// sortIntrospection replaces field of the introspection type obj with the
// same field whose result is sorted by name (byName).
func sortIntrospection(obj *graphql.Object, field string) {
	def, ok := obj.Fields()[field]
	if !ok {
		panic("schema: graphql-go's " + obj.Name() + " has no field " + field)
	}
	var args graphql.FieldConfigArgument
	if len(def.Args) > 0 {
		args = graphql.FieldConfigArgument{}
		for _, a := range def.Args {
			args[a.Name()] = &graphql.ArgumentConfig{Type: a.Type, DefaultValue: a.DefaultValue, Description: a.Description()}
		}
	}
	resolve := def.Resolve
	if resolve == nil {
		resolve = graphql.DefaultResolveFn
	}
	obj.AddFieldConfig(field, &graphql.Field{
		Type:              def.Type,
		Args:              args,
		Description:       def.Description,
		DeprecationReason: def.DeprecationReason,
		Resolve: func(p graphql.ResolveParams) (any, error) {
			v, err := resolve(p)
			return byName(v), err
		},
	})
	obj.Fields() // define the fields again now, not lazily under concurrent requests
}

// byName returns a copy of an introspection list sorted by name; any
// other value is returned as it is. The library's own slices (a field's
// arguments, an enum's values) are never sorted in place.
func byName(v any) any {
	switch l := v.(type) {
	case []graphql.Type:
		return sortedBy(l, graphql.Type.Name)
	case []*graphql.FieldDefinition:
		return sortedBy(l, func(f *graphql.FieldDefinition) string { return f.Name })
	case []*graphql.Argument:
		return sortedBy(l, (*graphql.Argument).Name)
	case []*graphql.InputObjectField:
		return sortedBy(l, (*graphql.InputObjectField).Name)
	case []*graphql.EnumValueDefinition:
		return sortedBy(l, func(e *graphql.EnumValueDefinition) string { return e.Name })
	case []*graphql.Object:
		return sortedBy(l, (*graphql.Object).Name)
	case []*graphql.Interface:
		return sortedBy(l, (*graphql.Interface).Name)
	}
	return v
}

// sortedBy returns a copy of l sorted by name (stably, for equal names).
func sortedBy[T any](l []T, name func(T) string) []T {
	out := slices.Clone(l)
	slices.SortStableFunc(out, func(a, b T) int { return cmp.Compare(name(a), name(b)) })
	return out
}
