package vocab

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
)

func TestVocabulariesParse(t *testing.T) {
	tests := []struct {
		name     string
		minQuads int
		subject  string // a subject that must be present
	}{
		{"terms", 250, "http://www.w3.org/ns/dcat#Dataset"},
		{"oncotree", 8000, "https://tessera.example/vocab/oncotree/PRAD"},
		{"dicom", 1500, "http://dicom.nema.org/resources/ontology/DCM/CT"},
		{"eucaim", 1500, "https://cancerimage.eu/ontology/EUCAIM#BP1000173"},
	}
	byName := map[string]Vocabulary{}
	for _, v := range Graphs() {
		byName[v.Name] = v
	}
	if len(byName) != len(tests) {
		t.Fatalf("Graphs() has %d vocabularies, want %d", len(byName), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := byName[tt.name]
			if !ok {
				t.Fatalf("no vocabulary %q", tt.name)
			}
			qs, err := graph.Collect(v.Quads())
			if err != nil {
				t.Fatalf("Quads: %v", err)
			}
			if len(qs) < tt.minQuads {
				t.Errorf("%d quads, want at least %d", len(qs), tt.minQuads)
			}
			found := false
			for _, q := range qs {
				if q.G != v.Graph {
					t.Fatalf("quad %v not in graph %v", q, v.Graph)
				}
				found = found || q.S.Value() == tt.subject
			}
			if !found {
				t.Errorf("subject %s missing", tt.subject)
			}
		})
	}
}

func TestOncoTreeContent(t *testing.T) {
	var onco Vocabulary
	for _, v := range Graphs() {
		if v.Name == "oncotree" {
			onco = v
		}
	}
	qs, err := graph.Collect(onco.Quads())
	if err != nil {
		t.Fatal(err)
	}
	want := []graph.Quad{
		{S: graph.IRI("https://tessera.example/vocab/oncotree/PRAD"), P: graph.IRI("http://www.w3.org/2004/02/skos/core#broader"), O: graph.IRI("https://tessera.example/vocab/oncotree/PROSTATE")},
		{S: graph.IRI("https://tessera.example/vocab/oncotree/PRAD"), P: graph.IRI("http://www.w3.org/2004/02/skos/core#exactMatch"), O: graph.IRI("http://purl.obolibrary.org/obo/NCIT_C2919")},
		{S: graph.IRI("https://tessera.example/vocab/oncotree/PRAD"), P: graph.IRI("http://www.w3.org/2004/02/skos/core#prefLabel"), O: graph.LangLiteral("Prostate Adenocarcinoma", "en")},
		{S: graph.IRI("https://tessera.example/vocab/oncotree/PROSTATE"), P: graph.IRI("http://www.w3.org/2000/01/rdf-schema#subClassOf"), O: graph.IRI("https://tessera.example/vocab/oncotree/TISSUE")},
	}
	have := map[graph.Quad]bool{}
	concepts := 0
	for _, q := range qs {
		q.G = graph.Term{}
		have[q] = true
		if q.P.Value() == "http://www.w3.org/2004/02/skos/core#notation" {
			concepts++
		}
	}
	for _, w := range want {
		if !have[w] {
			t.Errorf("missing %v", w)
		}
	}
	if concepts != 898 {
		t.Errorf("%d concepts with a notation, want 898 (OncoTree nodes)", concepts)
	}
}

func versions(t *testing.T, s graph.Store) map[string]string {
	t.Helper()
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	out := map[string]string{}
	for q, err := range snap.Quads(context.Background(), graph.Pattern{P: graph.IRI(VersionPredicate)}) {
		if err != nil {
			t.Fatal(err)
		}
		out[q.G.Value()] = q.O.Value()
	}
	return out
}

func TestInstall(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	defer s.Close()
	onco := Graphs()[1]

	steps := []struct {
		name        string
		before      func(t *testing.T)
		wantChanged map[string]bool
	}{
		{"first start", nil, map[string]bool{"terms": true, "oncotree": true, "dicom": true, "eucaim": true}},
		{"up to date", nil, map[string]bool{}},
		{"upgrade one", func(t *testing.T) {
			// An old version with an extra triple the new one lacks.
			err := s.Update(ctx, func(tx graph.Tx) error {
				vt := graph.Quad{S: onco.Graph, P: graph.IRI(VersionPredicate), G: onco.Graph}
				for q := range tx.Quads(ctx, graph.Pattern{S: vt.S, P: vt.P, G: vt.G}) {
					if err := tx.Delete(q); err != nil {
						return err
					}
				}
				vt.O = graph.String("old")
				if err := tx.Add(vt); err != nil {
					return err
				}
				return tx.Add(graph.Quad{S: graph.IRI("urn:x:stale"), P: graph.IRI("urn:x:p"), O: graph.String("x"), G: onco.Graph})
			})
			if err != nil {
				t.Fatal(err)
			}
		}, map[string]bool{"oncotree": true}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.before != nil {
				st.before(t)
			}
			got, err := Install(ctx, s)
			if err != nil {
				t.Fatalf("Install: %v", err)
			}
			for _, in := range got {
				if in.Changed != st.wantChanged[in.Name] {
					t.Errorf("%s: Changed = %v, want %v", in.Name, in.Changed, st.wantChanged[in.Name])
				}
			}
			vs := versions(t, s)
			for _, v := range Graphs() {
				want, _ := v.Version()
				if vs[v.Graph.Value()] != want {
					t.Errorf("%s: version %q, want %q", v.Name, vs[v.Graph.Value()], want)
				}
			}
			snap, _ := s.Snapshot(ctx)
			defer snap.Release()
			if n, _ := snap.Count(ctx, graph.Pattern{S: graph.IRI("urn:x:stale")}); n != 0 {
				t.Errorf("stale triple survived the upgrade")
			}
		})
	}
}

// TestGenerated checks that the committed files are what the generator
// makes from ../shared now.
func TestGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	shared := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(shared); err != nil {
		t.Fatalf("shared data: %v", err)
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./internal/gen", "-shared", shared, "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, b)
	}
	for _, v := range Graphs() {
		want, err := os.ReadFile(v.File)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, v.File))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./ontology/vocab", v.File)
		}
	}
}

func BenchmarkInstall(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		s := memstore.New()
		if _, err := Install(ctx, s); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
