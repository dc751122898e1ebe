package jsonld

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/tessera-fair/tessera/loaders/iri"
)

// jsonGoldExpand is the expansion our copy replaces: json-gold's own.
func jsonGoldExpand(active *ld.Context, doc any, opts *ld.JsonLdOptions) (any, error) {
	return ld.NewJsonLdApi().Expand(active, "", doc, opts, false, nil)
}

// expandWith expands r as the decoder does, with json-gold's expansion
// instead of ours when gold. It returns the expanded document as JSON, or
// the error code ("" for an error without one, as the decoder reports it).
func expandWith(t *testing.T, d *Decoder, gold bool) (string, string, error) {
	t.Helper()
	if gold {
		d.expandFunc = jsonGoldExpand
	}
	out, err := d.expand()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return "", "", err
		}
		return "", e.Code, err
	}
	data, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), "", nil
}

// reencodeJSON re-encodes a JSON text with sorted keys, for comparison.
func reencodeJSON(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON %s: %v", s, err)
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestExpandFixes checks the expansion json-gold v0.9.1 gets wrong and our
// copy of it (expand.go) fixes.
func TestExpandFixes(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string // expanded form, JSON-LD 1.1 API §5.1.2
	}{
		// A term aliasing @nest: its values are expanded with its
		// property-scoped context (step 14.2.2; toRdf #tc037, #tc038).
		{
			name: "nesting term with a scoped @vocab",
			doc: `{"@context": {"@vocab": "http://ex/", "nest": {"@id": "@nest", "@context": {"@vocab": "http://ex/nest/"}}},
				"@id": "http://ex/s", "nest": {"p": "in", "q": {"r": "deeper"}}, "p": "out"}`,
			want: `[{"@id": "http://ex/s", "http://ex/p": [{"@value": "out"}],
				"http://ex/nest/p": [{"@value": "in"}], "http://ex/nest/q": [{"http://ex/nest/r": [{"@value": "deeper"}]}]}]`,
		},
		{
			name: "scoped context of one nesting term only",
			doc: `{"@context": {"@vocab": "http://ex/", "a": {"@id": "@nest", "@context": {"p": "http://ex/a#p"}}, "b": "@nest"},
				"@id": "http://ex/s", "a": {"p": 1}, "b": {"p": 2}}`,
			want: `[{"@id": "http://ex/s", "http://ex/a#p": [{"@value": 1}], "http://ex/p": [{"@value": 2}]}]`,
		},
		{
			name: "nesting term defined by a nesting term's scoped context",
			doc: `{"@context": {"@vocab": "http://ex/", "outer": {"@id": "@nest", "@context": {
					"inner": {"@id": "@nest", "@context": {"p": "http://ex/inner#p"}}}}},
				"@id": "http://ex/s", "outer": {"inner": {"p": "x"}, "p": "y"}}`,
			want: `[{"@id": "http://ex/s", "http://ex/inner#p": [{"@value": "x"}], "http://ex/p": [{"@value": "y"}]}]`,
		},
		{
			name: "nesting term's scoped context overrides protected terms",
			doc: `{"@context": {"@protected": true, "p": "http://ex/p", "n": {"@id": "@nest", "@context": {"p": "http://ex/other"}}},
				"@id": "http://ex/s", "n": {"p": "x"}, "p": "y"}`,
			want: `[{"@id": "http://ex/s", "http://ex/other": [{"@value": "x"}], "http://ex/p": [{"@value": "y"}]}]`,
		},
		{
			name: "nesting term with a null scoped context",
			doc: `{"@context": {"@vocab": "http://ex/", "n": {"@id": "@nest", "@context": null}},
				"@id": "http://ex/s", "n": {"p": "dropped", "http://ex/q": "kept"}}`,
			want: `[{"@id": "http://ex/s", "http://ex/q": [{"@value": "kept"}]}]`,
		},
		// A term with a scoped context: its container mapping, reverse
		// flag and own scoped context are those of the active context,
		// not of its scoped context (steps 13.5-13.14; toRdf #tpr43).
		{
			name: "@graph container with a null scoped context",
			doc: `{"@context": {"g": {"@id": "http://ex/g", "@container": "@graph", "@context": null}},
				"@id": "http://ex/s", "g": {"@id": "http://ex/o", "http://ex/p": "x"}}`,
			want: `[{"@id": "http://ex/s", "http://ex/g": [{"@graph": [{"@id": "http://ex/o", "http://ex/p": [{"@value": "x"}]}]}]}]`,
		},
		{
			name: "@list container with a null scoped context",
			doc: `{"@context": {"l": {"@id": "http://ex/l", "@container": "@list", "@context": null}},
				"@id": "http://ex/s", "l": [["a"], "b"]}`,
			want: `[{"@id": "http://ex/s", "http://ex/l": [{"@list": [{"@list": [{"@value": "a"}]}, {"@value": "b"}]}]}]`,
		},
		{
			name: "reverse property with a null scoped context",
			doc: `{"@context": {"r": {"@reverse": "http://ex/r", "@context": null}},
				"@id": "http://ex/s", "r": {"@id": "http://ex/o"}}`,
			want: `[{"@id": "http://ex/s", "@reverse": {"http://ex/r": [{"@id": "http://ex/o"}]}}]`,
		},
		{
			name: "@index container with a null scoped context",
			doc: `{"@context": {"i": {"@id": "http://ex/i", "@container": "@index", "@context": null}},
				"@id": "http://ex/s", "i": {"k": {"@id": "http://ex/o"}}}`,
			want: `[{"@id": "http://ex/s", "http://ex/i": [{"@id": "http://ex/o", "@index": "k"}]}]`,
		},
		{
			name: "@id container with a null scoped context",
			doc: `{"@context": {"m": {"@id": "http://ex/m", "@container": "@id", "@context": null}},
				"@id": "http://ex/s", "m": {"http://ex/o": {"http://ex/p": "x"}}}`,
			want: `[{"@id": "http://ex/s", "http://ex/m": [{"@id": "http://ex/o", "http://ex/p": [{"@value": "x"}]}]}]`,
		},
		{
			name: "@type container with a null scoped context",
			doc: `{"@context": {"t": {"@id": "http://ex/t", "@container": "@type", "@context": null}},
				"@id": "http://ex/s", "t": {"http://ex/T": {"@id": "http://ex/o", "http://ex/p": "x"}}}`,
			want: `[{"@id": "http://ex/s", "http://ex/t": [{"@id": "http://ex/o", "@type": ["http://ex/T"], "http://ex/p": [{"@value": "x"}]}]}]`,
		},
		{
			name: "non-propagated scoped context that nullifies its own term",
			doc: `{"@context": {"@vocab": "http://ex/v/", "p": "http://ex/p",
					"k": {"@id": "http://ex/k", "@context": [{"@propagate": false}, null, {"p": "http://ex/z", "n": "http://ex/n"}]}},
				"@id": "http://ex/s", "k": {"p": "x", "n": {"p": "y"}}}`,
			want: `[{"@id": "http://ex/s", "http://ex/k": [{"http://ex/z": [{"@value": "x"}], "http://ex/n": [{"http://ex/p": [{"@value": "y"}]}]}]}]`,
		},
		{
			name: "scoped context redefining its own term",
			doc: `{"@context": {"@vocab": "http://ex/", "k": {"@id": "http://ex/k", "@container": "@set",
					"@context": {"k": {"@id": "http://ex/k2", "@container": "@list", "@context": {"@vocab": "http://ex/inner/"}}}}},
				"@id": "http://ex/s", "k": [{"p": "x", "k": {"q": "y"}}]}`,
			want: `[{"@id": "http://ex/s", "http://ex/k": [{"http://ex/p": [{"@value": "x"}],
				"http://ex/k2": [{"@list": [{"http://ex/inner/q": [{"@value": "y"}]}]}]}]}]`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := reencodeJSON(t, tc.want)
			got, _, err := expandWith(t, NewDecoder(strings.NewReader(tc.doc), Options{}), false)
			if err != nil {
				t.Fatalf("expand: %v", err)
			}
			if got != want {
				t.Errorf("expand = %s\nwant %s", got, want)
			}
			// The case is one json-gold gets wrong; when it stops,
			// expand.go may no longer be needed.
			gold, _, err := expandWith(t, NewDecoder(strings.NewReader(tc.doc), Options{}), true)
			if err == nil && gold == want {
				t.Errorf("json-gold's own expansion now gives %s too", gold)
			}
		})
	}
}

