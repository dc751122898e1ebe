package results

import (
	"cmp"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// Equivalent reports whether two results are the same as the W3C SPARQL
// test suites define it: the same boolean for ASK; for SELECT the same
// variables (in any order, columns are matched by name) and the same
// solutions, as multisets, or as sequences when ordered is set, up to one
// renaming of blank nodes that holds across the whole result (a blank node
// that appears in two rows of a must appear as one blank node in the two
// matching rows of b). Other terms compare by RDF term equality; see
// Canonicalize for comparing numbers by value.
//
// The answer is exact. Rows without blank nodes are matched by hashing;
// rows with blank nodes are matched by colour refinement of the blank nodes
// (each coloured by the rows it occurs in, iterated) and then backtracking
// over the rows left ambiguous, which is linear in practice and stays fast
// for thousands of rows.
func Equivalent(a, b Table, ordered bool) bool {
	if a.IsBoolean || b.IsBoolean {
		return a.IsBoolean == b.IsBoolean && a.Boolean == b.Boolean
	}
	if len(a.Vars) != len(b.Vars) || len(a.Rows) != len(b.Rows) {
		return false
	}
	col := make(map[string]int, len(b.Vars))
	for i, v := range b.Vars {
		col[v] = i
	}
	perm := make([]int, len(a.Vars))
	for i, v := range a.Vars {
		j, ok := col[v]
		if !ok {
			return false
		}
		perm[i] = j
		delete(col, v) // a repeated name in a finds no second column
	}
	w := len(a.Vars)
	rowsB := make([]Solution, len(b.Rows))
	for n, r := range b.Rows {
		if len(r) != w || len(a.Rows[n]) != w {
			return false
		}
		p := make(Solution, w)
		for i, j := range perm {
			p[i] = r[j]
		}
		rowsB[n] = p
	}
	if ordered {
		return equalSequences(a.Rows, rowsB)
	}
	return equalMultisets(a.Rows, rowsB)
}

// equalSequences compares rows position by position, building the blank
// node bijection as it goes: with the order fixed it is forced.
func equalSequences(a, b []Solution) bool {
	fwd, rev := map[graph.Term]graph.Term{}, map[graph.Term]graph.Term{}
	for n := range a {
		for i, x := range a[n] {
			y := b[n][i]
			if !x.IsBlank() || !y.IsBlank() {
				if x != y {
					return false
				}
				continue
			}
			fx, okx := fwd[x]
			ry, oky := rev[y]
			switch {
			case !okx && !oky:
				fwd[x], rev[y] = y, x
			case okx && oky && fx == y && ry == x:
			default:
				return false
			}
		}
	}
	return true
}

func hasBlank(r Solution) bool {
	for _, t := range r {
		if t.IsBlank() {
			return true
		}
	}
	return false
}

// rowKey is an injective text form of a row without blank nodes.
func rowKey(b *strings.Builder, r Solution) string {
	b.Reset()
	for _, t := range r {
		graph.AppendTerm(b, t) // self-delimiting; the zero term prints as ANY
		b.WriteByte('\t')
	}
	return b.String()
}

func equalMultisets(a, b []Solution) bool {
	var ground map[string]int
	var blankA, blankB []Solution
	var kb strings.Builder
	for _, r := range a {
		if hasBlank(r) {
			blankA = append(blankA, r)
			continue
		}
		if ground == nil {
			ground = map[string]int{}
		}
		ground[rowKey(&kb, r)]++
	}
	for _, r := range b {
		if hasBlank(r) {
			blankB = append(blankB, r)
			continue
		}
		k := rowKey(&kb, r)
		if ground[k] == 0 {
			return false
		}
		ground[k]--
	}
	if len(blankA) != len(blankB) {
		return false
	}
	if len(blankA) == 0 {
		return true
	}
	return matchBlankRows(blankA, blankB)
}

// side is one result's rows with blank nodes, numbered for refinement.
type side struct {
	rows   []Solution
	ids    [][]int32 // per row and column: the blank node's number, or -1
	first  [][]int32 // per row and column: the first column holding the same blank node
	blanks []graph.Term
	colour []uint64
}

func newSide(rows []Solution) *side {
	s := &side{rows: rows, ids: make([][]int32, len(rows)), first: make([][]int32, len(rows))}
	num := map[graph.Term]int32{}
	for n, r := range rows {
		ids, first := make([]int32, len(r)), make([]int32, len(r))
		for i, t := range r {
			ids[i], first[i] = -1, int32(i)
			if t.IsBlank() {
				id, ok := num[t]
				if !ok {
					id = int32(len(s.blanks))
					num[t] = id
					s.blanks = append(s.blanks, t)
				}
				ids[i] = id
				if j := slices.Index(ids[:i], id); j >= 0 {
					first[i] = int32(j)
				}
			}
		}
		s.ids[n], s.first[n] = ids, first
	}
	s.colour = make([]uint64, len(s.blanks))
	return s
}

// mix is a 64-bit finaliser (splitmix64) used to combine hashes.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func termHash(seed maphash.Seed, t graph.Term) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteByte(byte(t.Kind()))
	h.WriteString(t.Value())
	h.WriteByte(0)
	h.WriteString(t.Datatype())
	h.WriteByte(0)
	h.WriteString(t.Lang())
	return h.Sum64()
}

