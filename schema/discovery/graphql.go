package discovery

import (
	"context"
	"fmt"
	"strings"

	"github.com/graphql-go/graphql"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
	iriref "github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/ontology"
	"github.com/tessera-fair/tessera/schema/resource"
)

// Holder gives the current index; *Source is one, Static another.
type Holder interface {
	Current() *Index
}

// Static is a Holder of one fixed index (tests, tools).
type Static struct{ Index *Index }

// Current returns the index.
func (s Static) Current() *Index { return s.Index }

// Fields returns the four root query fields of the discovery API —
// search, facets, cohort and concepts — exactly as in
// testdata/discovery.graphql, for package schema to add to its Query type.
// dataset is the generated object type of dcat:Dataset: the fields resolve
// to resource.Node values (the dataset's IRI and graph) of that type.
// Resolvers read the caller from the request context (access.CallerFrom)
// and honour its cancellation. Call Fields once per schema: the types it
// creates have fixed names. A nil dataset (a model without dcat:Dataset)
// gets a minimal Dataset type with id and graph.
func Fields(h Holder, dataset graphql.Output) graphql.Fields {
	if dataset == nil {
		dataset = fallbackDataset()
	}
	t := newTypes(dataset)
	return graphql.Fields{
		"search": &graphql.Field{
			Type:        graphql.NewNonNull(t.searchConnection),
			Description: "Ranked free-text search over dataset titles, descriptions, keywords and the labels (all languages) of their concepts. Empty text lists all datasets matching the filters.",
			Args: graphql.FieldConfigArgument{
				"text":    {Type: graphql.String},
				"filters": {Type: t.datasetFilter},
				"orderBy": {Type: t.searchOrder, DefaultValue: Relevance},
				"first":   {Type: graphql.Int, DefaultValue: 20},
				"after":   {Type: graphql.String},
				"lang":    {Type: graphql.String},
			},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				ix := h.Current()
				f, err := filtersArg(p.Args["filters"])
				if err != nil {
					return nil, err
				}
				order, _ := p.Args["orderBy"].(Order)
				first, _ := p.Args["first"].(int)
				if first <= 0 {
					return nil, fmt.Errorf("%w: first must be positive", ErrLimit)
				}
				res, err := ix.Search(p.Context, str(p.Args["text"]), f, order, Page{First: first, After: str(p.Args["after"])}, str(p.Args["lang"]))
				if err != nil {
					return nil, err
				}
				edges := make([]any, 0, len(res.Hits))
				for _, hit := range res.Hits {
					edges = append(edges, map[string]any{
						"cursor":     hit.Cursor,
						"score":      hit.Score,
						"node":       resource.Node{Term: hit.Dataset.IRI, Graph: hit.Dataset.Graph},
						"highlights": hit.Highlights,
					})
				}
				info := resource.Page{HasNextPage: res.HasNextPage, HasPreviousPage: res.HasPreviousPage}
				if len(res.Hits) > 0 {
					info.StartCursor, info.EndCursor = &res.Hits[0].Cursor, &res.Hits[len(res.Hits)-1].Cursor
				}
				return map[string]any{"totalCount": res.Total, "edges": edges, "pageInfo": info}, nil
			},
		},
		"facets": &graphql.Field{
			Type:        graphql.NewNonNull(t.facets),
			Description: "Counts of matching datasets per facet value.",
			Args: graphql.FieldConfigArgument{
				"text":    {Type: graphql.String},
				"filters": {Type: t.datasetFilter},
				"lang":    {Type: graphql.String},
			},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				f, err := filtersArg(p.Args["filters"])
				if err != nil {
					return nil, err
				}
				fa, err := h.Current().Facets(p.Context, str(p.Args["text"]), f, str(p.Args["lang"]))
				if err != nil {
					return nil, err
				}
				return map[string]any{
					"cancerType": facetValues(fa.CancerType), "modality": facetValues(fa.Modality),
					"bodyPart": facetValues(fa.BodyPart), "sex": facetValues(fa.Sex),
					"country": facetValues(fa.Country), "provider": facetValues(fa.Provider),
					"accessLevel": facetValues(fa.AccessLevel), "tier": facetValues(fa.Tier),
					"ageRange": facetValues(fa.AgeRange), "totalCount": fa.Total,
				}, nil
			},
		},
		"cohort": &graphql.Field{
			Type:        graphql.NewNonNull(t.cohortResult),
			Description: "Per-dataset counts of subjects and studies matching patient- and study-level criteria, obfuscated per access level.",
			Args: graphql.FieldConfigArgument{
				"criteria": {Type: graphql.NewNonNull(t.cohortCriteria)},
				"filters":  {Type: t.datasetFilter},
			},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				f, err := filtersArg(p.Args["filters"])
				if err != nil {
					return nil, err
				}
				c, err := criteriaArg(p.Args["criteria"])
				if err != nil {
					return nil, err
				}
				res, err := h.Current().Cohort(p.Context, c, f, access.CallerFrom(p.Context).Registered)
				if err != nil {
					return nil, err
				}
				ds := make([]any, 0, len(res.Datasets))
				for _, cc := range res.Datasets {
					m := map[string]any{
						"dataset":      resource.Node{Term: cc.Dataset.IRI, Graph: cc.Dataset.Graph},
						"accessLevel":  cc.Level,
						"subjects":     countValue(cc.Subjects),
						"studies":      countValue(cc.Studies),
						"ageHistogram": buckets(cc.Age),
						"sex":          buckets(cc.Sex),
						"modality":     buckets(cc.Modality),
						"bodyPart":     buckets(cc.BodyPart),
					}
					if !cc.Dataset.Provider.IsZero() {
						m["provider"] = cc.Dataset.Provider.Value()
					}
					ds = append(ds, m)
				}
				return map[string]any{"datasets": ds, "subjects": countValue(res.Subjects), "studies": countValue(res.Studies), "policy": res.Policy}, nil
			},
		},
		"concepts": &graphql.Field{
			Type:        graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(t.conceptMatch))),
			Description: "Autocomplete on concept labels and synonyms in every language (prefix and fuzzy), ranked.",
			Args: graphql.FieldConfigArgument{
				"text":   {Type: graphql.NewNonNull(graphql.String)},
				"scheme": {Type: t.conceptScheme},
				"lang":   {Type: graphql.String},
				"first":  {Type: graphql.Int, DefaultValue: 10},
			},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				first, _ := p.Args["first"].(int)
				scheme, _ := p.Args["scheme"].(Scheme)
				ms, err := h.Current().Concepts(p.Context, str(p.Args["text"]), scheme, str(p.Args["lang"]), first)
				if err != nil {
					return nil, err
				}
				out := make([]any, 0, len(ms))
				for _, m := range ms {
					v := map[string]any{"id": m.ID.Value(), "label": m.Label, "matched": m.Matched, "kind": m.Kind, "score": m.Score}
					if m.Lang != "" {
						v["lang"] = m.Lang
					}
					if m.Scheme != 0 {
						v["scheme"] = m.Scheme
					}
					out = append(out, v)
				}
				return out, nil
			},
		},
	}
}

