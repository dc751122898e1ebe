package rdfxml

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// frameKind says which production an open element matched.
type frameKind uint8

const (
	frameRDF        frameKind = iota + 1 // rdf:RDF
	frameNode                            // nodeElement: children are property elements
	frameResource                        // parseType="Resource": children are property elements
	frameProp                            // resource, literal or empty property element
	frameCollection                      // parseType="Collection": children are node elements
	frameLiteral                         // parseType="Literal" (or other): content is XML
	frameInLiteral                       // an element inside an XML literal
)

// frame is one open element. Only the stack of frames is kept, so memory
// grows with nesting depth, not with document length.
type frame struct {
	kind   frameKind
	prefix string // raw element name, to match the end tag
	local  string
	nsMark int // len(Decoder.ns) before this element's declarations
	base   string
	lang   string

	subject graph.Term // frameNode, frameResource: the node the properties are about
	li      int        // rdf:li counter of frameNode and frameResource

	parent    graph.Term // property frames: the subject of the property
	pred      graph.Term
	object    graph.Term // frameProp: known once a node element or attributes fix it
	reify     graph.Term // rdf:ID of a property element: the statement's IRI
	datatype  string     // rdf:datatype of a literal property element
	emptyOnly bool       // emptyPropertyElt with attributes: no content allowed
	last      graph.Term // frameCollection: the last list node so far
}

// nsBinding is a namespace declaration (prefix "" is the default
// namespace).
type nsBinding struct{ prefix, uri string }

// nsDecl is an in-scope declaration; prev is the index of the declaration
// of the same prefix it hides, or -1.
type nsDecl struct {
	nsBinding
	prev int
}

// nameKey indexes the predicate cache.
type nameKey struct{ ns, local string }

// maxNameCache bounds the predicate cache, keeping memory constant.
const maxNameCache = 4096

// MaxDepth is the deepest element nesting the decoder accepts. Real
// documents nest a few levels; the limit keeps a hostile input from growing
// the element stack without bound.
const MaxDepth = 10_000

// Decoder reads RDF/XML (RDF 1.1 XML Syntax) and returns its triples as
// quads in the default graph. It streams: it keeps the stack of open
// elements, the in-scope namespaces and the set of rdf:ID values seen (the
// spec forbids duplicates), never the document.
//
// Only UTF-8 (and so US-ASCII) input is accepted. Entities declared in an
// internal DTD subset (<!ENTITY name "value">) are expanded as text.
type Decoder struct {
	x      *xml.Decoder
	pos    *posReader
	file   string
	base   string
	blanks *graph.BlankScope

	stack    []frame
	ns       []nsDecl       // declarations of the open elements, outermost first
	nsTop    map[string]int // prefix -> index in ns of its innermost declaration
	out      []graph.Quad
	head     int
	err      error
	text     bytes.Buffer // content of the innermost literal property element
	lit      literalWriter
	ids      map[string]struct{}
	names    map[nameKey]graph.Term
	props    []propAttr
	rootSeen bool // the document element has started
	rootDone bool // ... and ended

	line, col int // start of the token being processed
}

var _ syntax.Decoder = (*Decoder)(nil)

// NewDecoder returns a decoder reading RDF/XML from r. opts.Base is the
// document's base IRI (xml:base overrides it), opts.File names the input
// in errors and opts.BlankScope() scopes rdf:nodeID labels.
func NewDecoder(r io.Reader, opts syntax.Options) *Decoder {
	p := newPosReader(r)
	x := xml.NewDecoder(p)
	x.Strict = true
	return &Decoder{
		x:      x,
		pos:    p,
		file:   opts.File,
		base:   opts.Base,
		blanks: opts.BlankScope(),
		ids:    make(map[string]struct{}),
		names:  make(map[nameKey]graph.Term),
		nsTop:  make(map[string]int),
	}
}

// Next returns the next triple, as a quad in the default graph. It returns
// io.EOF after the last one; any other error is final and, for bad input, a
// *syntax.Error.
func (d *Decoder) Next() (graph.Quad, error) {
	for {
		if d.head < len(d.out) {
			q := d.out[d.head]
			d.head++
			return q, nil
		}
		d.out, d.head = d.out[:0], 0
		if d.err != nil {
			return graph.Quad{}, d.err
		}
		if err := d.step(); err != nil {
			d.err = err
		}
	}
}

