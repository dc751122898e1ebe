// Package shapes ships the SHACL shapes Tessera validates metadata against,
// embedded in the binary: the FAIR Data Point shapes ("fdp"), the Health-RI
// dataset profile ("health-ri"), DCAT-AP 3 ("dcat-ap"), the EUCAIM
// DCAT-AP v2.0 shapes written for Tessera ("eucaim") and Tessera's catalogue
// API shapes ("catalogue", which with "eucaim" describe the GraphQL API; see
// Install). README.md records the source and licence of each.
//
// Load parses a set into quads for shacl.Compile. Nothing is cached: each
// call parses again (parse and compile take 6–36 ms per set on a 2-core machine), so callers
// that validate often should compile once and keep the *shacl.Shapes.
package shapes

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

//go:embed data
var files embed.FS

// ErrUnknown is returned (wrapped) by Load for a name that is not shipped.
var ErrUnknown = errors.New("shapes: unknown shape set")

// Default is the set validated when the user names none: Tessera's
// catalogue is a EUCAIM catalogue.
const Default = "eucaim"

// BaseIRI is the base of the relative IRIs in the shipped files: a file
// resolves against BaseIRI + set + "/" + file name.
const BaseIRI = "https://w3id.org/tessera/shapes/"

// descriptions are the shipped sets, in Names order.
var descriptions = map[string]string{
	"catalogue": "Tessera catalogue API: catalogues, organisations, contacts, distributions, patients, imaging studies (Tessera)",
	"dcat-ap":   "DCAT-AP 3.0.1 (SEMIC, CC BY 4.0)",
	"eucaim":    "EUCAIM DCAT-AP v2.0 Dataset and Distribution (Tessera)",
	"fdp":       "FAIR Data Point metadata shapes (FAIR Data Team, MIT)",
	"health-ri": "Health-RI core dataset shape (Health-RI, CC BY 4.0)",
}

// Names returns the names of the shipped shape sets, sorted.
func Names() []string {
	out := make([]string, 0, len(descriptions))
	for n := range descriptions {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Describe returns a one-line description of a shipped set (its source and
// licence), or "" for an unknown name.
func Describe(name string) string { return descriptions[name] }

// Has reports whether name is a shipped set.
func Has(name string) bool {
	_, ok := descriptions[name]
	return ok
}

// Load parses the Turtle files of the shipped set name, in file-name order,
// into one shapes graph (default graph; each file its own blank-node
// scope).
func Load(name string) ([]graph.Quad, error) {
	if !Has(name) {
		return nil, fmt.Errorf("load shapes %q: %w (shipped: %v)", name, ErrUnknown, Names())
	}
	dir := path.Join("data", name)
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		return nil, fmt.Errorf("load shapes %s: %w", name, err)
	}
	var out []graph.Quad
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".ttl" {
			continue
		}
		qs, err := parse(path.Join(dir, e.Name()), BaseIRI+name+"/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("load shapes %s: %w", name, err)
		}
		out = append(out, qs...)
	}
	return out, nil
}

func parse(file, base string) ([]graph.Quad, error) {
	f, err := files.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := turtle.NewDecoder(f, syntax.Options{File: file, Base: base})
	var out []graph.Quad
	for {
		q, err := dec.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
}
