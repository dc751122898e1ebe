package iri

import "testing"

// TestResolveRFC3986 runs the normal and abnormal examples of RFC 3986 §5.4.
func TestResolveRFC3986(t *testing.T) {
	const base = "http://a/b/c/d;p?q"
	tests := []struct{ ref, want string }{
		{"g:h", "g:h"},
		{"g", "http://a/b/c/g"},
		{"./g", "http://a/b/c/g"},
		{"g/", "http://a/b/c/g/"},
		{"/g", "http://a/g"},
		{"//g", "http://g"},
		{"?y", "http://a/b/c/d;p?y"},
		{"g?y", "http://a/b/c/g?y"},
		{"#s", "http://a/b/c/d;p?q#s"},
		{"g#s", "http://a/b/c/g#s"},
		{"g?y#s", "http://a/b/c/g?y#s"},
		{";x", "http://a/b/c/;x"},
		{"g;x", "http://a/b/c/g;x"},
		{"g;x?y#s", "http://a/b/c/g;x?y#s"},
		{"", "http://a/b/c/d;p?q"},
		{".", "http://a/b/c/"},
		{"./", "http://a/b/c/"},
		{"..", "http://a/b/"},
		{"../", "http://a/b/"},
		{"../g", "http://a/b/g"},
		{"../..", "http://a/"},
		{"../../", "http://a/"},
		{"../../g", "http://a/g"},
		{"../../../g", "http://a/g"},
		{"../../../../g", "http://a/g"},
		{"/./g", "http://a/g"},
		{"/../g", "http://a/g"},
		{"g.", "http://a/b/c/g."},
		{".g", "http://a/b/c/.g"},
		{"g..", "http://a/b/c/g.."},
		{"..g", "http://a/b/c/..g"},
		{"./../g", "http://a/b/g"},
		{"./g/.", "http://a/b/c/g/"},
		{"g/./h", "http://a/b/c/g/h"},
		{"g/../h", "http://a/b/c/h"},
		{"g;x=1/./y", "http://a/b/c/g;x=1/y"},
		{"g;x=1/../y", "http://a/b/c/y"},
		{"g?y/./x", "http://a/b/c/g?y/./x"},
		{"g?y/../x", "http://a/b/c/g?y/../x"},
		{"g#s/./x", "http://a/b/c/g#s/./x"},
		{"g#s/../x", "http://a/b/c/g#s/../x"},
		{"http:g", "http:g"},
	}
	for _, tt := range tests {
		got, err := Resolve(base, tt.ref)
		if err != nil || got != tt.want {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q", base, tt.ref, got, err, tt.want)
		}
	}
}

func TestResolveEdgeCases(t *testing.T) {
	tests := []struct{ base, ref, want string }{
		{"http://example.org", "a", "http://example.org/a"},
		{"http://example.org/a/b", "#frag", "http://example.org/a/b#frag"},
		{"http://example.org/a/b#f", "", "http://example.org/a/b"},
		{"urn:x:y", "#z", "urn:x:y#z"},
		{"http://ex.org/ä/b", "c", "http://ex.org/ä/c"},
		{"file:///tmp/x.ttl", "y.ttl", "file:///tmp/y.ttl"},
	}
	for _, tt := range tests {
		got, err := Resolve(tt.base, tt.ref)
		if err != nil || got != tt.want {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q", tt.base, tt.ref, got, err, tt.want)
		}
	}
	if _, err := Resolve("", "a"); err == nil {
		t.Errorf("Resolve(\"\", \"a\") succeeded; want an error")
	}
	if _, err := Resolve("relative/base", "a"); err == nil {
		t.Errorf("Resolve with a relative base succeeded; want an error")
	}
}

func TestIsAbsolute(t *testing.T) {
	for s, want := range map[string]bool{"http://x": true, "urn:a": true, "a": false, "/a": false, ":a": false, "1a:b": false, "a+b-c.d:e": true, "": false} {
		if got := IsAbsolute(s); got != want {
			t.Errorf("IsAbsolute(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzResolve(f *testing.F) {
	f.Add("http://a/b/c/d;p?q", "../g?x#y")
	f.Fuzz(func(t *testing.T, base, ref string) {
		_, _ = Resolve(base, ref)
	})
}
