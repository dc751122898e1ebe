package eval

import (
	"slices"

	"github.com/tessera-fair/tessera/graph"
)

// Entailment is an RDFS schema the evaluator reasons with when a query
// asks for the RDFS entailment regime (SPARQL 1.1 Entailment Regimes §4,
// https://www.w3.org/TR/sparql11-entailment/#RDFSEntailmentRegime):
// Options.Entailment. The ontology package's snapshot provides one
// (ontology.Ontology.RDFS); cmd wires it in, as it does Hierarchy.
//
// Lists returned are read-only: the evaluator never modifies them, and an
// implementation may share them between queries.
type Entailment interface {
	// SubClasses returns c and every class entailed to be a subclass of c
	// (rdfs:subClassOf, transitively: rules rdfs9 and rdfs11).
	SubClasses(c graph.Term) []graph.Term
	// SuperClasses returns c and every class c is entailed to be a
	// subclass of.
	SuperClasses(c graph.Term) []graph.Term
	// SubProperties returns p and every property entailed to be a
	// sub-property of p (rdfs:subPropertyOf, transitively: rdfs5, rdfs7).
	SubProperties(p graph.Term) []graph.Term
	// SuperProperties returns p and every property p is entailed to be a
	// sub-property of.
	SuperProperties(p graph.Term) []graph.Term
	// Domains and Ranges return the classes declared as rdfs:domain
	// (rdfs2) and rdfs:range (rdfs3) of p itself, not of its
	// super-properties.
	Domains(p graph.Term) []graph.Term
	Ranges(p graph.Term) []graph.Term
	// TypingProperties returns every property with a declared domain or
	// range.
	TypingProperties() []graph.Term
}

// The predicates whose patterns entailment rewrites specially.
var (
	entRDFType       = graph.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
	entSubClassOf    = graph.IRI("http://www.w3.org/2000/01/rdf-schema#subClassOf")
	entSubPropertyOf = graph.IRI("http://www.w3.org/2000/01/rdf-schema#subPropertyOf")
)

// typeExpansion is how the instances of a class are found under
// entailment: asserted types of its subclasses, and subjects (objects) of
// the properties whose domain (range) is one of its subclasses, with
// their sub-properties.
type typeExpansion struct {
	classes   []graph.Term
	bySubject []graph.Term
	byObject  []graph.Term
}

// expandType computes (once per query and class) the typeExpansion of c.
func (e *evaluator) expandType(c graph.Term) *typeExpansion {
	if x, ok := e.entTypes[c]; ok {
		return x
	}
	x := &typeExpansion{classes: e.ent.SubClasses(c)}
	sub := map[graph.Term]bool{}
	for _, d := range x.classes {
		sub[d] = true
	}
	var dom, rng []graph.Term
	for _, p := range e.ent.TypingProperties() {
		if slices.ContainsFunc(e.ent.Domains(p), func(d graph.Term) bool { return sub[d] }) {
			dom = append(dom, e.ent.SubProperties(p)...)
		}
		if slices.ContainsFunc(e.ent.Ranges(p), func(d graph.Term) bool { return sub[d] }) {
			rng = append(rng, e.ent.SubProperties(p)...)
		}
	}
	x.bySubject, x.byObject = dedupe(dom), dedupe(rng)
	if e.entTypes == nil {
		e.entTypes = map[graph.Term]*typeExpansion{}
	}
	e.entTypes[c] = x
	return x
}

func dedupe(ts []graph.Term) []graph.Term {
	slices.SortFunc(ts, graph.Compare)
	return slices.Compact(ts)
}

// entailed streams the triples of the active graph g matching p under
// RDFS entailment, each once. The pattern is rewritten into a union of
// store lookups — never materialised:
//
//   - (s P o), P bound: (s P' o) for every sub-property P' of P;
//   - (s rdf:type C), C bound: (s rdf:type D) for every subclass D of C,
//     (s Q _) for every property Q whose domain is such a D and every
//     sub-property of Q, and (_ Q s) likewise for ranges;
//   - (s rdf:type ?c): each asserted type with its superclasses, and the
//     domains and ranges (with their superclasses) of the properties s is
//     used with;
//   - (s ?p o): every matching triple with each super-property of its
//     predicate, plus the entailed type triples above;
//   - (c rdfs:subClassOf d) and (p rdfs:subPropertyOf q): the stored
//     triples, and the schema's transitive and reflexive closure (rdfs5,
//     rdfs6, rdfs10, rdfs11) of the classes (properties) it knows; a
//     variable predicate matches the stored schema triples only.
//
// Axiomatic triples and the other rules about the RDFS vocabulary itself
// (every resource is an rdfs:Resource, rdfs:Class membership, containers,
// rdfs:Literal) are not produced. Schema answers come from the schema
// given, whatever the active graph.
func (e *evaluator) entailed(p graph.Pattern, g graph.Term) seq3 {
	return func(yield func(graph.Quad) bool) {
		switch {
		case p.P.IsZero():
		case p.P == entRDFType, p.P == entSubClassOf, p.P == entSubPropertyOf:
		default:
			props := e.ent.SubProperties(p.P)
			if len(props) <= 1 {
				e.triples(p, g)(yield)
				return
			}
		}
		ground := !p.S.IsZero() && !p.P.IsZero() && !p.O.IsZero()
		seen := map[graph.Quad]struct{}{}
		var held int64
		defer func() { e.release(held) }()
		cont := true
		emit := func(s, pr, o graph.Term) bool {
			if !cont || s.IsLiteral() ||
				(!p.S.IsZero() && s != p.S) || (!p.O.IsZero() && o != p.O) {
				return cont
			}
			q := graph.Quad{S: s, P: pr, O: o}
			if _, ok := seen[q]; ok {
				return true
			}
			n := rowOverhead + 3*termBytes + int64(len(s.Value())+len(pr.Value())+len(o.Value()))
			held += n
			if !e.reserve(n, "entailment") {
				cont = false
				return false
			}
			seen[q] = struct{}{}
			// A ground pattern has one answer at most: once found, the
			// other branches of the union need not run.
			if !yield(q) || ground {
				cont = false
			}
			return cont
		}
		switch {
		case p.P == entRDFType:
			e.entailedTypes(p.S, p.O, g, emit)
		case p.P == entSubClassOf:
			e.entailedSchema(p, g, e.ent.SubClasses, e.ent.SuperClasses, emit)
		case p.P == entSubPropertyOf:
			e.entailedSchema(p, g, e.ent.SubProperties, e.ent.SuperProperties, emit)
		case !p.P.IsZero():
			for _, sp := range e.ent.SubProperties(p.P) {
				if !cont {
					return
				}
				e.triples(graph.Pattern{S: p.S, P: sp, O: p.O}, g)(func(q graph.Quad) bool {
					return emit(q.S, p.P, q.O)
				})
			}
		default:
			e.triples(graph.Pattern{S: p.S, O: p.O}, g)(func(q graph.Quad) bool {
				if q.P == entRDFType {
					return true // entailedTypes yields these, with superclasses
				}
				for _, sp := range e.ent.SuperProperties(q.P) {
					if !emit(q.S, sp, q.O) {
						return false
					}
				}
				return true
			})
			if cont && (p.O.IsZero() || !p.O.IsLiteral()) {
				e.entailedTypes(p.S, p.O, g, emit)
			}
		}
	}
}

