package shacl

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// Report is the outcome of a validation (SHACL §3.6).
type Report struct {
	// Conforms is true when validation produced no result of any severity.
	Conforms bool
	// Results are the validation results in the order they were found.
	Results []Result
	// Truncated is set when Options.MaxResults stopped validation early.
	Truncated bool
	// Prefixes abbreviate IRIs in WriteText (prefix name → namespace);
	// nil means the well-known prefixes of the vocabularies Tessera uses.
	Prefixes map[string]string

	shapes *Shapes                  // names blank-node shapes
	blanks map[graph.Term]blankInfo // describes blank focus nodes and values
}

// blankInfo describes a blank node of the data for people: its types and
// one triple that points at it.
type blankInfo struct {
	types []graph.Term
	via   po // predicate and subject; zero if none
}

// Result is one validation result (SHACL §3.6.2).
type Result struct {
	// Focus is the focus node that was validated.
	Focus graph.Term
	// Path is the property path of the result; nil for results of node
	// shapes. Path.String prints it, Path.Quads gives its RDF form.
	Path *Path
	// Value is the value node that caused the result, or the zero Term.
	Value graph.Term
	// SourceShape is the shape whose constraint failed.
	SourceShape graph.Term
	// Component is the IRI of the constraint component that failed.
	Component graph.Term
	// Severity is the shape's sh:severity, sh:Violation by default.
	Severity graph.Term
	// Messages are the shape's sh:message values.
	Messages []graph.Term
	// Detail is a generated English description of the failure, used as
	// the message when the shape has none.
	Detail string
}

// Quads writes the report as a standard sh:ValidationReport in RDF, in the
// default graph, with blank nodes for the report, its results and complex
// result paths. Each result gets its sh:message values as
// sh:resultMessage, or the generated Detail when the shape has none.
func (r *Report) Quads() []graph.Quad {
	scope := graph.NewBlankScope()
	rep := scope.Fresh()
	conforms := "false"
	if r.Conforms {
		conforms = "true"
	}
	out := []graph.Quad{
		graph.Triple(rep, rdfType, shValidationReport),
		graph.Triple(rep, shConforms, graph.Literal(conforms, xsdBoolean)),
	}
	for _, res := range r.Results {
		n := scope.Fresh()
		out = append(out,
			graph.Triple(rep, shResult, n),
			graph.Triple(n, rdfType, shValidationResult),
			graph.Triple(n, shFocusNode, res.Focus),
			graph.Triple(n, shResultSeverity, res.Severity),
			graph.Triple(n, shSourceComponent, res.Component),
			graph.Triple(n, shSourceShape, res.SourceShape),
		)
		if res.Path != nil {
			p, qs := res.Path.Quads(scope)
			out = append(out, graph.Triple(n, shResultPath, p))
			out = append(out, qs...)
		}
		if !res.Value.IsZero() {
			out = append(out, graph.Triple(n, shValue, res.Value))
		}
		for _, m := range res.Messages {
			out = append(out, graph.Triple(n, shResultMessage, m))
		}
		if len(res.Messages) == 0 && res.Detail != "" {
			out = append(out, graph.Triple(n, shResultMessage, graph.String(res.Detail)))
		}
	}
	return out
}

// wellKnown are the prefixes WriteText uses by default. (The same table
// lives in package loaders; it is not imported so that validation does not
// depend on every parser.)
func wellKnown() map[string]string {
	return map[string]string{
		"rdf":    rdfN,
		"rdfs":   rdfs,
		"xsd":    xsd,
		"owl":    owlN,
		"sh":     SH,
		"skos":   "http://www.w3.org/2004/02/skos/core#",
		"dcat":   "http://www.w3.org/ns/dcat#",
		"dct":    "http://purl.org/dc/terms/",
		"foaf":   "http://xmlns.com/foaf/0.1/",
		"vcard":  "http://www.w3.org/2006/vcard/ns#",
		"adms":   "http://www.w3.org/ns/adms#",
		"prov":   "http://www.w3.org/ns/prov#",
		"dcatap": "http://data.europa.eu/r5r/",
		"fdp":    "https://w3id.org/fdp/fdp-o#",
		"ldp":    "http://www.w3.org/ns/ldp#",
		"odrl":   "http://www.w3.org/ns/odrl/2/",
		"schema": "http://schema.org/",
	}
}

