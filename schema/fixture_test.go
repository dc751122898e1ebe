package schema

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/ontology"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/ontology/shapes"
	"github.com/tessera-fair/tessera/ontology/vocab"
	"github.com/tessera-fair/tessera/schema/model"
)

// Namespaces of the demo catalogue.
const (
	healthNS       = "https://w3id.org/healthdcat-ap#"
	healthLegacyNS = "http://healthdataportal.eu/ns/health#"
	eucaimNS       = "https://hyperontology.eucaim.cancerimage.eu/#"
	eucaimLegacyNS = "https://cancerimage.eu/ontology/EUCAIM#"
	cdmNS          = demo.CDM
	onco           = "https://tessera.example/vocab/oncotree/"
	dcm            = "http://dicom.nema.org/resources/ontology/DCM/"
	country        = "http://publications.europa.eu/resource/authority/country/"
)

func fwd(iris ...string) []model.Step {
	st := model.Step{}
	for _, s := range iris {
		st.Predicates = append(st.Predicates, graph.IRI(s))
	}
	return []model.Step{st}
}

func inv(iris ...string) []model.Step {
	p := fwd(iris...)
	p[0].Inverse = true
	return p
}

func idFields(fs ...*model.Field) []*model.Field {
	return append([]*model.Field{
		{Name: "id", Kind: model.Scalar, Scalar: "ID", Single: true},
		{Name: "types", Kind: model.Scalar, Scalar: "ID", Path: fwd(rdfType)},
	}, fs...)
}

// demoModel is a hand-made Model of the demo catalogue, as model.Derive
// would give it from shapes: catalogues, datasets, organisations, patients
// and studies, with both namespace variants of HealthDCAT-AP and EUCAIM.
func demoModel() *model.Model {
	cls := func(s string) graph.Term { return graph.IRI(s) }
	return &model.Model{Types: []*model.Type{
		{Name: "Catalog", Class: cls(dcatNS + "Catalog"), Description: "A DCAT catalogue.", Fields: idFields(
			&model.Field{Name: "datasets", Kind: model.Object, Target: "Dataset", Path: fwd(dcatNS + "dataset")},
			&model.Field{Name: "publisher", Kind: model.Object, Target: "Organization", Path: fwd(dctNS + "publisher"), Single: true},
			&model.Field{Name: "title", Kind: model.LangString, Path: fwd(dctNS + "title"), Single: true},
		)},
		{Name: "Dataset", Class: cls(dcatNS + "Dataset"), Description: "A DCAT dataset.", Fields: idFields(
			&model.Field{Name: "bodyPart", Kind: model.Reference, Path: fwd(eucaimNS+"hasImageBodyPart", eucaimLegacyNS+"hasImageBodyPart")},
			&model.Field{Name: "catalog", Kind: model.Object, Target: "Catalog", Path: inv(dcatNS + "dataset"), Single: true},
			&model.Field{Name: "condition", Kind: model.Reference, Path: fwd(eucaimNS+"hasCondition", eucaimLegacyNS+"hasCondition")},
			&model.Field{Name: "description", Kind: model.LangString, Path: fwd(dctNS + "description"), Single: true},
			&model.Field{Name: "identifier", Kind: model.Scalar, Scalar: "String", Path: fwd(dctNS + "identifier"), Single: true},
			&model.Field{Name: "issued", Kind: model.Scalar, Scalar: "Date", Path: fwd(dctNS + "issued"), Single: true},
			&model.Field{Name: "keyword", Kind: model.LangString, Path: fwd(dcatNS + "keyword")},
			&model.Field{Name: "maxTypicalAge", Kind: model.Scalar, Scalar: "Int", Path: fwd(healthNS+"maxTypicalAge", healthLegacyNS+"maxTypicalAge"), Single: true},
			&model.Field{Name: "minTypicalAge", Kind: model.Scalar, Scalar: "Int", Path: fwd(healthNS+"minTypicalAge", healthLegacyNS+"minTypicalAge"), Single: true},
			&model.Field{Name: "modality", Kind: model.Reference, Path: fwd(eucaimNS+"hasImageModality", eucaimLegacyNS+"hasImageModality")},
			&model.Field{Name: "numberOfRecords", Kind: model.Scalar, Scalar: "Int", Path: fwd(healthNS+"numberOfRecords", healthLegacyNS+"numberOfRecords"), Single: true},
			&model.Field{Name: "numberOfUniqueIndividuals", Kind: model.Scalar, Scalar: "Int", Path: fwd(healthNS+"numberOfUniqueIndividuals", healthLegacyNS+"numberOfUniqueIndividuals"), Single: true},
			&model.Field{Name: "patients", Kind: model.Object, Target: "Patient", Path: inv(dctNS + "isPartOf")},
			&model.Field{Name: "publisher", Kind: model.Object, Target: "Organization", Path: fwd(dctNS + "publisher"), Single: true},
			&model.Field{Name: "spatial", Kind: model.Reference, Path: fwd(dctNS + "spatial")},
			&model.Field{Name: "studies", Kind: model.Object, Target: "ImagingStudy", Path: inv(dctNS + "isPartOf")},
			&model.Field{Name: "title", Kind: model.LangString, Path: fwd(dctNS + "title"), Single: true},
		)},
		{Name: "ImagingStudy", Class: cls(cdmNS + "ImagingStudy"), Fields: idFields(
			&model.Field{Name: "bodyPartExamined", Kind: model.Scalar, Scalar: "String", Path: fwd(cdmNS + "bodyPartExamined"), Single: true},
			&model.Field{Name: "dataset", Kind: model.Object, Target: "Dataset", Path: fwd(dctNS + "isPartOf"), Single: true},
			&model.Field{Name: "manufacturer", Kind: model.Scalar, Scalar: "String", Path: fwd(cdmNS + "manufacturer"), Single: true},
			&model.Field{Name: "modality", Kind: model.Reference, Path: fwd(cdmNS + "modality"), Single: true},
			&model.Field{Name: "numberOfSeries", Kind: model.Scalar, Scalar: "Int", Path: fwd(cdmNS + "numberOfSeries"), Single: true},
			&model.Field{Name: "studyDate", Kind: model.Scalar, Scalar: "Date", Path: fwd(cdmNS + "studyDate"), Single: true},
			&model.Field{Name: "subject", Kind: model.Object, Target: "Patient", Path: fwd(cdmNS + "subject"), Single: true},
		)},
		{Name: "Organization", Class: cls(foafNS + "Organization"), Fields: idFields(
			&model.Field{Name: "homepage", Kind: model.Scalar, Scalar: "ID", Path: fwd(foafNS + "homepage"), Single: true},
			&model.Field{Name: "name", Kind: model.Scalar, Scalar: "String", Path: fwd(foafNS + "name"), Single: true},
			&model.Field{Name: "spatial", Kind: model.Reference, Path: fwd(dctNS + "spatial"), Single: true},
		)},
		{Name: "Patient", Class: cls(cdmNS + "Patient"), Fields: idFields(
			&model.Field{Name: "ageAtDiagnosis", Kind: model.Scalar, Scalar: "Int", Path: fwd(cdmNS + "ageAtDiagnosis"), Single: true},
			&model.Field{Name: "dataset", Kind: model.Object, Target: "Dataset", Path: fwd(dctNS + "isPartOf"), Single: true},
			&model.Field{Name: "diagnosis", Kind: model.Reference, Path: fwd(cdmNS + "diagnosis"), Single: true},
			&model.Field{Name: "sex", Kind: model.Reference, Path: fwd(cdmNS + "sex"), Single: true},
			&model.Field{Name: "studies", Kind: model.Object, Target: "ImagingStudy", Path: inv(cdmNS + "subject")},
		)},
	}}
}

