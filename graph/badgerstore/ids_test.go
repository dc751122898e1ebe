package badgerstore

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

func TestIDRoundTrip(t *testing.T) {
	const ex = "http://example.org/"
	nonNeg := graph.XSDNamespace + "nonNegativeInteger"
	tests := []struct {
		term   graph.Term
		inline bool
	}{
		{graph.DefaultGraph, true},
		{graph.Literal("0", graph.XSDInteger), true},
		{graph.Literal("42", graph.XSDInteger), true},
		{graph.Literal("-7", graph.XSDInteger), true},
		{graph.Literal("-36028797018963968", graph.XSDInteger), true}, // -2^55
		{graph.Literal("36028797018963967", graph.XSDInteger), true},  // 2^55-1
		{graph.Literal("36028797018963968", graph.XSDInteger), false}, // 2^55
		{graph.Literal("123456789012345678901234567890", graph.XSDInteger), false},
		{graph.Literal("042", graph.XSDInteger), false}, // not canonical
		{graph.Literal("+1", graph.XSDInteger), false},
		{graph.Literal("-0", graph.XSDInteger), false},
		{graph.Literal("", graph.XSDInteger), false},
		{graph.Literal("-", graph.XSDInteger), false},
		{graph.Literal("1e3", graph.XSDInteger), false},
		{graph.Literal("12", nonNeg), true},
		{graph.Literal("255", graph.XSDNamespace+"unsignedByte"), true},
		{graph.Literal("12", graph.XSDDecimal), false},
		{graph.Literal("true", graph.XSDBoolean), true},
		{graph.Literal("false", graph.XSDBoolean), true},
		{graph.Literal("1", graph.XSDBoolean), false},
		{graph.Literal("TRUE", graph.XSDBoolean), false},
		{graph.String(""), true},
		{graph.String("abcdefg"), true},
		{graph.String("ü€"), true},
		{graph.String("a\x00b"), true},
		{graph.String("abcdefgh"), false},
		{graph.String(strings.Repeat("long ", 100)), false},
		{graph.LangLiteral("ab", "en-GB"), false},
		{graph.Literal("ab", ex+"dt"), false},
		{graph.Literal("2024-01-02", graph.XSDNamespace+"date"), false},
		{graph.IRI(ex + "a"), false},
		{graph.IRI(""), false},
		{graph.Blank("b0"), false},
	}
	for _, tt := range tests {
		id, inline := inlineID(tt.term)
		if inline != tt.inline {
			t.Errorf("inlineID(%v) inline = %v, want %v", tt.term, inline, tt.inline)
			continue
		}
		var got graph.Term
		var err error
		if inline {
			if isHashed(id) {
				t.Errorf("inlineID(%v) = %016x has the hashed bit", tt.term, id)
			}
			got, err = decodeInline(id)
			// IntegerOfID reads exactly the integers back, without a term.
			v, dt, isInt := inlineInteger(id)
			if lex := strconv.FormatInt(v, 10); isInt != (got.IsLiteral() && got.Datatype() != graph.XSDString && got.Datatype() != graph.XSDBoolean) ||
				isInt && (dt != got.Datatype() || lex != got.Value()) {
				t.Errorf("inlineInteger(%v) = %d, %s, %v", tt.term, v, dt, isInt)
			}
		} else {
			got, err = decodeTerm(appendEncoding(nil, tt.term))
			if hid := hashedID(tt.term.Kind(), 0xffff_ffff_ffff_ffff); !isHashed(hid) {
				t.Errorf("hashedID(%v) = %016x lacks the hashed bit", tt.term, hid)
			}
		}
		if err != nil || got != tt.term {
			t.Errorf("round trip of %v = %v, %v", tt.term, got, err)
		}
	}
}

