package shacl

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/tessera-fair/tessera/graph"
)

// ErrRecursion is returned (wrapped) by Validate when checking a node
// against a shape needs the result of checking the same node against the
// same shape: SHACL leaves the validation of recursive shapes undefined
// (§3.4.3), so the validator reports it instead of looping.
var ErrRecursion = errors.New("shacl: recursive shape")

// Options configure a validation. The zero value validates the default
// graph with no cap on results.
type Options struct {
	// Graph selects the data graph among the reader's graphs; the zero Term
	// means the default graph.
	Graph graph.Term
	// MaxResults stops validation after this many results (the report then
	// has Truncated set and does not conform); zero means no limit.
	MaxResults int
	// DirectLookups queries the reader pattern by pattern instead of first
	// copying the data graph into an in-memory index. Use it with an
	// indexed store (badgerstore) whose data graph is too large to copy;
	// with memstore, whose pattern queries scan everything, it is slow.
	DirectLookups bool
}

// validator holds the state of one Validate call.
type validator struct {
	ctx    context.Context
	data   source
	err    error // sticky: the first lookup, recursion or context error
	sink   *sink
	steps  int
	memo   map[shapeNode]bool // conformance of nodes to shapes
	active map[shapeNode]bool // conformance checks in progress
	super  map[[2]graph.Term]bool
}

type shapeNode struct {
	s *shape
	n graph.Term
}

// sink collects results up to a limit (0: none).
type sink struct {
	results []Result
	limit   int
	full    bool
}

// frame is the shape and focus node a constraint is evaluated for.
type frame struct {
	shape  *shape
	focus  graph.Term
	values []graph.Term
}

// Validate checks the data graph of data against every active shape with
// targets (SHACL §3) and returns the validation report. The error is
// non-nil only when validation could not be carried out: the reader
// failed, ctx ended, or a recursive shape was met (ErrRecursion).
func (s *Shapes) Validate(ctx context.Context, data graph.Reader, opts Options) (*Report, error) {
	g := opts.Graph
	if g.IsZero() {
		g = graph.DefaultGraph
	}
	v := newValidator(ctx, opts)
	if opts.DirectLookups {
		v.data = direct{ctx: ctx, r: data, g: g, err: &v.err}
	} else {
		x, err := loadIndex(ctx, data, g)
		if err != nil {
			return nil, fmt.Errorf("validate: %w", err)
		}
		v.data = x
	}
	return s.run(v)
}

func newValidator(ctx context.Context, opts Options) *validator {
	return &validator{
		ctx:    ctx,
		sink:   &sink{limit: opts.MaxResults},
		memo:   map[shapeNode]bool{},
		active: map[shapeNode]bool{},
		super:  map[[2]graph.Term]bool{},
	}
}

// run validates the data v reads and builds the report.
func (s *Shapes) run(v *validator) (*Report, error) {
	for _, sh := range s.targeted {
		for _, focus := range v.focusNodes(sh) {
			if v.stop() {
				break
			}
			v.validate(sh, focus)
		}
		if v.stop() {
			break
		}
	}
	if v.err != nil {
		return nil, fmt.Errorf("validate: %w", v.err)
	}
	r := &Report{Results: v.sink.results, Truncated: v.sink.full, shapes: s, blanks: map[graph.Term]blankInfo{}}
	r.Conforms = len(r.Results) == 0
	for _, res := range r.Results {
		for _, t := range [...]graph.Term{res.Focus, res.Value} {
			if _, ok := r.blanks[t]; ok || !t.IsBlank() {
				continue
			}
			info := blankInfo{types: v.data.objects(t, rdfType)}
			for _, e := range v.data.incoming(t) {
				if info.via.p.IsZero() || graph.Compare(e.o, info.via.o) < 0 || (e.o == info.via.o && graph.Compare(e.p, info.via.p) < 0) {
					info.via = e
				}
			}
			r.blanks[t] = info
		}
	}
	return r, nil
}

// stop reports whether validation must end: an error, a full sink, or
// a cancelled context.
func (v *validator) stop() bool {
	return v.sink.full || v.failed()
}

// failed reports whether an error ended validation, checking the context
// every 256 calls so that long loops end soon after cancellation.
func (v *validator) failed() bool {
	if v.err != nil {
		return true
	}
	if v.steps++; v.steps%256 == 0 {
		if err := v.ctx.Err(); err != nil {
			v.err = err
			return true
		}
	}
	return false
}

