package schema

import (
	"container/list"
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/location"
)

// introspectionDepth bounds the nesting inside __schema / __type, which the
// depth limit does not count (GraphiQL's own introspection query nests
// ofType about ten levels deep).
const introspectionDepth = 32

// docStats are the limits-relevant figures of a document that do not depend
// on variables: computed once per query text and cached.
type docStats struct {
	depth   int
	aliases int
	// deepIntrospection is set when an introspection subtree nests beyond
	// introspectionDepth.
	deepIntrospection bool
	deepest           *ast.Field
	// fields is the number of field selections once every fragment spread
	// is expanded (saturating): what validation and execution walk.
	fields int
	// cycle names a fragment that spreads itself, directly or not.
	// graphql-go's validation recurses forever on such a document (a stack
	// overflow, which no recover catches), so it must never get one.
	cycle *ast.FragmentDefinition
}

func sat(a, b int) int {
	if a > math.MaxInt32-b {
		return math.MaxInt32
	}
	return a + b
}

func satMul(a, b int) int {
	if a != 0 && b > math.MaxInt32/a {
		return math.MaxInt32
	}
	return a * b
}

// analyze walks every operation of doc, following fragment spreads (each
// fragment once per use for aliases, cycle-safe: validation has not run
// yet when this does, so that huge documents are refused cheaply).
func analyze(doc *ast.Document) docStats {
	frags := map[string]*ast.FragmentDefinition{}
	for _, d := range doc.Definitions {
		if f, ok := d.(*ast.FragmentDefinition); ok && f.Name != nil {
			frags[f.Name.Value] = f
		}
	}
	st0 := docStats{}
	st0.cycle = fragmentCycle(doc, frags)
	if st0.cycle != nil {
		return st0
	}
	type memo struct{ depth, aliases, fields int }
	memos := map[string]memo{}
	_ = st0
	visiting := map[string]bool{}
	var st docStats
	fields := 0
	var walk func(ss *ast.SelectionSet, introspection bool) (depth, aliases int)
	walk = func(ss *ast.SelectionSet, introspection bool) (int, int) {
		if ss == nil {
			return 0, 0
		}
		depth, aliases := 0, 0
		for _, sel := range ss.Selections {
			switch s := sel.(type) {
			case *ast.Field:
				fields = sat(fields, 1)
				if s.Alias != nil {
					aliases = sat(aliases, 1)
				}
				name := ""
				if s.Name != nil {
					name = s.Name.Value
				}
				intro := introspection || name == "__schema" || name == "__type"
				d, a := walk(s.SelectionSet, intro)
				aliases = sat(aliases, a)
				if intro && !introspection {
					if d+1 > introspectionDepth {
						st.deepIntrospection = true
					}
					continue
				}
				if d+1 > depth {
					depth = d + 1
					if st.deepest == nil || depth > st.depth {
						st.deepest = s
					}
				}
			case *ast.InlineFragment:
				d, a := walk(s.SelectionSet, introspection)
				aliases = sat(aliases, a)
				depth = max(depth, d)
			case *ast.FragmentSpread:
				if s.Name == nil {
					continue
				}
				name := s.Name.Value
				m, ok := memos[name]
				if !ok {
					f := frags[name]
					if f == nil || visiting[name] {
						continue // unknown or cyclic: validation reports it
					}
					visiting[name] = true
					before := fields
					m.depth, m.aliases = walk(f.SelectionSet, introspection)
					m.fields = fields - before
					fields = before
					visiting[name] = false
					memos[name] = m
				}
				fields = sat(fields, m.fields)
				aliases = sat(aliases, m.aliases)
				depth = max(depth, m.depth)
			}
		}
		return depth, aliases
	}
	for _, d := range doc.Definitions {
		if op, ok := d.(*ast.OperationDefinition); ok {
			dep, al := walk(op.SelectionSet, false)
			st.depth = max(st.depth, dep)
			st.aliases = sat(st.aliases, al)
		}
	}
	st.fields = fields
	return st
}

// fragmentCycle returns a fragment that is part of a cycle of spreads
// (reachable from an operation or not), or nil.
func fragmentCycle(doc *ast.Document, frags map[string]*ast.FragmentDefinition) *ast.FragmentDefinition {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var visit func(f *ast.FragmentDefinition) *ast.FragmentDefinition
	var spreads func(ss *ast.SelectionSet) *ast.FragmentDefinition
	spreads = func(ss *ast.SelectionSet) *ast.FragmentDefinition {
		if ss == nil {
			return nil
		}
		for _, sel := range ss.Selections {
			switch s := sel.(type) {
			case *ast.Field:
				if c := spreads(s.SelectionSet); c != nil {
					return c
				}
			case *ast.InlineFragment:
				if c := spreads(s.SelectionSet); c != nil {
					return c
				}
			case *ast.FragmentSpread:
				if s.Name == nil {
					continue
				}
				if f := frags[s.Name.Value]; f != nil {
					if c := visit(f); c != nil {
						return c
					}
				}
			}
		}
		return nil
	}
	visit = func(f *ast.FragmentDefinition) *ast.FragmentDefinition {
		name := f.Name.Value
		switch state[name] {
		case active:
			return f
		case done:
			return nil
		}
		state[name] = active
		c := spreads(f.SelectionSet)
		state[name] = done
		return c
	}
	for _, d := range doc.Definitions {
		if f, ok := d.(*ast.FragmentDefinition); ok && f.Name != nil {
			if c := visit(f); c != nil {
				return c
			}
		}
	}
	return nil
}

