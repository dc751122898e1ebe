package jsonld

import (
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// Vocabulary used by the conversion.
const (
	rdfType      = graph.RDFNamespace + "type"
	rdfFirst     = graph.RDFNamespace + "first"
	rdfRest      = graph.RDFNamespace + "rest"
	rdfNil       = graph.RDFNamespace + "nil"
	rdfValue     = graph.RDFNamespace + "value"
	rdfLanguage  = graph.RDFNamespace + "language"
	rdfDirection = graph.RDFNamespace + "direction"
	rdfJSON      = graph.RDFNamespace + "JSON"
	i18nBase     = "https://www.w3.org/ns/i18n#"
)

// converter turns expanded JSON-LD into quads: the Deserialize JSON-LD to
// RDF algorithm (JSON-LD 1.1 API §8.1-8.3), walking the expanded document
// directly instead of building a node map first. Both give the same RDF
// dataset; the direct walk needs no second copy of the document and can
// stream, at the price of repeating a quad when the document states it
// twice.
//
// Why not json-gold's ToRDF: it ignores @direction, writes integers of 2^63
// and above and doubles with too few digits wrongly, keeps IRIs that are not
// absolute in some positions, and renames every blank node to _:bN, which
// defeats per-document blank node scopes.
type converter struct {
	blanks    *graph.BlankScope
	direction string
	bases     *baseTable // maps json-gold's sentinel-based IRIs back
	err       error      // why conversion stopped early
}

// quads streams the quads of an expanded document.
func (c *converter) quads(expanded []any) iter.Seq[graph.Quad] {
	return func(yield func(graph.Quad) bool) {
		for _, e := range expanded {
			if _, ok := c.element(e, graph.DefaultGraph, yield); !ok {
				return
			}
		}
	}
}

// emit yields one quad unless one of its terms was dropped.
func emit(yield func(graph.Quad) bool, s, p, o, g graph.Term) bool {
	if s.IsZero() || p.IsZero() || o.IsZero() || g.IsZero() {
		return true
	}
	return yield(graph.Quad{S: s, P: p, O: o, G: g})
}

// element converts a top-level or nested node object (or, inside @graph and
// @included, any item). It returns the node's term (zero when the node has
// an id that is not a well-formed IRI or blank node).
func (c *converter) element(e any, g graph.Term, yield func(graph.Quad) bool) (graph.Term, bool) {
	m, ok := e.(map[string]any)
	if !ok {
		return graph.Term{}, true
	}
	if _, isValue := m["@value"]; isValue {
		return graph.Term{}, true // free-floating value: no triple
	}
	if l, isList := m["@list"]; isList {
		// A free-floating list still makes its elements' nodes.
		for _, item := range asList(l) {
			if _, ok := c.element(item, g, yield); !ok {
				return graph.Term{}, false
			}
		}
		return graph.Term{}, true
	}
	return c.node(m, g, yield)
}

// node converts a node object: its types, properties, reverse properties,
// named graph and included nodes.
func (c *converter) node(m map[string]any, g graph.Term, yield func(graph.Quad) bool) (graph.Term, bool) {
	var s graph.Term
	if id, ok := m["@id"].(string); ok {
		s = c.idTerm(id)
	} else {
		s = c.anonymous()
	}
	for _, t := range asList(m["@type"]) {
		ts, _ := t.(string)
		if !emit(yield, s, graph.IRI(rdfType), c.idTerm(ts), g) {
			return s, false
		}
	}
	for key, val := range m {
		if strings.HasPrefix(key, "@") {
			continue
		}
		p := c.predicate(key)
		for _, item := range asList(val) {
			o, ok := c.object(item, g, yield)
			if !ok {
				return s, false
			}
			if !emit(yield, s, p, o, g) {
				return s, false
			}
		}
	}
	if rev, ok := m["@reverse"].(map[string]any); ok {
		for key, val := range rev {
			p := c.predicate(key)
			for _, item := range asList(val) {
				o, ok := c.element(item, g, yield)
				if !ok {
					return s, false
				}
				if !emit(yield, o, p, s, g) {
					return s, false
				}
			}
		}
	}
	if inner, ok := m["@graph"]; ok {
		// A node with @graph names a graph; a blank or IRI subject both
		// work, a dropped one drops the graph's content (§8.1 step 1.1).
		if !s.IsZero() {
			for _, item := range asList(inner) {
				if _, ok := c.element(item, s, yield); !ok {
					return s, false
				}
			}
		}
	}
	if inc, ok := m["@included"]; ok {
		for _, item := range asList(inc) {
			if _, ok := c.element(item, g, yield); !ok {
				return s, false
			}
		}
	}
	return s, true
}

// object converts a property value (Object to RDF Conversion, §8.2),
// emitting the quads of embedded nodes, lists and compound literals.
func (c *converter) object(item any, g graph.Term, yield func(graph.Quad) bool) (graph.Term, bool) {
	m, ok := item.(map[string]any)
	if !ok {
		return graph.Term{}, true
	}
	if _, isValue := m["@value"]; isValue {
		return c.value(m, g, yield)
	}
	if l, isList := m["@list"]; isList {
		return c.list(asList(l), g, yield)
	}
	return c.node(m, g, yield)
}

// list converts a list (List Conversion, §8.3) and returns its head.
func (c *converter) list(items []any, g graph.Term, yield func(graph.Quad) bool) (graph.Term, bool) {
	if len(items) == 0 {
		return graph.IRI(rdfNil), true
	}
	head := c.anonymous()
	cur := head
	for i, item := range items {
		o, ok := c.object(item, g, yield)
		if !ok {
			return head, false
		}
		if !emit(yield, cur, graph.IRI(rdfFirst), o, g) {
			return head, false
		}
		next := graph.IRI(rdfNil)
		if i < len(items)-1 {
			next = c.anonymous()
		}
		if !emit(yield, cur, graph.IRI(rdfRest), next, g) {
			return head, false
		}
		cur = next
	}
	return head, true
}

// value converts a value object to a literal (or, with rdfDirection
// compound-literal, to a blank node described by quads).
func (c *converter) value(m map[string]any, g graph.Term, yield func(graph.Quad) bool) (graph.Term, bool) {
	v := m["@value"]
	dt, isString := m["@type"].(string)
	if isString && dt != "@json" {
		dt = c.bases.resolve(dt)
	}
	if t, ok := m["@type"]; ok && (!isString || dt != "@json" && !wellFormedIRI(dt)) {
		// Expansion must reject a value object whose @type is not one IRI
		// (JSON-LD 1.1 API §5.1.2 step 13.4.4.4 and 15); json-gold lets
		// arrays and IRIs with spaces through.
		c.err = &Error{Code: "invalid typed value", Err: fmt.Errorf("value object @type %v is not an IRI", t)}
		return graph.Term{}, false
	}
	lang, hasLang := m["@language"].(string)
	if hasLang && !wellFormedLang(lang) {
		return graph.Term{}, true
	}
	var lex string
	switch {
	case dt == "@json":
		b, err := canonicalJSON(c.bases.restore(v))
		if err != nil {
			return graph.Term{}, true
		}
		return graph.Literal(string(b), rdfJSON), true
	default:
		switch x := v.(type) {
		case bool:
			lex = strconv.FormatBool(x)
			if dt == "" {
				dt = graph.XSDBoolean
			}
		case float64:
			if x != math.Trunc(x) || math.Abs(x) >= 1e21 || dt == graph.XSDDouble {
				lex = canonicalDouble(x)
				if dt == "" {
					dt = graph.XSDDouble
				}
			} else {
				lex = strconv.FormatFloat(x, 'f', -1, 64)
				if x == 0 {
					lex = "0" // not "-0": xsd:integer has no negative zero
				}
				if dt == "" {
					dt = graph.XSDInteger
				}
			}
		case string:
			lex = x
		default:
			return graph.Term{}, true
		}
	}
	dir, hasDir := m["@direction"].(string)
	if hasDir && c.direction != "" {
		switch c.direction {
		case RDFDirectionI18nDatatype:
			return graph.Literal(lex, i18nBase+strings.ToLower(lang)+"_"+dir), true
		case RDFDirectionCompoundLiteral:
			b := c.anonymous()
			if !emit(yield, b, graph.IRI(rdfValue), graph.String(lex), g) {
				return b, false
			}
			if hasLang {
				if !emit(yield, b, graph.IRI(rdfLanguage), graph.String(strings.ToLower(lang)), g) {
					return b, false
				}
			}
			return b, emit(yield, b, graph.IRI(rdfDirection), graph.String(dir), g)
		}
	}
	if hasLang && dt == "" {
		return graph.LangLiteral(lex, lang), true
	}
	return graph.Literal(lex, dt), true
}

// idTerm maps a node identifier: a blank node label through the document's
// scope, an IRI if absolute and well formed, else the zero Term (dropped,
// as §8.1 requires for relative IRIs).
func (c *converter) idTerm(id string) graph.Term {
	if strings.HasPrefix(id, "_:") {
		return c.blanks.Named(id[2:])
	}
	id = c.bases.resolve(id)
	if wellFormedIRI(id) {
		return graph.IRI(id)
	}
	return graph.Term{}
}

// predicate maps a property IRI; blank node properties (generalized RDF)
// are dropped since a graph.Quad cannot hold them.
func (c *converter) predicate(p string) graph.Term {
	if strings.HasPrefix(p, "_:") {
		return graph.Term{}
	}
	p = c.bases.resolve(p)
	if wellFormedIRI(p) {
		return graph.IRI(p)
	}
	return graph.Term{}
}

// anonymous returns a new blank node for a node without @id, a list cell or
// a compound literal.
func (c *converter) anonymous() graph.Term {
	return c.blanks.Fresh()
}

// asList returns v as a slice: expanded JSON-LD holds most values in arrays,
// but a few (a value object's @type, @reverse values) may be single.
func asList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	default:
		return []any{x}
	}
}