// compact writes t with the longest matching prefix, or in N-Triples form.
func compact(t graph.Term, prefixes map[string]string) string {
	if prefixes == nil {
		prefixes = wellKnown()
	}
	if t.IsIRI() {
		best, bestNS := "", ""
		for p, ns := range prefixes {
			if len(ns) > len(bestNS) && strings.HasPrefix(t.Value(), ns) {
				best, bestNS = p, ns
			}
		}
		if bestNS != "" {
			local := t.Value()[len(bestNS):]
			if local != "" && !strings.ContainsAny(local, "/#?:() ") {
				return best + ":" + local
			}
		}
	}
	if !t.IsLiteral() {
		return t.String()
	}
	lex := t.Value()
	if len(lex) > 60 {
		lex = lex[:57] + "..."
	}
	switch dt := t.Datatype(); {
	case t.Lang() != "":
		return graph.LangLiteral(lex, t.Lang()).String()
	case dt == graph.XSDString:
		return graph.String(lex).String()
	case (dt == graph.XSDInteger && reTurtleInt.MatchString(lex)) || (dt == graph.XSDDecimal && reTurtleDec.MatchString(lex)) ||
		(dt == xsdBoolean && (lex == "true" || lex == "false")):
		return lex
	}
	return graph.String(lex).String() + "^^" + compact(graph.IRI(t.Datatype()), prefixes)
}

// Turtle's abbreviated numeric literals.
var (
	reTurtleInt = regexp.MustCompile(`^[+-]?[0-9]+$`)
	reTurtleDec = regexp.MustCompile(`^[+-]?[0-9]*\.[0-9]+$`)
)

// short is compact with the well-known prefixes, for generated messages.
func short(t graph.Term) string { return compact(t, nil) }

// WriteText writes a readable report, grouped by focus node in order of
// first appearance, one line per result:
//
//	<https://example.org/dataset1>
//	  Violation dct:title: minCount 1 not met (found 0) [shape ex:DatasetShape]
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	px := r.Prefixes
	if px == nil {
		px = wellKnown()
	}
	if r.Conforms {
		fmt.Fprintln(bw, "conforms: no results")
		return bw.Flush()
	}
	counts := map[graph.Term]int{}
	var focusOrder []graph.Term
	groups := map[graph.Term][]int{}
	for i, res := range r.Results {
		if _, ok := groups[res.Focus]; !ok {
			focusOrder = append(focusOrder, res.Focus)
		}
		groups[res.Focus] = append(groups[res.Focus], i)
		counts[res.Severity]++
	}
	sevs := make([]string, 0, len(counts))
	for s, n := range counts {
		sevs = append(sevs, fmt.Sprintf("%d %s", n, severityName(s, px)))
	}
	sort.Strings(sevs)
	fmt.Fprintf(bw, "does not conform: %s (%s) on %s", plural(len(r.Results), "result"), strings.Join(sevs, ", "), plural(len(focusOrder), "focus node"))
	if r.Truncated {
		bw.WriteString(", truncated")
	}
	bw.WriteString("\n")
	names := map[graph.Term]string{}
	name := func(t graph.Term) string {
		if !t.IsBlank() {
			return compact(t, px)
		}
		if n, ok := names[t]; ok {
			return n
		}
		n := fmt.Sprintf("_:n%d", len(names)+1)
		names[t] = n
		return n
	}
	for _, f := range focusOrder {
		fmt.Fprintf(bw, "\n%s", name(f))
		if info, ok := r.blanks[f]; ok {
			var parts []string
			if len(info.types) > 0 {
				ts := make([]string, len(info.types))
				for i, t := range info.types {
					ts[i] = compact(t, px)
				}
				sort.Strings(ts)
				parts = append(parts, "a "+strings.Join(ts, ", "))
			}
			if !info.via.p.IsZero() {
				parts = append(parts, "value of "+compact(info.via.p, px)+" of "+name(info.via.o))
			}
			if len(parts) > 0 {
				fmt.Fprintf(bw, " (%s)", strings.Join(parts, "; "))
			}
		}
		bw.WriteString("\n")
		for _, i := range groups[f] {
			res := r.Results[i]
			bw.WriteString("  ")
			bw.WriteString(severityName(res.Severity, px))
			bw.WriteString(" ")
			if res.Path != nil {
				bw.WriteString(res.Path.Format(px))
				bw.WriteString(": ")
			}
			msg := res.Detail
			if len(res.Messages) > 0 {
				msg = messageText(res.Messages)
				if res.Detail != "" {
					msg += " (" + res.Detail + ")"
				}
			}
			bw.WriteString(msg)
			if res.Value.IsBlank() {
				fmt.Fprintf(bw, " [value %s]", name(res.Value))
			}
			shape := compact(res.SourceShape, px)
			if r.shapes != nil {
				shape = r.shapes.label(res.SourceShape, px)
			}
			fmt.Fprintf(bw, " [shape %s]\n", shape)
		}
	}
	return bw.Flush()
}

