package fdp

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tessera-fair/tessera/graph"
)

// level is a layer of the FAIR Data Point resource tree.
type level int

const (
	levelNone level = iota
	levelRoot
	levelCatalog
	levelDataset
	levelDistribution
)

// levels lists the layers that have a name, in tree order.
var levels = [...]level{levelRoot, levelCatalog, levelDataset, levelDistribution}

// String returns the layer's name in URLs: "fdp", "catalog", ...
func (l level) String() string {
	switch l {
	case levelRoot:
		return "fdp"
	case levelCatalog:
		return "catalog"
	case levelDataset:
		return "dataset"
	case levelDistribution:
		return "distribution"
	}
	return ""
}

// parseLevel reads a layer name.
func parseLevel(s string) level {
	for _, l := range levels {
		if l.String() == s {
			return l
		}
	}
	return levelNone
}

// class returns the layer's DCAT class.
func (l level) class() graph.Term {
	switch l {
	case levelRoot:
		return fdpFAIRDataPoint
	case levelCatalog:
		return dcatCatalog
	case levelDataset:
		return dcatDataset
	case levelDistribution:
		return dcatDistribution
	}
	return graph.Term{}
}

// child returns the layer below l and the relation from a parent to it
// (the FDP reference implementation's resource definitions).
func (l level) child() (level, graph.Term, string) {
	switch l {
	case levelRoot:
		return levelCatalog, fdpMetadataCatalog, "Catalogs"
	case levelCatalog:
		return levelDataset, dcatDatasetP, "Datasets"
	case levelDataset:
		return levelDistribution, dcatDistP, "Distributions"
	}
	return levelNone, graph.Term{}, ""
}

// parentRelation returns the relation from the layer above to l.
func (l level) parentRelation() graph.Term {
	switch l {
	case levelCatalog:
		return fdpMetadataCatalog
	case levelDataset:
		return dcatDatasetP
	case levelDistribution:
		return dcatDistP
	}
	return graph.Term{}
}

// levelOf returns the FDP layer of a resource with the given types.
func levelOf(types []graph.Term) level {
	switch {
	case slices.Contains(types, dcatCatalog):
		return levelCatalog
	case slices.Contains(types, dcatDataset):
		return levelDataset
	case slices.Contains(types, dcatDistribution):
		return levelDistribution
	}
	return levelNone
}

// rule is what the FDP shapes demand of one property.
type rule struct {
	maxOne   bool
	datatype string
	nodeKind string // "IRI", "Literal" or ""
}

// rules maps each constrained property of the FDP shapes to its rule.
type rules map[graph.Term]rule

// rulesFromShapes reads the property shapes of a shapes graph: the ones
// with sh:maxCount 1, sh:datatype or sh:nodeKind sh:IRI / sh:Literal.
func rulesFromShapes(qs []graph.Quad) rules {
	bySubject := map[graph.Term][]graph.Quad{}
	for _, q := range qs {
		bySubject[q.S] = append(bySubject[q.S], q)
	}
	out := rules{}
	for _, sq := range bySubject {
		var path graph.Term
		var r rule
		for _, q := range sq {
			switch q.P.Value() {
			case nsSH + "path":
				path = q.O
			case nsSH + "maxCount":
				r.maxOne = q.O.Value() == "1"
			case nsSH + "datatype":
				r.datatype = q.O.Value()
			case nsSH + "nodeKind":
				r.nodeKind = strings.TrimPrefix(q.O.Value(), nsSH)
			}
		}
		if !path.IsIRI() {
			continue
		}
		prev := out[path]
		prev.maxOne = prev.maxOne || r.maxOne
		if r.datatype != "" {
			prev.datatype = r.datatype
		}
		if r.nodeKind != "" {
			prev.nodeKind = r.nodeKind
		}
		out[path] = prev
	}
	return out
}

// xsdDateTime is the datatype of FDP timestamps.
const xsdDateTime = nsXSD + "dateTime"

