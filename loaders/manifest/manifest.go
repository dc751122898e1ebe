// Package manifest reads the W3C test-suite manifests (the mf:/qt:/ut:/rdft:
// vocabularies of the RDF and SPARQL test suites) so that conformance runners
// can iterate the tests in order and find their input and expected files on
// disk.
package manifest

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

// Vocabulary IRIs used by the manifests.
const (
	MF       = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
	QT       = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
	UT       = "http://www.w3.org/2009/sparql/tests/test-update#"
	RDFT     = "http://www.w3.org/ns/rdftest#"
	DAWGT    = "http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#"
	RDF      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	RDFS     = "http://www.w3.org/2000/01/rdf-schema#"
	rdfType  = RDF + "type"
	rdfFirst = RDF + "first"
	rdfRest  = RDF + "rest"
	rdfNil   = RDF + "nil"
)

// Test is one entry of a manifest.
type Test struct {
	// Node is the test's node in the manifest graph; ID is its IRI.
	Node graph.Term
	ID   string
	// Name is mf:name, Comment rdfs:comment.
	Name, Comment string
	// Type is the full IRI of the test's rdf:type.
	Type string
	// Action and Result are the local paths of mf:action and mf:result when
	// those are IRIs of files; empty otherwise (see Manifest for structured
	// actions).
	Action, Result string
	// ActionNode and ResultNode are the raw objects of mf:action/mf:result.
	ActionNode, ResultNode graph.Term
	// Approval is the IRI of rdft:approval or dawgt:approval, if any.
	Approval string
	// Manifest is the manifest the test came from.
	Manifest *Manifest
}

// Manifest is a parsed manifest file: its triples, for tests whose actions
// are structured (SPARQL qt:query/qt:data), and its tests in order.
type Manifest struct {
	// Path is the local file, Base its IRI.
	Path, Base string
	Tests      []Test
	quads      []graph.Quad
}

// Load reads the manifest at path, whose IRI is base, and the manifests it
// includes (mf:include), returning their tests in order.
func Load(path, base string) ([]Test, error) {
	var out []Test
	if err := load(path, base, &out, map[string]bool{}); err != nil {
		return nil, err
	}
	return out, nil
}

func load(file, base string, out *[]Test, seen map[string]bool) error {
	if seen[file] {
		return nil
	}
	seen[file] = true
	m, err := Parse(file, base)
	if err != nil {
		return err
	}
	for _, root := range m.Subjects(rdfType, graph.IRI(MF+"Manifest")) {
		for _, inc := range m.List(m.Object(root, MF+"include")) {
			if err := load(m.LocalPath(inc.Value()), inc.Value(), out, seen); err != nil {
				return err
			}
		}
	}
	*out = append(*out, m.Tests...)
	return nil
}

// Parse reads one manifest file without following includes.
func Parse(file, base string) (*Manifest, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	defer f.Close()
	m := &Manifest{Path: file, Base: base}
	dec := turtle.NewDecoder(f, syntax.Options{File: file, Base: base})
	for q, err := range syntax.Quads(dec) {
		if err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		m.quads = append(m.quads, q)
	}
	for _, root := range m.Subjects(rdfType, graph.IRI(MF+"Manifest")) {
		for _, e := range m.List(m.Object(root, MF+"entries")) {
			m.Tests = append(m.Tests, m.test(e))
		}
	}
	return m, nil
}

func (m *Manifest) test(n graph.Term) Test {
	t := Test{Node: n, Manifest: m}
	if n.IsIRI() {
		t.ID = n.Value()
	}
	t.Name = m.Object(n, MF+"name").Value()
	t.Comment = m.Object(n, RDFS+"comment").Value()
	t.Type = m.Object(n, rdfType).Value()
	t.ActionNode = m.Object(n, MF+"action")
	t.ResultNode = m.Object(n, MF+"result")
	if t.ActionNode.IsIRI() {
		t.Action = m.LocalPath(t.ActionNode.Value())
	}
	if t.ResultNode.IsIRI() {
		t.Result = m.LocalPath(t.ResultNode.Value())
	}
	if a := m.Object(n, RDFT+"approval"); !a.IsZero() {
		t.Approval = a.Value()
	} else {
		t.Approval = m.Object(n, DAWGT+"approval").Value()
	}
	return t
}

// LocalPath maps an IRI below the manifest's directory IRI to the file below
// the manifest's directory on disk.
func (m *Manifest) LocalPath(iri string) string {
	dir := m.Base[:strings.LastIndexByte(m.Base, '/')+1]
	rel, ok := strings.CutPrefix(iri, dir)
	if !ok {
		return ""
	}
	return filepath.Join(filepath.Dir(m.Path), filepath.FromSlash(path.Clean(rel)))
}

// Object returns the first object of (s, p), or the zero Term.
func (m *Manifest) Object(s graph.Term, p string) graph.Term {
	for _, q := range m.quads {
		if q.S == s && q.P.Value() == p {
			return q.O
		}
	}
	return graph.Term{}
}

// Objects returns every object of (s, p) in document order.
func (m *Manifest) Objects(s graph.Term, p string) []graph.Term {
	var out []graph.Term
	for _, q := range m.quads {
		if q.S == s && q.P.Value() == p {
			out = append(out, q.O)
		}
	}
	return out
}

// Subjects returns every subject of (?, p, o).
func (m *Manifest) Subjects(p string, o graph.Term) []graph.Term {
	var out []graph.Term
	for _, q := range m.quads {
		if q.P.Value() == p && q.O == o {
			out = append(out, q.S)
		}
	}
	return out
}

// List returns the members of the RDF collection starting at head.
func (m *Manifest) List(head graph.Term) []graph.Term {
	var out []graph.Term
	for i := 0; !head.IsZero() && head.Value() != rdfNil && i < 1_000_000; i++ {
		out = append(out, m.Object(head, rdfFirst))
		head = m.Object(head, rdfRest)
	}
	return out
}
