// Package loaders reads and writes RDF in every syntax Tessera supports and
// loads it into a graph.Store. Each syntax family lives in its own package
// (ntriples, turtle, rdfxml, jsonld); this package holds the table of formats
// by name, media type and file extension, and the file-level plumbing
// (gzip, directories, format detection) shared by the command line and the
// HTTP surfaces.
package loaders

import (
	"fmt"
	"io"
	"mime"
	"path/filepath"
	"strings"

	"github.com/tessera-fair/tessera/loaders/jsonld"
	"github.com/tessera-fair/tessera/loaders/ntriples"
	"github.com/tessera-fair/tessera/loaders/rdfxml"
	"github.com/tessera-fair/tessera/loaders/syntax"
	"github.com/tessera-fair/tessera/loaders/turtle"
)

// DecodeOptions configure decoding.
type DecodeOptions struct {
	syntax.Options
	// JSONLDLoader resolves remote JSON-LD contexts; nil means the offline
	// loader with the bundled contexts only.
	JSONLDLoader *jsonld.DocumentLoader
}

// EncodeOptions configure encoding.
type EncodeOptions struct {
	// Prefixes maps prefix names to namespace IRIs for syntaxes that
	// abbreviate IRIs (Turtle, TriG, RDF/XML, JSON-LD).
	Prefixes map[string]string
	// Base is written as the base IRI where the syntax has one.
	Base string
}

// Format is one RDF syntax.
type Format struct {
	// Name is the short name used on the command line ("turtle").
	Name string
	// MediaTypes lists the media types, the canonical one first.
	MediaTypes []string
	// Extensions lists file extensions with their dot, the usual one first.
	Extensions []string
	// Quads reports whether the syntax can carry named graphs.
	Quads bool

	newDecoder func(r io.Reader, opts DecodeOptions) syntax.Decoder
	newEncoder func(w io.Writer, opts EncodeOptions) syntax.Encoder
}

// NewDecoder returns a decoder of the format reading r.
func (f Format) NewDecoder(r io.Reader, opts DecodeOptions) syntax.Decoder {
	return f.newDecoder(r, opts)
}

// CanEncode reports whether Tessera can write the format.
func (f Format) CanEncode() bool { return f.newEncoder != nil }

// NewEncoder returns an encoder of the format writing to w, or an error if
// Tessera cannot write the format.
func (f Format) NewEncoder(w io.Writer, opts EncodeOptions) (syntax.Encoder, error) {
	if f.newEncoder == nil {
		return nil, fmt.Errorf("writing %s is not supported", f.Name)
	}
	return f.newEncoder(w, opts), nil
}

// MediaType returns the canonical media type.
func (f Format) MediaType() string { return f.MediaTypes[0] }

// String returns the format's name.
func (f Format) String() string { return f.Name }