// parseTime reads an xsd:dateTime, xsd:date or xsd:gYear literal.
func parseTime(t graph.Term) (time.Time, bool) {
	if !t.IsLiteral() {
		return time.Time{}, false
	}
	v := strings.TrimSpace(t.Value())
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02Z07:00", time.DateOnly, "2006"} {
		if tm, err := time.Parse(layout, v); err == nil {
			return tm.UTC(), true
		}
	}
	return time.Time{}, false
}

// dateTime returns the xsd:dateTime literal of tm (UTC, seconds).
func dateTime(tm time.Time) graph.Term {
	return graph.Literal(tm.UTC().Truncate(time.Second).Format(time.RFC3339), xsdDateTime)
}

// ianaMediaTypes are the prefixes of IANA media type IRIs, which DCAT 3
// uses for dcat:mediaType and the FDP shapes want as literals.
var ianaMediaTypes = []string{"https://www.iana.org/assignments/media-types/", "http://www.iana.org/assignments/media-types/"}

// conform returns value as the rule wants it, or false to leave it out.
func conform(r rule, v graph.Term) (graph.Term, bool) {
	switch {
	case r.nodeKind == "Literal" && v.IsIRI():
		s := v.Value()
		for _, p := range ianaMediaTypes {
			s = strings.TrimPrefix(s, p)
		}
		v = graph.String(s)
	case r.nodeKind == "IRI" && !v.IsIRI():
		return graph.Term{}, false
	}
	if r.datatype == xsdDateTime && v.Datatype() != xsdDateTime {
		tm, ok := parseTime(v)
		if !ok {
			return graph.Term{}, false
		}
		v = dateTime(tm)
	}
	return v, true
}

// skolem returns the IRI a blank node is published under in FDP documents
// (RDF 1.1 §3.5 skolem IRIs), which Linked Data dereferences.
func (s *Service) skolem(t graph.Term) graph.Term {
	if !t.IsBlank() {
		return t
	}
	return graph.IRI(s.opts.Base + ".well-known/genid/" + t.Value())
}

// fragment returns subject#name, or subject-name for hash IRIs.
func fragment(subject graph.Term, name string) graph.Term {
	if strings.Contains(subject.Value(), "#") {
		return graph.IRI(subject.Value() + "-" + name)
	}
	return graph.IRI(subject.Value() + "#" + name)
}

// profileIRI is the IRI of the FDP profile (the SHACL shapes) of layer l,
// served at /fdp/spec and /fdp/{layer}/spec.
func (s *Service) profileIRI(l level) graph.Term {
	if l == levelRoot {
		return graph.IRI(s.opts.Base + "fdp/spec")
	}
	return graph.IRI(s.opts.Base + "fdp/" + l.String() + "/spec")
}

// builder collects the triples of one document without duplicates.
type builder struct {
	quads []graph.Quad
	seen  map[graph.Quad]bool
}

func (b *builder) add(s, p, o graph.Term) {
	if b.seen == nil {
		b.seen = map[graph.Quad]bool{}
	}
	q := graph.Quad{S: s, P: p, O: o, G: graph.DefaultGraph}
	if s.IsZero() || o.IsZero() || b.seen[q] {
		return
	}
	b.seen[q] = true
	b.quads = append(b.quads, q)
}

// times are the timestamps of a metadata record.
type times struct {
	issued, modified time.Time
}

