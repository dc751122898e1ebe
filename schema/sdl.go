package schema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/graphql-go/graphql"
)

// builtinScalars are left out of the SDL (every GraphQL schema has them).
var builtinScalars = map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}

// PrintSDL prints a schema in the GraphQL schema definition language:
// the schema block, then every named type (introspection and built-in
// scalars left out) in name order, fields, arguments and enum values sorted
// by name, descriptions as block strings. The output is deterministic, for
// golden tests and for clients that generate code.
func PrintSDL(s *graphql.Schema) string {
	var b strings.Builder
	b.WriteString("schema {\n  query: " + s.QueryType().Name() + "\n")
	if m := s.MutationType(); m != nil {
		b.WriteString("  mutation: " + m.Name() + "\n")
	}
	b.WriteString("}\n")
	tm := s.TypeMap()
	names := make([]string, 0, len(tm))
	for name := range tm {
		if strings.HasPrefix(name, "__") || builtinScalars[name] {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b.WriteString("\n")
		printType(&b, tm[name])
	}
	return b.String()
}

func printDescription(b *strings.Builder, desc, indent string) {
	if desc == "" {
		return
	}
	desc = strings.ReplaceAll(desc, `"""`, `\"""`)
	if !strings.Contains(desc, "\n") {
		b.WriteString(indent + `"""` + desc + `"""` + "\n")
		return
	}
	b.WriteString(indent + `"""` + "\n")
	for _, line := range strings.Split(desc, "\n") {
		b.WriteString(indent + line + "\n")
	}
	b.WriteString(indent + `"""` + "\n")
}

func printType(b *strings.Builder, t graphql.Type) {
	switch t := t.(type) {
	case *graphql.Object:
		printDescription(b, t.Description(), "")
		b.WriteString("type " + t.Name())
		if ifs := t.Interfaces(); len(ifs) > 0 {
			names := make([]string, len(ifs))
			for i, in := range ifs {
				names[i] = in.Name()
			}
			sort.Strings(names)
			b.WriteString(" implements " + strings.Join(names, " & "))
		}
		printFields(b, t.Fields())
	case *graphql.Interface:
		printDescription(b, t.Description(), "")
		b.WriteString("interface " + t.Name())
		printFields(b, t.Fields())
	case *graphql.InputObject:
		printDescription(b, t.Description(), "")
		b.WriteString("input " + t.Name() + " {\n")
		fs := t.Fields()
		names := make([]string, 0, len(fs))
		for n := range fs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			f := fs[n]
			printDescription(b, f.Description(), "  ")
			b.WriteString("  " + n + ": " + f.Type.String() + printDefault(f.Type, f.DefaultValue) + "\n")
		}
		b.WriteString("}\n")
	case *graphql.Enum:
		printDescription(b, t.Description(), "")
		b.WriteString("enum " + t.Name() + " {\n")
		vals := t.Values()
		names := make([]string, len(vals))
		desc := map[string]string{}
		for i, v := range vals {
			names[i] = v.Name
			desc[v.Name] = v.Description
		}
		sort.Strings(names)
		for _, n := range names {
			printDescription(b, desc[n], "  ")
			b.WriteString("  " + n + "\n")
		}
		b.WriteString("}\n")
	case *graphql.Scalar:
		printDescription(b, t.Description(), "")
		b.WriteString("scalar " + t.Name() + "\n")
	case *graphql.Union:
		printDescription(b, t.Description(), "")
		ts := t.Types()
		names := make([]string, len(ts))
		for i, o := range ts {
			names[i] = o.Name()
		}
		sort.Strings(names)
		b.WriteString("union " + t.Name() + " = " + strings.Join(names, " | ") + "\n")
	}
}

func printFields(b *strings.Builder, fs graphql.FieldDefinitionMap) {
	b.WriteString(" {\n")
	names := make([]string, 0, len(fs))
	for n := range fs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f := fs[n]
		printDescription(b, f.Description, "  ")
		b.WriteString("  " + n)
		if len(f.Args) > 0 {
			args := append([]*graphql.Argument(nil), f.Args...)
			sort.Slice(args, func(i, j int) bool { return args[i].Name() < args[j].Name() })
			parts := make([]string, len(args))
			for i, a := range args {
				parts[i] = a.Name() + ": " + a.Type.String() + printDefault(a.Type, a.DefaultValue)
			}
			b.WriteString("(" + strings.Join(parts, ", ") + ")")
		}
		b.WriteString(": " + f.Type.String())
		if f.DeprecationReason != "" {
			b.WriteString(" @deprecated(reason: " + strconv.Quote(f.DeprecationReason) + ")")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
}

// printDefault prints " = value" for a default value, or "".
func printDefault(t graphql.Input, v any) string {
	if v == nil {
		return ""
	}
	return " = " + printValue(t, v)
}

func printValue(t graphql.Input, v any) string {
	if nn, ok := t.(*graphql.NonNull); ok {
		t = nn.OfType.(graphql.Input)
	}
	switch t := t.(type) {
	case *graphql.Enum:
		for _, ev := range t.Values() {
			if ev.Value == v {
				return ev.Name
			}
		}
	case *graphql.List:
		if items, ok := v.([]any); ok {
			parts := make([]string, len(items))
			for i, it := range items {
				parts[i] = printValue(t.OfType.(graphql.Input), it)
			}
			return "[" + strings.Join(parts, ", ") + "]"
		}
	}
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}
