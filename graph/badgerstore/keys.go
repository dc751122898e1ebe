package badgerstore

import (
	"encoding/binary"
	"math/bits"
)

// Key prefixes. Index keys are prefix + four 8-byte ids with empty values.
const (
	pfxSPOG    = 0x01
	pfxPOSG    = 0x02
	pfxOSPG    = 0x03
	pfxGSPO    = 0x04
	pfxGPOS    = 0x05
	pfxGOSP    = 0x06
	pfxDict    = 0x10 // + id → term encoding
	pfxGraph   = 0x11 // + id → empty: the named graph exists
	pfxMeta    = 0x20 // + name → value
	quadKeyLen = 1 + 4*8
	idKeyLen   = 1 + 8
)

// Quad positions, in the order of graph.Quad and graph.Pattern.
const (
	posS = iota
	posP
	posO
	posG
)

// index is one permutation of the quad positions.
type index struct {
	prefix byte
	name   string
	order  [4]int // order[i] is the position stored in key slot i
}

// indexes are the six permutations; with them every combination of bound
// positions is a key prefix of one index.
var indexes = [6]index{
	{pfxSPOG, "spog", [4]int{posS, posP, posO, posG}},
	{pfxPOSG, "posg", [4]int{posP, posO, posS, posG}},
	{pfxOSPG, "ospg", [4]int{posO, posS, posP, posG}},
	{pfxGSPO, "gspo", [4]int{posG, posS, posP, posO}},
	{pfxGPOS, "gpos", [4]int{posG, posP, posO, posS}},
	{pfxGOSP, "gosp", [4]int{posG, posO, posS, posP}},
}

// The default graph's quads are keys of the first three indexes only (SPOG,
// POSG and OSPG with G = 0), as Oxigraph keeps them in three orders: their
// GSPO, GPOS and GOSP keys would repeat the same orders under the prefix 0.
// A load into the default graph then writes half the keys. A pattern with G
// bound to the default graph scans the S/P/O index of its other bound
// positions and skips the keys of named graphs (see rangeFor); its order is
// the one the G-led index had, because G is the last slot of the first three.
const (
	defaultIndexes = 3
	gSlot          = 1 + 3*8 // offset of G in a key of the first three indexes
)

// quadIndexes returns the indexes that hold a quad of graph id g.
func quadIndexes(g uint64) []index {
	if g == 0 {
		return indexes[:defaultIndexes]
	}
	return indexes[:]
}

// plan says, for a set of bound positions (bit i = position i bound), which
// index to scan; the bound positions are the first bits.OnesCount(mask) slots.
var plan = func() (p [16]int) {
	for mask := range 16 {
		p[mask] = -1
		k := bits.OnesCount(uint(mask))
		for i, ix := range indexes {
			m := 0
			for _, pos := range ix.order[:k] {
				m |= 1 << pos
			}
			if m == mask {
				p[mask] = i
				break
			}
		}
	}
	return p
}()

// putQuadKey writes the key of ids in index ix into dst (quadKeyLen bytes).
func putQuadKey(dst []byte, ix *index, ids *[4]uint64) {
	dst[0] = ix.prefix
	for i, pos := range ix.order {
		binary.BigEndian.PutUint64(dst[1+8*i:], ids[pos])
	}
}

// readQuadKey reads the ids of an index key back into position order.
func readQuadKey(key []byte, ix *index, ids *[4]uint64) {
	for i, pos := range ix.order {
		ids[pos] = binary.BigEndian.Uint64(key[1+8*i:])
	}
}

// idKey returns prefix + id.
func idKey(prefix byte, id uint64) []byte {
	k := make([]byte, idKeyLen)
	k[0] = prefix
	binary.BigEndian.PutUint64(k[1:], id)
	return k
}

var metaKey = []byte{pfxMeta, 'm'}
