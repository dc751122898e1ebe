package fdp

import (
	"context"
	"strings"
	"time"

	"github.com/tessera-fair/tessera/graph"
)

// Schema.org for search engines (Google Dataset Search reads
// https://schema.org/Dataset in JSON-LD): the dataset's name, description,
// keywords, identifiers, publisher, licence, coverage and downloads.

// EUCAIM imaging-modality properties under both namespaces, shown as
// schema:measurementTechnique.
var modalityPredicates = []graph.Term{
	graph.IRI("https://hyperontology.eucaim.cancerimage.eu/#hasImageModality"),
	graph.IRI("https://cancerimage.eu/ontology/EUCAIM#hasImageModality"),
}

// textOf returns the preferred label of t, or its IRI.
func (s *Service) textOf(lbl map[graph.Term][]graph.Term, t graph.Term) string {
	if v := s.bestLabel(lbl[t]); v != "" {
		return v
	}
	return t.Value()
}

// strings returns the lexical forms of the literals among vs, preferred
// language first, without duplicates.
func (s *Service) texts(vs []graph.Term) []string {
	var out []string
	seen := map[string]bool{}
	best := s.preferred(vs)
	for _, v := range append([]graph.Term{best}, vs...) {
		if v.IsLiteral() && !seen[v.Value()] {
			seen[v.Value()] = true
			out = append(out, v.Value())
		}
	}
	return out
}

// agent returns a schema.org Organization for an agent IRI or blank node.
func (s *Service) agent(ctx context.Context, a *access, t graph.Term, lbl map[graph.Term][]graph.Term) (map[string]any, error) {
	org := map[string]any{"@type": "Organization"}
	name := s.bestLabel(lbl[t])
	d, err := s.describe(ctx, a, t)
	if err != nil {
		return nil, err
	}
	if d != nil {
		if n := s.preferred(d.values(foafName)); !n.IsZero() {
			name = n.Value()
		}
		if hp := d.values(graph.IRI(nsFOAF + "homepage")); len(hp) > 0 && hp[0].IsIRI() {
			org["url"] = hp[0].Value()
		}
	}
	if name == "" {
		name = lastSegment(t.Value())
	}
	org["name"] = name
	if t.IsIRI() {
		org["@id"] = t.Value()
	}
	return org, nil
}

