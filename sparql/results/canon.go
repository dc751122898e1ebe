package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

const (
	xsdFloat = graph.XSDNamespace + "float"
)

// Canonicalize returns a copy of t with every xsd:integer, xsd:decimal,
// xsd:double, xsd:float and xsd:boolean literal whose lexical form is valid
// rewritten to the canonical form of its value (XML Schema 1.0 §3.2: "01" →
// "1", "1.50" → "1.5", "1.0e6" → "1.0E6", "1" → "true"). Conformance
// runners apply it to both sides of a comparison when the expected file was
// written with normalised numbers, as the suite's TSV results are.
func Canonicalize(t Table) Table {
	out := Table{Vars: t.Vars, IsBoolean: t.IsBoolean, Boolean: t.Boolean}
	if t.Rows != nil {
		out.Rows = make([]Solution, len(t.Rows))
	}
	for n, r := range t.Rows {
		c := make(Solution, len(r))
		for i, term := range r {
			c[i] = CanonicalTerm(term)
		}
		out.Rows[n] = c
	}
	return out
}

// CanonicalTerm returns the canonical form of a numeric or boolean literal
// (see Canonicalize) and any other term unchanged.
func CanonicalTerm(t graph.Term) graph.Term {
	if !t.IsLiteral() {
		return t
	}
	lex := strings.TrimSpace(t.Value()) // XSD whiteSpace collapse for these types
	var c string
	var ok bool
	switch t.Datatype() {
	case graph.XSDInteger:
		c, ok = canonicalInteger(lex)
	case graph.XSDDecimal:
		c, ok = canonicalDecimal(lex)
	case graph.XSDDouble:
		c, ok = canonicalFloat(lex, 64)
	case xsdFloat:
		c, ok = canonicalFloat(lex, 32)
	case graph.XSDBoolean:
		switch lex {
		case "true", "1":
			c, ok = "true", true
		case "false", "0":
			c, ok = "false", true
		}
	}
	if !ok {
		return t
	}
	return graph.Literal(c, t.Datatype())
}

func canonicalInteger(s string) (string, bool) {
	if !isTurtleInteger(s) {
		return "", false
	}
	neg := s[0] == '-'
	s = strings.TrimLeft(strings.TrimLeft(s, "+-"), "0")
	if s == "" {
		return "0", true
	}
	if neg {
		return "-" + s, true
	}
	return s, true
}

func canonicalDecimal(s string) (string, bool) {
	if !isTurtleInteger(s) && !isTurtleDecimal(s) && !(strings.HasSuffix(s, ".") && isTurtleInteger(s[:len(s)-1])) {
		return "", false
	}
	neg := s[0] == '-'
	s = strings.TrimLeft(s, "+-")
	whole, frac, _ := strings.Cut(s, ".")
	whole = strings.TrimLeft(whole, "0")
	frac = strings.TrimRight(frac, "0")
	if whole == "" {
		whole = "0"
	}
	if frac == "" {
		frac = "0"
	}
	if neg && (whole != "0" || frac != "0") {
		whole = "-" + whole
	}
	return whole + "." + frac, true
}

func canonicalFloat(s string, bits int) (string, bool) {
	switch s {
	case "INF", "+INF":
		return "INF", true
	case "-INF":
		return "-INF", true
	case "NaN":
		return "NaN", true
	}
	if !isTurtleDouble(s) && !isTurtleDecimal(s) && !isTurtleInteger(s) {
		return "", false
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return "", false
	}
	e := strconv.FormatFloat(f, 'E', -1, bits) // e.g. 1E+06, -1.5E-07, +Inf
	switch e {
	case "+Inf":
		return "INF", true
	case "-Inf":
		return "-INF", true
	}
	mant, exp, _ := strings.Cut(e, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(strings.TrimLeft(exp, "+-"), "0")
	if exp == "" {
		exp = "0"
	} else if neg {
		exp = "-" + exp
	}
	return mant + "E" + exp, true
}

// ReadCSVText reads a CSV result document as text: the header gives the
// variables, an empty field is unbound, a field starting with "_:" is the
// blank node of that label, and every other field is a plain string (CSV
// keeps no kinds, datatypes or languages). CRLF and LF line ends are both
// accepted. It is meant for comparing CSV documents with Equivalent.
func ReadCSVText(r io.Reader) (Table, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err == io.EOF {
		// No line that is not empty: a result without variables (whose
		// rows, all empty lines, CSV cannot count).
		return Table{}, nil
	}
	if err != nil {
		return Table{}, fmt.Errorf("read CSV results: %w", err)
	}
	t := Table{Vars: head}
	if len(head) == 1 && head[0] == "" {
		t.Vars = nil
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return t, fmt.Errorf("read CSV results: %w", err)
		}
		row := make(Solution, len(t.Vars))
		for i, f := range rec {
			if i >= len(row) {
				break
			}
			switch {
			case f == "":
			case strings.HasPrefix(f, "_:") && len(f) > 2:
				row[i] = graph.Blank(f[2:])
			default:
				row[i] = graph.String(f)
			}
		}
		t.Rows = append(t.Rows, row)
	}
}

// EquivalentCSV compares two CSV result documents as the suite's CSV
// result-format tests do: the same header, and the same rows as multisets
// (or sequences when ordered) up to a consistent renaming of blank-node
// labels; line ends and quoting that does not change a field are ignored.
func EquivalentCSV(a, b io.Reader, ordered bool) (bool, error) {
	ta, err := ReadCSVText(a)
	if err != nil {
		return false, err
	}
	tb, err := ReadCSVText(b)
	if err != nil {
		return false, err
	}
	return slices.Equal(ta.Vars, tb.Vars) && Equivalent(ta, tb, ordered), nil
}
