package discovery

import (
	"html"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word of a text: its folded form and its byte span in the
// original string (for highlighting).
type token struct {
	text       string
	start, end int
}

// maxTokenBytes bounds one token; longer runs of letters are cut (nothing
// real is that long, and it bounds the work of hostile input).
const maxTokenBytes = 64

// foldWord lower-cases w and removes its accents (NFD, combining marks
// dropped), so "Pulmón" and "PULMON" both become "pulmon".
func foldWord(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range norm.NFD.String(w) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tokenize splits s into words (runs of letters, digits and combining
// marks), folded by foldWord. Invalid UTF-8 counts as a separator. At most
// limit tokens are returned (limit ≤ 0: all).
func tokenize(s string, limit int) []token {
	var out []token
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := s[start:end]
		if len(w) > maxTokenBytes {
			cut := maxTokenBytes
			for cut > 0 && !utf8.RuneStart(w[cut]) {
				cut--
			}
			w = w[:cut]
		}
		f := foldWord(w)
		if len(f) > maxTokenBytes {
			// Folding can lengthen a word (a two-byte letter becomes a
			// three-byte one): cap the folded form too, so that a token
			// re-tokenises to itself.
			cut := maxTokenBytes
			for cut > 0 && !utf8.RuneStart(f[cut]) {
				cut--
			}
			f = f[:cut]
		}
		if f != "" {
			out = append(out, token{text: f, start: start, end: end})
		}
		start = -1
	}
	for i, r := range s {
		if limit > 0 && len(out) >= limit {
			return out
		}
		if r != utf8.RuneError && isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// field is a weighted part of a dataset's text.
type field uint8

// The searched fields, in highlight order.
const (
	fieldTitle field = iota
	fieldKeyword
	fieldConcept
	fieldDescription
	fieldBroader
	numFields
)

// Weights are the BM25F field weights of search. The zero value means
// DefaultWeights.
type Weights struct {
	Title, Keyword, Concept, Description, Broader float64
}

// DefaultWeights rank a match in a title above one in the keywords, the
// labels of the dataset's concepts, the description, and last the labels of
// broader concepts (so "lung" finds a lung adenocarcinoma dataset, below
// one that says "lung" itself).
var DefaultWeights = Weights{Title: 3, Keyword: 2, Concept: 1.5, Description: 1, Broader: 0.5}

func (w Weights) of(f field) float64 {
	switch f {
	case fieldTitle:
		return w.Title
	case fieldKeyword:
		return w.Keyword
	case fieldConcept:
		return w.Concept
	case fieldDescription:
		return w.Description
	}
	return w.Broader
}

// docText is the searchable text of one dataset: its values per field.
type docText struct {
	values [numFields][]textValue
}

// textValue is one literal of a field with its tokens.
type textValue struct {
	text, lang string
	tokens     []token
}

func newTextValue(text, lang string) textValue {
	return textValue{text: text, lang: lang, tokens: tokenize(text, 0)}
}

// posting says how often a term occurs in one field of one document.
type posting struct {
	doc   int32
	field field
	tf    uint16
}

// textIndex is an inverted index over the datasets' text, scored with
// BM25F: per term the postings, per field the document lengths.
type textIndex struct {
	weights Weights
	docs    []*docText
	terms   []string // sorted vocabulary
	post    [][]posting
	df      []int32
	lens    [numFields][]int32
	avg     [numFields]float64
}

// BM25 parameters (the usual values).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
	// prefixFactor scales a match of a query word as the prefix of a longer
	// word, below an exact word match.
	prefixFactor = 0.7
	// minPrefix is the length (bytes) from which a query word also matches
	// longer words it starts.
	minPrefix = 2
	// maxExpansions bounds the words one query prefix expands to (the
	// first in word order), so that "co" costs little on a large
	// vocabulary.
	maxExpansions = 256
)

func buildTextIndex(docs []*docText, w Weights) *textIndex {
	ix := &textIndex{weights: w, docs: docs}
	type key struct {
		term  string
		doc   int32
		field field
	}
	counts := map[key]uint16{}
	for d, doc := range docs {
		for f := range numFields {
			n := int32(0)
			for _, v := range doc.values[f] {
				for _, t := range v.tokens {
					k := key{t.text, int32(d), field(f)}
					if counts[k] < math.MaxUint16 {
						counts[k]++
					}
					n++
				}
			}
			ix.lens[f] = append(ix.lens[f], n)
		}
	}
	byTerm := map[string][]posting{}
	for k, tf := range counts {
		byTerm[k.term] = append(byTerm[k.term], posting{doc: k.doc, field: k.field, tf: tf})
	}
	ix.terms = make([]string, 0, len(byTerm))
	for t := range byTerm {
		ix.terms = append(ix.terms, t)
	}
	slices.Sort(ix.terms)
	ix.post = make([][]posting, len(ix.terms))
	ix.df = make([]int32, len(ix.terms))
	for i, t := range ix.terms {
		ps := byTerm[t]
		slices.SortFunc(ps, func(a, b posting) int {
			if a.doc != b.doc {
				return int(a.doc - b.doc)
			}
			return int(a.field) - int(b.field)
		})
		ix.post[i] = ps
		var last int32 = -1
		for _, p := range ps {
			if p.doc != last {
				ix.df[i]++
				last = p.doc
			}
		}
	}
	for f := range numFields {
		var sum int64
		for _, n := range ix.lens[f] {
			sum += int64(n)
		}
		if len(ix.lens[f]) > 0 {
			ix.avg[f] = float64(sum) / float64(len(ix.lens[f]))
		}
	}
	return ix
}

// expansion is one vocabulary term a query word matched.
type expansion struct {
	term   int
	factor float64
}

// expand returns the vocabulary terms query word q matches: itself, and,
// from minPrefix bytes on, the words it is a prefix of.
func (ix *textIndex) expand(q string) []expansion {
	lo := sort.SearchStrings(ix.terms, q)
	var out []expansion
	for i := lo; i < len(ix.terms) && strings.HasPrefix(ix.terms[i], q); i++ {
		switch {
		case ix.terms[i] == q:
			out = append(out, expansion{i, 1})
		case len(q) >= minPrefix && len(out) < maxExpansions:
			// Shorter completions rank higher: "lung" is closer to "lun"
			// than "lungenkrebs".
			out = append(out, expansion{i, prefixFactor * float64(len(q)) / float64(len(ix.terms[i]))})
		}
	}
	return out
}

// score ranks the documents against the folded query words: a document must
// match every word (AND), its score is the sum over words of the best
// expansion's BM25F score. It returns the score per document (0: no match)
// and the vocabulary terms that matched, for highlighting.
func (ix *textIndex) score(words []string) ([]float64, map[string]bool) {
	n := len(ix.docs)
	total := make([]float64, n)
	matched := map[string]bool{}
	if len(words) == 0 {
		return total, matched
	}
	hits := make([]int, n)
	perWord := make([]float64, n)
	for _, w := range words {
		clear(perWord)
		for _, e := range ix.expand(w) {
			matched[ix.terms[e.term]] = true
			idf := math.Log(1 + (float64(n)-float64(ix.df[e.term])+0.5)/(float64(ix.df[e.term])+0.5))
			ps := ix.post[e.term]
			for i := 0; i < len(ps); {
				d := ps[i].doc
				s := 0.0
				for ; i < len(ps) && ps[i].doc == d; i++ {
					p := ps[i]
					tf := float64(p.tf)
					norm := 1 - bm25B + bm25B*float64(ix.lens[p.field][d])/max(ix.avg[p.field], 1)
					s += ix.weights.of(p.field) * tf * (bm25K1 + 1) / (tf + bm25K1*norm)
				}
				s *= idf * e.factor
				perWord[d] = max(perWord[d], s)
			}
		}
		for d, s := range perWord {
			if s > 0 {
				hits[d]++
				total[d] += s
			}
		}
	}
	for d := range total {
		if hits[d] < len(words) {
			total[d] = 0
		}
	}
	return total, matched
}

// snippetBytes is the length of a description snippet around its first
// match.
const snippetBytes = 160

// highlight returns the values of doc that contain a matched term, with the
// matched words wrapped in <em></em> and everything else HTML-escaped (safe
// to insert as HTML), best field first, values in lang first, at most max.
func highlight(doc *docText, matched map[string]bool, lang string, limit int) []string {
	var out []string
	seen := map[string]bool{}
	for f := range numFields {
		vals := slices.Clone(doc.values[f])
		if lang != "" {
			slices.SortStableFunc(vals, func(a, b textValue) int {
				return boolRank(langMatches(a.lang, lang)) - boolRank(langMatches(b.lang, lang))
			})
		}
		for _, v := range vals {
			if len(out) >= limit {
				return out
			}
			var hits []token
			for _, t := range v.tokens {
				if matched[t.text] {
					hits = append(hits, t)
				}
			}
			if len(hits) == 0 {
				continue
			}
			s := markup(v.text, hits, field(f) == fieldDescription)
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}

// markup wraps the hit spans of text in <em>, escaping the rest; with
// snippet, long texts are cut to a window around the first hit.
func markup(text string, hits []token, snippet bool) string {
	from, to := 0, len(text)
	if snippet && len(text) > snippetBytes && len(hits) > 0 {
		from = max(0, hits[0].start-snippetBytes/4)
		for from > 0 && !utf8.RuneStart(text[from]) {
			from--
		}
		to = min(len(text), from+snippetBytes)
		for to < len(text) && !utf8.RuneStart(text[to]) {
			to++
		}
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	pos := from
	for _, h := range hits {
		if h.start < pos || h.end > to {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:h.start]))
		b.WriteString("<em>")
		b.WriteString(html.EscapeString(text[h.start:h.end]))
		b.WriteString("</em>")
		pos = h.end
	}
	b.WriteString(html.EscapeString(text[pos:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// langMatches reports whether a value in language tag suits lang ("en"
// suits "en" and "en-gb").
func langMatches(tag, lang string) bool {
	tag, lang = strings.ToLower(tag), strings.ToLower(lang)
	return tag == lang || strings.HasPrefix(tag, lang+"-")
}