// recordTimes computes the FDP timestamps of a description: modified is the
// later of dct:modified and the load time of its graphs recorded in the
// system graph (tessera:loadedAt), issued is dct:issued or else modified;
// without any, the parent's (a distribution's dataset's), else the
// service's start.
func (s *Service) recordTimes(ctx context.Context, a *access, d *description, depth int) (times, error) {
	var t times
	for _, v := range d.values(dctModified) {
		if tm, ok := parseTime(v); ok && tm.After(t.modified) {
			t.modified = tm
		}
	}
	for _, g := range d.graphs {
		for q, err := range a.snap.Quads(ctx, graph.Pattern{S: g, P: tesseraLoadedAt, G: graph.IRI(s.opts.SystemGraph)}) {
			if err != nil {
				return t, err
			}
			if tm, ok := parseTime(q.O); ok && tm.After(t.modified) {
				t.modified = tm
			}
		}
	}
	for _, v := range d.values(dctIssued) {
		if tm, ok := parseTime(v); ok && (t.issued.IsZero() || tm.Before(t.issued)) {
			t.issued = tm
		}
	}
	if t.modified.IsZero() {
		t.modified = t.issued
	}
	if t.modified.IsZero() && depth < 3 {
		// A distribution without dates has its dataset's.
		if l := levelOf(d.types); l > levelCatalog {
			parents, err := s.parents(ctx, a, d.subject, l)
			if err != nil {
				return t, err
			}
			if len(parents) > 0 {
				pd, err := s.describe(ctx, a, parents[0])
				if err != nil {
					return t, err
				}
				if pd != nil {
					return s.recordTimes(ctx, a, pd, depth+1)
				}
			}
		}
	}
	if t.modified.IsZero() {
		t.modified = s.start
	}
	if t.issued.IsZero() || t.issued.After(t.modified) {
		t.issued = t.modified
	}
	return t, nil
}

// fdpView builds the FAIR Data Point document of a catalogue, dataset or
// distribution: its triples, changed only where the FDP shapes require it,
// plus what the FDP specification and reference implementation add.
//
// Changes: a property the shapes allow once keeps one value (the preferred
// language's, see preferred); the other titles stay as rdfs:label and the
// other descriptions as rdfs:comment, other extra values are left out
// (?profile=full returns them). xsd:date values of xsd:dateTime properties
// become midnight UTC; IANA media type IRIs become literals; blank nodes
// become skolem IRIs. Additions: the types dcat:Resource and the layer's
// class, fdp:metadataIdentifier, fdp:metadataIssued/Modified,
// dct:conformsTo the layer's profile, dct:isPartOf the parents,
// dcat:version and dct:hasVersion when missing, a publisher (inherited from
// the parent when missing) with one foaf:name, dct:language and, for
// catalogues, the metadata licence when missing, a dataset's licence from
// its distributions when they agree, rdfs:label of every title and of
// every referenced resource, and the LDP container of the children.
func (s *Service) fdpView(ctx context.Context, a *access, d *description, l level) ([]graph.Quad, error) {
	var b builder
	subj := d.subject
	tm, err := s.recordTimes(ctx, a, d, 0)
	if err != nil {
		return nil, err
	}

	// The subject's own triples, conformed to the rules.
	byPred := map[graph.Term][]graph.Term{}
	var preds []graph.Term
	for _, q := range d.quads {
		if q.S != subj {
			continue
		}
		if _, ok := byPred[q.P]; !ok {
			preds = append(preds, q.P)
		}
		if !slices.Contains(byPred[q.P], q.O) {
			byPred[q.P] = append(byPred[q.P], q.O)
		}
	}
	sortPredicates(preds)
	for _, p := range preds {
		r := s.rules[p]
		var vals []graph.Term
		for _, v := range byPred[p] {
			if cv, ok := conform(r, s.skolem(v)); ok && !slices.Contains(vals, cv) {
				vals = append(vals, cv)
			}
		}
		if r.maxOne && len(vals) > 1 {
			best := s.preferred(vals)
			for _, v := range vals {
				switch {
				case v == best:
				case p == dctTitle:
					b.add(subj, rdfsLabel, v)
				case p == dctDescription:
					b.add(subj, rdfsComment, v)
				}
			}
			vals = []graph.Term{best}
		}
		for _, v := range vals {
			b.add(subj, p, v)
		}
	}
	// Blank nodes the subject reaches, as skolem IRIs.
	for _, q := range d.quads {
		if q.S != subj {
			b.add(s.skolem(q.S), q.P, s.skolem(q.O))
		}
	}

	b.add(subj, rdfType, dcatResource)
	b.add(subj, rdfType, l.class())
	titles := d.values(dctTitle)
	if len(titles) == 0 {
		lbl, err := s.labels(ctx, a, []graph.Term{subj})
		if err != nil {
			return nil, err
		}
		titles = lbl[subj]
		if len(titles) == 0 {
			titles = []graph.Term{graph.String(lastSegment(subj.Value()))}
		}
		b.add(subj, dctTitle, s.preferred(titles))
	}
	for _, t := range titles {
		b.add(subj, rdfsLabel, t)
	}

	// Parents, publisher and licence come from the tree.
	parents, err := s.parents(ctx, a, subj, l)
	if err != nil {
		return nil, err
	}
	for _, p := range parents {
		b.add(subj, dctIsPartOf, p)
	}
	if err := s.addPublisher(ctx, a, &b, d, l, parents); err != nil {
		return nil, err
	}
	if len(d.values(dcatVersion)) == 0 {
		v := s.preferred(append(d.values(owlVersionInfo), literals(d.values(dctHasVersion))...))
		if v.IsZero() {
			v = graph.String(tm.modified.Format(time.DateOnly))
		}
		b.add(subj, dcatVersion, v)
		if len(d.values(dctHasVersion)) == 0 {
			b.add(subj, dctHasVersion, v)
		}
	} else if len(d.values(dctHasVersion)) == 0 {
		// The FDP spec wants dct:hasVersion too: the record's own version.
		b.add(subj, dctHasVersion, s.preferred(d.values(dcatVersion)))
	}
	if len(d.values(dctLanguage)) == 0 {
		b.add(subj, dctLanguage, graph.IRI("http://id.loc.gov/vocabulary/iso639-1/"+s.opts.Language))
	}
	if len(d.values(dctLicense)) == 0 {
		switch l {
		case levelCatalog:
			b.add(subj, dctLicense, graph.IRI(s.opts.MetadataLicense))
		case levelDataset:
			lic, err := s.sharedLicense(ctx, a, d.values(dcatDistP))
			if err != nil {
				return nil, err
			}
			b.add(subj, dctLicense, lic)
		}
	}

	// FDP metadata record properties.
	id := fragment(subj, "identifier")
	b.add(subj, fdpMetadataIdentifier, id)
	b.add(id, rdfType, datacite)
	b.add(id, dctIdentifier, graph.String(subj.Value()))
	b.add(subj, fdpMetadataIssued, dateTime(tm.issued))
	b.add(subj, fdpMetadataModified, dateTime(tm.modified))
	prof := s.profileIRI(l)
	b.add(subj, dctConformsTo, prof)
	b.add(prof, rdfsLabel, graph.LangLiteral("FAIR Data Point "+l.String()+" profile", "en"))

	// Children as an LDP direct container, and labels of what is referenced.
	if cl, rel, name := l.child(); cl != levelNone {
		s.addContainer(&b, subj, rel, name, d.values(rel))
	}
	var refs []graph.Term
	for _, q := range b.quads {
		if q.S == subj && q.O.IsIRI() && q.P != rdfType && !slices.Contains(refs, q.O) {
			refs = append(refs, q.O)
		}
	}
	if err := s.addLabels(ctx, a, &b, refs); err != nil {
		return nil, err
	}
	return b.quads, nil
}

