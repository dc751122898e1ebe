package results

import (
	"errors"
	"io"
	"testing"
)

func TestFormats(t *testing.T) {
	for _, f := range Formats() {
		if g, ok := ParseFormat(f.String()); !ok || g != f {
			t.Errorf("ParseFormat(%q) = %v, %v", f.String(), g, ok)
		}
		if g, ok := FormatForMediaType(f.ContentType()); !ok || g != f {
			t.Errorf("FormatForMediaType(%q) = %v, %v", f.ContentType(), g, ok)
		}
		if g, ok := FormatForExtension(f.Extension()); !ok || g != f {
			t.Errorf("FormatForExtension(%q) = %v, %v", f.Extension(), g, ok)
		}
	}
	tests := []struct {
		in   string
		want Format
		ok   bool
	}{
		{"JSON", JSON, true},
		{" tsv ", TSV, true},
		{"application/sparql-results+xml", XML, true},
		{"Application/SPARQL-Results+JSON; charset=UTF-8", JSON, true},
		{"application/json", JSON, true},
		{"text/xml", XML, true},
		{"text/csv;charset=utf-8", CSV, true},
		{"srj", 0, false},
		{"text/turtle", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		if got, ok := ParseFormat(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseFormat(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if f, ok := FormatForExtension("SRX"); !ok || f != XML {
		t.Errorf("FormatForExtension(SRX) = %v, %v", f, ok)
	}
	if CSV.ContentType() != "text/csv; charset=utf-8" || JSON.ContentType() != "application/sparql-results+json" {
		t.Errorf("content types %q %q", CSV.ContentType(), JSON.ContentType())
	}
	if Format(0).String() != "Format(0)" || Format(0).MediaType() != "" {
		t.Error("the zero Format has a name")
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		accept string
		want   Format
		ok     bool
	}{
		{"", JSON, true},
		{"*/*", JSON, true},
		{"application/sparql-results+xml", XML, true},
		{"text/csv, application/sparql-results+json", CSV, true},             // equal q: first listed
		{"application/sparql-results+json;q=0.5, text/csv;q=0.9", CSV, true}, // q wins
		{"application/sparql-results+xml, */*;q=0.1", XML, true},             // exact beats wildcard
		{"*/*;q=0.8, application/sparql-results+xml;q=0.5", JSON, true},      // wildcard q applies to the others
		{"text/*", CSV, true}, // server order among text/*
		{"text/*;q=0.5, text/tab-separated-values", TSV, true},                            // specific range wins
		{"application/*", JSON, true},                                                     // server order
		{"application/json", JSON, true},                                                  // alias
		{"application/xml;q=0.9, application/json;q=0.1", XML, true},                      // aliases with q
		{"text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8", XML, true}, // a browser
		{"text/turtle", 0, false},
		{"application/sparql-results+json;q=0", 0, false},
		{"*/*, application/sparql-results+json;q=0", XML, true}, // q=0 excludes JSON only
		{"text/csv;q=0.5;foo=bar, text/tab-separated-values;q=0.4", CSV, true},
		{"garbage, ;;, /, text/csv;q=abc", 0, false}, // a malformed weight accepts nothing
		{"TEXT/CSV", CSV, true},
	}
	for _, tt := range tests {
		if got, ok := Negotiate(tt.accept); got != tt.want || ok != tt.ok {
			t.Errorf("Negotiate(%q) = %v, %v; want %v, %v", tt.accept, got, ok, tt.want, tt.ok)
		}
	}
}

// TestCanBoolean checks CanBoolean against the writers: a format that
// claims it writes a boolean, one that does not refuses it.
func TestCanBoolean(t *testing.T) {
	for _, f := range Formats() {
		w, err := NewWriter(io.Discard, f)
		if err != nil {
			t.Fatal(err)
		}
		err = w.WriteBoolean(true)
		if f.CanBoolean() != (err == nil) || err != nil && !errors.Is(err, ErrUnsupported) {
			t.Errorf("%v: CanBoolean %v, WriteBoolean error %v", f, f.CanBoolean(), err)
		}
	}
}

func TestNegotiateAmong(t *testing.T) {
	ask := []Format{JSON, XML}
	tests := []struct {
		accept string
		want   Format
		ok     bool
	}{
		{"", JSON, true},
		{"text/csv", 0, false},
		{"text/tab-separated-values, text/csv", 0, false},
		{"text/csv, application/sparql-results+json;q=0.5", JSON, true}, // CSV cannot: the next acceptable one
		{"text/csv, application/sparql-results+xml;q=0.1, application/json;q=0.05", XML, true},
		{"text/*, */*;q=0.1", JSON, true},
	}
	for _, tt := range tests {
		if got, ok := NegotiateAmong(tt.accept, ask); got != tt.want || ok != tt.ok {
			t.Errorf("NegotiateAmong(%q, JSON XML) = %v, %v; want %v, %v", tt.accept, got, ok, tt.want, tt.ok)
		}
	}
}
