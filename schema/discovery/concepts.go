package discovery

import (
	"cmp"
	"context"
	"iter"
	"slices"
	"strings"
	"sync"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/ontology"
)

// emptyReader is a graph.Reader with nothing in it.
type emptyReader struct{}

func (emptyReader) Quads(context.Context, graph.Pattern) graph.Quads {
	return func(func(graph.Quad, error) bool) {}
}
func (emptyReader) Count(context.Context, graph.Pattern) (int64, error) { return 0, nil }
func (emptyReader) Graphs(context.Context) iter.Seq2[graph.Term, error] {
	return func(func(graph.Term, error) bool) {}
}
func (emptyReader) HasGraph(_ context.Context, g graph.Term) (bool, error) {
	return g.IsDefaultGraph(), nil
}

var emptyOnt = sync.OnceValue(func() *ontology.Ontology {
	o, err := ontology.Build(context.Background(), emptyReader{}, nil)
	if err != nil {
		panic("discovery: empty ontology: " + err.Error()) // cannot happen: nothing is read
	}
	return o
})

func emptyOntology() *ontology.Ontology { return emptyOnt() }

// conceptInfo answers the concept questions of the index from the
// ontology, memoised (the ontology is immutable).
type conceptInfo struct {
	ont    *ontology.Ontology
	mu     sync.Mutex
	search map[graph.Term][2][]graph.Term
	labels map[[2]string]string
	expand map[expandKey]map[graph.Term]bool
}

type expandKey struct {
	t     graph.Term
	exact bool
}

func newConceptInfo(ont *ontology.Ontology) *conceptInfo {
	return &conceptInfo{ont: ont, search: map[graph.Term][2][]graph.Term{}, labels: map[[2]string]string{},
		expand: map[expandKey]map[graph.Term]bool{}}
}

// searchLabels returns the labels of c and its equivalents (every label
// kind, every language) and those of its broader concepts other than the
// roots of their hierarchy, for the search index.
func (ci *conceptInfo) searchLabels(c graph.Term) (own, broader []graph.Term) {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	if v, ok := ci.search[c]; ok {
		return v[0], v[1]
	}
	o := ci.ont
	eq := o.Equivalents(c)
	for _, e := range eq {
		for _, k := range []ontology.LabelKind{ontology.PrefLabel, ontology.Label, ontology.AltLabel, ontology.Notation, ontology.HiddenLabel} {
			own = append(own, o.Labels(e, k)...)
		}
	}
	if l, ok := fallbackLabels[c.Value()]; ok {
		own = append(own, graph.LangLiteral(l, "en"))
	}
	for _, a := range o.Ancestors(c, true) {
		if slices.Contains(eq, a) || ci.isRoot(a) {
			continue
		}
		for _, k := range []ontology.LabelKind{ontology.PrefLabel, ontology.Label, ontology.AltLabel} {
			broader = append(broader, o.Labels(a, k)...)
		}
	}
	ci.search[c] = [2][]graph.Term{own, broader}
	return own, broader
}

// isRoot reports whether t has nothing above it but its equivalents.
func (ci *conceptInfo) isRoot(t graph.Term) bool {
	eq := ci.ont.Equivalents(t)
	for _, a := range ci.ont.Ancestors(t, true) {
		if !slices.Contains(eq, a) {
			return false
		}
	}
	return true
}

// Label returns the display label of t in lang: its (or an equivalent's)
// skos:prefLabel or rdfs:label in lang, else in English, else in any
// language, else its notation, else a built-in name for well-known codes,
// else its local name. Literals label themselves.
func (ci *conceptInfo) Label(t graph.Term, lang string) string {
	if t.IsLiteral() {
		return t.Value()
	}
	key := [2]string{t.Value(), strings.ToLower(lang)}
	ci.mu.Lock()
	l, ok := ci.labels[key]
	ci.mu.Unlock()
	if ok {
		return l
	}
	l = ci.label(t, lang)
	ci.mu.Lock()
	ci.labels[key] = l
	ci.mu.Unlock()
	return l
}

func (ci *conceptInfo) label(t graph.Term, lang string) string {
	o := ci.ont
	cands := append([]graph.Term{t}, o.Equivalents(t)...)
	for _, want := range []string{lang, "en", "*"} {
		if want == "" {
			continue
		}
		for _, k := range []ontology.LabelKind{ontology.PrefLabel, ontology.Label} {
			for _, c := range cands {
				for _, l := range o.Labels(c, k) {
					if want == "*" || (l.Lang() != "" && langMatches(l.Lang(), want)) {
						return l.Value()
					}
				}
			}
		}
	}
	if l, ok := fallbackLabels[t.Value()]; ok {
		return l
	}
	for _, c := range cands {
		if ls := o.Labels(c, ontology.Notation); len(ls) > 0 {
			return ls[0].Value()
		}
	}
	return localName(t.Value())
}

