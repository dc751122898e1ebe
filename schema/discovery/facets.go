package discovery

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
)

// FacetValue is one value of a facet with the number of matching datasets;
// Children are set for the hierarchical cancer-type facet.
type FacetValue struct {
	Value    string
	Label    string
	Count    int
	Children []FacetValue
}

// Facets are the dataset counts per facet value.
type Facets struct {
	CancerType, Modality, BodyPart, Sex, Country, Provider, AccessLevel, Tier, AgeRange []FacetValue
	// Total is the number of datasets matching the text and every filter.
	Total int
}

// AccessLevelValue is the facet value (and GraphQL enum name) of a level.
func AccessLevelValue(l access.Level) string { return strings.ToUpper(l.String()) }

// Facets counts the datasets matching text and f per facet value.
//
// Counts are disjunctive, as in faceted product search: the counts of a
// facet apply every filter except that facet's own, so they say how many
// datasets selecting that value (in addition to, OR-ed with, the values
// already selected in the facet) would give. Values with a count of 0 are
// left out. The cancer-type facet is a tree of the conditions' concepts
// and every broader concept (roots first), a node counting the datasets
// with a condition at or below it. Age ranges are 10-year buckets
// ("40-49") that a dataset's [minTypicalAge, maxTypicalAge] overlaps.
// Labels are in lang (else English, else any).
func (ix *Index) Facets(ctx context.Context, text string, f Filters, lang string) (*Facets, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	scores, _, err := ix.scores(text)
	if err != nil {
		return nil, err
	}
	masks := ix.masks(f, scores)
	in := func(i int, fc facet) bool { return masks[i]|1<<fc == allFacets }
	out := &Facets{}
	for i := range masks {
		if masks[i] == allFacets {
			out.Total++
		}
	}
	count := func(fc facet, values func(d *Dataset) []graph.Term) []FacetValue {
		counts := map[graph.Term]int{}
		for i, d := range ix.datasets {
			if !in(i, fc) {
				continue
			}
			for _, v := range dedup(values(d)) {
				counts[v]++
			}
		}
		vs := make([]FacetValue, 0, len(counts))
		for v, n := range counts {
			vs = append(vs, FacetValue{Value: v.Value(), Label: ix.label(v, lang), Count: n, Children: []FacetValue{}})
		}
		sortValues(vs)
		return vs
	}
	one := func(get func(d *Dataset) graph.Term) func(d *Dataset) []graph.Term {
		return func(d *Dataset) []graph.Term {
			if t := get(d); !t.IsZero() {
				return []graph.Term{t}
			}
			return nil
		}
	}
	out.Modality = count(facetModality, func(d *Dataset) []graph.Term { return d.Modalities })
	out.BodyPart = count(facetBodyPart, func(d *Dataset) []graph.Term { return d.BodyParts })
	out.Sex = count(facetSex, func(d *Dataset) []graph.Term { return d.Sexes })
	out.Country = count(facetCountry, one(func(d *Dataset) graph.Term { return d.Country }))
	out.Tier = count(facetTier, func(d *Dataset) []graph.Term { return d.Tiers })
	out.Provider = count(facetProvider, one(func(d *Dataset) graph.Term { return d.Provider }))
	for k := range out.Provider { // providers are labelled by their foaf:name
		for _, d := range ix.datasets {
			if d.Provider.Value() == out.Provider[k].Value && !d.ProviderName.IsZero() {
				out.Provider[k].Label = d.ProviderName.Value()
				break
			}
		}
	}
	sortValues(out.Provider)
	// Access levels.
	levels := map[access.Level]int{}
	for i, d := range ix.datasets {
		if in(i, facetAccess) {
			levels[ix.Level(d)]++
		}
	}
	out.AccessLevel = []FacetValue{}
	for _, l := range access.Levels {
		if n := levels[l]; n > 0 {
			out.AccessLevel = append(out.AccessLevel, FacetValue{Value: AccessLevelValue(l), Label: strings.ToUpper(l.String()[:1]) + l.String()[1:], Count: n, Children: []FacetValue{}})
		}
	}
	// Age ranges.
	ages := map[int]int{}
	for i, d := range ix.datasets {
		if !in(i, facetAge) || d.MinAge < 0 || d.MaxAge < d.MinAge {
			continue
		}
		for b := d.MinAge / 10; b <= d.MaxAge/10; b++ {
			ages[b]++
		}
	}
	out.AgeRange = []FacetValue{}
	for b := 0; b <= 20; b++ {
		if n := ages[b]; n > 0 {
			v := ageBucket(b)
			out.AgeRange = append(out.AgeRange, FacetValue{Value: v, Label: v, Count: n, Children: []FacetValue{}})
		}
	}
	out.CancerType = ix.cancerFacet(func(i int) bool { return in(i, facetCancer) }, lang)
	return out, nil
}

func ageBucket(b int) string { return fmt.Sprintf("%d-%d", b*10, b*10+9) }

func dedup(ts []graph.Term) []graph.Term {
	if len(ts) < 2 {
		return ts
	}
	return slices.Compact(slices.SortedFunc(slices.Values(ts), graph.Compare))
}

// label returns the display label of a concept.
func (ix *Index) label(t graph.Term, lang string) string { return ix.concepts.Label(t, lang) }

// cancerFacet counts the datasets selected by keep under each node of the
// concept tree.
func (ix *Index) cancerFacet(keep func(i int) bool, lang string) []FacetValue {
	t := ix.tree
	counts := make([]int, len(t.nodes))
	for i := range ix.datasets {
		if !keep(i) {
			continue
		}
		for _, n := range t.perDataset[i] {
			counts[n]++
		}
	}
	var walk func(ns []int32, depth int) []FacetValue
	walk = func(ns []int32, depth int) []FacetValue {
		out := []FacetValue{}
		if depth > 64 { // cycles are impossible in a closure-derived tree; bound anyway
			return out
		}
		for _, n := range ns {
			if counts[n] == 0 {
				continue
			}
			out = append(out, FacetValue{Value: t.nodes[n].Value(), Label: ix.label(t.nodes[n], lang), Count: counts[n], Children: walk(t.children[n], depth+1)})
		}
		sortValues(out)
		return out
	}
	return walk(t.roots, 0)
}