// schemaDataset returns the schema.org Dataset of a dcat:Dataset.
func (s *Service) schemaDataset(ctx context.Context, a *access, d *description, lbl map[graph.Term][]graph.Term) (map[string]any, error) {
	ds := map[string]any{
		"@context": "https://schema.org/",
		"@type":    "Dataset",
		"@id":      d.subject.Value(),
		"url":      d.subject.Value(),
	}
	if t := s.preferred(d.values(dctTitle)); !t.IsZero() {
		ds["name"] = t.Value()
	}
	if t := s.preferred(d.values(dctDescription)); !t.IsZero() {
		ds["description"] = t.Value()
	}
	if kw := s.texts(d.values(dcatKeyword)); len(kw) > 0 {
		ds["keywords"] = kw
	}
	ids := []string{d.subject.Value()}
	ids = append(ids, s.texts(d.values(dctIdentifier))...)
	ds["identifier"] = ids
	if lp := d.values(dcatLanding); len(lp) > 0 && lp[0].IsIRI() {
		ds["sameAs"] = lp[0].Value()
	}
	if pubs := d.values(dctPublisher); len(pubs) > 0 {
		org, err := s.agent(ctx, a, s.preferred(pubs), lbl)
		if err != nil {
			return nil, err
		}
		ds["publisher"] = org
		ds["creator"] = org
	}
	for _, p := range []struct {
		pred graph.Term
		key  string
	}{{dctIssued, "datePublished"}, {dctModified, "dateModified"}} {
		if v := d.values(p.pred); len(v) > 0 {
			if tm, ok := parseTime(v[0]); ok {
				ds[p.key] = tm.Format(time.DateOnly)
			}
		}
	}
	lic := s.preferred(d.values(dctLicense))
	if lic.IsZero() {
		var err error
		if lic, err = s.sharedLicense(ctx, a, d.values(dcatDistP)); err != nil {
			return nil, err
		}
	}
	if lic.IsIRI() {
		ds["license"] = lic.Value()
	}
	for _, ar := range d.values(dctAccessRights) {
		switch v := strings.ToUpper(ar.Value()); {
		case strings.HasSuffix(v, "/PUBLIC"):
			ds["isAccessibleForFree"] = true
		case strings.HasSuffix(v, "/NON_PUBLIC"), strings.HasSuffix(v, "/RESTRICTED"):
			ds["isAccessibleForFree"] = false
		}
	}
	var places []map[string]any
	for _, sp := range d.values(dctSpatial) {
		if sp.IsIRI() {
			places = append(places, map[string]any{"@type": "Place", "name": s.textOf(lbl, sp), "sameAs": sp.Value()})
		}
	}
	if len(places) > 0 {
		ds["spatialCoverage"] = places
	}
	if tc, err := s.temporalCoverage(ctx, a, d); err != nil {
		return nil, err
	} else if tc != "" {
		ds["temporalCoverage"] = tc
	}
	var techniques []string
	for _, p := range modalityPredicates {
		for _, m := range d.values(p) {
			techniques = append(techniques, s.textOf(lbl, m))
		}
	}
	if len(techniques) > 0 {
		ds["measurementTechnique"] = techniques
	}
	var downloads []map[string]any
	for _, dist := range d.values(dcatDistP) {
		dd, err := s.describe(ctx, a, dist)
		if err != nil {
			return nil, err
		}
		if dd == nil {
			continue
		}
		dl := map[string]any{"@type": "DataDownload"}
		if t := s.preferred(dd.values(dctTitle)); !t.IsZero() {
			dl["name"] = t.Value()
		}
		for _, p := range []graph.Term{dcatDownloadURL, dcatAccessURL} {
			if u := dd.values(p); len(u) > 0 && u[0].IsIRI() {
				dl["contentUrl"] = u[0].Value()
				break
			}
		}
		if mt := dd.values(dcatMediaType); len(mt) > 0 {
			v, _ := conform(rule{nodeKind: "Literal"}, mt[0])
			dl["encodingFormat"] = v.Value()
		}
		downloads = append(downloads, dl)
	}
	if len(downloads) > 0 {
		ds["distribution"] = downloads
	}
	parents, err := s.parents(ctx, a, d.subject, levelDataset)
	if err != nil {
		return nil, err
	}
	if len(parents) > 0 {
		pl, err := s.labels(ctx, a, parents[:1])
		if err != nil {
			return nil, err
		}
		ds["includedInDataCatalog"] = map[string]any{"@type": "DataCatalog", "@id": parents[0].Value(), "name": s.textOf(pl, parents[0])}
	}
	return ds, nil
}

// temporalCoverage returns "start/end" (ISO 8601 interval) from the
// dct:temporal period's dcat:startDate and dcat:endDate.
func (s *Service) temporalCoverage(ctx context.Context, a *access, d *description) (string, error) {
	for _, t := range d.values(dctTemporal) {
		pd, err := s.describe(ctx, a, t)
		if err != nil || pd == nil {
			return "", err
		}
		start, end := pd.values(dcatStartDate), pd.values(dcatEndDate)
		var st, en string
		if len(start) > 0 {
			st = start[0].Value()
		}
		if len(end) > 0 {
			en = end[0].Value()
		}
		switch {
		case st != "" && en != "":
			return st + "/" + en, nil
		case st != "":
			return st + "/..", nil
		case en != "":
			return "../" + en, nil
		}
	}
	return "", nil
}

// schemaCatalog returns the schema.org DataCatalog of a dcat:Catalog with
// its first datasets.
func (s *Service) schemaCatalog(d *description, lbl map[graph.Term][]graph.Term) map[string]any {
	cat := map[string]any{
		"@context": "https://schema.org/",
		"@type":    "DataCatalog",
		"@id":      d.subject.Value(),
		"url":      d.subject.Value(),
	}
	if t := s.preferred(d.values(dctTitle)); !t.IsZero() {
		cat["name"] = t.Value()
	}
	if t := s.preferred(d.values(dctDescription)); !t.IsZero() {
		cat["description"] = t.Value()
	}
	if pubs := d.values(dctPublisher); len(pubs) > 0 {
		cat["publisher"] = map[string]any{"@type": "Organization", "name": s.textOf(lbl, pubs[0])}
	}
	var dss []map[string]any
	for i, ds := range d.values(dcatDatasetP) {
		if i >= 100 {
			break
		}
		dss = append(dss, map[string]any{"@type": "Dataset", "@id": ds.Value(), "url": ds.Value(), "name": s.textOf(lbl, ds)})
	}
	if len(dss) > 0 {
		cat["dataset"] = dss
	}
	return cat
}
