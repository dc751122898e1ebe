package shacl

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// Shapes is a compiled shapes graph, ready to validate any number of data
// graphs. It is immutable and safe for concurrent use.
type Shapes struct {
	// all holds every shape in the order the shapes graph declares them.
	all []*shape
	// targeted are the active shapes with targets, validated at top level.
	targeted []*shape
	byNode   map[graph.Term]*shape
	warnings []*CompileError
	// parents names, for each blank-node shape, the shape that uses it
	// and how, so reports can name it stably.
	parents map[graph.Term]parentRef
}

// parentRef is the first use of a blank-node shape by another shape: the
// parameter (sh:property, sh:node, ...) and the user.
type parentRef struct{ parent, param graph.Term }

// Warnings lists what Compile accepted but a shapes author most likely
// did not mean: properties in the SHACL namespace that SHACL Core does not
// define on shapes (a typo such as sh:mincount, or sh:sparql, which this
// validator does not run). They never change validation.
func (s *Shapes) Warnings() []*CompileError { return s.warnings }

// Len returns the number of shapes compiled (node and property shapes,
// including those only referenced by other shapes).
func (s *Shapes) Len() int { return len(s.all) }

// shape is one node or property shape.
type shape struct {
	node        graph.Term
	path        *Path // nil for a node shape
	deactivated bool
	severity    graph.Term
	messages    []graph.Term
	targets     []target
	constraints []constraint
}

// target is one target declaration: kind is the target predicate (or
// rdfs:Class for an implicit class target) and value its object.
type target struct{ kind, value graph.Term }

// CompileError is a well-formedness error of a shapes graph (SHACL §2.1):
// the shape it concerns and what is wrong.
type CompileError struct {
	// Shape is the node of the ill-formed shape.
	Shape graph.Term
	// Where names the shape for people: its IRI, or for a blank-node
	// shape the shape that uses it and how ("<ex:S> property <ex:p>").
	Where string
	// Msg says what is wrong.
	Msg string
}

// Error formats the error as "shape <iri>: msg".
func (e *CompileError) Error() string {
	if e.Where != "" {
		return fmt.Sprintf("shape %s: %s", e.Where, e.Msg)
	}
	return fmt.Sprintf("shape %v: %s", e.Shape, e.Msg)
}

// CompileErrors is the list of every well-formedness error Compile found;
// it is itself an error, as go/scanner.ErrorList is.
type CompileErrors []*CompileError

