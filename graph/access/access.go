// Package access is the one place that answers "which graphs may this
// caller see, and at what granularity?" (DESIGN.md §1). Every read path —
// SPARQL, GraphQL, discovery, FDP, Linked Data, export, federation — asks a
// Policy instead of reading access levels itself.
//
// A Policy is an immutable snapshot of the system graph (by default
// https://tessera.example/graph/system/providers): for each named graph its
// tessera:accessLevel (tessera:public, tessera:registered or
// tessera:controlled, after GA4GH Beacon and EUCAIM), its publisher
// (dct:publisher) and country (dct:spatial). A Cache keeps the current Policy
// and rebuilds it when the system graph, or the set of graphs, changes.
//
// The three levels mean:
//   - public: anyone sees the graph's records;
//   - registered: signed-in callers see its records, others only counts;
//   - controlled: nobody sees its records through the open interfaces, only
//     obfuscated counts (data access goes through the provider's committee).
//
// A graph the system graph says nothing about gets Options.Default, which is
// Controlled unless configured: a graph loaded without metadata must not
// leak its records because somebody forgot to describe it (fail closed).
// Vocabulary graphs are public by default through Options.Prefixes.
//
// Not implemented: per-user grants (a caller approved for one controlled
// graph), which would extend Caller.
package access

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// IRIs of the system vocabulary.
const (
	// NS is Tessera's vocabulary for graph metadata.
	NS = "https://tessera.example/ns#"
	// LevelPredicate is the predicate of a graph's access level.
	LevelPredicate = NS + "accessLevel"
	// DefaultSystemGraph is the graph the policy is read from unless
	// Options.SystemGraph says otherwise.
	DefaultSystemGraph = "https://tessera.example/graph/system/providers"
	// VocabularyPrefix is the IRI prefix of the bundled vocabulary graphs
	// (ontology/vocab), public by default.
	VocabularyPrefix = "https://tessera.example/graph/system/vocab/"

	dctPublisher = "http://purl.org/dc/terms/publisher"
	dctSpatial   = "http://purl.org/dc/terms/spatial"
	rdfsLabel    = "http://www.w3.org/2000/01/rdf-schema#label"
)

// Level is the access level of a graph. The zero Level is not a level; it
// means "unknown" where a function may return it.
type Level uint8

// The access levels, from the most to the least open.
const (
	Public Level = iota + 1
	Registered
	Controlled
)

// Levels lists the access levels in order.
var Levels = []Level{Public, Registered, Controlled}

// String returns the level's lower-case name ("public").
func (l Level) String() string {
	switch l {
	case Public:
		return "public"
	case Registered:
		return "registered"
	case Controlled:
		return "controlled"
	}
	return "unknown"
}

// IRI returns the level's IRI in the system vocabulary (tessera:public).
func (l Level) IRI() graph.Term {
	if l < Public || l > Controlled {
		return graph.Term{}
	}
	return graph.IRI(NS + l.String())
}

// ParseLevel returns the level named by s, either a name ("public",
// case-insensitive) or an IRI of the system vocabulary.
func ParseLevel(s string) (Level, bool) {
	s = strings.TrimPrefix(s, NS)
	for _, l := range Levels {
		if strings.EqualFold(s, l.String()) {
			return l, true
		}
	}
	return 0, false
}

// PrefixLevel gives every graph whose IRI starts with Prefix a level, unless
// the system graph names one.
type PrefixLevel struct {
	Prefix string
	Level  Level
}

// Options configure Load. The zero value reads DefaultSystemGraph, treats
// undescribed graphs as Controlled and vocabulary graphs as Public.
type Options struct {
	// SystemGraph is the graph holding the access levels; zero means
	// DefaultSystemGraph.
	SystemGraph graph.Term
	// Default is the level of a graph the system graph does not describe;
	// zero means Controlled (fail closed, see the package comment).
	Default Level
	// Prefixes give levels to undescribed graphs by IRI prefix (longest
	// prefix wins); nil means the bundled vocabulary graphs and the system
	// graph are Public, an empty non-nil slice means none.
	Prefixes []PrefixLevel
}

func (o Options) withDefaults() Options {
	if o.SystemGraph.IsZero() {
		o.SystemGraph = graph.IRI(DefaultSystemGraph)
	}
	if o.Default == 0 {
		o.Default = Controlled
	}
	if o.Prefixes == nil {
		o.Prefixes = []PrefixLevel{{VocabularyPrefix, Public}, {o.SystemGraph.Value(), Public}}
	}
	return o
}

// Graph is what the policy knows about one named graph.
type Graph struct {
	// Graph is the graph's name.
	Graph graph.Term
	// Level is its access level (after defaults).
	Level Level
	// Described is true when the system graph gives the level.
	Described bool
	// Publisher and Country are the graph's dct:publisher and dct:spatial,
	// zero when not stated.
	Publisher, Country graph.Term
	// Label is its rdfs:label, zero when none.
	Label graph.Term
}

// Policy is an immutable snapshot of the access rules. It is safe for
// concurrent use. A nil *Policy behaves as the zero-configuration policy
// of an empty system graph (every graph Controlled except vocabularies).
type Policy struct {
	opts   Options
	graphs map[graph.Term]*Graph
	// order is every graph the policy knows, sorted.
	order []graph.Term
}

