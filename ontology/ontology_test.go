package ontology

import (
	"context"
	"slices"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/ontology/vocab"
)

const onco = "https://tessera.example/vocab/oncotree/"

func iri(s string) graph.Term { return graph.IRI(s) }

// bundled returns a memory store with the bundled vocabularies installed
// and their graphs.
func bundled(t testing.TB) (*memstore.Store, []graph.Term) {
	t.Helper()
	s := memstore.New()
	t.Cleanup(func() { s.Close() })
	if _, err := vocab.Install(context.Background(), s); err != nil {
		t.Fatalf("install: %v", err)
	}
	var gs []graph.Term
	for _, v := range vocab.Graphs() {
		gs = append(gs, v.Graph)
	}
	return s, gs
}

func build(t testing.TB, s graph.Store, gs []graph.Term) *Ontology {
	t.Helper()
	ctx := context.Background()
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	o, err := Build(ctx, snap, gs)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return o
}

func TestClosureOncoTree(t *testing.T) {
	s, gs := bundled(t)
	o := build(t, s, gs)
	tests := []struct {
		name        string
		fn          func(graph.Term, bool) []graph.Term
		term        string
		equivalents bool
		contains    []string
		excludes    []string
		minLen      int
		exactLen    int
	}{
		{"prostate subtypes", o.Descendants, onco + "PROSTATE", false,
			[]string{onco + "PROSTATE", onco + "PRAD"}, []string{onco + "BREAST", "http://purl.obolibrary.org/obo/NCIT_C2919"}, 5, 0},
		{"prostate subtypes with NCIt", o.Descendants, onco + "PROSTATE", true,
			[]string{onco + "PRAD", "http://purl.obolibrary.org/obo/NCIT_C2919", "http://purl.obolibrary.org/obo/NCIT_C12410"}, nil, 10, 0},
		{"by NCIt code", o.Descendants, "http://purl.obolibrary.org/obo/NCIT_C12410", true,
			[]string{onco + "PRAD"}, nil, 5, 0},
		{"whole tree", o.Descendants, onco + "TISSUE", false, nil, nil, 0, 898},
		{"whole tree with equivalents", o.Descendants, onco + "TISSUE", true, nil, nil, 1000, 0},
		{"ancestors of PRAD", o.Ancestors, onco + "PRAD", false,
			[]string{onco + "PRAD", onco + "PROSTATE", onco + "TISSUE"}, nil, 0, 3},
		{"unknown term", o.Descendants, "urn:x:unknown", true, []string{"urn:x:unknown"}, nil, 0, 1},
		{"DCAT subclass", o.Ancestors, "http://www.w3.org/ns/dcat#Catalog", false,
			[]string{"http://www.w3.org/ns/dcat#Dataset", "http://www.w3.org/ns/dcat#Resource"}, nil, 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.fn(iri(tt.term), tt.equivalents)
			if !slices.IsSortedFunc(got, graph.Compare) {
				t.Errorf("result not sorted")
			}
			for _, c := range tt.contains {
				if !slices.Contains(got, iri(c)) {
					t.Errorf("%s: missing %s", tt.term, c)
				}
			}
			for _, c := range tt.excludes {
				if slices.Contains(got, iri(c)) {
					t.Errorf("%s: unexpected %s", tt.term, c)
				}
			}
			if len(got) < tt.minLen {
				t.Errorf("%s: %d terms, want ≥ %d", tt.term, len(got), tt.minLen)
			}
			if tt.exactLen > 0 && len(got) != tt.exactLen {
				t.Errorf("%s: %d terms, want %d", tt.term, len(got), tt.exactLen)
			}
		})
	}
}

