// Package harvest copies a remote catalogue into a Tessera store: it walks a
// FAIR Data Point (FDP → catalogues → datasets → distributions, following
// fdp:metadataCatalog, ldp:contains, dcat:catalog, dcat:dataset,
// dcat:distribution and r3d:dataCatalog links and rel="next" pages) or reads
// one DCAT catalogue document in any RDF syntax Tessera reads, and stores
// everything it found in ONE named graph per source, replacing that graph
// atomically (one store transaction) on each run. The run is recorded in the
// system graph — source, time, triple count, content hash — and a Report
// says what changed: triples added and removed, datasets new, removed and
// changed.
//
// Safety: an HTTP client with timeouts, a size cap per document, caps on
// documents and triples per run, context cancellation, and links followed
// only to the source's host (and Options.AllowHosts), so a catalogue cannot
// make the harvester fetch arbitrary addresses. A failure of the source
// document, a cap reached, or a cancelled context changes nothing; a child
// document that fails is reported per resource (Report.Failures) and the
// rest is stored.
//
// Blank nodes get labels derived from the document URL and their order in
// it, so that harvesting an unchanged catalogue twice gives the same graph
// and an empty diff.
//
// Not implemented: conditional requests (ETag / If-Modified-Since),
// concurrent fetching, harvesting SPARQL endpoints, validation of what is
// harvested against shapes (tessera validate does it after the fact), and
// scheduling (run `tessera harvest` from cron).
package harvest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-fair/tessera/graph"
)

// Defaults of Options.
const (
	// DefaultGraphBase is the prefix of the graph a source is stored in
	// when Options.Graph is not given.
	DefaultGraphBase = "https://tessera.example/graph/harvest/"
	// DefaultSystemGraph is where runs are recorded (the graph that holds
	// each graph's access level).
	DefaultSystemGraph = "https://tessera.example/graph/system/providers"
	// NS is Tessera's vocabulary for graph metadata.
	NS = "https://tessera.example/ns#"
)

// Errors a harvest returns; callers branch on them with errors.Is.
var (
	// ErrSource: the source document could not be fetched or read.
	ErrSource = errors.New("harvest: source failed")
	// ErrLimit: a cap (documents, triples) was reached; nothing was stored.
	ErrLimit = errors.New("harvest: limit reached")
)

// Options configure a harvest. The zero value works.
type Options struct {
	// Client fetches the documents; nil means a client with a 30 s timeout
	// per request.
	Client *http.Client
	// Graph is the named graph the source is stored in; the zero Term means
	// GraphFor(source).
	Graph graph.Term
	// GraphBase is the prefix GraphFor uses; default DefaultGraphBase.
	GraphBase string
	// SystemGraph is where the run is recorded; default DefaultSystemGraph.
	SystemGraph string
	// AccessLevel is recorded for the graph when the system graph gives it
	// none yet; default tessera:public (harvested catalogues are public
	// metadata).
	AccessLevel graph.Term
	// AllowHosts lists hosts (host or host:port) links may lead to besides
	// the source's own.
	AllowHosts []string
	// MaxDocuments caps the documents fetched per run (default 10,000).
	MaxDocuments int
	// MaxTriples caps the triples stored per run (default 2,000,000).
	MaxTriples int
	// MaxBytes caps one document's size (default 32 MiB).
	MaxBytes int64
	// FailOnPartial makes any failed child document fatal (nothing stored).
	FailOnPartial bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
}

