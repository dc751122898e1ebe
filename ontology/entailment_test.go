package ontology

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/eval"
	"github.com/tessera-fair/tessera/sparql/parser"
)

var _ eval.Entailment = RDFS{}

const entSchema = `
@prefix ex: <urn:ex:> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Cat rdfs:subClassOf ex:Mammal .
ex:Mammal rdfs:subClassOf ex:Animal .
ex:hasKitten rdfs:subPropertyOf ex:hasChild .
ex:hasChild rdfs:domain ex:Parent ; rdfs:range ex:Animal .
ex:owns rdfs:range ex:Pet .
`

const entData = `
@prefix ex: <urn:ex:> .
@prefix hd: <https://w3id.org/healthdcat-ap#> .
ex:tom a ex:Cat ; ex:hasKitten ex:kit .
ex:ann ex:owns ex:tom .
ex:rex a ex:Animal .
ex:bob ex:owns "a literal" .
ex:d1 hd:numberOfRecords 7 .
`

// entailmentStore returns a store with the bundled vocabularies, the
// schema above in its own graph and the data in another, and the
// snapshot built from the vocabularies and the schema.
func entailmentStore(t *testing.T) (graph.Reader, *Ontology, graph.Term) {
	t.Helper()
	ctx := context.Background()
	s, gs := bundled(t)
	schema, data := iri("urn:g:schema"), iri("urn:g:data")
	for _, src := range []struct {
		g    graph.Term
		text string
	}{{schema, entSchema}, {data, entData}} {
		qs, err := graph.Collect(syntax.Quads(turtle.NewDecoder(strings.NewReader(src.text), syntax.Options{})))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Update(ctx, func(tx graph.Tx) error {
			for _, q := range qs {
				q.G = src.g
				if err := tx.Add(q); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(snap.Release)
	o, err := Build(ctx, snap, append(gs, schema))
	if err != nil {
		t.Fatal(err)
	}
	return snap, o, data
}

func TestEntailment(t *testing.T) {
	r, o, data := entailmentStore(t)
	const pfx = "PREFIX ex: <urn:ex:> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX hdo: <http://healthdataportal.eu/ns/health#> "
	ds := eval.Dataset{Default: []graph.Term{data}}
	tests := []struct {
		name, query string
		equivalents bool
		want, plain []string // rows with and without entailment
	}{
		{"subclass", "SELECT ?x { ?x a ex:Mammal }", false, []string{"<urn:ex:tom>"}, nil},
		{"subclass, domain and range", "SELECT ?x { ?x a ex:Animal }", false,
			[]string{"<urn:ex:kit>", "<urn:ex:rex>", "<urn:ex:tom>"}, []string{"<urn:ex:rex>"}},
		{"domain through a sub-property", "SELECT ?x { ?x a ex:Parent }", false, []string{"<urn:ex:tom>"}, nil},
		{"range, literals left out", "SELECT ?x { ?x a ex:Pet }", false, []string{"<urn:ex:tom>"}, nil},
		{"sub-property", "SELECT ?x ?y { ?x ex:hasChild ?y }", false, []string{"<urn:ex:tom> <urn:ex:kit>"}, nil},
		{"all types of a resource", "SELECT ?c { ex:tom a ?c }", false,
			[]string{"<urn:ex:Animal>", "<urn:ex:Cat>", "<urn:ex:Mammal>", "<urn:ex:Parent>", "<urn:ex:Pet>"}, []string{"<urn:ex:Cat>"}},
		{"variable predicate", "SELECT ?p { ex:tom ?p ex:kit }", false,
			[]string{"<urn:ex:hasChild>", "<urn:ex:hasKitten>"}, []string{"<urn:ex:hasKitten>"}},
		{"variable predicate, type triples", "SELECT ?p ?o { ex:kit ?p ?o }", false,
			[]string{"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:ex:Animal>"}, nil},
		{"join of entailed patterns", "SELECT ?x ?y { ?x a ex:Parent . ?x ex:hasChild ?y . ?y a ex:Animal }", false,
			[]string{"<urn:ex:tom> <urn:ex:kit>"}, nil},
		{"schema closure", "SELECT ?c { ?c rdfs:subClassOf ex:Animal }", false,
			[]string{"<urn:ex:Animal>", "<urn:ex:Cat>", "<urn:ex:Mammal>"}, nil},
		{"alias namespace, strict RDFS", "SELECT ?d { ?d hdo:numberOfRecords ?n }", false, nil, nil},
		{"alias namespace with equivalents", "SELECT ?d { ?d hdo:numberOfRecords ?n }", true, []string{"<urn:ex:d1>"}, nil},
		{"no entailment asked: count", "SELECT (COUNT(*) AS ?n) { ?x a ex:Animal }", false,
			[]string{`"3"^^<http://www.w3.org/2001/XMLSchema#integer>`}, []string{`"1"^^<http://www.w3.org/2001/XMLSchema#integer>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, noOpt := range []bool{false, true} {
				got := trimRows(runQuery(t, r, pfx+tt.query, eval.Options{Dataset: ds, Entailment: o.RDFS(tt.equivalents), NoOptimize: noOpt}))
				if !slices.Equal(got, tt.want) {
					t.Errorf("%s (no optimizer: %v) = %q, want %q", tt.query, noOpt, got, tt.want)
				}
			}
			if got := trimRows(runQuery(t, r, pfx+tt.query, eval.Options{Dataset: ds})); !slices.Equal(got, tt.plain) {
				t.Errorf("%s without entailment = %q, want %q", tt.query, got, tt.plain)
			}
		})
	}
}

func trimRows(rows []string) []string {
	var out []string
	for _, r := range rows {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// TestEntailmentLimits checks that the de-duplication entailment needs is
// held to the query's memory budget and that cancellation stops it.
func TestEntailmentLimits(t *testing.T) {
	r, o, data := entailmentStore(t)
	a, err := parser.ParseQuery("SELECT * { ?s ?p ?o }", parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q, err := algebra.Translate(a, algebra.Options{})
	if err != nil {
		t.Fatal(err)
	}
	drain := func(ctx context.Context, opts eval.Options) error {
		res, err := eval.Query(ctx, r, q, opts)
		if err != nil {
			return err
		}
		for _, err := range res.Solutions {
			if err != nil {
				return err
			}
		}
		return nil
	}
	ds := eval.Dataset{Default: []graph.Term{data}}
	if err := drain(context.Background(), eval.Options{Dataset: ds, Entailment: o.RDFS(false), MaxMemory: 200}); !errors.Is(err, eval.ErrMemoryLimit) {
		t.Errorf("with a 200-byte budget: err = %v, want ErrMemoryLimit", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := drain(ctx, eval.Options{Dataset: eval.Dataset{UnionDefault: true}, Entailment: o.RDFS(true)}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}
