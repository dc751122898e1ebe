package schema

import (
	"strings"

	"github.com/graphql-go/graphql"
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/ontology"
	"github.com/tessera-fair/tessera/schema/model"
	"github.com/tessera-fair/tessera/schema/resource"
)

// conceptInfo is the shared Concept type of Reference fields: labels and
// equivalents come from the ontology snapshot (no query), direct broader
// and narrower concepts from the store through the batch loader.
type conceptInfo struct {
	obj                *graphql.Object
	up, down, upNarrow *fieldInfo
}

func step(inverse bool, iris ...string) []model.Step {
	st := model.Step{Inverse: inverse}
	for _, s := range iris {
		st.Predicates = append(st.Predicates, graph.IRI(s))
	}
	return []model.Step{st}
}

func newConceptInfo(b *built, name string) *conceptInfo {
	ci := &conceptInfo{
		// broader: skos:broader or rdfs:subClassOf forwards, skos:narrower backwards.
		up:       &fieldInfo{f: &model.Field{Name: "broader"}, path: step(false, ontology.SKOSBroader, ontology.RDFSSubClassOf)},
		upNarrow: &fieldInfo{f: &model.Field{Name: "broader~"}, path: step(true, ontology.SKOSNarrower)},
		down:     &fieldInfo{f: &model.Field{Name: "narrower"}, path: step(true, ontology.SKOSBroader, ontology.RDFSSubClassOf)},
	}
	downNarrow := &fieldInfo{f: &model.Field{Name: "narrower~"}, path: step(false, ontology.SKOSNarrower)}
	langArg := graphql.FieldConfigArgument{"lang": {Type: graphql.String, Description: "Preferred language: exact tag, then a tag sharing its prefix, then untagged, then any."}}
	var self *graphql.Object
	self = graphql.NewObject(graphql.ObjectConfig{
		Name:        name,
		Description: "A concept, class or other resource used as a value (a cancer type, modality, country, licence ...), described by the ontology: labels in every language, hierarchy and equivalent codes.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			list := graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(self)))
			return graphql.Fields{
				"id": {Type: graphql.NewNonNull(graphql.ID), Description: "The IRI (or, for a plain literal value, the value itself).",
					Resolve: conceptResolve(func(_ *reqState, t graph.Term, _ graphql.ResolveParams) any { return idString(t) })},
				"label": {Type: graphql.NewNonNull(graphql.String), Args: langArg,
					Description: "The best label: skos:prefLabel, else rdfs:label, else skos:altLabel, else the IRI's local name.",
					Resolve: conceptResolve(func(st *reqState, t graph.Term, p graphql.ResolveParams) any {
						lang, _ := p.Args["lang"].(string)
						return conceptLabel(st.ont, t, lang, b.opts.DefaultLang)
					})},
				"prefLabel": {Type: graphql.String, Args: langArg, Description: "skos:prefLabel in the preferred language.",
					Resolve: conceptResolve(func(st *reqState, t graph.Term, p graphql.ResolveParams) any {
						lang, _ := p.Args["lang"].(string)
						if best := bestLang(labels(st.ont, t, ontology.PrefLabel), lang, b.opts.DefaultLang); len(best) > 0 {
							return best[0].Value()
						}
						return nil
					})},
				"altLabels": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.String))), Args: langArg,
					Description: "skos:altLabel synonyms: all of them, or those of the language when lang is given.",
					Resolve: conceptResolve(func(st *reqState, t graph.Term, p graphql.ResolveParams) any {
						lang, _ := p.Args["lang"].(string)
						out := []any{}
						for _, l := range labels(st.ont, t, ontology.AltLabel) {
							if lang == "" || langRank(l.Lang(), lang, "") <= 1 {
								out = append(out, l.Value())
							}
						}
						return out
					})},
				"labels": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(langStringType))),
					Description: "Every skos:prefLabel and rdfs:label with its language.",
					Resolve: conceptResolve(func(st *reqState, t graph.Term, _ graphql.ResolveParams) any {
						out := []any{}
						for _, k := range []ontology.LabelKind{ontology.PrefLabel, ontology.Label} {
							for _, l := range labels(st.ont, t, k) {
								out = append(out, l)
							}
						}
						return out
					})},
				"notation": {Type: graphql.String, Description: "skos:notation (the code).",
					Resolve: conceptResolve(func(st *reqState, t graph.Term, _ graphql.ResolveParams) any {
						if ls := labels(st.ont, t, ontology.Notation); len(ls) > 0 {
							return ls[0].Value()
						}
						return nil
					})},
				"exactMatch": {Type: list, Description: "Equivalent codes (skos:exactMatch, owl:equivalentClass, owl:sameAs, namespace aliases), itself excluded.",
					Resolve: conceptResolve(func(st *reqState, t graph.Term, _ graphql.ResolveParams) any {
						out := []any{}
						if st.ont != nil {
							for _, e := range st.ont.Equivalents(t) {
								if e != t {
									out = append(out, resource.Node{Term: e})
								}
							}
						}
						return out
					})},
				"broader":  {Type: list, Description: "Direct broader concepts and superclasses.", Resolve: hierarchyResolve(ci.up, ci.upNarrow)},
				"narrower": {Type: list, Description: "Direct narrower concepts and subclasses.", Resolve: hierarchyResolve(ci.down, downNarrow)},
			}
		}),
	})
	ci.obj = self
	return ci
}

