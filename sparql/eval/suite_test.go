package eval

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
	"github.com/tessera-fair/tessera/graph/memstore"
	"github.com/tessera-fair/tessera/loaders/manifest"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/loaders/rdfxml"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/testsuite"
	"github.com/tessera-fair/tessera/loaders/turtle"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/parser"
)

const suiteBase = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"

// suiteFolders are the query-evaluation folders of
// manifest-sparql11-query.ttl plus the result-format folders.
var suiteFolders = []string{
	"aggregates", "bind", "bindings", "cast", "construct", "exists", "functions",
	"grouping", "negation", "project-expression", "property-path", "subquery",
	"json-res", "csv-tsv-res",
}

// suiteDir returns ../shared/testsuites beside the module root, or fails.
func suiteDir(t testsuite.TB) string {
	t.Helper()
	return testsuite.Must(t)
}

const (
	queryEvalTest = manifest.MF + "QueryEvaluationTest"
	csvResultTest = manifest.MF + "CSVResultFormatTest"
)

// suiteModes are the evaluator configurations the suite runs under: the
// default (optimizer on), the algebra as translated, and the optimizer
// forced to use hash joins wherever one applies, so that the optimizer and
// both join algorithms are each shown not to change any result; each over
// memstore (no term ids: the evaluator interns every term it reads) and
// the first and last over badgerstore too (store ids, graph.IDReader, and
// every predicate scanned in full served from its hot-predicate cache).
var suiteModes = []struct {
	name   string
	opts   Options
	badger bool
}{
	{"optimized", Options{}, false},
	{"badger", Options{}, true},
	{"badger-hash", Options{alwaysHash: true}, true},
	{"unoptimized", Options{NoOptimize: true}, false},
	{"hash", Options{alwaysHash: true}, false},
}

func TestSuite(t *testing.T) {
	root := filepath.Join(suiteDir(t), "rdf-tests", "sparql", "sparql11")
	type folderTests struct {
		folder string
		tests  []manifest.Test
	}
	var all []folderTests
	for _, folder := range suiteFolders {
		tests, err := manifest.Load(filepath.Join(root, folder, "manifest.ttl"), suiteBase+folder+"/manifest.ttl")
		if err != nil {
			t.Fatalf("manifest %s: %v", folder, err)
		}
		all = append(all, folderTests{folder, tests})
	}
	for _, mode := range suiteModes {
		t.Run(mode.name, func(t *testing.T) {
			var shared graph.Store // one badger store per mode, emptied before each test
			if mode.badger {
				bs, err := badgerstore.Open(t.TempDir(), badgerstore.Options{NoSync: true, MemTableSize: 8 << 20, TermCacheSize: 1 << 10, HotMinQuads: 1})
				if err != nil {
					t.Fatal(err)
				}
				defer bs.Close()
				shared = bs
			}
			r := testsuite.NewRunner(t, filepath.Join("testdata", "known-failures.txt"))
			r.Name = mode.name
			for _, ft := range all {
				for _, tc := range ft.tests {
					if tc.Type != queryEvalTest && tc.Type != csvResultTest {
						continue
					}
					t.Run(ft.folder+"/"+tc.Name, func(t *testing.T) {
						r.Run(t, tc.ID, func() error { return runQueryTest(tc, mode.opts, shared) })
					})
				}
			}
			if passed, failed, _, _ := r.Counts(); passed+failed == 0 {
				t.Fatal("no query evaluation tests found")
			}
			r.Report(t)
		})
	}
}

// runQueryTest runs tc over a new memstore, or over shared after emptying
// it.
func runQueryTest(tc manifest.Test, opts Options, shared graph.Store) error {
	m := tc.Manifest
	act := tc.ActionNode
	queryIRI := m.Object(act, manifest.QT+"query").Value()
	queryPath := m.LocalPath(queryIRI)
	src, err := os.ReadFile(queryPath)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var st graph.Store = memstore.New()
	if shared != nil {
		if err := emptyStore(ctx, shared); err != nil {
			return err
		}
		st = shared
	}
	for _, d := range m.Objects(act, manifest.QT+"data") {
		if err := loadFile(ctx, st, m.LocalPath(d.Value()), d.Value(), graph.DefaultGraph); err != nil {
			return err
		}
	}
	for _, d := range m.Objects(act, manifest.QT+"graphData") {
		if err := loadFile(ctx, st, m.LocalPath(d.Value()), d.Value(), d); err != nil {
			return err
		}
	}
	ast, err := parser.ParseQuery(string(src), parser.Options{Base: queryIRI, File: filepath.Base(queryPath)})
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	q, err := algebra.Translate(ast, algebra.Options{Base: queryIRI})
	if err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Release()
	res, err := Query(ctx, snap, q, opts)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	resultPath := tc.Result
	switch filepath.Ext(resultPath) {
	case ".ttl", ".nt", ".rdf":
		if q.Form == algebra.Select || q.Form == algebra.Ask {
			exp, err := readRSGraph(resultPath, m.Base)
			if err != nil {
				return err
			}
			return compareSolutions(res, q, exp)
		}
		got, err := graph.Collect(res.Quads)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		want, err := readGraph(resultPath, m.Base)
		if err != nil {
			return err
		}
		if !graph.Isomorphic(got, want) {
			return fmt.Errorf("graph differs:\ngot  %v\nwant %v", got, want)
		}
		return nil
	case ".csv":
		return compareCSV(res, resultPath)
	}
	exp, err := readResults(resultPath)
	if err != nil {
		return fmt.Errorf("read results: %w", err)
	}
	return compareSolutions(res, q, exp)
}

