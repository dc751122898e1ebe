package discovery

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/ontology"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/ontology/vocab"
)

const (
	onco   = "https://tessera.example/vocab/oncotree/"
	ncit   = "http://purl.obolibrary.org/obo/NCIT_"
	dcm    = "http://dicom.nema.org/resources/ontology/DCM/"
	snomed = "http://snomed.info/id/"
	eu     = "http://publications.europa.eu/resource/authority/country/"
	// extraVocab is a test vocabulary graph with labels the bundled
	// vocabularies lack (Spanish and German names of cancer types).
	extraVocab = vocab.GraphBase + "test-multilingual"
)

func iri(s string) graph.Term { return graph.IRI(s) }

// fixture is the demo catalogue (scale 1) with the bundled vocabularies in
// a memstore, and its ontology and policy.
type fixture struct {
	store graph.Store
	snap  graph.Snapshot
	ont   *ontology.Ontology
	pol   *access.Policy
	ix    *Index
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
	// tempDirs are removed by TestMain.
	tempMu   sync.Mutex
	tempDirs []string
	closers  []func() error
)

func TestMain(m *testing.M) {
	code := m.Run()
	tempMu.Lock()
	for _, c := range closers {
		c()
	}
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	tempMu.Unlock()
	os.Exit(code)
}

// openBadger opens a throw-away badger store that lives until TestMain ends.
func openBadger() (*badgerstore.Store, error) {
	dir, err := os.MkdirTemp("", "discovery-test-")
	if err != nil {
		return nil, err
	}
	s, err := badgerstore.Open(dir, badgerstore.Options{NoSync: true})
	tempMu.Lock()
	defer tempMu.Unlock()
	tempDirs = append(tempDirs, dir)
	if err != nil {
		return nil, err
	}
	closers = append(closers, s.Close)
	return s, nil
}

// loadFixture returns the shared scale-1 fixture, in a badger store (its
// bulk load takes seconds; the memstore's takes a minute on a busy
// machine).
func loadFixture(t testing.TB) *fixture {
	t.Helper()
	fixOnce.Do(func() {
		s, err := openBadger()
		if err != nil {
			fixErr = err
			return
		}
		fix, fixErr = newFixture(context.Background(), s, 1)
	})
	if fixErr != nil {
		t.Fatal(fixErr)
	}
	return fix
}

// vocabGraphs lists the ontology graphs of the fixture.
func vocabGraphs() []graph.Term {
	gs := []graph.Term{iri(extraVocab)}
	for _, v := range vocab.Graphs() {
		gs = append(gs, v.Graph)
	}
	return gs
}

func extraQuads() []graph.Quad {
	g := iri(extraVocab)
	alt := iri(ontology.SKOSAltLabel)
	return []graph.Quad{
		{S: iri(onco + "LUNG"), P: alt, O: graph.LangLiteral("Cáncer de pulmón", "es"), G: g},
		{S: iri(onco + "LUNG"), P: alt, O: graph.LangLiteral("Lungenkrebs", "de"), G: g},
		{S: iri(onco + "BREAST"), P: iri(ontology.SKOSPrefLabel), O: graph.LangLiteral("Mama", "es"), G: g},
	}
}

func newFixture(ctx context.Context, s graph.Store, scale int) (*fixture, error) {
	if _, err := graph.Load(ctx, s, demo.Federation(scale), graph.LoadOptions{}); err != nil {
		return nil, err
	}
	if _, err := vocab.Install(ctx, s); err != nil {
		return nil, err
	}
	err := s.Update(ctx, func(tx graph.Tx) error {
		for _, q := range extraQuads() {
			if err := tx.Add(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	f := &fixture{snap: snap, store: s}
	if f.ont, err = ontology.Build(ctx, snap, vocabGraphs()); err != nil {
		return nil, err
	}
	if f.pol, err = access.Load(ctx, snap, access.Options{}); err != nil {
		return nil, err
	}
	if f.ix, err = Build(ctx, snap, f.ont, f.pol, Options{}); err != nil {
		return nil, err
	}
	return f, nil
}
