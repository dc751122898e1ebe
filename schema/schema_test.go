package schema

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/schema/model"
)

// A small hand-made catalogue for unit tests: ten items in two graphs, a
// SKOS hierarchy animal > mammal > dog (dog exactMatch canine) and bird.
const (
	ex     = "http://ex.org/"
	ex2    = "http://other.org/"
	skosB  = skosNS + "broader"
	skosPL = skosNS + "prefLabel"
	skosEM = skosNS + "exactMatch"
	xsdInt = graph.XSDInteger
	xsdDat = graph.XSDNamespace + "date"
)

var (
	gA     = graph.IRI(ex + "graph/a")
	gB     = graph.IRI(ex + "graph/b")
	vocabG = graph.IRI(ex + "graph/vocab")
)

func itemModel() *model.Model {
	return &model.Model{Types: []*model.Type{{
		Name: "Item", Class: graph.IRI(ex + "Item"), Description: "A test item.",
		Fields: idFields(
			&model.Field{Name: "born", Kind: model.Scalar, Scalar: "Date", Path: fwd(ex + "born"), Single: true},
			&model.Field{Name: "children", Kind: model.Object, Target: "Item", Path: inv(ex + "parent")},
			&model.Field{Name: "label", Kind: model.LangString, Path: fwd(ex + "label"), Single: true},
			&model.Field{Name: "name", Kind: model.Scalar, Scalar: "String", Path: fwd(ex + "name"), Single: true},
			&model.Field{Name: "parent", Kind: model.Object, Target: "Item", Path: fwd(ex + "parent"), Single: true},
			&model.Field{Name: "score", Kind: model.Scalar, Scalar: "Float", Path: fwd(ex + "score"), Single: true},
			&model.Field{Name: "size", Kind: model.Scalar, Scalar: "Int", Path: fwd(ex+"size", ex2+"size"), Single: true},
			&model.Field{Name: "tag", Kind: model.Reference, Path: fwd(ex + "tag")},
			&model.Field{Name: "nick", Kind: model.Scalar, Scalar: "String", Path: fwd(ex + "nick")},
		),
	}}}
}

func item(i int) graph.Term { return graph.IRI(fmt.Sprintf("%sitem/%02d", ex, i)) }

// itemStore holds items 1..10: item i has size i (item 10 in the other
// namespace), name "item-i", born 2020-01-i, score i/2, label in en and
// de for even items, tag dog (1-3), canine (4), mammal (5), bird (6-7),
// none (8-10); items 2..4 have parent 1, item 5 parent 2; items 1-5 in
// graph a, 6-10 in graph b.
func itemStore(tb testing.TB) *memstore.Store {
	tb.Helper()
	s := memstore.New()
	var qs []graph.Quad
	add := func(g, s, p, o graph.Term) { qs = append(qs, graph.Quad{S: s, P: p, O: o, G: g}) }
	iri := graph.IRI
	add(vocabG, iri(ex+"mammal"), iri(skosB), iri(ex+"animal"))
	add(vocabG, iri(ex+"dog"), iri(skosB), iri(ex+"mammal"))
	add(vocabG, iri(ex+"bird"), iri(skosB), iri(ex+"animal"))
	add(vocabG, iri(ex+"dog"), iri(skosEM), iri(ex2+"canine"))
	add(vocabG, iri(ex+"dog"), iri(skosPL), graph.LangLiteral("dog", "en"))
	add(vocabG, iri(ex+"dog"), iri(skosPL), graph.LangLiteral("Hund", "de"))
	add(vocabG, iri(ex+"mammal"), iri(skosPL), graph.LangLiteral("mammal", "en"))
	for i := 1; i <= 10; i++ {
		g := gA
		if i > 5 {
			g = gB
		}
		it := item(i)
		add(g, it, iri(rdfType), iri(ex+"Item"))
		sizeP := ex + "size"
		if i == 10 {
			sizeP = ex2 + "size"
		}
		add(g, it, iri(sizeP), graph.Literal(fmt.Sprint(i), xsdInt))
		add(g, it, iri(ex+"name"), graph.String(fmt.Sprintf("item-%d", i)))
		add(g, it, iri(ex+"born"), graph.Literal(fmt.Sprintf("2020-01-%02d", i), xsdDat))
		add(g, it, iri(ex+"score"), graph.Literal(fmt.Sprint(float64(i)/2), graph.XSDDecimal))
		if i%2 == 0 {
			add(g, it, iri(ex+"label"), graph.LangLiteral(fmt.Sprintf("Item %d", i), "en"))
			add(g, it, iri(ex+"label"), graph.LangLiteral(fmt.Sprintf("Ding %d", i), "de"))
			add(g, it, iri(ex+"nick"), graph.String(fmt.Sprintf("Even%d", i)))
		}
		switch {
		case i <= 3:
			add(g, it, iri(ex+"tag"), iri(ex+"dog"))
		case i == 4:
			add(g, it, iri(ex+"tag"), iri(ex2+"canine"))
		case i == 5:
			add(g, it, iri(ex+"tag"), iri(ex+"mammal"))
		case i <= 7:
			add(g, it, iri(ex+"tag"), iri(ex+"bird"))
		}
		switch {
		case i >= 2 && i <= 4:
			add(g, it, iri(ex+"parent"), item(1))
		case i == 5:
			add(g, it, iri(ex+"parent"), item(2))
		}
	}
	if _, err := graph.Load(context.Background(), s, graph.FromSlice(qs), graph.LoadOptions{}); err != nil {
		tb.Fatal(err)
	}
	return s
}