// TestExpandAgreesWithJSONGold checks that our copy of json-gold's expansion
// behaves as json-gold's where it is not fixed, in particular processScoped
// and processTypeScoped, which stand in for json-gold's unexported context
// processing: scoped contexts overriding protected terms, nullifying the
// context, not propagating, loading remote contexts.
func TestExpandAgreesWithJSONGold(t *testing.T) {
	docs := map[string][]byte{
		"https://ctx.example/p.jsonld":   []byte(`{"@context": {"p": "http://ex/remote-p", "r": "http://ex/r"}}`),
		"https://ctx.example/imp.jsonld": []byte(`{"@context": {"p": "http://ex/imported-p"}}`),
	}
	// protected is a context with protected terms p and n, and a term k
	// whose scoped context is %s; documents use k.
	const protected = `{"@protected": true, "@vocab": "http://ex/v/", "p": "http://ex/p", "n": "http://ex/n",
		"k": {"@id": "http://ex/k", "@context": %s}}`
	tests := []struct {
		name  string
		ctx   string // the scoped context of k in protected
		value string // the value of k
		code  string // the error expected from both, if any
		outer string // the document's own context when not protected
	}{
		{name: "redefines a protected term", ctx: `{"p": "http://ex/p2"}`, value: `{"p": "x"}`},
		{name: "leaves protected terms alone", ctx: `{"q": "http://ex/q"}`, value: `{"p": "x", "q": "y"}`},
		{name: "protection kept for an embedded context", ctx: `{"q": "http://ex/q"}`,
			value: `{"@context": {"p": "http://ex/p3"}, "p": "x"}`, code: "protected term redefinition"},
		{name: "array redefining its own protected term", ctx: `[{"@protected": true, "q": "http://ex/q1"}, {"q": "http://ex/q2"}]`, value: `{"q": "x"}`},
		{name: "null after protected terms", ctx: `[{"@protected": true, "q": "http://ex/q1"}, null, {"q": "http://ex/q3"}]`, value: `{"q": "x", "p": "y"}`},
		{name: "not propagated", ctx: `{"@propagate": false, "p": "http://ex/inner"}`, value: `{"p": "x", "n": {"p": "y"}}`},
		{name: "not propagated, with null", ctx: `[{"@propagate": false}, null, {"p": "http://ex/z"}]`, value: `"x"`},
		{name: "@propagate false after the first context is ignored", ctx: `[{"q": "http://ex/q"}, {"@propagate": false, "p": "http://ex/p4"}]`,
			value: `{"p": "x", "n": {"p": "y", "q": "z"}}`},
		{name: "invalid @propagate", ctx: `{"@propagate": "no"}`, value: `{"p": "x"}`, code: "invalid @propagate value"},
		{name: "empty array", ctx: `[]`, value: `{"p": "x", "n": "y"}`},
		{name: "remote context redefining a protected term", ctx: `"https://ctx.example/p.jsonld"`, value: `{"p": "x", "r": "y"}`},
		{name: "remote context, not propagated", ctx: `[{"@propagate": false}, "https://ctx.example/p.jsonld"]`, value: `{"p": "x", "n": {"p": "y"}}`},
		{name: "remote context twice", ctx: `["https://ctx.example/p.jsonld", "https://ctx.example/p.jsonld"]`, value: `{"p": "x"}`,
			code: "recursive context inclusion"},
		{name: "@import", ctx: `{"@import": "https://ctx.example/imp.jsonld", "q": "http://ex/q"}`, value: `{"p": "x", "q": "y"}`},
		{name: "not a context", ctx: `[5]`, value: `{"p": "x"}`, code: "invalid local context"},
		{name: "nested in a type-scoped context", ctx: `{"p": "http://ex/p5"}`, value: `{"@type": "T", "p": "x", "n": {"p": "y"}}`,
			outer: `{"@vocab": "http://ex/v/", "T": {"@id": "http://ex/T", "@context": {"n": "http://ex/tn", "p": "http://ex/tp"}}}`},
	}
	loader := mustLoader(t, LoaderOptions{Documents: docs})
	for _, tc := range tests {
		ctx := strings.Replace(protected, "%s", tc.ctx, 1)
		if tc.outer != "" {
			ctx = tc.outer[:len(tc.outer)-1] + `, "k": {"@id": "http://ex/k", "@context": ` + tc.ctx + `}}`
		}
		// Not at the top level, where validateScopedContexts would check
		// the scoped context before expansion.
		doc := `{"@id": "http://ex/root", "http://ex/in": {"@context": ` + ctx + `,
			"@id": "http://ex/s", "k": ` + tc.value + `, "n": {"@id": "http://ex/o", "p": "z"}}}`
		t.Run(tc.name, func(t *testing.T) {
			ours, ourCode, ourErr := expandWith(t, NewDecoder(strings.NewReader(doc), Options{Loader: loader}), false)
			gold, goldCode, goldErr := expandWith(t, NewDecoder(strings.NewReader(doc), Options{Loader: loader}), true)
			if ours != gold || ourCode != goldCode || (ourErr == nil) != (goldErr == nil) {
				t.Fatalf("expand = %s (%v)\njson-gold: %s (%v)", ours, ourErr, gold, goldErr)
			}
			if ourCode != tc.code {
				t.Errorf("expand = %s, error %v; want error code %q", ours, ourErr, tc.code)
			}
		})
	}
}

