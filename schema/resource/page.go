package resource

import "github.com/graphql-go/graphql"

// Page is the value behind PageInfo: where a page of a connection sits in
// the whole list. Cursors are opaque strings; nil means "no such cursor"
// (an empty page).
type Page struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// PageInfo is the one GraphQL PageInfo object type of the API (Relay cursor
// connections), shared by the generated connections (package schema) and
// the discovery connections (schema/discovery): a schema may hold only one
// type of each name. Its resolvers read a Page or *Page.
var PageInfo = graphql.NewObject(graphql.ObjectConfig{
	Name:        "PageInfo",
	Description: "Where a page of a connection sits in the whole list (Relay cursor connections).",
	Fields: graphql.Fields{
		"hasNextPage": {Type: graphql.NewNonNull(graphql.Boolean), Resolve: pageField(func(p *Page) any { return p.HasNextPage })},
		"hasPreviousPage": {Type: graphql.NewNonNull(graphql.Boolean), Resolve: pageField(func(p *Page) any {
			return p.HasPreviousPage
		})},
		"startCursor": {Type: graphql.String, Resolve: pageField(func(p *Page) any { return strOrNil(p.StartCursor) })},
		"endCursor":   {Type: graphql.String, Resolve: pageField(func(p *Page) any { return strOrNil(p.EndCursor) })},
	},
})

func strOrNil(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func pageField(get func(*Page) any) graphql.FieldResolveFn {
	return func(p graphql.ResolveParams) (any, error) {
		switch v := p.Source.(type) {
		case map[string]any:
			return v[p.Info.FieldName], nil
		case Page:
			return get(&v), nil
		case *Page:
			if v != nil {
				return get(v), nil
			}
		}
		return nil, nil
	}
}