// Formats lists every supported syntax. It is a fixed table, not a registry.
func Formats() []Format {
	return []Format{
		{
			Name: "ntriples", MediaTypes: []string{"application/n-triples", "text/plain"}, Extensions: []string{".nt"},
			newDecoder: func(r io.Reader, o DecodeOptions) syntax.Decoder { return ntriples.NewDecoder(r, o.Options) },
			newEncoder: func(w io.Writer, o EncodeOptions) syntax.Encoder { return ntriples.NewEncoder(w) },
		},
		{
			Name: "nquads", MediaTypes: []string{"application/n-quads"}, Extensions: []string{".nq"}, Quads: true,
			newDecoder: func(r io.Reader, o DecodeOptions) syntax.Decoder { return ntriples.NewQuadDecoder(r, o.Options) },
			newEncoder: func(w io.Writer, o EncodeOptions) syntax.Encoder { return ntriples.NewQuadEncoder(w) },
		},
		{
			Name: "turtle", MediaTypes: []string{"text/turtle", "application/x-turtle"}, Extensions: []string{".ttl", ".turtle"},
			newDecoder: func(r io.Reader, o DecodeOptions) syntax.Decoder { return turtle.NewDecoder(r, o.Options) },
			newEncoder: func(w io.Writer, o EncodeOptions) syntax.Encoder {
				return turtle.NewEncoder(w, turtle.EncoderOptions{Prefixes: o.Prefixes, Base: o.Base})
			},
		},
		{
			Name: "trig", MediaTypes: []string{"application/trig", "application/x-trig"}, Extensions: []string{".trig"}, Quads: true,
			newDecoder: func(r io.Reader, o DecodeOptions) syntax.Decoder { return turtle.NewTriGDecoder(r, o.Options) },
			newEncoder: func(w io.Writer, o EncodeOptions) syntax.Encoder {
				return turtle.NewTriGEncoder(w, turtle.EncoderOptions{Prefixes: o.Prefixes, Base: o.Base})
			},
		},
		{
			Name: "rdfxml", MediaTypes: []string{"application/rdf+xml", "application/xml", "text/xml"}, Extensions: []string{".rdf", ".owl", ".xml"},
			newDecoder: func(r io.Reader, o DecodeOptions) syntax.Decoder { return rdfxml.NewDecoder(r, o.Options) },
			newEncoder: func(w io.Writer, o EncodeOptions) syntax.Encoder {
				return rdfxml.NewEncoder(w, rdfxml.EncoderOptions{Prefixes: o.Prefixes})
			},
		},
		{
			Name: "jsonld", MediaTypes: []string{"application/ld+json", "application/json"}, Extensions: []string{".jsonld", ".json"}, Quads: true,
			newDecoder: func(r io.Reader, o DecodeOptions) syntax.Decoder {
				return jsonld.NewDecoder(r, jsonld.Options{Options: o.Options, Loader: o.JSONLDLoader})
			},
			newEncoder: func(w io.Writer, o EncodeOptions) syntax.Encoder {
				return jsonld.NewEncoder(w, jsonld.EncoderOptions{Context: o.Prefixes})
			},
		},
	}
}

// ErrUnknownFormat is returned (wrapped) for a format name, media type or
// file extension Tessera does not know.
var ErrUnknownFormat = fmt.Errorf("unknown RDF format")

// Names returns the short names of all formats, for help and error texts.
func Names() []string {
	var out []string
	for _, f := range Formats() {
		out = append(out, f.Name)
	}
	return out
}

// Lookup finds a format by short name ("turtle"), common alias ("ttl", "nt",
// "xml", "json-ld") or media type (parameters ignored).
func Lookup(name string) (Format, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if mt, _, err := mime.ParseMediaType(key); err == nil && strings.Contains(mt, "/") {
		key = mt
	}
	if alias, ok := aliases[key]; ok {
		key = alias
	}
	for _, f := range Formats() {
		if f.Name == key {
			return f, nil
		}
		for _, mt := range f.MediaTypes {
			if mt == key {
				return f, nil
			}
		}
	}
	return Format{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownFormat, name, strings.Join(Names(), ", "))
}

var aliases = map[string]string{
	"nt": "ntriples", "n-triples": "ntriples", "nq": "nquads", "n-quads": "nquads",
	"ttl": "turtle", "xml": "rdfxml", "rdf": "rdfxml", "rdf/xml": "rdfxml", "owl": "rdfxml",
	"json-ld": "jsonld", "json": "jsonld",
}

// ForFile finds the format of a file from its name: the extension, after an
// optional ".gz" which is reported separately.
func ForFile(name string) (f Format, gzipped bool, err error) {
	base := strings.ToLower(filepath.Base(name))
	if b, ok := strings.CutSuffix(base, ".gz"); ok {
		base, gzipped = b, true
	}
	ext := filepath.Ext(base)
	for _, f := range Formats() {
		for _, e := range f.Extensions {
			if e == ext {
				return f, gzipped, nil
			}
		}
	}
	return Format{}, gzipped, fmt.Errorf("%s: %w: cannot tell the format from the extension %q; name it with --format (%s)",
		name, ErrUnknownFormat, ext, strings.Join(Names(), ", "))
}
