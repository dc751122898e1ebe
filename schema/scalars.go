package schema

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/tessera-fair/tessera/graph"
)

// Date is the GraphQL scalar of xsd:date values, written as their lexical
// form ("2021-03-04"). Input is checked as YYYY-MM-DD (an optional time zone
// is allowed), so a filter never compares against a malformed date.
var Date = graphql.NewScalar(graphql.ScalarConfig{
	Name:         "Date",
	Description:  "A calendar date (xsd:date) in ISO 8601 form, e.g. 2021-03-04.",
	Serialize:    serializeLexical,
	ParseValue:   func(v any) any { return parseDate(v, false) },
	ParseLiteral: func(v ast.Value) any { return parseDate(astString(v), false) },
})

// DateTime is the GraphQL scalar of xsd:dateTime values, written as their
// lexical form ("2021-03-04T10:00:00Z"). It replaces graphql-go's DateTime,
// which serialises Go time values only.
var DateTime = graphql.NewScalar(graphql.ScalarConfig{
	Name:         "DateTime",
	Description:  "A date and time (xsd:dateTime) in ISO 8601 / RFC 3339 form, e.g. 2021-03-04T10:00:00Z.",
	Serialize:    serializeLexical,
	ParseValue:   func(v any) any { return parseDate(v, true) },
	ParseLiteral: func(v ast.Value) any { return parseDate(astString(v), true) },
})

func serializeLexical(v any) any {
	switch x := v.(type) {
	case string:
		return x
	case *string:
		if x != nil {
			return *x
		}
	}
	return nil
}

func astString(v ast.Value) any {
	if s, ok := v.(*ast.StringValue); ok {
		return s.Value
	}
	return nil
}

// parseDate accepts an ISO date (or date-time when withTime) and returns it
// unchanged, or nil, which graphql-go reports as an invalid value.
func parseDate(v any, withTime bool) any {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if withTime {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
			if _, err := time.Parse(layout, s); err == nil {
				return s
			}
		}
		return nil
	}
	if len(s) < 10 {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s[:10]); err != nil {
		return nil
	}
	if rest := s[10:]; rest != "" && rest != "Z" {
		if _, err := time.Parse("-07:00", rest); err != nil {
			return nil
		}
	}
	return s
}

// Long is a 64-bit integer, for values GraphQL's 32-bit Int cannot hold
// (dcat:byteSize of imaging archives runs to terabytes). Shapes ask for it
// with the tessera:graphqlScalar "Long" annotation. It is written as a JSON
// number; JavaScript clients read values above 2^53 approximately.
var Long = graphql.NewScalar(graphql.ScalarConfig{
	Name:        "Long",
	Description: "A 64-bit signed integer, written as a JSON number (exact in JavaScript up to 2^53).",
	Serialize: func(v any) any {
		switch n := v.(type) {
		case int64:
			return n
		case int:
			return int64(n)
		}
		return nil
	},
	ParseValue: func(v any) any { return parseLong(v) },
	ParseLiteral: func(v ast.Value) any {
		if iv, ok := v.(*ast.IntValue); ok {
			return parseLong(iv.Value)
		}
		return nil
	},
})

// parseLong reads a Long input: a JSON number without a fraction or a
// decimal string; anything else (or out of range) is invalid (nil).
func parseLong(v any) any {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case float64:
		if n == math.Trunc(n) && n >= math.MinInt64 && n < math.MaxInt64 {
			return int64(n)
		}
	case string:
		if x, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64); err == nil {
			return x
		}
	}
	return nil
}

// scalarType returns the GraphQL scalar for a model scalar name.
func scalarType(name string) *graphql.Scalar {
	switch name {
	case "Int":
		return graphql.Int
	case "Long":
		return Long
	case "Float":
		return graphql.Float
	case "Boolean":
		return graphql.Boolean
	case "Date":
		return Date
	case "DateTime":
		return DateTime
	case "ID":
		return graphql.ID
	}
	return graphql.String
}