// literals returns the literal terms of vs.
func literals(vs []graph.Term) []graph.Term {
	var out []graph.Term
	for _, v := range vs {
		if v.IsLiteral() {
			out = append(out, v)
		}
	}
	return out
}

// lastSegment returns the last path segment or fragment of an IRI.
func lastSegment(iri string) string {
	iri = strings.TrimRight(iri, "/#")
	if i := strings.LastIndexAny(iri, "/#"); i >= 0 && i < len(iri)-1 {
		return iri[i+1:]
	}
	return iri
}

// addContainer writes the LDP direct container of subj's children.
func (s *Service) addContainer(b *builder, subj, rel graph.Term, name string, children []graph.Term) {
	c := fragment(subj, strings.ToLower(name))
	b.add(c, rdfType, ldpDirectContainer)
	b.add(c, dctTitle, graph.LangLiteral(name, "en"))
	b.add(c, ldpMembershipResource, subj)
	b.add(c, ldpHasMemberRelation, rel)
	for _, ch := range children {
		b.add(subj, rel, ch)
		b.add(c, ldpContains, ch)
	}
}

// addLabels adds rdfs:label triples for the referenced IRIs.
func (s *Service) addLabels(ctx context.Context, a *access, b *builder, refs []graph.Term) error {
	lbl, err := s.labels(ctx, a, refs)
	if err != nil {
		return err
	}
	for _, r := range refs {
		for _, v := range lbl[r] {
			b.add(r, rdfsLabel, v)
		}
	}
	return nil
}

