package model

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/ontology"
)

// Vocabulary IRIs Derive reads.
const (
	sh       = "http://www.w3.org/ns/shacl#"
	rdfNS    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rdfsNS   = "http://www.w3.org/2000/01/rdf-schema#"
	owlNS    = "http://www.w3.org/2002/07/owl#"
	xsd      = "http://www.w3.org/2001/XMLSchema#"
	rdfType  = rdfNS + "type"
	rdfFirst = rdfNS + "first"
	rdfRest  = rdfNS + "rest"
	rdfNil   = rdfNS + "nil"
)

var (
	pType        = graph.IRI(rdfType)
	pComment     = graph.IRI(rdfsNS + "comment")
	pRange       = graph.IRI(rdfsNS + "range")
	pTargetClass = graph.IRI(sh + "targetClass")
	pTargetObj   = graph.IRI(sh + "targetObjectsOf")
	pTargetSubj  = graph.IRI(sh + "targetSubjectsOf")
	pProperty    = graph.IRI(sh + "property")
	pPath        = graph.IRI(sh + "path")
	pNode        = graph.IRI(sh + "node")
	pClass       = graph.IRI(sh + "class")
	pDatatype    = graph.IRI(sh + "datatype")
	pNodeKind    = graph.IRI(sh + "nodeKind")
	pIn          = graph.IRI(sh + "in")
	pOr          = graph.IRI(sh + "or")
	pMinCount    = graph.IRI(sh + "minCount")
	pMaxCount    = graph.IRI(sh + "maxCount")
	pName        = graph.IRI(sh + "name")
	pDescription = graph.IRI(sh + "description")
	pSeverity    = graph.IRI(sh + "severity")
	pDeactivated = graph.IRI(sh + "deactivated")
	pQualified   = graph.IRI(sh + "qualifiedValueShape")
	pInversePath = graph.IRI(sh + "inversePath")
	pAltPath     = graph.IRI(sh + "alternativePath")
	pZeroOrMore  = graph.IRI(sh + "zeroOrMorePath")
	pOneOrMore   = graph.IRI(sh + "oneOrMorePath")
	pZeroOrOne   = graph.IRI(sh + "zeroOrOnePath")
	nodeShape    = graph.IRI(sh + "NodeShape")
	violation    = graph.IRI(sh + "Violation")
)

// maxPathDepth bounds the nesting of a property path, so a cyclic or
// hostile shapes graph cannot make Derive recurse without end.
const maxPathDepth = 32

// Derive builds the Model of the GraphQL API from the SHACL shapes in the
// named graphs shapes of r, with the ontology ont giving labels,
// equivalences and subclass links (nil: none).
//
// Types: every node shape with sh:targetClass C, or that is itself a class
// (rdf:type rdfs:Class or owl:Class in the shapes graphs), contributes to
// the type of C; classes equivalent in ont (owl:equivalentClass, namespace
// aliases) share one type, and all shapes of a class merge into it. A node
// shape without a class target but with sh:targetObjectsOf P (or
// sh:targetSubjectsOf P) joins the type of the sh:class that the property
// shapes with path P (^P) name, when they name exactly one typed class: so
// the EUCAIM distribution shape completes dcat:Distribution. Property shapes
// of node shapes reached by sh:node from a type's shapes count as its own.
// Deactivated shapes are skipped.
//
// Fields: one per distinct path (after expanding every predicate with its
// equivalents in ont) and sh:qualifiedValueShape class (Field.Filter);
// several property shapes with that path merge, the most specific kind
// winning (Object over a datatype over sh:nodeKind sh:Literal over
// Reference), sh:maxCount 1 / sh:minCount ≥ 1 of any sh:Violation shape
// making the field Single / Required, and an explicit sh:name winning over
// a derived name. Paths may be predicates, sh:inversePath, sequences and
// sh:alternativePath of predicates; other paths (sh:zeroOrMorePath, ...)
// are skipped with a warning in Model.Warnings. The kind of a field:
//   - sh:node S → Object of S's type; sh:class C → Object of C's type, or
//     Reference when C has no type (sh:qualifiedValueShape [ sh:class C ]
//     likewise, and it sets Filter);
//   - sh:datatype: xsd integer types → Int; xsd:decimal, xsd:double,
//     xsd:float → Float; xsd:boolean → Boolean; xsd:date → Date;
//     xsd:dateTime and xsd:dateTimeStamp → DateTime; rdf:langString →
//     LangString; xsd:string, xsd:anyURI and any other datatype → String;
//   - sh:in of IRIs → Reference (a code list); of literals → their datatype;
//   - sh:or whose members all give a sh:datatype → the scalar holding
//     them all (xsd:string or xsd:anyURI → String; Int or Float → Float;
//     else String);
//   - sh:nodeKind sh:Literal with no datatype → LangString (such literals
//     are text, usually language-tagged, and a LangString field returns
//     untagged values too); sh:IRI, sh:BlankNode, sh:BlankNodeOrIRI →
//     Reference; the other node kinds → String;
//   - nothing said: the last predicate's rdfs:range in ont's graphs (an XSD
//     datatype as above, rdfs:Literal → LangString, a typed class → Object,
//     another class → Reference), else owl:DatatypeProperty → LangString,
//     owl:ObjectProperty → Reference, else String; an inverse last step →
//     Reference.
//
// Names: a node shape's sh:name names its type (a Tessera convention: SHACL
// defines sh:name for property shapes only), else the PascalCase local name
// of the class. A field is named by its sh:name, else by the English
// rdfs:label of each step's predicate in camelCase ("has image modality" →
// hasImageModality; an inverse step adds "Of", a sequence joins its steps),
// else by the local name. On a collision the best-ranked claimant (an
// explicit name, then the shorter path, then the path's IRIs) keeps the
// name and the others take their namespace prefix as a suffix (titleDct;
// FoafOrganization for types), then a number; "id" and "types" are every
// type's own fields, and ReservedTypeNames are never type names. Names are
// GraphQL-valid and depend only on the shapes and ontology, not on load
// order or blank-node labels.
//
// Interfaces: when the classes of two types are linked by rdfs:subClassOf
// in ont (transitively), the subtype lists the supertype's name in
// Interfaces and inherits the supertype's fields it lacks; a field of the
// subtype whose name clashes with an inherited field of another kind,
// scalar, target or cardinality is renamed, and a Required interface field
// makes the subtype's field Required. Descriptions come from sh:description, then rdfs:comment, of the
// property shape (node shape), then rdfs:comment of the predicate (class)
// in ont's graphs; English preferred.
func Derive(ctx context.Context, r graph.Reader, shapes []graph.Term, ont *ontology.Ontology) (*Model, error) {
	return DeriveWith(ctx, r, shapes, ont, Options{})
}

