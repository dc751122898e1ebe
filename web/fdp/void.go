package fdp

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
	acl "github.com/tessera-fair/tessera/graph/access"
)

// VoID terms (https://www.w3.org/TR/void/).
var (
	voidDataset            = graph.IRI(nsVoID + "Dataset")
	voidDatasetDescription = graph.IRI(nsVoID + "DatasetDescription")
	voidTriples            = graph.IRI(nsVoID + "triples")
	voidEntities           = graph.IRI(nsVoID + "entities")
	voidClasses            = graph.IRI(nsVoID + "classes")
	voidProperties         = graph.IRI(nsVoID + "properties")
	voidClass              = graph.IRI(nsVoID + "class")
	voidProperty           = graph.IRI(nsVoID + "property")
	voidClassPartition     = graph.IRI(nsVoID + "classPartition")
	voidPropertyPartition  = graph.IRI(nsVoID + "propertyPartition")
	voidSparqlEndpoint     = graph.IRI(nsVoID + "sparqlEndpoint")
	voidDataDump           = graph.IRI(nsVoID + "dataDump")
	voidVocabulary         = graph.IRI(nsVoID + "vocabulary")
	voidSubset             = graph.IRI(nsVoID + "subset")
	voidURISpace           = graph.IRI(nsVoID + "uriSpace")
	foafPrimaryTopic       = graph.IRI(nsFOAF + "primaryTopic")
)

// maxTypeScan bounds the rdf:type quads counted per graph for class
// partitions; a larger graph gets no class partitions.
const maxTypeScan = 2_000_000

// handleVoID serves /.well-known/void (VoID §7.2): a void:Dataset for the
// whole store with its SPARQL endpoint, triple count, vocabularies and
// property partitions (from store statistics), and one subset per named
// graph with its triples, typed entities, class partitions, title,
// publisher and, for public graphs, a data dump through the Graph Store
// protocol. Counts are reported as graph/access.Policy.Stats and Count
// report them to the caller, as on every other surface: those of graphs
// whose records the caller may not see are obfuscated as EUCAIM does
// (below 10 becomes 10, others round up to a multiple of 10), the total is
// the sum of the reported graph counts, and while any graph is obfuscated
// so are the property partitions. Such graphs get no data dump.
func (s *Service) handleVoID(c echo.Context) error {
	r := c.Request()
	out, ok := negotiate(r)
	if !ok {
		return notAcceptable(c)
	}
	ctx := r.Context()
	quads, err := s.void(ctx, r)
	if err != nil {
		return s.storeError(c, err)
	}
	subj := graph.IRI(s.opts.Base + ".well-known/void")
	if out.html {
		d := &description{subject: subj, quads: quads, types: []graph.Term{voidDatasetDescription}}
		snap, err := s.store.Snapshot(ctx)
		if err != nil {
			return s.storeError(c, err)
		}
		defer snap.Release()
		p, err := s.resourcePage(ctx, s.newAccess(r, snap), d, levelNone)
		if err != nil {
			return s.storeError(c, err)
		}
		p.Title = "VoID description of this Tessera node"
		return s.writeHTML(c, http.StatusOK, p)
	}
	return s.writeRDF(c, out.rdf, subj, quads)
}

func integer(n int64) graph.Term { return graph.Literal(strconv.FormatInt(n, 10), graph.XSDInteger) }

// namespace returns the namespace of an IRI (up to the last '#' or '/').
func namespace(iri string) string {
	if i := strings.LastIndexAny(iri, "#/"); i > 0 {
		return iri[:i+1]
	}
	return iri
}