func itemService(tb testing.TB, opts Options) *Service {
	tb.Helper()
	if opts.Derive == nil {
		opts.Derive = staticDerive(itemModel())
	}
	opts.OntologyGraphs = []graph.Term{vocabG}
	if opts.Visible == nil {
		opts.Visible = func(context.Context, graph.Reader, bool) ([]graph.Term, error) { return []graph.Term{gA, gB}, nil }
	}
	svc, err := New(context.Background(), itemStore(tb), opts)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	tb.Cleanup(svc.Close)
	return svc
}

// do runs q and fails the test on errors.
func do(tb testing.TB, svc *Service, q string, vars map[string]any) map[string]any {
	tb.Helper()
	resp := svc.Do(context.Background(), Request{Query: q, Variables: vars})
	if len(resp.Errors) > 0 {
		tb.Fatalf("Do(%s) errors: %v", q, resp.Errors)
	}
	m, ok := resp.Data.(map[string]any)
	if !ok {
		tb.Fatalf("Do(%s) data = %T", q, resp.Data)
	}
	return m
}

// ids reads the ids of conn.nodes at a dotted path of the data.
func ids(tb testing.TB, data any, path string) []string {
	tb.Helper()
	cur := data
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			tb.Fatalf("path %s: %T at %s", path, cur, k)
		}
		cur = m[k]
	}
	list, _ := cur.([]any)
	out := []string{}
	for _, n := range list {
		id, _ := n.(map[string]any)["id"].(string)
		out = append(out, strings.TrimPrefix(id, ex+"item/"))
	}
	return out
}

