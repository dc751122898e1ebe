package badgerstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/tessera-fair/tessera/graph"
)

// Term ids are 8-byte big-endian uint64 values (see the package doc).
//
//	0x00 00000000000000        the default graph
//	0x01..0x0d + 7 bytes        an integer-family literal, offset binary
//	0x10 + 7 bytes              xsd:boolean (0 or 1)
//	0x20..0x27 + 7 bytes        xsd:string of 0..7 bytes, zero padded
//	1 kk + 61 bits              hashed term: kk = 01 IRI, 10 blank, 11 literal
const (
	tagInteger   = 0x01 // first integer-family tag
	tagBoolean   = 0x10
	tagString    = 0x20 // + length
	hashedBit    = uint64(1) << 63
	hashKindIRI  = uint64(1) << 61
	hashKindBlk  = uint64(2) << 61
	hashKindLit  = uint64(3) << 61
	hashMask     = uint64(1)<<61 - 1
	intOffset    = int64(1) << 55 // 56-bit offset binary keeps integer ids in numeric order
	maxInlineStr = 7
)

// intTypes are the datatypes whose canonical lexical form is that of
// xsd:integer; a literal of one of them is inlined when its lexical form is
// canonical and fits in 56 bits. The tag is tagInteger + index.
var intTypes = [...]string{
	graph.XSDInteger,
	graph.XSDNamespace + "nonNegativeInteger",
	graph.XSDNamespace + "positiveInteger",
	graph.XSDNamespace + "nonPositiveInteger",
	graph.XSDNamespace + "negativeInteger",
	graph.XSDNamespace + "long",
	graph.XSDNamespace + "int",
	graph.XSDNamespace + "short",
	graph.XSDNamespace + "byte",
	graph.XSDNamespace + "unsignedLong",
	graph.XSDNamespace + "unsignedInt",
	graph.XSDNamespace + "unsignedShort",
	graph.XSDNamespace + "unsignedByte",
}

// Encoded-term kinds: the first byte of a dictionary value.
const (
	encIRI     = 'I'
	encBlank   = 'B'
	encString  = 'S' // xsd:string literal
	encLang    = 'L' // rdf:langString: uvarint len, lang, lexical form
	encTyped   = 'T' // other literal: uvarint len, datatype, lexical form
	errTooLong = "term longer than 1 GiB"
)

var errBadEncoding = errors.New("badgerstore: corrupt term encoding")

// inlineID returns the id of a term that needs no dictionary entry.
func inlineID(t graph.Term) (uint64, bool) {
	switch t.Kind() {
	case graph.KindDefaultGraph, graph.KindNone:
		return 0, true
	case graph.KindLiteral:
	default:
		return 0, false
	}
	dt, lex := t.Datatype(), t.Value()
	switch dt {
	case graph.XSDString:
		if len(lex) > maxInlineStr {
			return 0, false
		}
		var b [8]byte
		b[0] = tagString + byte(len(lex))
		copy(b[1:], lex)
		return binary.BigEndian.Uint64(b[:]), true
	case graph.XSDBoolean:
		switch lex {
		case "false":
			return uint64(tagBoolean) << 56, true
		case "true":
			return uint64(tagBoolean)<<56 | 1, true
		}
		return 0, false
	}
	for i, it := range intTypes {
		if dt == it {
			v, ok := canonicalInt(lex)
			if !ok {
				return 0, false
			}
			return uint64(tagInteger+i)<<56 | uint64(v+intOffset), true
		}
	}
	return 0, false
}

// canonicalInt parses lex if it is the canonical form of an integer in
// [-2^55, 2^55): no sign but '-', no leading zeros, no "-0".
func canonicalInt(lex string) (int64, bool) {
	digits := lex
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 17 || (digits[0] == '0' && len(lex) > 1) {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(lex, 10, 64)
	if err != nil || v < -intOffset || v >= intOffset {
		return 0, false
	}
	return v, true
}

// decodeInline returns the term of an inline id.
func decodeInline(id uint64) (graph.Term, error) {
	tag := byte(id >> 56)
	switch {
	case id == 0:
		return graph.DefaultGraph, nil
	case tag >= tagInteger && int(tag-tagInteger) < len(intTypes):
		v, dt, _ := inlineInteger(id)
		return graph.Literal(strconv.FormatInt(v, 10), dt), nil
	case tag == tagBoolean && id&(1<<56-1) <= 1:
		if id&1 == 1 {
			return graph.Literal("true", graph.XSDBoolean), nil
		}
		return graph.Literal("false", graph.XSDBoolean), nil
	case tag >= tagString && tag <= tagString+maxInlineStr:
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], id)
		return graph.String(string(b[1 : 1+tag-tagString])), nil
	}
	return graph.Term{}, fmt.Errorf("inline id %016x: %w", id, errBadEncoding)
}

// inlineInteger returns the value and datatype of an inline
// integer-family id.
func inlineInteger(id uint64) (int64, string, bool) {
	tag := byte(id >> 56)
	if tag < tagInteger || int(tag-tagInteger) >= len(intTypes) {
		return 0, "", false
	}
	return int64(id&(1<<56-1)) - intOffset, intTypes[tag-tagInteger], true
}

// isHashed reports whether id names a dictionary entry.
func isHashed(id uint64) bool { return id&hashedBit != 0 }

// appendEncoding appends the dictionary encoding of a non-inline term to b.
// The encoding is injective, so equal encodings mean equal terms.
func appendEncoding(b []byte, t graph.Term) []byte {
	switch t.Kind() {
	case graph.KindIRI:
		b = append(b, encIRI)
	case graph.KindBlank:
		b = append(b, encBlank)
	default:
		switch dt := t.Datatype(); {
		case t.Lang() != "":
			b = append(b, encLang)
			b = binary.AppendUvarint(b, uint64(len(t.Lang())))
			b = append(b, t.Lang()...)
		case dt == graph.XSDString:
			b = append(b, encString)
		default:
			b = append(b, encTyped)
			b = binary.AppendUvarint(b, uint64(len(dt)))
			b = append(b, dt...)
		}
	}
	return append(b, t.Value()...)
}

// hashedID builds the id of a non-inline term from the hash of its encoding.
func hashedID(kind graph.Kind, h uint64) uint64 {
	k := hashKindLit
	switch kind {
	case graph.KindIRI:
		k = hashKindIRI
	case graph.KindBlank:
		k = hashKindBlk
	}
	return hashedBit | k | h&hashMask
}

// decodeTerm parses a dictionary encoding.
func decodeTerm(b []byte) (graph.Term, error) {
	if len(b) == 0 {
		return graph.Term{}, errBadEncoding
	}
	kind, rest := b[0], b[1:]
	switch kind {
	case encIRI:
		return graph.IRI(string(rest)), nil
	case encBlank:
		return graph.Blank(string(rest)), nil
	case encString:
		return graph.String(string(rest)), nil
	case encLang, encTyped:
		n, k := binary.Uvarint(rest)
		if k <= 0 || n > uint64(len(rest)-k) {
			return graph.Term{}, errBadEncoding
		}
		tag, lex := string(rest[k:k+int(n)]), string(rest[k+int(n):])
		if kind == encLang {
			return graph.LangLiteral(lex, tag), nil
		}
		return graph.Literal(lex, tag), nil
	}
	return graph.Term{}, errBadEncoding
}
