package schema

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/language/source"
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/ontology"
	"github.com/tessera-fair/tessera/schema/model"
	"github.com/tessera-fair/tessera/sparql/eval"
)

// DeriveFunc derives the Model from the shapes graphs and the ontology; it
// has the signature of model.Derive.
type DeriveFunc func(ctx context.Context, r graph.Reader, shapesGraphs []graph.Term, ont *ontology.Ontology) (*model.Model, error)

// Options configure a Service. The zero value of every limit is a safe
// default.
type Options struct {
	// ShapesGraphs hold the SHACL shapes the model is derived from.
	ShapesGraphs []graph.Term
	// Ontology is the ontology cache (hierarchy, labels, equivalences).
	// Nil means: build a snapshot of OntologyGraphs at each Rebuild.
	Ontology       *ontology.Cache
	OntologyGraphs []graph.Term
	// Derive builds the Model (required: model.Derive in production, a
	// hand-made model in tests).
	Derive DeriveFunc
	// Build configures schema generation (discovery fields, page sizes).
	Build BuildOptions
	// Eval configures the evaluator (MaxMemory, Hierarchy). Its Dataset is
	// replaced: catalogue data is read from the union of the named graphs,
	// records from the caller's visible graphs.
	Eval eval.Options
	// Access is the access policy cache: records (patients, studies) are
	// read only from Policy.Records(registered). Nil means: load the policy
	// from each request's snapshot with AccessOptions.
	Access        *access.Cache
	AccessOptions access.Options
	// Visible, when set, overrides the policy: it returns the graphs whose
	// records the caller may read.
	Visible func(ctx context.Context, r graph.Reader, registered bool) ([]graph.Term, error)
	// MaxDepth bounds field nesting (default 12; introspection subtrees are
	// bounded separately). MaxComplexity bounds the cost (default 100,000:
	// every field costs 1 per time it may be resolved, lists multiply by
	// their page size). MaxAliases bounds aliased fields (default 100).
	// MaxQueryBytes bounds the query text (default 64 KiB).
	MaxDepth, MaxComplexity, MaxAliases, MaxQueryBytes int
	// MaxRows bounds the rows one generated query may return (default
	// 1,000,000), on top of Eval.MaxMemory.
	MaxRows int
	// Timeout bounds one request (default 30 s).
	Timeout time.Duration
	// CacheSize is the number of parsed documents kept (default 512).
	CacheSize int
	// Debounce is the delay between a write to a shapes or ontology graph
	// and the rebuild it triggers (default 500 ms): a burst of writes
	// rebuilds once.
	Debounce time.Duration
	// Logger receives rebuild errors (default: discard).
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.MaxDepth <= 0 {
		o.MaxDepth = 12
	}
	if o.MaxComplexity <= 0 {
		o.MaxComplexity = 100_000
	}
	if o.MaxAliases <= 0 {
		o.MaxAliases = 100
	}
	if o.MaxQueryBytes <= 0 {
		o.MaxQueryBytes = 64 << 10
	}
	if o.MaxRows <= 0 {
		o.MaxRows = 1_000_000
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.CacheSize <= 0 {
		o.CacheSize = 512
	}
	if o.Debounce <= 0 {
		o.Debounce = 500 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.Build = o.Build.withDefaults()
	return o
}

// Service executes GraphQL requests against a store with a schema generated
// from the shapes; Rebuild swaps in a new schema atomically.
type Service struct {
	store graph.Store
	opts  Options
	cur   atomic.Pointer[generation]

	rebuildMu sync.Mutex
	timerMu   sync.Mutex
	timer     *time.Timer
	closed    bool
}

// generation is one built schema with its document cache (documents are
// validated against one schema, so the cache goes with it).
type generation struct {
	b     *built
	ont   *ontology.Ontology // when Options.Ontology is nil
	cache *docCache
}

// New derives the model, builds the schema and returns a ready Service.
func New(ctx context.Context, store graph.Store, opts Options) (*Service, error) {
	if store == nil {
		return nil, errors.New("schema: nil store")
	}
	if opts.Derive == nil {
		return nil, errors.New("schema: Options.Derive is required")
	}
	s := &Service{store: store, opts: opts.withDefaults()}
	if err := s.Rebuild(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Rebuild re-derives the model from the shapes graphs and the current
// ontology, builds the schema and swaps it in. Requests in flight finish on
// the schema they started with.
func (s *Service) Rebuild(ctx context.Context) error {
	s.rebuildMu.Lock()
	defer s.rebuildMu.Unlock()
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("schema: rebuild: snapshot: %w", err)
	}
	defer snap.Release()
	var ont *ontology.Ontology
	gen := &generation{cache: newDocCache(s.opts.CacheSize)}
	if s.opts.Ontology != nil {
		if _, err := s.opts.Ontology.Refresh(ctx); err != nil {
			return fmt.Errorf("schema: rebuild: ontology: %w", err)
		}
		ont = s.opts.Ontology.Current()
	} else {
		ont, err = ontology.Build(ctx, snap, s.opts.OntologyGraphs)
		if err != nil {
			return fmt.Errorf("schema: rebuild: ontology: %w", err)
		}
		gen.ont = ont
	}
	m, err := s.opts.Derive(ctx, snap, s.opts.ShapesGraphs, ont)
	if err != nil {
		return fmt.Errorf("schema: rebuild: derive model: %w", err)
	}
	b, err := build(m, s.opts.Build)
	if err != nil {
		return fmt.Errorf("schema: rebuild: %w", err)
	}
	gen.b = b
	s.cur.Store(gen)
	return nil
}

// OnWrite tells the service that graph g was written (the zero Term: some
// graph). When g is a shapes graph or an ontology graph, a rebuild is
// scheduled after Options.Debounce (writes in the meantime push it back,
// so a burst rebuilds once); the ontology and access caches of Options are
// told as well.
func (s *Service) OnWrite(g graph.Term) {
	if s.opts.Access != nil {
		s.opts.Access.Invalidate(g)
	}
	relevant := g.IsZero() || slices.Contains(s.opts.ShapesGraphs, g) || slices.Contains(s.opts.OntologyGraphs, g)
	if s.opts.Ontology != nil {
		if slices.Contains(s.opts.Ontology.Current().Graphs(), g) {
			relevant = true
		}
		s.opts.Ontology.Invalidate(g)
	}
	if !relevant {
		return
	}
	s.timerMu.Lock()
	defer s.timerMu.Unlock()
	if s.closed {
		return
	}
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(s.opts.Debounce, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if err := s.Rebuild(ctx); err != nil {
			s.opts.Logger.Warn("graphql schema rebuild failed; the previous schema stays", "error", err)
		}
	})
}

// Close stops a scheduled rebuild. Requests still work afterwards.
func (s *Service) Close() {
	s.timerMu.Lock()
	defer s.timerMu.Unlock()
	s.closed = true
	if s.timer != nil {
		s.timer.Stop()
	}
}

// Schema returns the current executable schema.
func (s *Service) Schema() *graphql.Schema { return &s.cur.Load().b.schema }

// SDL prints the current schema in the GraphQL schema definition language,
// types in name order.
func (s *Service) SDL() string { return PrintSDL(s.Schema()) }

func refused(errs ...gqlerrors.FormattedError) *Response {
	return &Response{Errors: errs, Refused: true}
}

// Do executes one request. Malformed, invalid and over-limit requests are
// refused before anything runs (Response.Refused); execution errors come
// back in the GraphQL format with paths and locations. It never panics.
func (s *Service) Do(ctx context.Context, req Request) (resp *Response) {
	defer func() {
		if r := recover(); r != nil {
			resp = &Response{Errors: []gqlerrors.FormattedError{gqlerrors.NewFormattedError(fmt.Sprintf("internal error: %v", r))}}
		}
	}()
	if len(req.Query) > s.opts.MaxQueryBytes {
		return refused(gqlerrors.NewFormattedError(fmt.Sprintf("query is %d bytes, more than the limit of %d", len(req.Query), s.opts.MaxQueryBytes)))
	}
	gen := s.cur.Load()
	cd := gen.cache.get(req.Query)
	if cd == nil {
		cd = s.prepare(gen, req.Query)
		gen.cache.put(cd)
	}
	if len(cd.errors) > 0 {
		return refused(cd.errors...)
	}
	if cost, err := complexity(cd.doc, req.OperationName, req.Variables, gen.b.listNames, gen.b.opts.DefaultFirst, gen.b.opts.MaxFirst); err != nil {
		return refused(*err)
	} else if cost > s.opts.MaxComplexity {
		return refused(gqlerrors.NewFormattedError(fmt.Sprintf("query complexity %d is above the limit of %d (lists count once per item they may return: lower first/limit or select fewer nested lists)", cost, s.opts.MaxComplexity)))
	}

	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	snap, err := s.store.Snapshot(ctx)
	if err != nil {
		return &Response{Errors: gqlerrors.FormatErrors(fmt.Errorf("snapshot: %w", err))}
	}
	defer snap.Release()
	ont := gen.ont
	if s.opts.Ontology != nil {
		ont = s.opts.Ontology.Current()
	}
	caller := access.CallerFrom(ctx)
	caller.Registered = caller.Registered || req.Registered
	ctx = access.WithCaller(ctx, caller)
	vis, err := s.visible(ctx, snap, caller.Registered)
	if err != nil {
		return &Response{Errors: gqlerrors.FormatErrors(fmt.Errorf("access policy: %w", err))}
	}
	eo := s.opts.Eval
	eo.Dataset = eval.Dataset{UnionDefault: true}
	eo.FixedDataset = true
	st := newState(ctx, gen.b, snap, ont, vis, eo, s.opts.MaxRows)
	// Execute waits for its resolvers only while its context is live; give
	// it one that is not cancelled, so that the snapshot outlives every
	// resolver. The resolvers stop at the deadline through st.ctx.
	exctx := withState(context.WithoutCancel(ctx), st)
	res := graphql.Execute(graphql.ExecuteParams{
		Schema:        gen.b.schema,
		AST:           cd.doc,
		OperationName: req.OperationName,
		Args:          req.Variables,
		Context:       exctx,
	})
	resp = &Response{Data: res.Data, Errors: res.Errors}
	if ctx.Err() != nil {
		// The cause stays inside (OriginalError), for a caller that words
		// a time limit for people (web does).
		resp.Errors = append(resp.Errors, gqlerrors.FormatError(fmt.Errorf("request stopped: %w (limit %s)", ctx.Err(), s.opts.Timeout)))
	}
	if req.Explain {
		st.mu.Lock()
		resp.Extensions = map[string]any{"explain": slices.Clone(st.explain), "queries": st.queries}
		st.mu.Unlock()
	}
	return resp
}

// prepare parses, checks the static limits of and validates a query text.
func (s *Service) prepare(gen *generation, query string) (cd *cachedDoc) {
	cd = &cachedDoc{query: query}
	defer func() {
		// graphql-go's validation panics on some malformed documents its
		// parser accepts (a variable without a type): refuse them.
		if r := recover(); r != nil {
			cd = &cachedDoc{query: query, errors: []gqlerrors.FormattedError{gqlerrors.NewFormattedError(fmt.Sprintf("invalid document: %v", r))}}
		}
	}()
	doc, err := parser.Parse(parser.ParseParams{Source: source.NewSource(&source.Source{Body: []byte(query), Name: "GraphQL request"})})
	if err != nil {
		cd.errors = gqlerrors.FormatErrors(err)
		return cd
	}
	cd.doc = doc
	cd.stats = analyze(doc)
	switch {
	case cd.stats.cycle != nil:
		cd.errors = append(cd.errors, locatedError(fmt.Sprintf("cannot spread fragment %q within itself (fragment cycle)", cd.stats.cycle.Name.Value), cd.stats.cycle))
	case cd.stats.fields > s.opts.MaxComplexity:
		cd.errors = append(cd.errors, gqlerrors.NewFormattedError(fmt.Sprintf("query selects %d fields once its fragments are expanded, more than the complexity limit of %d", cd.stats.fields, s.opts.MaxComplexity)))
	case cd.stats.depth > s.opts.MaxDepth:
		cd.errors = append(cd.errors, locatedError(fmt.Sprintf("query depth %d is above the limit of %d", cd.stats.depth, s.opts.MaxDepth), cd.stats.deepest))
	case cd.stats.deepIntrospection:
		cd.errors = append(cd.errors, gqlerrors.NewFormattedError(fmt.Sprintf("introspection nests deeper than %d levels", introspectionDepth)))
	case cd.stats.aliases > s.opts.MaxAliases:
		cd.errors = append(cd.errors, gqlerrors.NewFormattedError(fmt.Sprintf("query uses %d aliases, more than the limit of %d", cd.stats.aliases, s.opts.MaxAliases)))
	}
	if len(cd.errors) > 0 {
		return cd
	}
	if vr := graphql.ValidateDocument(&gen.b.schema, doc, graphql.SpecifiedRules); !vr.IsValid {
		cd.errors = vr.Errors
	}
	return cd
}

// visible returns the graphs whose records the caller may read.
func (s *Service) visible(ctx context.Context, r graph.Reader, registered bool) ([]graph.Term, error) {
	switch {
	case s.opts.Visible != nil:
		return s.opts.Visible(ctx, r, registered)
	case s.opts.Access != nil:
		return s.opts.Access.Current().Records(registered), nil
	}
	p, err := access.Load(ctx, r, s.opts.AccessOptions)
	if err != nil {
		return nil, err
	}
	return p.Records(registered), nil
}
