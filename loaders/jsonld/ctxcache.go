package jsonld

import (
	"strings"

	"github.com/piprate/json-gold/ld"
)

// sentinelBase is the base IRI cached contexts are processed against. A
// processed context that mentions it depends on the document's base IRI
// (a relative @vocab, say) and is not cached.
const sentinelBase = "http://sentinel.invalid/tessera-jsonld-base/"

// processed returns the processed form of the remote contexts iris, applied
// in order to the initial context, or nil when it cannot be cached (an error,
// which the normal path then reports, or a base-dependent context).
//
// Why: json-gold processes a remote context again for every document that
// references it, which costs milliseconds for a DCAT-AP-sized context. The
// processed context is immutable once cached; rebase gives each document its
// own copy.
func (l *DocumentLoader) processed(iris []string, mode string) *ld.Context {
	key := contextKey{iris: strings.Join(iris, " "), mode: mode}
	if c, ok := l.cachedContext(key); ok {
		return c
	}
	c := l.process(iris, mode)
	l.storeContext(key, c)
	return c
}

func (l *DocumentLoader) process(iris []string, mode string) (c *ld.Context) {
	defer func() {
		if recover() != nil {
			c = nil
		}
	}()
	opts := ld.NewJsonLdOptions(sentinelBase)
	opts.DocumentLoader = l
	opts.ProcessingMode = mode
	local := make([]any, len(iris))
	for i, s := range iris {
		local[i] = s
	}
	c, err := ld.NewContext(nil, opts).Parse(local)
	if err != nil || dependsOnBase(c) {
		return nil
	}
	return c
}

// dependsOnBase reports whether c cannot be reused for another document:
// it refers to the base it was processed against, or it carries a previous
// context (a non-propagated context, which rebase cannot copy).
func dependsOnBase(c *ld.Context) bool {
	if _, ok := c.AsMap()["previousContext"]; ok {
		return true
	}
	if c.Values.Vocab != nil && strings.Contains(*c.Values.Vocab, sentinelBase) {
		return true
	}
	for _, td := range c.TermDefinitions {
		if td == nil {
			continue
		}
		if strings.Contains(td.ID, sentinelBase) || strings.Contains(td.Type, sentinelBase) || strings.Contains(td.Index, sentinelBase) {
			return true
		}
	}
	return false
}

// rebase returns a private copy of the cached context c for a document
// processed with opts (its base IRI, its loader). The term definitions are
// shared: json-gold never modifies a definition once created, it replaces
// them in copied maps.
func rebase(c *ld.Context, opts *ld.JsonLdOptions) *ld.Context {
	out := ld.NewContext(nil, opts)
	values := *c.Values
	values.Base = opts.Base
	out.Values = &values
	for k, v := range c.TermDefinitions {
		out.TermDefinitions[k] = v
	}
	for k, v := range c.Protected {
		out.Protected[k] = v
	}
	return out
}