// Options limit Derive. The zero value uses the defaults.
type Options struct {
	// MaxQuads caps the quads read from the shapes graphs (an operator
	// could load anything there); 0 means DefaultMaxQuads.
	MaxQuads int
}

// DefaultMaxQuads is the default Options.MaxQuads: the bundled API shapes
// are about 1,000 quads.
const DefaultMaxQuads = 200_000

// ErrTooLarge is returned (wrapped) when the shapes graphs hold more quads
// than Options.MaxQuads.
var ErrTooLarge = errors.New("model: shapes graphs too large")

// DeriveWith is Derive with options.
func DeriveWith(ctx context.Context, r graph.Reader, shapes []graph.Term, ont *ontology.Ontology, opts Options) (*Model, error) {
	limit := opts.MaxQuads
	if limit <= 0 {
		limit = DefaultMaxQuads
	}
	if ont == nil {
		var err error
		if ont, err = ontology.Build(ctx, r, nil); err != nil {
			return nil, fmt.Errorf("derive model: %w", err)
		}
	}
	sg := &shapesGraph{out: map[graph.Term]map[graph.Term][]graph.Term{}}
	n := 0
	for _, g := range shapes {
		for q, err := range r.Quads(ctx, graph.Pattern{G: g}) {
			if err != nil {
				return nil, fmt.Errorf("derive model: read shapes graph %s: %w", g, err)
			}
			if n++; n > limit {
				return nil, fmt.Errorf("derive model: %w (more than %d quads)", ErrTooLarge, limit)
			}
			sg.add(q)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("derive model: %w", err)
	}
	d := &deriver{ctx: ctx, r: r, sg: sg, ont: ont, byClass: map[graph.Term]*typ{}, ranges: map[graph.Term]rangeInfo{}}
	d.collectTypes()
	d.nameTypes()
	if err := d.buildFields(); err != nil {
		return nil, fmt.Errorf("derive model: %w", err)
	}
	d.inherit()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("derive model: %w", err)
	}
	return d.model(), nil
}

// shapesGraph indexes the shapes graphs' triples by subject and predicate.
type shapesGraph struct {
	out map[graph.Term]map[graph.Term][]graph.Term
}

func (g *shapesGraph) add(q graph.Quad) {
	m := g.out[q.S]
	if m == nil {
		m = map[graph.Term][]graph.Term{}
		g.out[q.S] = m
	}
	os := m[q.P]
	if i, found := slices.BinarySearchFunc(os, q.O, graph.Compare); !found {
		m[q.P] = slices.Insert(os, i, q.O)
	}
}

// objs returns the objects of s p, sorted. The slice is the index's own:
// callers must not modify or append to it.
func (g *shapesGraph) objs(s, p graph.Term) []graph.Term { return g.out[s][p] }

// one returns the least object of s p.
func (g *shapesGraph) one(s, p graph.Term) (graph.Term, bool) {
	os := g.out[s][p]
	if len(os) == 0 {
		return graph.Term{}, false
	}
	return os[0], true
}

func (g *shapesGraph) has(s, p, o graph.Term) bool {
	_, found := slices.BinarySearchFunc(g.out[s][p], o, graph.Compare)
	return found
}

// list reads the RDF list at head; ok is false for a malformed or cyclic
// list.
func (g *shapesGraph) list(head graph.Term) ([]graph.Term, bool) {
	var out []graph.Term
	seen := map[graph.Term]bool{}
	for head.Value() != rdfNil || !head.IsIRI() {
		if seen[head] {
			return nil, false
		}
		seen[head] = true
		first, ok1 := g.one(head, graph.IRI(rdfFirst))
		rest, ok2 := g.one(head, graph.IRI(rdfRest))
		if !ok1 || !ok2 {
			return nil, false
		}
		out = append(out, first)
		head = rest
	}
	return out, true
}

