package discovery

import (
	"fmt"
	"slices"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
)

// Filters restrict datasets, in search, facets and cohort counts. Lists
// are OR within a facet, AND across facets; an empty list does not
// restrict. Concept values are IRIs.
type Filters struct {
	CancerTypes []graph.Term
	// ExactConcepts turns off the expansion of concept filters (cancer
	// types, modalities, body parts, sexes) to descendants; equivalents
	// and namespace variants still match. The zero value expands, as
	// includeDescendants: true does in the GraphQL API.
	ExactConcepts bool
	Modalities    []graph.Term
	BodyParts     []graph.Term
	Sexes         []graph.Term
	Countries     []graph.Term
	Providers     []graph.Term
	AccessLevels  []access.Level
	Tiers         []graph.Term
	// MinAge and MaxAge keep datasets whose [minTypicalAge, maxTypicalAge]
	// overlaps [MinAge, MaxAge]; nil is unbounded. A dataset without an
	// age range does not match an age filter.
	MinAge, MaxAge *int
}

// maxFilterValues bounds the values of one filter or criteria list.
const maxFilterValues = 256

// checkLists refuses lists longer than maxFilterValues.
func checkLists(lists map[string]int) error {
	for name, n := range lists {
		if n > maxFilterValues {
			return fmt.Errorf("%w: %d values in %s (at most %d)", ErrLimit, n, name, maxFilterValues)
		}
	}
	return nil
}

func (f Filters) check() error {
	return checkLists(map[string]int{"cancerTypes": len(f.CancerTypes), "modalities": len(f.Modalities),
		"bodyParts": len(f.BodyParts), "sexes": len(f.Sexes), "countries": len(f.Countries),
		"providers": len(f.Providers), "accessLevels": len(f.AccessLevels), "tiers": len(f.Tiers)})
}

// facet names the filterable facets, as bits of a match mask.
type facet uint8

const (
	facetCancer facet = iota
	facetModality
	facetBodyPart
	facetSex
	facetCountry
	facetProvider
	facetAccess
	facetTier
	facetAge
	facetText
	numFacets
)

const allFacets = uint16(1)<<numFacets - 1

// masks returns, per dataset position, the bit set of facets whose filter
// the dataset passes (facetText: the search text, when scores is given).
// A dataset matches all filters when its mask is allFacets; facet f's
// disjunctive count takes datasets whose mask|bit(f) is allFacets.
func (ix *Index) masks(f Filters, scores []float64) []uint16 {
	ci := ix.concepts
	set := func(ts []graph.Term, concepts bool) map[graph.Term]bool {
		if len(ts) == 0 {
			return nil
		}
		s := map[graph.Term]bool{}
		for _, t := range ts {
			if concepts {
				for x := range ci.Expand(t, f.ExactConcepts) {
					s[x] = true
				}
			} else {
				s[t], s[canon(t)] = true, true
			}
		}
		return s
	}
	cancer, mods, bodies, sexes := set(f.CancerTypes, true), set(f.Modalities, true), set(f.BodyParts, true), set(f.Sexes, true)
	countries, providers, tiers := set(f.Countries, false), set(f.Providers, false), set(f.Tiers, true)
	any := func(s map[graph.Term]bool, vs ...graph.Term) bool {
		if s == nil {
			return true
		}
		for _, v := range vs {
			if s[v] {
				return true
			}
		}
		return false
	}
	out := make([]uint16, len(ix.datasets))
	for i, d := range ix.datasets {
		var m uint16
		bit := func(fc facet, ok bool) {
			if ok {
				m |= 1 << fc
			}
		}
		bit(facetCancer, any(cancer, d.Conditions...))
		bit(facetModality, any(mods, d.Modalities...))
		bit(facetBodyPart, any(bodies, d.BodyParts...))
		bit(facetSex, any(sexes, d.Sexes...))
		bit(facetCountry, any(countries, d.Country))
		bit(facetProvider, any(providers, d.Provider))
		bit(facetAccess, len(f.AccessLevels) == 0 || slices.Contains(f.AccessLevels, ix.Level(d)))
		bit(facetTier, any(tiers, d.Tiers...))
		bit(facetAge, ageOverlaps(d, f.MinAge, f.MaxAge))
		bit(facetText, scores == nil || scores[i] > 0)
		out[i] = m
	}
	return out
}

func ageOverlaps(d *Dataset, lo, hi *int) bool {
	if lo == nil && hi == nil {
		return true
	}
	if d.MinAge < 0 || d.MaxAge < 0 {
		return false
	}
	if lo != nil && d.MaxAge < *lo {
		return false
	}
	if hi != nil && d.MinAge > *hi {
		return false
	}
	return true
}
