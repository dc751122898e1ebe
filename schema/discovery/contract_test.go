package discovery

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/language/printer"
	"github.com/graphql-go/graphql/language/source"
)

// TestContract checks the types Fields builds against the contract shared
// with the portal, testdata/discovery.graphql: every type, field, argument
// (with its default) and enum value of the SDL exists with the same type.
// Fields may add to the contract, never rename.
func TestContract(t *testing.T) {
	sdl, err := os.ReadFile("testdata/discovery.graphql")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parser.Parse(parser.ParseParams{Source: source.NewSource(&source.Source{Body: sdl, Name: "discovery.graphql"})})
	if err != nil {
		t.Fatal(err)
	}
	s := testSchema(t, Static{Empty(nil, nil, Options{})})
	typ := func(n ast.Type) string { return fmt.Sprint(printer.Print(n)) }
	defaultOf := func(tp graphql.Type, v any) string {
		if e, ok := graphql.GetNamed(tp).(*graphql.Enum); ok {
			for _, ev := range e.Values() {
				if ev.Value == v {
					return ev.Name
				}
			}
		}
		return fmt.Sprint(v)
	}
	checked := 0
	for _, def := range doc.Definitions {
		switch d := def.(type) {
		case *ast.ObjectDefinition:
			name := d.Name.Value
			var fields graphql.FieldDefinitionMap
			if name == "Query" {
				fields = s.QueryType().Fields()
			} else {
				o, ok := s.Type(name).(*graphql.Object)
				if !ok {
					t.Errorf("type %s: missing (got %T)", name, s.Type(name))
					continue
				}
				fields = o.Fields()
			}
			for _, f := range d.Fields {
				got, ok := fields[f.Name.Value]
				if !ok {
					t.Errorf("%s.%s: missing", name, f.Name.Value)
					continue
				}
				checked++
				if want := typ(f.Type); got.Type.String() != want {
					t.Errorf("%s.%s: type %s, contract says %s", name, f.Name.Value, got.Type, want)
				}
				for _, a := range f.Arguments {
					i := slices.IndexFunc(got.Args, func(x *graphql.Argument) bool { return x.Name() == a.Name.Value })
					if i < 0 {
						t.Errorf("%s.%s(%s): missing argument", name, f.Name.Value, a.Name.Value)
						continue
					}
					ga := got.Args[i]
					if want := typ(a.Type); ga.Type.String() != want {
						t.Errorf("%s.%s(%s): type %s, contract says %s", name, f.Name.Value, a.Name.Value, ga.Type, want)
					}
					if a.DefaultValue != nil {
						if want, got := fmt.Sprint(printer.Print(a.DefaultValue)), defaultOf(ga.Type, ga.DefaultValue); got != want {
							t.Errorf("%s.%s(%s): default %s, contract says %s", name, f.Name.Value, a.Name.Value, got, want)
						}
					}
				}
			}
		case *ast.InputObjectDefinition:
			in, ok := s.Type(d.Name.Value).(*graphql.InputObject)
			if !ok {
				t.Errorf("input %s: missing", d.Name.Value)
				continue
			}
			for _, f := range d.Fields {
				got, ok := in.Fields()[f.Name.Value]
				if !ok {
					t.Errorf("%s.%s: missing", d.Name.Value, f.Name.Value)
					continue
				}
				checked++
				if want := typ(f.Type); got.Type.String() != want {
					t.Errorf("%s.%s: type %s, contract says %s", d.Name.Value, f.Name.Value, got.Type, want)
				}
				if f.DefaultValue != nil {
					if want, got := fmt.Sprint(printer.Print(f.DefaultValue)), defaultOf(got.Type, got.DefaultValue); got != want {
						t.Errorf("%s.%s: default %s, contract says %s", d.Name.Value, f.Name.Value, got, want)
					}
				}
			}
		case *ast.EnumDefinition:
			e, ok := s.Type(d.Name.Value).(*graphql.Enum)
			if !ok {
				t.Errorf("enum %s: missing", d.Name.Value)
				continue
			}
			var got, want []string
			for _, v := range e.Values() {
				got = append(got, v.Name)
			}
			for _, v := range d.Values {
				want = append(want, v.Name.Value)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("enum %s: values %v, contract says %v", d.Name.Value, got, want)
			}
			checked++
		}
	}
	if checked < 50 {
		t.Errorf("checked only %d fields: is the contract parsed?", checked)
	}
}
