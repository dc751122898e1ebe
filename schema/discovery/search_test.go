package discovery

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-fair/tessera/graph"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Lung Adenocarcinoma", []string{"lung", "adenocarcinoma"}},
		{"Cáncer de PULMÓN", []string{"cancer", "de", "pulmon"}},
		{"Ψευδωνυμοποιημένες μελέτες", []string{"ψευδωνυμοποιημενες", "μελετες"}},
		{"non-small-cell (NSCLC), 2014", []string{"non", "small", "cell", "nsclc", "2014"}},
		{"", nil},
		{"  ...  ", nil},
		{"bad\xffutf8", []string{"bad", "utf8"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range tokenize(tt.in, 0) {
			got = append(got, tok.text)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := tokenize("a b c d", 2); len(got) != 2 {
		t.Errorf("tokenize with limit 2: %d tokens", len(got))
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Lung Adenocarcinoma", "Cáncer de pulmón", "a\xffb", "İstanbul ǅ ß", strings.Repeat("x", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := tokenize(s, 0)
		last := 0
		for _, tok := range toks {
			if tok.start < last || tok.end > len(s) || tok.start >= tok.end {
				t.Fatalf("tokenize(%q): bad span %d-%d", s, tok.start, tok.end)
			}
			last = tok.end
			if tok.text == "" || len(tok.text) > 4*maxTokenBytes {
				t.Fatalf("tokenize(%q): token %q", s, tok.text)
			}
			// Folding is idempotent: a folded word folds to itself.
			if again := tokenize(tok.text, 0); len(again) != 1 || again[0].text != tok.text {
				t.Fatalf("tokenize(%q): token %q re-tokenises to %v", s, tok.text, again)
			}
		}
		// Highlighting any subset of the words never panics and escapes.
		m := markup(s, toks, true)
		if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(m, "<em>", ""), "</em>", ""), "<") {
			t.Fatalf("markup(%q) = %q: unescaped <", s, m)
		}
	})
}

func TestCursor(t *testing.T) {
	for _, n := range []int{0, 1, 19, 12345} {
		got, err := decodeCursor(encodeCursor(n))
		if err != nil || got != n {
			t.Errorf("decodeCursor(encodeCursor(%d)) = %d, %v", n, got, err)
		}
	}
	for _, bad := range []string{"x", "bzp4", encodeCursor(-1)[:2], "b286LTE", "bzotMQ"} {
		if _, err := decodeCursor(bad); !errors.Is(err, ErrBadCursor) {
			t.Errorf("decodeCursor(%q) error = %v, want ErrBadCursor", bad, err)
		}
	}
}

// isUnder reports whether any condition of d is the concept or below it.
func isUnder(f *fixture, d *Dataset, concept string) bool {
	for _, c := range d.Conditions {
		if f.ont.IsA(c, iri(concept)) {
			return true
		}
	}
	return false
}

func TestSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the 588k-quad demo catalogue")
	}
	f := loadFixture(t)
	ctx := context.Background()
	search := func(t *testing.T, text string, fl Filters, order Order, page Page) *SearchResult {
		t.Helper()
		r, err := f.ix.Search(ctx, text, fl, order, page, "en")
		if err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
		return r
	}
	lungCount := 0
	for _, d := range f.ix.Datasets() {
		if isUnder(f, d, onco+"LUNG") {
			lungCount++
		}
	}
	if lungCount == 0 {
		t.Fatal("no lung cancer dataset in the demo catalogue")
	}
	t.Run("multilingual concept labels find the lung datasets", func(t *testing.T) {
		for _, q := range []string{"lung", "pulmón", "PULMON", "Lungenkrebs"} {
			r := search(t, q, Filters{}, Relevance, Page{First: 100})
			if r.Total != lungCount {
				t.Errorf("Search(%q) found %d datasets, want the %d lung cancer datasets", q, r.Total, lungCount)
			}
			for _, h := range r.Hits {
				if !isUnder(f, h.Dataset, onco+"LUNG") {
					t.Errorf("Search(%q) found %s, not about lung cancer", q, h.Dataset.IRI.Value())
				}
			}
		}
	})
	t.Run("ranking: a title match ranks above a broader-concept match", func(t *testing.T) {
		r := search(t, "lung adenocarcinoma", Filters{}, Relevance, Page{First: 100})
		if len(r.Hits) == 0 {
			t.Fatal("no hits")
		}
		top := r.Hits[0].Dataset
		if !isUnder(f, top, onco+"LUAD") {
			t.Errorf("top hit %s (%s) is not a lung adenocarcinoma dataset", top.IRI.Value(), top.Title("en"))
		}
		for i := 1; i < len(r.Hits); i++ {
			if r.Hits[i].Score > r.Hits[i-1].Score {
				t.Fatalf("hits not sorted by score at %d", i)
			}
		}
		if !strings.Contains(r.Hits[0].Highlights[0], "<em>") {
			t.Errorf("highlights %q have no <em>", r.Hits[0].Highlights)
		}
	})
	t.Run("prefixes and accents", func(t *testing.T) {
		a := search(t, "adenocarc", Filters{}, Relevance, Page{First: 100})
		b := search(t, "adenocarcinoma", Filters{}, Relevance, Page{First: 100})
		if a.Total == 0 || a.Total != b.Total {
			t.Errorf("prefix found %d, word %d", a.Total, b.Total)
		}
		c := search(t, "oncológica", Filters{}, Relevance, Page{First: 100})
		d := search(t, "ONCOLOGICA", Filters{}, Relevance, Page{First: 100})
		if c.Total == 0 || c.Total != d.Total {
			t.Errorf("accented found %d, folded %d", c.Total, d.Total)
		}
		if r := search(t, "zzyzx", Filters{}, Relevance, Page{}); r.Total != 0 {
			t.Errorf("nonsense found %d", r.Total)
		}
	})
	t.Run("every word must match", func(t *testing.T) {
		r := search(t, "lung breast", Filters{}, Relevance, Page{First: 100})
		for _, h := range r.Hits {
			if !isUnder(f, h.Dataset, onco+"LUNG") || !isUnder(f, h.Dataset, onco+"BREAST") {
				// Breast appears in no lung dataset's text.
				t.Errorf("lung breast found %s", h.Dataset.Title("en"))
			}
		}
	})
	t.Run("filters", func(t *testing.T) {
		es := iri(eu + "ESP")
		r := search(t, "carcinoma", Filters{Countries: []graph.Term{es}}, Relevance, Page{First: 100})
		if r.Total == 0 {
			t.Fatal("no Spanish carcinoma dataset")
		}
		for _, h := range r.Hits {
			if h.Dataset.Country != es {
				t.Errorf("country filter ESP returned %s in %s", h.Dataset.IRI.Value(), h.Dataset.Country.Value())
			}
		}
	})
	t.Run("pages and orders", func(t *testing.T) {
		all := search(t, "", Filters{}, Subjects, Page{First: 100})
		if all.Total != len(f.ix.Datasets()) {
			t.Fatalf("empty text found %d of %d", all.Total, len(f.ix.Datasets()))
		}
		for i := 1; i < len(all.Hits); i++ {
			if all.Hits[i].Dataset.Subjects > all.Hits[i-1].Dataset.Subjects {
				t.Fatalf("SUBJECTS order broken at %d", i)
			}
		}
		var paged []string
		after := ""
		for pages := 0; ; pages++ {
			r := search(t, "", Filters{}, Subjects, Page{First: 7, After: after})
			for _, h := range r.Hits {
				paged = append(paged, h.Dataset.IRI.Value())
			}
			if !r.HasNextPage {
				break
			}
			after = r.Hits[len(r.Hits)-1].Cursor
			if pages > 20 {
				t.Fatal("paging does not end")
			}
		}
		var want []string
		for _, h := range all.Hits {
			want = append(want, h.Dataset.IRI.Value())
		}
		if !slices.Equal(paged, want) {
			t.Errorf("pages of 7 give %d datasets in another order than one page", len(paged))
		}
	})
	t.Run("limits", func(t *testing.T) {
		if _, err := f.ix.Search(ctx, "", Filters{}, Relevance, Page{First: 1000}, ""); !errors.Is(err, ErrLimit) {
			t.Errorf("first 1000: %v, want ErrLimit", err)
		}
		if _, err := f.ix.Search(ctx, strings.Repeat("a ", 40), Filters{}, Relevance, Page{}, ""); !errors.Is(err, ErrLimit) {
			t.Errorf("40 words: %v, want ErrLimit", err)
		}
	})
}