// Load reads the policy from r: the system graph's statements about graphs
// and the list of named graphs (so that Records can list undescribed graphs
// when the default level allows).
func Load(ctx context.Context, r graph.Reader, opts Options) (*Policy, error) {
	opts = opts.withDefaults()
	p := &Policy{opts: opts, graphs: map[graph.Term]*Graph{}}
	get := func(g graph.Term) *Graph {
		gi, ok := p.graphs[g]
		if !ok {
			gi = &Graph{Graph: g}
			p.graphs[g] = gi
		}
		return gi
	}
	for q, err := range r.Quads(ctx, graph.Pattern{G: opts.SystemGraph}) {
		if err != nil {
			return nil, fmt.Errorf("access: read system graph %s: %w", opts.SystemGraph.Value(), err)
		}
		if !q.S.IsIRI() {
			continue
		}
		switch q.P.Value() {
		case LevelPredicate:
			l, ok := ParseLevel(q.O.Value())
			if !q.O.IsIRI() || !ok {
				continue // an unknown level leaves the graph at its default
			}
			gi := get(q.S)
			// Two levels for one graph: the more restrictive wins.
			if !gi.Described || l > gi.Level {
				gi.Level, gi.Described = l, true
			}
		case dctPublisher:
			get(q.S).Publisher = q.O
		case dctSpatial:
			get(q.S).Country = q.O
		case rdfsLabel:
			get(q.S).Label = q.O
		}
	}
	for g, err := range r.Graphs(ctx) {
		if err != nil {
			return nil, fmt.Errorf("access: list graphs: %w", err)
		}
		get(g)
	}
	for _, gi := range p.graphs {
		if !gi.Described {
			gi.Level = p.undescribed(gi.Graph)
		}
	}
	p.order = slices.SortedFunc(maps.Keys(p.graphs), graph.Compare)
	return p, nil
}

// undescribed returns the level of a graph the system graph is silent on.
func (p *Policy) undescribed(g graph.Term) Level {
	opts := p.options()
	best, level := -1, opts.Default
	for _, pl := range opts.Prefixes {
		if strings.HasPrefix(g.Value(), pl.Prefix) && len(pl.Prefix) > best && pl.Level != 0 {
			best, level = len(pl.Prefix), pl.Level
		}
	}
	return level
}

func (p *Policy) options() Options {
	if p == nil {
		return Options{}.withDefaults()
	}
	return p.opts
}

// SystemGraph returns the graph the policy was read from.
func (p *Policy) SystemGraph() graph.Term { return p.options().SystemGraph }

// Level returns the access level of graph g. The default graph has the
// Default level too.
func (p *Policy) Level(g graph.Term) Level {
	if p != nil {
		if gi, ok := p.graphs[g]; ok {
			return gi.Level
		}
	}
	return p.undescribed(g)
}

// Graph returns what the policy knows about g (Level filled in even for a
// graph it has never seen).
func (p *Policy) Graph(g graph.Term) Graph {
	if p != nil {
		if gi, ok := p.graphs[g]; ok {
			return *gi
		}
	}
	return Graph{Graph: g, Level: p.undescribed(g)}
}

// Graphs returns every graph the policy knows (described in the system
// graph or present in the store when loaded), sorted.
func (p *Policy) Graphs() []graph.Term {
	if p == nil {
		return nil
	}
	return slices.Clone(p.order)
}

// Knows reports whether g was described or present when the policy was
// loaded; a write to an unknown graph means the policy must be reloaded
// to list it.
func (p *Policy) Knows(g graph.Term) bool {
	if p == nil {
		return false
	}
	_, ok := p.graphs[g]
	return ok
}

// CanSeeRecords reports whether a caller may read the record-level data of
// g: always for public graphs, for registered graphs when signed in, never
// for controlled ones.
func (p *Policy) CanSeeRecords(g graph.Term, registered bool) bool {
	return levelAllowsRecords(p.Level(g), registered)
}

func levelAllowsRecords(l Level, registered bool) bool {
	switch l {
	case Public:
		return true
	case Registered:
		return registered
	}
	return false
}

// Records returns the graphs whose record-level data the caller may see
// (public always, registered when signed in, never controlled), sorted.
// Graphs created after the policy was loaded are not listed until it is
// reloaded (Cache does so on their first write).
func (p *Policy) Records(registered bool) []graph.Term {
	var out []graph.Term
	for _, g := range p.Graphs() {
		if p.CanSeeRecords(g, registered) {
			out = append(out, g)
		}
	}
	return out
}

// Countable reports whether aggregate counts over g may be reported to any
// caller; counts from graphs whose records the caller cannot see must be
// obfuscated by the reporting layer. Every level allows obfuscated counts,
// so this is true for all graphs: it exists so that a future level (or a
// per-graph opt-out) changes one function.
func (p *Policy) Countable(g graph.Term) bool { return p.Level(g) != 0 }

// Caller is who is asking: what the web layer learned from authentication.
type Caller struct {
	// Registered is true for a signed-in caller.
	Registered bool
	// Subject identifies the caller (for logs), empty when anonymous.
	Subject string
}

type callerKey struct{}

// WithCaller returns a context carrying c, for the layers below web that
// must honour access levels (GraphQL resolvers, discovery).
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller in ctx, or the anonymous caller.
func CallerFrom(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}
