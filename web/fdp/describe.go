package fdp

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	acl "github.com/tessera-fair/tessera/graph/access"
)

// Limits of one description.
const (
	// maxBlankDepth bounds how deep blank-node objects are followed
	// (concise bounded description).
	maxBlankDepth = 4
	// maxLabelled bounds the referenced resources whose labels are added.
	maxLabelled = 200
)

// access answers, for one request, which graphs' records the caller may
// see (graph/access decides); catalogue metadata is visible in every graph.
type access struct {
	s      *Service
	r      *http.Request
	snap   graph.Reader
	policy *acl.Policy
}

func (s *Service) newAccess(r *http.Request, snap graph.Reader) *access {
	return &access{s: s, r: r, snap: snap}
}

// loadPolicy returns the access policy of the request: Options.Policy's
// current one, or else the policy read from the snapshot (fail closed: a
// server configured without a policy still honours the system graph).
func (a *access) loadPolicy(ctx context.Context) (*acl.Policy, error) {
	if a.policy == nil {
		if a.s.opts.Policy != nil {
			a.policy = a.s.opts.Policy()
		}
		if a.policy == nil {
			p, err := acl.Load(ctx, a.snap, acl.Options{SystemGraph: graph.IRI(a.s.opts.SystemGraph)})
			if err != nil {
				return nil, fmt.Errorf("fdp: load the access policy: %w", err)
			}
			a.policy = p
		}
	}
	return a.policy, nil
}

// registered reports whether the caller is signed in (web puts the caller
// in the request context).
func (a *access) registered() bool { return acl.CallerFrom(a.r.Context()).Registered }

// recordsVisible reports whether record-level resources of g are visible
// to the caller.
func (a *access) recordsVisible(ctx context.Context, g graph.Term) (bool, error) {
	p, err := a.loadPolicy(ctx)
	if err != nil {
		return false, err
	}
	return p.CanSeeRecords(g, a.registered()), nil
}

// catalogueTyped reports whether a resource with these types is catalogue
// metadata, visible whatever its graph's access level: one DCAT catalogue
// class, or every type in a catalogue vocabulary. Untyped resources are not.
func catalogueTyped(types []graph.Term) bool {
	if len(types) == 0 {
		return false
	}
	all := true
	for _, t := range types {
		if dcatClasses[t] {
			return true
		}
		if !t.IsIRI() || !slices.ContainsFunc(catalogueNamespaces, func(ns string) bool { return strings.HasPrefix(t.Value(), ns) }) {
			all = false
		}
	}
	return all
}

// description is what the store says about one subject, in the graphs the
// caller may see.
type description struct {
	subject graph.Term
	// quads are the subject's quads, then those of the blank nodes it
	// reaches (graph positions kept).
	quads []graph.Quad
	// types are the subject's rdf:type values.
	types []graph.Term
	// graphs are the graphs the description comes from.
	graphs []graph.Term
	// truncated is set when Options.MaxDescription cut the description.
	truncated bool
}

// values returns the objects of the subject's triples with predicate p,
// without duplicates, in store order.
func (d *description) values(p graph.Term) []graph.Term {
	var out []graph.Term
	for _, q := range d.quads {
		if q.S == d.subject && q.P == p && !slices.Contains(out, q.O) {
			out = append(out, q.O)
		}
	}
	return out
}