// emptyStore drops every graph of st and clears its default graph.
func emptyStore(ctx context.Context, st graph.Store) error {
	return st.Update(ctx, func(tx graph.Tx) error {
		var names []graph.Term
		for g, err := range tx.Graphs(ctx) {
			if err != nil {
				return err
			}
			names = append(names, g)
		}
		for _, g := range names {
			if err := tx.DropGraph(ctx, g); err != nil {
				return err
			}
		}
		return tx.ClearGraph(ctx, graph.DefaultGraph)
	})
}

func compareSolutions(res *Result, q *algebra.Query, exp *expected) error {
	if exp.isBool {
		if q.Form != algebra.Ask || res.Boolean != exp.boolean {
			return fmt.Errorf("ASK = %v, want %v", res.Boolean, exp.boolean)
		}
		return nil
	}
	var got []map[string]graph.Term
	for sol, err := range res.Solutions {
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		r := map[string]graph.Term{}
		for i, v := range res.Vars {
			if !sol[i].IsZero() {
				r[v] = sol[i]
			}
		}
		got = append(got, r)
	}
	if !sameResults(got, exp.rows, q.Ordered) {
		return fmt.Errorf("results differ:\ngot  %s\nwant %s", showRows(got), showRows(exp.rows))
	}
	return nil
}

func showRows(rs []map[string]graph.Term) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString("\n  {")
		for k, v := range r {
			fmt.Fprintf(&b, " ?%s=%v", k, v)
		}
		b.WriteString(" }")
	}
	return b.String()
}

func loadFile(ctx context.Context, st graph.Store, path, base string, g graph.Term) error {
	qs, err := readGraph(path, base)
	if err != nil {
		return err
	}
	if g.IsIRI() {
		if err := st.Update(ctx, func(tx graph.Tx) error {
			if ok, _ := tx.HasGraph(ctx, g); ok {
				return nil
			}
			return tx.CreateGraph(ctx, g)
		}); err != nil {
			return err
		}
	}
	_, err = graph.Load(ctx, st, graph.FromSlice(qs), graph.LoadOptions{Graph: g})
	return err
}

func readGraph(path, base string) ([]graph.Quad, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	opts := syntax.Options{File: filepath.Base(path), Base: base}
	var dec syntax.Decoder
	switch filepath.Ext(path) {
	case ".rdf":
		dec = rdfxml.NewDecoder(f, opts)
	case ".nt":
		dec = ntriples.NewDecoder(f, opts)
	default:
		dec = turtle.NewDecoder(f, opts)
	}
	qs, err := graph.Collect(syntax.Quads(dec))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return qs, nil
}

type expected struct {
	isBool  bool
	boolean bool
	rows    []map[string]graph.Term
}

func readResults(path string) (*expected, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	switch filepath.Ext(path) {
	case ".srx":
		return readSRX(data)
	case ".srj":
		return readSRJ(data)
	case ".tsv":
		return readTSV(data)
	}
	return nil, fmt.Errorf("unknown result format %s", path)
}

