package model

import (
	"fmt"
	"strings"
)

// String returns Format(m).
func (m *Model) String() string { return Format(m) }

// Format writes m as a readable, deterministic listing, one type after
// another, for golden tests and for operators checking what their shapes
// produce (the GraphQL SDL is the schema package's to print):
//
//	type Catalog implements Dataset
//	  # A catalogue of datasets published by one data provider.
//	  class dcat:Catalog
//	  shapes tsh:CatalogShape
//	  datasets: [Dataset]  dcat:dataset
//	  patients: [Patient]  ^dct:isPartOf  filter cdm:Patient
//
// A field's type is written as in GraphQL (a list in brackets; "!" when
// Required), followed by its path: steps joined by "/", alternatives in
// parentheses joined by "|", "^" for an inverse step. Reference fields
// print as Reference, language-tagged ones as LangString. IRIs in well-known
// namespaces are abbreviated; blank nodes print as [].
func Format(m *Model) string {
	var b strings.Builder
	for i, t := range m.Types {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("type " + t.Name)
		if len(t.Interfaces) > 0 {
			b.WriteString(" implements " + strings.Join(t.Interfaces, " & "))
		}
		b.WriteByte('\n')
		if t.Description != "" {
			fmt.Fprintf(&b, "  # %s\n", oneLine(t.Description))
		}
		b.WriteString("  class " + compact(t.Class))
		if len(t.Classes) > 1 {
			b.WriteString(" =")
			for _, c := range t.Classes {
				if c != t.Class {
					b.WriteString(" " + compact(c))
				}
			}
		}
		b.WriteByte('\n')
		if len(t.Shapes) > 0 {
			b.WriteString("  shapes")
			for _, s := range t.Shapes {
				b.WriteString(" " + compact(s))
			}
			b.WriteByte('\n')
		}
		for _, f := range t.Fields {
			fmt.Fprintf(&b, "  %s: %s", f.Name, fieldType(f))
			if len(f.Path) > 0 {
				b.WriteString("  " + FormatPath(f.Path))
			}
			if !f.Filter.IsZero() {
				b.WriteString("  filter " + compact(f.Filter))
			}
			b.WriteByte('\n')
			if f.Description != "" {
				fmt.Fprintf(&b, "      # %s\n", oneLine(f.Description))
			}
		}
	}
	for _, w := range m.Warnings {
		b.WriteString("\nwarning: " + w)
	}
	if len(m.Warnings) > 0 {
		b.WriteByte('\n')
	}
	return b.String()
}

// FormatPath writes a field's path in SPARQL property path syntax with
// abbreviated IRIs: dct:publisher/foaf:name, ^dct:isPartOf,
// (hdcat:minTypicalAge|hdcatx:minTypicalAge).
func FormatPath(path []Step) string {
	var b strings.Builder
	for i, st := range path {
		if i > 0 {
			b.WriteByte('/')
		}
		if st.Inverse {
			b.WriteByte('^')
		}
		if len(st.Predicates) > 1 {
			b.WriteByte('(')
		}
		for j, p := range st.Predicates {
			if j > 0 {
				b.WriteByte('|')
			}
			b.WriteString(compact(p))
		}
		if len(st.Predicates) > 1 {
			b.WriteByte(')')
		}
	}
	return b.String()
}

// fieldType writes the GraphQL type of f.
func fieldType(f *Field) string {
	var name string
	switch f.Kind {
	case Scalar:
		name = f.Scalar
	case LangString:
		name = "LangString"
	case Object:
		name = f.Target
	case Reference:
		name = "Reference"
	default:
		name = fmt.Sprintf("Kind(%d)", f.Kind)
	}
	if !f.Single {
		name = "[" + name + "]"
	}
	if f.Required {
		name += "!"
	}
	return name
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
