package shapes

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strconv"

	"github.com/tessera-fair/tessera/graph"
)

// APIGraph is the system graph that holds the shapes the GraphQL API is
// derived from (schema/model.Derive reads it). Install writes the bundled
// API sets into it; an operator may add shapes to it (Graph Store protocol
// or SPARQL Update) and the API follows without a restart, until the next
// upgrade of the bundled shapes replaces the graph (Installed.Edited then
// says so). Shapes meant to survive upgrades belong in LocalGraph.
const APIGraph = "https://tessera.example/graph/system/shapes"

// LocalGraph is the system graph for an operator's own API shapes. Install
// never touches it; deriving the schema from APIGraph and LocalGraph
// together keeps local extensions across upgrades of the bundled shapes.
const LocalGraph = "https://tessera.example/graph/system/shapes/local"

// VersionPredicate links APIGraph (as subject, in itself) to the version of
// the bundled shapes it holds, so Install can tell an up-to-date graph
// from one to replace.
const VersionPredicate = "https://tessera.example/ns/system#shapesVersion"

// SizePredicate links APIGraph (as subject, in itself) to the number of
// quads Install wrote, so an upgrade can tell that an operator edited the
// graph since.
const SizePredicate = "https://tessera.example/ns/system#shapesSize"

// APIGraphs are the graphs the GraphQL API is derived from: APIGraph and
// LocalGraph, in that order.
func APIGraphs() []graph.Term { return []graph.Term{graph.IRI(APIGraph), graph.IRI(LocalGraph)} }

// APISets are the shipped sets the GraphQL API is derived from, in the
// order Install loads them: the EUCAIM validation shapes and the
// catalogue API shapes that complete them.
func APISets() []string { return []string{"eucaim", "catalogue"} }

// Installed says what Install did.
type Installed struct {
	// Graph is APIGraph.
	Graph graph.Term
	// Version is the bundled version now in the store: the hex SHA-256 of
	// the names and bytes of the API sets' files.
	Version string
	// Previous is the version that was in the store, "" if none.
	Previous string
	// Changed is true when the graph was written (first install or upgrade).
	Changed bool
	// Edited is true when Install replaced a graph whose size differed
	// from what the previous Install wrote (or that held quads before the
	// first Install): an operator's additions to it were dropped (they
	// belong in LocalGraph).
	Edited bool
	// Quads is the number of quads written, 0 when nothing changed.
	Quads int
}

// Version returns the version of the bundled API shapes: the hex SHA-256 of
// the names and contents of the files of APISets. It changes whenever a
// shipped API shape file changes.
func Version() (string, error) {
	h := sha256.New()
	for _, set := range APISets() {
		dir := path.Join("data", set)
		entries, err := fs.ReadDir(files, dir)
		if err != nil {
			return "", fmt.Errorf("shapes version: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() || path.Ext(e.Name()) != ".ttl" {
				continue
			}
			data, err := files.ReadFile(path.Join(dir, e.Name()))
			if err != nil {
				return "", fmt.Errorf("shapes version: %w", err)
			}
			fmt.Fprintf(h, "%s/%s %d\n", set, e.Name(), len(data))
			h.Write(data)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Install writes the bundled API shapes (APISets) into APIGraph: on first
// start, and again — replacing the whole graph in one transaction — whenever
// the bundled version differs from the one recorded in the graph. A store
// whose graph is current sees no write at all, so Install is cheap to call
// at every start and leaves an operator's additions alone until the
// bundled shapes change.
func Install(ctx context.Context, s graph.Store) (Installed, error) {
	ver, err := Version()
	if err != nil {
		return Installed{}, err
	}
	in := Installed{Graph: graph.IRI(APIGraph), Version: ver}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return Installed{}, fmt.Errorf("install API shapes: %w", err)
	}
	err = checkInstalled(ctx, snap, &in)
	snap.Release()
	if err != nil || !in.Changed {
		return in, err
	}
	var quads []graph.Quad
	for _, set := range APISets() {
		qs, err := Load(set)
		if err != nil {
			return Installed{}, fmt.Errorf("install API shapes: %w", err)
		}
		quads = append(quads, qs...)
	}
	err = s.Update(ctx, func(tx graph.Tx) error {
		if err := checkInstalled(ctx, tx, &in); err != nil || !in.Changed { // a concurrent Install may have won
			return err
		}
		ok, err := tx.HasGraph(ctx, in.Graph)
		if err != nil {
			return err
		}
		if ok {
			if err := tx.ClearGraph(ctx, in.Graph); err != nil {
				return err
			}
		}
		for _, q := range quads {
			q.G = in.Graph
			if err := tx.Add(q); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := tx.Count(ctx, graph.Pattern{G: in.Graph})
		if err != nil {
			return err
		}
		n += 2 // the two triples below
		meta := []graph.Quad{
			{S: in.Graph, P: graph.IRI(VersionPredicate), O: graph.String(ver), G: in.Graph},
			{S: in.Graph, P: graph.IRI(SizePredicate), O: graph.Literal(strconv.FormatInt(n, 10), xsdInteger), G: in.Graph},
		}
		for _, q := range meta {
			if err := tx.Add(q); err != nil {
				return err
			}
		}
		in.Quads = int(n)
		return nil
	})
	if err != nil {
		return Installed{}, fmt.Errorf("install API shapes: %w", err)
	}
	return in, nil
}

const xsdInteger = "http://www.w3.org/2001/XMLSchema#integer"

// checkInstalled fills Previous, Changed and Edited of in from r.
func checkInstalled(ctx context.Context, r graph.Reader, in *Installed) error {
	in.Previous, in.Changed, in.Edited = "", false, false
	size := int64(-1)
	for q, err := range r.Quads(ctx, graph.Pattern{S: in.Graph, G: in.Graph}) {
		if err != nil {
			return fmt.Errorf("read API shapes version: %w", err)
		}
		switch q.P.Value() {
		case VersionPredicate:
			in.Previous = q.O.Value()
		case SizePredicate:
			if n, err := strconv.ParseInt(q.O.Value(), 10, 64); err == nil {
				size = n
			}
		}
	}
	in.Changed = in.Previous != in.Version
	if in.Changed {
		n, err := r.Count(ctx, graph.Pattern{G: in.Graph})
		if err != nil {
			return fmt.Errorf("count API shapes: %w", err)
		}
		// A graph Install never wrote but that has quads was edited too.
		in.Edited = n != max(size, 0)
	}
	return nil
}
