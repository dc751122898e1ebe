package fdp

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders"
	"github.com/tessera-fair/tessera/loaders/iri"
)

// handleRoot serves the FAIR Data Point's metadata at /fdp.
func (s *Service) handleRoot(c echo.Context) error {
	r := c.Request()
	out, ok := negotiate(r)
	if !ok {
		return notAcceptable(c)
	}
	ctx := r.Context()
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		return s.storeError(c, err)
	}
	defer snap.Release()
	a := s.newAccess(r, snap)
	quads, err := s.rootView(ctx, a)
	if err != nil {
		return s.storeError(c, err)
	}
	c.Response().Header().Add("Link", fmt.Sprintf(`<%s>; rel="describedby"`, s.prefix+"fdp/spec"))
	if out.html {
		d := &description{subject: s.root, quads: quads}
		for _, q := range quads {
			if q.S == s.root && q.P == rdfType {
				d.types = append(d.types, q.O)
			}
		}
		p, err := s.resourcePage(ctx, a, d, levelRoot)
		if err != nil {
			return s.storeError(c, err)
		}
		return s.writeHTML(c, http.StatusOK, p)
	}
	return s.writeRDF(c, out.rdf, s.root, quads)
}

// handleRootPage serves /fdp/page/catalog, the catalogues page by page.
func (s *Service) handleRootPage(c echo.Context) error {
	return s.servePage(c, []string{s.root.Value()}, c.Param("level"))
}

// handleResource serves Linked Data: the description of the resource whose
// IRI is Base plus the request path (read as pathIRIs says), or the child
// pages of an FDP resource (IRI + "/page/{layer}"). Skolem IRIs
// (/.well-known/genid/...) name the store's blank nodes.
func (s *Service) handleResource(c echo.Context) error {
	r := c.Request()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return apiError(c, http.StatusNotFound, "not_found", "no such resource or endpoint: "+r.URL.Path)
	}
	rest, ok := s.pathRest(RequestPath(r))
	if !ok {
		return apiError(c, http.StatusNotFound, "not_found", "no such resource or endpoint: "+r.URL.Path)
	}
	out, ok := negotiate(r)
	if !ok {
		return notAcceptable(c)
	}
	var subjects []graph.Term
	if label, isGenid := strings.CutPrefix(iri.NormalizePercent(rest), ".well-known/genid/"); isGenid {
		l, err := url.PathUnescape(label)
		if err != nil || l == "" {
			return apiError(c, http.StatusNotFound, "not_found", "no such blank node")
		}
		subjects = []graph.Term{graph.Blank(l)}
	} else {
		for _, v := range s.restIRIs(rest) {
			subjects = append(subjects, graph.IRI(v))
		}
	}
	ctx := r.Context()
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		return s.storeError(c, err)
	}
	defer snap.Release()
	a := s.newAccess(r, snap)
	var d *description
	for _, subject := range subjects {
		if d, err = s.describe(ctx, a, subject); err != nil {
			return s.storeError(c, err)
		}
		if d != nil {
			break
		}
	}
	if d == nil {
		if i := strings.LastIndex(rest, "/page/"); i >= 0 && !subjects[0].IsBlank() {
			return s.servePage(c, s.restIRIs(rest[:i]), iri.NormalizePercent(rest[i+len("/page/"):]))
		}
		return apiError(c, http.StatusNotFound, "not_found", "nothing is known about "+s.opts.Base+iri.NormalizePercent(rest))
	}
	l := levelOf(d.types)
	if d.truncated {
		c.Response().Header().Set("X-Tessera-Truncated", "description cut at "+strconv.Itoa(s.opts.MaxDescription)+" triples")
	}
	if out.html {
		p, err := s.resourcePage(ctx, a, d, l)
		if err != nil {
			return s.storeError(c, err)
		}
		return s.writeHTML(c, http.StatusOK, p)
	}
	profile := r.URL.Query().Get("profile")
	switch profile {
	case "", "fdp", "full":
	default:
		return apiError(c, http.StatusBadRequest, "bad_profile", fmt.Sprintf("profile %q is not fdp or full", profile))
	}
	if l != levelNone && profile != "full" {
		quads, err := s.fdpView(ctx, a, d, l)
		if err != nil {
			return s.storeError(c, err)
		}
		c.Response().Header().Add("Link", fmt.Sprintf(`<%s>; rel="describedby"`, s.prefix+"fdp/"+l.String()+"/spec"))
		return s.writeRDF(c, out.rdf, d.subject, quads)
	}
	quads, err := s.fullView(ctx, a, d)
	if err != nil {
		return s.storeError(c, err)
	}
	return s.writeRDF(c, out.rdf, s.skolem(d.subject), quads)
}