// Quads returns the remaining triples as a stream.
func (d *Decoder) Quads() graph.Quads { return syntax.Quads(d) }

// errorf returns a syntax error at the start of the current token.
func (d *Decoder) errorf(format string, args ...any) error {
	return &syntax.Error{File: d.file, Line: d.line, Column: d.col, Msg: fmt.Sprintf(format, args...)}
}

// emit queues a triple.
func (d *Decoder) emit(s, p, o graph.Term) {
	d.out = append(d.out, graph.Quad{S: s, P: p, O: o, G: graph.DefaultGraph})
}

// emitStatement queues (s, p, o) and, when reify is set, its reification
// (RDF 1.1 XML Syntax §7.3).
func (d *Decoder) emitStatement(s, p, o, reify graph.Term) {
	d.emit(s, p, o)
	if !reify.IsZero() {
		d.emit(reify, termType, termStatement)
		d.emit(reify, termSubject, s)
		d.emit(reify, termPredicate, p)
		d.emit(reify, termObject, o)
	}
}

// step reads one XML token and handles it.
func (d *Decoder) step() error {
	start := d.x.InputOffset()
	d.line, d.col = d.pos.at(start)
	tok, err := d.x.RawToken()
	if err != nil {
		if err == io.EOF {
			switch {
			case len(d.stack) > 0:
				d.line, d.col = d.pos.at(d.x.InputOffset())
				return d.errorf("unexpected end of input inside <%s>", qname(d.stack[len(d.stack)-1].prefix, d.stack[len(d.stack)-1].local))
			case !d.rootSeen:
				return d.errorf("no root element")
			}
			return io.EOF
		}
		if d.pos.hasErr && err == d.pos.ioErr {
			name := d.file
			if name == "" {
				name = "input"
			}
			return fmt.Errorf("read %s: %w", name, err)
		}
		d.line, d.col = d.pos.at(d.x.InputOffset())
		msg := err.Error()
		if se, ok := err.(*xml.SyntaxError); ok {
			msg = se.Msg
		}
		return d.errorf("%s", strings.TrimPrefix(msg, "xml: "))
	}
	switch t := tok.(type) {
	case xml.StartElement:
		return d.start(t)
	case xml.EndElement:
		return d.end(t)
	case xml.CharData:
		return d.chars(t)
	case xml.Comment:
		if d.inLiteral() {
			d.lit.comment(t)
		}
	case xml.ProcInst:
		if strings.EqualFold(t.Target, "xml") {
			// encoding/xml checks the declaration's version and encoding
			// but not where it stands.
			if start != 0 || t.Target != "xml" {
				return d.errorf("misplaced XML declaration")
			}
			return nil
		}
		if d.inLiteral() {
			d.lit.procInst(t)
		}
	case xml.Directive:
		if d.rootSeen {
			return d.errorf("markup declaration inside the document")
		}
		return d.doctype(t)
	}
	return nil
}

func (d *Decoder) inLiteral() bool {
	if len(d.stack) == 0 {
		return false
	}
	k := d.stack[len(d.stack)-1].kind
	return k == frameLiteral || k == frameInLiteral
}

// doctype reads the entity declarations of an internal DTD subset, the one
// part of a DTD RDF/XML documents use (to abbreviate namespace IRIs).
func (d *Decoder) doctype(dir xml.Directive) error {
	s := string(dir)
	if !strings.HasPrefix(s, "DOCTYPE") {
		return nil
	}
	for {
		i := strings.Index(s, "<!ENTITY")
		if i < 0 {
			return nil
		}
		s = strings.TrimLeft(s[i+len("<!ENTITY"):], " \t\r\n")
		if strings.HasPrefix(s, "%") { // parameter entity: not used in content
			continue
		}
		end := strings.IndexAny(s, " \t\r\n")
		if end <= 0 {
			return d.errorf("malformed entity declaration")
		}
		name := s[:end]
		s = strings.TrimLeft(s[end:], " \t\r\n")
		if s == "" || (s[0] != '"' && s[0] != '\'') {
			continue // external entity: not loaded
		}
		q := s[0]
		end = strings.IndexByte(s[1:], q)
		if end < 0 {
			return d.errorf("unterminated entity value for %q", name)
		}
		value := s[1 : 1+end]
		s = s[2+end:]
		if !isNCName(name) {
			return d.errorf("invalid entity name %q", name)
		}
		if d.x.Entity == nil {
			d.x.Entity = make(map[string]string)
		}
		d.x.Entity[name] = d.expandEntities(value)
	}
}