// describe reads the subject's visible description; nil when there is none.
func (s *Service) describe(ctx context.Context, a *access, subject graph.Term) (*description, error) {
	byGraph := map[graph.Term][]graph.Quad{}
	var order []graph.Term
	n := 0
	truncated := false
	for q, err := range a.snap.Quads(ctx, graph.Pattern{S: subject}) {
		if err != nil {
			return nil, err
		}
		if n >= s.opts.MaxDescription {
			truncated = true
			break
		}
		n++
		g := q.G
		if g.IsZero() {
			g = graph.DefaultGraph
		}
		if _, ok := byGraph[g]; !ok {
			order = append(order, g)
		}
		byGraph[g] = append(byGraph[g], q)
	}
	d := &description{subject: subject, truncated: truncated}
	for _, g := range order {
		qs := byGraph[g]
		var types []graph.Term
		for _, q := range qs {
			if q.P == rdfType {
				types = append(types, q.O)
			}
		}
		if !catalogueTyped(types) {
			ok, err := a.recordsVisible(ctx, g)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		d.graphs = append(d.graphs, g)
		for _, q := range qs {
			d.quads = append(d.quads, q)
			if q.P == rdfType && !slices.Contains(d.types, q.O) {
				d.types = append(d.types, q.O)
			}
		}
	}
	if len(d.quads) == 0 {
		return nil, nil
	}
	if err := s.addBlankClosure(ctx, a, d); err != nil {
		return nil, err
	}
	// Store order is not stable (memstore); output must be.
	slices.SortStableFunc(d.quads, func(x, y graph.Quad) int {
		if (x.S == subject) != (y.S == subject) {
			if x.S == subject {
				return -1
			}
			return 1
		}
		return graph.CompareQuads(graph.Quad{S: x.S, P: x.P, O: x.O}, graph.Quad{S: y.S, P: y.P, O: y.O})
	})
	slices.SortFunc(d.types, graph.Compare)
	return d, nil
}

// addBlankClosure appends the quads of the blank nodes the description
// reaches, in the same graph, to maxBlankDepth levels.
func (s *Service) addBlankClosure(ctx context.Context, a *access, d *description) error {
	seen := map[graph.Term]bool{d.subject: true}
	frontier := d.quads
	for depth := 0; depth < maxBlankDepth && len(frontier) > 0; depth++ {
		var next []graph.Quad
		for _, q := range frontier {
			if !q.O.IsBlank() || seen[q.O] {
				continue
			}
			seen[q.O] = true
			for bq, err := range a.snap.Quads(ctx, graph.Pattern{S: q.O, G: q.G}) {
				if err != nil {
					return err
				}
				if len(d.quads) >= s.opts.MaxDescription {
					d.truncated = true
					return nil
				}
				d.quads = append(d.quads, bq)
				next = append(next, bq)
			}
		}
		frontier = next
	}
	return nil
}

// typesIn returns the rdf:type values of subject in graph g.
func typesIn(ctx context.Context, r graph.Reader, subject, g graph.Term) ([]graph.Term, error) {
	var out []graph.Term
	for q, err := range r.Quads(ctx, graph.Pattern{S: subject, P: rdfType, G: g}) {
		if err != nil {
			return nil, err
		}
		out = append(out, q.O)
	}
	return out, nil
}

// labels returns, for each IRI, its names in every language from the first
// label predicate that has any (skos:prefLabel, rdfs:label, dct:title,
// foaf:name, vcard:fn), read from graphs the caller may see it in. At most
// maxLabelled IRIs are looked up.
func (s *Service) labels(ctx context.Context, a *access, iris []graph.Term) (map[graph.Term][]graph.Term, error) {
	out := map[graph.Term][]graph.Term{}
	for i, t := range iris {
		if i >= maxLabelled {
			break
		}
		if !t.IsIRI() {
			continue
		}
		if _, done := out[t]; done {
			continue
		}
		vis := map[graph.Term]bool{}
		for _, p := range labelPredicates {
			var found []graph.Term
			for q, err := range a.snap.Quads(ctx, graph.Pattern{S: t, P: p}) {
				if err != nil {
					return nil, err
				}
				ok, seen := vis[q.G]
				if !seen {
					var err error
					if ok, err = a.recordsVisible(ctx, q.G); err != nil {
						return nil, err
					}
					if !ok {
						types, err := typesIn(ctx, a.snap, t, q.G)
						if err != nil {
							return nil, err
						}
						ok = catalogueTyped(types)
					}
					vis[q.G] = ok
				}
				if ok && q.O.IsLiteral() && !slices.Contains(found, q.O) {
					found = append(found, q.O)
				}
				if len(found) >= 32 {
					break
				}
			}
			if len(found) > 0 {
				slices.SortFunc(found, graph.Compare)
				out[t] = found
				break
			}
		}
		if _, ok := out[t]; !ok {
			out[t] = nil
		}
	}
	return out, nil
}

// preferred returns the value to show when one is wanted: a literal in the
// preferred language, else one without a language, else the first in
// graph.Compare order (so the choice does not depend on store order).
func (s *Service) preferred(values []graph.Term) graph.Term {
	if len(values) == 0 {
		return graph.Term{}
	}
	best, rank := graph.Term{}, 99
	for _, v := range values {
		r := 3
		switch {
		case v.IsLiteral() && v.Lang() == s.opts.Language:
			r = 0
		case v.IsLiteral() && strings.HasPrefix(v.Lang(), s.opts.Language+"-"):
			r = 1
		case v.IsLiteral() && v.Lang() == "":
			r = 2
		case v.IsIRI() && s.languageIRI(v):
			r = 0
		}
		if r < rank || (r == rank && graph.Compare(v, best) < 0) {
			best, rank = v, r
		}
	}
	return best
}

// iso6392 maps the languages of the demo federation and the EU's official
// languages to their ISO 639-2 codes, which the EU language authority uses.
var iso6392 = map[string]string{
	"en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "nl": "nld", "pt": "por",
	"el": "ell", "sv": "swe", "pl": "pol", "ca": "cat", "da": "dan", "fi": "fin", "cs": "ces",
	"sk": "slk", "sl": "slv", "hu": "hun", "ro": "ron", "bg": "bul", "hr": "hrv", "et": "est",
	"lv": "lav", "lt": "lit", "mt": "mlt", "ga": "gle",
}

// languageIRI reports whether v names the preferred language (an IRI of
// the EU language authority, id.loc.gov or lexvo ending in its code).
func (s *Service) languageIRI(v graph.Term) bool {
	low := strings.ToLower(v.Value())
	if strings.HasSuffix(low, "/"+s.opts.Language) {
		return true
	}
	code, ok := iso6392[s.opts.Language]
	return ok && strings.HasSuffix(low, "/"+code)
}

// bestLabel returns the preferred label's text, or "" when there is none.
func (s *Service) bestLabel(labels []graph.Term) string {
	return s.preferred(labels).Value()
}
