package fdp

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/iri"
)

//go:embed templates/page.html templates/style.css
var templateFS embed.FS

// pageTemplate renders every HTML view; html/template escapes all data, and
// the schema.org JSON-LD is marshalled and escaped in its script element.
// Links are written with {{href ...}} (hrefAttr), which keeps the
// characters of an IRI that html/template would percent-encode.
var pageTemplate = template.Must(template.New("page.html").
	Funcs(template.FuncMap{"href": hrefAttr}).
	ParseFS(templateFS, "templates/page.html"))

// style is the page CSS, inlined (no CDN, no extra request).
var style = func() template.CSS {
	b, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		panic(err) // embedded at build time: cannot happen
	}
	return template.CSS(b)
}()

// pageData is what the HTML template shows.
type pageData struct {
	Lang      string
	Title     string
	IRI       string
	Types     []linkData
	Nav       []linkData
	Crumbs    []linkData
	Rows      []rowData
	Members   []linkData
	MembersOf string
	Pager     []linkData
	Formats   []linkData
	Note      string
	Pre       string
	JSONLD    any
	Style     template.CSS
}

// linkData is a link; an empty Href shows the text alone.
type linkData struct {
	Href, Text, Hint string
}

// rowData is one property of the resource and its values.
type rowData struct {
	Prop   linkData
	Values []valueData
}

// valueData is one value: a literal (Text, Lang, Type), a link, or a
// nested blank node (Rows).
type valueData struct {
	Text, Lang, Type, Href string
	Rows                   []rowData
}

// writeHTML renders p.
func (s *Service) writeHTML(c echo.Context, status int, p *pageData) error {
	if p.Lang == "" {
		p.Lang = s.opts.Language
	}
	p.Style = style
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, p); err != nil {
		return fmt.Errorf("fdp: render page: %w", err)
	}
	w := c.Response()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Add("Vary", "Accept")
	w.WriteHeader(status)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// nav is the navigation bar of every page.
func (s *Service) nav() []linkData {
	return []linkData{
		{Href: s.prefix, Text: "Home"},
		{Href: s.prefix + "fdp", Text: "FAIR Data Point"},
		{Href: s.prefix + "sparql", Text: "SPARQL"},
		{Href: s.prefix + ".well-known/void", Text: "VoID"},
	}
}

// href returns where a link to t points: the local path of IRIs under
// Base (so that a node at another address still links to itself; see
// localPath for how the path is written), the skolem path of blank nodes,
// else the IRI's URI (iri.ToURI); "" for literals and other schemes.
func (s *Service) href(t graph.Term) string {
	switch {
	case t.IsBlank():
		return s.localPath(s.skolem(t).Value())
	case t.IsIRI():
		if p := s.localPath(t.Value()); p != "" {
			return p
		}
		if strings.HasPrefix(t.Value(), "http://") || strings.HasPrefix(t.Value(), "https://") || strings.HasPrefix(t.Value(), "mailto:") {
			return iri.ToURI(t.Value())
		}
	}
	return ""
}

// curie abbreviates an IRI with the known prefixes, or returns it whole.
func curie(iri string) string {
	best, bestNS := "", ""
	for p, ns := range prefixes {
		if strings.HasPrefix(iri, ns) && len(ns) > len(bestNS) {
			best, bestNS = p, ns
		}
	}
	if bestNS == "" || len(iri) == len(bestNS) {
		return iri
	}
	return best + ":" + iri[len(bestNS):]
}