// expandEntities replaces references to entities declared earlier in an
// entity value, as XML requires for internal entities.
func (d *Decoder) expandEntities(v string) string {
	if !strings.Contains(v, "&") || d.x.Entity == nil {
		return v
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(v, '&')
		if i < 0 {
			b.WriteString(v)
			return b.String()
		}
		b.WriteString(v[:i])
		v = v[i:]
		j := strings.IndexByte(v, ';')
		if j < 0 {
			b.WriteString(v)
			return b.String()
		}
		if r, ok := d.x.Entity[v[1:j]]; ok {
			b.WriteString(r)
		} else {
			b.WriteString(v[:j+1])
		}
		v = v[j+1:]
	}
}

// lookupNS returns the namespace bound to prefix; ok is false for an
// undeclared prefix.
func (d *Decoder) lookupNS(prefix string) (string, bool) {
	if i, ok := d.nsTop[prefix]; ok {
		return d.ns[i].uri, true
	}
	switch prefix {
	case "xml":
		return xmlNS, true
	case "":
		return "", true
	}
	return "", false
}

// pushNamespaces records the element's xmlns declarations.
func (d *Decoder) pushNamespaces(attrs []xml.Attr) error {
	for _, a := range attrs {
		var prefix string
		switch {
		case a.Name.Space == "xmlns":
			prefix = a.Name.Local
			if prefix == "xmlns" || !isNCName(prefix) {
				return d.errorf("invalid namespace prefix %q", prefix)
			}
			if a.Value == "" {
				return d.errorf("namespace prefix %q bound to the empty name", prefix)
			}
			if (prefix == "xml") != (a.Value == xmlNS) {
				return d.errorf("prefix xml must be bound to %s and only it", xmlNS)
			}
		case a.Name.Space == "" && a.Name.Local == "xmlns":
		default:
			continue
		}
		if a.Value == xmlnsNS {
			return d.errorf("the xmlns namespace cannot be declared")
		}
		prev, ok := d.nsTop[prefix]
		if !ok {
			prev = -1
		}
		d.nsTop[prefix] = len(d.ns)
		d.ns = append(d.ns, nsDecl{nsBinding{prefix, a.Value}, prev})
	}
	return nil
}

// popNamespaces drops the declarations from index mark on.
func (d *Decoder) popNamespaces(mark int) {
	for i := len(d.ns) - 1; i >= mark; i-- {
		if b := d.ns[i]; b.prev < 0 {
			delete(d.nsTop, b.prefix)
		} else {
			d.nsTop[b.prefix] = b.prev
		}
	}
	d.ns = d.ns[:mark]
}

// resolveName returns the namespace of a raw element name.
func (d *Decoder) resolveName(n xml.Name) (string, error) {
	if strings.IndexByte(n.Local, ':') >= 0 {
		return "", d.errorf("name %q is not namespace-well-formed", n.Local)
	}
	ns, ok := d.lookupNS(n.Space)
	if !ok {
		return "", d.errorf("undeclared namespace prefix %q", n.Space)
	}
	return ns, nil
}

// term returns the IRI ns+local of an element or attribute name, which
// must be an absolute IRI. The most common ones are cached.
func (d *Decoder) term(prefix, ns, local string) (graph.Term, error) {
	k := nameKey{ns, local}
	if t, ok := d.names[k]; ok {
		return t, nil
	}
	s := ns + local
	if !iri.IsAbsolute(s) || !validIRIChars(s) {
		return graph.Term{}, d.errorf("name %s is not an absolute IRI: %q", qname(prefix, local), s)
	}
	if len(d.names) >= maxNameCache {
		clear(d.names)
	}
	t := graph.IRI(s)
	d.names[k] = t
	return t, nil
}

