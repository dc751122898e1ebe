package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/graphql-go/graphql"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/ontology/demo"
	"github.com/tessera-fair/tessera/ontology/shapes"
	"github.com/tessera-fair/tessera/schema"
	"github.com/tessera-fair/tessera/schema/discovery"
	"github.com/tessera-fair/tessera/schema/model"
	"github.com/tessera-fair/tessera/sparql/eval"
)

// api is what serve builds above the store for the GraphQL API and the
// surfaces that share its view of access: the access policy, the discovery
// index and the generated schema, each kept current after writes.
type api struct {
	hier      *hierarchy
	access    *access.Cache
	records   *access.RecordsCache
	discovery *discovery.Source
	graphql   *schema.Service
	cancel    context.CancelFunc
}

// apiOptions are the serve flags the API layer uses.
type apiOptions struct {
	timeout   time.Duration
	maxMemory int64
	exact     bool
	log       *slog.Logger
}

func newAPI(ctx context.Context, store graph.Store, hier *hierarchy, o apiOptions) (*api, error) {
	ctx, cancel := context.WithCancel(ctx)
	a := &api{hier: hier, cancel: cancel}
	a.access = access.NewCache(store, access.Options{})
	a.access.OnReload = func(_ *access.Policy, err error) {
		if err != nil {
			o.log.Warn("access policy reload failed", "error", err)
		}
	}
	if _, err := a.access.Refresh(ctx); err != nil {
		cancel()
		return nil, fmt.Errorf("load access policy: %w", err)
	}
	go a.access.Run(ctx, 30*time.Second)
	a.records = access.NewRecordsCache(a.access.Current, isRecordClass)

	var ix discovery.Options
	if o.exact {
		ix.Obfuscation.ExactFor = []access.Level{access.Public, access.Registered}
	}
	a.discovery = discovery.NewSource(store, discovery.SourceOptions{
		Ontology: hier.cache.Current,
		Policy:   a.access.Current,
		Index:    ix,
		OnRefresh: func(_ *discovery.Index, err error) {
			if err != nil {
				o.log.Warn("discovery index refresh failed", "error", err)
			}
		},
	})
	// Built before the server listens: a portal opened right after start
	// must not see an empty catalogue.
	start := time.Now()
	if _, err := a.discovery.Refresh(ctx); err != nil {
		o.log.Warn("discovery index build failed", "error", err)
	} else {
		o.log.Info("built the discovery index", "took", time.Since(start).Round(time.Millisecond))
	}
	go a.discovery.Run(ctx)

	svc, err := schema.New(ctx, store, schema.Options{
		ShapesGraphs: shapes.APIGraphs(),
		Ontology:     hier.cache,
		Derive:       model.Derive,
		Build: schema.BuildOptions{
			Discovery: func(ds graphql.Output) graphql.Fields { return discovery.Fields(a.discovery, ds) },
		},
		Eval:    eval.Options{MaxMemory: o.maxMemory},
		Access:  a.access,
		Timeout: o.timeout,
		Logger:  o.log,
	})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("build the GraphQL schema: %w", err)
	}
	a.graphql = svc
	return a, nil
}

// written tells every cache that graph g changed.
func (a *api) written(g graph.Term) {
	a.hier.written(g)
	a.access.Invalidate(g)
	a.records.Invalidate(g)
	a.discovery.OnWrite(g)
	a.graphql.OnWrite(g)
}

// recordNamespaces are the vocabularies whose classes are record-level
// data (patients, imaging studies, observations): the EUCAIM common data
// model Tessera loads records in, and HL7 FHIR.
var recordNamespaces = []string{demo.CDM, "http://hl7.org/fhir/"}

// isRecordClass decides which rdf:type makes a SPARQL-visible resource a
// record that access levels hide. It lists the record vocabularies rather
// than excluding the catalogue ones (as schema.IsRecordClass does for the
// generated types, which are only ever catalogue or record types): SPARQL
// sees every vocabulary, and the metadata of a graph without an access
// level (harvested FDP records, the bundled example files) must stay
// visible.
func isRecordClass(class graph.Term) bool {
	v := class.Value()
	for _, ns := range recordNamespaces {
		if strings.HasPrefix(v, ns) {
			return true
		}
	}
	return false
}

func (a *api) close() {
	a.graphql.Close()
	a.cancel()
}