// void computes (or reuses, for Options.VoIDTTL) the VoID description.
func (s *Service) void(ctx context.Context, r *http.Request) ([]graph.Quad, error) {
	// Which graphs are obfuscated depends on the caller: only anonymous
	// callers' descriptions are cached.
	cacheable := !acl.CallerFrom(r.Context()).Registered
	if cacheable {
		s.voidMu.Lock()
		if s.voidDocs != nil && s.opts.Now().Sub(s.voidAt) < s.opts.VoIDTTL {
			docs := s.voidDocs
			s.voidMu.Unlock()
			return docs, nil
		}
		s.voidMu.Unlock()
	}
	st, err := s.store.Stats(ctx)
	if err != nil {
		return nil, err
	}
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer snap.Release()
	a := s.newAccess(r, snap)
	var b builder
	doc := graph.IRI(s.opts.Base + ".well-known/void")
	all := graph.IRI(s.opts.Base + ".well-known/void#tessera")
	b.add(doc, rdfType, voidDatasetDescription)
	b.add(doc, dctTitle, graph.LangLiteral("VoID description of this Tessera node", "en"))
	b.add(doc, foafPrimaryTopic, all)
	b.add(all, rdfType, voidDataset)
	b.add(all, dctTitle, graph.LangLiteral(s.opts.Title, s.opts.Language))
	b.add(all, dctPublisher, graph.IRI(s.opts.Publisher))
	b.add(all, voidSparqlEndpoint, graph.IRI(s.opts.Base+"sparql"))
	b.add(all, voidURISpace, graph.String(s.opts.Base))

	// The counts as this caller may see them (graph/access: counts of
	// graphs with hidden records obfuscated, the total their sum, and the
	// store-wide figures obfuscated when any graph is).
	pol, err := a.loadPolicy(ctx)
	if err != nil {
		return nil, err
	}
	registered := a.registered()
	rst, _ := pol.Stats(st, registered)
	graphs := make([]graph.Term, 0, len(st.Graphs))
	for g := range st.Graphs {
		if g.IsIRI() {
			graphs = append(graphs, g)
		}
	}
	slices.SortFunc(graphs, graph.Compare)
	b.add(all, voidTriples, integer(rst.Quads))

	// Vocabularies and property partitions from the store's statistics.
	preds := make([]graph.Term, 0, len(st.Predicates))
	for p := range st.Predicates {
		preds = append(preds, p)
	}
	slices.SortFunc(preds, graph.Compare)
	b.add(all, voidProperties, integer(int64(len(preds))))
	var vocabs []string
	for _, p := range preds {
		if ns := namespace(p.Value()); !slices.Contains(vocabs, ns) {
			vocabs = append(vocabs, ns)
		}
		pp := graph.IRI(all.Value() + "-property-" + url.QueryEscape(p.Value()))
		b.add(all, voidPropertyPartition, pp)
		b.add(pp, voidProperty, p)
		b.add(pp, voidTriples, integer(rst.Predicates[p].Quads))
	}
	slices.Sort(vocabs)
	for _, ns := range vocabs {
		b.add(all, voidVocabulary, graph.IRI(ns))
	}

	// One subset per named graph.
	sys := graph.IRI(s.opts.SystemGraph)
	for _, g := range graphs {
		b.add(all, voidSubset, g)
		b.add(g, rdfType, voidDataset)
		b.add(g, voidTriples, integer(rst.Graphs[g]))
		b.add(g, voidSparqlEndpoint, graph.IRI(s.opts.Base+"sparql"))
		if pol.CanSeeRecords(g, registered) {
			b.add(g, voidDataDump, graph.IRI(s.opts.Base+"store?graph="+url.QueryEscape(g.Value())))
		}
		for q, err := range snap.Quads(ctx, graph.Pattern{S: g, G: sys}) {
			if err != nil {
				return nil, err
			}
			switch q.P {
			case rdfsLabel:
				b.add(g, dctTitle, q.O)
			case dctPublisher, tesseraAccessLevel, tesseraLoadedAt:
				b.add(g, q.P, q.O)
			}
		}
		count := func(n int64) graph.Term {
			c, _ := pol.Count(g, n, registered)
			return integer(c)
		}
		if err := s.classPartitions(ctx, snap, &b, g, count); err != nil {
			return nil, err
		}
	}
	if cacheable {
		s.voidMu.Lock()
		s.voidDocs, s.voidAt = b.quads, s.opts.Now()
		s.voidMu.Unlock()
	}
	return b.quads, nil
}

// classPartitions counts the typed entities of g per class; count turns a
// count into the literal the caller may see.
func (s *Service) classPartitions(ctx context.Context, r graph.Reader, b *builder, g graph.Term, count func(int64) graph.Term) error {
	counts := map[graph.Term]int64{}
	subjects := map[graph.Term]bool{}
	n := 0
	for q, err := range r.Quads(ctx, graph.Pattern{P: rdfType, G: g}) {
		if err != nil {
			return err
		}
		if n++; n > maxTypeScan {
			return nil
		}
		counts[q.O]++
		subjects[q.S] = true
	}
	if len(counts) == 0 {
		return nil
	}
	b.add(g, voidEntities, count(int64(len(subjects))))
	b.add(g, voidClasses, integer(int64(len(counts))))
	classes := make([]graph.Term, 0, len(counts))
	for c := range counts {
		classes = append(classes, c)
	}
	slices.SortFunc(classes, graph.Compare)
	for _, c := range classes {
		cp := fragment(g, "void-class-"+url.QueryEscape(c.Value()))
		b.add(g, voidClassPartition, cp)
		b.add(cp, voidClass, c)
		b.add(cp, voidEntities, count(counts[c]))
	}
	return nil
}