func readSRX(data []byte) (*expected, error) {
	type xmlValue struct {
		URI     *string `xml:"uri"`
		BNode   *string `xml:"bnode"`
		Literal *struct {
			Value    string `xml:",chardata"`
			Lang     string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
			Datatype string `xml:"datatype,attr"`
		} `xml:"literal"`
	}
	type xmlBinding struct {
		Name string `xml:"name,attr"`
		xmlValue
	}
	var doc struct {
		Boolean *bool `xml:"boolean"`
		Results struct {
			Result []struct {
				Binding []xmlBinding `xml:"binding"`
			} `xml:"result"`
		} `xml:"results"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Boolean != nil {
		return &expected{isBool: true, boolean: *doc.Boolean}, nil
	}
	exp := &expected{}
	for _, r := range doc.Results.Result {
		row := map[string]graph.Term{}
		for _, b := range r.Binding {
			switch {
			case b.URI != nil:
				row[b.Name] = graph.IRI(strings.TrimSpace(*b.URI))
			case b.BNode != nil:
				row[b.Name] = graph.Blank(strings.TrimSpace(*b.BNode))
			case b.Literal != nil:
				row[b.Name] = makeLiteral(b.Literal.Value, b.Literal.Lang, b.Literal.Datatype)
			}
		}
		exp.rows = append(exp.rows, row)
	}
	return exp, nil
}

func makeLiteral(lex, lang, dt string) graph.Term {
	if lang != "" {
		return graph.LangLiteral(lex, lang)
	}
	return graph.Literal(lex, dt)
}

func readSRJ(data []byte) (*expected, error) {
	var doc struct {
		Boolean *bool `json:"boolean"`
		Results struct {
			Bindings []map[string]struct {
				Type     string `json:"type"`
				Value    string `json:"value"`
				Lang     string `json:"xml:lang"`
				Datatype string `json:"datatype"`
			} `json:"bindings"`
		} `json:"results"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Boolean != nil {
		return &expected{isBool: true, boolean: *doc.Boolean}, nil
	}
	exp := &expected{}
	for _, b := range doc.Results.Bindings {
		row := map[string]graph.Term{}
		for k, v := range b {
			switch v.Type {
			case "uri":
				row[k] = graph.IRI(v.Value)
			case "bnode":
				row[k] = graph.Blank(v.Value)
			default:
				row[k] = makeLiteral(v.Value, v.Lang, v.Datatype)
			}
		}
		exp.rows = append(exp.rows, row)
	}
	return exp, nil
}

// readTSV reads SPARQL TSV results: a header of ?vars, then terms in
// SPARQL/Turtle syntax (IRIs, literals with tags or datatypes, numbers).
func readTSV(data []byte) (*expected, error) {
	lines := strings.Split(strings.TrimRight(string(data), "\r\n"), "\n")
	var vars []string
	for _, h := range strings.Split(strings.TrimRight(lines[0], "\r"), "\t") {
		vars = append(vars, strings.TrimPrefix(strings.TrimPrefix(h, "?"), "$"))
	}
	exp := &expected{}
	for _, line := range lines[1:] {
		line = strings.TrimRight(line, "\r")
		row := map[string]graph.Term{}
		for i, cell := range strings.Split(line, "\t") {
			if cell == "" || i >= len(vars) {
				continue
			}
			t, err := parseTSVTerm(cell)
			if err != nil {
				return nil, err
			}
			row[vars[i]] = t
		}
		exp.rows = append(exp.rows, row)
	}
	return exp, nil
}

func parseTSVTerm(s string) (graph.Term, error) {
	switch {
	case strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">"):
		return graph.IRI(s[1 : len(s)-1]), nil
	case strings.HasPrefix(s, "_:"):
		return graph.Blank(s[2:]), nil
	case strings.HasPrefix(s, `"`):
		end := strings.LastIndexByte(s, '"')
		lex := strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\n`, "\n", `\t`, "\t").Replace(s[1:end])
		rest := s[end+1:]
		switch {
		case strings.HasPrefix(rest, "@"):
			return graph.LangLiteral(lex, rest[1:]), nil
		case strings.HasPrefix(rest, "^^<"):
			return graph.Literal(lex, rest[3:len(rest)-1]), nil
		}
		return graph.String(lex), nil
	case s == "true" || s == "false":
		return graph.Literal(s, graph.XSDBoolean), nil
	}
	switch {
	case validInteger(s):
		return graph.Literal(s, graph.XSDInteger), nil
	case validDecimal(s):
		return graph.Literal(s, graph.XSDDecimal), nil
	case validDouble(s):
		return graph.Literal(s, graph.XSDDouble), nil
	}
	return graph.Term{}, fmt.Errorf("bad TSV term %q", s)
}

// sameTerm compares result terms: identical, or numeric literals of the
// same datatype with the same value (result files write 2.0 and 2 for the
// same decimal), with blank nodes mapped through bn.
func sameTerm(a, b graph.Term, bn map[graph.Term]graph.Term, used map[graph.Term]bool) (bool, func()) {
	if a.IsBlank() && b.IsBlank() {
		if m, ok := bn[a]; ok {
			return m == b, nil
		}
		if used[b] {
			return false, nil
		}
		bn[a] = b
		used[b] = true
		return true, func() { delete(bn, a); delete(used, b) }
	}
	if a == b {
		return true, nil
	}
	if a.IsLiteral() && b.IsLiteral() && a.Datatype() == b.Datatype() && isNumericType(a.Datatype()) {
		x, ok1 := numeric(a)
		y, ok2 := numeric(b)
		if ok1 && ok2 {
			c, ok := cmpNumbers(x, y)
			return ok && c == 0, nil
		}
	}
	return false, nil
}

func rowMatches(g, w map[string]graph.Term, bn map[graph.Term]graph.Term, used map[graph.Term]bool) (bool, []func()) {
	if len(g) != len(w) {
		return false, nil
	}
	var undo []func()
	for k, gv := range g {
		wv, ok := w[k]
		if !ok {
			return false, undo
		}
		same, u := sameTerm(gv, wv, bn, used)
		if u != nil {
			undo = append(undo, u)
		}
		if !same {
			return false, undo
		}
	}
	return true, undo
}

// sameResults compares solution sequences as multisets up to blank-node
// relabelling, and position by position when ordered.
func sameResults(got, want []map[string]graph.Term, ordered bool) bool {
	if len(got) != len(want) {
		return false
	}
	bn := map[graph.Term]graph.Term{}
	used := map[graph.Term]bool{}
	if ordered {
		ok := true
		for i := range got {
			if m, _ := rowMatches(got[i], want[i], bn, used); !m {
				ok = false
				break
			}
		}
		return ok
	}
	taken := make([]bool, len(want))
	var search func(i int) bool
	search = func(i int) bool {
		if i == len(got) {
			return true
		}
		for j := range want {
			if taken[j] {
				continue
			}
			m, undo := rowMatches(got[i], want[j], bn, used)
			if m {
				taken[j] = true
				if search(i + 1) {
					return true
				}
				taken[j] = false
			}
			for _, u := range undo {
				u()
			}
		}
		return false
	}
	return search(0)
}

const rs = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"

// readRSGraph reads a result set written in the rs: vocabulary.
func readRSGraph(path, base string) (*expected, error) {
	qs, err := readGraph(path, base)
	if err != nil {
		return nil, err
	}
	objects := func(s graph.Term, p string) []graph.Term {
		var out []graph.Term
		for _, q := range qs {
			if q.S == s && q.P.Value() == p {
				out = append(out, q.O)
			}
		}
		return out
	}
	exp := &expected{}
	for _, q := range qs {
		if q.P.Value() != graph.RDFNamespace+"type" || q.O.Value() != rs+"ResultSet" {
			continue
		}
		if b := objects(q.S, rs+"boolean"); len(b) > 0 {
			exp.isBool, exp.boolean = true, b[0].Value() == "true"
			return exp, nil
		}
		for _, sol := range objects(q.S, rs+"solution") {
			row := map[string]graph.Term{}
			for _, b := range objects(sol, rs+"binding") {
				vs, vals := objects(b, rs+"variable"), objects(b, rs+"value")
				if len(vs) == 1 && len(vals) == 1 {
					row[vs[0].Value()] = vals[0]
				}
			}
			exp.rows = append(exp.rows, row)
		}
	}
	return exp, nil
}

// compareCSV writes the solutions as SPARQL CSV (terms lose datatypes and
// tags) and compares them with the expected file as multisets of rows up
// to blank-node relabelling.
func compareCSV(res *Result, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	cell := func(s string) graph.Term {
		if strings.HasPrefix(s, "_:") {
			return graph.Blank(s[2:])
		}
		return graph.String(s)
	}
	var want []map[string]graph.Term
	header := records[0]
	for _, rec := range records[1:] {
		row := map[string]graph.Term{}
		for i, c := range rec {
			if c != "" {
				row[header[i]] = cell(c)
			}
		}
		want = append(want, row)
	}
	var got []map[string]graph.Term
	for sol, err := range res.Solutions {
		if err != nil {
			return err
		}
		row := map[string]graph.Term{}
		for i, v := range res.Vars {
			switch t := sol[i]; {
			case t.IsZero():
			case t.IsBlank():
				row[v] = t
			default:
				row[v] = graph.String(t.Value())
			}
		}
		got = append(got, row)
	}
	if strings.Join(header, ",") != strings.Join(res.Vars, ",") {
		return fmt.Errorf("CSV header %v, want %v", res.Vars, header)
	}
	if !sameResults(got, want, false) {
		return fmt.Errorf("CSV results differ:\ngot  %s\nwant %s", showRows(got), showRows(want))
	}
	return nil
}
