package discovery

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Errors of the discovery queries; the GraphQL layer reports them as
// request errors.
var (
	// ErrBadCursor: an after cursor this index did not produce.
	ErrBadCursor = errors.New("discovery: invalid cursor")
	// ErrLimit: a request over a configured limit (page size, text length).
	ErrLimit = errors.New("discovery: limit exceeded")
)

// Order is the order of search results.
type Order uint8

// The orders of search results.
const (
	// Relevance: best score first (with no text: by title).
	Relevance Order = iota
	// Title: by title in the requested language, A to Z.
	Title
	// Subjects: most subjects (numberOfUniqueIndividuals) first.
	Subjects
	// Studies: most studies (numberOfRecords) first.
	Studies
)

// Page selects a window of results: First results after the cursor After
// (empty: from the start). First ≤ 0 means 20.
type Page struct {
	First int
	After string
}

// Hit is one search result.
type Hit struct {
	Dataset *Dataset
	Score   float64
	// Highlights are the matching values (titles, keywords, concept labels,
	// description snippets), matched words in <em></em>, the rest
	// HTML-escaped.
	Highlights []string
	Cursor     string
}

// SearchResult is one page of search results.
type SearchResult struct {
	Total           int
	Hits            []Hit
	HasNextPage     bool
	HasPreviousPage bool
}

// queryWords tokenises a search text, within the index's limits.
func (ix *Index) queryWords(text string) ([]string, error) {
	if len(text) > ix.opts.MaxQueryBytes {
		return nil, fmt.Errorf("%w: search text of %d bytes (at most %d)", ErrLimit, len(text), ix.opts.MaxQueryBytes)
	}
	toks := tokenize(text, ix.opts.MaxQueryWords+1)
	if len(toks) > ix.opts.MaxQueryWords {
		return nil, fmt.Errorf("%w: search text of more than %d words", ErrLimit, ix.opts.MaxQueryWords)
	}
	words := make([]string, 0, len(toks))
	for _, t := range toks {
		if !slices.Contains(words, t.text) {
			words = append(words, t.text)
		}
	}
	return words, nil
}

// scores returns the text score per dataset position, or nil when text
// has no words (every dataset matches), and the matched vocabulary.
func (ix *Index) scores(text string) ([]float64, map[string]bool, error) {
	words, err := ix.queryWords(text)
	if err != nil || len(words) == 0 {
		return nil, nil, err
	}
	s, m := ix.text.score(words)
	return s, m, nil
}

// Search ranks the datasets matching text and f: every word of text must
// match (as a word or, from two letters, the start of a word) a title,
// keyword, concept label (any language, equivalents and broader concepts
// included) or description; scores are BM25F with the index's field
// weights. Empty text lists every dataset matching f. lang orders
// highlights and titles.
func (ix *Index) Search(ctx context.Context, text string, f Filters, order Order, page Page, lang string) (*SearchResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	first := page.First
	if first <= 0 {
		first = 20
	}
	if first > ix.opts.MaxFirst {
		return nil, fmt.Errorf("%w: first %d is above the maximum page size %d", ErrLimit, first, ix.opts.MaxFirst)
	}
	offset := 0
	if page.After != "" {
		n, err := decodeCursor(page.After)
		if err != nil {
			return nil, err
		}
		offset = n + 1
	}
	scores, matched, err := ix.scores(text)
	if err != nil {
		return nil, err
	}
	masks := ix.masks(f, scores)
	var hits []int
	for i, m := range masks {
		if m == allFacets {
			hits = append(hits, i)
		}
	}
	score := func(i int) float64 {
		if scores == nil {
			return 0
		}
		return scores[i]
	}
	titles := make(map[int]string, len(hits))
	title := func(i int) string {
		t, ok := titles[i]
		if !ok {
			t = foldWord(ix.datasets[i].Title(lang))
			titles[i] = t
		}
		return t
	}
	byIRI := func(a, b int) int { return strings.Compare(ix.datasets[a].IRI.Value(), ix.datasets[b].IRI.Value()) }
	if order == Relevance && scores == nil {
		order = Title
	}
	slices.SortFunc(hits, func(a, b int) int {
		da, db := ix.datasets[a], ix.datasets[b]
		switch order {
		case Title:
			return cmp.Or(strings.Compare(title(a), title(b)), byIRI(a, b))
		case Subjects:
			return cmp.Or(cmp.Compare(db.Subjects, da.Subjects), byIRI(a, b))
		case Studies:
			return cmp.Or(cmp.Compare(db.Studies, da.Studies), byIRI(a, b))
		}
		return cmp.Or(cmp.Compare(score(b), score(a)), byIRI(a, b))
	})
	res := &SearchResult{Total: len(hits), HasPreviousPage: offset > 0}
	if offset > len(hits) {
		offset = len(hits)
	}
	end := min(len(hits), offset+first)
	res.HasNextPage = end < len(hits)
	for k, i := range hits[offset:end] {
		h := Hit{Dataset: ix.datasets[i], Score: score(i), Cursor: encodeCursor(offset + k)}
		if matched != nil {
			h.Highlights = highlight(ix.text.docs[i], matched, lang, 3)
		}
		if h.Highlights == nil {
			h.Highlights = []string{}
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// Cursors are opaque to clients: base64 of "o:" and the result's offset.
func encodeCursor(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(n)))
}

func decodeCursor(s string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 3 || string(b[:2]) != "o:" {
		return 0, fmt.Errorf("%w: %q", ErrBadCursor, s)
	}
	n, err := strconv.Atoi(string(b[2:]))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: %q", ErrBadCursor, s)
	}
	return n, nil
}