func TestWhere(t *testing.T) {
	svc := itemService(t, Options{})
	tests := []struct {
		name  string
		where string
		want  []string
	}{
		{"int eq", `{size: {eq: 3}}`, []string{"03"}},
		{"int alternative predicate", `{size: {eq: 10}}`, []string{"10"}},
		{"int range", `{size: {gte: 4, lt: 7}}`, []string{"04", "05", "06"}},
		{"int in", `{size: {in: [2, 9, 42]}}`, []string{"02", "09"}},
		{"int ne", `{size: {ne: 1}}`, []string{"02", "03", "04", "05", "06", "07", "08", "09", "10"}},
		{"float gt", `{score: {gt: 4.0}}`, []string{"09", "10"}},
		{"date lt", `{born: {lt: "2020-01-03"}}`, []string{"01", "02"}},
		{"string eq", `{name: {eq: "item-7"}}`, []string{"07"}},
		{"string eq is case-sensitive", `{name: {eq: "ITEM-7"}}`, []string{}},
		{"string eq case-insensitive", `{name: {eq: "ITEM-7", caseInsensitive: true}}`, []string{"07"}},
		{"contains", `{name: {contains: "-1"}}`, []string{"01", "10"}},
		{"regex", `{name: {regex: "^item-[2-3]$"}}`, []string{"02", "03"}},
		{"regex case-insensitive", `{name: {regex: "^ITEM-[2-3]$", caseInsensitive: true}}`, []string{"02", "03"}},
		{"lang string contains", `{label: {contains: "Ding 4"}}`, []string{"04"}},
		{"lang string with lang", `{label: {contains: "4", lang: "de"}}`, []string{"04"}},
		{"lang string wrong lang", `{label: {contains: "Ding", lang: "en"}}`, []string{}},
		{"list field eq", `{nick: {eq: "Even6"}}`, []string{"06"}},
		{"concept with descendants and equivalents", `{tag: {eq: "http://ex.org/mammal"}}`, []string{"01", "02", "03", "04", "05"}},
		{"concept equivalents of dog", `{tag: {in: ["http://ex.org/dog"]}}`, []string{"01", "02", "03", "04"}},
		{"concept exact only", `{tag: {eq: "http://ex.org/dog", includeDescendants: false}}`, []string{"01", "02", "03"}},
		{"concept root", `{tag: {eq: "http://ex.org/animal"}}`, []string{"01", "02", "03", "04", "05", "06", "07"}},
		{"concept ne", `{tag: {ne: "http://ex.org/animal"}, size: {lt: 9}}`, []string{"08"}},
		{"unknown concept", `{tag: {eq: "http://ex.org/fish"}}`, []string{}},
		{"nested object", `{parent: {name: {eq: "item-1"}}}`, []string{"02", "03", "04"}},
		{"nested two levels", `{parent: {parent: {size: {eq: 1}}}}`, []string{"05"}},
		{"nested list object", `{children: {tag: {eq: "http://ex.org/mammal"}}}`, []string{"01", "02"}},
		{"and", `{and: [{size: {gt: 2}}, {size: {lt: 5}}]}`, []string{"03", "04"}},
		{"or", `{or: [{size: {eq: 1}}, {name: {eq: "item-9"}}]}`, []string{"01", "09"}},
		{"not", `{not: {size: {lte: 8}}}`, []string{"09", "10"}},
		{"empty or matches nothing", `{or: []}`, []string{}},
		{"id in", `{id: {in: ["http://ex.org/item/03", "http://ex.org/item/05"]}}`, []string{"03", "05"}},
		{"types", `{types: {eq: "http://ex.org/Item"}, size: {eq: 2}}`, []string{"02"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := do(t, svc, `{ items(where: `+tt.where+`) { totalCount nodes { id } } }`, nil)
			got := ids(t, data, "items.nodes")
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("items(where: %s) = %v, want %v", tt.where, got, tt.want)
			}
			if n := data["items"].(map[string]any)["totalCount"]; n != len(tt.want) {
				t.Errorf("totalCount = %v, want %d", n, len(tt.want))
			}
		})
	}
}

func TestOrderBy(t *testing.T) {
	svc := itemService(t, Options{})
	tests := []struct {
		order string
		want  []string
	}{
		{`[{size: DESC}]`, []string{"10", "09", "08", "07", "06", "05", "04", "03", "02", "01"}},
		{`[{size: ASC}]`, []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10"}},
		// Ties broken by id; unbound sorts first ascending.
		{`[{label: DESC}, {id: ASC}]`, []string{"08", "06", "04", "02", "10", "01", "03", "05", "07", "09"}},
		{`[{nick: ASC}]`, []string{"01", "03", "05", "07", "09", "10", "02", "04", "06", "08"}},
		{`[{born: DESC}]`, []string{"10", "09", "08", "07", "06", "05", "04", "03", "02", "01"}},
		{`[{id: DESC}]`, []string{"10", "09", "08", "07", "06", "05", "04", "03", "02", "01"}},
	}
	for _, tt := range tests {
		t.Run(tt.order, func(t *testing.T) {
			got := ids(t, do(t, svc, `{ items(orderBy: `+tt.order+`) { nodes { id } } }`, nil), "items.nodes")
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("items(orderBy: %s) = %v, want %v", tt.order, got, tt.want)
			}
		})
	}
}

func TestPaging(t *testing.T) {
	svc := itemService(t, Options{})
	// Walk with first/after: the pages concatenate to the whole list.
	var all []string
	after := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		vars := map[string]any{"after": after}
		if after == "" {
			vars = nil
		}
		data := do(t, svc, `query($after: String) { items(first: 3, after: $after, orderBy: [{size: DESC}]) {
			totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`, vars)
		conn := data["items"].(map[string]any)
		if conn["totalCount"] != 10 {
			t.Errorf("totalCount = %v, want 10", conn["totalCount"])
		}
		pi := conn["pageInfo"].(map[string]any)
		edges := conn["edges"].([]any)
		for _, e := range edges {
			all = append(all, strings.TrimPrefix(e.(map[string]any)["node"].(map[string]any)["id"].(string), ex+"item/"))
		}
		if pi["hasPreviousPage"] != (after != "") {
			t.Errorf("hasPreviousPage = %v after %q", pi["hasPreviousPage"], after)
		}
		if len(edges) > 0 && pi["endCursor"] != edges[len(edges)-1].(map[string]any)["cursor"] {
			t.Errorf("endCursor %v is not the last edge's cursor", pi["endCursor"])
		}
		if pi["hasNextPage"] != true {
			break
		}
		after = pi["endCursor"].(string)
	}
	want := []string{"10", "09", "08", "07", "06", "05", "04", "03", "02", "01"}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("pages = %v, want %v", all, want)
	}
	// limit/offset gives the same slice.
	got := ids(t, do(t, svc, `{ items(limit: 2, offset: 3, orderBy: [{size: DESC}]) { nodes { id } } }`, nil), "items.nodes")
	if !reflect.DeepEqual(got, want[3:5]) {
		t.Errorf("limit 2 offset 3 = %v, want %v", got, want[3:5])
	}
	// Past the end: empty, no next page, total still right.
	data := do(t, svc, `{ items(offset: 20) { totalCount nodes { id } pageInfo { hasNextPage } } }`, nil)
	if c := data["items"].(map[string]any); c["totalCount"] != 10 || len(c["nodes"].([]any)) != 0 {
		t.Errorf("offset 20 = %v", c)
	}
}