// TestExpandSuitesAgreeWithJSONGold runs every test of the W3C toRdf and
// expansion suites through our expansion and json-gold's: they must give
// the same expanded document or error code, except on the tests our copy
// fixes, where they must not.
func TestExpandSuitesAgreeWithJSONGold(t *testing.T) {
	fixed := map[string]bool{"#tc037": true, "#tc038": true, "#tpr43": true}
	dir := suiteDir(t)
	loader := suiteLoader(t, dir)
	for _, name := range []string{"toRdf-manifest.jsonld", "expand-manifest.jsonld"} {
		manifest := readManifest(t, dir, name)
		for _, tc := range manifest.Sequence {
			t.Run(strings.TrimSuffix(name, "-manifest.jsonld")+tc.ID, func(t *testing.T) {
				expand := func(gold bool) (string, string, error) {
					in, err := os.Open(filepath.Join(dir, filepath.FromSlash(tc.Input)))
					if err != nil {
						t.Fatal(err)
					}
					defer in.Close()
					opts := Options{Loader: loader, ProcessingMode: tc.Option.ProcessingMode}
					opts.Base = manifest.BaseIri + tc.Input
					if tc.Option.Base != "" {
						opts.Base = tc.Option.Base
					}
					if tc.Option.ExpandContext != "" {
						if opts.ExpandContext, err = iri.Resolve(manifest.BaseIri, tc.Option.ExpandContext); err != nil {
							t.Fatal(err)
						}
					}
					return expandWith(t, NewDecoder(in, opts), gold)
				}
				ours, ourCode, ourErr := expand(false)
				gold, goldCode, goldErr := expand(true)
				same := ours == gold && ourCode == goldCode && (ourErr == nil) == (goldErr == nil)
				switch {
				case fixed[tc.ID] && same:
					t.Errorf("json-gold's expansion now agrees with ours: %s (%v)", ours, ourErr)
				case !fixed[tc.ID] && !same:
					t.Errorf("expand = %s (%v)\njson-gold: %s (%v)", ours, ourErr, gold, goldErr)
				}
			})
		}
	}
}

