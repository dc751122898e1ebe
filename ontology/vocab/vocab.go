// Package vocab bundles the vocabularies Tessera understands out of the box
// — the OncoTree cancer-type hierarchy (SKOS, with NCIt cross-references),
// DICOM acquisition modalities and body parts (with SNOMED CT codes), the
// EUCAIM hyperontology codes and access conditions, and minimal term
// declarations for DCAT 3, DCT, FOAF, SKOS, DCAT-AP, HealthDCAT-AP and
// EUCAIM DCAT-AP — and installs them into system graphs of a store.
//
// The Turtle files are generated from ../shared by internal/gen (go
// generate) and committed, so building never needs the shared folder;
// README.md records each file's source and licence.
package vocab

//go:generate go run ./internal/gen -shared ../../../shared/data -out .

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

//go:embed oncotree.ttl.gz dicom.ttl eucaim.ttl terms.ttl
var files embed.FS

// GraphBase is the prefix of the system graphs the vocabularies are
// installed in: GraphBase + Vocabulary.Name.
const GraphBase = "https://tessera.example/graph/system/vocab/"

// VersionPredicate links an installed vocabulary graph (as subject, in
// itself) to the version of the bundled file it holds, so Install can tell
// an up-to-date graph from one to replace.
const VersionPredicate = "https://tessera.example/ns/system#vocabVersion"

// baseIRI resolves relative IRIs of the bundled files (they have none).
const baseIRI = "https://tessera.example/vocab/"

// Vocabulary is one bundled vocabulary: its name, the system graph it is
// installed in, and the embedded file it is read from.
type Vocabulary struct {
	// Name is the short name ("oncotree"), also the last segment of Graph.
	Name string
	// Graph is the system graph the vocabulary is installed in.
	Graph graph.Term
	// File is the embedded file name (Turtle, gzipped when it ends in .gz).
	File string
}

// Graphs lists the bundled vocabularies in a fixed order.
func Graphs() []Vocabulary {
	names := [...][2]string{
		{"terms", "terms.ttl"},
		{"oncotree", "oncotree.ttl.gz"},
		{"dicom", "dicom.ttl"},
		{"eucaim", "eucaim.ttl"},
	}
	out := make([]Vocabulary, len(names))
	for i, n := range names {
		out[i] = Vocabulary{Name: n[0], Graph: graph.IRI(GraphBase + n[0]), File: n[1]}
	}
	return out
}

// Open returns the vocabulary's Turtle, decompressed.
func (v Vocabulary) Open() (io.ReadCloser, error) {
	f, err := files.Open(v.File)
	if err != nil {
		return nil, fmt.Errorf("open vocabulary %s: %w", v.Name, err)
	}
	if !strings.HasSuffix(v.File, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open vocabulary %s: %w", v.Name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{zr, f}, nil
}

// Version returns the version of the bundled file: the hex SHA-256 of its
// embedded bytes. It changes whenever the file is regenerated differently.
func (v Vocabulary) Version() (string, error) {
	data, err := files.ReadFile(v.File)
	if err != nil {
		return "", fmt.Errorf("read vocabulary %s: %w", v.Name, err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// Quads streams the vocabulary's triples as quads in its Graph.
func (v Vocabulary) Quads() graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		rc, err := v.Open()
		if err != nil {
			yield(graph.Quad{}, err)
			return
		}
		defer rc.Close()
		dec := turtle.NewDecoder(rc, syntax.Options{File: v.File, Base: baseIRI + v.Name})
		for {
			q, err := dec.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(graph.Quad{}, fmt.Errorf("decode vocabulary %s: %w", v.Name, err))
				return
			}
			q.G = v.Graph
			if !yield(q, nil) {
				return
			}
		}
	}
}

// Installed says what Install did with one vocabulary.
type Installed struct {
	Vocabulary
	// Version is the bundled version now in the store.
	Version string
	// Previous is the version that was in the store, "" if none.
	Previous string
	// Changed is true when the graph was written (first install or upgrade).
	Changed bool
}

// Install loads every bundled vocabulary into its system graph: on first
// start, and again (replacing the graph) whenever the bundled version
// differs from the one recorded in the graph. Graphs already up to date
// are not touched, and a store whose vocabularies are all current sees no
// write at all. All changes happen in one transaction: readers see either
// the old vocabularies or all the new ones.
func Install(ctx context.Context, s graph.Store) ([]Installed, error) {
	vocabs := Graphs()
	plan := make([]Installed, len(vocabs))
	for i, v := range vocabs {
		ver, err := v.Version()
		if err != nil {
			return nil, err
		}
		plan[i] = Installed{Vocabulary: v, Version: ver}
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("install vocabularies: %w", err)
	}
	stale, err := check(ctx, snap, plan)
	snap.Release()
	if err != nil || !stale {
		return plan, err
	}
	err = s.Update(ctx, func(tx graph.Tx) error {
		if _, err := check(ctx, tx, plan); err != nil { // a concurrent Install may have won
			return err
		}
		for i := range plan {
			if plan[i].Changed {
				if err := write(ctx, tx, plan[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("install vocabularies: %w", err)
	}
	return plan, nil
}

// check fills Previous and Changed of each plan entry from r and reports
// whether any graph needs writing.
func check(ctx context.Context, r graph.Reader, plan []Installed) (bool, error) {
	stale := false
	for i := range plan {
		p := &plan[i]
		p.Previous = ""
		for q, err := range r.Quads(ctx, graph.Pattern{S: p.Graph, P: graph.IRI(VersionPredicate), G: p.Graph}) {
			if err != nil {
				return false, fmt.Errorf("read version of %s: %w", p.Name, err)
			}
			p.Previous = q.O.Value()
		}
		p.Changed = p.Previous != p.Version
		stale = stale || p.Changed
	}
	return stale, nil
}

// write replaces the graph of p with the bundled vocabulary and its
// version triple.
func write(ctx context.Context, tx graph.Tx, p Installed) error {
	ok, err := tx.HasGraph(ctx, p.Graph)
	if err != nil {
		return fmt.Errorf("install %s: %w", p.Name, err)
	}
	if ok {
		if err := tx.ClearGraph(ctx, p.Graph); err != nil {
			return fmt.Errorf("install %s: %w", p.Name, err)
		}
	}
	for q, err := range p.Quads() {
		if err != nil {
			return fmt.Errorf("install %s: %w", p.Name, err)
		}
		if err := tx.Add(q); err != nil {
			return fmt.Errorf("install %s: %w", p.Name, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("install %s: %w", p.Name, err)
	}
	v := graph.Quad{S: p.Graph, P: graph.IRI(VersionPredicate), O: graph.String(p.Version), G: p.Graph}
	if err := tx.Add(v); err != nil {
		return fmt.Errorf("install %s: %w", p.Name, err)
	}
	return nil
}