func (g *shapesGraph) deactivated(s graph.Term) bool {
	v, ok := g.one(s, pDeactivated)
	return ok && v.Value() == "true"
}

// text picks one string among literals: English first, then untagged,
// then the least language tag; the least lexical form among equals.
func text(ts []graph.Term) string {
	best, rank := "", 4
	for _, t := range ts {
		if !t.IsLiteral() {
			continue
		}
		r := 2
		switch lang := t.Lang(); {
		case lang == "en" || strings.HasPrefix(lang, "en-"):
			r = 0
		case lang == "":
			r = 1
		}
		if r < rank || r == rank && t.Value() < best {
			best, rank = t.Value(), r
		}
	}
	return strings.TrimSpace(best)
}

// typ is a type under construction.
type typ struct {
	class   graph.Term   // least targeted class
	classes []graph.Term // targeted classes and their equivalents
	shapes  []graph.Term // node shapes, sorted
	name    string
	prefix  string
	desc    string
	fields  []*Field
	ifaces  []string
	depth   int // number of typed superclasses
	supers  []*typ
	owned   map[string]bool // names of fields from the type's own shapes
}

type deriver struct {
	ctx      context.Context
	r        graph.Reader
	sg       *shapesGraph
	ont      *ontology.Ontology
	types    []*typ
	byClass  map[graph.Term]*typ
	ranges   map[graph.Term]rangeInfo
	warnings []string
}

func (d *deriver) warn(format string, args ...any) {
	d.warnings = append(d.warnings, fmt.Sprintf(format, args...))
}

// isNodeShape reports whether s is a node shape: typed sh:NodeShape, or a
// shape with targets or property shapes and no sh:path.
func (d *deriver) isNodeShape(s graph.Term) bool {
	if len(d.sg.objs(s, pPath)) > 0 {
		return false
	}
	if d.sg.has(s, pType, nodeShape) {
		return true
	}
	for _, p := range []graph.Term{pTargetClass, pTargetObj, pTargetSubj, pProperty} {
		if len(d.sg.objs(s, p)) > 0 {
			return true
		}
	}
	return false
}

func (d *deriver) isClass(s graph.Term) bool {
	return d.sg.has(s, pType, graph.IRI(rdfsNS+"Class")) || d.sg.has(s, pType, graph.IRI(owlNS+"Class"))
}

// shapeOrder sorts shapes: IRIs by value first, then blank nodes by the
// content that names them stably.
func shapeOrder(a, b graph.Term) int {
	if a.IsBlank() != b.IsBlank() {
		if a.IsBlank() {
			return 1
		}
		return -1
	}
	return graph.Compare(a, b)
}

// collectTypes groups the node shapes into types by class.
func (d *deriver) collectTypes() {
	var nodeShapes []graph.Term
	for s := range d.sg.out {
		if d.isNodeShape(s) && !d.sg.deactivated(s) {
			nodeShapes = append(nodeShapes, s)
		}
	}
	slices.SortFunc(nodeShapes, shapeOrder)
	// Classes of each shape, and equivalence groups of classes.
	groups := map[graph.Term]*typ{} // canonical class → type
	var classless []graph.Term
	for _, s := range nodeShapes {
		var classes []graph.Term
		for _, c := range d.sg.objs(s, pTargetClass) {
			if c.IsIRI() {
				classes = append(classes, c)
			}
		}
		if s.IsIRI() && d.isClass(s) && (d.sg.has(s, pType, nodeShape) || len(d.sg.objs(s, pProperty)) > 0) {
			classes = append(classes, s)
		}
		if len(classes) == 0 {
			classless = append(classless, s)
			continue
		}
		for _, c := range classes {
			eq := d.ont.Equivalents(c)
			key := eq[0]
			t := groups[key]
			if t == nil {
				t = &typ{class: c}
				groups[key] = t
				d.types = append(d.types, t)
			}
			if graph.Compare(c, t.class) < 0 {
				t.class = c
			}
			for _, e := range append(eq, c) {
				if !slices.Contains(t.classes, e) {
					t.classes = append(t.classes, e)
				}
				d.byClass[e] = t
			}
			if !slices.Contains(t.shapes, s) {
				t.shapes = append(t.shapes, s)
			}
		}
	}
	// Shapes that target the objects (subjects) of a predicate join the
	// type that property shapes with that path say the values have.
	for _, s := range classless {
		var found []*typ
		var via []string
		for _, pair := range []struct {
			pred    graph.Term
			inverse bool
		}{{pTargetObj, false}, {pTargetSubj, true}} {
			for _, p := range d.sg.objs(s, pair.pred) {
				via = append(via, compact(p))
				for _, t := range d.classOfValues(p, pair.inverse) {
					if !slices.Contains(found, t) {
						found = append(found, t)
					}
				}
			}
		}
		switch {
		case len(found) == 1:
			found[0].shapes = append(found[0].shapes, s)
		case len(via) > 0:
			d.warn("node shape %s targets values of %s whose class is not known from a property shape's sh:class (found %d typed classes); skipped", compact(s), strings.Join(via, ", "), len(found))
		}
	}
	for _, t := range d.types {
		slices.SortFunc(t.shapes, shapeOrder)
		slices.SortFunc(t.classes, graph.Compare)
	}
}