// fallbackDataset is the Dataset type used when the generated schema has
// none.
func fallbackDataset() *graphql.Object {
	node := func(p graphql.ResolveParams) resource.Node { n, _ := p.Source.(resource.Node); return n }
	return graphql.NewObject(graphql.ObjectConfig{Name: "Dataset", Description: "A dcat:Dataset.", Fields: graphql.Fields{
		"id": {Type: graphql.NewNonNull(graphql.ID), Resolve: func(p graphql.ResolveParams) (any, error) { return node(p).Term.Value(), nil }},
		"graph": {Type: graphql.ID, Description: "The named graph the dataset is described in.", Resolve: func(p graphql.ResolveParams) (any, error) {
			return node(p).Graph.Value(), nil
		}},
	}})
}

func str(v any) string { s, _ := v.(string); return s }

// types are the GraphQL types of the discovery API.
type types struct {
	accessLevel, searchOrder, conceptScheme              *graphql.Enum
	datasetFilter, cohortCriteria                        *graphql.InputObject
	searchConnection, facets, cohortResult, conceptMatch *graphql.Object
}

func newTypes(dataset graphql.Output) *types {
	t := &types{}
	t.accessLevel = graphql.NewEnum(graphql.EnumConfig{Name: "AccessLevel", Values: graphql.EnumValueConfigMap{
		"PUBLIC":     {Value: access.Public, Description: "Anyone sees the records."},
		"REGISTERED": {Value: access.Registered, Description: "Signed-in users see the records."},
		"CONTROLLED": {Value: access.Controlled, Description: "Only obfuscated counts leave the provider."},
	}})
	t.searchOrder = graphql.NewEnum(graphql.EnumConfig{Name: "SearchOrder", Values: graphql.EnumValueConfigMap{
		"RELEVANCE": {Value: Relevance}, "TITLE": {Value: Title}, "SUBJECTS": {Value: Subjects}, "STUDIES": {Value: Studies},
	}})
	t.conceptScheme = graphql.NewEnum(graphql.EnumConfig{Name: "ConceptScheme", Values: graphql.EnumValueConfigMap{
		"CANCER_TYPE": {Value: SchemeCancerType}, "MODALITY": {Value: SchemeModality}, "BODY_PART": {Value: SchemeBodyPart}, "SEX": {Value: SchemeSex},
	}})
	ids := graphql.NewList(graphql.NewNonNull(graphql.ID))
	t.datasetFilter = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        "DatasetFilter",
		Description: "Filters on datasets, shared by search, facets and cohort. Concept values are IRIs; lists are OR within a facet, AND across facets.",
		Fields: graphql.InputObjectConfigFieldMap{
			"cancerTypes":        {Type: ids, Description: "cancer-type concepts (NCIt/OncoTree/EUCAIM IRIs)"},
			"includeDescendants": {Type: graphql.Boolean, DefaultValue: true, Description: "concept filters also match descendants and equivalents"},
			"modalities":         {Type: ids, Description: "DICOM modality concept IRIs"},
			"bodyParts":          {Type: ids},
			"sexes":              {Type: ids},
			"countries":          {Type: ids, Description: "EU authority country IRIs"},
			"providers":          {Type: ids, Description: "provider (publisher organisation) IRIs"},
			"accessLevels":       {Type: graphql.NewList(graphql.NewNonNull(t.accessLevel))},
			"tiers":              {Type: ids},
			"minAge":             {Type: graphql.Int, Description: "datasets whose [minTypicalAge,maxTypicalAge] overlaps [minAge,maxAge]"},
			"maxAge":             {Type: graphql.Int},
		},
	})
	t.cohortCriteria = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        "CohortCriteria",
		Description: "Patient-level criteria (sex, age at diagnosis, diagnosis) and study-level criteria (modality, body part, manufacturer, study year). A subject counts when it matches the patient criteria and has at least one study matching the study criteria (when any are given); studies counts the matching studies of matching subjects.",
		Fields: graphql.InputObjectConfigFieldMap{
			"sexes":              {Type: ids},
			"minAgeAtDiagnosis":  {Type: graphql.Int},
			"maxAgeAtDiagnosis":  {Type: graphql.Int},
			"diagnoses":          {Type: ids},
			"includeDescendants": {Type: graphql.Boolean, DefaultValue: true},
			"modalities":         {Type: ids},
			"bodyParts":          {Type: ids},
			"manufacturers":      {Type: graphql.NewList(graphql.NewNonNull(graphql.String))},
			"yearFrom":           {Type: graphql.Int},
			"yearTo":             {Type: graphql.Int},
		},
	})
	nn := graphql.NewNonNull
	list := func(o graphql.Type) graphql.Output { return nn(graphql.NewList(nn(o))) }
	// PageInfo is shared with the generated connections: a schema holds
	// one type per name.
	pageInfo := resource.PageInfo
	edge := graphql.NewObject(graphql.ObjectConfig{Name: "SearchEdge", Fields: graphql.Fields{
		"cursor":     {Type: nn(graphql.String)},
		"score":      {Type: nn(graphql.Float)},
		"node":       {Type: nn(dataset)},
		"highlights": {Type: list(graphql.String), Description: "Matching titles, keywords, concept labels and description snippets: matched words in <em></em>, the rest HTML-escaped."},
	}})
	t.searchConnection = graphql.NewObject(graphql.ObjectConfig{Name: "SearchConnection", Fields: graphql.Fields{
		"totalCount": {Type: nn(graphql.Int)},
		"edges":      {Type: list(edge)},
		"pageInfo":   {Type: nn(pageInfo)},
	}})
	var facetValue *graphql.Object
	facetValue = graphql.NewObject(graphql.ObjectConfig{Name: "FacetValue", Fields: graphql.FieldsThunk(func() graphql.Fields {
		return graphql.Fields{
			"value":    {Type: nn(graphql.ID)},
			"label":    {Type: nn(graphql.String)},
			"count":    {Type: nn(graphql.Int)},
			"children": {Type: list(facetValue)},
		}
	})})
	ff := graphql.Fields{"totalCount": {Type: nn(graphql.Int), Description: "matching datasets"}}
	for _, name := range []string{"cancerType", "modality", "bodyPart", "sex", "country", "provider", "accessLevel", "tier", "ageRange"} {
		ff[name] = &graphql.Field{Type: list(facetValue)}
	}
	ff["cancerType"].Description = "hierarchical: roots with children (counts include descendants)"
	ff["ageRange"].Description = `buckets of 10 years (value "40-49"), datasets whose age range overlaps`
	t.facets = graphql.NewObject(graphql.ObjectConfig{Name: "Facets", Fields: ff,
		Description: "Dataset counts per facet value. A facet's counts apply every filter but its own (disjunctive faceting)."})
	count := graphql.NewObject(graphql.ObjectConfig{Name: "Count",
		Description: "An obfuscated count: exact only where policy allows (never below the threshold for a controlled graph).",
		Fields: graphql.Fields{
			"value":      {Type: graphql.Int},
			"display":    {Type: nn(graphql.String)},
			"exact":      {Type: nn(graphql.Boolean)},
			"suppressed": {Type: nn(graphql.Boolean)},
		}})
	bucket := graphql.NewObject(graphql.ObjectConfig{Name: "Bucket", Fields: graphql.Fields{
		"value": {Type: nn(graphql.ID)},
		"label": {Type: nn(graphql.String)},
		"count": {Type: nn(count)},
	}})
	cohortCount := graphql.NewObject(graphql.ObjectConfig{Name: "CohortCount", Fields: graphql.Fields{
		"dataset":      {Type: nn(dataset)},
		"provider":     {Type: graphql.ID},
		"accessLevel":  {Type: nn(t.accessLevel)},
		"subjects":     {Type: nn(count)},
		"studies":      {Type: nn(count)},
		"ageHistogram": {Type: list(bucket), Description: "of matching subjects' age at diagnosis, 10-year buckets"},
		"sex":          {Type: list(bucket)},
		"modality":     {Type: list(bucket), Description: "of matching studies"},
		"bodyPart":     {Type: list(bucket)},
	}})
	t.cohortResult = graphql.NewObject(graphql.ObjectConfig{Name: "CohortResult", Fields: graphql.Fields{
		"datasets": {Type: list(cohortCount), Description: "datasets with a non-zero (or suppressed) count, ordered by subjects desc then id"},
		"subjects": {Type: nn(count), Description: "totals (sum of the reported, obfuscated counts)"},
		"studies":  {Type: nn(count)},
		"policy":   {Type: nn(graphql.String), Description: "human-readable obfuscation rule applied"},
	}})
	t.conceptMatch = graphql.NewObject(graphql.ObjectConfig{Name: "ConceptMatch", Fields: graphql.Fields{
		"id":      {Type: nn(graphql.ID)},
		"label":   {Type: nn(graphql.String)},
		"lang":    {Type: graphql.String},
		"matched": {Type: nn(graphql.String)},
		"kind":    {Type: nn(graphql.String)},
		"score":   {Type: nn(graphql.Float)},
		"scheme":  {Type: t.conceptScheme},
	}})
	return t
}