// humanise turns a property's local name into words: "numberOfRecords" →
// "number of records".
func humanise(iri string) string {
	name := lastSegment(iri)
	if i := strings.LastIndex(name, ":"); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	prevLower := false
	for _, r := range name {
		if unicode.IsUpper(r) && prevLower {
			b.WriteByte(' ')
		}
		if r == '_' || r == '-' {
			b.WriteByte(' ')
			prevLower = false
			continue
		}
		b.WriteRune(unicode.ToLower(r))
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	return b.String()
}

// predicateOrder puts the most telling properties first.
var predicateOrder = []graph.Term{dctTitle, dctDescription, dctPublisher, dcatKeyword, dcatTheme, dctIdentifier, dctIssued, dctModified, dctLicense, dctAccessRights}

// resourcePage builds the HTML view of a description: the properties table
// with labels, links to related resources, the FDP parents as crumbs, the
// other formats, and schema.org JSON-LD for datasets and catalogues.
func (s *Service) resourcePage(ctx context.Context, a *access, d *description, l level) (*pageData, error) {
	// Labels of everything the page links to, predicates included.
	var refs []graph.Term
	for _, q := range d.quads {
		for _, t := range []graph.Term{q.P, q.O} {
			if t.IsIRI() && !slices.Contains(refs, t) {
				refs = append(refs, t)
			}
		}
	}
	lbl, err := s.labels(ctx, a, refs)
	if err != nil {
		return nil, err
	}
	text := func(t graph.Term) string {
		if v := s.bestLabel(lbl[t]); v != "" {
			return v
		}
		return curie(t.Value())
	}
	p := &pageData{IRI: s.skolem(d.subject).Value(), Nav: s.nav()}
	own := d.values(dctTitle)
	if len(own) == 0 {
		own = append(d.values(rdfsLabel), append(d.values(foafName), d.values(skosPref)...)...)
	}
	p.Title = s.bestLabel(own)
	if p.Title == "" {
		p.Title = lastSegment(d.subject.Value())
	}
	if v := s.preferred(own); v.Lang() != "" {
		p.Lang = v.Lang()
	}
	for _, t := range d.types {
		p.Types = append(p.Types, linkData{Href: s.href(t), Text: text(t), Hint: t.Value()})
	}
	p.Rows = s.rows(d, d.subject, text, 0)
	if d.truncated {
		p.Note = fmt.Sprintf("This description was cut at %d triples.", s.opts.MaxDescription)
	}

	// Crumbs up the FDP tree, members down it.
	if l >= levelCatalog {
		parents, err := s.parents(ctx, a, d.subject, l)
		if err != nil {
			return nil, err
		}
		pl, err := s.labels(ctx, a, parents)
		if err != nil {
			return nil, err
		}
		for _, par := range parents {
			t := s.bestLabel(pl[par])
			if par == s.root {
				t = s.opts.Title
			}
			if t == "" {
				t = curie(par.Value())
			}
			p.Crumbs = append(p.Crumbs, linkData{Href: s.href(par), Text: t})
		}
	}
	if cl, rel, name := l.child(); cl != levelNone {
		members := d.values(rel)
		p.MembersOf = name
		ml, err := s.labels(ctx, a, members)
		if err != nil {
			return nil, err
		}
		for i, m := range members {
			if i >= maxLabelled {
				p.Note = fmt.Sprintf("%d %s; the first %d are listed.", len(members), strings.ToLower(name), maxLabelled)
				break
			}
			t := s.bestLabel(ml[m])
			if t == "" {
				t = m.Value()
			}
			p.Members = append(p.Members, linkData{Href: s.href(m), Text: t, Hint: m.Value()})
		}
		if href := s.href(d.subject); href != "" && strings.HasPrefix(href, "/") {
			p.Pager = []linkData{{Href: href + "/page/" + cl.String(), Text: "all " + strings.ToLower(name) + ", page by page"}}
		}
	}
	self := s.href(d.subject)
	if strings.HasPrefix(self, "/") {
		for _, f := range []struct{ name, text string }{{"turtle", "Turtle"}, {"jsonld", "JSON-LD"}, {"rdfxml", "RDF/XML"}, {"ntriples", "N-Triples"}} {
			p.Formats = append(p.Formats, linkData{Href: self + "?format=" + f.name, Text: f.text})
		}
		if l >= levelCatalog {
			p.Formats = append(p.Formats, linkData{Href: self + "?format=turtle&profile=full", Text: "Turtle (all triples)"})
		}
	}
	switch l {
	case levelDataset:
		ld, err := s.schemaDataset(ctx, a, d, lbl)
		if err != nil {
			return nil, err
		}
		p.JSONLD = ld
	case levelCatalog:
		p.JSONLD = s.schemaCatalog(d, lbl)
	}
	return p, nil
}

// rows builds the property table of subject from the description; blank
// node values nest one level.
func (s *Service) rows(d *description, subject graph.Term, text func(graph.Term) string, depth int) []rowData {
	byPred := map[graph.Term][]graph.Term{}
	var preds []graph.Term
	for _, q := range d.quads {
		if q.S != subject || q.P == rdfType && depth == 0 {
			continue
		}
		if _, ok := byPred[q.P]; !ok {
			preds = append(preds, q.P)
		}
		if !slices.Contains(byPred[q.P], q.O) {
			byPred[q.P] = append(byPred[q.P], q.O)
		}
	}
	rank := func(p graph.Term) int {
		if i := slices.Index(predicateOrder, p); i >= 0 {
			return i
		}
		return len(predicateOrder)
	}
	slices.SortStableFunc(preds, func(a, b graph.Term) int {
		if c := rank(a) - rank(b); c != 0 {
			return c
		}
		return strings.Compare(humanise(a.Value()), humanise(b.Value()))
	})
	var out []rowData
	for _, p := range preds {
		name := text(p)
		if name == curie(p.Value()) {
			name = humanise(p.Value())
		}
		row := rowData{Prop: linkData{Href: s.href(p), Text: name, Hint: curie(p.Value())}}
		vals := byPred[p]
		slices.SortStableFunc(vals, func(a, b graph.Term) int {
			// The preferred language first.
			ap, bp := a.Lang() == s.opts.Language, b.Lang() == s.opts.Language
			switch {
			case ap && !bp:
				return -1
			case bp && !ap:
				return 1
			}
			return 0
		})
		for _, v := range vals {
			switch {
			case v.IsLiteral():
				vd := valueData{Text: v.Value(), Lang: v.Lang()}
				if dt := v.Datatype(); dt != graph.XSDString && dt != graph.RDFLangString {
					vd.Type = curie(dt)
				}
				row.Values = append(row.Values, vd)
			case v.IsBlank() && depth < 2:
				row.Values = append(row.Values, valueData{Href: s.href(v), Text: "(details)", Rows: s.rows(d, v, text, depth+1)})
			default:
				row.Values = append(row.Values, valueData{Href: s.href(v), Text: text(v)})
			}
		}
		out = append(out, row)
	}
	return out
}

// listPage is the HTML view of one page of an FDP resource's children.
func (s *Service) listPage(ctx context.Context, a *access, parent graph.Term, cl level, members []graph.Term, page, last, size int, base string) (*pageData, error) {
	lbl, err := s.labels(ctx, a, append([]graph.Term{parent}, members...))
	if err != nil {
		return nil, err
	}
	title := s.bestLabel(lbl[parent])
	if parent == s.root {
		title = s.opts.Title
	}
	if title == "" {
		title = parent.Value()
	}
	p := &pageData{
		Title:     fmt.Sprintf("%s: %ss, page %d of %d", title, cl.String(), page+1, last+1),
		IRI:       parent.Value() + "/page/" + cl.String(),
		Nav:       s.nav(),
		Crumbs:    []linkData{{Href: s.href(parent), Text: title}},
		MembersOf: strings.ToUpper(cl.String()[:1]) + cl.String()[1:] + "s",
	}
	for _, m := range members {
		t := s.bestLabel(lbl[m])
		if t == "" {
			t = m.Value()
		}
		p.Members = append(p.Members, linkData{Href: s.href(m), Text: t, Hint: m.Value()})
	}
	if page > 0 {
		p.Pager = append(p.Pager, linkData{Href: fmt.Sprintf("%s?page=%d&size=%d", base, page-1, size), Text: "← previous"})
	}
	if page < last {
		p.Pager = append(p.Pager, linkData{Href: fmt.Sprintf("%s?page=%d&size=%d", base, page+1, size), Text: "next →"})
	}
	return p, nil
}