// convert turns an RDF term into the Go value of a GraphQL scalar, or nil
// when the term does not fit (an "abc" where an Int is expected): a bad value
// in the data reads as null, not as an error of the whole request.
func convert(scalar string, t graph.Term) any {
	if t.IsZero() {
		return nil
	}
	v := t.Value()
	switch scalar {
	case "Int":
		if !t.IsLiteral() {
			return nil
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n > math.MaxInt32 || n < math.MinInt32 {
			f, ferr := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if ferr != nil || f != math.Trunc(f) || f > math.MaxInt32 || f < math.MinInt32 {
				return nil
			}
			return int(f)
		}
		return int(n)
	case "Long":
		if !t.IsLiteral() {
			return nil
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			return n
		}
		return nil
	case "Float":
		if !t.IsLiteral() {
			return nil
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil
		}
		return f
	case "Boolean":
		switch strings.TrimSpace(v) {
		case "true", "1":
			return true
		case "false", "0":
			return false
		}
		return nil
	case "Date", "DateTime", "String", "ID":
		return v
	}
	return v
}

// literal builds the RDF literal a filter compares with, typed after the
// field's scalar so that comparisons are numeric or chronological.
func literal(scalar string, v any) (graph.Term, bool) {
	switch scalar {
	case "Int":
		switch n := v.(type) {
		case int:
			return graph.Literal(strconv.Itoa(n), graph.XSDInteger), true
		case float64:
			return graph.Literal(strconv.FormatFloat(n, 'f', -1, 64), graph.XSDDecimal), true
		}
	case "Long":
		if n, ok := v.(int64); ok {
			return graph.Literal(strconv.FormatInt(n, 10), graph.XSDInteger), true
		}
	case "Float":
		switch n := v.(type) {
		case int:
			return graph.Literal(strconv.Itoa(n), graph.XSDDouble), true
		case float64:
			return graph.Literal(strconv.FormatFloat(n, 'e', -1, 64), graph.XSDDouble), true
		}
	case "Boolean":
		if b, ok := v.(bool); ok {
			return graph.Literal(strconv.FormatBool(b), graph.XSDBoolean), true
		}
	case "Date":
		if s, ok := v.(string); ok {
			return graph.Literal(s, graph.XSDNamespace+"date"), true
		}
	case "DateTime":
		if s, ok := v.(string); ok {
			return graph.Literal(s, graph.XSDNamespace+"dateTime"), true
		}
	case "ID":
		if s, ok := v.(string); ok {
			return idTerm(s), true
		}
	default:
		if s, ok := v.(string); ok {
			return graph.String(s), true
		}
	}
	return graph.Term{}, false
}

// idTerm reads an ID argument: "_:b1" is a blank node, anything else an IRI.
func idTerm(s string) graph.Term {
	if label, ok := strings.CutPrefix(s, "_:"); ok {
		return graph.Blank(label)
	}
	return graph.IRI(s)
}

// idString is the ID of a resource: its IRI, or "_:label" for a blank node.
func idString(t graph.Term) string {
	if t.IsBlank() {
		return "_:" + t.Value()
	}
	return t.Value()
}

// langRank says how well a literal's language tag matches the requested
// one: 0 exact, 1 one is a prefix of the other (en / en-gb), 2 untagged,
// 3 the fallback language (the service's default), 4 any other language.
// With no request, the fallback is the request.
func langRank(tag, want, fallback string) int {
	if want == "" {
		want = fallback
	}
	want, fallback = strings.ToLower(want), strings.ToLower(fallback)
	match := func(w string) (exact, prefix bool) {
		if w == "" {
			return false, false
		}
		return tag == w, tag != "" && (strings.HasPrefix(tag, w+"-") || strings.HasPrefix(w, tag+"-"))
	}
	exact, prefix := match(want)
	switch {
	case exact:
		return 0
	case prefix:
		return 1
	case tag == "":
		return 2
	}
	if e, p := match(fallback); e || p {
		return 3
	}
	return 4
}

// bestLang keeps the values of the best-ranked language among ts (sorted
// input keeps the output deterministic). Non-literals are dropped.
func bestLang(ts []graph.Term, want, fallback string) []graph.Term {
	best := 5
	var out []graph.Term
	for _, t := range ts {
		if !t.IsLiteral() {
			continue
		}
		r := langRank(t.Lang(), want, fallback)
		if r == 4 && best == 4 && len(out) > 0 && out[0].Lang() != t.Lang() {
			continue // "any other language": one language only, the first
		}
		switch {
		case r < best:
			best, out = r, append(out[:0], t)
		case r == best:
			out = append(out, t)
		}
	}
	return out
}