// classOfValues returns the types named by sh:class on property shapes
// whose path is the single predicate p (inverse: ^p).
func (d *deriver) classOfValues(p graph.Term, inverse bool) []*typ {
	var out []*typ
	for s, m := range d.sg.out {
		for _, path := range m[pPath] {
			steps, err := d.parsePath(path, 0)
			if err != nil || len(steps) != 1 || steps[0].inverse != inverse || !slices.Contains(steps[0].preds, p) {
				continue
			}
			for _, c := range d.sg.objs(s, pClass) {
				if t := d.byClass[c]; t != nil && !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// nameTypes gives every type its unique GraphQL name.
func (d *deriver) nameTypes() {
	type claim struct {
		t        *typ
		explicit bool
	}
	claims := map[string][]claim{}
	for _, t := range d.types {
		t.prefix = prefix(t.class)
		pfx, _ := pascal(t.prefix)
		name, explicit := "", false
		for _, s := range t.shapes {
			if n, ok := pascal(text(d.sg.objs(s, pName))); ok {
				name, explicit = n, true
				break
			}
		}
		if name == "" {
			n, ok := pascal(localName(t.class))
			if !ok {
				n = "Type"
			}
			name = n
		}
		if isReservedType(name) {
			name = pfx + name
		}
		claims[name] = append(claims[name], claim{t, explicit})
	}
	taken := map[string]bool{}
	for _, r := range ReservedTypeNames {
		taken[r] = true
	}
	names := make([]string, 0, len(claims))
	for n := range claims {
		names = append(names, n)
	}
	slices.Sort(names)
	var losers []claim
	for _, n := range names {
		cs := claims[n]
		slices.SortFunc(cs, func(a, b claim) int {
			if a.explicit != b.explicit {
				if a.explicit {
					return -1
				}
				return 1
			}
			return graph.Compare(a.t.class, b.t.class)
		})
		cs[0].t.name = n
		taken[n] = true
		for _, c := range cs[1:] {
			c.t.name = n
			losers = append(losers, c)
		}
	}
	for _, c := range losers {
		pfx, _ := pascal(c.t.prefix)
		c.t.name = unique(pfx+c.t.name, taken)
	}
}

// unique returns name, or name followed by the least number ≥ 2 that is
// not taken, and marks it taken.
func unique(name string, taken map[string]bool) string {
	out := name
	for i := 2; taken[out]; i++ {
		out = fmt.Sprintf("%s%d", name, i)
	}
	taken[out] = true
	return out
}

// rawStep is one step of a path as the shape writes it: predicates in the
// shape's order.
type rawStep struct {
	preds   []graph.Term
	inverse bool
}

// errPath says why a path has no GraphQL form.
type errPath string

func (e errPath) Error() string { return string(e) }

// parsePath reads a SHACL path (SHACL §2.3.1) into steps.
func (d *deriver) parsePath(n graph.Term, depth int) ([]rawStep, error) {
	if depth > maxPathDepth {
		return nil, errPath("path nested too deep")
	}
	if n.IsIRI() && n.Value() != rdfNil {
		return []rawStep{{preds: []graph.Term{n}}}, nil
	}
	if _, ok := d.sg.one(n, graph.IRI(rdfFirst)); ok {
		items, ok := d.sg.list(n)
		if !ok || len(items) == 0 {
			return nil, errPath("malformed sequence path")
		}
		var out []rawStep
		for _, it := range items {
			s, err := d.parsePath(it, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
		}
		return out, nil
	}
	if inv, ok := d.sg.one(n, pInversePath); ok {
		s, err := d.parsePath(inv, depth+1)
		if err != nil {
			return nil, err
		}
		out := make([]rawStep, len(s))
		for i, st := range s {
			out[len(s)-1-i] = rawStep{preds: st.preds, inverse: !st.inverse}
		}
		return out, nil
	}
	if alt, ok := d.sg.one(n, pAltPath); ok {
		items, ok := d.sg.list(alt)
		if !ok || len(items) == 0 {
			return nil, errPath("malformed alternative path")
		}
		var out rawStep
		for i, it := range items {
			s, err := d.parsePath(it, depth+1)
			if err != nil {
				return nil, err
			}
			if len(s) != 1 || (i > 0 && s[0].inverse != out.inverse) {
				return nil, errPath("alternative of paths that are not all single predicates in one direction")
			}
			out.inverse = s[0].inverse
			for _, p := range s[0].preds {
				if !slices.Contains(out.preds, p) {
					out.preds = append(out.preds, p)
				}
			}
		}
		return []rawStep{out}, nil
	}
	for _, p := range []graph.Term{pZeroOrMore, pOneOrMore, pZeroOrOne} {
		if _, ok := d.sg.one(n, p); ok {
			return nil, errPath(compact(p) + " has no GraphQL field form")
		}
	}
	return nil, errPath("not a SHACL path")
}

// kind ranks of what a property shape says about its values.
const (
	rankUnknown = iota
	rankReference
	rankLiteral  // sh:nodeKind sh:Literal
	rankDatatype // sh:datatype or sh:in of literals
	rankObject
	rankAnnotated // tessera:graphqlScalar: the API's own choice wins
)

// ScalarAnnotation is the predicate by which a property shape picks the
// GraphQL scalar of its field when the datatype's default does not fit:
// xsd:nonNegativeInteger maps to the 32-bit Int, so dcat:byteSize (often
// above 2^31) says tessera:graphqlScalar "Long". Values: the scalar names of
// Field.Scalar.
const ScalarAnnotation = "https://tessera.example/ns#graphqlScalar"

// annotatedScalars are the values ScalarAnnotation accepts.
var annotatedScalars = map[string]bool{"String": true, "Int": true, "Long": true, "Float": true, "Boolean": true, "Date": true, "DateTime": true, "ID": true}

// spec is one property shape, read.
type spec struct {
	steps    []rawStep
	expanded []Step
	key      string
	filter   graph.Term
	name     string
	explicit bool
	desc     string
	rank     int
	kind     Kind
	scalar   string
	target   *typ
	single   bool
	required bool
}

// buildFields reads the property shapes of every type into its fields.
func (d *deriver) buildFields() error {
	for _, t := range d.types {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		var props []graph.Term
		seen := map[graph.Term]bool{}
		var visit func(s graph.Term, depth int)
		visit = func(s graph.Term, depth int) {
			if seen[s] || depth > maxPathDepth {
				return
			}
			seen[s] = true
			for _, p := range d.sg.objs(s, pProperty) {
				if !d.sg.deactivated(p) && !slices.Contains(props, p) {
					props = append(props, p)
				}
			}
			for _, n := range d.sg.objs(s, pNode) {
				visit(n, depth+1)
			}
		}
		for _, s := range t.shapes {
			visit(s, 0)
		}
		var specs []*spec
		for _, p := range props {
			sp, err := d.readSpec(p)
			if err != nil {
				d.warn("type %s: property shape %s: %v; skipped", t.name, d.describeShape(p), err)
				continue
			}
			specs = append(specs, sp)
		}
		// Sort by key, then explicit names first, then name, then content,
		// so merging does not depend on blank-node labels or load order.
		slices.SortFunc(specs, func(a, b *spec) int {
			if c := strings.Compare(a.key, b.key); c != 0 {
				return c
			}
			if a.explicit != b.explicit {
				if a.explicit {
					return -1
				}
				return 1
			}
			return cmp.Or(strings.Compare(a.name, b.name), cmp.Compare(b.rank, a.rank), strings.Compare(a.desc, b.desc))
		})
		var merged []*spec
		for _, sp := range specs {
			if n := len(merged); n > 0 && merged[n-1].key == sp.key {
				merge(merged[n-1], sp)
				continue
			}
			merged = append(merged, sp)
		}
		for _, sp := range merged {
			if sp.rank == rankUnknown {
				d.resolveUnknown(sp)
			}
		}
		t.fields = d.nameFields(t, merged)
		t.owned = map[string]bool{}
		for _, f := range t.fields {
			t.owned[f.Name] = true
		}
		t.desc = d.typeDescription(t)
	}
	return nil
}

// describeShape names a property shape in a warning.
func (d *deriver) describeShape(p graph.Term) string {
	if p.IsIRI() {
		return compact(p)
	}
	if n := text(d.sg.objs(p, pName)); n != "" {
		return fmt.Sprintf("%q", n)
	}
	return "[]"
}

// readSpec reads one property shape.
func (d *deriver) readSpec(p graph.Term) (*spec, error) {
	path, ok := d.sg.one(p, pPath)
	if !ok {
		return nil, errPath("no sh:path")
	}
	steps, err := d.parsePath(path, 0)
	if err != nil {
		return nil, err
	}
	sp := &spec{steps: steps}
	var key strings.Builder
	for i, st := range steps {
		var preds []graph.Term
		for _, pr := range st.preds {
			for _, e := range d.ont.Equivalents(pr) {
				if e.IsIRI() && !slices.Contains(preds, e) {
					preds = append(preds, e)
				}
			}
		}
		slices.SortFunc(preds, graph.Compare)
		sp.expanded = append(sp.expanded, Step{Predicates: preds, Inverse: st.inverse})
		if i > 0 {
			key.WriteByte('/')
		}
		if st.inverse {
			key.WriteByte('^')
		}
		for j, pr := range preds {
			if j > 0 {
				key.WriteByte('|')
			}
			key.WriteString(pr.String())
		}
	}
	strict := true
	if sev, ok := d.sg.one(p, pSeverity); ok && sev != violation {
		strict = false
	}
	if strict {
		if v, ok := d.sg.one(p, pMaxCount); ok && v.IsLiteral() && (v.Value() == "1" || v.Value() == "0") {
			sp.single = true
		}
		if v, ok := d.sg.one(p, pMinCount); ok && v.IsLiteral() && v.Value() != "0" && !strings.HasPrefix(v.Value(), "-") {
			sp.required = true
		}
	}
	if n := text(d.sg.objs(p, pName)); n != "" {
		if c, ok := camel(n); ok {
			sp.name, sp.explicit = c, true
		}
	}
	if !sp.explicit {
		sp.name = d.derivedName(steps)
	}
	sp.desc = text(d.sg.objs(p, pDescription))
	if sp.desc == "" {
		sp.desc = text(d.sg.objs(p, pComment))
	}
	if sp.desc == "" && len(steps) == 1 && !steps[0].inverse {
		sp.desc = d.comment(steps[0].preds[0])
	}
	d.readKind(p, sp)
	if !sp.filter.IsZero() {
		key.WriteString(" filter " + sp.filter.String())
	}
	sp.key = key.String()
	return sp, nil
}

// readKind fills rank, kind, scalar, target and filter of sp from the
// constraints of property shape p.
func (d *deriver) readKind(p graph.Term, sp *spec) {
	set := func(rank int, k Kind, scalar string, target *typ) {
		if rank > sp.rank {
			sp.rank, sp.kind, sp.scalar, sp.target = rank, k, scalar, target
		}
	}
	for _, n := range d.sg.objs(p, pNode) {
		if t := d.typeOfShape(n); t != nil {
			set(rankObject, Object, "", t)
		}
	}
	classes := slices.Clone(d.sg.objs(p, pClass)) // appended to below: never alias the index
	for _, q := range d.sg.objs(p, pQualified) {
		for _, c := range d.sg.objs(q, pClass) {
			if sp.filter.IsZero() && c.IsIRI() {
				sp.filter = c
			}
			classes = append(classes, c)
		}
		for _, n := range d.sg.objs(q, pNode) {
			if t := d.typeOfShape(n); t != nil {
				set(rankObject, Object, "", t)
				if sp.filter.IsZero() {
					sp.filter = t.class
				}
			}
		}
	}
	for _, c := range classes {
		if t := d.byClass[c]; t != nil {
			set(rankObject, Object, "", t)
		} else {
			set(rankReference, Reference, "", nil)
		}
	}
	if dt, ok := d.sg.one(p, pDatatype); ok {
		k, s := datatypeKind(dt.Value())
		set(rankDatatype, k, s, nil)
	}
	if sc, ok := d.sg.one(p, graph.IRI(ScalarAnnotation)); ok && sc.IsLiteral() && annotatedScalars[sc.Value()] {
		set(rankAnnotated, Scalar, sc.Value(), nil)
	}
	// sh:or of datatypes (xsd:string or xsd:anyURI): the scalar that
	// holds every member's values.
	if or, ok := d.sg.one(p, pOr); ok {
		if items, ok := d.sg.list(or); ok && len(items) > 0 {
			k, s, all := Kind(0), "", true
			for _, it := range items {
				dt, ok := d.sg.one(it, pDatatype)
				if !ok {
					all = false
					break
				}
				k2, s2 := datatypeKind(dt.Value())
				switch {
				case k == 0:
					k, s = k2, s2
				case k2 != k || s2 != s:
					k, s = Scalar, widen(s, s2)
				}
			}
			if all {
				set(rankDatatype, k, s, nil)
			}
		}
	}
	if in, ok := d.sg.one(p, pIn); ok {
		if items, ok := d.sg.list(in); ok && len(items) > 0 {
			if items[0].IsLiteral() {
				k, s := datatypeKind(items[0].Datatype())
				for _, it := range items[1:] {
					if k2, s2 := datatypeKind(it.Datatype()); k2 != k || s2 != s {
						k, s = Scalar, "String"
					}
				}
				set(rankDatatype, k, s, nil)
			} else {
				set(rankReference, Reference, "", nil)
			}
		}
	}
	if nk, ok := d.sg.one(p, pNodeKind); ok {
		switch strings.TrimPrefix(nk.Value(), sh) {
		case "Literal":
			set(rankLiteral, LangString, "", nil)
		case "IRI", "BlankNode", "BlankNodeOrIRI":
			set(rankReference, Reference, "", nil)
		default:
			set(rankReference, Scalar, "String", nil)
		}
	}
}

// typeOfShape returns the type a node shape contributes to.
func (d *deriver) typeOfShape(s graph.Term) *typ {
	for _, t := range d.types {
		if slices.Contains(t.shapes, s) {
			return t
		}
	}
	return nil
}

// datatypeKind maps an XSD (or RDF) datatype to a field kind and scalar.
func datatypeKind(dt string) (Kind, string) {
	switch strings.TrimPrefix(dt, xsd) {
	case "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
		"nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte":
		if strings.HasPrefix(dt, xsd) {
			return Scalar, "Int"
		}
	case "decimal", "double", "float":
		if strings.HasPrefix(dt, xsd) {
			return Scalar, "Float"
		}
	case "boolean":
		if strings.HasPrefix(dt, xsd) {
			return Scalar, "Boolean"
		}
	case "date":
		if strings.HasPrefix(dt, xsd) {
			return Scalar, "Date"
		}
	case "dateTime", "dateTimeStamp":
		if strings.HasPrefix(dt, xsd) {
			return Scalar, "DateTime"
		}
	}
	if dt == rdfNS+"langString" {
		return LangString, ""
	}
	return Scalar, "String"
}

// merge folds b, a property shape with the same path and filter, into a.
func merge(a, b *spec) {
	a.single = a.single || b.single
	a.required = a.required || b.required
	if a.desc == "" {
		a.desc = b.desc
	}
	switch {
	case b.rank > a.rank:
		a.rank, a.kind, a.scalar, a.target = b.rank, b.kind, b.scalar, b.target
	case b.rank == a.rank && b.rank != rankUnknown:
		switch {
		case a.kind != b.kind:
			// a datatype rank holding LangString (rdf:langString) and a
			// scalar: the scalar is the more general reading.
			if a.kind == LangString {
				a.kind, a.scalar = b.kind, b.scalar
			}
		case a.kind == Scalar && a.scalar != b.scalar:
			a.scalar = widen(a.scalar, b.scalar)
		case a.kind == Object && a.target != b.target && b.target.name < a.target.name:
			a.target = b.target
		}
	}
}

// widen returns the scalar that holds the values of scalars a and b: Float
// for Int and Float, else String (a date is not a valid DateTime).
func widen(a, b string) string {
	switch {
	case a == b:
		return a
	case (a == "Int" || a == "Float") && (b == "Int" || b == "Float"):
		return "Float"
	}
	return "String"
}

// rangeInfo is what the ontology graphs say about a predicate's values.
type rangeInfo struct {
	ranges []graph.Term
	types  []graph.Term
}

func (d *deriver) predicateInfo(p graph.Term) rangeInfo {
	if ri, ok := d.ranges[p]; ok {
		return ri
	}
	var ri rangeInfo
	for _, g := range d.ont.Graphs() {
		for q, err := range d.r.Quads(d.ctx, graph.Pattern{S: p, G: g}) {
			if err != nil {
				break
			}
			switch q.P {
			case pRange:
				ri.ranges = append(ri.ranges, q.O)
			case pType:
				ri.types = append(ri.types, q.O)
			}
		}
	}
	slices.SortFunc(ri.ranges, graph.Compare)
	d.ranges[p] = ri
	return ri
}

// comment returns the rdfs:comment of t in the ontology graphs.
func (d *deriver) comment(t graph.Term) string {
	var cs []graph.Term
	for _, g := range d.ont.Graphs() {
		for q, err := range d.r.Quads(d.ctx, graph.Pattern{S: t, P: pComment, G: g}) {
			if err != nil {
				break
			}
			cs = append(cs, q.O)
		}
	}
	return text(cs)
}

// resolveUnknown gives a kind to a field whose shapes say nothing about its
// values, from the ontology.
func (d *deriver) resolveUnknown(sp *spec) {
	last := sp.steps[len(sp.steps)-1]
	if last.inverse {
		sp.kind = Reference
		return
	}
	for _, p := range last.preds {
		ri := d.predicateInfo(p)
		for _, r := range ri.ranges {
			switch {
			case strings.HasPrefix(r.Value(), xsd) || r.Value() == rdfNS+"langString":
				sp.kind, sp.scalar = datatypeKind(r.Value())
			case r.Value() == rdfsNS+"Literal":
				sp.kind = LangString
			case d.byClass[r] != nil:
				sp.kind, sp.target = Object, d.byClass[r]
			default:
				sp.kind = Reference
			}
			return
		}
		for _, t := range ri.types {
			switch t.Value() {
			case owlNS + "DatatypeProperty":
				sp.kind = LangString
				return
			case owlNS + "ObjectProperty":
				sp.kind = Reference
				return
			}
		}
	}
	sp.kind, sp.scalar = Scalar, "String"
}

// derivedName names a path from its predicates' labels or local names.
func (d *deriver) derivedName(steps []rawStep) string {
	var b strings.Builder
	for i, st := range steps {
		n := d.predicateName(st.preds[0])
		if st.inverse {
			n += "Of"
		}
		if i > 0 {
			n = strings.ToUpper(n[:1]) + n[1:]
		}
		b.WriteString(n)
	}
	return b.String()
}

// predicateName is the camelCase English label of p, else its local name.
func (d *deriver) predicateName(p graph.Term) string {
	if n, ok := camel(text(d.ont.Labels(p, ontology.Label))); ok {
		return n
	}
	if n, ok := camel(text(d.ont.Labels(p, ontology.PrefLabel))); ok {
		return n
	}
	if n, ok := camel(localName(p)); ok {
		return n
	}
	if n, ok := camel("p " + localName(p)); ok {
		return n
	}
	return "field"
}

// nameFields turns merged specs into fields with unique names, "id" and
// "types" first.
func (d *deriver) nameFields(t *typ, specs []*spec) []*Field {
	type claim struct {
		sp *spec
		f  *Field
	}
	claims := map[string][]claim{}
	for _, sp := range specs {
		f := &Field{
			Name:        sp.name,
			Description: sp.desc,
			Kind:        sp.kind,
			Scalar:      sp.scalar,
			Path:        sp.expanded,
			Single:      sp.single,
			Required:    sp.required,
			Filter:      sp.filter,
		}
		if sp.kind == Object {
			f.Target = sp.target.name
		}
		claims[sp.name] = append(claims[sp.name], claim{sp, f})
	}
	taken := map[string]bool{"id": true, "types": true}
	names := make([]string, 0, len(claims))
	for n := range claims {
		names = append(names, n)
	}
	slices.Sort(names)
	var losers []claim
	for _, n := range names {
		cs := claims[n]
		slices.SortFunc(cs, func(a, b claim) int {
			if a.sp.explicit != b.sp.explicit {
				if a.sp.explicit {
					return -1
				}
				return 1
			}
			return cmp.Or(cmp.Compare(len(a.sp.steps), len(b.sp.steps)), strings.Compare(a.sp.key, b.sp.key))
		})
		start := 0
		if !reservedFields[n] {
			taken[n] = true
			start = 1
		}
		losers = append(losers, cs[start:]...)
	}
	for _, c := range losers {
		sfx, _ := pascal(prefix(c.sp.steps[0].preds[0]))
		c.f.Name = unique(c.sp.name+sfx, taken)
	}
	out := make([]*Field, 0, len(specs)+2)
	for _, n := range names {
		for _, c := range claims[n] {
			out = append(out, c.f)
		}
	}
	return sortFields(out)
}

// sortFields puts id and types first (adding them), the rest by name.
func sortFields(fs []*Field) []*Field {
	fs = slices.DeleteFunc(fs, func(f *Field) bool { return f.Name == "id" || f.Name == "types" })
	slices.SortFunc(fs, func(a, b *Field) int { return strings.Compare(a.Name, b.Name) })
	return append([]*Field{
		{Name: "id", Description: "The resource's IRI.", Kind: Scalar, Scalar: "ID", Single: true, Required: true},
		{Name: "types", Description: "The resource's classes (rdf:type).", Kind: Reference, Path: []Step{{Predicates: []graph.Term{pType}}}},
	}, fs...)
}

// typeDescription describes a type from its shapes, else its class.
func (d *deriver) typeDescription(t *typ) string {
	for _, p := range []graph.Term{pDescription, pComment} {
		for _, s := range t.shapes {
			if x := text(d.sg.objs(s, p)); x != "" {
				return x
			}
		}
	}
	for _, c := range t.classes {
		if x := d.comment(c); x != "" {
			return x
		}
	}
	return ""
}

// inherit links subtypes to their typed superclasses and copies the
// supertypes' fields into them.
func (d *deriver) inherit() {
	for _, t := range d.types {
		anc := map[graph.Term]bool{}
		for _, c := range t.classes {
			for _, a := range d.ont.Ancestors(c, true) {
				anc[a] = true
			}
		}
		for _, u := range d.types {
			if u == t || !anc[u.class] {
				continue
			}
			// Mutual subclasses that are not equivalent are not a hierarchy.
			mutual := false
			for _, c := range u.classes {
				for _, a := range d.ont.Ancestors(c, true) {
					if a == t.class {
						mutual = true
					}
				}
			}
			if !mutual {
				t.supers = append(t.supers, u)
			}
		}
		t.depth = len(t.supers)
	}
	order := slices.Clone(d.types)
	slices.SortStableFunc(order, func(a, b *typ) int { return cmp.Compare(a.depth, b.depth) })
	for _, t := range order {
		if len(t.supers) == 0 {
			continue
		}
		slices.SortFunc(t.supers, func(a, b *typ) int { return cmp.Or(cmp.Compare(a.depth, b.depth), strings.Compare(a.name, b.name)) })
		taken := map[string]bool{}
		for _, f := range t.fields {
			taken[f.Name] = true
		}
		for _, u := range t.supers {
			t.ifaces = append(t.ifaces, u.name)
			for _, f := range u.fields {
				if f.Name == "id" || f.Name == "types" {
					continue
				}
				i := slices.IndexFunc(t.fields, func(g *Field) bool { return g.Name == f.Name })
				if i >= 0 && compatible(t.fields[i], f) {
					// An interface's non-null field stays non-null.
					t.fields[i].Required = t.fields[i].Required || f.Required
					continue
				}
				if i >= 0 {
					// The subtype's own field gives way to the interface's.
					g := t.fields[i]
					if len(g.Path) > 0 && len(g.Path[0].Predicates) > 0 {
						sfx, _ := pascal(prefix(g.Path[0].Predicates[0]))
						g.Name = unique(g.Name+sfx, taken)
					} else {
						g.Name = unique(g.Name, taken)
					}
				}
				c := *f
				t.fields = append(t.fields, &c)
				taken[c.Name] = true
			}
		}
		slices.Sort(t.ifaces)
		t.fields = sortFields(t.fields)
	}
}

// compatible reports whether a subtype's field g can stand for the
// interface field f: same kind, scalar, target and cardinality.
func compatible(g, f *Field) bool {
	return g.Kind == f.Kind && g.Scalar == f.Scalar && g.Target == f.Target && g.Single == f.Single
}

// model assembles the result, sorted.
func (d *deriver) model() *Model {
	m := &Model{}
	for _, t := range d.types {
		m.Types = append(m.Types, &Type{
			Name:        t.name,
			Class:       t.class,
			Classes:     t.classes,
			Shapes:      t.shapes,
			Description: t.desc,
			Interfaces:  t.ifaces,
			Fields:      t.fields,
		})
	}
	slices.SortFunc(m.Types, func(a, b *Type) int { return strings.Compare(a.Name, b.Name) })
	slices.Sort(d.warnings)
	m.Warnings = slices.Compact(d.warnings)
	return m
}

// Type returns the type named name, or nil.
func (m *Model) Type(name string) *Type {
	i, ok := slices.BinarySearchFunc(m.Types, name, func(t *Type, n string) int { return strings.Compare(t.Name, n) })
	if !ok {
		return nil
	}
	return m.Types[i]
}

// Field returns the field named name, or nil.
func (t *Type) Field(name string) *Field {
	for _, f := range t.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}
