package schema

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/graphql-go/graphql"

	"github.com/tessera-fair/tessera/schema/discovery"
)

// TestIntrospectionDeterministic builds the schema (generated types and the
// discovery fields, as serve wires them) several times in-process, as
// restarts and shape-driven rebuilds do, and asks each build GraphiQL's
// introspection query several times: every answer and every printed SDL
// must be byte for byte the first one. graphql-go keeps arguments, enum
// values, input fields and types in maps (introspection.go).
func TestIntrospectionDeterministic(t *testing.T) {
	st := bundledStore(t)
	const builds, asks = 6, 3
	var first, firstSDL string
	for b := range builds {
		svc := serviceOver(t, st, Options{
			Build: BuildOptions{Discovery: func(ds graphql.Output) graphql.Fields {
				return discovery.Fields(discovery.Static{}, ds)
			}},
		})
		if sdl := svc.SDL(); b == 0 {
			firstSDL = sdl
		} else if sdl != firstSDL {
			t.Errorf("build %d: SDL differs from the first build's: %s", b, firstDiff(firstSDL, sdl))
		}
		for a := range asks {
			got := introspect(t, svc)
			if b == 0 && a == 0 {
				first = got
				checkNameOrder(t, "", mustDecode(t, got))
				continue
			}
			if got != first {
				t.Fatalf("build %d, request %d: introspection differs from the first answer: %s", b, a, firstDiff(first, got))
			}
		}
		svc.Close()
	}
}

// introspect returns the JSON of GraphiQL's introspection query on svc.
func introspect(t *testing.T, svc *Service) string {
	t.Helper()
	resp := svc.Do(context.Background(), Request{Query: introspectionQuery})
	if resp.Refused || len(resp.Errors) > 0 {
		t.Fatalf("introspection: %v", resp.Errors)
	}
	out, err := json.MarshalIndent(resp.Data, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func mustDecode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// sortedLists are the introspection lists documented to be in name order
// (introspection.go); __schema.directives keep the library's order.
var sortedLists = map[string]bool{"types": true, "fields": true, "interfaces": true, "possibleTypes": true, "enumValues": true, "inputFields": true, "args": true}

// checkNameOrder checks every sortedLists list under v, at path.
func checkNameOrder(t *testing.T, path string, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		for k, c := range v {
			if l, ok := c.([]any); ok && sortedLists[k] {
				var names []string
				for _, it := range l {
					if m, ok := it.(map[string]any); ok {
						names = append(names, fmt.Sprint(m["name"]))
					}
				}
				if !slices.IsSorted(names) {
					t.Errorf("%s.%s is not in name order: %v", path, k, names)
				}
			}
			name := k
			if n, ok := v["name"].(string); ok {
				name = n + "." + k
			}
			checkNameOrder(t, path+"/"+name, c)
		}
	case []any:
		for _, c := range v {
			checkNameOrder(t, path, c)
		}
	}
}

func TestByName(t *testing.T) {
	a := &graphql.Argument{PrivateName: "b"}
	b := &graphql.Argument{PrivateName: "a"}
	in := []*graphql.Argument{a, b}
	got := byName(in).([]*graphql.Argument)
	if got[0] != b || got[1] != a {
		t.Errorf("byName = [%s %s], want [a b]", got[0].Name(), got[1].Name())
	}
	if in[0] != a {
		t.Error("byName sorted the library's slice in place")
	}
	for _, v := range []any{nil, "x", []string{"b", "a"}} {
		if fmt.Sprint(byName(v)) != fmt.Sprint(v) {
			t.Errorf("byName(%v) = %v, want it unchanged", v, byName(v))
		}
	}
}
