package discovery

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/ontology"
)

// Dataset is what the index knows about one dcat:Dataset: catalogue-level
// metadata, read from the dataset's own named graph. Concept values are in
// their current namespace (canon) and sorted; unknown numbers are -1.
type Dataset struct {
	IRI, Graph graph.Term
	// Provider is the dct:publisher, Country the dct:spatial (first of
	// each, by term order); ProviderName the publisher's foaf:name in the
	// same graph.
	Provider, Country, ProviderName graph.Term
	Tiers, Conditions, Modalities   []graph.Term
	BodyParts, Sexes                []graph.Term
	// MinAge and MaxAge are minTypicalAge and maxTypicalAge.
	MinAge, MaxAge int
	// Subjects is numberOfUniqueIndividuals, Studies numberOfRecords.
	Subjects, Studies int64
	// Titles, Descriptions and Keywords are the literals in every language.
	Titles, Descriptions, Keywords []graph.Term

	// pos is the dataset's position in Index.datasets.
	pos int
}

// Title returns the dataset's title in lang, else in English, else any.
func (d *Dataset) Title(lang string) string {
	return pickLang(d.Titles, lang)
}

func pickLang(lits []graph.Term, lang string) string {
	for _, want := range []string{lang, "en", ""} {
		for _, l := range lits {
			if want == "" || (l.Lang() != "" && langMatches(l.Lang(), want)) {
				return l.Value()
			}
		}
	}
	return ""
}

// part is the index of one named graph: its datasets and its records.
// Parts are immutable; Refresh replaces the part of a changed graph.
type part struct {
	graph    graph.Term
	datasets []*Dataset // sorted by IRI
	texts    []*docText // the searchable text, parallel to datasets
	rec      records
}

// records is the columnar record index of one graph: patients grouped by
// dataset (patients of datasets[i] are patOff[i]:patOff[i+1]), studies
// grouped by patient (studies of patient p are stOff[p]:stOff[p+1]).
// Concept and string values are ids into dict; -1 is "none".
type records struct {
	dict   []graph.Term
	patOff []int32
	pSex   []int32
	pDiag  []int32
	pAge   []int16 // -1 unknown
	stOff  []int32
	sMod   []int32
	sBody  []int32
	sManuf []int32
	sYear  []int16 // 0 unknown
}

// Options configure an Index. The zero value is ready to use.
type Options struct {
	// Weights are the search field weights; zero means DefaultWeights.
	Weights Weights
	// Obfuscation is the rule for small counts in Cohort.
	Obfuscation Obfuscation
	// MaxFirst caps the page size of Search (default 100).
	MaxFirst int
	// MaxQueryBytes caps the search text (default 1024 bytes).
	MaxQueryBytes int
	// MaxQueryWords caps the words of a search text (default 32).
	MaxQueryWords int
}

func (o Options) withDefaults() Options {
	if o.Weights == (Weights{}) {
		o.Weights = DefaultWeights
	}
	if o.MaxFirst <= 0 {
		o.MaxFirst = 100
	}
	if o.MaxQueryBytes <= 0 {
		o.MaxQueryBytes = 1024
	}
	if o.MaxQueryWords <= 0 {
		o.MaxQueryWords = 32
	}
	o.Obfuscation = o.Obfuscation.withDefaults()
	return o
}

// Index is an immutable snapshot of the discovery index: datasets, their
// text index and the record-level columns of every named graph, with the
// ontology and the access policy it was built with. It is safe for
// concurrent use.
//
// Consistency: an Index reflects the store snapshot it was built from; a
// write becomes visible to search, facets and cohort counts once the index
// has been refreshed for the written graph (Source does so shortly after
// each write, debounced).
type Index struct {
	opts     Options
	ont      *ontology.Ontology
	pol      *access.Policy
	parts    map[graph.Term]*part
	datasets []*Dataset // all, sorted by IRI
	byIRI    map[graph.Term]*Dataset
	text     *textIndex
	tree     *conceptTree
	concepts *conceptInfo
}

// Empty returns an index with no datasets.
func Empty(ont *ontology.Ontology, pol *access.Policy, opts Options) *Index {
	return assemble(opts.withDefaults(), ont, pol, map[graph.Term]*part{})
}