func facetValues(vs []FacetValue) []any {
	out := make([]any, 0, len(vs))
	for _, v := range vs {
		out = append(out, map[string]any{"value": v.Value, "label": v.Label, "count": v.Count, "children": facetValues(v.Children)})
	}
	return out
}

func countValue(c Count) map[string]any {
	m := map[string]any{"display": c.Display, "exact": c.Exact, "suppressed": c.Suppressed}
	if !c.Suppressed {
		m["value"] = c.Value
	}
	return m
}

func buckets(bs []Bucket) []any {
	out := make([]any, 0, len(bs))
	for _, b := range bs {
		out = append(out, map[string]any{"value": b.Value, "label": b.Label, "count": countValue(b.Count)})
	}
	return out
}

// termList reads a list of IRIs argument.
func termList(v any, name string) ([]graph.Term, error) {
	if v == nil {
		return nil, nil
	}
	vs, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("discovery: %s: want a list of IRIs", name)
	}
	out := make([]graph.Term, 0, len(vs))
	for _, x := range vs {
		s, ok := x.(string)
		if !ok || !iriref.IsAbsolute(s) || strings.ContainsAny(s, " <>\"{}|^`\\") {
			return nil, fmt.Errorf("discovery: %s: %v is not an absolute IRI", name, x)
		}
		out = append(out, graph.IRI(s))
	}
	return out, nil
}

