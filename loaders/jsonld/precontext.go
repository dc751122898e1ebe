package jsonld

import (
	"errors"
	"fmt"

	"github.com/tessera-fair/tessera/loaders/iri"
)

// prepareContexts finds every @context in a document and fixes it before
// json-gold sees it (see prepareContext). base is the document's URL.
//
// Value objects are not searched: a JSON literal may contain an "@context"
// member that is data, not a context. (A JSON literal under an alias of
// @value is still searched; such documents are not known to exist.)
func prepareContexts(doc any, base string) error {
	switch v := doc.(type) {
	case []any:
		for _, e := range v {
			if err := prepareContexts(e, base); err != nil {
				return err
			}
		}
	case map[string]any:
		if _, isValue := v["@value"]; isValue {
			return nil
		}
		for k, e := range v {
			if k == "@context" {
				c, err := prepareContext(e, base, true)
				if err != nil {
					return err
				}
				v[k] = c
				continue
			}
			if err := prepareContexts(e, base); err != nil {
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
//   - A term definition whose @reverse has the form of a keyword is ignored
//     (§4.2.2 step 14.2); json-gold fails with "invalid IRI mapping".
//   - With validate, errors json-gold misses are reported: the empty term
//     (invalid term definition), "@context" inside a context and a @type
//     definition other than @container @set and @protected (keyword
//     redefinition).
//     Remote contexts are not validated here, because an error while loading
//     one would be reported as "loading remote context failed".
func prepareContext(ctx any, base string, validate bool) (any, error) {
	switch v := ctx.(type) {
	case string:
		if base != "" && !iri.IsAbsolute(v) {
			if abs, err := iri.Resolve(base, v); err == nil {
				return abs, nil
			}
		}
	case []any:
		for i, e := range v {
			c, err := prepareContext(e, base, validate)
			if err != nil {
				return nil, err
			}
			v[i] = c
		}
	case map[string]any:
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
				c, err := prepareContext(scoped, base, validate)
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