// fullView is the Linked Data description of any resource: its triples in
// the graphs the caller may see, those of the blank nodes it reaches (a
// concise bounded description), and rdfs:label triples of the resources it
// references. Blank nodes are written as skolem IRIs so that they
// dereference too.
func (s *Service) fullView(ctx context.Context, a *access, d *description) ([]graph.Quad, error) {
	var b builder
	var refs []graph.Term
	quads := sortQuads(d.quads)
	for _, q := range quads {
		b.add(s.skolem(q.S), q.P, s.skolem(q.O))
		if q.O.IsIRI() && q.P != rdfType && !slices.Contains(refs, q.O) {
			refs = append(refs, q.O)
		}
	}
	if err := s.addLabels(ctx, a, &b, refs); err != nil {
		return nil, err
	}
	return b.quads, nil
}

// parsePaging reads ?page= (from 0) and ?size= (1 to max, default def), as
// the FDP reference implementation's child pages take them.
func parsePaging(q url.Values, def, max int) (page, size int, err error) {
	page, size = 0, def
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1<<30 {
			return 0, 0, fmt.Errorf("page %q is not a whole number from 0", v)
		}
		page = n
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > max {
			return 0, 0, fmt.Errorf("size %q is not a whole number from 1 to %d", v, max)
		}
		size = n
	}
	return page, size, nil
}

// servePage serves the children of layer childName of the FDP resource
// parent, sorted by title, one page of their FDP documents, with Link
// headers first, last, prev and next as the reference implementation sends
// them (GET {parent}/page/{layer}?page=N&size=M). The parent is the first
// of parents (the IRIs the request path may name, see pathIRIs) that is
// the FDP or known to the store.
func (s *Service) servePage(c echo.Context, parents []string, childName string) error {
	r := c.Request()
	out, ok := negotiate(r)
	if !ok {
		return notAcceptable(c)
	}
	page, size, err := parsePaging(r.URL.Query(), s.opts.DefaultPageSize, s.opts.MaxPageSize)
	if err != nil {
		return apiError(c, http.StatusBadRequest, "bad_paging", err.Error())
	}
	ctx := r.Context()
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		return s.storeError(c, err)
	}
	defer snap.Release()
	a := s.newAccess(r, snap)
	var p graph.Term
	var pl level
	var children []graph.Term
	for _, parent := range parents {
		if graph.IRI(parent) == s.root {
			p, pl = s.root, levelRoot
			if children, err = s.catalogs(ctx, a); err != nil {
				return s.storeError(c, err)
			}
			break
		}
		d, err := s.describe(ctx, a, graph.IRI(parent))
		if err != nil {
			return s.storeError(c, err)
		}
		if d != nil {
			p, pl = d.subject, levelOf(d.types)
			if _, rel, _ := pl.child(); !rel.IsZero() {
				children = d.values(rel)
			}
			break
		}
	}
	if p.IsZero() {
		return apiError(c, http.StatusNotFound, "not_found", "nothing is known about "+parents[0])
	}
	parent := p.Value()
	cl, _, _ := pl.child()
	if cl == levelNone || cl.String() != childName {
		return apiError(c, http.StatusNotFound, "not_found", fmt.Sprintf("%s has no %q children", parent, childName))
	}
	children, err = s.sortByTitle(ctx, a, children)
	if err != nil {
		return s.storeError(c, err)
	}
	base := s.localPath(parent) + "/page/" + childName
	last := max(0, (len(children)+size-1)/size-1)
	links := []string{pageLink(base, 0, size, "first"), pageLink(base, last, size, "last")}
	if page > 0 && page <= last {
		links = append(links, pageLink(base, page-1, size, "prev"))
	}
	if page < last {
		links = append(links, pageLink(base, page+1, size, "next"))
	}
	c.Response().Header().Set("Link", strings.Join(links, ", "))
	var b builder
	var members []graph.Term
	lo := min(len(children), page*size)
	hi := min(len(children), lo+size)
	for _, ch := range children[lo:hi] {
		d, err := s.describe(ctx, a, ch)
		if err != nil {
			return s.storeError(c, err)
		}
		if d == nil {
			continue
		}
		members = append(members, ch)
		quads, err := s.fdpView(ctx, a, d, cl)
		if err != nil {
			return s.storeError(c, err)
		}
		for _, q := range quads {
			b.add(q.S, q.P, q.O)
		}
	}
	if out.html {
		pd, err := s.listPage(ctx, a, p, cl, members, page, last, size, base)
		if err != nil {
			return s.storeError(c, err)
		}
		return s.writeHTML(c, http.StatusOK, pd)
	}
	var first graph.Term
	if len(members) > 0 {
		first = members[0]
	}
	return s.writeRDF(c, out.rdf, first, b.quads)
}

func pageLink(base string, page, size int, rel string) string {
	return fmt.Sprintf(`<%s?page=%d&size=%d>; rel="%s"`, base, page, size, rel)
}

