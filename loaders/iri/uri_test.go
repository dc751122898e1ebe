package iri

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestToURI(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain ASCII is kept", "https://a.example/provider/turia/dataset/1", "https://a.example/provider/turia/dataset/1"},
		{"sub-delims stay raw", "/x(1)!*';,=+$&", "/x(1)!*';,=+$&"},
		{"gen-delims stay raw", "/a:b@c?d=e#f[g]", "/a:b@c?d=e#f[g]"},
		{"non-ASCII as uppercase UTF-8", "/café", "/caf%C3%A9"},
		{"astral character", "/𝄞", "/%F0%9D%84%9E"},
		{"existing encodings are kept as written", "/a%2Fb%28c%c3%a9", "/a%2Fb%28c%c3%a9"},
		{"stray percent", "/100%", "/100%25"},
		{"percent without hex", "/a%zz", "/a%25zz"},
		{"percent with one hex digit", "/a%2", "/a%252"},
		{"characters no URI allows", "/a b\"<>\\^`{|}\x7f\x01", "/a%20b%22%3C%3E%5C%5E%60%7B%7C%7D%7F%01"},
		{"invalid UTF-8 octet by octet", "/\xff\xfe", "/%FF%FE"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ToURI(tt.in); got != tt.want {
				t.Errorf("ToURI(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizePercent(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"nothing encoded", "/x(1)/café", "/x(1)/café"},
		{"unreserved are decoded", "/%41%7a%30%2D%2e%5F%7E", "/Az0-._~"},
		{"UTF-8 ucschar is decoded, either case", "/caf%C3%A9/caf%c3%a9", "/café/café"},
		{"astral ucschar", "/%F0%9D%84%9E", "/𝄞"},
		{"reserved stay encoded, hex uppercased", "/%2f%28%29%21%2a%27%3b%2c%3a%40%3f%23%5b%5d", "/%2F%28%29%21%2A%27%3B%2C%3A%40%3F%23%5B%5D"},
		{"percent stays encoded", "/100%25/%2541", "/100%25/%2541"},
		{"characters no URI allows stay encoded", "/a%20b%22%3c%7f", "/a%20b%22%3C%7F"},
		{"C1 control is not ucschar", "/%C2%85", "/%C2%85"},
		{"private use is not ucschar", "/%EE%80%80/%F3%B0%80%80", "/%EE%80%80/%F3%B0%80%80"},
		{"noncharacter is not ucschar", "/%EF%B7%90/%EF%BF%BF/%F0%9F%BF%BE", "/%EF%B7%90/%EF%BF%BF/%F0%9F%BF%BE"},
		{"overlong encoding", "/%C0%AF", "/%C0%AF"},
		{"surrogate", "/%ED%A0%80", "/%ED%A0%80"},
		{"truncated sequence", "/%C3", "/%C3"},
		{"lead byte then ASCII", "/%C3%41", "/%C3A"},
		{"continuation byte alone", "/%A9", "/%A9"},
		{"stray percent is a literal percent", "/%zz/%4/%", "/%25zz/%254/%25"},
		{"no decoding across a stray percent", "/%%341", "/%2541"},
		{"raw bytes are kept", "/\xff(", "/\xff("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizePercent(tt.in); got != tt.want {
				t.Errorf("NormalizePercent(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestToURIRoundTrip: an IRI's URI normalises back to the IRI's own
// normal form, so the two name the same resource (RFC 3987 §3.1, §5.3).
func TestToURIRoundTrip(t *testing.T) {
	for _, s := range []string{
		"https://a.example/x(1)", "https://a.example/café", "https://a.example/a%2Fb/é",
		"https://a.example/a%28b/日本語?q=ü#frag", "https://a.example/caf%C3%A9", "https://a.example/~user/%7Euser",
	} {
		if got, want := NormalizePercent(ToURI(s)), NormalizePercent(s); got != want {
			t.Errorf("NormalizePercent(ToURI(%q)) = %q, want %q", s, got, want)
		}
	}
}

// FuzzToURI checks the invariants the web pages rely on: ToURI gives ASCII
// URI characters only and is idempotent, NormalizePercent is idempotent,
// and neither decodes '/' or '%'.
func FuzzToURI(f *testing.F) {
	for _, s := range []string{"/x(1)", "/café", "/a%2Fb", "/%25%2F%c3%a9", "/%F0%9D%84%9E", "/\xff%", "/a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u := ToURI(s)
		for i := 0; i < len(u); i++ {
			if !uriByte(u, i) {
				t.Fatalf("ToURI(%q) = %q keeps %q", s, u, u[i])
			}
		}
		if again := ToURI(u); again != u {
			t.Fatalf("ToURI not idempotent: %q → %q → %q", s, u, again)
		}
		n := NormalizePercent(s)
		if again := NormalizePercent(n); again != n {
			t.Fatalf("NormalizePercent not idempotent: %q → %q → %q", s, n, again)
		}
		if strings.Count(n, "/") != strings.Count(s, "/") || strings.Count(n, "%25") < strings.Count(s, "%25") {
			t.Fatalf("NormalizePercent(%q) = %q decoded a '/' or '%%'", s, n)
		}
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("NormalizePercent(%q) = %q is not UTF-8", s, n)
		}
	})
}
