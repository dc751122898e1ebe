package access

import (
	"context"
	"slices"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/memstore"
)

func iri(s string) graph.Term { return graph.IRI(s) }

const (
	gPub  = "https://tessera.example/graph/provider/pub"
	gReg  = "https://tessera.example/graph/provider/reg"
	gCtl  = "https://tessera.example/graph/provider/ctl"
	gNone = "https://tessera.example/graph/provider/undescribed"
	gVoc  = VocabularyPrefix + "oncotree"
)

func fixture(t *testing.T) *memstore.Store {
	t.Helper()
	s := memstore.New()
	sys := iri(DefaultSystemGraph)
	lv := iri(LevelPredicate)
	quads := []graph.Quad{
		{S: iri(gPub), P: lv, O: iri(NS + "public"), G: sys},
		{S: iri(gPub), P: iri(dctPublisher), O: iri("urn:org:pub"), G: sys},
		{S: iri(gPub), P: iri(dctSpatial), O: iri("urn:country:ESP"), G: sys},
		{S: iri(gReg), P: lv, O: iri(NS + "registered"), G: sys},
		{S: iri(gCtl), P: lv, O: iri(NS + "controlled"), G: sys},
		// Two levels: the more restrictive wins.
		{S: iri(gCtl), P: lv, O: iri(NS + "public"), G: sys},
		// A level that is not one: ignored.
		{S: iri(gNone), P: lv, O: graph.String("public"), G: sys},
		{S: iri("urn:x"), P: iri("urn:p"), O: iri("urn:y"), G: iri(gNone)},
		{S: iri("urn:x"), P: iri("urn:p"), O: iri("urn:y"), G: iri(gVoc)},
		{S: iri("urn:x"), P: iri("urn:p"), O: iri("urn:y"), G: iri(gPub)},
	}
	err := s.Update(context.Background(), func(tx graph.Tx) error {
		for _, q := range quads {
			if err := tx.Add(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func load(t *testing.T, s graph.Store, opts Options) *Policy {
	t.Helper()
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Release()
	p, err := Load(context.Background(), snap, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLevels(t *testing.T) {
	s := fixture(t)
	def := load(t, s, Options{})
	open := load(t, s, Options{Default: Registered, Prefixes: []PrefixLevel{}})
	tests := []struct {
		name string
		p    *Policy
		g    string
		want Level
	}{
		{"public", def, gPub, Public},
		{"registered", def, gReg, Registered},
		{"two levels, stricter wins", def, gCtl, Controlled},
		{"undescribed defaults to controlled", def, gNone, Controlled},
		{"never seen defaults to controlled", def, "urn:graph:new", Controlled},
		{"vocabulary prefix is public", def, gVoc, Public},
		{"system graph is public", def, DefaultSystemGraph, Public},
		{"configured default", open, gNone, Registered},
		{"no prefixes", open, gVoc, Registered},
		{"described beats default", open, gCtl, Controlled},
		{"nil policy", nil, gPub, Controlled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Level(iri(tt.g)); got != tt.want {
				t.Errorf("Level(%s) = %v, want %v", tt.g, got, tt.want)
			}
		})
	}
	if g := def.Graph(iri(gPub)); g.Publisher != iri("urn:org:pub") || g.Country != iri("urn:country:ESP") || !g.Described {
		t.Errorf("Graph(%s) = %+v, want publisher, country, described", gPub, g)
	}
}

func TestRecords(t *testing.T) {
	p := load(t, fixture(t), Options{})
	anon := p.Records(false)
	reg := p.Records(true)
	for _, tt := range []struct {
		g          string
		anon, sign bool
	}{
		{gPub, true, true},
		{gReg, false, true},
		{gCtl, false, false},
		{gNone, false, false},
		{gVoc, true, true},
	} {
		if got := slices.Contains(anon, iri(tt.g)); got != tt.anon {
			t.Errorf("Records(false) contains %s = %v, want %v", tt.g, got, tt.anon)
		}
		if got := slices.Contains(reg, iri(tt.g)); got != tt.sign {
			t.Errorf("Records(true) contains %s = %v, want %v", tt.g, got, tt.sign)
		}
		if got := p.CanSeeRecords(iri(tt.g), true); got != tt.sign {
			t.Errorf("CanSeeRecords(%s, true) = %v, want %v", tt.g, got, tt.sign)
		}
	}
}

func TestParseLevel(t *testing.T) {
	for _, l := range Levels {
		if got, ok := ParseLevel(l.IRI().Value()); !ok || got != l {
			t.Errorf("ParseLevel(%s) = %v, %v", l.IRI().Value(), got, ok)
		}
		if got, ok := ParseLevel(l.String()); !ok || got != l {
			t.Errorf("ParseLevel(%s) = %v, %v", l, got, ok)
		}
	}
	if _, ok := ParseLevel("secret"); ok {
		t.Error(`ParseLevel("secret") ok`)
	}
}

func TestCallerContext(t *testing.T) {
	ctx := context.Background()
	if CallerFrom(ctx).Registered {
		t.Error("empty context: registered caller")
	}
	ctx = WithCaller(ctx, Caller{Registered: true, Subject: "alice"})
	if c := CallerFrom(ctx); !c.Registered || c.Subject != "alice" {
		t.Errorf("CallerFrom = %+v", c)
	}
}

func TestCacheReloadsOnSystemWrite(t *testing.T) {
	ctx := context.Background()
	s := fixture(t)
	c := NewCache(s, Options{})
	if got := c.Current().Level(iri(gPub)); got != Controlled {
		t.Fatalf("before first refresh: %v, want controlled", got)
	}
	if ok, err := c.Refresh(ctx); !ok || err != nil {
		t.Fatalf("Refresh = %v, %v", ok, err)
	}
	if got := c.Current().Level(iri(gPub)); got != Public {
		t.Fatalf("after refresh: %v, want public", got)
	}
	// A write to a known provider graph does not make the policy stale.
	c.Invalidate(iri(gPub))
	if ok, _ := c.Refresh(ctx); ok {
		t.Error("write to a known graph reloaded the policy")
	}
	// Closing the public graph in the system graph does.
	err := s.Update(ctx, func(tx graph.Tx) error {
		sys := iri(DefaultSystemGraph)
		if err := tx.Delete(graph.Quad{S: iri(gPub), P: iri(LevelPredicate), O: iri(NS + "public"), G: sys}); err != nil {
			return err
		}
		return tx.Add(graph.Quad{S: iri(gPub), P: iri(LevelPredicate), O: iri(NS + "controlled"), G: sys})
	})
	if err != nil {
		t.Fatal(err)
	}
	c.Invalidate(iri(DefaultSystemGraph))
	if ok, err := c.Refresh(ctx); !ok || err != nil {
		t.Fatalf("Refresh = %v, %v", ok, err)
	}
	if got := c.Current().Level(iri(gPub)); got != Controlled {
		t.Errorf("after closing: %v, want controlled", got)
	}
	// A new graph is listed after its first write.
	c.Invalidate(iri("urn:graph:brand-new"))
	if ok, _ := c.Refresh(ctx); !ok {
		t.Error("write to an unknown graph did not reload")
	}
}