// entailedTypes emits the rdf:type triples entailed for subject s (any
// when zero) and class c (any when zero).
func (e *evaluator) entailedTypes(s, c graph.Term, g graph.Term, emit func(s, p, o graph.Term) bool) {
	if !c.IsZero() {
		if c.IsLiteral() {
			return
		}
		x := e.expandType(c)
		for _, d := range x.classes {
			ok := true
			e.triples(graph.Pattern{S: s, P: entRDFType, O: d}, g)(func(q graph.Quad) bool {
				ok = emit(q.S, entRDFType, c)
				return ok
			})
			if !ok {
				return
			}
		}
		for _, pr := range x.bySubject {
			ok := true
			e.triples(graph.Pattern{S: s, P: pr}, g)(func(q graph.Quad) bool {
				ok = emit(q.S, entRDFType, c)
				return ok
			})
			if !ok {
				return
			}
		}
		for _, pr := range x.byObject {
			ok := true
			e.triples(graph.Pattern{P: pr, O: s}, g)(func(q graph.Quad) bool {
				ok = emit(q.O, entRDFType, c)
				return ok
			})
			if !ok {
				return
			}
		}
		return
	}
	all := func(subject graph.Term, classes []graph.Term) bool {
		for _, d := range classes {
			for _, sc := range e.ent.SuperClasses(d) {
				if !emit(subject, entRDFType, sc) {
					return false
				}
			}
		}
		return true
	}
	ok := true
	e.triples(graph.Pattern{S: s, P: entRDFType}, g)(func(q graph.Quad) bool {
		ok = all(q.S, []graph.Term{q.O})
		return ok
	})
	if !ok {
		return
	}
	for _, p := range e.ent.TypingProperties() {
		dom, rng := e.ent.Domains(p), e.ent.Ranges(p)
		for _, sp := range e.ent.SubProperties(p) {
			if len(dom) > 0 {
				e.triples(graph.Pattern{S: s, P: sp}, g)(func(q graph.Quad) bool {
					ok = all(q.S, dom)
					return ok
				})
				if !ok {
					return
				}
			}
			if len(rng) > 0 && !s.IsLiteral() {
				e.triples(graph.Pattern{P: sp, O: s}, g)(func(q graph.Quad) bool {
					ok = all(q.O, rng)
					return ok
				})
				if !ok {
					return
				}
			}
		}
	}
}

// entailedSchema emits the rdfs:subClassOf (rdfs:subPropertyOf) triples
// matching p: those stored, and those of the schema's closure, where
// down(x) lists x and what is below it and up(x) x and what is above.
// A term the schema does not know is only related to itself when it
// appears in a stored triple.
func (e *evaluator) entailedSchema(p graph.Pattern, g graph.Term, down, up func(graph.Term) []graph.Term, emit func(s, p, o graph.Term) bool) {
	closure := func(s graph.Term) bool {
		for _, o := range up(s) {
			if !emit(s, p.P, o) {
				return false
			}
		}
		return true
	}
	switch {
	case !p.S.IsZero():
		if !closure(p.S) {
			return
		}
	case !p.O.IsZero():
		for _, s := range down(p.O) {
			if !emit(s, p.P, p.O) {
				return
			}
		}
	}
	// Every stored triple, and the closure of each term it mentions.
	e.triples(p, g)(func(q graph.Quad) bool {
		if !emit(q.S, q.P, q.O) {
			return false
		}
		if p.S.IsZero() && p.O.IsZero() {
			return closure(q.S) && (q.O.IsLiteral() || closure(q.O))
		}
		return true
	})
}
