package shacl

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
)

// constraint is one Core constraint component instance of a shape (SHACL
// §4). eval checks the frame's value nodes and emits a result for each
// violation.
type constraint interface {
	eval(v *validator, f *frame)
}

// classC is sh:class (§4.1.1).
type classC struct{ class graph.Term }

func (c *classC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		if !v.isInstance(val, c.class) {
			v.emit(f, compClass, val, nil, fmt.Sprintf("%s is not an instance of %s", short(val), short(c.class)))
		}
	}
}

// datatypeC is sh:datatype (§4.1.2): the datatype must match and the
// lexical form be valid for it.
type datatypeC struct{ dt string }

func (c *datatypeC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		switch {
		case !val.IsLiteral() || val.Datatype() != c.dt:
			v.emit(f, compDatatype, val, nil, fmt.Sprintf("%s does not have datatype %s", short(val), short(graph.IRI(c.dt))))
		case !validLexical(val):
			v.emit(f, compDatatype, val, nil, fmt.Sprintf("%s is not a valid %s", short(val), short(graph.IRI(c.dt))))
		}
	}
}

// nodeKindC is sh:nodeKind (§4.1.3).
type nodeKindC struct{ kind graph.Term }

func (c *nodeKindC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		var ok bool
		switch c.kind {
		case shIRI:
			ok = val.IsIRI()
		case shBlankNode:
			ok = val.IsBlank()
		case shLiteral:
			ok = val.IsLiteral()
		case shBlankNodeOrIRI:
			ok = val.IsBlank() || val.IsIRI()
		case shBlankNodeOrLiteral:
			ok = val.IsBlank() || val.IsLiteral()
		case shIRIOrLiteral:
			ok = val.IsIRI() || val.IsLiteral()
		}
		if !ok {
			v.emit(f, compNodeKind, val, nil, fmt.Sprintf("%s is not of node kind %s", short(val), short(c.kind)))
		}
	}
}

// countC is sh:minCount or sh:maxCount (§4.2).
type countC struct {
	min bool
	n   int
}

func (c *countC) eval(v *validator, f *frame) {
	switch {
	case c.min && len(f.values) < c.n:
		v.emit(f, compMinCount, graph.Term{}, nil, fmt.Sprintf("minCount %d not met (found %d)", c.n, len(f.values)))
	case !c.min && len(f.values) > c.n:
		v.emit(f, compMaxCount, graph.Term{}, nil, fmt.Sprintf("maxCount %d exceeded (found %d)", c.n, len(f.values)))
	}
}

// rangeC is sh:minExclusive, sh:minInclusive, sh:maxExclusive or
// sh:maxInclusive (§4.3): ok says whether compare(value, bound) passes;
// values that cannot be compared fail.
type rangeC struct {
	comp  graph.Term
	bound graph.Term
	ok    func(int) bool
	name  string
}

func (c *rangeC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		order, ok := compareValues(val, c.bound)
		if !ok {
			v.emit(f, c.comp, val, nil, fmt.Sprintf("%s cannot be compared with %s %s", short(val), c.name, short(c.bound)))
		} else if !c.ok(order) {
			v.emit(f, c.comp, val, nil, fmt.Sprintf("%s violates %s %s", short(val), c.name, short(c.bound)))
		}
	}
}

// lengthC is sh:minLength or sh:maxLength (§4.4.1, §4.4.2): the length in
// characters of the value's string form; blank nodes fail.
type lengthC struct {
	min bool
	n   int
}

func (c *lengthC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		if val.IsBlank() {
			v.emit(f, c.comp(), val, nil, fmt.Sprintf("blank node %s has no string length", short(val)))
			continue
		}
		n := utf8.RuneCountInString(val.Value())
		if c.min && n < c.n {
			v.emit(f, c.comp(), val, nil, fmt.Sprintf("%s is shorter than minLength %d", short(val), c.n))
		} else if !c.min && n > c.n {
			v.emit(f, c.comp(), val, nil, fmt.Sprintf("%s is longer than maxLength %d", short(val), c.n))
		}
	}
}

func (c *lengthC) comp() graph.Term {
	if c.min {
		return compMinLength
	}
	return compMaxLength
}