// messageText picks the English (or untagged, or first) sh:message.
func messageText(ms []graph.Term) string {
	best := ms[0]
	for _, m := range ms {
		if m.Lang() == "en" || (m.Lang() == "" && best.Lang() != "en") {
			best = m
		}
	}
	return best.Value()
}

func severityName(s graph.Term, px map[string]string) string {
	switch s {
	case Violation:
		return "Violation"
	case Warning:
		return "Warning"
	case Info:
		return "Info"
	}
	return compact(s, px)
}

// jsonTerm is a term in the SPARQL 1.1 JSON results encoding.
type jsonTerm struct {
	Type     string `json:"type"`
	Value    string `json:"value"`
	Datatype string `json:"datatype,omitempty"`
	Lang     string `json:"xml:lang,omitempty"`
}

func toJSONTerm(t graph.Term) *jsonTerm {
	switch t.Kind() {
	case graph.KindIRI:
		return &jsonTerm{Type: "uri", Value: t.Value()}
	case graph.KindBlank:
		return &jsonTerm{Type: "bnode", Value: t.Value()}
	case graph.KindLiteral:
		j := &jsonTerm{Type: "literal", Value: t.Value(), Lang: t.Lang()}
		if t.Lang() == "" && t.Datatype() != graph.XSDString {
			j.Datatype = t.Datatype()
		}
		return j
	}
	return nil
}

type jsonResult struct {
	Focus     *jsonTerm   `json:"focusNode"`
	Path      string      `json:"path,omitempty"`
	Value     *jsonTerm   `json:"value,omitempty"`
	Shape     *jsonTerm   `json:"sourceShape"`
	Component string      `json:"sourceConstraintComponent"`
	Severity  string      `json:"severity"`
	Messages  []*jsonTerm `json:"messages,omitempty"`
	Detail    string      `json:"detail,omitempty"`
}

// MarshalJSON encodes the report for APIs: {"conforms", "truncated",
// "results": [{focusNode, path, value, sourceShape, ...}]}, with terms in
// the SPARQL 1.1 JSON results encoding and paths in SPARQL path syntax.
func (r *Report) MarshalJSON() ([]byte, error) {
	out := struct {
		Conforms  bool         `json:"conforms"`
		Truncated bool         `json:"truncated,omitempty"`
		Results   []jsonResult `json:"results"`
	}{Conforms: r.Conforms, Truncated: r.Truncated, Results: make([]jsonResult, 0, len(r.Results))}
	for _, res := range r.Results {
		j := jsonResult{
			Focus:     toJSONTerm(res.Focus),
			Value:     toJSONTerm(res.Value),
			Shape:     toJSONTerm(res.SourceShape),
			Component: res.Component.Value(),
			Severity:  res.Severity.Value(),
			Detail:    res.Detail,
		}
		if res.Path != nil {
			j.Path = res.Path.String()
		}
		for _, m := range res.Messages {
			j.Messages = append(j.Messages, toJSONTerm(m))
		}
		out.Results = append(out.Results, j)
	}
	return json.Marshal(out)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