// resolve resolves an IRI reference from an attribute against base.
func (d *Decoder) resolve(base, ref string) (string, error) {
	if !validIRIChars(ref) {
		return "", d.errorf("invalid IRI %q", ref)
	}
	if iri.IsAbsolute(ref) {
		if s, ok := normalizeAbsolute(ref); ok {
			return s, nil
		}
	}
	if base == "" && !iri.IsAbsolute(ref) {
		return "", d.errorf("relative IRI %q without a base IRI", ref)
	}
	s, err := iri.Resolve(base, ref)
	if err != nil {
		return "", d.errorf("resolve IRI %q: %v", ref, err)
	}
	return s, nil
}

// normalizeAbsolute returns what resolving the absolute IRI s gives (RFC
// 3986 §5.2.2 removes its dot segments); ok is false if s does not parse.
func normalizeAbsolute(s string) (string, bool) {
	if !strings.Contains(s, "/.") {
		return s, true
	}
	r, err := iri.Resolve("", s)
	return r, err == nil
}

// propAttr is a property attribute (§7.2.25) waiting for its subject.
type propAttr struct {
	pred  graph.Term
	value string
	isTyp bool // rdf:type: the value is an IRI
}

// rdfAttrs holds the RDF attributes of one element.
type rdfAttrs struct {
	id, nodeID, about, resource, datatype, parseType     string
	hasID, hasNodeID, hasAbout, hasResource, hasDatatype bool
	hasParseType                                         bool
}

// readAttrs sorts an element's attributes into RDF syntax attributes and
// property attributes (into d.props). xml:base and xml:lang have been read.
func (d *Decoder) readAttrs(attrs []xml.Attr) (rdfAttrs, error) {
	var a rdfAttrs
	d.props = d.props[:0]
	for _, at := range attrs {
		sp, local := at.Name.Space, at.Name.Local
		if sp == "xmlns" || (sp == "" && local == "xmlns") || sp == "xml" {
			continue
		}
		var ns string
		if sp == "" {
			// Names starting with "xml" are reserved and ignored (§6.1.4);
			// a few RDF names may appear unqualified for compatibility.
			if len(local) >= 3 && strings.EqualFold(local[:3], "xml") {
				continue
			}
			switch local {
			case "ID", "about", "resource", "parseType", "type":
				ns = rdfNS
			default:
				return a, d.errorf("attribute %q has no namespace", local)
			}
		} else {
			if len(sp) >= 3 && strings.EqualFold(sp[:3], "xml") {
				continue
			}
			var err error
			if ns, err = d.resolveName(at.Name); err != nil {
				return a, err
			}
		}
		if ns == rdfNS {
			switch classifyRDF(local) {
			case nameID:
				a.id, a.hasID = at.Value, true
				continue
			case nameNodeID:
				a.nodeID, a.hasNodeID = at.Value, true
				continue
			case nameAbout:
				a.about, a.hasAbout = at.Value, true
				continue
			case nameResource:
				a.resource, a.hasResource = at.Value, true
				continue
			case nameDatatype:
				a.datatype, a.hasDatatype = at.Value, true
				continue
			case nameParseType:
				a.parseType, a.hasParseType = at.Value, true
				continue
			case nameRDF, nameDescription, nameLi, nameOld:
				return a, d.errorf("rdf:%s is not allowed as an attribute", local)
			}
			if local == "type" {
				d.props = append(d.props, propAttr{pred: termType, value: at.Value, isTyp: true})
				continue
			}
		}
		pred, err := d.term(sp, ns, local)
		if err != nil {
			return a, err
		}
		d.props = append(d.props, propAttr{pred: pred, value: at.Value})
	}
	return a, nil
}

// checkDuplicates rejects an element with two attributes of the same name,
// which encoding/xml lets through.
func (d *Decoder) checkDuplicates(attrs []xml.Attr) error {
	dup := func(n xml.Name) error {
		return d.errorf("duplicate attribute %s", qname(n.Space, n.Local))
	}
	if len(attrs) <= 16 {
		for i, at := range attrs {
			for _, prev := range attrs[:i] {
				if prev.Name == at.Name {
					return dup(at.Name)
				}
			}
		}
		return nil
	}
	seen := make(map[xml.Name]struct{}, len(attrs))
	for _, at := range attrs {
		if _, ok := seen[at.Name]; ok {
			return dup(at.Name)
		}
		seen[at.Name] = struct{}{}
	}
	return nil
}

