package harmonise

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// Reasons a field of a record did not map. They are the Reason of a
// RecordIssue; harmonisers filter and count by them.
const (
	// ReasonNoTerm: the JSON key has no term in the mapping context (and no
	// @vocab catches it), so JSON-LD expansion would drop it silently.
	ReasonNoTerm = "no term in the context"
	// ReasonNoColumn: a CSV header has no column in the CSVW table schema.
	ReasonNoColumn = "no column mapping"
	// ReasonUnmappedCode: the field has a code table and the value is not in
	// it.
	ReasonUnmappedCode = "unmapped code"
	// ReasonDatatype: the value is not a valid lexical form of the datatype
	// the mapping gives the field.
	ReasonDatatype = "invalid value for datatype"
	// ReasonNoID: the @id template names a field the record lacks, so the
	// record's subject is a blank node.
	ReasonNoID = "id template field missing"
)

// RecordIssue is one field of one record that did not map as the mapping
// says. Record counts records from 1 (rows of a CSV file, not counting the
// header); Line is the line the record starts on.
type RecordIssue struct {
	Record int
	Line   int
	Field  string
	Value  string
	Reason string
	// Action says what was done with the value: "kept", "dropped" or
	// "failed" (the load stopped).
	Action string
}

// String formats the issue as "record 3 (line 4): sex="X": unmapped code (kept)".
func (i RecordIssue) String() string {
	s := fmt.Sprintf("record %d (line %d): %s=%q: %s", i.Record, i.Line, i.Field, i.Value, i.Reason)
	if i.Action != "" {
		s += " (" + i.Action + ")"
	}
	return s
}

// DefaultMaxIssues is how many issues a Report keeps when
// Options.MaxIssues is zero. Every issue is still counted and streamed to
// Options.OnIssue; only the kept list is capped, so memory stays constant.
const DefaultMaxIssues = 1000

// Report summarises a load for the harmoniser: records read, triples
// produced, and the fields that did not map. It is filled while the decoder
// runs and complete once Next has returned io.EOF. It is not safe for
// concurrent use with the decoder that fills it.
type Report struct {
	// File names the input.
	File string
	// Records is the number of records (JSON values, CSV rows) read.
	Records int
	// Triples is the number of quads produced.
	Triples int64
	// Issues holds the first issues, up to the cap (Options.MaxIssues).
	Issues []RecordIssue
	// IssueCount is the number of issues, kept or not.
	IssueCount int
	// ByField counts issues per field and reason.
	ByField map[FieldReason]int
	// UnusedCodes lists the fields with a code table (Options.Codes) that
	// no record had, sorted; set at the end of the input. It usually means
	// a table names its field wrongly, so the codes it was meant for went
	// through unmapped.
	UnusedCodes []string

	max    int
	onItem func(RecordIssue)
}

// FieldReason keys Report.ByField.
type FieldReason struct {
	Field, Reason string
}

func newReport(file string, opts Options) *Report {
	m := opts.MaxIssues
	if m == 0 {
		m = DefaultMaxIssues
	}
	return &Report{File: file, ByField: map[FieldReason]int{}, max: m, onItem: opts.OnIssue}
}

// add records an issue.
func (r *Report) add(i RecordIssue) {
	r.IssueCount++
	r.ByField[FieldReason{i.Field, i.Reason}]++
	if r.max > 0 && len(r.Issues) < r.max {
		r.Issues = append(r.Issues, i)
	}
	if r.onItem != nil {
		r.onItem(i)
	}
}

// WriteSummary writes a human-readable summary: the counts, then issues per
// field and reason, most frequent first.
func (r *Report) WriteSummary(w io.Writer) error {
	var b strings.Builder
	name := r.File
	if name == "" {
		name = "<input>"
	}
	fmt.Fprintf(&b, "%s: %d records, %d triples, %d issues\n", name, r.Records, r.Triples, r.IssueCount)
	keys := slices.SortedFunc(maps.Keys(r.ByField), func(a, b FieldReason) int {
		if d := r.ByField[b] - r.ByField[a]; d != 0 {
			return d
		}
		if c := strings.Compare(a.Field, b.Field); c != 0 {
			return c
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-24s %-28s %d\n", k.Field, k.Reason, r.ByField[k])
	}
	for _, f := range r.UnusedCodes {
		fmt.Fprintf(&b, "  warning: the code table for field %q applied to no record: no record has that field (a field is a record key, or a dotted path to a nested one)\n", f)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
