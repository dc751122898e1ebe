package results

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// Read reads a result document in the format f (JSON, XML or TSV). It reads
// up to the first solution and returns the Set: the variables, and a stream
// that reads the remaining rows as it is ranged over (once). An ASK answer
// is read whole. Bad input is a *syntax.Error with opts.File and the line
// and column, returned here or yielded by the stream. Blank-node labels are
// mapped through opts.BlankScope(), so two documents never share a blank
// node unless they are given one scope.
//
// CSV cannot be read into terms (it drops kinds, datatypes and languages);
// use ReadCSVText for comparisons.
func Read(r io.Reader, f Format, opts syntax.Options) (Set, error) {
	switch f {
	case JSON:
		return readJSON(r, opts)
	case XML:
		return readXML(r, opts)
	case TSV:
		return readTSV(r, opts)
	case CSV:
		return Set{}, fmt.Errorf("read results: CSV cannot be read into RDF terms: %w", ErrUnsupported)
	}
	return Set{}, fmt.Errorf("read results: unknown format %v", f)
}

// ReadTable reads a whole result document into a Table: Read followed by
// Collect.
func ReadTable(r io.Reader, f Format, opts syntax.Options) (Table, error) {
	s, err := Read(r, f, opts)
	if err != nil {
		return Table{}, err
	}
	return Collect(s)
}

// cursor counts lines and columns (in code points) over bytes as they are
// consumed.
type cursor struct {
	line, col int // line from 1; col code points before the next byte
}

func newCursor() cursor { return cursor{line: 1} }

func (c *cursor) byte(b byte) {
	switch {
	case b == '\n':
		c.line++
		c.col = 0
	case b&0xC0 != 0x80:
		c.col++
	}
}

// errAt returns a positioned syntax error.
func errAt(file string, line, col int, format string, args ...any) error {
	return &syntax.Error{File: file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// validLangTag reports whether s has the shape of a BCP 47 tag as Turtle's
// LANGTAG admits it: [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.
func validLangTag(s string) bool {
	for i, part := range strings.Split(s, "-") {
		if part == "" {
			return false
		}
		for j := 0; j < len(part); j++ {
			c := part[j]
			alpha := c|0x20 >= 'a' && c|0x20 <= 'z'
			if !alpha && (i == 0 || c < '0' || c > '9') {
				return false
			}
		}
	}
	return true
}

// makeLiteral builds a literal from the parts a result format gives,
// checking that they agree: a language tag goes with rdf:langString (or no
// datatype), and rdf:langString needs a tag.
func makeLiteral(value, lang, datatype string) (graph.Term, error) {
	if !utf8.ValidString(value) {
		return graph.Term{}, fmt.Errorf("literal is not valid UTF-8")
	}
	if lang != "" {
		if datatype != "" && datatype != graph.RDFLangString {
			return graph.Term{}, fmt.Errorf("literal has both language %q and datatype <%s>", lang, datatype)
		}
		if !validLangTag(lang) {
			return graph.Term{}, fmt.Errorf("bad language tag %q", lang)
		}
		return graph.LangLiteral(value, lang), nil
	}
	if datatype == graph.RDFLangString {
		return graph.Term{}, fmt.Errorf("rdf:langString literal without a language tag")
	}
	return graph.Literal(value, datatype), nil
}