func TestEquivalents(t *testing.T) {
	s, gs := bundled(t)
	// A record-side vocabulary using the other EUCAIM namespace.
	extra := iri("https://tessera.example/graph/test/extra")
	err := s.Update(context.Background(), func(tx graph.Tx) error {
		return tx.Add(graph.Quad{S: iri("https://hyperontology.eucaim.cancerimage.eu/#BPX"), P: iri(RDFSSubClassOf), O: iri("https://cancerimage.eu/ontology/EUCAIM#BP1000173"), G: extra})
	})
	if err != nil {
		t.Fatal(err)
	}
	o := build(t, s, append(gs, extra))
	tests := []struct {
		term string
		want []string
	}{
		{"https://hyperontology.eucaim.cancerimage.eu/#BP1000173", []string{"https://cancerimage.eu/ontology/EUCAIM#BP1000173", "https://hyperontology.eucaim.cancerimage.eu/#BP1000173"}},
		{"http://healthdataportal.eu/ns/health#numberOfRecords", []string{"http://healthdataportal.eu/ns/health#numberOfRecords", "https://w3id.org/healthdcat-ap#numberOfRecords"}},
		{onco + "PRAD", []string{"http://purl.obolibrary.org/obo/NCIT_C2919", onco + "PRAD"}},
		{"http://dicom.nema.org/resources/ontology/DCM/CT", []string{"http://dicom.nema.org/resources/ontology/DCM/CT"}},
		{"https://tessera.example/vocab/dicom/body-part/ABDOMEN", []string{"http://snomed.info/id/818981001", "https://tessera.example/vocab/dicom/body-part/ABDOMEN"}},
	}
	for _, tt := range tests {
		got := o.Equivalents(iri(tt.term))
		var want []graph.Term
		for _, w := range tt.want {
			want = append(want, iri(w))
		}
		if !slices.Equal(got, want) {
			t.Errorf("Equivalents(%s) = %v, want %v", tt.term, got, want)
		}
	}
	// Descendants across namespaces: BPX is under BP1000173 via an alias.
	d := o.Descendants(iri("https://hyperontology.eucaim.cancerimage.eu/#BP1000173"), true)
	if !slices.Contains(d, iri("https://hyperontology.eucaim.cancerimage.eu/#BPX")) {
		t.Errorf("Descendants across alias = %v, want BPX", d)
	}
	if !o.IsA(iri("https://cancerimage.eu/ontology/EUCAIM#BPX"), iri("https://hyperontology.eucaim.cancerimage.eu/#BP1000173")) {
		t.Errorf("IsA across aliases = false")
	}
}