// patternC is sh:pattern with sh:flags (§4.4.3).
type patternC struct {
	re         *regexp.Regexp
	src, flags string
}

func (c *patternC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		if val.IsBlank() || !c.re.MatchString(val.Value()) {
			v.emit(f, compPattern, val, nil, fmt.Sprintf("%s does not match pattern %q", short(val), c.src))
		}
	}
}

// languageInC is sh:languageIn (§4.4.4), matching tags by RFC 4647 basic
// filtering as SPARQL langMatches does.
type languageInC struct{ tags []string }

func (c *languageInC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		ok := false
		if val.IsLiteral() && val.Lang() != "" {
			for _, t := range c.tags {
				if langMatches(val.Lang(), t) {
					ok = true
					break
				}
			}
		}
		if !ok {
			v.emit(f, compLanguageIn, val, nil, fmt.Sprintf("%s is not in languages %s", short(val), strings.Join(c.tags, ", ")))
		}
	}
}

// langMatches is SPARQL's langMatches: RFC 4647 basic filtering.
func langMatches(tag, rng string) bool {
	if rng == "*" {
		return tag != ""
	}
	tag, rng = strings.ToLower(tag), strings.ToLower(rng)
	return tag == rng || strings.HasPrefix(tag, rng+"-")
}

// uniqueLangC is sh:uniqueLang true (§4.4.5): one result per language tag
// used by more than one value.
type uniqueLangC struct{}

func (c *uniqueLangC) eval(v *validator, f *frame) {
	counts := map[string]int{}
	var order []string
	for _, val := range f.values {
		if l := val.Lang(); val.IsLiteral() && l != "" {
			if counts[l]++; counts[l] == 2 {
				order = append(order, l)
			}
		}
	}
	for _, l := range order {
		v.emit(f, compUniqueLang, graph.Term{}, nil, fmt.Sprintf("language %q used %d times", l, counts[l]))
	}
}

// pairKind selects a property pair constraint (§4.5).
type pairKind uint8

const (
	pairEquals pairKind = iota
	pairDisjoint
	pairLessThan
	pairLessThanOrEquals
)

// pairC is sh:equals, sh:disjoint, sh:lessThan or sh:lessThanOrEquals: it
// compares the value nodes with the values of pred at the focus node.
type pairC struct {
	kind pairKind
	pred graph.Term
}

func (c *pairC) eval(v *validator, f *frame) {
	others := v.data.objects(f.focus, c.pred)
	slices.SortFunc(others, graph.Compare)
	p := short(c.pred)
	switch c.kind {
	case pairEquals:
		in := termSet(others)
		mine := termSet(f.values)
		for _, val := range f.values {
			if !in[val] {
				v.emit(f, compEquals, val, nil, fmt.Sprintf("%s is not a value of %s", short(val), p))
			}
		}
		for _, o := range others {
			if !mine[o] {
				v.emit(f, compEquals, o, nil, fmt.Sprintf("value %s of %s is missing", short(o), p))
			}
		}
	case pairDisjoint:
		in := termSet(others)
		for _, val := range f.values {
			if in[val] {
				v.emit(f, compDisjoint, val, nil, fmt.Sprintf("%s is also a value of %s", short(val), p))
			}
		}
	case pairLessThan, pairLessThanOrEquals:
		comp, op := compLessThan, "<"
		if c.kind == pairLessThanOrEquals {
			comp, op = compLessThanOrEquals, "<="
		}
		for _, val := range f.values {
			for _, o := range others {
				order, ok := compareValues(val, o)
				if !ok || order > 0 || (order == 0 && c.kind == pairLessThan) {
					v.emit(f, comp, val, nil, fmt.Sprintf("%s is not %s %s (value of %s)", short(val), op, short(o), p))
				}
			}
		}
	}
}

func termSet(ts []graph.Term) map[graph.Term]bool {
	m := make(map[graph.Term]bool, len(ts))
	for _, t := range ts {
		m[t] = true
	}
	return m
}

// logical is sh:not (one shape), sh:and, sh:or or sh:xone (§4.6).
type logical struct {
	op     graph.Term
	shapes []*shape
}

