package schema

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphql-go/graphql"
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/ontology/shapes"
	"github.com/tessera-fair/tessera/ontology/vocab"
	"github.com/tessera-fair/tessera/schema/model"
	"github.com/tessera-fair/tessera/schema/resource"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// bundledService is a Service over a store holding only the bundled
// vocabularies and API shapes, with the model derived by model.Derive.
func bundledService(t *testing.T, opts Options) (*Service, *memstore.Store) {
	t.Helper()
	st := bundledStore(t)
	return serviceOver(t, st, opts), st
}

// bundledStore is a store holding only the bundled vocabularies and API
// shapes.
func bundledStore(t *testing.T) *memstore.Store {
	t.Helper()
	ctx := context.Background()
	st := memstore.New()
	if _, err := vocab.Install(ctx, st); err != nil {
		t.Fatal(err)
	}
	if _, err := shapes.Install(ctx, st); err != nil {
		t.Fatal(err)
	}
	return st
}

// serviceOver is a Service over st with the model derived by model.Derive
// from the API shapes and the bundled vocabularies, closed with the test.
func serviceOver(t *testing.T, st *memstore.Store, opts Options) *Service {
	t.Helper()
	opts.Derive = model.Derive
	opts.ShapesGraphs = apiShapes
	opts.OntologyGraphs = vocabGraphs()
	svc, err := New(context.Background(), st, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(svc.Close)
	return svc
}

func TestSDLGolden(t *testing.T) {
	svc, _ := bundledService(t, Options{})
	got := svc.SDL()
	if again := PrintSDL(svc.Schema()); again != got {
		t.Fatal("SDL is not deterministic")
	}
	path := filepath.Join("testdata", "schema.graphql")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestSDLGolden -update)", err)
	}
	if got != string(want) {
		t.Errorf("SDL differs from %s (run with -update after checking the diff):\n%s", path, firstDiff(string(want), got))
	}
	for _, s := range []string{"type Dataset implements DatasetInterface", "datasets(after: String, first: Int, limit: Int, offset: Int, orderBy: [DatasetOrderBy!], where: DatasetWhere): DatasetConnection!",
		"input ConceptFilter", "scalar Date", "type PageInfo", "type Concept"} {
		if !strings.Contains(got, s) {
			t.Errorf("SDL lacks %q", s)
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}

// TestRebuildOnShapeWrite loads a new property shape into the local shapes
// graph and expects the field in introspection without a restart.
func TestRebuildOnShapeWrite(t *testing.T) {
	svc, st := bundledService(t, Options{Debounce: 10 * time.Millisecond})
	ctx := context.Background()
	fields := func() string {
		resp := svc.Do(ctx, Request{Query: `{ __type(name: "Dataset") { fields { name } } }`})
		if len(resp.Errors) > 0 {
			t.Fatal(resp.Errors)
		}
		return fmt.Sprint(resp.Data)
	}
	if strings.Contains(fields(), "qualityScore") {
		t.Fatal("qualityScore before the shape is loaded")
	}
	// A request in flight keeps the schema it started with.
	old := svc.cur.Load()

	sh := func(s string) graph.Term { return graph.IRI("http://www.w3.org/ns/shacl#" + s) }
	local := graph.IRI(shapes.LocalGraph)
	ns, ps := graph.IRI("http://ex.org/shapes/QualityShape"), graph.Blank("quality")
	quads := []graph.Quad{
		{S: ns, P: graph.IRI(rdfType), O: sh("NodeShape"), G: local},
		{S: ns, P: sh("targetClass"), O: graph.IRI(dcatNS + "Dataset"), G: local},
		{S: ns, P: sh("property"), O: ps, G: local},
		{S: ps, P: sh("path"), O: graph.IRI("http://ex.org/quality"), G: local},
		{S: ps, P: sh("name"), O: graph.String("qualityScore"), G: local},
		{S: ps, P: sh("datatype"), O: graph.IRI(graph.XSDDecimal), G: local},
		{S: ps, P: sh("maxCount"), O: graph.Literal("1", graph.XSDInteger), G: local},
	}
	if _, err := graph.Load(ctx, st, graph.FromSlice(quads), graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	svc.OnWrite(graph.IRI("http://ex.org/unrelated")) // ignored
	if svc.cur.Load() != old {
		t.Fatal("a write to an unrelated graph rebuilt the schema")
	}
	svc.OnWrite(local)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(fields(), "qualityScore") {
		if time.Now().After(deadline) {
			t.Fatal("qualityScore not in introspection 20 s after the write")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, ok := old.b.schema.Type("Dataset").(*graphql.Object).Fields()["qualityScore"]; ok {
		t.Error("the old schema changed in place")
	}
	if !strings.Contains(svc.SDL(), "qualityScore: Float") {
		t.Error("SDL lacks the new field")
	}
}

func TestHostile(t *testing.T) {
	svc := itemService(t, Options{MaxDepth: 6, MaxAliases: 20, MaxComplexity: 5000, MaxQueryBytes: 32 << 10, Build: BuildOptions{MaxFirst: 100}})
	deep := "{ items { nodes { parent { parent { parent { parent { parent { parent { id } } } } } } } } }"
	var aliases strings.Builder
	aliases.WriteString("{")
	for i := range 1000 {
		fmt.Fprintf(&aliases, " a%d: __typename", i)
	}
	aliases.WriteString(" }")
	var bomb strings.Builder
	bomb.WriteString("{ ...F20 }\nfragment F0 on Query { a: __typename b: __typename }\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&bomb, "fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	tests := []struct {
		name, query, want string
		vars              map[string]any
	}{
		{"deep nesting", deep, "depth", nil},
		{"huge first", "{ items(first: 100000) { nodes { id } } }", "maximum page size", nil},
		{"huge first in a variable", "query($n: Int) { items(first: $n) { nodes { id } } }", "maximum page size", map[string]any{"n": 5000}},
		{"huge limit", "{ items(limit: 1000000) { nodes { id } } }", "maximum page size", nil},
		{"aliases x 1000", aliases.String(), "aliases", nil},
		{"fragment bomb", bomb.String(), "fields", nil},
		{"complexity", "{ items(first: 100) { nodes { children(first: 100) { nodes { id name } } } } }", "complexity", nil},
		{"huge document", "{ items { nodes { id } } }" + strings.Repeat(" ", 40<<10), "bytes", nil},
		{"syntax error", "{ items { nodes { id }", "Syntax Error", nil},
		{"unknown field", "{ items { nodes { nope } } }", "Cannot query field", nil},
		{"fragment cycle", "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }", "cycle", nil},
		{"unreachable fragment cycle", "{ __typename } fragment A on Query { __typename ...B } fragment B on Query { ... on Query { ...A } }", "cycle", nil},
		{"fragment bomb without aliases", strings.NewReplacer("a: ", "", "b: ", "").Replace(bomb.String()), "fields", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			resp := svc.Do(context.Background(), Request{Query: tt.query, Variables: tt.vars, Explain: true})
			if !resp.Refused || resp.Data != nil {
				t.Fatalf("Do = refused %v, data %v, errors %v; want refused", resp.Refused, resp.Data, resp.Errors)
			}
			if resp.Extensions != nil {
				t.Errorf("refused request ran queries: %v", resp.Extensions)
			}
			if len(resp.Errors) == 0 || !strings.Contains(resp.Errors[0].Message, tt.want) {
				t.Errorf("errors = %v, want one mentioning %q", resp.Errors, tt.want)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("refusal took %v", d)
			}
		})
	}
	// Locations point at the offending field.
	resp := svc.Do(context.Background(), Request{Query: "{\n  items(first: 5000) { nodes { id } } }"})
	if len(resp.Errors) != 1 || len(resp.Errors[0].Locations) != 1 || resp.Errors[0].Locations[0].Line != 2 {
		t.Errorf("huge first error = %+v, want one located on line 2", resp.Errors)
	}
	// GraphiQL's introspection query nests deeper than MaxDepth and passes.
	resp = svc.Do(context.Background(), Request{Query: introspectionQuery})
	if resp.Refused || len(resp.Errors) > 0 {
		t.Errorf("introspection refused: %v", resp.Errors)
	}
}

// introspectionQuery is the query GraphiQL sends on start.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`

func TestErrorsAndCancellation(t *testing.T) {
	svc := itemService(t, Options{})
	// An execution error carries its path and location. The list fields are
	// non-null (connections always exist), so the error nulls the data, as
	// the GraphQL spec says.
	resp := svc.Do(context.Background(), Request{Query: `{ ok: items(first: 1) { nodes { id } } bad: items(after: "zzz") { nodes { id } } }`})
	if resp.Refused || len(resp.Errors) != 1 {
		t.Fatalf("errors = %v (refused %v), want one execution error", resp.Errors, resp.Refused)
	}
	e := resp.Errors[0]
	if len(e.Path) != 1 || e.Path[0] != "bad" || len(e.Locations) != 1 || !strings.Contains(e.Message, "cursor") {
		t.Errorf("error = %+v, want path [bad], a location and a cursor message", e)
	}
	if resp.Data != nil {
		t.Errorf("data = %v, want null", resp.Data)
	}
	// A nullable field's error leaves the rest of the data.
	resp = svc.Do(context.Background(), Request{Query: `{ ok: items(first: 1) { nodes { id } } one: item(id: "http://ex.org/item/01") { children(first: -1) { totalCount } } }`})
	if len(resp.Errors) != 1 || fmt.Sprint(resp.Errors[0].Path) != "[one children]" {
		t.Errorf("errors = %+v, want one at [one children]", resp.Errors)
	} else if d := resp.Data.(map[string]any); d["ok"] == nil || d["one"] != nil {
		t.Errorf("data = %v, want ok set and one null", d)
	}
	// A cancelled request returns an error, not a panic or a hang.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	resp = svc.Do(ctx, Request{Query: `{ items { nodes { id name children { nodes { id } } } } }`})
	if len(resp.Errors) == 0 {
		t.Error("cancelled request gave no error")
	}
	// The Visible hook's error is reported.
	failing := itemService(t, Options{Visible: func(context.Context, graph.Reader, bool) ([]graph.Term, error) {
		return nil, errors.New("policy down")
	}})
	if resp := failing.Do(context.Background(), Request{Query: `{ items { totalCount } }`}); len(resp.Errors) == 0 || !strings.Contains(resp.Errors[0].Message, "policy down") {
		t.Errorf("errors = %v, want the policy error", resp.Errors)
	}
}

func TestDocumentCache(t *testing.T) {
	svc := itemService(t, Options{CacheSize: 2})
	q := `{ items { totalCount } }`
	for range 3 {
		if resp := svc.Do(context.Background(), Request{Query: q}); len(resp.Errors) > 0 {
			t.Fatal(resp.Errors)
		}
	}
	gen := svc.cur.Load()
	if gen.cache.get(q) == nil {
		t.Fatal("query not cached")
	}
	for i := range 3 {
		svc.Do(context.Background(), Request{Query: fmt.Sprintf(`{ a%d: items { totalCount } }`, i)})
	}
	if gen.cache.get(q) != nil || gen.cache.ll.Len() != 2 {
		t.Errorf("cache holds %d documents, want 2 with the oldest evicted", gen.cache.ll.Len())
	}
}

// TestDiscoveryFields checks the contract with schema/discovery: extra root
// fields get the generated Dataset type, and nodes they return resolve
// the generated fields, batched.
func TestDiscoveryFields(t *testing.T) {
	var got graphql.Output
	svc := itemService(t, Options{
		Derive: staticDerive(&model.Model{Types: []*model.Type{
			{Name: "Dataset", Class: graph.IRI(ex + "Item"), Fields: idFields(
				&model.Field{Name: "name", Kind: model.Scalar, Scalar: "String", Path: fwd(ex + "name"), Single: true},
			)},
		}}),
		Build: BuildOptions{DatasetClass: ex + "Item", Discovery: func(ds graphql.Output) graphql.Fields {
			got = ds
			return graphql.Fields{"picked": {
				Type: graphql.NewList(ds),
				Resolve: func(graphql.ResolveParams) (any, error) {
					return []any{resource.Node{Term: item(3)}, &resource.Node{Term: item(7)}}, nil
				},
			}}
		}},
	})
	if got == nil || got.Name() != "Dataset" {
		t.Fatalf("Discovery got %v, want the Dataset type", got)
	}
	resp := svc.Do(context.Background(), Request{Query: `{ picked { id name } }`, Explain: true})
	if len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	if s := fmt.Sprint(resp.Data); s != "map[picked:[map[id:http://ex.org/item/03 name:item-3] map[id:http://ex.org/item/07 name:item-7]]]" {
		t.Errorf("data = %s", s)
	}
	if n := resp.Extensions["queries"]; n != 1 {
		t.Errorf("queries = %v, want 1 (batched)", n)
	}
}

func FuzzDo(f *testing.F) {
	for _, s := range []string{
		`{ items { nodes { id name } } }`,
		`{ items(where: {or: [{size: {gt: 2}}, {tag: {eq: "http://ex.org/dog"}}]}, orderBy: [{size: DESC}], first: 2) { totalCount edges { cursor node { id } } } }`,
		`query($w: ItemWhere) { items(where: $w) { nodes { label(lang: "de") labelLangs { lang } tag { label broader { id } } } } }`,
		`{ item(id: "http://ex.org/item/01") { children { nodes { parent { id } } } } }`,
		introspectionQuery,
		`{ items(after: "dGVzc2VyYTox") { pageInfo { hasNextPage } } }`,
		`{ __typename ...F } fragment F on Query { items(limit: 1, offset: 3) { nodes { born } } }`,
	} {
		f.Add(s)
	}
	svc := itemService(f, Options{Timeout: 2 * time.Second})
	f.Fuzz(func(t *testing.T, q string) {
		start := time.Now()
		resp := svc.Do(context.Background(), Request{Query: q, Variables: map[string]any{"w": map[string]any{"size": map[string]any{"eq": 1}}}})
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Do(%q) took %v", q, d)
		}
		if resp == nil {
			t.Fatal("nil response")
		}
		for _, e := range resp.Errors {
			if strings.Contains(e.Message, "internal error") {
				t.Fatalf("Do(%q): %s", q, e.Message)
			}
		}
	})
}