// Expand returns the set a concept filter value matches: with exact false
// the concept, its descendants and their equivalents (ontology
// Descendants); with exact true the concept and its equivalents only.
// Namespace variants are always included, in their current form too.
func (ci *conceptInfo) Expand(t graph.Term, exact bool) map[graph.Term]bool {
	k := expandKey{t, exact}
	ci.mu.Lock()
	s, ok := ci.expand[k]
	ci.mu.Unlock()
	if ok {
		return s
	}
	var ts []graph.Term
	if exact {
		ts = ci.ont.Equivalents(t)
	} else {
		ts = ci.ont.Descendants(t, true)
	}
	s = map[graph.Term]bool{t: true, canon(t): true}
	for _, x := range ts {
		s[x], s[canon(x)] = true, true
	}
	ci.mu.Lock()
	ci.expand[k] = s
	ci.mu.Unlock()
	return s
}

// conceptTree is the cancer-type hierarchy over the conditions of the
// indexed datasets: each condition is placed at its "display" concept (the
// equivalent with the deepest hierarchy, e.g. the OncoTree concept of an
// NCIt code), under every broader concept of it.
type conceptTree struct {
	nodes    []graph.Term
	children [][]int32
	roots    []int32
	// perDataset lists the nodes each dataset (by position) falls under.
	perDataset [][]int32
}

func buildConceptTree(ix *Index) *conceptTree {
	o := ix.ont
	t := &conceptTree{perDataset: make([][]int32, len(ix.datasets))}
	ids := map[graph.Term]int32{}
	node := func(x graph.Term) int32 {
		if i, ok := ids[x]; ok {
			return i
		}
		i := int32(len(t.nodes))
		ids[x] = i
		t.nodes = append(t.nodes, x)
		t.children = append(t.children, nil)
		return i
	}
	under := map[graph.Term][]int32{} // condition → nodes (display and broader)
	parents := map[int32][]int32{}
	for _, d := range ix.datasets {
		for _, c := range d.Conditions {
			if _, ok := under[c]; ok {
				continue
			}
			disp := displayConcept(o, c)
			anc := o.Ancestors(disp, false) // disp and above, without equivalents
			var ns []int32
			for _, a := range anc {
				ns = append(ns, node(a))
			}
			under[c] = ns
			for _, a := range anc {
				ai := node(a)
				if _, done := parents[ai]; done {
					continue
				}
				parents[ai] = nil
				for _, p := range directParents(o, a) {
					parents[ai] = append(parents[ai], node(p))
				}
			}
		}
	}
	for child, ps := range parents {
		if len(ps) == 0 {
			t.roots = append(t.roots, child)
		}
		for _, p := range ps {
			t.children[p] = append(t.children[p], child)
		}
	}
	for _, d := range ix.datasets {
		var ns []int32
		for _, c := range d.Conditions {
			ns = append(ns, under[c]...)
		}
		slices.Sort(ns)
		t.perDataset[d.pos] = slices.Compact(ns)
	}
	return t
}

// displayConcept picks, among c and its equivalents, the one with the most
// broader concepts (so an NCIt code with no hierarchy of its own is shown
// at its OncoTree equivalent); ties prefer c, then term order.
func displayConcept(o *ontology.Ontology, c graph.Term) graph.Term {
	best, depth := c, len(o.Ancestors(c, false))
	for _, e := range o.Equivalents(c) {
		if n := len(o.Ancestors(e, false)); n > depth || (n == depth && best != c && graph.Compare(e, best) < 0) {
			best, depth = e, n
		}
	}
	return best
}

// directParents returns the broader concepts of t that are not above
// another broader concept of t (the ontology exposes closures only).
func directParents(o *ontology.Ontology, t graph.Term) []graph.Term {
	var anc []graph.Term
	for _, a := range o.Ancestors(t, false) {
		if a != t {
			anc = append(anc, a)
		}
	}
	var out []graph.Term
	for _, a := range anc {
		direct := true
		for _, b := range anc {
			if b != a && slices.Contains(o.Ancestors(b, false), a) {
				direct = false
				break
			}
		}
		if direct {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, graph.Compare)
	return out
}

// sortValues orders facet values by count (descending), then label.
func sortValues(vs []FacetValue) {
	slices.SortFunc(vs, func(a, b FacetValue) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Label, b.Label), strings.Compare(a.Value, b.Value))
	})
}