func intArg(m map[string]any, k string) *int {
	if n, ok := m[k].(int); ok {
		return &n
	}
	return nil
}

// rangeArg returns the bounds lo and hi of m, refusing a range whose lower
// bound is above its upper one: it would match nothing, and a client that
// sent it most likely swapped them.
func rangeArg(m map[string]any, lo, hi string) (*int, *int, error) {
	l, h := intArg(m, lo), intArg(m, hi)
	if l != nil && h != nil && *l > *h {
		return nil, nil, fmt.Errorf("discovery: %s (%d) is greater than %s (%d)", lo, *l, hi, *h)
	}
	return l, h, nil
}

func filtersArg(v any) (Filters, error) {
	var f Filters
	m, _ := v.(map[string]any)
	if m == nil {
		return f, nil
	}
	var err error
	for _, x := range []struct {
		name string
		dst  *[]graph.Term
	}{{"cancerTypes", &f.CancerTypes}, {"modalities", &f.Modalities}, {"bodyParts", &f.BodyParts}, {"sexes", &f.Sexes},
		{"countries", &f.Countries}, {"providers", &f.Providers}, {"tiers", &f.Tiers}} {
		if *x.dst, err = termList(m[x.name], x.name); err != nil {
			return f, err
		}
	}
	if inc, ok := m["includeDescendants"].(bool); ok && !inc {
		f.ExactConcepts = true
	}
	if ls, ok := m["accessLevels"].([]any); ok {
		for _, l := range ls {
			if lv, ok := l.(access.Level); ok {
				f.AccessLevels = append(f.AccessLevels, lv)
			}
		}
	}
	if f.MinAge, f.MaxAge, err = rangeArg(m, "minAge", "maxAge"); err != nil {
		return f, err
	}
	return f, nil
}