func TestCycle(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	defer s.Close()
	g := iri("urn:g")
	edges := [][2]string{{"urn:a", "urn:b"}, {"urn:b", "urn:c"}, {"urn:c", "urn:a"}, {"urn:d", "urn:a"}, {"urn:a", "urn:a"}}
	err := s.Update(ctx, func(tx graph.Tx) error {
		for _, e := range edges {
			if err := tx.Add(graph.Quad{S: iri(e[0]), P: iri(SKOSBroader), O: iri(e[1]), G: g}); err != nil {
				return err
			}
		}
		return tx.Add(graph.Quad{S: iri("urn:x"), P: iri(SKOSBroader), O: iri("urn:y"), G: g})
	})
	if err != nil {
		t.Fatal(err)
	}
	o := build(t, s, []graph.Term{g})
	tests := []struct {
		name    string
		got     []graph.Term
		want    []string
		wantNil bool
	}{
		{"descendants of a", o.Descendants(iri("urn:a"), false), []string{"urn:a", "urn:b", "urn:c", "urn:d"}, false},
		{"ancestors of d", o.Ancestors(iri("urn:d"), false), []string{"urn:a", "urn:b", "urn:c", "urn:d"}, false},
		{"ancestors of x", o.Ancestors(iri("urn:x"), false), []string{"urn:x", "urn:y"}, false},
	}
	r, _ := o.Reachable(iri(SKOSBroader), iri("urn:b"), false)
	tests = append(tests, struct {
		name    string
		got     []graph.Term
		want    []string
		wantNil bool
	}{"reachable from b (cycle back)", r, []string{"urn:a", "urn:b", "urn:c"}, false})
	r, _ = o.Reachable(iri(SKOSBroader), iri("urn:x"), true)
	tests = append(tests, struct {
		name    string
		got     []graph.Term
		want    []string
		wantNil bool
	}{"reachable inverse from x", r, nil, true})
	for _, tt := range tests {
		var want []graph.Term
		for _, w := range tt.want {
			want = append(want, iri(w))
		}
		if !slices.Equal(tt.got, want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, want)
		}
	}
	if _, ok := o.Reachable(iri("urn:other"), iri("urn:a"), false); ok {
		t.Errorf("Reachable on an unindexed predicate: ok = true")
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	s, gs := bundled(t)
	g := iri("urn:labels")
	err := s.Update(ctx, func(tx graph.Tx) error {
		add := func(sub, p string, o graph.Term) error {
			return tx.Add(graph.Quad{S: iri(sub), P: iri(p), O: o, G: g})
		}
		for _, l := range []struct {
			s, p string
			o    graph.Term
		}{
			{onco + "PRAD", SKOSPrefLabel, graph.LangLiteral("Adénocarcinome de la prostate", "fr")},
			{onco + "PRAD", SKOSPrefLabel, graph.LangLiteral("Prostata-Adenokarzinom", "de")},
			{onco + "BREAST", SKOSAltLabel, graph.LangLiteral("Mama", "es")},
		} {
			if err := add(l.s, l.p, l.o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	o := build(t, s, append(gs, g))
	tests := []struct {
		query, lang string
		wantFirst   string
		wantMatch   MatchKind
	}{
		{"Prostate Adenocarcinoma", "en", onco + "PRAD", Exact},
		{"prostate adeno", "en", onco + "PRAD", Prefix},
		{"PRAD", "", onco + "PRAD", Exact},
		{"adenocarcinome", "fr", onco + "PRAD", Prefix},       // a word inside the label
		{"ADENOCARCINOME DE LA", "fr", onco + "PRAD", Prefix}, // case
		{"adenokarzinom", "de", onco + "PRAD", Prefix},
		{"prostata-adeno", "de", onco + "PRAD", Prefix}, // punctuation folded
		{"mama", "es", onco + "BREAST", Exact},
		{"prostrate", "en", "http://snomed.info/id/41216001", Fuzzy}, // a typo; "Prostate" ties, term order decides
		{"computed tomography", "en", "http://dicom.nema.org/resources/ontology/DCM/CT", Exact},
		{"Tier 2", "en", "https://cancerimage.eu/ontology/EUCAIM#SPEC1000011", Exact},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := o.Search(tt.query, tt.lang, 5)
			if len(got) == 0 {
				t.Fatalf("Search(%q, %q) = nothing", tt.query, tt.lang)
			}
			if got[0].Term != iri(tt.wantFirst) || got[0].Match != tt.wantMatch {
				t.Errorf("Search(%q, %q)[0] = %v %v (%v), want %s %v", tt.query, tt.lang, got[0].Term, got[0].Match, got[0].Label, tt.wantFirst, tt.wantMatch)
			}
			if tt.lang != "" {
				for _, m := range got {
					if l := m.Label.Lang(); l != "" && l != tt.lang {
						t.Errorf("Search(%q, %q) returned a %q label", tt.query, tt.lang, l)
					}
				}
			}
		})
	}
	if got := o.Search("Mama", "en", 5); len(got) > 0 && got[0].Term == iri(onco+"BREAST") && got[0].Match == Exact {
		t.Errorf("Search in en found the es label")
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Adénocarcinome", "adenocarcinome"},
		{"  Uterus, NOS ", "uterus nos"},
		{"MDS/MPN", "mds mpn"},
		{"Ösophagus", "osophagus"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := fold(tt.in); got != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPrefixDistance(t *testing.T) {
	tests := []struct {
		q, s string
		max  int
		want int
	}{
		{"prostrate", "prostate adenocarcinoma", 2, 1},
		{"brest", "breast", 1, 1},
		{"lung", "lung", 1, 0},
		{"abcd", "wxyz", 1, 2},
	}
	for _, tt := range tests {
		if got := prefixDistance(tt.q, tt.s, tt.max); got != tt.want {
			t.Errorf("prefixDistance(%q, %q, %d) = %d, want %d", tt.q, tt.s, tt.max, got, tt.want)
		}
	}
}
