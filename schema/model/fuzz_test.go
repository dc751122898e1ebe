package model

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

// FuzzDerive derives models from arbitrary shapes graphs (an operator can
// load anything into the shapes graph): Derive must not panic or hang,
// and what it returns must be a well-formed model with valid, unique
// names.
func FuzzDerive(f *testing.F) {
	for _, seed := range []string{
		`ex:S sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ; sh:maxCount 1 ] .`,
		`ex:S sh:targetClass ex:A, ex:B ; sh:name "A" ; sh:property [ sh:path ( ex:a [ sh:inversePath ex:b ] ) ; sh:name "id" ] .`,
		`ex:S sh:targetClass ex:T ; sh:property [ sh:path [ sh:alternativePath ( ex:a ex:b ) ] ; sh:class ex:T ] , [ sh:path ex:q ; sh:node ex:S ] .`,
		`ex:S sh:targetObjectsOf ex:p . ex:T sh:targetClass ex:U ; sh:property [ sh:path ex:p ; sh:class ex:U ] .`,
		`ex:S sh:targetClass ex:T ; sh:property [ sh:path _:l ] . _:l rdf:first ex:a ; rdf:rest _:l .`,
		`ex:T a rdfs:Class, sh:NodeShape ; sh:property [ sh:path [ sh:inversePath ex:x ] ; sh:qualifiedValueShape [ sh:class ex:T ] ; sh:name "3x" ] .`,
		`ex:S sh:targetClass ex:String ; sh:property [ sh:path ex:types ] , [ sh:path ex:__typename ] .`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		dec := turtle.NewDecoder(strings.NewReader(ttlPrefixes+text), syntax.Options{File: "fuzz"})
		var qs []graph.Quad
		for len(qs) < 2000 {
			q, err := dec.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return
			}
			q.G = shapesG
			qs = append(qs, q)
		}
		ctx := context.Background()
		st := memstore.New()
		if _, err := graph.Load(ctx, st, graph.FromSlice(qs), graph.LoadOptions{}); err != nil {
			return
		}
		snap, err := st.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer snap.Release()
		m, err := Derive(ctx, snap, []graph.Term{shapesG}, nil)
		if err != nil {
			t.Fatalf("Derive = %v", err)
		}
		checkWellFormed(t, m)
		_ = Format(m)
	})
}