func (c *logical) eval(v *validator, f *frame) {
	for _, val := range f.values {
		n := 0
		for _, s := range c.shapes {
			if v.conforms(val, s) {
				n++
			}
			if v.err != nil {
				return
			}
		}
		switch c.op {
		case shNot:
			if n > 0 {
				v.emit(f, compNot, val, nil, fmt.Sprintf("%s conforms to %s", short(val), short(c.shapes[0].node)))
			}
		case shAnd:
			if n < len(c.shapes) {
				v.emit(f, compAnd, val, nil, fmt.Sprintf("%s conforms to only %d of the %d shapes of sh:and", short(val), n, len(c.shapes)))
			}
		case shOr:
			if n == 0 {
				v.emit(f, compOr, val, nil, fmt.Sprintf("%s conforms to none of the shapes of sh:or", short(val)))
			}
		case shXone:
			if n != 1 {
				v.emit(f, compXone, val, nil, fmt.Sprintf("%s conforms to %d of the shapes of sh:xone, needs exactly 1", short(val), n))
			}
		}
	}
}

// nodeC is sh:node (§4.7.1).
type nodeC struct{ shape *shape }

func (c *nodeC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		if !v.conforms(val, c.shape) && v.err == nil {
			v.emit(f, compNode, val, nil, fmt.Sprintf("%s does not conform to %s", short(val), short(c.shape.node)))
		}
	}
}

// propertyC is sh:property (§4.7.2): the property shape's results, with
// each value node as focus node, are results of this validation.
type propertyC struct{ shape *shape }

func (c *propertyC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		if v.stop() {
			return
		}
		v.validate(c.shape, val)
	}
}

// qualifiedC is sh:qualifiedValueShape with sh:qualifiedMinCount and/or
// sh:qualifiedMaxCount (§4.7.3); min and max are -1 when absent. siblings
// are the sibling shapes when sh:qualifiedValueShapesDisjoint is true.
type qualifiedC struct {
	shape    *shape
	min, max int
	siblings []*shape
}

func (c *qualifiedC) eval(v *validator, f *frame) {
	n := 0
	for _, val := range f.values {
		if !v.conforms(val, c.shape) {
			continue
		}
		ok := true
		for _, s := range c.siblings {
			if v.conforms(val, s) {
				ok = false
				break
			}
		}
		if ok {
			n++
		}
	}
	if v.err != nil {
		return
	}
	if c.min >= 0 && n < c.min {
		v.emit(f, compQualifiedMin, graph.Term{}, nil, fmt.Sprintf("qualifiedMinCount %d not met: %d values conform to %s", c.min, n, short(c.shape.node)))
	}
	if c.max >= 0 && n > c.max {
		v.emit(f, compQualifiedMax, graph.Term{}, nil, fmt.Sprintf("qualifiedMaxCount %d exceeded: %d values conform to %s", c.max, n, short(c.shape.node)))
	}
}

// closedC is sh:closed true with sh:ignoredProperties (§4.8.1): each
// triple of a value node whose predicate is neither a property of the
// shape nor ignored is a result, with the predicate as path.
type closedC struct{ allowed map[graph.Term]bool }

func (c *closedC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		edges := v.data.outgoing(val)
		slices.SortFunc(edges, func(a, b po) int { return cmp.Or(graph.Compare(a.p, b.p), graph.Compare(a.o, b.o)) })
		for _, e := range edges {
			if !c.allowed[e.p] {
				v.emit(f, compClosed, e.o, PredicatePath(e.p), fmt.Sprintf("property %s is not allowed by the closed shape", short(e.p)))
			}
		}
	}
}

// hasValueC is sh:hasValue (§4.8.2).
type hasValueC struct{ value graph.Term }

func (c *hasValueC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		if val == c.value {
			return
		}
	}
	v.emit(f, compHasValue, graph.Term{}, nil, fmt.Sprintf("missing value %s", short(c.value)))
}

// inC is sh:in (§4.8.3).
type inC struct {
	set  map[graph.Term]bool
	list []graph.Term
}

func (c *inC) eval(v *validator, f *frame) {
	for _, val := range f.values {
		if !c.set[val] {
			v.emit(f, compIn, val, nil, fmt.Sprintf("%s is not one of the %d allowed values", short(val), len(c.list)))
		}
	}
}