func (o Options) withDefaults(source string) Options {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if o.GraphBase == "" {
		o.GraphBase = DefaultGraphBase
	}
	if o.Graph.IsZero() {
		o.Graph = GraphFor(o.GraphBase, source)
	}
	if o.SystemGraph == "" {
		o.SystemGraph = DefaultSystemGraph
	}
	if o.AccessLevel.IsZero() {
		o.AccessLevel = graph.IRI(NS + "public")
	}
	if o.MaxDocuments <= 0 {
		o.MaxDocuments = 10_000
	}
	if o.MaxTriples <= 0 {
		o.MaxTriples = 2_000_000
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 32 << 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// GraphFor returns the graph a source is harvested into: base followed by
// the source URL's host and path ("https://fdp.example.org/fdp" →
// base+"fdp.example.org/fdp"), characters other than unreserved ones, "/",
// ":" and the path's own percent-escapes percent-encoded.
func GraphFor(base, source string) graph.Term {
	u, err := url.Parse(source)
	name := source
	if err == nil && u.Host != "" {
		name = u.Host + u.EscapedPath()
	}
	name = strings.Trim(name, "/")
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-._~/:%", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	if b.Len() == 0 {
		b.WriteString("source")
	}
	return graph.IRI(base + b.String())
}

// Failure is one document that could not be harvested.
type Failure struct {
	URL string `json:"url"`
	// Status is the HTTP status, 0 when the request did not get one.
	Status int    `json:"status,omitempty"`
	Error  string `json:"error"`
}

// Report says what one harvest found and changed.
type Report struct {
	Source      string    `json:"source"`
	Graph       string    `json:"graph"`
	Started     time.Time `json:"started"`
	Duration    string    `json:"duration"`
	Documents   int       `json:"documents"`
	Triples     int       `json:"triples"`
	ContentHash string    `json:"content_hash"`
	// Added and Removed count the triples that changed.
	Added   int `json:"added"`
	Removed int `json:"removed"`
	// Datasets count the dcat:Dataset resources harvested; NewDatasets,
	// RemovedDatasets and ChangedDatasets list IRIs relative to the
	// previous run.
	Datasets        int      `json:"datasets"`
	NewDatasets     []string `json:"new_datasets"`
	RemovedDatasets []string `json:"removed_datasets"`
	ChangedDatasets []string `json:"changed_datasets"`
	// Failures are child documents that could not be read.
	Failures []Failure `json:"failures"`
	// Skipped are links not followed: other hosts or not http(s).
	Skipped []string `json:"skipped,omitempty"`
}

// Unchanged reports whether the run changed nothing.
func (r *Report) Unchanged() bool { return r.Added == 0 && r.Removed == 0 }

// Terms of the run record in the system graph.
var (
	rdfType        = graph.IRI(graph.RDFNamespace + "type")
	rdfsLabel      = graph.IRI("http://www.w3.org/2000/01/rdf-schema#label")
	dcatDataset    = graph.IRI("http://www.w3.org/ns/dcat#Dataset")
	tesseraGraph   = graph.IRI(NS + "Graph")
	accessLevel    = graph.IRI(NS + "accessLevel")
	harvestedFrom  = graph.IRI(NS + "harvestedFrom")
	loadedAt       = graph.IRI(NS + "loadedAt")
	tripleCount    = graph.IRI(NS + "tripleCount")
	contentHash    = graph.IRI(NS + "contentHash")
	documentsCount = graph.IRI(NS + "documents")
	runPredicates  = []graph.Term{harvestedFrom, loadedAt, tripleCount, contentHash, documentsCount}
)

// Harvest walks source and replaces its graph in store with what it found,
// in one transaction that also records the run in the system graph. On an
// error nothing changes, and the report (when not nil) says what was found.
func Harvest(ctx context.Context, store graph.Store, source string, opts Options) (*Report, error) {
	opts = opts.withDefaults(source)
	start := opts.Now()
	rep := &Report{Source: source, Graph: opts.Graph.Value(), Started: start.UTC()}
	triples, err := walk(ctx, source, opts, rep)
	rep.Duration = opts.Now().Sub(start).Round(time.Millisecond).String()
	if err != nil {
		return rep, err
	}
	if opts.FailOnPartial && len(rep.Failures) > 0 {
		return rep, fmt.Errorf("harvest %s: %d documents failed (first: %s: %s); nothing stored", source, len(rep.Failures), rep.Failures[0].URL, rep.Failures[0].Error)
	}
	rep.Triples = len(triples)
	rep.ContentHash = hashTriples(triples)
	g := opts.Graph
	sys := graph.IRI(opts.SystemGraph)
	err = store.Update(ctx, func(tx graph.Tx) error {
		old, err := graph.Collect(tx.Quads(ctx, graph.Pattern{G: g}))
		if err != nil {
			return fmt.Errorf("read %s: %w", g.Value(), err)
		}
		diff(rep, old, triples)
		exists, err := tx.HasGraph(ctx, g)
		if err != nil {
			return err
		}
		if exists {
			if err := tx.ClearGraph(ctx, g); err != nil {
				return fmt.Errorf("clear %s: %w", g.Value(), err)
			}
		} else if err := tx.CreateGraph(ctx, g); err != nil {
			return fmt.Errorf("create %s: %w", g.Value(), err)
		}
		for _, t := range triples {
			if err := tx.Add(graph.Quad{S: t.S, P: t.P, O: t.O, G: g}); err != nil {
				return fmt.Errorf("store %s: %w", t, err)
			}
		}
		return record(ctx, tx, sys, g, source, start, rep, opts)
	})
	if err != nil {
		return rep, fmt.Errorf("harvest %s: store: %w", source, err)
	}
	return rep, nil
}

// record writes the run into the system graph, replacing the previous
// run's record; a graph new to the system graph gets a type, a label and
// the access level of Options.AccessLevel.
func record(ctx context.Context, tx graph.Tx, sys, g graph.Term, source string, start time.Time, rep *Report, opts Options) error {
	for _, p := range runPredicates {
		old, err := graph.Collect(tx.Quads(ctx, graph.Pattern{S: g, P: p, G: sys}))
		if err != nil {
			return err
		}
		for _, q := range old {
			if err := tx.Delete(q); err != nil {
				return err
			}
		}
	}
	n, err := tx.Count(ctx, graph.Pattern{S: g, P: accessLevel, G: sys})
	if err != nil {
		return err
	}
	add := func(p, o graph.Term) error { return tx.Add(graph.Quad{S: g, P: p, O: o, G: sys}) }
	if n == 0 {
		for _, q := range []struct{ p, o graph.Term }{
			{rdfType, tesseraGraph},
			{rdfsLabel, graph.LangLiteral("Harvested from "+source, "en")},
			{accessLevel, opts.AccessLevel},
		} {
			if err := add(q.p, q.o); err != nil {
				return err
			}
		}
	}
	for _, q := range []struct{ p, o graph.Term }{
		{harvestedFrom, graph.IRI(source)},
		{loadedAt, graph.Literal(start.UTC().Truncate(time.Second).Format(time.RFC3339), graph.XSDNamespace+"dateTime")},
		{tripleCount, graph.Literal(strconv.Itoa(rep.Triples), graph.XSDInteger)},
		{contentHash, graph.String(rep.ContentHash)},
		{documentsCount, graph.Literal(strconv.Itoa(rep.Documents), graph.XSDInteger)},
	} {
		if err := add(q.p, q.o); err != nil {
			return err
		}
	}
	return nil
}

// tripleKey is a quad without its graph.
func tripleKey(q graph.Quad) graph.Quad { return graph.Quad{S: q.S, P: q.P, O: q.O} }

// diff fills the report's changes from the old graph's quads to the new
// triples.
func diff(rep *Report, old, triples []graph.Quad) {
	oldSet := make(map[graph.Quad]bool, len(old))
	for _, q := range old {
		oldSet[tripleKey(q)] = true
	}
	newSet := make(map[graph.Quad]bool, len(triples))
	for _, q := range triples {
		newSet[tripleKey(q)] = true
	}
	for q := range newSet {
		if !oldSet[q] {
			rep.Added++
		}
	}
	for q := range oldSet {
		if !newSet[q] {
			rep.Removed++
		}
	}
	oldDS, newDS := datasetHashes(oldSet), datasetHashes(newSet)
	rep.Datasets = len(newDS)
	for ds, h := range newDS {
		switch oh, ok := oldDS[ds]; {
		case !ok:
			rep.NewDatasets = append(rep.NewDatasets, ds.Value())
		case oh != h:
			rep.ChangedDatasets = append(rep.ChangedDatasets, ds.Value())
		}
	}
	for ds := range oldDS {
		if _, ok := newDS[ds]; !ok {
			rep.RemovedDatasets = append(rep.RemovedDatasets, ds.Value())
		}
	}
	slices.Sort(rep.NewDatasets)
	slices.Sort(rep.ChangedDatasets)
	slices.Sort(rep.RemovedDatasets)
}

// datasetHashes returns, for each dcat:Dataset subject, a hash of its
// triples.
func datasetHashes(set map[graph.Quad]bool) map[graph.Term]string {
	lines := map[graph.Term][]string{}
	for q := range set {
		if q.P == rdfType && q.O == dcatDataset {
			lines[q.S] = nil
		}
	}
	for q := range set {
		if l, ok := lines[q.S]; ok {
			lines[q.S] = append(l, q.String())
		}
	}
	out := make(map[graph.Term]string, len(lines))
	for ds, l := range lines {
		slices.Sort(l)
		h := sha256.Sum256([]byte(strings.Join(l, "\n")))
		out[ds] = hex.EncodeToString(h[:])
	}
	return out
}

// hashTriples is the content hash of a run: SHA-256 of the sorted N-Triples
// lines, as "sha256:hex".
func hashTriples(triples []graph.Quad) string {
	lines := make([]string, len(triples))
	for i, q := range triples {
		lines[i] = tripleKey(q).String()
	}
	slices.Sort(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// WriteText writes the report for people:
//
//	harvested https://fdp.example.org/fdp into https://tessera.example/graph/harvest/fdp.example.org/fdp
//	  153 documents, 2104 triples, sha256:…, 1.2s
//	  +12 −3 triples; 70 datasets: 1 new, 0 removed, 2 changed
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "harvested %s into %s\n", r.Source, r.Graph)
	fmt.Fprintf(&b, "  %d documents, %d triples, %s, %s\n", r.Documents, r.Triples, r.ContentHash, r.Duration)
	fmt.Fprintf(&b, "  +%d −%d triples; %d datasets: %d new, %d removed, %d changed\n", r.Added, r.Removed, r.Datasets, len(r.NewDatasets), len(r.RemovedDatasets), len(r.ChangedDatasets))
	for _, l := range []struct {
		name string
		iris []string
	}{{"new", r.NewDatasets}, {"removed", r.RemovedDatasets}, {"changed", r.ChangedDatasets}} {
		for _, iri := range l.iris {
			fmt.Fprintf(&b, "  %-8s %s\n", l.name, iri)
		}
	}
	for _, f := range r.Failures {
		fmt.Fprintf(&b, "  failed   %s: %s\n", f.URL, f.Error)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(&b, "  skipped  %d links to other hosts (first: %s)\n", len(r.Skipped), r.Skipped[0])
	}
	_, err := io.WriteString(w, b.String())
	return err
}
