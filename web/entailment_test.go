package web

import (
	"net/http"
	"testing"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/graphtest"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/sparql/eval"
)

// subclassSchema is an eval.Entailment with one fact: <urn:ex:D> is a
// subclass of <urn:ex:C>.
type subclassSchema struct{}

var (
	exC = graph.IRI("urn:ex:C")
	exD = graph.IRI("urn:ex:D")
)

func (subclassSchema) SubClasses(c graph.Term) []graph.Term {
	if c == exC {
		return []graph.Term{exC, exD}
	}
	return []graph.Term{c}
}

func (subclassSchema) SuperClasses(c graph.Term) []graph.Term {
	if c == exD {
		return []graph.Term{exC, exD}
	}
	return []graph.Term{c}
}

func (subclassSchema) SubProperties(p graph.Term) []graph.Term   { return []graph.Term{p} }
func (subclassSchema) SuperProperties(p graph.Term) []graph.Term { return []graph.Term{p} }
func (subclassSchema) Domains(graph.Term) []graph.Term           { return nil }
func (subclassSchema) Ranges(graph.Term) []graph.Term            { return nil }
func (subclassSchema) TypingProperties() []graph.Term            { return nil }

// TestEntailmentParameter checks entailment= on /sparql: rdfs reasons with
// the schema the server was given, simple (or none) does not, and an
// unknown regime or a server without a schema is refused.
func TestEntailmentParameter(t *testing.T) {
	store := memstore.New()
	graphtest.Add(t, store, graph.Quad{S: graph.IRI("urn:ex:x"), P: graph.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), O: exD, G: graph.DefaultGraph})
	with := New(store, Options{Entailment: func() eval.Entailment { return subclassSchema{} }})
	without := New(store, Options{})
	query := "/sparql?query=" + q("SELECT ?x WHERE { ?x a <urn:ex:C> }")
	tests := []struct {
		name   string
		srv    *Server
		param  string
		status int
		rows   int
		code   string
	}{
		{"rdfs", with, "&entailment=rdfs", http.StatusOK, 1, ""},
		{"RDFS in capitals", with, "&entailment=RDFS", http.StatusOK, 1, ""},
		{"simple", with, "&entailment=simple", http.StatusOK, 0, ""},
		{"not asked", with, "", http.StatusOK, 0, ""},
		{"unknown regime", with, "&entailment=owl-dl", http.StatusBadRequest, 0, "unknown_entailment"},
		{"server without a schema", without, "&entailment=rdfs", http.StatusServiceUnavailable, 0, "entailment_unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, tt.srv.Handler(), req{"GET", query + tt.param, nil, ""})
			if rec.Code != tt.status {
				t.Fatalf("GET %s: status %d, want %d: %s", tt.param, rec.Code, tt.status, rec.Body)
			}
			if tt.code != "" {
				if e := apiErr(t, rec); e.Code != tt.code {
					t.Errorf("GET %s: error code %q, want %q", tt.param, e.Code, tt.code)
				}
				return
			}
			if n := len(resultTable(t, rec).Rows); n != tt.rows {
				t.Errorf("GET %s: %d rows, want %d", tt.param, n, tt.rows)
			}
		})
	}
}