// Build reads every named graph of r and builds the index. ont gives the
// concept hierarchy, equivalences and labels (nil: none), pol the access
// levels (nil: everything controlled).
func Build(ctx context.Context, r graph.Reader, ont *ontology.Ontology, pol *access.Policy, opts Options) (*Index, error) {
	opts = opts.withDefaults()
	if ont == nil {
		ont = emptyOntology()
	}
	graphs, err := datasetGraphs(ctx, r)
	if err != nil {
		return nil, err
	}
	parts := map[graph.Term]*part{}
	ci := newConceptInfo(ont)
	for _, g := range graphs {
		p, err := buildPart(ctx, r, g, ont, ci)
		if err != nil {
			return nil, err
		}
		if p != nil {
			parts[g] = p
		}
	}
	return assemble(opts, ont, pol, parts), nil
}

// Refresh returns a new index in which the part of graph changed is rebuilt
// from r and every other graph's part is shared with ix (copy-on-write by
// graph). The zero Term rebuilds everything. The ontology and policy stay
// those of ix; use Build when the ontology changed and WithPolicy when the
// policy did.
func (ix *Index) Refresh(ctx context.Context, r graph.Reader, changed graph.Term) (*Index, error) {
	if changed.IsZero() {
		return Build(ctx, r, ix.ont, ix.pol, ix.opts)
	}
	parts := maps.Clone(ix.parts)
	delete(parts, changed)
	if changed.IsIRI() || changed.IsBlank() {
		p, err := buildPart(ctx, r, changed, ix.ont, ix.concepts)
		if err != nil {
			return nil, err
		}
		if p != nil {
			parts[changed] = p
		}
	}
	return assemble(ix.opts, ix.ont, ix.pol, parts), nil
}

// WithPolicy returns ix with another access policy (levels are looked up
// at query time, so nothing is rebuilt).
func (ix *Index) WithPolicy(pol *access.Policy) *Index {
	c := *ix
	c.pol = pol
	return &c
}

// Ontology returns the ontology the index was built with.
func (ix *Index) Ontology() *ontology.Ontology { return ix.ont }

// Policy returns the access policy of the index.
func (ix *Index) Policy() *access.Policy { return ix.pol }

// Datasets returns every dataset, sorted by IRI.
func (ix *Index) Datasets() []*Dataset { return slices.Clone(ix.datasets) }

// Dataset returns the dataset with the given IRI, or nil.
func (ix *Index) Dataset(iri graph.Term) *Dataset { return ix.byIRI[iri] }

// Level returns the access level of the graph d was read from.
func (ix *Index) Level(d *Dataset) access.Level { return ix.pol.Level(d.Graph) }

// Stats counts what the index holds.
type Stats struct {
	Graphs, Datasets, Patients, Studies, Terms int
}

// Stats counts the index's graphs, datasets, patients, studies and
// vocabulary terms.
func (ix *Index) Stats() Stats {
	s := Stats{Graphs: len(ix.parts), Datasets: len(ix.datasets), Terms: len(ix.text.terms)}
	for _, p := range ix.parts {
		s.Patients += len(p.rec.pSex)
		s.Studies += len(p.rec.sMod)
	}
	return s
}

// assemble derives the cross-graph structures from the parts.
func assemble(opts Options, ont *ontology.Ontology, pol *access.Policy, parts map[graph.Term]*part) *Index {
	if ont == nil {
		ont = emptyOntology()
	}
	ix := &Index{opts: opts, ont: ont, pol: pol, parts: parts, byIRI: map[graph.Term]*Dataset{}}
	var texts []*docText
	for _, g := range slices.SortedFunc(maps.Keys(parts), graph.Compare) {
		p := parts[g]
		for i, d := range p.datasets {
			if _, dup := ix.byIRI[d.IRI]; dup {
				continue // the same dataset described in two graphs: the first graph wins
			}
			ix.byIRI[d.IRI] = d
			ix.datasets = append(ix.datasets, d)
			texts = append(texts, p.texts[i])
		}
	}
	// Sort by IRI, keeping texts parallel.
	order := make([]int, len(ix.datasets))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return graph.Compare(ix.datasets[a].IRI, ix.datasets[b].IRI) })
	ds := make([]*Dataset, len(order))
	ts := make([]*docText, len(order))
	for i, o := range order {
		ds[i], ts[i] = ix.datasets[o], texts[o]
	}
	ix.datasets = ds
	// Dataset values are shared between index versions: pos is rewritten
	// on a private copy.
	for i, d := range ix.datasets {
		if d.pos != i {
			c := *d
			c.pos = i
			ix.datasets[i] = &c
			ix.byIRI[c.IRI] = &c
		}
	}
	ix.text = buildTextIndex(ts, opts.Weights)
	ix.concepts = newConceptInfo(ont)
	ix.tree = buildConceptTree(ix)
	return ix
}

