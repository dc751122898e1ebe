package jsonld

import (
	"errors"
	"strings"
	"testing"
)

// TestValidateScopedContexts checks the scoped contexts checked before
// expansion: errors are reported for unused terms too, and a scoped context
// may override protected terms (JSON-LD 1.1 API §4.2.2 step 21.3), its own
// included.
func TestValidateScopedContexts(t *testing.T) {
	tests := []struct {
		name  string
		terms string // term definitions beside "@protected": true and p
		code  string // "" for none
	}{
		{name: "invalid and unused", terms: `"k": {"@id": "http://ex/k", "@context": {"@vocab": 5}}`, code: "invalid scoped context"},
		{name: "redefines a protected term", terms: `"k": {"@id": "http://ex/k", "@context": {"p": "http://ex/p2"}}`},
		{name: "redefines its own protected term", terms: `"k": {"@id": "http://ex/k", "@context": [{"@protected": true, "q": "http://ex/q1"}, {"q": "http://ex/q2"}]}`},
		{name: "nullifies after protected terms", terms: `"k": {"@id": "http://ex/k", "@context": [{"@protected": true, "q": "http://ex/q1"}, null]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"@context": {"@protected": true, "p": "http://ex/p", ` + tc.terms + `}, "@id": "http://ex/s", "p": "x"}`
			_, err := decodeString(t, doc, Options{})
			var e *Error
			switch {
			case tc.code == "" && err != nil:
				t.Errorf("decode: %v, want no error", err)
			case tc.code != "" && (!errors.As(err, &e) || e.Code != tc.code):
				t.Errorf("decode: %v, want error code %q", err, tc.code)
			}
		})
	}
}

// TestProcessingModeChecked checks that a processing mode other than
// json-ld-1.0 and json-ld-1.1 is refused, not half applied.
func TestProcessingModeChecked(t *testing.T) {
	for _, mode := range []string{"json-ld-1.1-expand-frame", "1.1"} {
		_, err := decodeString(t, `{"@id": "http://ex/s", "http://ex/p": "o"}`, Options{ProcessingMode: mode})
		if err == nil || !strings.Contains(err.Error(), "processing mode") {
			t.Errorf("ProcessingMode %q: decode = %v, want a processing mode error", mode, err)
		}
	}
}
