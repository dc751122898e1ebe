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