// parents returns the resources one layer up that list subj: the FDP for a
// catalogue, the catalogues of a dataset, the datasets of a distribution.
func (s *Service) parents(ctx context.Context, a *access, subj graph.Term, l level) ([]graph.Term, error) {
	if l == levelCatalog {
		return []graph.Term{s.root}, nil
	}
	rel := l.parentRelation()
	if rel.IsZero() {
		return nil, nil
	}
	var out []graph.Term
	for q, err := range a.snap.Quads(ctx, graph.Pattern{P: rel, O: subj}) {
		if err != nil {
			return nil, err
		}
		if q.S.IsIRI() && !slices.Contains(out, q.S) {
			out = append(out, q.S)
		}
		if len(out) >= 20 {
			break
		}
	}
	slices.SortFunc(out, graph.Compare)
	return out, nil
}

// addPublisher writes one dct:publisher with one foaf:name: the resource's
// own, else its nearest ancestor's, else the FDP's.
func (s *Service) addPublisher(ctx context.Context, a *access, b *builder, d *description, l level, parents []graph.Term) error {
	pub := s.preferred(d.values(dctPublisher))
	for depth := 0; pub.IsZero() && depth < 3 && l > levelCatalog && len(parents) > 0; depth++ {
		pd, err := s.describe(ctx, a, parents[0])
		if err != nil {
			return err
		}
		if pd == nil {
			break
		}
		pub = s.preferred(pd.values(dctPublisher))
		l--
		if parents, err = s.parents(ctx, a, parents[0], l); err != nil {
			return err
		}
	}
	if pub.IsZero() {
		b.add(d.subject, dctPublisher, graph.IRI(s.opts.Publisher))
		s.addAgent(b, graph.IRI(s.opts.Publisher), graph.String(s.opts.PublisherName))
		return nil
	}
	var name graph.Term
	if pd, err := s.describe(ctx, a, pub); err != nil {
		return err
	} else if pd != nil {
		name = s.preferred(pd.values(foafName))
		if name.IsZero() {
			for _, p := range labelPredicates {
				if name = s.preferred(literals(pd.values(p))); !name.IsZero() {
					break
				}
			}
		}
	}
	if name.IsZero() {
		name = graph.String(lastSegment(pub.Value()))
	}
	b.add(d.subject, dctPublisher, s.skolem(pub))
	s.addAgent(b, s.skolem(pub), name)
	return nil
}

// addAgent describes a publisher as the FDP agent shape wants: a foaf:Agent
// with exactly one foaf:name.
func (s *Service) addAgent(b *builder, agent, name graph.Term) {
	// Drop names the resource's own triples may have copied in.
	b.quads = slices.DeleteFunc(b.quads, func(q graph.Quad) bool {
		if q.S == agent && q.P == foafName && q.O != name {
			delete(b.seen, q)
			return true
		}
		return false
	})
	b.add(agent, rdfType, graph.IRI(nsFOAF+"Agent"))
	b.add(agent, foafName, name)
}

// sharedLicense returns the licence all the distributions share, or the
// zero Term.
func (s *Service) sharedLicense(ctx context.Context, a *access, dists []graph.Term) (graph.Term, error) {
	var lic graph.Term
	for _, dist := range dists {
		var own []graph.Term
		for q, err := range a.snap.Quads(ctx, graph.Pattern{S: dist, P: dctLicense}) {
			if err != nil {
				return graph.Term{}, err
			}
			if q.O.IsIRI() && !slices.Contains(own, q.O) {
				own = append(own, q.O)
			}
		}
		if len(own) != 1 || (!lic.IsZero() && lic != own[0]) {
			return graph.Term{}, nil
		}
		lic = own[0]
	}
	return lic, nil
}