// TestProcessScoped checks the protection processScoped leaves in place.
func TestProcessScoped(t *testing.T) {
	opts := ld.NewJsonLdOptions("")
	opts.ProcessingMode = ld.JsonLd_1_1
	active, err := ld.NewContext(nil, opts).Parse(map[string]any{
		"@protected": true, "p": "http://ex/p", "q": "http://ex/q",
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		local any
		p     string // p's IRI in the result
	}{
		{name: "map", local: map[string]any{"p": "http://ex/p2"}, p: "http://ex/p2"},
		{name: "nested @context", local: map[string]any{"@context": map[string]any{"p": "http://ex/p3"}}, p: "http://ex/p3"},
		{name: "array", local: []any{map[string]any{"r": "http://ex/r"}, map[string]any{"p": "http://ex/p4"}}, p: "http://ex/p4"},
		{name: "not propagated", local: map[string]any{"@propagate": false, "p": "http://ex/p5"}, p: "http://ex/p5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := processScoped(active, tc.local)
			if err != nil {
				t.Fatalf("processScoped: %v", err)
			}
			if id := got.GetTermDefinition("p").ID; id != tc.p {
				t.Errorf("p = %s, want %s", id, tc.p)
			}
			// q was left alone: it is the protected original.
			if got.GetTermDefinition("q") != active.GetTermDefinition("q") || !got.Protected["q"] {
				t.Errorf("q = %+v, want the protected original", got.GetTermDefinition("q"))
			}
			if _, err := got.Parse(map[string]any{"q": "http://ex/other"}); err == nil {
				t.Error("q redefined after the scoped context, want protected term redefinition")
			}
			if active.GetTermDefinition("p").ID != "http://ex/p" || !active.GetTermDefinition("p").Protected {
				t.Error("the active context was modified")
			}
		})
	}
	t.Run("previous context", func(t *testing.T) {
		got, err := processScoped(active, map[string]any{"@propagate": false, "p": "http://ex/p6"})
		if err != nil {
			t.Fatal(err)
		}
		prev := got.RevertToPreviousContext()
		if prev == got || !reflect.DeepEqual(prev.TermDefinitions, active.TermDefinitions) {
			t.Errorf("previous context = %v, want the active context", prev.TermDefinitions)
		}
	})
}