// groundHashes hashes the non-blank cells once.
func (s *side) groundHashes(seed maphash.Seed) [][]uint64 {
	out := make([][]uint64, len(s.rows))
	for n, r := range s.rows {
		h := make([]uint64, len(r))
		for i, t := range r {
			if s.ids[n][i] < 0 {
				h[i] = termHash(seed, t)
			}
		}
		out[n] = h
	}
	return out
}

// rowSig hashes a row with each blank node replaced by its colour and by
// the column of its first occurrence in the row (so (_:x _:x) and
// (_:x _:y) differ); self, when not -1, is marked as the node being
// coloured.
func (s *side) rowSig(n int, gh []uint64, self int32) uint64 {
	ids, first := s.ids[n], s.first[n]
	h := uint64(len(ids))
	for i, id := range ids {
		var c uint64
		if id < 0 {
			c = gh[i]
		} else {
			c = mix(s.colour[id] ^ uint64(first[i])<<48 ^ 0x5bd1e995)
			if id == self {
				c = mix(c ^ 0x9e3779b97f4a7c15)
			}
		}
		h = mix(h ^ c + uint64(i))
	}
	return h
}

// refine gives every blank node a new colour from its old one and the
// multiset of the rows it occurs in, seen from it. It returns the number of
// distinct colours.
func (s *side) refine(gh [][]uint64) int {
	next := make([]uint64, len(s.colour))
	for i := range next {
		next[i] = mix(s.colour[i])
	}
	for n, ids := range s.ids {
		for i, id := range ids {
			if id < 0 || s.first[n][i] != int32(i) {
				continue // count each node once per row
			}
			next[id] += mix(s.rowSig(n, gh[n], id)) // commutative: a multiset
		}
	}
	s.colour = next
	sorted := slices.Clone(next)
	slices.Sort(sorted)
	return len(slices.Compact(sorted))
}

// matchBlankRows decides whether two multisets of rows, each with blank
// nodes, are equal under one bijection of blank nodes.
func matchBlankRows(ra, rb []Solution) bool {
	a, b := newSide(ra), newSide(rb)
	if len(a.blanks) != len(b.blanks) {
		return false
	}
	seed := maphash.MakeSeed()
	gha, ghb := a.groundHashes(seed), b.groundHashes(seed)
	classes := 1
	for round := 0; round <= len(a.blanks); round++ {
		ca, cb := a.refine(gha), b.refine(ghb)
		if ca != cb {
			return false
		}
		if ca <= classes && round > 0 {
			break
		}
		classes = ca
	}
	if !sameMultiset(a.colour, b.colour) {
		return false
	}
	sigA := make([]uint64, len(ra))
	for n := range ra {
		sigA[n] = a.rowSig(n, gha[n], -1)
	}
	groups := map[uint64][]int{}
	sigB := make([]uint64, len(rb))
	for n := range rb {
		sigB[n] = b.rowSig(n, ghb[n], -1)
		groups[sigB[n]] = append(groups[sigB[n]], n)
	}
	if !sameMultiset(sigA, sigB) {
		return false
	}
	m := &rowMatcher{a: a, b: b, sigA: sigA, sigB: sigB, groups: groups, order: placementOrder(a, sigA, groups),
		byCell: map[cellKey][]int{}, used: make([]bool, len(rb)), fwd: fill(len(a.blanks)), rev: fill(len(b.blanks))}
	for n, ids := range b.ids {
		for i, id := range ids {
			if id >= 0 {
				k := cellKey{int32(i), id}
				m.byCell[k] = append(m.byCell[k], n)
			}
		}
	}
	return m.search(0)
}

