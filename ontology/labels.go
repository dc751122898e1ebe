package ontology

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tessera-fair/tessera/graph"
)

// LabelKind says which property gave a label; lower kinds rank first in
// Search.
type LabelKind uint8

// The label properties, in ranking order.
const (
	PrefLabel   LabelKind = iota // skos:prefLabel
	Label                        // rdfs:label
	AltLabel                     // skos:altLabel
	Notation                     // skos:notation
	HiddenLabel                  // skos:hiddenLabel
)

// String returns the property's short name.
func (k LabelKind) String() string {
	return [...]string{"prefLabel", "label", "altLabel", "notation", "hiddenLabel"}[k]
}

// MatchKind says how a label matched a search; lower kinds rank first.
type MatchKind uint8

// The kinds of match, best first.
const (
	Exact  MatchKind = iota // the whole label equals the query (folded)
	Prefix                  // the label, or one of its words, starts with the query
	Fuzzy                   // within a small edit distance of the label's start or a word's start
)

// String returns the kind's name.
func (k MatchKind) String() string { return [...]string{"exact", "prefix", "fuzzy"}[k] }

// Match is one search result: a term and the best of its labels that
// matched.
type Match struct {
	Term  graph.Term
	Label graph.Term // the literal that matched
	Kind  LabelKind
	Match MatchKind
	// Distance is the edit distance of a fuzzy match, 0 otherwise.
	Distance int
}

// entry is one indexed word start of a label: key is the folded label from
// that word on.
type entry struct {
	key   string
	label int32 // index in labelIndex.labels
	start bool  // key is the whole label
}

type label struct {
	id     int32
	kind   LabelKind
	lit    graph.Term
	folded string
}

// labelIndex is a sorted list of word-start suffixes of folded labels,
// searched by binary search for prefixes and, for fuzzy matches, walked as
// the trie the sorted keys imply (see fuzzy).
type labelIndex struct {
	labels  []label
	entries []entry
	// lcp[k] is the length in bytes of the common prefix of entries k-1
	// and k (0 for k = 0): the implicit trie's shape.
	lcp []int32
}

// fold lower-cases s, removes accents (NFD, marks dropped) and turns runs
// of non-letters and non-digits into one space, so search is case- and
// accent-insensitive.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

func buildLabels(raw []rawLabel, remap []int32) labelIndex {
	var ix labelIndex
	seen := map[label]bool{}
	for _, r := range raw {
		l := label{id: remap[r.id], kind: r.kind, lit: r.lit}
		if seen[l] {
			continue
		}
		seen[l] = true
		l.folded = fold(r.lit.Value())
		if l.folded == "" {
			continue
		}
		n := int32(len(ix.labels))
		ix.labels = append(ix.labels, l)
		for i := 0; i < len(l.folded); i++ {
			if i == 0 || l.folded[i-1] == ' ' {
				ix.entries = append(ix.entries, entry{key: l.folded[i:], label: n, start: i == 0})
			}
		}
	}
	slices.SortFunc(ix.entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	ix.lcp = make([]int32, len(ix.entries))
	for k := 1; k < len(ix.entries); k++ {
		ix.lcp[k] = int32(commonPrefix(ix.entries[k-1].key, ix.entries[k].key))
	}
	return ix
}

// langOK reports whether a label in language tag has language lang: lang
// "" accepts all, "en" accepts "en" and "en-gb"; labels without a tag
// (notations, plain strings) are always accepted.
func langOK(tag, lang string) bool {
	if lang == "" || tag == "" {
		return true
	}
	lang = strings.ToLower(lang)
	return tag == lang || strings.HasPrefix(tag, lang+"-")
}

// Labels returns the labels of t of the given kind, in every language.
func (o *Ontology) Labels(t graph.Term, kind LabelKind) []graph.Term {
	i, ok := o.lookup(t)
	if !ok {
		return nil
	}
	var out []graph.Term
	for _, l := range o.labels.labels {
		if l.id == i && l.kind == kind {
			out = append(out, l.lit)
		}
	}
	slices.SortFunc(out, graph.Compare)
	return out
}

// Search finds terms whose labels (skos:prefLabel, rdfs:label,
// skos:altLabel, skos:notation, skos:hiddenLabel) match prefix, for
// autocomplete. Matching is case- and accent-insensitive and works on the
// whole label or any word of it; queries of 4 characters or more also
// match within edit distance 1 (2 from 8 characters). Results are ranked
// exact > prefix > fuzzy, then by label kind (prefLabel first), then
// shorter labels first, then by term; each term appears once, with its
// best label. lang ("en", "" for all) restricts the labels searched;
// limit ≤ 0 means 10.
func (o *Ontology) Search(prefix, lang string, limit int) []Match {
	if limit <= 0 {
		limit = 10
	}
	q := fold(prefix)
	if q == "" {
		return nil
	}
	ix := &o.labels
	// cands holds each term's best match so far; at maps a term id to
	// its candidate.
	type cand struct {
		rank int
		id   int32
		l    *label
		m    MatchKind
		d    int
	}
	var cands []cand
	at := map[int32]int{}
	consider := func(l *label, m MatchKind, dist int) {
		if !langOK(l.lit.Lang(), lang) {
			return
		}
		c := cand{rank: rank(m, dist, l.kind, len(l.folded)), id: l.id, l: l, m: m, d: dist}
		if k, ok := at[l.id]; ok {
			if c.rank < cands[k].rank {
				cands[k] = c
			}
			return
		}
		at[l.id] = len(cands)
		cands = append(cands, c)
	}
	lo, _ := slices.BinarySearchFunc(ix.entries, q, func(e entry, q string) int { return strings.Compare(e.key, q) })
	for k := lo; k < len(ix.entries) && strings.HasPrefix(ix.entries[k].key, q); k++ {
		e := &ix.entries[k]
		l := &ix.labels[e.label]
		m := Prefix
		if e.start && len(e.key) == len(q) {
			m = Exact
		}
		consider(l, m, 0)
	}
	if n := utf8.RuneCountInString(q); n >= 4 && len(cands) < limit {
		maxDist := 1
		if n >= 8 {
			maxDist = 2
		}
		ix.fuzzy([]rune(q), maxDist, func(k, d int) {
			if d > 0 { // d == 0: a prefix match, found above
				consider(&ix.labels[ix.entries[k].label], Fuzzy, d)
			}
		})
	}
	// Ids are in term order, so (rank, id) is the documented order.
	slices.SortFunc(cands, func(a, b cand) int { return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.id, b.id)) })
	cands = cands[:min(len(cands), limit)]
	out := make([]Match, len(cands))
	for i, c := range cands {
		out[i] = Match{Term: o.terms[c.id], Label: c.l.lit, Kind: c.l.kind, Match: c.m, Distance: c.d}
	}
	return out
}