// catalogs returns the IRIs of the dcat:Catalog resources of the store,
// sorted, outside the system graph.
func (s *Service) catalogs(ctx context.Context, a *access) ([]graph.Term, error) {
	seen := map[graph.Term]bool{}
	var out []graph.Term
	sys := graph.IRI(s.opts.SystemGraph)
	for q, err := range a.snap.Quads(ctx, graph.Pattern{P: rdfType, O: dcatCatalog}) {
		if err != nil {
			return nil, err
		}
		if q.G == sys || !q.S.IsIRI() || seen[q.S] {
			continue
		}
		seen[q.S] = true
		out = append(out, q.S)
	}
	slices.SortFunc(out, graph.Compare)
	return out, nil
}

// rootView builds the FAIR Data Point's own metadata: a fdp:FAIRDataPoint
// (also fdp:MetadataService, dcat:DataService, dcat:Resource and
// r3d:Repository, as the reference implementation and the spec type it)
// listing every catalogue with fdp:metadataCatalog and an LDP container.
func (s *Service) rootView(ctx context.Context, a *access) ([]graph.Quad, error) {
	var b builder
	r := s.root
	for _, t := range []graph.Term{fdpFAIRDataPoint, fdpMetadataService, dcatDataService, dcatResource, r3dRepository} {
		b.add(r, rdfType, t)
	}
	title := graph.LangLiteral(s.opts.Title, s.opts.Language)
	b.add(r, dctTitle, title)
	b.add(r, rdfsLabel, title)
	b.add(r, dctDescription, graph.LangLiteral(s.opts.Description, s.opts.Language))
	b.add(r, dctPublisher, graph.IRI(s.opts.Publisher))
	s.addAgent(&b, graph.IRI(s.opts.Publisher), graph.String(s.opts.PublisherName))
	b.add(r, dcatVersion, graph.String(s.opts.Version))
	b.add(r, dctHasVersion, graph.String(s.opts.Version))
	b.add(r, dctLanguage, graph.IRI("http://id.loc.gov/vocabulary/iso639-1/"+s.opts.Language))
	b.add(r, fdpUILanguage, graph.IRI("http://id.loc.gov/vocabulary/iso639-1/"+s.opts.Language))
	b.add(r, dctLicense, graph.IRI(s.opts.MetadataLicense))
	prof := s.profileIRI(levelRoot)
	b.add(r, dctConformsTo, prof)
	b.add(prof, rdfsLabel, graph.LangLiteral("FAIR Data Point profile", "en"))
	id := fragment(r, "identifier")
	b.add(r, fdpMetadataIdentifier, id)
	b.add(id, rdfType, datacite)
	b.add(id, dctIdentifier, graph.String(r.Value()))
	modified := s.start
	for q, err := range a.snap.Quads(ctx, graph.Pattern{P: tesseraLoadedAt, G: graph.IRI(s.opts.SystemGraph)}) {
		if err != nil {
			return nil, err
		}
		if tm, ok := parseTime(q.O); ok && tm.After(modified) {
			modified = tm
		}
	}
	b.add(r, fdpMetadataIssued, dateTime(s.start))
	b.add(r, fdpMetadataModified, dateTime(modified))
	b.add(r, fdpSoftwareVersion, graph.String("Tessera "+s.opts.Version))
	b.add(r, dcatEndpointURL, graph.IRI(s.opts.Base+"sparql"))
	cats, err := s.catalogs(ctx, a)
	if err != nil {
		return nil, err
	}
	s.addContainer(&b, r, fdpMetadataCatalog, "Catalogs", cats)
	if err := s.addLabels(ctx, a, &b, cats); err != nil {
		return nil, err
	}
	return b.quads, nil
}

// sortPredicates orders properties for output: rdf:type, the telling ones
// (predicateOrder), then by IRI.
func sortPredicates(preds []graph.Term) {
	rank := func(p graph.Term) int {
		if p == rdfType {
			return -1
		}
		if i := slices.Index(predicateOrder, p); i >= 0 {
			return i
		}
		return len(predicateOrder)
	}
	slices.SortFunc(preds, func(a, b graph.Term) int {
		if c := rank(a) - rank(b); c != 0 {
			return c
		}
		return graph.Compare(a, b)
	})
}