// datasetGraphs lists the named graphs holding a dcat:Dataset.
func datasetGraphs(ctx context.Context, r graph.Reader) ([]graph.Term, error) {
	seen := map[graph.Term]bool{}
	for q, err := range r.Quads(ctx, graph.Pattern{P: termType, O: termDataset}) {
		if err != nil {
			return nil, fmt.Errorf("discovery: list datasets: %w", err)
		}
		if !q.G.IsDefaultGraph() && !q.G.IsZero() {
			seen[q.G] = true
		}
	}
	return slices.SortedFunc(maps.Keys(seen), graph.Compare), nil
}

// subject gathers, in one scan of a graph, what the index needs of one
// subject: its types, its record-level values (the smallest by term order
// when a property has several, so the index does not depend on scan order)
// and the quads of its dataset-level properties.
type subject struct {
	patient, study, dataset bool
	partOf                  []graph.Term
	sex, diag               graph.Term
	subject, mod, body      graph.Term
	manuf                   graph.Term
	age                     int16 // -1 unknown
	year                    int16 // 0 unknown
	props                   []graph.Quad
	name                    graph.Term // foaf:name
}

func minTerm(dst *graph.Term, t graph.Term) {
	if dst.IsZero() || graph.Compare(t, *dst) < 0 {
		*dst = t
	}
}

// scanGraph reads every quad of graph g once (one range scan in any
// store, where a scan per predicate costs a full scan in some) and groups
// them by subject.
func scanGraph(ctx context.Context, r graph.Reader, g graph.Term) (map[graph.Term]*subject, error) {
	subs := map[graph.Term]*subject{}
	get := func(t graph.Term) *subject {
		x, ok := subs[t]
		if !ok {
			x = &subject{age: -1}
			subs[t] = x
		}
		return x
	}
	n := 0
	for q, err := range r.Quads(ctx, graph.Pattern{G: g}) {
		if err != nil {
			return nil, fmt.Errorf("discovery: read graph %s: %w", g.Value(), err)
		}
		if n++; n&4095 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("discovery: read graph %s: %w", g.Value(), ctx.Err())
		}
		switch q.P {
		case termType:
			switch q.O {
			case termPatient:
				get(q.S).patient = true
			case termStudy:
				get(q.S).study = true
			case termDataset:
				get(q.S).dataset = true
			}
		case termIsPartOf:
			x := get(q.S)
			x.partOf = append(x.partOf, q.O)
		case termSex:
			minTerm(&get(q.S).sex, canon(q.O))
		case termDiagnosis:
			minTerm(&get(q.S).diag, canon(q.O))
		case termAge:
			if v := literalInt(q.O, -1); v >= 0 && v < 200 {
				x := get(q.S)
				if x.age < 0 || int16(v) < x.age {
					x.age = int16(v)
				}
			}
		case termSubject:
			minTerm(&get(q.S).subject, q.O)
		case termModality:
			minTerm(&get(q.S).mod, canon(q.O))
		case termBodyPart:
			minTerm(&get(q.S).body, q.O)
		case termManufacture:
			if q.O.IsLiteral() {
				minTerm(&get(q.S).manuf, graph.String(q.O.Value()))
			}
		case termStudyDate:
			if y := literalYear(q.O); y > 0 {
				x := get(q.S)
				if x.year == 0 || y < x.year {
					x.year = y
				}
			}
		case termFoafName:
			minTerm(&get(q.S).name, q.O)
		default:
			if datasetProps[q.P.Value()] != propNone {
				x := get(q.S)
				x.props = append(x.props, q)
			}
		}
	}
	return subs, nil
}

