package jsonld

import (
	"errors"
	"fmt"

	"github.com/piprate/json-gold/ld"

	"github.com/tessera-fair/tessera/loaders/iri"
)

// prepareContexts finds every @context in a document and fixes it before
// json-gold sees it (see prepareContext). base is the document's URL;
// bases receives the absolute @base values, which json-gold is given as
// sentinels (see baseTable).
//
// Value objects are not searched: a JSON literal may contain an "@context"
// member that is data, not a context. (A JSON literal under an alias of
// @value is still searched; such documents are not known to exist.)
func prepareContexts(doc any, base string, bases *baseTable) error {
	switch v := doc.(type) {
	case []any:
		for _, e := range v {
			if err := prepareContexts(e, base, bases); err != nil {
				return err
			}
		}
	case map[string]any:
		if _, isValue := v["@value"]; isValue {
			return nil
		}
		for k, e := range v {
			if k == "@context" {
				if err := checkProtectedNull(e); err != nil {
					return err
				}
				c, err := prepareContext(e, base, true, bases)
				if err != nil {
					return err
				}
				v[k] = c
				continue
			}
			if err := prepareContexts(e, base, bases); err != nil {
				return err
			}
		}
	}
	return nil
}

// prepareContext works around json-gold's context processing where it
// differs from the JSON-LD 1.1 API (§4.1 Context Processing, §4.2 Create Term
// Definition), returning the context to process instead of ctx:
//
//   - Relative context IRIs are resolved against base, the URL of the
//     document holding the context (§4.1.2 step 5.2.1); json-gold resolves
//     them against the active @base, so ["@base": ..., "ctx.jsonld"] and
//     nested references inside remote contexts load the wrong document.
//   - A relative @import is resolved against base as well (§4.1.2 step
//     5.6.3); json-gold resolves it against the active @base.
//   - With bases (embedded contexts only: @base is ignored in remote
//     ones), an absolute @base is replaced by a sentinel from bases, so
//     that IRIs are resolved as RFC 3986 says rather than as net/url does.
//   - A term definition whose @reverse has the form of a keyword is ignored
//     (§4.2.2 step 14.2); json-gold fails with "invalid IRI mapping".
//   - With validate, errors json-gold misses are reported: the empty term
//     (invalid term definition), "@context" inside a context and a @type
//     definition other than @container @set and @protected (keyword
//     redefinition).
//     Remote contexts are not validated here, because an error while loading
//     one would be reported as "loading remote context failed".
func prepareContext(ctx any, base string, validate bool, bases *baseTable) (any, error) {
	switch v := ctx.(type) {
	case string:
		if base != "" && !iri.IsAbsolute(v) {
			if abs, err := iri.Resolve(base, v); err == nil {
				return abs, nil
			}
		}
	case []any:
		for i, e := range v {
			c, err := prepareContext(e, base, validate, bases)
			if err != nil {
				return nil, err
			}
			v[i] = c
		}
	case map[string]any:
		if imp, ok := v["@import"].(string); ok && base != "" && !iri.IsAbsolute(imp) {
			if abs, err := iri.Resolve(base, imp); err == nil {
				v["@import"] = abs
			}
		}
		if b, ok := v["@base"].(string); ok && bases != nil && iri.IsAbsolute(b) {
			v["@base"] = bases.sentinel(b)
		}
		for term, def := range v {
			if validate {
				if err := checkTerm(term, def); err != nil {
					return nil, err
				}
			}
			d, ok := def.(map[string]any)
			if !ok {
				continue
			}
			if rev, ok := d["@reverse"].(string); ok && keywordForm(rev) {
				delete(v, term)
				continue
			}
			if scoped, ok := d["@context"]; ok {
				c, err := prepareContext(scoped, base, validate, bases)
				if err != nil {
					return nil, err
				}
				d["@context"] = c
			}
		}
	}
	return ctx, nil
}