// canonicalDouble formats f as the canonical xsd:double lexical form the
// JSON-LD API requires: shortest round-trip mantissa with at least one
// fractional digit, 'E', exponent without '+' or leading zeros ("1.1E0").
func canonicalDouble(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	case math.IsNaN(f):
		return "NaN"
	}
	s := strconv.FormatFloat(f, 'E', -1, 64)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(exp, "+-")
	exp = strings.TrimLeft(exp, "0")
	if exp == "" {
		exp = "0"
	}
	if neg && exp != "0" {
		exp = "-" + exp
	}
	return mant + "E" + exp
}

// wellFormedIRI reports whether s is an absolute IRI without characters
// RFC 3987 forbids (spaces, controls, <>"{}|\^`). The JSON-LD API drops
// triples with IRIs that are not well formed.
func wellFormedIRI(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon <= 0 {
		return false
	}
	for i := 0; i < colon; i++ {
		ch := s[i]
		alpha := ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z'
		if i == 0 && !alpha {
			return false
		}
		if !alpha && !(ch >= '0' && ch <= '9') && ch != '+' && ch != '-' && ch != '.' {
			return false
		}
	}
	hashes := 0
	for i := 0; i < len(s); i++ {
		if iriForbidden[s[i]] {
			return false
		}
		if s[i] == '#' {
			hashes++ // a fragment cannot contain '#'
		}
	}
	return hashes <= 1
}

// iriForbidden marks the bytes that cannot appear in an IRI. It is computed
// once and only read.
var iriForbidden = func() (t [256]bool) {
	for c := 0; c <= 0x20; c++ {
		t[c] = true
	}
	t[0x7f] = true
	for _, c := range "<>\"{}|\\^`" {
		t[c] = true
	}
	return t
}()

// wellFormedLang reports whether s is a well-formed BCP 47 language tag in
// the simple form the JSON-LD API checks (letters, then '-'-separated
// alphanumeric subtags of 1 to 8 characters).
func wellFormedLang(s string) bool {
	if s == "" {
		return false
	}
	for i, sub := range strings.Split(s, "-") {
		if len(sub) < 1 || len(sub) > 8 {
			return false
		}
		for j := 0; j < len(sub); j++ {
			ch := sub[j]
			alpha := ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z'
			if !alpha && (i == 0 || !(ch >= '0' && ch <= '9')) {
				return false
			}
		}
	}
	return true
}