func criteriaArg(v any) (Criteria, error) {
	var c Criteria
	m, _ := v.(map[string]any)
	if m == nil {
		return c, nil
	}
	var err error
	for _, x := range []struct {
		name string
		dst  *[]graph.Term
	}{{"sexes", &c.Sexes}, {"diagnoses", &c.Diagnoses}, {"modalities", &c.Modalities}, {"bodyParts", &c.BodyParts}} {
		if *x.dst, err = termList(m[x.name], x.name); err != nil {
			return c, err
		}
	}
	if inc, ok := m["includeDescendants"].(bool); ok && !inc {
		c.ExactConcepts = true
	}
	if ms, ok := m["manufacturers"].([]any); ok {
		for _, x := range ms {
			if s, ok := x.(string); ok {
				c.Manufacturers = append(c.Manufacturers, s)
			}
		}
	}
	if c.MinAgeAtDiagnosis, c.MaxAgeAtDiagnosis, err = rangeArg(m, "minAgeAtDiagnosis", "maxAgeAtDiagnosis"); err != nil {
		return c, err
	}
	if c.YearFrom, c.YearTo, err = rangeArg(m, "yearFrom", "yearTo"); err != nil {
		return c, err
	}
	return c, nil
}

// Scheme is a kind of concept, for concept autocomplete.
type Scheme uint8

// The concept schemes of the discovery API.
const (
	SchemeCancerType Scheme = iota + 1
	SchemeModality
	SchemeBodyPart
	SchemeSex
)

// sexCodes are the NCIt sex codes of the EUCAIM data model.
var sexCodes = map[string]bool{
	ncitNS + "C16576": true, ncitNS + "C20197": true, ncitNS + "C17998": true,
	ncitNS + "C46109": true, ncitNS + "C46110": true,
}