func TestPagingErrors(t *testing.T) {
	svc := itemService(t, Options{Build: BuildOptions{MaxFirst: 50}})
	for _, q := range []string{
		`{ items(first: 51) { nodes { id } } }`,
		`{ items(first: -1) { nodes { id } } }`,
		`{ items(first: 2, limit: 2) { nodes { id } } }`,
		`{ items(after: "bm90IGEgY3Vyc29y") { nodes { id } } }`,
		`{ items(after: "%%%") { nodes { id } } }`,
		`{ items(orderBy: [{size: ASC, name: ASC}]) { nodes { id } } }`,
	} {
		resp := svc.Do(context.Background(), Request{Query: q})
		if len(resp.Errors) == 0 {
			t.Errorf("Do(%s) gave no error", q)
		}
	}
}

func TestFields(t *testing.T) {
	svc := itemService(t, Options{})
	data := do(t, svc, `{ item(id: "http://ex.org/item/04") {
		id types name size score born nick
		label en: label(lang: "en") de: label(lang: "de-CH") fr: label(lang: "fr") labelLangs { value lang }
		tag { id label de: label(lang: "de") prefLabel exactMatch { id } broader { id } narrower { id } }
		parent { id name children(orderBy: [{id: ASC}]) { totalCount nodes { id } } }
		children { totalCount nodes { id } }
	} missing: item(id: "http://ex.org/nothing") { id } }`, nil)
	b, _ := json.Marshal(data)
	want := `{"item":{"born":"2020-01-04","children":{"nodes":[],"totalCount":0},"de":"Ding 4","en":"Item 4","fr":"Item 4","id":"http://ex.org/item/04",` +
		`"label":"Item 4","labelLangs":[{"lang":"de","value":"Ding 4"},{"lang":"en","value":"Item 4"}],"name":"item-4","nick":["Even4"],` +
		`"parent":{"children":{"nodes":[{"id":"http://ex.org/item/02"},{"id":"http://ex.org/item/03"},{"id":"http://ex.org/item/04"}],"totalCount":3},"id":"http://ex.org/item/01","name":"item-1"},` +
		`"score":2,"size":4,"tag":[{"broader":[],"de":"Hund","exactMatch":[{"id":"http://ex.org/dog"}],"id":"http://other.org/canine","label":"dog","narrower":[],"prefLabel":null}],` +
		`"types":["http://ex.org/Item"]},"missing":null}`
	if string(b) != want {
		t.Errorf("fields =\n%s\nwant\n%s", b, want)
	}
	data = do(t, svc, `{ item(id: "http://ex.org/item/01") { tag { id broader { id label } } } }`, nil)
	b, _ = json.Marshal(data)
	if want := `{"item":{"tag":[{"broader":[{"id":"http://ex.org/mammal","label":"mammal"}],"id":"http://ex.org/dog"}]}}`; string(b) != want {
		t.Errorf("broader = %s, want %s", b, want)
	}
}

func TestBestLang(t *testing.T) {
	ts := []graph.Term{graph.LangLiteral("colour", "en-gb"), graph.LangLiteral("Farbe", "de"), graph.String("color"), graph.LangLiteral("couleur", "fr")}
	tests := []struct{ want, fallback, got string }{
		{"de", "", "Farbe"},
		{"en", "", "colour"},
		{"en-GB", "", "colour"},
		{"it", "", "color"},
		{"", "en", "colour"},
		{"", "", "color"},
	}
	for _, tt := range tests {
		best := bestLang(ts, tt.want, tt.fallback)
		if len(best) == 0 || best[0].Value() != tt.got {
			t.Errorf("bestLang(%q, fallback %q) = %v, want %s", tt.want, tt.fallback, best, tt.got)
		}
	}
	if got := bestLang([]graph.Term{graph.LangLiteral("b", "fr"), graph.LangLiteral("a", "it")}, "de", ""); len(got) != 1 {
		t.Errorf("any-language tier = %v, want one value", got)
	}
}

