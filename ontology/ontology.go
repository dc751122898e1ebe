// Package ontology reads RDFS, OWL and SKOS vocabularies from a store and
// computes an immutable snapshot of what queries and search need from
// them: transitive closures of rdfs:subClassOf, rdfs:subPropertyOf and
// skos:broader/skos:narrower (cycle-safe), equivalence classes
// (owl:equivalentClass, owl:equivalentProperty, owl:sameAs, skos:exactMatch
// and namespace aliases), and labels in every language for search and
// autocomplete. A Cache keeps a current snapshot and rebuilds it when the
// vocabulary graphs change.
//
// The snapshot also answers the evaluator's property-path fast path
// (Reachable, Graphs: it satisfies sparql/eval.Hierarchy structurally, this
// package does not import eval), and its RDFS view (Ontology.RDFS:
// subclasses, sub-properties, domains and ranges) is the schema of the
// evaluator's opt-in RDFS entailment regime (sparql/eval.Entailment).
// Closures are computed once per snapshot, on first use, and shared.
// Label search runs on an index built with the snapshot: binary search
// for prefixes, a Levenshtein walk of the implied trie for typos.
//
// Not implemented: OWL reasoning beyond the equivalences above
// (owl:inverseOf, property chains, restrictions), SKOS-XL labels.
package ontology

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/tessera-fair/tessera/graph"
)

// Vocabulary IRIs the package reads.
const (
	RDFType            = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	RDFSSubClassOf     = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
	RDFSSubPropertyOf  = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
	RDFSLabel          = "http://www.w3.org/2000/01/rdf-schema#label"
	RDFSDomain         = "http://www.w3.org/2000/01/rdf-schema#domain"
	RDFSRange          = "http://www.w3.org/2000/01/rdf-schema#range"
	OWLEquivalentClass = "http://www.w3.org/2002/07/owl#equivalentClass"
	OWLEquivalentProp  = "http://www.w3.org/2002/07/owl#equivalentProperty"
	OWLSameAs          = "http://www.w3.org/2002/07/owl#sameAs"
	SKOSBroader        = "http://www.w3.org/2004/02/skos/core#broader"
	SKOSNarrower       = "http://www.w3.org/2004/02/skos/core#narrower"
	SKOSExactMatch     = "http://www.w3.org/2004/02/skos/core#exactMatch"
	SKOSPrefLabel      = "http://www.w3.org/2004/02/skos/core#prefLabel"
	SKOSAltLabel       = "http://www.w3.org/2004/02/skos/core#altLabel"
	SKOSHiddenLabel    = "http://www.w3.org/2004/02/skos/core#hiddenLabel"
	SKOSNotation       = "http://www.w3.org/2004/02/skos/core#notation"
)

// Alias declares two namespaces whose IRIs name the same things: IRI
// NS1+x is equivalent to NS2+x for every x.
type Alias struct{ NS1, NS2 string }

// DefaultAliases are the namespace variants met in real EUCAIM and
// HealthDCAT-AP records (DESIGN.md §1).
func DefaultAliases() []Alias {
	return []Alias{
		{"http://healthdataportal.eu/ns/health#", "https://w3id.org/healthdcat-ap#"},
		{"https://hyperontology.eucaim.cancerimage.eu/#", "https://cancerimage.eu/ontology/EUCAIM#"},
	}
}

// Options configure Build. The zero value uses DefaultAliases.
type Options struct {
	// Aliases are the namespace aliases; nil means DefaultAliases, an empty
	// non-nil slice means none.
	Aliases []Alias
}

// rel indexes the stored relations, each exactly as in the data (the
// evaluator's fast path must agree with a plain path evaluation).
type rel uint8

const (
	relSubClass rel = iota
	relSubProperty
	relBroader
	relNarrower
	numRels
)

var relIRIs = [numRels]string{RDFSSubClassOf, RDFSSubPropertyOf, SKOSBroader, SKOSNarrower}

// adjacency is a compact graph over node ids: the targets of node i are
// to[off[i]:off[i+1]].
type adjacency struct {
	off []int32
	to  []int32
}

func (a *adjacency) next(i int32) []int32 {
	if int(i)+1 >= len(a.off) {
		return nil
	}
	return a.to[a.off[i]:a.off[i+1]]
}

