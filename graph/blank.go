package graph

import (
	"encoding/hex"
	"hash/maphash"
	"strconv"
)

// BlankScope gives each document its own blank nodes. RDF 1.1 blank node
// labels are local to the document that uses them, so loading the same file
// twice must create two sets of blank nodes, and `_:b1` in two files are two
// different nodes.
//
// A label is mapped to a 128-bit keyed hash of the label under a per-scope
// random key, so the scope keeps no table: memory does not grow with the
// number of blank nodes in a document, and the same label always maps to the
// same node within the scope.
type BlankScope struct {
	seed1, seed2 maphash.Seed
	fresh        uint64
}

// NewBlankScope returns a scope with fresh random keys.
func NewBlankScope() *BlankScope {
	return &BlankScope{seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed()}
}

// Named returns the scope's blank node for a document label such as "b1".
func (s *BlankScope) Named(label string) Term {
	return Blank(s.hashLabel("l" + label))
}

// Fresh returns a new blank node no other call of this scope returns, for
// anonymous nodes (`[]`, collections, RDF/XML nodes without rdf:nodeID).
func (s *BlankScope) Fresh() Term {
	s.fresh++
	return Blank(s.hashLabel("f" + strconv.FormatUint(s.fresh, 36)))
}

func (s *BlankScope) hashLabel(key string) string {
	var buf [16]byte
	h1 := maphash.String(s.seed1, key)
	h2 := maphash.String(s.seed2, key)
	for i := range 8 {
		buf[i] = byte(h1 >> (8 * i))
		buf[8+i] = byte(h2 >> (8 * i))
	}
	return "b" + hex.EncodeToString(buf[:])
}