const ncitNS = "http://purl.obolibrary.org/obo/NCIT_"

// SchemeOf classifies a concept IRI by namespace: OncoTree and NCIt (but
// the sex codes) are cancer types, DICOM DCM codes modalities, SNOMED CT
// and DICOM Body Part Examined terms body parts.
func SchemeOf(t graph.Term) Scheme {
	v := t.Value()
	switch {
	case sexCodes[v]:
		return SchemeSex
	case strings.HasPrefix(v, "https://tessera.example/vocab/oncotree/"), strings.HasPrefix(v, ncitNS):
		return SchemeCancerType
	case strings.HasPrefix(v, "http://dicom.nema.org/resources/ontology/DCM/"):
		return SchemeModality
	case strings.HasPrefix(v, "http://snomed.info/id/"), strings.HasPrefix(v, bodyPartBase):
		return SchemeBodyPart
	}
	return 0
}

// ConceptMatch is one autocomplete result.
type ConceptMatch struct {
	ID      graph.Term
	Label   string // display label in the requested language
	Lang    string // language of the matched label
	Matched string // the label that matched
	Kind    string // prefLabel, label, altLabel, notation, hiddenLabel
	Score   float64
	Scheme  Scheme
}

// maxConceptCandidates bounds how many ontology matches are read to fill
// a page restricted to one scheme.
const maxConceptCandidates = 500

// Concepts autocompletes text on concept labels in every language (or
// lang), by prefix and fuzzily (ontology.Search), restricted to scheme
// when it is not 0. Scores: 1 for an exact label, 0.8 for a prefix, 0.5
// less 0.1 per edit for a fuzzy match, less 0.02 per label kind below
// prefLabel.
func (ix *Index) Concepts(ctx context.Context, text string, scheme Scheme, lang string, first int) ([]ConceptMatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if first <= 0 {
		first = 10
	}
	if first > ix.opts.MaxFirst {
		return nil, fmt.Errorf("%w: first %d is above the maximum %d", ErrLimit, first, ix.opts.MaxFirst)
	}
	if len(text) > ix.opts.MaxQueryBytes {
		return nil, fmt.Errorf("%w: text of %d bytes (at most %d)", ErrLimit, len(text), ix.opts.MaxQueryBytes)
	}
	if strings.TrimSpace(text) == "" {
		return []ConceptMatch{}, nil
	}
	limit := first
	if scheme != 0 {
		limit = maxConceptCandidates
	}
	out := []ConceptMatch{}
	if scheme == 0 || scheme == SchemeSex {
		out = append(out, fallbackMatches(text)...)
	}
	for _, m := range ix.ont.Search(text, lang, limit) {
		if len(out) >= first {
			break
		}
		s := SchemeOf(m.Term)
		if scheme != 0 && s != scheme {
			continue
		}
		score := 1.0
		switch m.Match {
		case ontology.Prefix:
			score = 0.8
		case ontology.Fuzzy:
			score = 0.5 - 0.1*float64(m.Distance)
		}
		score -= 0.02 * float64(m.Kind)
		out = append(out, ConceptMatch{ID: m.Term, Label: ix.label(m.Term, lang), Lang: m.Label.Lang(), Matched: m.Label.Value(), Kind: m.Kind.String(), Score: score, Scheme: s})
	}
	if len(out) > first {
		out = out[:first]
	}
	return out, nil
}

// fallbackMatches autocompletes the built-in sex labels, which the bundled
// vocabularies lack.
func fallbackMatches(text string) []ConceptMatch {
	q := tokenize(text, 4)
	if len(q) != 1 {
		return nil
	}
	var out []ConceptMatch
	for _, code := range []string{"C16576", "C20197", "C17998"} {
		l := fallbackLabels[ncitNS+code]
		f := foldWord(l)
		if strings.HasPrefix(f, q[0].text) {
			score := 0.8
			if f == q[0].text {
				score = 1
			}
			out = append(out, ConceptMatch{ID: graph.IRI(ncitNS + code), Label: l, Lang: "en", Matched: l, Kind: "label", Score: score, Scheme: SchemeSex})
		}
	}
	return out
}