// buildPart reads the datasets and records of graph g; nil when g holds
// no dataset.
func buildPart(ctx context.Context, r graph.Reader, g graph.Term, ont *ontology.Ontology, ci *conceptInfo) (*part, error) {
	subs, err := scanGraph(ctx, r, g)
	if err != nil {
		return nil, err
	}
	p := &part{graph: g}
	for t, x := range subs {
		if x.dataset && (t.IsIRI() || t.IsBlank()) {
			p.datasets = append(p.datasets, &Dataset{IRI: t, Graph: g})
		}
	}
	if len(p.datasets) == 0 {
		return nil, nil
	}
	slices.SortFunc(p.datasets, func(a, b *Dataset) int { return graph.Compare(a.IRI, b.IRI) })
	for _, d := range p.datasets {
		fillDataset(d, subs[d.IRI].props)
		if pub, ok := subs[d.Provider]; ok && !d.Provider.IsZero() {
			d.ProviderName = pub.name
		}
		p.texts = append(p.texts, datasetText(d, ci))
	}
	readRecords(p, subs, ont)
	return p, nil
}

// fillDataset fills d from its dataset-level statements.
func fillDataset(d *Dataset, props []graph.Quad) {
	d.MinAge, d.MaxAge, d.Subjects, d.Studies = -1, -1, -1, -1
	for _, q := range props {
		o := q.O
		switch datasetProps[q.P.Value()] {
		case propTitle:
			d.Titles = appendLiteral(d.Titles, o)
		case propDescription:
			d.Descriptions = appendLiteral(d.Descriptions, o)
		case propKeyword:
			d.Keywords = appendLiteral(d.Keywords, o)
		case propPublisher:
			minTerm(&d.Provider, o)
		case propSpatial:
			minTerm(&d.Country, o)
		case propTier:
			d.Tiers = append(d.Tiers, canon(o))
		case propCondition:
			d.Conditions = append(d.Conditions, canon(o))
		case propModality:
			d.Modalities = append(d.Modalities, canon(o))
		case propBodyPart:
			d.BodyParts = append(d.BodyParts, canon(o))
		case propSex:
			d.Sexes = append(d.Sexes, canon(o))
		case propSubjects:
			d.Subjects = literalInt(o, d.Subjects)
		case propStudies:
			d.Studies = literalInt(o, d.Studies)
		case propMinAge:
			d.MinAge = int(literalInt(o, int64(d.MinAge)))
		case propMaxAge:
			d.MaxAge = int(literalInt(o, int64(d.MaxAge)))
		}
	}
	for _, s := range []*[]graph.Term{&d.Tiers, &d.Conditions, &d.Modalities, &d.BodyParts, &d.Sexes, &d.Titles, &d.Descriptions, &d.Keywords} {
		slices.SortFunc(*s, graph.Compare)
		*s = slices.Compact(*s)
	}
}

func appendLiteral(dst []graph.Term, o graph.Term) []graph.Term {
	if o.IsLiteral() {
		return append(dst, o)
	}
	return dst
}

// literalInt parses an integer literal; def when o is not one.
func literalInt(o graph.Term, def int64) int64 {
	if !o.IsLiteral() {
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(o.Value()), 10, 64)
	if err != nil || n < 0 {
		return def
	}
	return n
}

// datasetText collects the searchable text of d.
func datasetText(d *Dataset, ci *conceptInfo) *docText {
	t := &docText{}
	add := func(f field, lits []graph.Term) {
		for _, l := range lits {
			t.values[f] = append(t.values[f], newTextValue(l.Value(), l.Lang()))
		}
	}
	add(fieldTitle, d.Titles)
	add(fieldKeyword, d.Keywords)
	add(fieldDescription, d.Descriptions)
	seen := [numFields]map[string]bool{{}, {}, {}, {}, {}}
	for _, group := range [][]graph.Term{d.Conditions, d.Modalities, d.BodyParts} {
		for _, c := range group {
			own, broader := ci.searchLabels(c)
			for _, l := range own {
				if !seen[fieldConcept][l.Value()+"@"+l.Lang()] {
					seen[fieldConcept][l.Value()+"@"+l.Lang()] = true
					add(fieldConcept, []graph.Term{l})
				}
			}
			for _, l := range broader {
				if !seen[fieldBroader][l.Value()+"@"+l.Lang()] {
					seen[fieldBroader][l.Value()+"@"+l.Lang()] = true
					add(fieldBroader, []graph.Term{l})
				}
			}
		}
	}
	return t
}