// start handles a start tag.
func (d *Decoder) start(t xml.StartElement) error {
	if d.rootDone {
		return d.errorf("content after the document element")
	}
	if len(d.stack) >= MaxDepth {
		return d.errorf("elements nested deeper than %d levels", MaxDepth)
	}
	if err := d.checkDuplicates(t.Attr); err != nil {
		return err
	}
	mark := len(d.ns)
	if err := d.pushNamespaces(t.Attr); err != nil {
		return err
	}
	ns, err := d.resolveName(t.Name)
	if err != nil {
		return err
	}
	if d.inLiteral() {
		top := &d.stack[len(d.stack)-1]
		if err := d.lit.start(d, t); err != nil {
			return err
		}
		d.stack = append(d.stack, frame{kind: frameInLiteral, prefix: t.Name.Space, local: t.Name.Local, nsMark: mark, base: top.base, lang: top.lang})
		return nil
	}

	// xml:base and xml:lang apply to the element itself (§6.1.2).
	base, lang := d.base, ""
	var parent *frame
	if len(d.stack) > 0 {
		parent = &d.stack[len(d.stack)-1]
		base, lang = parent.base, parent.lang
	}
	for _, at := range t.Attr {
		if at.Name.Space != "xml" {
			continue
		}
		switch at.Name.Local {
		case "base":
			if base, err = d.resolve(base, at.Value); err != nil {
				return err
			}
		case "lang":
			if at.Value != "" && !validLang(at.Value) {
				return d.errorf("invalid language tag %q", at.Value)
			}
			lang = at.Value
		}
	}
	if ns == "" {
		return d.errorf("element <%s> has no namespace", t.Name.Local)
	}
	f := frame{prefix: t.Name.Space, local: t.Name.Local, nsMark: mark, base: base, lang: lang}
	attrs, err := d.readAttrs(t.Attr)
	if err != nil {
		return err
	}

	if parent == nil {
		d.rootSeen = true
		if ns == rdfNS && t.Name.Local == "RDF" {
			if attrs != (rdfAttrs{}) || len(d.props) > 0 {
				return d.errorf("rdf:RDF takes no RDF attributes")
			}
			f.kind = frameRDF
			d.stack = append(d.stack, f)
			return nil
		}
		return d.nodeElement(f, ns, attrs, nil)
	}
	switch parent.kind {
	case frameRDF:
		return d.nodeElement(f, ns, attrs, nil)
	case frameNode, frameResource:
		return d.propertyElement(f, ns, attrs)
	case frameProp:
		switch {
		case parent.emptyOnly:
			return d.errorf("property element with rdf:resource, rdf:nodeID or property attributes must be empty")
		case !parent.object.IsZero():
			return d.errorf("property element <%s> has more than one node element", qname(parent.prefix, parent.local))
		case parent.datatype != "":
			return d.errorf("property element with rdf:datatype cannot contain a node element")
		case !isXMLSpace(d.text.Bytes()):
			return d.errorf("property element <%s> mixes text and elements", qname(parent.prefix, parent.local))
		}
		d.text.Reset()
		return d.nodeElement(f, ns, attrs, parent)
	case frameCollection:
		return d.nodeElement(f, ns, attrs, parent)
	}
	return d.errorf("unexpected element <%s>", qname(t.Name.Space, t.Name.Local))
}