func staticDerive(m *model.Model) DeriveFunc {
	return func(context.Context, graph.Reader, []graph.Term, *ontology.Ontology) (*model.Model, error) {
		return m, nil
	}
}

func vocabGraphs() []graph.Term {
	var gs []graph.Term
	for _, v := range vocab.Graphs() {
		gs = append(gs, v.Graph)
	}
	return gs
}

var demoFixture struct {
	once  sync.Once
	store *memstore.Store
	took  time.Duration
	err   error
}

// demoStore returns a memory store with the bundled vocabularies, the
// bundled API shapes and the demo federation at scale 1 (588k quads), loaded once per test binary.
func demoStore(tb testing.TB) *memstore.Store {
	tb.Helper()
	if testing.Short() {
		tb.Skip("loads the 588k-quad demo federation (a few seconds); run without -short")
	}
	demoFixture.once.Do(func() {
		start := time.Now()
		ctx := context.Background()
		s := memstore.New()
		if _, err := vocab.Install(ctx, s); err != nil {
			demoFixture.err = err
			return
		}
		if _, err := shapes.Install(ctx, s); err != nil {
			demoFixture.err = err
			return
		}
		if _, err := graph.Load(ctx, s, demo.Federation(1), graph.LoadOptions{}); err != nil {
			demoFixture.err = err
			return
		}
		demoFixture.store, demoFixture.took = s, time.Since(start)
	})
	if demoFixture.err != nil {
		tb.Fatalf("load demo: %v", demoFixture.err)
	}
	return demoFixture.store
}

// apiShapes are the graphs the API's shapes live in.
var apiShapes = []graph.Term{graph.IRI(shapes.APIGraph), graph.IRI(shapes.LocalGraph)}

// demoService is a Service over the demo store with the model derived from
// the bundled API shapes (model.Derive), as tessera serve sets it up.
func demoService(tb testing.TB, opts Options) *Service {
	tb.Helper()
	s := demoStore(tb)
	if opts.Derive == nil {
		opts.Derive = demoDerive()
		opts.ShapesGraphs = apiShapes
	}
	if opts.OntologyGraphs == nil {
		opts.OntologyGraphs = vocabGraphs()
	}
	svc, err := New(context.Background(), s, opts)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	tb.Cleanup(svc.Close)
	return svc
}

// demoDerive is model.Derive, memoised: the demo store's shapes do not
// change, and deriving on the 588k-quad store is not what tests measure.
func demoDerive() DeriveFunc {
	return func(ctx context.Context, r graph.Reader, sg []graph.Term, ont *ontology.Ontology) (*model.Model, error) {
		demoModelOnce.Do(func() { demoDerived, demoDeriveErr = model.Derive(ctx, r, sg, ont) })
		return demoDerived, demoDeriveErr
	}
}

var (
	demoModelOnce sync.Once
	demoDerived   *model.Model
	demoDeriveErr error
)