func TestAccess(t *testing.T) {
	// Only graph a is visible: items 6..10 (graph b) disappear from lists,
	// getters and nested lists.
	svc := itemService(t, Options{Visible: func(context.Context, graph.Reader, bool) ([]graph.Term, error) {
		return []graph.Term{gA}, nil
	}})
	got := ids(t, do(t, svc, `{ items { nodes { id } } }`, nil), "items.nodes")
	if want := []string{"01", "02", "03", "04", "05"}; !reflect.DeepEqual(got, want) {
		t.Errorf("visible items = %v, want %v", got, want)
	}
	data := do(t, svc, `{ item(id: "http://ex.org/item/07") { id name } }`, nil)
	if data["item"] != nil {
		t.Errorf("hidden item = %v, want null", data["item"])
	}
	// Catalogue types are not restricted.
	open := itemService(t, Options{Build: BuildOptions{IsRecord: func(*model.Type) bool { return false }},
		Visible: func(context.Context, graph.Reader, bool) ([]graph.Term, error) { return nil, nil }})
	if got := ids(t, do(t, open, `{ items { nodes { id } } }`, nil), "items.nodes"); len(got) != 10 {
		t.Errorf("catalogue items = %v, want all 10", got)
	}
}

func TestCursor(t *testing.T) {
	for _, i := range []int{0, 1, 99, 123456} {
		got, err := decodeCursor(encodeCursor(i))
		if err != nil || got != i {
			t.Errorf("decodeCursor(encodeCursor(%d)) = %d, %v", i, got, err)
		}
	}
	for _, s := range []string{"", "xx", encodeCursor(-1), "dGVzc2VyYTphYmM"} {
		if _, err := decodeCursor(s); err == nil {
			t.Errorf("decodeCursor(%q) gave no error", s)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"Dataset": "datasets", "ImagingStudy": "imagingStudies", "Catalog": "catalogs", "Address": "addresses", "Key": "keys"} {
		if got := plural(lowerFirst(in)); got != want {
			t.Errorf("plural(lowerFirst(%q)) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"FDPCatalog": "fdpCatalog", "URL": "url", "Dataset": "dataset", "x": "x"} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBuildHandModel(t *testing.T) {
	s, err := Build(demoModel(), BuildOptions{})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	sdl := PrintSDL(s)
	for _, want := range []string{
		"type Dataset implements Node {", "patients(after: String, first: Int, limit: Int, offset: Int, orderBy: [PatientOrderBy!], where: PatientWhere): PatientConnection!",
		"publisher: Organization", "condition: [Concept!]!", "title(lang: String): String", "titleLangs: [LangString!]!",
		"imagingStudies(", "input DatasetWhere {", "  patients: PatientWhere", "  condition: ConceptFilter",
	} {
		if !strings.Contains(sdl, want) {
			t.Errorf("SDL lacks %q", want)
		}
	}
	if _, err := Build(nil, BuildOptions{}); err == nil {
		t.Error("Build(nil) gave no error")
	}
	dup := &model.Model{Types: []*model.Type{{Name: "A", Class: graph.IRI(ex + "A")}, {Name: "A", Class: graph.IRI(ex + "B")}}}
	if _, err := Build(dup, BuildOptions{}); err == nil {
		t.Error("Build with two types named A gave no error")
	}
}

func TestNode(t *testing.T) {
	svc := itemService(t, Options{Visible: func(context.Context, graph.Reader, bool) ([]graph.Term, error) {
		return []graph.Term{gA}, nil
	}})
	data := do(t, svc, `{ a: node(id: "http://ex.org/item/02") { __typename id ... on Item { name parent { id } } }
		hidden: node(id: "http://ex.org/item/07") { id }
		none: node(id: "http://ex.org/dog") { id } }`, nil)
	a, _ := data["a"].(map[string]any)
	if a == nil || a["__typename"] != "Item" || a["name"] != "item-2" || a["parent"].(map[string]any)["id"] != ex+"item/01" {
		t.Errorf("node(item 2) = %v", data["a"])
	}
	if data["hidden"] != nil || data["none"] != nil {
		t.Errorf("node of a hidden record = %v, of a concept = %v; want null", data["hidden"], data["none"])
	}
}