// Error reports the first error and how many more there are.
func (l CompileErrors) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return "shacl: " + l[0].Error()
	}
	return fmt.Sprintf("shacl: %s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Unwrap returns the errors for errors.Is/As.
func (l CompileErrors) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// sgraph is the shapes graph held in memory: subject → (predicate, object)
// in document order, and object → subjects for the few reverse lookups.
type sgraph struct {
	out map[graph.Term][]po
	in  map[graph.Term][]po
	// subjects in first-seen order, for a deterministic shape order.
	order []graph.Term
}

func newSGraph(quads []graph.Quad) *sgraph {
	g := &sgraph{out: map[graph.Term][]po{}, in: map[graph.Term][]po{}}
	seen := map[graph.Quad]struct{}{}
	for _, q := range quads {
		t := graph.Triple(q.S, q.P, q.O)
		if _, dup := seen[t]; dup {
			continue
		}
		seen[t] = struct{}{}
		if _, ok := g.out[q.S]; !ok {
			g.order = append(g.order, q.S)
		}
		g.out[q.S] = append(g.out[q.S], po{q.P, q.O})
		g.in[q.O] = append(g.in[q.O], po{q.P, q.S})
	}
	return g
}

func (g *sgraph) one(s, p graph.Term) graph.Term {
	for _, e := range g.out[s] {
		if e.p == p {
			return e.o
		}
	}
	return graph.Term{}
}

func (g *sgraph) all(s, p graph.Term) []graph.Term {
	var out []graph.Term
	for _, e := range g.out[s] {
		if e.p == p {
			out = append(out, e.o)
		}
	}
	return out
}

func (g *sgraph) has(s, p, o graph.Term) bool {
	for _, e := range g.out[s] {
		if e.p == p && e.o == o {
			return true
		}
	}
	return false
}

func (g *sgraph) subjects(p, o graph.Term) []graph.Term {
	var out []graph.Term
	for _, e := range g.in[o] {
		if e.p == p {
			out = append(out, e.o)
		}
	}
	return out
}

// list returns the members of the well-formed RDF list at head.
func (g *sgraph) list(head graph.Term) ([]graph.Term, error) {
	var out []graph.Term
	seen := map[graph.Term]bool{}
	for head != rdfNil {
		if seen[head] {
			return nil, fmt.Errorf("list %v is cyclic", head)
		}
		seen[head] = true
		first := g.all(head, rdfFirst)
		rest := g.all(head, rdfRest)
		if len(first) != 1 || len(rest) != 1 {
			return nil, fmt.Errorf("%v is not a well-formed RDF list", head)
		}
		out = append(out, first[0])
		head = rest[0]
	}
	return out, nil
}

// compiler turns shape nodes into shapes.
type compiler struct {
	sg       *sgraph
	shapes   map[graph.Term]*shape
	all      []*shape
	errs     CompileErrors
	warnings []*CompileError
	parents  map[graph.Term]parentRef
}

// Compile reads a shapes graph (SHACL §2): its node and property shapes,
// their targets (explicit, and implicit class targets for shapes that are
// also rdfs:Class or owl:Class), paths and Core constraints. The graph
// position of the quads is ignored. It returns CompileErrors listing every
// ill-formed shape.
func Compile(shapes []graph.Quad) (*Shapes, error) {
	c := &compiler{sg: newSGraph(shapes), shapes: map[graph.Term]*shape{}, parents: map[graph.Term]parentRef{}}
	targetPreds := []graph.Term{shTargetNode, shTargetClass, shTargetSubjectsOf, shTargetObjectsOf}
	for _, n := range c.sg.order {
		if c.isShape(n) {
			c.shape(n)
			continue
		}
		for _, tp := range targetPreds {
			if !c.sg.one(n, tp).IsZero() {
				c.shape(n)
				break
			}
		}
	}
	names := &Shapes{parents: c.parents, byNode: c.shapes}
	for _, e := range append(c.errs[:len(c.errs):len(c.errs)], c.warnings...) {
		e.Where = names.label(e.Shape, map[string]string{})
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	out := &Shapes{all: c.all, byNode: c.shapes, parents: c.parents, warnings: c.warnings}
	for _, s := range c.all {
		if len(s.targets) > 0 && !s.deactivated {
			out.targeted = append(out.targeted, s)
		}
	}
	return out, nil
}

// isShape reports whether n is declared a shape: a SHACL instance of
// sh:NodeShape or sh:PropertyShape, or a node with sh:path.
func (c *compiler) isShape(n graph.Term) bool {
	return c.sg.has(n, rdfType, shNodeShape) || c.sg.has(n, rdfType, shPropertyShape) ||
		c.sg.has(n, rdfType, shShape) || !c.sg.one(n, shPath).IsZero()
}

func (c *compiler) errorf(s graph.Term, format string, args ...any) {
	c.errs = append(c.errs, &CompileError{Shape: s, Msg: fmt.Sprintf(format, args...)})
}

// shape compiles the shape at n once; references to a shape being
// compiled get the same (then completed) value, so cyclic references in
// the shapes graph compile.
func (c *compiler) shape(n graph.Term) *shape {
	if s, ok := c.shapes[n]; ok {
		return s
	}
	s := &shape{node: n, severity: Violation}
	c.shapes[n] = s
	c.all = append(c.all, s)
	if n.IsLiteral() {
		c.errorf(n, "a shape must be an IRI or a blank node")
		return s
	}
	if c.sg.has(n, rdfType, shPropertyShape) && c.sg.one(n, shPath).IsZero() {
		c.errorf(n, "is a sh:PropertyShape without sh:path")
	}
	if c.sg.has(n, rdfType, shNodeShape) && !c.sg.one(n, shPath).IsZero() {
		c.errorf(n, "is a sh:NodeShape with sh:path")
	}
	c.checkVocabulary(s)
	if p := c.sg.all(n, shPath); len(p) > 0 {
		if len(p) > 1 {
			c.errorf(n, "has %d values of sh:path, needs one", len(p))
		}
		path, err := c.parsePath(p[0], 0)
		if err != nil {
			c.errorf(n, "sh:path: %v", err)
		} else {
			s.path = path
		}
	}
	if d := c.sg.one(n, shDeactivated); !d.IsZero() {
		s.deactivated = c.flag(n, shDeactivated, d)
	}
	if sev := c.sg.one(n, shSeverity); !sev.IsZero() {
		if !sev.IsIRI() {
			c.errorf(n, "sh:severity %v is not an IRI", sev)
		} else {
			s.severity = sev
		}
	}
	s.messages = c.sg.all(n, shMessage)
	for _, tp := range []graph.Term{shTargetNode, shTargetClass, shTargetSubjectsOf, shTargetObjectsOf} {
		for _, o := range c.sg.all(n, tp) {
			if tp != shTargetNode && !o.IsIRI() {
				c.errorf(n, "%s %v is not an IRI", compact(tp, nil), o)
				continue
			}
			s.targets = append(s.targets, target{tp, o})
		}
	}
	if (c.sg.has(n, rdfType, rdfsClass) || c.sg.has(n, rdfType, owlClass)) && n.IsIRI() {
		s.targets = append(s.targets, target{rdfsClass, n})
	}
	c.constraints(s)
	return s
}

// flag reads a boolean parameter: only the literal "true"^^xsd:boolean
// turns it on, as the spec words it (the suite's uniqueLang-002 checks
// that "1"^^xsd:boolean does not); a non-boolean value is an error.
func (c *compiler) flag(n, p, o graph.Term) bool {
	if _, ok := boolValue(o); !ok {
		c.errorf(n, "%s %v is not a boolean", compact(p, nil), o)
	}
	return o == trueLiteral
}

// label names a shape for people: its IRI abbreviated with prefixes, or
// for a blank-node shape the shape that uses it, the parameter and the
// path ("ex:DatasetShape property dct:title"), which stay the same from
// run to run where blank node labels do not.
func (s *Shapes) label(n graph.Term, px map[string]string) string {
	var b strings.Builder
	for depth := 0; ; depth++ {
		if !n.IsBlank() || depth > 8 {
			return compact(n, px) + b.String()
		}
		ref, ok := s.parents[n]
		if !ok {
			return "(unnamed shape)" + b.String()
		}
		part := " " + strings.TrimPrefix(ref.param.Value(), SH)
		if sh := s.byNode[n]; sh != nil && sh.path != nil {
			part += " " + sh.path.Format(px)
		}
		b2 := part + b.String()
		b.Reset()
		b.WriteString(b2)
		n = ref.parent
	}
}

// boolValue reads an xsd:boolean literal.
func boolValue(t graph.Term) (bool, bool) {
	if !t.IsLiteral() || t.Datatype() != xsdBoolean {
		return false, false
	}
	switch t.Value() {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// intValue reads a non-negative xsd:integer (or derived) literal.
func intValue(t graph.Term) (int, bool) {
	if !t.IsLiteral() || !isIntegerType(t.Datatype()) {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(t.Value()), "+"))
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// propertyOnly are the parameters SHACL allows only on property shapes.
var propertyOnly = []graph.Term{shMinCount, shMaxCount, shUniqueLang, shLessThan, shLessThanOrEquals, shQualifiedValueShape}

// constraints reads every Core constraint component of s.
func (c *compiler) constraints(s *shape) {
	n := s.node
	sg := c.sg
	if s.path == nil {
		for _, p := range propertyOnly {
			if !sg.one(n, p).IsZero() {
				c.errorf(n, "%s is allowed only on property shapes (with sh:path)", compact(p, nil))
			}
		}
	}
	add := func(k constraint) { s.constraints = append(s.constraints, k) }
	iri := func(p graph.Term, o graph.Term) bool {
		if !o.IsIRI() {
			c.errorf(n, "%s %v is not an IRI", compact(p, nil), o)
			return false
		}
		return true
	}
	count := func(p graph.Term) (int, bool) {
		vs := sg.all(n, p)
		if len(vs) == 0 {
			return 0, false
		}
		if len(vs) > 1 {
			c.errorf(n, "has %d values of %s, needs one", len(vs), compact(p, nil))
		}
		v, ok := intValue(vs[0])
		if !ok {
			c.errorf(n, "%s %v is not a non-negative integer", compact(p, nil), vs[0])
			return 0, false
		}
		return v, true
	}
	shapeRef := func(p, o graph.Term) *shape {
		if !o.IsIRI() && !o.IsBlank() {
			c.errorf(n, "%s %v is not a shape (IRI or blank node)", compact(p, nil), o)
			return nil
		}
		if _, ok := c.parents[o]; !ok && o.IsBlank() && o != n {
			c.parents[o] = parentRef{n, p}
		}
		return c.shape(o)
	}
	shapeList := func(p graph.Term) {
		for _, head := range sg.all(n, p) {
			items, err := sg.list(head)
			if err != nil {
				c.errorf(n, "%s: %v", compact(p, nil), err)
				continue
			}
			var shapes []*shape
			for _, it := range items {
				if r := shapeRef(p, it); r != nil {
					shapes = append(shapes, r)
				}
			}
			add(&logical{op: p, shapes: shapes})
		}
	}
	termList := func(p graph.Term) [][]graph.Term {
		var out [][]graph.Term
		for _, head := range sg.all(n, p) {
			items, err := sg.list(head)
			if err != nil {
				c.errorf(n, "%s: %v", compact(p, nil), err)
				continue
			}
			out = append(out, items)
		}
		return out
	}

	for _, o := range sg.all(n, shClass) {
		if iri(shClass, o) {
			add(&classC{class: o})
		}
	}
	if ds := sg.all(n, shDatatype); len(ds) > 0 {
		if len(ds) > 1 {
			c.errorf(n, "has %d values of sh:datatype, needs one", len(ds))
		}
		if iri(shDatatype, ds[0]) {
			add(&datatypeC{dt: ds[0].Value()})
		}
	}
	if nk := sg.all(n, shNodeKind); len(nk) > 0 {
		if len(nk) > 1 {
			c.errorf(n, "has %d values of sh:nodeKind, needs one", len(nk))
		}
		switch nk[0] {
		case shIRI, shBlankNode, shLiteral, shBlankNodeOrIRI, shBlankNodeOrLiteral, shIRIOrLiteral:
			add(&nodeKindC{kind: nk[0]})
		default:
			c.errorf(n, "sh:nodeKind %v is not one of the six node kinds", nk[0])
		}
	}
	if v, ok := count(shMinCount); ok {
		add(&countC{min: true, n: v})
	}
	if v, ok := count(shMaxCount); ok {
		add(&countC{n: v})
	}
	for _, r := range []struct {
		p    graph.Term
		comp graph.Term
		ok   func(int) bool
		name string
	}{
		{shMinExclusive, compMinExclusive, func(c int) bool { return c > 0 }, "minExclusive"},
		{shMinInclusive, compMinInclusive, func(c int) bool { return c >= 0 }, "minInclusive"},
		{shMaxExclusive, compMaxExclusive, func(c int) bool { return c < 0 }, "maxExclusive"},
		{shMaxInclusive, compMaxInclusive, func(c int) bool { return c <= 0 }, "maxInclusive"},
	} {
		vs := sg.all(n, r.p)
		if len(vs) == 0 {
			continue
		}
		if len(vs) > 1 {
			c.errorf(n, "has %d values of %s, needs one", len(vs), compact(r.p, nil))
		}
		if !vs[0].IsLiteral() {
			c.errorf(n, "%s %v is not a literal", compact(r.p, nil), vs[0])
			continue
		}
		add(&rangeC{comp: r.comp, bound: vs[0], ok: r.ok, name: r.name})
	}
	if v, ok := count(shMinLength); ok {
		add(&lengthC{min: true, n: v})
	}
	if v, ok := count(shMaxLength); ok {
		add(&lengthC{n: v})
	}
	if pats := sg.all(n, shPattern); len(pats) > 0 {
		flags := sg.one(n, shFlags)
		for _, p := range pats {
			if !p.IsLiteral() {
				c.errorf(n, "sh:pattern %v is not a literal", p)
				continue
			}
			re, err := compilePattern(p.Value(), flags.Value())
			if err != nil {
				c.errorf(n, "sh:pattern %q: %v", p.Value(), err)
				continue
			}
			add(&patternC{re: re, src: p.Value(), flags: flags.Value()})
		}
	}
	for _, l := range termList(shLanguageIn) {
		var tags []string
		for _, t := range l {
			if !t.IsLiteral() {
				c.errorf(n, "sh:languageIn member %v is not a literal", t)
				continue
			}
			tags = append(tags, t.Value())
		}
		add(&languageInC{tags: tags})
	}
	if u := sg.one(n, shUniqueLang); !u.IsZero() {
		if c.flag(n, shUniqueLang, u) {
			add(&uniqueLangC{})
		}
	}
	for _, r := range []struct {
		p    graph.Term
		kind pairKind
	}{{shEquals, pairEquals}, {shDisjoint, pairDisjoint}, {shLessThan, pairLessThan}, {shLessThanOrEquals, pairLessThanOrEquals}} {
		for _, o := range sg.all(n, r.p) {
			if iri(r.p, o) {
				add(&pairC{kind: r.kind, pred: o})
			}
		}
	}
	for _, o := range sg.all(n, shNot) {
		if r := shapeRef(shNot, o); r != nil {
			add(&logical{op: shNot, shapes: []*shape{r}})
		}
	}
	shapeList(shAnd)
	shapeList(shOr)
	shapeList(shXone)
	for _, o := range sg.all(n, shNode) {
		if r := shapeRef(shNode, o); r != nil {
			add(&nodeC{shape: r})
		}
	}
	for _, o := range sg.all(n, shProperty) {
		r := shapeRef(shProperty, o)
		if r == nil {
			continue
		}
		if sg.one(o, shPath).IsZero() {
			c.errorf(n, "sh:property %v has no sh:path", o)
			continue
		}
		add(&propertyC{shape: r})
	}
	for _, o := range sg.all(n, shQualifiedValueShape) {
		r := shapeRef(shQualifiedValueShape, o)
		if r == nil {
			continue
		}
		q := &qualifiedC{shape: r, min: -1, max: -1}
		if v, ok := count(shQualifiedMinCount); ok {
			q.min = v
		}
		if v, ok := count(shQualifiedMaxCount); ok {
			q.max = v
		}
		if d := sg.one(n, shQualifiedDisjoint); !d.IsZero() {
			if c.flag(n, shQualifiedDisjoint, d) {
				for _, parent := range sg.subjects(shProperty, n) {
					for _, sib := range sg.all(parent, shProperty) {
						for _, qs := range sg.all(sib, shQualifiedValueShape) {
							if qs != o && (qs.IsIRI() || qs.IsBlank()) {
								q.siblings = append(q.siblings, c.shape(qs))
							}
						}
					}
				}
			}
		}
		add(q)
	}
	if cl := sg.one(n, shClosed); !cl.IsZero() {
		if c.flag(n, shClosed, cl) {
			k := &closedC{allowed: map[graph.Term]bool{}}
			for _, ps := range sg.all(n, shProperty) {
				if p := sg.one(ps, shPath); p.IsIRI() {
					k.allowed[p] = true
				}
			}
			for _, l := range termList(shIgnoredProperties) {
				for _, t := range l {
					k.allowed[t] = true
				}
			}
			add(k)
		}
	}
	for _, o := range sg.all(n, shHasValue) {
		add(&hasValueC{value: o})
	}
	for _, l := range termList(shIn) {
		set := make(map[graph.Term]bool, len(l))
		for _, t := range l {
			set[t] = true
		}
		add(&inC{set: set, list: l})
	}
}

// stripWhitespace removes the whitespace of an XPath pattern outside
// character classes, as the x flag says (XPath F&O 3.1 §5.6.1.1).
func stripWhitespace(pat string) string {
	var b strings.Builder
	inClass, escaped := false, false
	for _, r := range pat {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '[':
			inClass = true
		case r == ']':
			inClass = false
		case !inClass && (r == ' ' || r == '\t' || r == '\n' || r == '\r'):
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// compilePattern compiles an XPath regular expression (SHACL sh:pattern,
// XPath fn:matches) as a Go regexp. The flags map as XPath defines them:
// s (dot matches newline), m (multi-line), i (case-insensitive), x (strip
// whitespace from the pattern) and q (quote: the pattern is a literal
// string). Go's RE2 syntax covers the XPath syntax the shapes we ship use;
// back-references are not supported.
func compilePattern(pat, flags string) (*regexp.Regexp, error) {
	goFlags := ""
	for _, f := range flags {
		switch f {
		case 's', 'm', 'i':
			if !strings.ContainsRune(goFlags, f) {
				goFlags += string(f)
			}
		case 'x':
			pat = stripWhitespace(pat)
		case 'q':
			pat = regexp.QuoteMeta(pat)
		default:
			return nil, fmt.Errorf("unknown flag %q", f)
		}
	}
	if goFlags != "" {
		pat = "(?" + goFlags + ")" + pat
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		var se *syntax.Error
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s in %q", se.Code, se.Expr)
		}
		return nil, err
	}
	return re, nil
}

// coreVocabulary are the SHACL properties a shape may carry: the Core
// constraint parameters, targets, paths and the non-validating
// properties (SHACL §2, §4, §9).
var coreVocabulary = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Fields(`targetNode targetClass targetSubjectsOf targetObjectsOf path
		deactivated severity message name description order group defaultValue
		class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive maxInclusive
		minLength maxLength pattern flags languageIn uniqueLang equals disjoint lessThan lessThanOrEquals
		not and or xone node property qualifiedValueShape qualifiedMinCount qualifiedMaxCount
		qualifiedValueShapesDisjoint closed ignoredProperties hasValue in`) {
		m[SH+l] = true
	}
	return m
}()

// checkVocabulary warns about SHACL-namespace properties of a shape that
// Core does not define.
func (c *compiler) checkVocabulary(s *shape) {
	for _, e := range c.sg.out[s.node] {
		v := e.p.Value()
		if !strings.HasPrefix(v, SH) || coreVocabulary[v] {
			continue
		}
		msg := fmt.Sprintf("%s is not a SHACL Core property of shapes; ignored", compact(e.p, nil))
		if v == SH+"sparql" {
			msg = "sh:sparql constraints (SHACL-SPARQL) are not supported; ignored"
		}
		c.warnings = append(c.warnings, &CompileError{Shape: s.node, Msg: msg})
	}
}