// readRecords builds p's columnar record index from the scanned subjects:
// patients (typed cdm:Patient, dct:isPartOf a dataset of the same graph)
// and their studies (typed cdm:ImagingStudy, cdm:subject such a patient).
func readRecords(p *part, subs map[graph.Term]*subject, ont *ontology.Ontology) {
	rec := &p.rec
	dict := map[graph.Term]int32{}
	id := func(t graph.Term) int32 {
		if t.IsZero() {
			return -1
		}
		if i, ok := dict[t]; ok {
			return i
		}
		i := int32(len(rec.dict))
		dict[t] = i
		rec.dict = append(rec.dict, t)
		return i
	}
	dsPos := map[graph.Term]int32{}
	for i, d := range p.datasets {
		dsPos[d.IRI] = int32(i)
	}
	type patient struct {
		iri graph.Term
		ds  int32
		x   *subject
	}
	var pats []patient
	for t, x := range subs {
		if !x.patient {
			continue
		}
		// A patient belongs to the first dataset of its graph it is part of.
		ds := int32(-1)
		for _, d := range x.partOf {
			if i, ok := dsPos[d]; ok && (ds < 0 || i < ds) {
				ds = i
			}
		}
		if ds >= 0 {
			pats = append(pats, patient{t, ds, x})
		}
	}
	rec.patOff = make([]int32, len(p.datasets)+1)
	if len(pats) == 0 {
		rec.stOff = []int32{0}
		return
	}
	slices.SortFunc(pats, func(a, b patient) int { return cmp.Or(cmp.Compare(a.ds, b.ds), graph.Compare(a.iri, b.iri)) })
	patIdx := make(map[graph.Term]int32, len(pats))
	for i, pt := range pats {
		patIdx[pt.iri] = int32(i)
	}
	type study struct {
		iri graph.Term
		pat int32
		x   *subject
	}
	var studies []study
	for t, x := range subs {
		if !x.study {
			continue
		}
		if i, ok := patIdx[x.subject]; ok {
			studies = append(studies, study{t, i, x})
		}
	}
	slices.SortFunc(studies, func(a, b study) int { return cmp.Or(cmp.Compare(a.pat, b.pat), graph.Compare(a.iri, b.iri)) })
	n := len(pats)
	rec.pSex, rec.pDiag, rec.pAge = make([]int32, n), make([]int32, n), make([]int16, n)
	rec.stOff = make([]int32, n+1)
	for i, pt := range pats {
		rec.patOff[pt.ds+1]++
		rec.pSex[i], rec.pDiag[i], rec.pAge[i] = id(pt.x.sex), id(pt.x.diag), pt.x.age
	}
	for i := 1; i < len(rec.patOff); i++ {
		rec.patOff[i] += rec.patOff[i-1]
	}
	m := len(studies)
	rec.sMod, rec.sBody, rec.sManuf, rec.sYear = make([]int32, m), make([]int32, m), make([]int32, m), make([]int16, m)
	bodyTerm := map[graph.Term]graph.Term{}
	for i, st := range studies {
		rec.stOff[st.pat+1]++
		body := st.x.body
		if !body.IsZero() {
			t, ok := bodyTerm[body]
			if !ok {
				t = bodyPartTerm(ont, body)
				bodyTerm[body] = t
			}
			body = t
		}
		rec.sMod[i], rec.sBody[i], rec.sManuf[i], rec.sYear[i] = id(st.x.mod), id(body), id(st.x.manuf), st.x.year
	}
	for i := 1; i < len(rec.stOff); i++ {
		rec.stOff[i] += rec.stOff[i-1]
	}
}

// bodyPartTerm reads a study's body part: an IRI as is, a DICOM Body Part
// Examined literal ("CHEST") as the bundled vocabulary's term for it when
// the ontology knows it (so that SNOMED CT filters match it through
// skos:exactMatch), else the literal.
func bodyPartTerm(ont *ontology.Ontology, o graph.Term) graph.Term {
	if !o.IsLiteral() {
		return canon(o)
	}
	t := graph.IRI(bodyPartBase + strings.ToUpper(strings.TrimSpace(o.Value())))
	if len(ont.Labels(t, ontology.Notation)) > 0 || len(ont.Labels(t, ontology.PrefLabel)) > 0 {
		return t
	}
	return graph.String(o.Value())
}

// literalYear returns the year of an xsd:date, xsd:dateTime or xsd:gYear
// literal ("2014-03-02"), 0 when it has none.
func literalYear(o graph.Term) int16 {
	if !o.IsLiteral() {
		return 0
	}
	v := strings.TrimSpace(o.Value())
	if len(v) < 4 {
		return 0
	}
	y, err := strconv.Atoi(v[:4])
	if err != nil || y <= 0 || y > 9999 {
		return 0
	}
	return int16(y)
}