// TestIDKindsDistinct checks that equal text in different kinds of term
// encodes differently, so that they never share an id.
func TestIDKindsDistinct(t *testing.T) {
	terms := []graph.Term{
		graph.IRI("x"), graph.Blank("x"), graph.String("xxxxxxxxxx"),
		graph.LangLiteral("x", "en"), graph.Literal("x", "http://example.org/dt"),
		graph.Literal("en", graph.RDFLangString),
	}
	seen := map[string]graph.Term{}
	for _, term := range terms {
		enc := string(appendEncoding(nil, term))
		if other, ok := seen[enc]; ok {
			t.Errorf("%v and %v have the same encoding %q", term, other, enc)
		}
		seen[enc] = term
	}
	// Inline integers keep numeric order in their ids.
	a, _ := inlineID(graph.Literal("-5", graph.XSDInteger))
	b, _ := inlineID(graph.Literal("3", graph.XSDInteger))
	if a >= b {
		t.Errorf("id(-5) = %016x >= id(3) = %016x", a, b)
	}
}

func TestDecodeCorrupt(t *testing.T) {
	for _, b := range [][]byte{nil, {'X', 'a'}, {encLang, 0xff}, {encTyped, 9, 'a'}} {
		if _, err := decodeTerm(b); err == nil {
			t.Errorf("decodeTerm(%q) succeeded", b)
		}
	}
	for _, id := range []uint64{0x7f << 56, uint64(tagBoolean)<<56 | 2} {
		if _, err := decodeInline(id); err == nil {
			t.Errorf("decodeInline(%016x) succeeded", id)
		}
	}
}

// TestNoLocalIDs checks the graph.IDReader promise that no store id falls
// in the callers' range (graph.LocalIDTag): inline ids of every kind and
// hashed ids of every kind and hash.
func TestNoLocalIDs(t *testing.T) {
	terms := []graph.Term{
		graph.DefaultGraph,
		graph.Literal("-36028797018963968", graph.XSDInteger),
		graph.Literal("36028797018963967", graph.XSDInteger),
		graph.Literal("255", graph.XSDNamespace+"unsignedByte"),
		graph.Literal("true", graph.XSDBoolean),
		graph.String(""), graph.String("1234567"),
	}
	for _, term := range terms {
		id, ok := inlineID(term)
		if !ok {
			t.Fatalf("%v is not inlined", term)
		}
		if graph.IsLocalID(id) {
			t.Errorf("inline id of %v is %016x, in the local range", term, id)
		}
	}
	for _, kind := range []graph.Kind{graph.KindIRI, graph.KindBlank, graph.KindLiteral} {
		for _, h := range []uint64{0, 1, 0x7f << 56, ^uint64(0)} {
			if id := hashedID(kind, h); graph.IsLocalID(id) || !isHashed(id) {
				t.Errorf("hashedID(%v, %x) = %016x", kind, h, id)
			}
		}
	}
}

// TestAbsentTerms checks the cache of terms looked up and not found: a
// term added by a later commit is found by newer snapshots, older ones
// still miss it, and a write transaction sees its own new terms.
func TestAbsentTerms(t *testing.T) {
	ctx := context.Background()
	st := openTest(t, Options{NoSync: true})
	x := graph.IRI("http://ex/x")
	lookup := func(r graph.Reader) bool {
		t.Helper()
		_, ok, err := r.(graph.IDReader).LookupID(ctx, x)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	old, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Release()
	for range 2 { // the second answer comes from the cache
		if lookup(old) {
			t.Fatal("a term the store does not hold was found")
		}
	}
	err = st.Update(ctx, func(tx graph.Tx) error {
		if lookup(tx) {
			t.Error("found before it was added")
		}
		if err := tx.Add(graph.Quad{S: x, P: x, O: x, G: graph.DefaultGraph}); err != nil {
			return err
		}
		if !lookup(tx) {
			t.Error("a write transaction does not see its own new term")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	if !lookup(snap) {
		t.Error("a snapshot after the commit misses the term")
	}
	if lookup(old) {
		t.Error("the snapshot before the commit finds the term")
	}
}