// rank orders matches: match kind, distance, label kind, label length.
func rank(m MatchKind, dist int, kind LabelKind, n int) int {
	return int(m)<<40 | dist<<32 | int(kind)<<24 | min(n, 1<<24-1)
}

// fuzzy calls visit(k, d) for every entry k whose key has a prefix within
// edit distance maxD of q, d being the smallest such distance (the
// smallest Levenshtein distance, in runes, between q and a prefix of the
// key), in entry order.
//
// The sorted keys are walked as an implicit trie: the Levenshtein columns
// of a key's first runes are shared with the next key as far as their
// common prefix goes, and a whole run of keys sharing a prefix is settled
// at once when either no extension of the prefix can come within maxD
// (the column minimum exceeds it; minima never decrease) or the prefix is
// as long as any prefix that can matter (len(q)+maxD runes). A query
// therefore costs in proportion to the trie nodes near q, not to the
// number of labels.
func (ix *labelIndex) fuzzy(q []rune, maxD int, visit func(k, d int)) {
	n := len(q)
	limit := n + maxD
	cols := make([][]int, limit+1)
	for j := range cols {
		cols[j] = make([]int, n+1)
	}
	for i := range cols[0] {
		cols[0][i] = i
	}
	best := make([]int, limit+1) // best[j]: min distance over key prefixes of ≤ j runes
	best[0] = n
	offs := make([]int, limit+1) // offs[j]: byte length of the first j runes of path
	depth := 0
	cp := 0 // common prefix of the entry and the previous path, in bytes
	for k := 0; k < len(ix.entries); {
		key := ix.entries[k].key
		for depth > 0 && offs[depth] > cp {
			depth--
		}
		pruned := false
		for depth < limit && offs[depth] < len(key) {
			r, size := utf8.DecodeRuneInString(key[offs[depth]:])
			prev, cur := cols[depth], cols[depth+1]
			cur[0] = depth + 1
			low := cur[0]
			for i := 1; i <= n; i++ {
				c := prev[i-1]
				if q[i-1] != r {
					c++
				}
				c = min(c, prev[i]+1, cur[i-1]+1)
				cur[i] = c
				low = min(low, c)
			}
			offs[depth+1] = offs[depth] + size
			best[depth+1] = min(best[depth], cur[n])
			depth++
			if low > maxD {
				pruned = true
				break
			}
		}
		d := best[depth]
		if !pruned && depth < limit { // the key ended: it alone is settled
			if d <= maxD {
				visit(k, d)
			}
			k++
			if k < len(ix.entries) {
				cp = int(ix.lcp[k])
			}
			continue
		}
		// Every following key sharing the first offs[depth] bytes is
		// settled with d too; the run ends at the first lcp below that.
		plen := int32(offs[depth])
		hi := k + 1
		for hi < len(ix.entries) && ix.lcp[hi] >= plen {
			hi++
		}
		if hi < len(ix.entries) {
			cp = int(ix.lcp[hi])
		}
		if d <= maxD {
			for x := k; x < hi; x++ {
				visit(x, d)
			}
		}
		k = hi
	}
}

// commonPrefix is the length in bytes of the longest common prefix of a
// and b.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}
