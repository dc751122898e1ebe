package harmonise

import "github.com/tessera-fair/tessera/loaders/syntax"

// Format is the syntax of the records.
type Format uint8

// The record formats. FormatAuto looks at the first byte that is not white
// space: '[' or '{' means JSON (which also reads JSON Lines), anything else
// CSV.
const (
	FormatAuto Format = iota
	// FormatJSON is a JSON array of records, one record object, or a
	// sequence of record objects.
	FormatJSON
	// FormatJSONLines is one record object per line (JSON Lines, NDJSON).
	// It is read exactly as FormatJSON, which accepts it; the name
	// documents intent.
	FormatJSONLines
	// FormatCSV is RFC 4180 CSV with a header row.
	FormatCSV
)

// String returns the format's name.
func (f Format) String() string {
	switch f {
	case FormatJSON:
		return "json"
	case FormatJSONLines:
		return "jsonl"
	case FormatCSV:
		return "csv"
	}
	return "auto"
}

// Policy says what to do with a value that does not map: a code missing
// from its code table, or a value that is not valid for its datatype. The
// value is always reported as a RecordIssue first.
type Policy uint8

// The policies. The zero Policy keeps the value, so that nothing is lost
// silently and a harmoniser can fix the table and reload.
const (
	// Keep emits the value as a plain literal (xsd:string): an unmapped
	// code as the code, an invalid value as written (as CSVW does), never
	// as an ill-typed literal or a relative IRI.
	Keep Policy = iota
	// Drop leaves the value out of the output.
	Drop
	// Fail stops the load with an error positioned at the record.
	Fail
)

// String returns the policy's name.
func (p Policy) String() string {
	switch p {
	case Drop:
		return "drop"
	case Fail:
		return "fail"
	}
	return "keep"
}

// action is the RecordIssue.Action for a policy.
func (p Policy) action() string {
	switch p {
	case Drop:
		return "dropped"
	case Fail:
		return "failed"
	}
	return "kept"
}

// DefaultMaxRecordBytes caps one JSON record (one element of the array, one
// line of JSON Lines) when Options.MaxRecordBytes is zero.
const DefaultMaxRecordBytes = 16 << 20

// Options configure a Decoder. The zero value works: format detected from
// the input, no @id template beyond the mapping's, no code tables, unmapped
// values kept and reported.
type Options struct {
	syntax.Options
	// Format is the record syntax; FormatAuto detects it.
	Format Format
	// IDTemplate, when set, overrides the mapping's @id template: the IRI
	// of a record without "@id", with {field} replaced by the record's
	// percent-encoded field value ("https://data.example/patient/{id}").
	IDTemplate string
	// Codes are the code tables applied to record fields before mapping.
	Codes *Codes
	// OnUnmappedCode says what to do with a value missing from its field's
	// code table.
	OnUnmappedCode Policy
	// OnInvalidValue says what to do with a value that is not valid for
	// its datatype.
	OnInvalidValue Policy
	// OnIssue, when set, receives every issue as it is found: the stream a
	// harmoniser watches, or writes to a file, whatever the number of
	// records.
	OnIssue func(RecordIssue)
	// MaxIssues caps Report.Issues; 0 means DefaultMaxIssues, negative
	// keeps none (issues are still counted and streamed).
	MaxIssues int
	// Comma is the CSV field delimiter; 0 means ','. A CSVW dialect's
	// delimiter takes precedence.
	Comma rune
	// MaxRecordBytes caps one JSON record; 0 means DefaultMaxRecordBytes.
	MaxRecordBytes int64
}