// focusNodes returns the distinct targets of s (SHACL §2.1.3).
func (v *validator) focusNodes(s *shape) []graph.Term {
	var out []graph.Term
	seen := map[graph.Term]struct{}{}
	for _, t := range s.targets {
		switch t.kind {
		case shTargetNode:
			out = appendDistinct(out, seen, []graph.Term{t.value})
		case shTargetClass, rdfsClass:
			out = appendDistinct(out, seen, v.instances(t.value))
		case shTargetSubjectsOf:
			out = appendDistinct(out, seen, v.data.subjectsOf(t.value))
		case shTargetObjectsOf:
			out = appendDistinct(out, seen, v.data.objectsOf(t.value))
		}
	}
	// Stores yield quads in any order; sorting makes reports stable.
	slices.SortFunc(out, graph.Compare)
	return out
}

// instances returns the SHACL instances of class c: nodes typed c or one
// of its rdfs:subClassOf* subclasses in the data graph.
func (v *validator) instances(c graph.Term) []graph.Term {
	classes := v.evalPath(&Path{Kind: PathZeroOrMore, Elems: []*Path{PredicatePath(subClassOf)}}, c, true)
	var out []graph.Term
	seen := map[graph.Term]struct{}{}
	for _, k := range classes {
		out = appendDistinct(out, seen, v.data.subjects(rdfType, k))
	}
	return out
}

// isInstance reports whether n is a SHACL instance of c (SHACL §1.5).
func (v *validator) isInstance(n, c graph.Term) bool {
	for _, t := range v.data.objects(n, rdfType) {
		if t == c || v.isSubClass(t, c) {
			return true
		}
	}
	return false
}

func (v *validator) isSubClass(t, c graph.Term) bool {
	key := [2]graph.Term{t, c}
	if r, ok := v.super[key]; ok {
		return r
	}
	r := false
	for _, s := range v.evalPath(&Path{Kind: PathOneOrMore, Elems: []*Path{PredicatePath(subClassOf)}}, t, false) {
		if s == c {
			r = true
			break
		}
	}
	v.super[key] = r
	return r
}

// validate evaluates every constraint of s for one focus node, sending
// results to the current sink.
func (v *validator) validate(s *shape, focus graph.Term) {
	if s.deactivated {
		return
	}
	f := &frame{shape: s, focus: focus}
	if s.path == nil {
		f.values = []graph.Term{focus}
	} else {
		f.values = v.evalPath(s.path, focus, false)
		slices.SortFunc(f.values, graph.Compare)
	}
	for _, c := range s.constraints {
		if v.stop() {
			return
		}
		c.eval(v, f)
	}
}

// conforms reports whether n conforms to s: validating n as a focus node
// of s gives no result of any severity. Answers are memoised; a check
// that needs itself sets ErrRecursion.
func (v *validator) conforms(n graph.Term, s *shape) bool {
	key := shapeNode{s, n}
	if r, ok := v.memo[key]; ok {
		return r
	}
	if v.active[key] {
		if v.err == nil {
			v.err = fmt.Errorf("%w: %v needs its own result for focus node %v", ErrRecursion, s.node, n)
		}
		return true
	}
	v.active[key] = true
	outer := v.sink
	v.sink = &sink{limit: 1}
	v.validate(s, n)
	r := len(v.sink.results) == 0
	v.sink = outer
	delete(v.active, key)
	if v.err == nil {
		v.memo[key] = r
	}
	return r
}

// emit records a result of the frame's shape. A nil path means the
// shape's own path; value may be zero.
func (v *validator) emit(f *frame, comp, value graph.Term, path *Path, detail string) {
	if v.sink.full {
		return
	}
	if path == nil {
		path = f.shape.path
	}
	v.sink.results = append(v.sink.results, Result{
		Focus:       f.focus,
		Path:        path,
		Value:       value,
		SourceShape: f.shape.node,
		Component:   comp,
		Severity:    f.shape.severity,
		Messages:    f.shape.messages,
		Detail:      detail,
	})
	if v.sink.limit > 0 && len(v.sink.results) >= v.sink.limit {
		v.sink.full = true
	}
}