func buildAdjacency(n int, edges [][2]int32) adjacency {
	off := make([]int32, n+1)
	for _, e := range edges {
		off[e[0]+1]++
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	to := make([]int32, len(edges))
	pos := slices.Clone(off[:n])
	for _, e := range edges {
		to[pos[e[0]]] = e[1]
		pos[e[0]]++
	}
	for i := range n { // sorted targets: deterministic walks
		slices.Sort(to[off[i]:off[i+1]])
	}
	return adjacency{off: off, to: to}
}

// Ontology is an immutable snapshot of the vocabularies of some graphs. It
// is safe for concurrent use.
type Ontology struct {
	graphs []graph.Term
	terms  []graph.Term // by id, sorted by graph.Compare: id order is term order
	ids    map[graph.Term]int32
	// fwd[r] goes from subject to object of r (child → parent for
	// subClassOf and broader); bwd[r] the other way.
	fwd, bwd [numRels]adjacency
	// up and down are the semantic hierarchy of classes and concepts:
	// subClassOf ∪ broader ∪ narrower⁻¹ (up: towards the more general).
	up, down adjacency
	// propUp and propDown are the subPropertyOf hierarchy.
	propUp, propDown adjacency
	// equiv[i] is the id of i's equivalence class representative; members
	// lists the ids of each class with more than one member.
	equiv   []int32
	members map[int32][]int32
	aliases []Alias
	labels  labelIndex
	// domain and rng are the declared domains and ranges of properties;
	// typing lists the properties that have one (for RDFS).
	domain, rng map[int32][]graph.Term
	typing      []graph.Term
	// memo holds the closures computed so far (closureKey → *closureSet);
	// memoBytes counts their size, to bound the memo.
	memo      sync.Map
	memoBytes atomic.Int64
}

// Graphs returns the graphs the snapshot was built from.
func (o *Ontology) Graphs() []graph.Term { return slices.Clone(o.graphs) }

// Len returns the number of distinct terms the snapshot knows.
func (o *Ontology) Len() int { return len(o.terms) }

// builder accumulates the quads read by Build.
type builder struct {
	ids    map[graph.Term]int32
	terms  []graph.Term
	edges  [numRels][][2]int32
	same   [][2]int32
	labels []rawLabel
	domain [][2]int32
	rng    [][2]int32
}

type rawLabel struct {
	id   int32
	kind LabelKind
	lit  graph.Term
}

func (b *builder) id(t graph.Term) int32 {
	if i, ok := b.ids[t]; ok {
		return i
	}
	i := int32(len(b.terms))
	b.ids[t] = i
	b.terms = append(b.terms, t)
	return i
}

// Build reads the vocabularies in graphs from r and computes a snapshot.
// A graph that does not exist contributes nothing.
func Build(ctx context.Context, r graph.Reader, graphs []graph.Term) (*Ontology, error) {
	return BuildWith(ctx, r, graphs, Options{})
}

// BuildWith is Build with options.
func BuildWith(ctx context.Context, r graph.Reader, graphs []graph.Term, opts Options) (*Ontology, error) {
	aliases := opts.Aliases
	if aliases == nil {
		aliases = DefaultAliases()
	}
	b := &builder{ids: map[graph.Term]int32{}}
	type reader struct {
		pred string
		fn   func(q graph.Quad)
	}
	// Hierarchy edges keep literal objects, as a plain path evaluation
	// reaches them; equivalences and domains ignore them.
	edge := func(dst *[][2]int32) func(q graph.Quad) {
		return func(q graph.Quad) { *dst = append(*dst, [2]int32{b.id(q.S), b.id(q.O)}) }
	}
	pair := func(dst *[][2]int32) func(q graph.Quad) {
		return func(q graph.Quad) {
			if q.O.IsLiteral() {
				return
			}
			*dst = append(*dst, [2]int32{b.id(q.S), b.id(q.O)})
		}
	}
	label := func(kind LabelKind) func(q graph.Quad) {
		return func(q graph.Quad) {
			if q.O.IsLiteral() {
				b.labels = append(b.labels, rawLabel{id: b.id(q.S), kind: kind, lit: q.O})
			}
		}
	}
	readers := []reader{
		{RDFSSubClassOf, edge(&b.edges[relSubClass])},
		{RDFSSubPropertyOf, edge(&b.edges[relSubProperty])},
		{SKOSBroader, edge(&b.edges[relBroader])},
		{SKOSNarrower, edge(&b.edges[relNarrower])},
		{OWLEquivalentClass, pair(&b.same)},
		{OWLEquivalentProp, pair(&b.same)},
		{OWLSameAs, pair(&b.same)},
		{SKOSExactMatch, pair(&b.same)},
		{RDFSDomain, pair(&b.domain)},
		{RDFSRange, pair(&b.rng)},
		{SKOSPrefLabel, label(PrefLabel)},
		{SKOSAltLabel, label(AltLabel)},
		{SKOSHiddenLabel, label(HiddenLabel)},
		{RDFSLabel, label(Label)},
		{SKOSNotation, label(Notation)},
	}
	for _, g := range graphs {
		for _, rd := range readers {
			for q, err := range r.Quads(ctx, graph.Pattern{P: graph.IRI(rd.pred), G: g}) {
				if err != nil {
					return nil, fmt.Errorf("build ontology: read %s in %s: %w", rd.pred, g, err)
				}
				rd.fn(q)
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("build ontology: %w", err)
		}
	}
	return b.finish(graphs, aliases), nil
}

// finish renumbers terms in term order and builds the indexes.
func (b *builder) finish(graphs []graph.Term, aliases []Alias) *Ontology {
	// Alias twins: every IRI in an aliased namespace gets its twin, so
	// lookups by either spelling find the concept.
	n0 := len(b.terms)
	for i := range n0 {
		t := b.terms[i]
		if twin, ok := aliasTwin(t, aliases); ok {
			b.same = append(b.same, [2]int32{int32(i), b.id(twin)})
		}
	}
	n := len(b.terms)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int { return graph.Compare(b.terms[x], b.terms[y]) })
	remap := make([]int32, n)
	o := &Ontology{
		graphs:  slices.Clone(graphs),
		terms:   make([]graph.Term, n),
		ids:     make(map[graph.Term]int32, n),
		aliases: slices.Clone(aliases),
		members: map[int32][]int32{},
	}
	for newID, old := range order {
		remap[old] = int32(newID)
		o.terms[newID] = b.terms[old]
		o.ids[b.terms[old]] = int32(newID)
	}
	re := func(es [][2]int32) (fwd, bwd [][2]int32) {
		fwd = make([][2]int32, len(es))
		bwd = make([][2]int32, len(es))
		for i, e := range es {
			x, y := remap[e[0]], remap[e[1]]
			fwd[i], bwd[i] = [2]int32{x, y}, [2]int32{y, x}
		}
		return fwd, bwd
	}
	var up, down [][2]int32
	for r := range numRels {
		f, bw := re(b.edges[r])
		o.fwd[r], o.bwd[r] = buildAdjacency(n, f), buildAdjacency(n, bw)
		switch rel(r) {
		case relSubClass, relBroader:
			up, down = append(up, f...), append(down, bw...)
		case relNarrower:
			up, down = append(up, bw...), append(down, f...)
		case relSubProperty:
			o.propUp, o.propDown = buildAdjacency(n, f), buildAdjacency(n, bw)
		}
	}
	o.up, o.down = buildAdjacency(n, up), buildAdjacency(n, down)

	// Equivalence classes by union-find.
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range b.same {
		x, y := find(remap[e[0]]), find(remap[e[1]])
		if x != y {
			if x > y {
				x, y = y, x
			}
			parent[y] = x
		}
	}
	o.equiv = make([]int32, n)
	for i := range n {
		o.equiv[i] = find(int32(i))
		if o.equiv[i] != int32(i) {
			root := o.equiv[i]
			if len(o.members[root]) == 0 {
				o.members[root] = []int32{root}
			}
			o.members[root] = append(o.members[root], int32(i))
		}
	}
	domain, rng := map[int32][]int32{}, map[int32][]int32{}
	for _, e := range b.domain {
		p := remap[e[0]]
		domain[p] = append(domain[p], remap[e[1]])
	}
	for _, e := range b.rng {
		p := remap[e[0]]
		rng[p] = append(rng[p], remap[e[1]])
	}
	o.indexSchema(domain, rng)
	o.labels = buildLabels(b.labels, remap)
	return o
}

// aliasTwin returns t spelt in the other namespace of the alias it falls
// under.
func aliasTwin(t graph.Term, aliases []Alias) (graph.Term, bool) {
	if !t.IsIRI() {
		return graph.Term{}, false
	}
	v := t.Value()
	for _, a := range aliases {
		switch {
		case len(v) > len(a.NS1) && v[:len(a.NS1)] == a.NS1:
			return graph.IRI(a.NS2 + v[len(a.NS1):]), true
		case len(v) > len(a.NS2) && v[:len(a.NS2)] == a.NS2:
			return graph.IRI(a.NS1 + v[len(a.NS2):]), true
		}
	}
	return graph.Term{}, false
}

// lookup finds the id of t, trying its alias twin for a term the
// vocabularies never mention.
func (o *Ontology) lookup(t graph.Term) (int32, bool) {
	if i, ok := o.ids[t]; ok {
		return i, true
	}
	if twin, ok := aliasTwin(t, o.aliases); ok {
		i, ok := o.ids[twin]
		return i, ok
	}
	return 0, false
}

// bitset is a set of node ids.
type bitset []uint64

func (s bitset) has(i int32) bool { return s[i>>6]&(1<<(uint(i)&63)) != 0 }
func (s bitset) add(i int32)      { s[i>>6] |= 1 << (uint(i) & 63) }

// setTerms returns the members in id order, which is term order.
func (o *Ontology) setTerms(s bitset) []graph.Term {
	n := 0
	for _, word := range s {
		n += bitsCount(word)
	}
	out := make([]graph.Term, 0, n)
	for w, word := range s {
		for word != 0 {
			bit := bitsTrailing(word)
			out = append(out, o.terms[w*64+bit])
			word &= word - 1
		}
	}
	return out
}

// walk marks in seen every node reachable from the starts along adj (and,
// when equivalents, through equivalence classes), the starts included.
func (o *Ontology) walk(adj *adjacency, starts []int32, equivalents bool) bitset {
	seen := make(bitset, (len(o.terms)+63)/64)
	stack := make([]int32, 0, 64)
	push := func(i int32) {
		if !seen.has(i) {
			seen.add(i)
			stack = append(stack, i)
		}
	}
	for _, s := range starts {
		push(s)
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if equivalents {
			for _, m := range o.members[o.equiv[i]] {
				push(m)
			}
		}
		for _, j := range adj.next(i) {
			push(j)
		}
	}
	return seen
}

// direction names an adjacency of the snapshot for the closure memo.
type direction uint8

const (
	dirDown direction = iota
	dirUp
	dirPropDown
	dirPropUp
	dirFwd  // + rel: the stored relation, forwards
	dirBwd  = dirFwd + direction(numRels)
	numDirs = dirBwd + direction(numRels)
)

func (o *Ontology) adj(d direction) *adjacency {
	switch {
	case d == dirDown:
		return &o.down
	case d == dirUp:
		return &o.up
	case d == dirPropDown:
		return &o.propDown
	case d == dirPropUp:
		return &o.propUp
	case d < dirBwd:
		return &o.fwd[d-dirFwd]
	default:
		return &o.bwd[d-dirBwd]
	}
}

// closureKey identifies one memoised closure: the nodes reachable from id
// along direction, with or without equivalences; strict closures (for
// Reachable) start from id's neighbours, so id is in them only through
// a cycle.
type closureKey struct {
	id          int32
	dir         direction
	equivalents bool
	strict      bool
}

// closureSet is a computed closure: its members' ids (for IsA, by binary
// search) and terms, both in term order (for the list answers, shared
// read-only: the slice's capacity is clipped, so a caller's append
// copies). No bitset is kept: it would cost a bit per term of the
// snapshot for every closure, however small.
type closureSet struct {
	ids   []int32
	terms []graph.Term
}

func (c *closureSet) has(id int32) bool {
	_, ok := slices.BinarySearch(c.ids, id)
	return ok
}

// maxMemoBytes bounds what the closure memo holds per snapshot; past it
// closures are computed per call.
const maxMemoBytes = 64 << 20

// closureBytes estimates what memoising c costs.
func closureBytes(c *closureSet) int64 {
	return int64(len(c.terms))*int64(unsafe.Sizeof(graph.Term{})+4) + 128
}

// closureOf returns the closure for k, computing it once per snapshot: a
// hierarchy lookup then costs a map read, not a graph walk nor a copy
// (copying 1,500 terms costs more than the 100 µs a lookup may take, as
// terms hold pointers the garbage collector must see).
func (o *Ontology) closureOf(k closureKey) *closureSet {
	if v, ok := o.memo.Load(k); ok {
		return v.(*closureSet)
	}
	adj := o.adj(k.dir)
	starts := []int32{k.id}
	if k.strict {
		starts = adj.next(k.id)
	}
	set := o.walk(adj, starts, k.equivalents)
	c := &closureSet{terms: slices.Clip(o.setTerms(set))}
	c.ids = make([]int32, 0, len(c.terms))
	for w, word := range set {
		for word != 0 {
			c.ids = append(c.ids, int32(w*64+bitsTrailing(word)))
			word &= word - 1
		}
	}
	if o.memoBytes.Add(closureBytes(c)) > maxMemoBytes {
		return c
	}
	v, _ := o.memo.LoadOrStore(k, c)
	return v.(*closureSet)
}

func (o *Ontology) closure(d direction, t graph.Term, equivalents bool) []graph.Term {
	i, ok := o.lookup(t)
	if !ok {
		return []graph.Term{t}
	}
	if t != o.terms[i] && !equivalents { // found by its alias twin only
		return []graph.Term{t}
	}
	return o.closureOf(closureKey{id: i, dir: d, equivalents: equivalents}).terms
}

// Descendants returns t and every class or concept below it — by
// rdfs:subClassOf, skos:broader or skos:narrower, transitively — sorted by
// graph.Compare. With includeEquivalents, equivalent terms (owl:sameAs,
// owl:equivalentClass, skos:exactMatch, namespace aliases) of t and of
// every descendant are included, and their descendants too. A term the
// vocabularies do not know is its own only descendant.
//
// The closure is computed once per snapshot and the slice returned is
// shared by every caller: it must not be modified.
func (o *Ontology) Descendants(t graph.Term, includeEquivalents bool) []graph.Term {
	return o.closure(dirDown, t, includeEquivalents)
}

// Ancestors is Descendants upwards: t and every broader class or concept.
// The slice is shared: it must not be modified.
func (o *Ontology) Ancestors(t graph.Term, includeEquivalents bool) []graph.Term {
	return o.closure(dirUp, t, includeEquivalents)
}

// SubProperties returns p and its sub-properties by rdfs:subPropertyOf,
// transitively, sorted. The slice is shared: it must not be modified.
func (o *Ontology) SubProperties(p graph.Term, includeEquivalents bool) []graph.Term {
	return o.closure(dirPropDown, p, includeEquivalents)
}

// SuperProperties returns p and its super-properties, sorted. The slice is
// shared: it must not be modified.
func (o *Ontology) SuperProperties(p graph.Term, includeEquivalents bool) []graph.Term {
	return o.closure(dirPropUp, p, includeEquivalents)
}

// Equivalents returns the terms equivalent to t, t included, sorted.
func (o *Ontology) Equivalents(t graph.Term) []graph.Term {
	i, ok := o.lookup(t)
	if !ok {
		return []graph.Term{t}
	}
	ms := o.members[o.equiv[i]]
	if len(ms) == 0 {
		return []graph.Term{o.terms[i]}
	}
	out := make([]graph.Term, len(ms))
	for k, m := range ms {
		out[k] = o.terms[m]
	}
	slices.SortFunc(out, graph.Compare)
	return out
}

// IsA reports whether sub is t or one of its descendants, equivalents
// included.
func (o *Ontology) IsA(sub, t graph.Term) bool {
	i, ok := o.lookup(t)
	if !ok {
		return sub == t
	}
	j, ok := o.lookup(sub)
	if !ok {
		return false
	}
	return o.closureOf(closureKey{id: i, dir: dirDown, equivalents: true}).has(j)
}

// Reachable returns the nodes reachable from node by one or more steps of
// pred — rdfs:subClassOf, rdfs:subPropertyOf, skos:broader or
// skos:narrower, exactly as stored in the snapshot's graphs (no
// equivalences, no aliases) — or, when inverse, against the direction of
// pred. Each node appears once; node itself only when a cycle leads back
// to it. ok is false for any other predicate. It is the evaluator's fast
// path for pred+ and pred* (sparql/eval.Hierarchy). The slice is computed
// once per snapshot and shared: it must not be modified.
func (o *Ontology) Reachable(pred, node graph.Term, inverse bool) ([]graph.Term, bool) {
	r := rel(0)
	for ; r < numRels; r++ {
		if pred.IsIRI() && pred.Value() == relIRIs[r] {
			break
		}
	}
	if r == numRels {
		return nil, false
	}
	i, ok := o.ids[node]
	if !ok {
		return nil, true
	}
	d := dirFwd + direction(r)
	if inverse {
		d = dirBwd + direction(r)
	}
	return o.closureOf(closureKey{id: i, dir: d, strict: true}).terms, true
}