// checkTerm reports the term definition errors json-gold does not.
func checkTerm(term string, def any) error {
	switch term {
	case "":
		return &Error{Code: "invalid term definition", Err: errors.New("the empty string is not a term")}
	case "@context":
		return &Error{Code: "keyword redefinition", Err: errors.New("@context cannot be redefined inside a context")}
	case "@type":
		// §4.2.2 step 5: a map with @container @set and/or @protected.
		d, ok := def.(map[string]any)
		_, hasContainer := d["@container"]
		_, hasProtected := d["@protected"]
		if !ok || !hasContainer && !hasProtected || hasContainer && d["@container"] != "@set" {
			return &Error{Code: "keyword redefinition", Err: fmt.Errorf("@type may only be defined as {\"@container\": \"@set\"}, not %v", def)}
		}
		for k := range d {
			if k != "@container" && k != "@protected" {
				return &Error{Code: "keyword redefinition", Err: fmt.Errorf("@type definition has %s", k)}
			}
		}
	}
	return nil
}

// keywordForm reports whether s looks like a keyword: '@' and ASCII letters.
func keywordForm(s string) bool {
	if len(s) < 2 || s[0] != '@' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// validateScopedContexts checks the embedded scoped contexts of the term
// definitions in the @context of each top-level node object of doc, as
// Create Term Definition does when a term is defined (JSON-LD 1.1 API
// §4.2.2 step 21): the scoped context is processed against the active
// context, and any error is an "invalid scoped context". json-gold processes
// a scoped context only when its term is used, so an error in an unused one
// goes unnoticed and one in a used one gets the wrong code.
//
// The active context of a definition is approximated by active with the
// whole local context applied; the scoped context is processed with
// override protected, as when it is applied (processScoped). Only top-level
// objects are checked, the only ones whose active context is known before
// expansion, and only embedded scoped contexts: remote ones are loaded, and
// their errors reported, when used.
func validateScopedContexts(active *ld.Context, doc any) error {
	switch v := doc.(type) {
	case map[string]any:
		return validateScopedContext(active, v)
	case []any:
		for _, e := range v {
			if m, ok := e.(map[string]any); ok {
				if err := validateScopedContext(active, m); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func validateScopedContext(active *ld.Context, node map[string]any) error {
	local, ok := node["@context"]
	if !ok {
		return nil
	}
	list, isList := local.([]any)
	if !isList {
		list = []any{local}
	}
	type scoped struct {
		term string
		ctx  any
	}
	var todo []scoped
	for _, c := range list {
		m, ok := c.(map[string]any)
		if !ok {
			continue
		}
		for term, def := range m {
			d, ok := def.(map[string]any)
			if !ok {
				continue
			}
			switch sc := d["@context"].(type) {
			case map[string]any, []any:
				todo = append(todo, scoped{term, sc})
			}
		}
	}
	if len(todo) == 0 {
		return nil
	}
	result, err := active.Parse(local)
	if err != nil {
		return nil // expansion reports it
	}
	for _, s := range todo {
		if _, err := processScoped(result, s.ctx); err != nil {
			return &Error{Code: "invalid scoped context", Err: fmt.Errorf("scoped context of term %q: %w", s.term, err)}
		}
	}
	return nil
}

// checkProtectedNull reports the redefinition, later in the same @context
// array, of a protected term defined as null (JSON-LD 1.1 API §4.2.2 step
// 27.1: a protected term may only be redefined identically). json-gold does
// not record the protection of a null term, so it accepts the redefinition.
// Redefinitions in other contexts (nested, remote) are not caught.
func checkProtectedNull(ctx any) error {
	list, ok := ctx.([]any)
	if !ok {
		return nil
	}
	protectedNull := map[string]bool{}
	for _, c := range list {
		m, ok := c.(map[string]any)
		if !ok {
			if c == nil {
				clear(protectedNull) // a null context ends all definitions
			}
			continue
		}
		for term, def := range m {
			if protectedNull[term] && !isNullDefinition(def) {
				return &Error{Code: "protected term redefinition", Err: fmt.Errorf("term %q is protected and defined as null", term)}
			}
		}
		ctxProtected, _ := m["@protected"].(bool)
		for term, def := range m {
			if keywordForm(term) || !isNullDefinition(def) {
				continue
			}
			protected := ctxProtected
			if d, ok := def.(map[string]any); ok {
				if p, ok := d["@protected"].(bool); ok {
					protected = p
				}
			}
			if protected {
				protectedNull[term] = true
			}
		}
	}
	return nil
}

// isNullDefinition reports whether def defines a term as null: null itself
// or a map whose @id is null.
func isNullDefinition(def any) bool {
	if def == nil {
		return true
	}
	d, ok := def.(map[string]any)
	if !ok {
		return false
	}
	id, hasID := d["@id"]
	return hasID && id == nil
}