// nodeElement handles a nodeElement (§7.2.11); parent is the property or
// collection element it is the object of, or nil at the top.
func (d *Decoder) nodeElement(f frame, ns string, a rdfAttrs, parent *frame) error {
	local := f.local
	isDescription := false
	if ns == rdfNS {
		switch n := classifyRDF(local); {
		case n.isCoreSyntaxTerm(), n == nameLi, n == nameOld:
			return d.errorf("rdf:%s cannot be used as a node element", local)
		case n == nameDescription:
			isDescription = true
		}
	}
	if a.hasResource || a.hasDatatype || a.hasParseType {
		return d.errorf("rdf:resource, rdf:datatype and rdf:parseType are not allowed on node element <%s>", qname(f.prefix, local))
	}
	n := 0
	for _, b := range [...]bool{a.hasID, a.hasNodeID, a.hasAbout} {
		if b {
			n++
		}
	}
	if n > 1 {
		return d.errorf("node element <%s> has more than one of rdf:ID, rdf:nodeID and rdf:about", qname(f.prefix, local))
	}
	var subject graph.Term
	switch {
	case a.hasID:
		s, err := d.idIRI(f.base, a.id)
		if err != nil {
			return err
		}
		subject = graph.IRI(s)
	case a.hasNodeID:
		if !isNCName(a.nodeID) {
			return d.errorf("rdf:nodeID %q is not an XML NCName", a.nodeID)
		}
		subject = d.blanks.Named(a.nodeID)
	case a.hasAbout:
		s, err := d.resolve(f.base, a.about)
		if err != nil {
			return err
		}
		subject = graph.IRI(s)
	default:
		subject = d.blanks.Fresh()
	}
	if parent != nil {
		if parent.kind == frameCollection {
			node := d.blanks.Fresh()
			if parent.last.IsZero() {
				d.emitStatement(parent.parent, parent.pred, node, parent.reify)
			} else {
				d.emit(parent.last, termRest, node)
			}
			d.emit(node, termFirst, subject)
			parent.last = node
		} else {
			parent.object = subject
			d.emitStatement(parent.parent, parent.pred, subject, parent.reify)
		}
	}
	if !isDescription {
		typ, err := d.term(f.prefix, ns, local)
		if err != nil {
			return err
		}
		d.emit(subject, termType, typ)
	}
	if err := d.emitPropAttrs(subject, f.base, f.lang); err != nil {
		return err
	}
	f.kind, f.subject = frameNode, subject
	d.stack = append(d.stack, f)
	return nil
}

// emitPropAttrs queues the triples of the property attributes in d.props.
func (d *Decoder) emitPropAttrs(subject graph.Term, base, lang string) error {
	for _, p := range d.props {
		var o graph.Term
		switch {
		case p.isTyp:
			s, err := d.resolve(base, p.value)
			if err != nil {
				return err
			}
			o = graph.IRI(s)
		case lang != "":
			o = graph.LangLiteral(p.value, lang)
		default:
			o = graph.String(p.value)
		}
		d.emit(subject, p.pred, o)
	}
	return nil
}

// idIRI checks an rdf:ID value and returns its IRI, base#id; each may be
// used once per document (§5.4, constraint-id).
func (d *Decoder) idIRI(base, id string) (string, error) {
	if !isNCName(id) {
		return "", d.errorf("rdf:ID %q is not an XML NCName", id)
	}
	s, err := d.resolve(base, "#"+id)
	if err != nil {
		return "", err
	}
	if _, dup := d.ids[s]; dup {
		return "", d.errorf("rdf:ID %q used twice for <%s>", id, s)
	}
	d.ids[s] = struct{}{}
	return s, nil
}

