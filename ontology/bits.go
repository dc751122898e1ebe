package ontology

import "math/bits"

func bitsTrailing(w uint64) int { return bits.TrailingZeros64(w) }

func bitsCount(w uint64) int { return bits.OnesCount64(w) }