// sortByTitle orders resources by their preferred title, then IRI.
func (s *Service) sortByTitle(ctx context.Context, a *access, ts []graph.Term) ([]graph.Term, error) {
	titles := make(map[graph.Term]string, len(ts))
	for start := 0; start < len(ts); start += maxLabelled {
		chunk := ts[start:min(len(ts), start+maxLabelled)]
		lbl, err := s.labels(ctx, a, chunk)
		if err != nil {
			return nil, err
		}
		for _, t := range chunk {
			titles[t] = strings.ToLower(s.bestLabel(lbl[t]))
		}
	}
	out := slices.Clone(ts)
	slices.SortFunc(out, func(x, y graph.Term) int {
		if c := strings.Compare(titles[x], titles[y]); c != 0 {
			return c
		}
		return graph.Compare(x, y)
	})
	return out, nil
}

// handleSpec serves the SHACL shapes of the FDP profile: all of them at
// /fdp/spec, those a layer's resources must meet at /fdp/{layer}/spec.
func (s *Service) handleSpec(c echo.Context) error {
	r := c.Request()
	out, ok := negotiate(r)
	if !ok {
		return notAcceptable(c)
	}
	name := c.Param("level")
	quads := s.shapes
	if name != "" {
		l := parseLevel(name)
		if l == levelNone {
			return apiError(c, http.StatusNotFound, "not_found", fmt.Sprintf("no FDP layer %q (fdp, catalog, dataset, distribution)", name))
		}
		quads = shapesFor(s.shapes, l)
	}
	subj := graph.Term{}
	if len(quads) > 0 {
		subj = quads[0].S
	}
	if out.html {
		var buf bytes.Buffer
		ttl, _ := loaders.Lookup("turtle")
		enc, err := ttl.NewEncoder(&buf, loaders.EncodeOptions{Prefixes: prefixes})
		if err != nil {
			return err
		}
		for _, q := range groupBySubject(subj, quads) {
			if err := enc.Encode(q); err != nil {
				return fmt.Errorf("fdp: write shapes: %w", err)
			}
		}
		if err := enc.Close(); err != nil {
			return fmt.Errorf("fdp: write shapes: %w", err)
		}
		title := "FAIR Data Point shapes"
		if name != "" {
			title = "FAIR Data Point " + name + " shapes"
		}
		return s.writeHTML(c, http.StatusOK, &pageData{Title: title, IRI: s.opts.Base + strings.TrimPrefix(r.URL.Path, s.prefix), Pre: buf.String(), Nav: s.nav()})
	}
	return s.writeRDF(c, out.rdf, subj, quads)
}

// shapesFor returns the shapes a resource of layer l meets: the node
// shapes targeting dcat:Resource, foaf:Agent and the layer's classes
// (for the FDP also fdp:MetadataService and dcat:DataService), with every
// node they reach.
func shapesFor(all []graph.Quad, l level) []graph.Quad {
	targets := []graph.Term{dcatResource, graph.IRI(nsFOAF + "Agent"), l.class()}
	if l == levelRoot {
		targets = append(targets, fdpMetadataService, dcatDataService)
	}
	bySubject := map[graph.Term][]graph.Quad{}
	var roots []graph.Term
	for _, q := range all {
		bySubject[q.S] = append(bySubject[q.S], q)
		if q.P.Value() == nsSH+"targetClass" && slices.Contains(targets, q.O) {
			roots = append(roots, q.S)
		}
	}
	var out []graph.Quad
	seen := map[graph.Term]bool{}
	var visit func(t graph.Term)
	visit = func(t graph.Term) {
		if seen[t] {
			return
		}
		seen[t] = true
		for _, q := range bySubject[t] {
			out = append(out, q)
			if _, ok := bySubject[q.O]; ok && (q.O.IsBlank() || q.P.Value() == nsSH+"node") {
				visit(q.O)
			}
		}
	}
	for _, r := range roots {
		visit(r)
	}
	return out
}

// sortQuads orders quads by subject (in order of first appearance), then
// predicate (sortPredicates' order), then object, for readable output.
func sortQuads(in []graph.Quad) []graph.Quad {
	first := map[graph.Term]int{}
	var preds []graph.Term
	for _, q := range in {
		if _, ok := first[q.S]; !ok {
			first[q.S] = len(first)
		}
		if !slices.Contains(preds, q.P) {
			preds = append(preds, q.P)
		}
	}
	sortPredicates(preds)
	rank := make(map[graph.Term]int, len(preds))
	for i, p := range preds {
		rank[p] = i
	}
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(x, y graph.Quad) int {
		if c := first[x.S] - first[y.S]; c != 0 {
			return c
		}
		if c := rank[x.P] - rank[y.P]; c != 0 {
			return c
		}
		return graph.Compare(x.O, y.O)
	})
	return out
}
