package ontology

import (
	"slices"

	"github.com/tessera-fair/tessera/graph"
)

// RDFS is the snapshot read as an RDFS schema, for the evaluator's RDFS
// entailment regime: it satisfies sparql/eval.Entailment structurally
// (this package does not import eval). Get one from Ontology.RDFS.
//
// Only rdfs:subClassOf, rdfs:subPropertyOf, rdfs:domain and rdfs:range
// count, as stored in the snapshot's graphs — not skos:broader, which is
// not RDFS. With equivalents, owl:equivalentClass, owl:equivalentProperty,
// owl:sameAs, skos:exactMatch and the namespace aliases also count, each
// read as a subclass (sub-property) relation both ways: a query over
// records in the other HealthDCAT-AP or EUCAIM namespace then still
// finds them.
type RDFS struct {
	o           *Ontology
	equivalents bool
}

// RDFS returns the RDFS view of the snapshot, with or without
// equivalences (see RDFS).
func (o *Ontology) RDFS(equivalents bool) RDFS { return RDFS{o: o, equivalents: equivalents} }

func (r RDFS) closure(d direction, t graph.Term) []graph.Term {
	i, ok := r.o.lookup(t)
	if !ok || (t != r.o.terms[i] && !r.equivalents) {
		return []graph.Term{t}
	}
	return r.o.closureOf(closureKey{id: i, dir: d, equivalents: r.equivalents}).terms
}

// SubClasses returns c and every class below it by rdfs:subClassOf,
// transitively, sorted. The slice is shared: it must not be modified.
func (r RDFS) SubClasses(c graph.Term) []graph.Term {
	return r.closure(dirBwd+direction(relSubClass), c)
}

// SuperClasses returns c and every class above it by rdfs:subClassOf.
// The slice is shared: it must not be modified.
func (r RDFS) SuperClasses(c graph.Term) []graph.Term {
	return r.closure(dirFwd+direction(relSubClass), c)
}

// SubProperties returns p and every property below it by
// rdfs:subPropertyOf. The slice is shared: it must not be modified.
func (r RDFS) SubProperties(p graph.Term) []graph.Term {
	return r.closure(dirBwd+direction(relSubProperty), p)
}

// SuperProperties returns p and every property above it by
// rdfs:subPropertyOf. The slice is shared: it must not be modified.
func (r RDFS) SuperProperties(p graph.Term) []graph.Term {
	return r.closure(dirFwd+direction(relSubProperty), p)
}

// Domains returns the classes declared rdfs:domain of p.
func (r RDFS) Domains(p graph.Term) []graph.Term { return r.o.declared(r.o.domain, p) }

// Ranges returns the classes declared rdfs:range of p.
func (r RDFS) Ranges(p graph.Term) []graph.Term { return r.o.declared(r.o.rng, p) }

// TypingProperties returns the properties with a declared domain or
// range, sorted. The slice is shared: it must not be modified.
func (r RDFS) TypingProperties() []graph.Term { return r.o.typing }

func (o *Ontology) declared(m map[int32][]graph.Term, p graph.Term) []graph.Term {
	i, ok := o.lookup(p)
	if !ok {
		return nil
	}
	return m[i]
}

// indexSchema turns the raw domain and range edges into the sorted term
// lists the RDFS view serves.
func (o *Ontology) indexSchema(domain, rng map[int32][]int32) {
	o.domain, o.rng = terms(o, domain), terms(o, rng)
	for _, m := range []map[int32][]int32{domain, rng} {
		for p := range m {
			o.typing = append(o.typing, o.terms[p])
		}
	}
	slices.SortFunc(o.typing, graph.Compare)
	o.typing = slices.Clip(slices.Compact(o.typing))
}

func terms(o *Ontology, m map[int32][]int32) map[int32][]graph.Term {
	out := make(map[int32][]graph.Term, len(m))
	for p, ids := range m {
		slices.Sort(ids)
		ids = slices.Compact(ids)
		ts := make([]graph.Term, len(ids))
		for k, id := range ids {
			ts[k] = o.terms[id]
		}
		out[p] = ts
	}
	return out
}