// placementOrder orders a's rows for the search: breadth first along shared
// blank nodes, so that after the first row of a connected group every row
// meets a blank node already mapped and has few candidates left; each group
// starts at the row with the fewest candidates.
func placementOrder(a *side, sigA []uint64, groups map[uint64][]int) []int {
	rowsOf := make([][]int, len(a.blanks))
	for n, ids := range a.ids {
		for _, id := range ids {
			if id >= 0 && (len(rowsOf[id]) == 0 || rowsOf[id][len(rowsOf[id])-1] != n) {
				rowsOf[id] = append(rowsOf[id], n)
			}
		}
	}
	starts := make([]int, len(a.rows))
	for i := range starts {
		starts[i] = i
	}
	slices.SortStableFunc(starts, func(x, y int) int {
		return cmp.Compare(len(groups[sigA[x]]), len(groups[sigA[y]]))
	})
	placed := make([]bool, len(a.rows))
	seen := make([]bool, len(a.blanks))
	order := make([]int, 0, len(a.rows))
	for _, s := range starts {
		if placed[s] {
			continue
		}
		placed[s] = true
		order = append(order, s)
		for q := len(order) - 1; q < len(order); q++ {
			for _, id := range a.ids[order[q]] {
				if id < 0 || seen[id] {
					continue
				}
				seen[id] = true
				for _, n := range rowsOf[id] {
					if !placed[n] {
						placed[n] = true
						order = append(order, n)
					}
				}
			}
		}
	}
	return order
}

func fill(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = -1
	}
	return s
}

func sameMultiset(x, y []uint64) bool {
	if len(x) != len(y) {
		return false
	}
	x, y = slices.Clone(x), slices.Clone(y)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// cellKey names a blank node in a column.
type cellKey struct {
	col int32
	id  int32
}

type rowMatcher struct {
	a, b       *side
	sigA, sigB []uint64
	groups     map[uint64][]int
	byCell     map[cellKey][]int // b's rows by a blank node in a column
	order      []int
	used       []bool
	fwd, rev   []int32 // blank bijection a→b and b→a, -1 when unset
	trail      []int32 // a-blanks bound, for undo
}

func (m *rowMatcher) search(k int) bool {
	if k == len(m.order) {
		return true
	}
	n := m.order[k]
	for _, cand := range m.candidates(n) {
		if m.used[cand] || m.sigB[cand] != m.sigA[n] {
			continue
		}
		mark := len(m.trail)
		if m.bind(n, cand) {
			m.used[cand] = true
			if m.search(k + 1) {
				return true
			}
			m.used[cand] = false
		}
		m.undo(mark)
	}
	return false
}

// candidates returns b's rows that may match row n of a: those holding the
// image of one of its blank nodes already mapped, in the same column, or
// else every row of the same signature.
func (m *rowMatcher) candidates(n int) []int {
	for i, id := range m.a.ids[n] {
		if id >= 0 && m.fwd[id] >= 0 {
			return m.byCell[cellKey{int32(i), m.fwd[id]}]
		}
	}
	return m.groups[m.sigA[n]]
}

// bind tries to map row n of a onto row c of b, extending the bijection.
func (m *rowMatcher) bind(n, c int) bool {
	ra, rb := m.a.rows[n], m.b.rows[c]
	ia, ib := m.a.ids[n], m.b.ids[c]
	for i := range ra {
		x, y := ia[i], ib[i]
		if x < 0 || y < 0 {
			if x >= 0 || y >= 0 || ra[i] != rb[i] {
				return false
			}
			continue
		}
		switch {
		case m.fwd[x] == y:
		case m.fwd[x] < 0 && m.rev[y] < 0:
			m.fwd[x], m.rev[y] = y, x
			m.trail = append(m.trail, x)
		default:
			return false
		}
	}
	return true
}

func (m *rowMatcher) undo(mark int) {
	for _, x := range m.trail[mark:] {
		m.rev[m.fwd[x]] = -1
		m.fwd[x] = -1
	}
	m.trail = m.trail[:mark]
}