// propertyElement handles a propertyElt (§7.2.14) of the node in the frame
// on top of the stack.
func (d *Decoder) propertyElement(f frame, ns string, a rdfAttrs) error {
	parent := &d.stack[len(d.stack)-1]
	local := f.local
	var pred graph.Term
	if ns == rdfNS {
		switch n := classifyRDF(local); {
		case n == nameLi:
			parent.li++
			pred = graph.IRI(rdfNS + "_" + strconv.Itoa(parent.li))
		case n.isCoreSyntaxTerm(), n == nameDescription, n == nameOld:
			return d.errorf("rdf:%s cannot be used as a property element", local)
		}
	}
	if pred.IsZero() {
		var err error
		if pred, err = d.term(f.prefix, ns, local); err != nil {
			return err
		}
	}
	if a.hasAbout {
		return d.errorf("rdf:about is not allowed on property element <%s>", qname(f.prefix, local))
	}
	f.parent, f.pred = parent.subject, pred
	if a.hasID {
		s, err := d.idIRI(f.base, a.id)
		if err != nil {
			return err
		}
		f.reify = graph.IRI(s)
	}
	if a.hasParseType {
		if a.hasResource || a.hasNodeID || a.hasDatatype || len(d.props) > 0 {
			return d.errorf("rdf:parseType allows no other attribute than rdf:ID on <%s>", qname(f.prefix, local))
		}
		switch a.parseType {
		case "Resource":
			o := d.blanks.Fresh()
			d.emitStatement(f.parent, pred, o, f.reify)
			f.kind, f.subject = frameResource, o
		case "Collection":
			f.kind = frameCollection
		default: // "Literal" and, by §7.2.20, any other value
			f.kind = frameLiteral
			d.lit.reset()
		}
		d.stack = append(d.stack, f)
		return nil
	}
	f.kind = frameProp
	d.text.Reset()
	if a.hasResource || a.hasNodeID || len(d.props) > 0 {
		// emptyPropertyElt with an object given by its attributes (§7.2.21).
		if a.hasDatatype {
			return d.errorf("rdf:datatype is not allowed with rdf:resource, rdf:nodeID or property attributes")
		}
		var o graph.Term
		switch {
		case a.hasResource && a.hasNodeID:
			return d.errorf("rdf:resource and rdf:nodeID on the same element")
		case a.hasResource:
			s, err := d.resolve(f.base, a.resource)
			if err != nil {
				return err
			}
			o = graph.IRI(s)
		case a.hasNodeID:
			if !isNCName(a.nodeID) {
				return d.errorf("rdf:nodeID %q is not an XML NCName", a.nodeID)
			}
			o = d.blanks.Named(a.nodeID)
		default:
			o = d.blanks.Fresh()
		}
		d.emitStatement(f.parent, pred, o, f.reify)
		if err := d.emitPropAttrs(o, f.base, f.lang); err != nil {
			return err
		}
		f.object, f.emptyOnly = o, true
	} else if a.hasDatatype {
		s, err := d.resolve(f.base, a.datatype)
		if err != nil {
			return err
		}
		f.datatype = s
	}
	d.stack = append(d.stack, f)
	return nil
}

// chars handles character data.
func (d *Decoder) chars(t xml.CharData) error {
	if len(d.stack) == 0 {
		if !isXMLSpace(t) {
			return d.errorf("text outside the document element")
		}
		return nil
	}
	f := &d.stack[len(d.stack)-1]
	switch f.kind {
	case frameLiteral, frameInLiteral:
		d.lit.text(t)
		return nil
	case frameProp:
		if f.object.IsZero() {
			d.text.Write(t)
			return nil
		}
	}
	if !isXMLSpace(t) {
		return d.errorf("unexpected text %q in <%s>", shorten(t), qname(f.prefix, f.local))
	}
	return nil
}

// end handles an end tag.
func (d *Decoder) end(t xml.EndElement) error {
	if len(d.stack) == 0 {
		return d.errorf("unexpected end tag </%s>", qname(t.Name.Space, t.Name.Local))
	}
	f := d.stack[len(d.stack)-1]
	if f.prefix != t.Name.Space || f.local != t.Name.Local {
		return d.errorf("element <%s> closed by </%s>", qname(f.prefix, f.local), qname(t.Name.Space, t.Name.Local))
	}
	d.stack = d.stack[:len(d.stack)-1]
	switch f.kind {
	case frameInLiteral:
		d.lit.end(t)
	case frameLiteral:
		d.emitStatement(f.parent, f.pred, graph.Literal(d.lit.String(), rdfXMLLiteral), f.reify)
	case frameProp:
		if f.object.IsZero() {
			var o graph.Term
			switch {
			case f.datatype != "":
				o = graph.Literal(d.text.String(), f.datatype)
			case f.lang != "":
				o = graph.LangLiteral(d.text.String(), f.lang)
			default:
				o = graph.String(d.text.String())
			}
			d.text.Reset()
			d.emitStatement(f.parent, f.pred, o, f.reify)
		}
	case frameCollection:
		if f.last.IsZero() {
			d.emitStatement(f.parent, f.pred, termNil, f.reify)
		} else {
			d.emit(f.last, termRest, termNil)
		}
	}
	d.popNamespaces(f.nsMark)
	if len(d.stack) == 0 {
		d.rootDone = true
	}
	return nil
}

// qname formats a raw XML name.
func qname(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}

// shorten quotes at most 40 bytes of text in an error message.
func shorten(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return s
}