func labels(o *ontology.Ontology, t graph.Term, k ontology.LabelKind) []graph.Term {
	if o == nil || !t.IsIRI() && !t.IsBlank() {
		return nil
	}
	return o.Labels(t, k)
}

// conceptLabel is the display label of a concept value.
func conceptLabel(o *ontology.Ontology, t graph.Term, lang, fallback string) string {
	if t.IsLiteral() {
		return t.Value()
	}
	// The term's own labels first, then those of its equivalents (an NCIt
	// code takes the label of the OncoTree concept that matches it).
	terms := []graph.Term{t}
	if o != nil {
		for _, e := range o.Equivalents(t) {
			if e != t {
				terms = append(terms, e)
			}
		}
	}
	for _, x := range terms {
		for _, k := range []ontology.LabelKind{ontology.PrefLabel, ontology.Label, ontology.AltLabel} {
			if best := bestLang(labels(o, x, k), lang, fallback); len(best) > 0 {
				return best[0].Value()
			}
		}
	}
	v := t.Value()
	if i := strings.LastIndexAny(v, "#/"); i >= 0 && i < len(v)-1 {
		return v[i+1:]
	}
	return v
}

func conceptResolve(fn func(st *reqState, t graph.Term, p graphql.ResolveParams) any) graphql.FieldResolveFn {
	return safe(func(p graphql.ResolveParams) (any, error) {
		st, err := stateOf(p.Context)
		if err != nil {
			return nil, err
		}
		n, ok := nodeOf(p.Source)
		if !ok {
			return nil, nil
		}
		return fn(st, n.Term, p), nil
	})
}

// hierarchyResolve loads the union of two paths (both in the same batch).
func hierarchyResolve(a, b *fieldInfo) graphql.FieldResolveFn {
	return safe(func(p graphql.ResolveParams) (any, error) {
		st, err := stateOf(p.Context)
		if err != nil {
			return nil, err
		}
		n, ok := nodeOf(p.Source)
		if !ok || !n.Term.IsIRI() && !n.Term.IsBlank() {
			return []any{}, nil
		}
		st.want(a, n.Term)
		st.want(b, n.Term)
		return thunk(func() (any, error) {
			seen := map[graph.Term]bool{}
			out := []any{}
			for _, fi := range []*fieldInfo{a, b} {
				vals, err := st.get(fi, n.Term)
				if err != nil {
					return nil, err
				}
				for _, v := range vals {
					if !seen[v] && !v.IsLiteral() && v != n.Term {
						seen[v] = true
						out = append(out, resource.Node{Term: v})
					}
				}
			}
			return out, nil
		}), nil
	})
}
