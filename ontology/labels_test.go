package ontology

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// bruteFuzzy is the definition fuzzy must agree with: every entry whose
// key has a prefix within maxD edits of q, by prefixDistance.
func bruteFuzzy(ix *labelIndex, q string, maxD int) map[int]int {
	out := map[int]int{}
	for k, e := range ix.entries {
		if d := prefixDistance(q, e.key, maxD); d <= maxD {
			out[k] = d
		}
	}
	return out
}

func TestFuzzyIndexAgreesWithScan(t *testing.T) {
	s, gs := bundled(t)
	o := build(t, s, gs)
	ix := &o.labels
	queries := []string{"prostrate", "brest", "lunf", "adenocarcinoma", "carcinome", "ct", "mr", "tier 2", "a", "xyzzy", "colangiocarcinoma", "ösophagus", "lung adenocarcinom"}
	// Typos of real keys: one or two random edits of a random key's start.
	rng := rand.New(rand.NewPCG(1, 2))
	typos := 200
	if testing.Short() {
		typos = 30 // each query is checked against a scan of every label
	}
	for range typos {
		key := ix.entries[rng.IntN(len(ix.entries))].key
		rs := []rune(key)
		rs = rs[:min(len(rs), 3+rng.IntN(10))]
		for range 1 + rng.IntN(2) {
			i := rng.IntN(len(rs))
			switch rng.IntN(3) {
			case 0:
				rs[i] = rune('a' + rng.IntN(26))
			case 1:
				rs = slices.Delete(rs, i, i+1)
			default:
				rs = slices.Insert(rs, i, rune('a'+rng.IntN(26)))
			}
			if len(rs) == 0 {
				rs = []rune{'x'}
			}
		}
		queries = append(queries, string(rs))
	}
	for _, q := range queries {
		q = fold(q)
		for _, maxD := range []int{1, 2} {
			want := bruteFuzzy(ix, q, maxD)
			got := map[int]int{}
			ix.fuzzy([]rune(q), maxD, func(k, d int) {
				if _, dup := got[k]; dup {
					t.Errorf("fuzzy(%q, %d) visited entry %d twice", q, maxD, k)
				}
				got[k] = d
			})
			if len(got) != len(want) {
				t.Errorf("fuzzy(%q, %d) = %d entries, want %d", q, maxD, len(got), len(want))
				continue
			}
			for k, d := range want {
				if got[k] != d {
					t.Errorf("fuzzy(%q, %d): entry %q distance %d, want %d", q, maxD, ix.entries[k].key, got[k], d)
				}
			}
		}
	}
}

// TestSearchRanking checks the order of results: exact before prefix
// before fuzzy, prefLabel before altLabel, shorter labels first.
func TestSearchRanking(t *testing.T) {
	s, gs := bundled(t)
	o := build(t, s, gs)
	for _, q := range []string{"lung", "prostate", "breast", "carcinoma", "adenocarcinoma", "prostrate", "mr", "tier"} {
		got := o.Search(q, "", 50)
		if len(got) == 0 {
			t.Errorf("Search(%q) = nothing", q)
			continue
		}
		seen := map[string]bool{}
		for i, m := range got {
			if seen[m.Term.Value()] {
				t.Errorf("Search(%q): %v twice", q, m.Term)
			}
			seen[m.Term.Value()] = true
			if i == 0 {
				continue
			}
			p := got[i-1]
			if p.Match > m.Match || (p.Match == m.Match && p.Distance > m.Distance) ||
				(p.Match == m.Match && p.Distance == m.Distance && p.Kind > m.Kind) {
				t.Errorf("Search(%q): %v (%v %v d%d) ranked after %v (%v %v d%d)", q, m.Label, m.Match, m.Kind, m.Distance, p.Label, p.Match, p.Kind, p.Distance)
			}
			if p.Match == m.Match && p.Distance == m.Distance && p.Kind == m.Kind &&
				len(fold(p.Label.Value())) > len(fold(m.Label.Value())) {
				t.Errorf("Search(%q): shorter %q ranked after %q", q, m.Label.Value(), p.Label.Value())
			}
			if m.Match != Fuzzy && !strings.Contains(" "+fold(m.Label.Value()), " "+fold(q)) {
				t.Errorf("Search(%q): %v match %q does not contain the query at a word start", q, m.Match, m.Label.Value())
			}
		}
	}
}

func FuzzSearch(f *testing.F) {
	s, gs := bundled(f)
	o := build(f, s, gs)
	for _, q := range []string{"prost", "prostrate", "", " ", "ä", "\xff", "lung adeno", "中文", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} {
		f.Add(q, "en", 5)
	}
	f.Fuzz(func(t *testing.T, q, lang string, limit int) {
		limit = limit % 100
		got := o.Search(q, lang, limit)
		if limit > 0 && len(got) > limit || limit <= 0 && len(got) > 10 {
			t.Fatalf("Search(%q, %q, %d) = %d results", q, lang, limit, len(got))
		}
		for _, m := range got {
			if m.Match == Fuzzy && (m.Distance < 1 || m.Distance > 2) {
				t.Fatalf("Search(%q): fuzzy distance %d", q, m.Distance)
			}
		}
	})
}

// prefixDistance, the definition fuzzy implements, is the smallest Levenshtein distance between q and a
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
