package jsonld

import (
	"slices"

	"github.com/piprate/json-gold/ld"
)

// processScoped applies a property-scoped context: the Context Processing
// algorithm (JSON-LD 1.1 API §4.1.2) with override protected true, propagate
// true unless the first context says "@propagate": false. It is json-gold's
// unexported
//
//	active.parse(local, nil, false, true, false, true)
//
// which the copied expansion (expander) needs and cannot call, rebuilt on
// the exported Parse (override protected false): each context of the local
// context is parsed on its own, by a copy of the result so far in which the
// protected definitions it may redefine are unprotected; the definitions it
// leaves alone get their protected originals back afterwards. That is what
// overriding protection means: a definition can be replaced; nothing else
// about it changes.
//
// Where it differs from json-gold (nowhere the W3C suites reach): a remote
// context is parsed whole, so one whose own array defines a protected term
// and later redefines it, or then holds null, fails where json-gold accepts
// it; and after a null in a non-propagated local context, the context that
// nested nodes revert to has lost its record of protected terms
// (Context.Protected), so a null context there is not refused (its terms
// stay protected against redefinition).
func processScoped(active *ld.Context, local any) (*ld.Context, error) {
	contexts := ld.Arrayify(local)
	if len(contexts) == 0 {
		return active, nil
	}
	propagate := true
	if m, ok := contexts[0].(map[string]any); ok {
		if p, ok := m["@propagate"].(bool); ok {
			propagate = p
		}
	}
	result := active
	if !propagate {
		// json-gold sets the previous context of the result to active
		// (unless active has one, which the result then keeps); only
		// parse sets it, so a context consisting of "@propagate": false
		// is parsed to get that copy of active.
		var err error
		if result, err = active.Parse(map[string]any{"@propagate": false}); err != nil {
			return nil, err
		}
	}
	var remotes []string
	for i, c := range contexts {
		var err error
		switch v := c.(type) {
		case nil:
			result, err = nullContext(result, propagate)
		case string:
			// json-gold refuses a context IRI that occurs twice in local.
			uri := ld.Resolve(result.Values.Base, v)
			if slices.Contains(remotes, uri) {
				return nil, ld.NewJsonLdError(ld.RecursiveContextInclusion, uri)
			}
			remotes = append(remotes, uri)
			result, err = parseOverriding(result, v, nil)
		case map[string]any:
			if p, ok := v["@propagate"].(bool); ok && !p && i > 0 && propagate {
				// Only the first context decides propagation; Parse
				// would act on this one's. Its value is valid, so it
				// can go.
				v = withoutKey(v, "@propagate")
			}
			terms := v
			if _, ok := v["@import"]; ok {
				terms = nil // defines terms of another context too
			} else if nested, ok := v["@context"].(map[string]any); ok {
				terms = nested // json-gold processes the nested map instead
			}
			result, err = parseOverriding(result, v, terms)
		default:
			// Not a context: Parse reports it as json-gold does.
			result, err = result.Parse(v)
		}
		if err != nil {
			return nil, err
		}
	}
	return result, nil
}

// parseOverriding parses one context, local, on result with override
// protected true: result's protected definitions of the terms of terms (of
// every term when terms is nil) are replaced by unprotected copies for the
// parse and put back where local left them in place.
func parseOverriding(result *ld.Context, local any, terms map[string]any) (*ld.Context, error) {
	type swap struct {
		term       string
		orig, open *ld.TermDefinition
	}
	var swaps []swap
	var open *ld.Context
	unprotect := func(term string, td *ld.TermDefinition) {
		if td == nil || !td.Protected {
			return
		}
		if open == nil {
			open = ld.CopyContext(result)
		}
		cp := td.Copy()
		cp.Protected = false
		open.TermDefinitions[term] = cp
		swaps = append(swaps, swap{term, td, cp})
	}
	if terms == nil {
		for term, td := range result.TermDefinitions {
			unprotect(term, td)
		}
		if len(result.Protected) > 0 {
			// A remote context may nullify the context, which Parse
			// refuses while any term is protected.
			if open == nil {
				open = ld.CopyContext(result)
			}
			clear(open.Protected)
		}
	} else {
		for term := range terms {
			unprotect(term, result.TermDefinitions[term])
		}
	}
	if open == nil {
		return result.Parse(local)
	}
	out, err := open.Parse(local)
	if err != nil {
		return nil, err
	}
	for _, s := range swaps {
		if out.TermDefinitions[s.term] == s.open {
			out.TermDefinitions[s.term] = s.orig
		}
	}
	for term, p := range result.Protected {
		out.Protected[term] = p
	}
	return out, nil
}

// nullContext is the null entry of a local context: a new empty context
// whose previous context, when not propagate, is result. json-gold creates
// it without checking protection when overriding it; Parse refuses a null
// context while terms are protected (checked on the record in
// Context.Protected), so it is given a copy without that record.
func nullContext(result *ld.Context, propagate bool) (*ld.Context, error) {
	if len(result.Protected) > 0 {
		result = ld.CopyContext(result)
		clear(result.Protected)
	}
	if propagate {
		return result.Parse(nil)
	}
	// result has a previous context here (see processScoped), so Parse
	// keeps it and makes a copy of result the previous context of the
	// null context.
	return result.Parse([]any{map[string]any{"@propagate": false}, nil})
}

// processTypeScoped applies a type-scoped context: the Context Processing
// algorithm with propagate false unless the first context says
// "@propagate": true. It is json-gold's unexported
//
//	active.parse(local, nil, false, false, false, false)
//
// done with the exported Parse, which propagates by default, by putting a
// context consisting of "@propagate": false first.
func processTypeScoped(active *ld.Context, local any) (*ld.Context, error) {
	contexts := ld.Arrayify(local)
	if len(contexts) == 0 {
		return active, nil
	}
	if m, ok := contexts[0].(map[string]any); ok {
		if _, ok := m["@propagate"].(bool); ok {
			return active.Parse(local)
		}
	}
	return active.Parse(append([]any{map[string]any{"@propagate": false}}, contexts...))
}

// withoutKey returns a copy of m without key.
func withoutKey(m map[string]any, key string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}
