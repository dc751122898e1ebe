package ontology

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

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
// searched by binary search for prefixes and scanned for fuzzy matches.
type labelIndex struct {
	labels  []label
	entries []entry
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
	best := map[int32]Match{}
	bestLen := map[int32]int{}
	consider := func(l *label, m MatchKind, dist int) {
		if !langOK(l.lit.Lang(), lang) {
			return
		}
		cand := Match{Term: o.terms[l.id], Label: l.lit, Kind: l.kind, Match: m, Distance: dist}
		if old, ok := best[l.id]; ok && rank(old, bestLen[l.id]) <= rank(cand, len(l.folded)) {
			return
		}
		best[l.id] = cand
		bestLen[l.id] = len(l.folded)
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
	if n := len([]rune(q)); n >= 4 && len(best) < limit {
		maxDist := 1
		if n >= 8 {
			maxDist = 2
		}
		for k := range ix.entries {
			e := &ix.entries[k]
			if strings.HasPrefix(e.key, q) {
				continue
			}
			if d := prefixDistance(q, e.key, maxDist); d <= maxDist {
				consider(&ix.labels[e.label], Fuzzy, d)
			}
		}
	}
	out := make([]Match, 0, len(best))
	lens := make(map[graph.Term]int, len(best))
	for id, m := range best {
		out = append(out, m)
		lens[m.Term] = bestLen[id]
	}
	slices.SortFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(rank(a, lens[a.Term]), rank(b, lens[b.Term])), graph.Compare(a.Term, b.Term))
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// rank orders matches: match kind, distance, label kind, label length.
func rank(m Match, n int) int {
	return int(m.Match)<<40 | m.Distance<<32 | int(m.Kind)<<24 | min(n, 1<<24-1)
}

// prefixDistance is the smallest Levenshtein distance between q and a
// prefix of s, or max+1 when it exceeds max. It compares runes.
func prefixDistance(q, s string, max int) int {
	qr := []rune(q)
	sr := []rune(s)
	if len(sr) > len(qr)+max {
		sr = sr[:len(qr)+max]
	}
	// prev[j]: distance between qr[:i] and sr[:j].
	prev := make([]int, len(sr)+1)
	cur := make([]int, len(sr)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(qr); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(sr); j++ {
			c := prev[j-1]
			if qr[i-1] != sr[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
			rowMin = min(rowMin, c)
		}
		if rowMin > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	best := max + 1
	for _, d := range prev { // q fully consumed, any prefix of s
		best = min(best, d)
	}
	return best
}