// costCheck computes the complexity of doc with its variables: every field
// costs 1 times the number of times it may be resolved, and a list field
// multiplies its subtree by its first/limit argument (or the default page
// size). It also refuses a first/limit above maxFirst.
type costCheck struct {
	frags        map[string]*ast.FragmentDefinition
	vars         map[string]any
	listNames    map[string]bool
	defaultFirst int
	maxFirst     int
	memo         map[string]int
	visiting     map[string]bool
	err          *gqlerrors.FormattedError
}

func (c *costCheck) argInt(f *ast.Field, name string) (int, bool) {
	for _, a := range f.Arguments {
		if a.Name == nil || a.Name.Value != name {
			continue
		}
		switch v := a.Value.(type) {
		case *ast.IntValue:
			n, err := strconv.Atoi(v.Value)
			if err != nil {
				return math.MaxInt32, true
			}
			return n, true
		case *ast.Variable:
			if v.Name == nil {
				return 0, false
			}
			switch x := c.vars[v.Name.Value].(type) {
			case float64:
				if x > math.MaxInt32 {
					return math.MaxInt32, true
				}
				return int(x), true
			case int:
				return x, true
			case int64:
				return int(min(x, math.MaxInt32)), true
			}
		}
	}
	return 0, false
}

// cost1 is the cost of a selection set resolved once.
func (c *costCheck) cost1(ss *ast.SelectionSet) int {
	if ss == nil || c.err != nil {
		return 0
	}
	total := 0
	for _, sel := range ss.Selections {
		switch s := sel.(type) {
		case *ast.Field:
			factor := 1
			n, ok := c.argInt(s, "first")
			if !ok {
				n, ok = c.argInt(s, "limit")
			}
			if ok {
				if n > c.maxFirst {
					fe := locatedError(fmt.Sprintf("first/limit %d is above the maximum page size %d", n, c.maxFirst), s)
					c.err = &fe
					return 0
				}
				factor = max(n, 1)
			} else if s.Name != nil && c.listNames[s.Name.Value] {
				factor = c.defaultFirst
			}
			total = sat(total, sat(1, satMul(factor, c.cost1(s.SelectionSet))))
		case *ast.InlineFragment:
			total = sat(total, c.cost1(s.SelectionSet))
		case *ast.FragmentSpread:
			if s.Name == nil {
				continue
			}
			name := s.Name.Value
			v, ok := c.memo[name]
			if !ok {
				f := c.frags[name]
				if f == nil || c.visiting[name] {
					continue
				}
				c.visiting[name] = true
				v = c.cost1(f.SelectionSet)
				c.visiting[name] = false
				c.memo[name] = v
			}
			total = sat(total, v)
		}
	}
	return total
}

func complexity(doc *ast.Document, opName string, vars map[string]any, listNames map[string]bool, defaultFirst, maxFirst int) (int, *gqlerrors.FormattedError) {
	c := &costCheck{frags: map[string]*ast.FragmentDefinition{}, vars: vars, listNames: listNames,
		defaultFirst: defaultFirst, maxFirst: maxFirst, memo: map[string]int{}, visiting: map[string]bool{}}
	for _, d := range doc.Definitions {
		if f, ok := d.(*ast.FragmentDefinition); ok && f.Name != nil {
			c.frags[f.Name.Value] = f
		}
	}
	worst := 0
	for _, d := range doc.Definitions {
		op, ok := d.(*ast.OperationDefinition)
		if !ok {
			continue
		}
		if opName != "" && (op.Name == nil || op.Name.Value != opName) {
			continue
		}
		worst = max(worst, c.cost1(op.SelectionSet))
		if c.err != nil {
			return worst, c.err
		}
	}
	return worst, nil
}

// locatedError is a refusal pointing at a node of the document.
func locatedError(msg string, n ast.Node) gqlerrors.FormattedError {
	fe := gqlerrors.FormattedError{Message: msg}
	if n != nil && n.GetLoc() != nil && n.GetLoc().Source != nil {
		l := location.GetLocation(n.GetLoc().Source, n.GetLoc().Start)
		fe.Locations = []location.SourceLocation{l}
	}
	return fe
}

// docCache is a bounded LRU of parsed and validated documents by query
// text (refusals included, so a hostile query repeated costs a map lookup).
type docCache struct {
	mu    sync.Mutex
	size  int
	ll    *list.List
	items map[string]*list.Element
}

type cachedDoc struct {
	query  string
	doc    *ast.Document
	stats  docStats
	errors []gqlerrors.FormattedError // refusal, when not empty
}

func newDocCache(size int) *docCache {
	return &docCache{size: size, ll: list.New(), items: map[string]*list.Element{}}
}

func (c *docCache) get(q string) *cachedDoc {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[q]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*cachedDoc)
	}
	return nil
}

func (c *docCache) put(d *cachedDoc) {
	if c.size <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[d.query]; ok {
		e.Value = d
		c.ll.MoveToFront(e)
		return
	}
	c.items[d.query] = c.ll.PushFront(d)
	for c.ll.Len() > c.size {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.items, last.Value.(*cachedDoc).query)
	}
}
