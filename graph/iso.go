package graph

import (
	"hash/maphash"
	"slices"
)

// Isomorphic reports whether two datasets (multisets of quads read as sets)
// are the same up to a renaming of blank nodes, as RDF 1.1 Concepts §3.6 and
// the W3C test suites define graph isomorphism (extended to datasets: blank
// nodes may also name graphs).
//
// Blank nodes are coloured by iterated neighbourhood hashing; ties left after
// refinement are resolved by backtracking, so the answer is exact.
func Isomorphic(a, b []Quad) bool {
	a, b = dedupe(a), dedupe(b)
	if len(a) != len(b) {
		return false
	}
	ga, gb := splitGround(a), splitGround(b)
	if len(ga.ground) != len(gb.ground) || len(ga.blank) != len(gb.blank) {
		return false
	}
	for q := range ga.ground {
		if _, ok := gb.ground[q]; !ok {
			return false
		}
	}
	if len(ga.blank) == 0 {
		return true
	}
	seed := maphash.MakeSeed()
	ca, cb := colour(seed, ga.blank), colour(seed, gb.blank)
	if len(ca) != len(cb) {
		return false
	}
	// The multisets of colours must agree.
	count := map[uint64]int{}
	for _, c := range ca {
		count[c]++
	}
	for _, c := range cb {
		count[c]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	target := make(map[Quad]struct{}, len(gb.blank))
	for _, q := range gb.blank {
		target[q] = struct{}{}
	}
	byColour := map[uint64][]Term{}
	for t, c := range cb {
		byColour[c] = append(byColour[c], t)
	}
	// Order a's blank nodes so that the most constrained (rarest colour) go first.
	nodes := make([]Term, 0, len(ca))
	for t := range ca {
		nodes = append(nodes, t)
	}
	slices.SortFunc(nodes, func(x, y Term) int {
		nx, ny := len(byColour[ca[x]]), len(byColour[ca[y]])
		if nx != ny {
			return nx - ny
		}
		return Compare(x, y)
	})
	m := &matcher{from: ga.blank, target: target, colourA: ca, byColour: byColour, nodes: nodes,
		mapping: map[Term]Term{}, used: map[Term]bool{}}
	return m.search(0)
}

type matcher struct {
	from     []Quad
	target   map[Quad]struct{}
	colourA  map[Term]uint64
	byColour map[uint64][]Term
	nodes    []Term
	mapping  map[Term]Term
	used     map[Term]bool
}

func (m *matcher) search(i int) bool {
	if i == len(m.nodes) {
		for _, q := range m.from {
			if _, ok := m.target[m.apply(q)]; !ok {
				return false
			}
		}
		return true
	}
	n := m.nodes[i]
	for _, cand := range m.byColour[m.colourA[n]] {
		if m.used[cand] {
			continue
		}
		m.mapping[n], m.used[cand] = cand, true
		if m.consistent(n) && m.search(i+1) {
			return true
		}
		delete(m.mapping, n)
		m.used[cand] = false
	}
	return false
}

// consistent checks the quads whose blank nodes are all mapped and that
// mention n.
func (m *matcher) consistent(n Term) bool {
	for _, q := range m.from {
		if q.S != n && q.O != n && q.G != n {
			continue
		}
		if !m.mapped(q.S) || !m.mapped(q.O) || !m.mapped(q.G) {
			continue
		}
		if _, ok := m.target[m.apply(q)]; !ok {
			return false
		}
	}
	return true
}

func (m *matcher) mapped(t Term) bool {
	if t.kind != KindBlank {
		return true
	}
	_, ok := m.mapping[t]
	return ok
}

func (m *matcher) apply(q Quad) Quad {
	if q.S.kind == KindBlank {
		q.S = m.mapping[q.S]
	}
	if q.O.kind == KindBlank {
		q.O = m.mapping[q.O]
	}
	if q.G.kind == KindBlank {
		q.G = m.mapping[q.G]
	}
	return q
}

type split struct {
	ground map[Quad]struct{}
	blank  []Quad
}

func dedupe(qs []Quad) []Quad {
	seen := make(map[Quad]struct{}, len(qs))
	out := make([]Quad, 0, len(qs))
	for _, q := range qs {
		q = q.Normalize()
		if _, ok := seen[q]; ok {
			continue
		}
		seen[q] = struct{}{}
		out = append(out, q)
	}
	return out
}

func splitGround(qs []Quad) split {
	s := split{ground: map[Quad]struct{}{}}
	for _, q := range qs {
		if q.S.kind == KindBlank || q.O.kind == KindBlank || q.G.kind == KindBlank {
			s.blank = append(s.blank, q)
		} else {
			s.ground[q] = struct{}{}
		}
	}
	return s
}

// colour computes a hash per blank node that depends only on the structure
// around it, refined until the number of distinct colours stops growing.
func colour(seed maphash.Seed, qs []Quad) map[Term]uint64 {
	c := map[Term]uint64{}
	for _, q := range qs {
		for _, t := range [...]Term{q.S, q.O, q.G} {
			if t.kind == KindBlank {
				c[t] = 1
			}
		}
	}
	distinct := 1
	for range len(c) + 1 {
		next := make(map[Term]uint64, len(c))
		for _, q := range qs {
			for pos, t := range [...]Term{q.S, q.O, q.G} {
				if t.kind != KindBlank {
					continue
				}
				var h maphash.Hash
				h.SetSeed(seed)
				h.WriteByte(byte(pos))
				writeTerm(&h, q.S, c, t)
				writeTerm(&h, q.P, c, t)
				writeTerm(&h, q.O, c, t)
				writeTerm(&h, q.G, c, t)
				// Sum of neighbourhood hashes: order-independent.
				next[t] += h.Sum64()
			}
		}
		for t, v := range next {
			var h maphash.Hash
			h.SetSeed(seed)
			writeUint(&h, c[t])
			writeUint(&h, v)
			next[t] = h.Sum64()
		}
		n := countDistinct(next)
		c = next
		if n == distinct {
			break
		}
		distinct = n
	}
	return c
}

func countDistinct(m map[Term]uint64) int {
	seen := map[uint64]struct{}{}
	for _, v := range m {
		seen[v] = struct{}{}
	}
	return len(seen)
}

func writeTerm(h *maphash.Hash, t Term, c map[Term]uint64, self Term) {
	h.WriteByte(byte(t.kind))
	if t.kind == KindBlank {
		if t == self {
			h.WriteByte(1)
			return
		}
		writeUint(h, c[t])
		return
	}
	h.WriteString(t.value)
	h.WriteByte(0)
	h.WriteString(t.datatype)
	h.WriteByte(0)
	h.WriteString(t.lang)
	h.WriteByte(0)
}

func writeUint(h *maphash.Hash, v uint64) {
	var b [8]byte
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	h.Write(b[:])
}
