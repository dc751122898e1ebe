package loaders

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"

	// klauspost/compress (already a badger dependency) decompresses gzip
	// about twice as fast as compress/gzip, which matters for bulk loads.
	"github.com/klauspost/compress/gzip"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/jsonld"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// Source is one document to load: a file, standard input or an upload.
type Source struct {
	// Name identifies the source in messages and syntax errors.
	Name string
	// Format is the syntax of the (decompressed) content.
	Format Format
	// Gzip says the content is gzip-compressed.
	Gzip bool
	// Base is the document's base IRI; empty means the file's file: IRI.
	Base string
	// Open returns the raw content.
	Open func() (io.ReadCloser, error)
}

// Sources expands command-line arguments into sources: files, directories
// (every file with a known RDF extension below them, in lexical order) and
// "-" for standard input. format, when not empty, overrides detection and is
// required for standard input.
func Sources(args []string, format string, stdin io.Reader) ([]Source, error) {
	var forced *Format
	if format != "" {
		f, err := Lookup(format)
		if err != nil {
			return nil, err
		}
		forced = &f
	}
	var out []Source
	for _, arg := range args {
		if arg == "-" {
			if forced == nil {
				return nil, fmt.Errorf("reading standard input needs --format (%v)", Names())
			}
			out = append(out, Source{Name: "-", Format: *forced, Open: func() (io.ReadCloser, error) { return io.NopCloser(stdin), nil }})
			continue
		}
		info, err := os.Stat(arg)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			s, err := fileSource(arg, forced)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
			continue
		}
		var files []string
		err = filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			if _, _, err := ForFile(path); err == nil || forced != nil {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		slices.Sort(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no RDF files found", arg)
		}
		for _, f := range files {
			s, err := fileSource(f, forced)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func fileSource(path string, forced *Format) (Source, error) {
	f, gz, err := ForFile(path)
	if forced != nil {
		f, err = *forced, nil
	}
	if err != nil {
		return Source{}, err
	}
	return Source{Name: path, Format: f, Gzip: gz, Open: func() (io.ReadCloser, error) { return os.Open(path) }}, nil
}

// FileIRI returns the file: IRI of a local path, the base IRI of a file.
func FileIRI(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// Decode streams the quads of the sources in order. Each document gets its
// own blank-node scope (unless opts.Blanks is set) and, unless the source
// names one, its file: IRI as base. The stream stops at the first error,
// which names the source.
func Decode(ctx context.Context, srcs []Source, opts DecodeOptions) graph.Quads {
	return func(yield func(graph.Quad, error) bool) {
		for _, src := range srcs {
			if err := ctx.Err(); err != nil {
				yield(graph.Quad{}, err)
				return
			}
			if !decodeOne(src, opts, yield) {
				return
			}
		}
	}
}

// decodeOne yields src's quads; it returns false when the stream must stop.
func decodeOne(src Source, opts DecodeOptions, yield func(graph.Quad, error) bool) bool {
	rc, err := src.Open()
	if err != nil {
		return yield(graph.Quad{}, fmt.Errorf("open %s: %w", src.Name, err)) && false
	}
	defer rc.Close()
	var r io.Reader = bufio.NewReaderSize(rc, 1<<16)
	if src.Gzip {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return yield(graph.Quad{}, fmt.Errorf("read %s: %w", src.Name, err)) && false
		}
		defer zr.Close()
		r = zr
	}
	o := opts
	if o.File == "" {
		o.File = src.Name
	}
	if src.Base != "" {
		o.Base = src.Base
	} else if o.Base == "" && src.Name != "-" {
		o.Base = FileIRI(src.Name)
	}
	dec := src.Format.NewDecoder(r, o)
	for {
		q, err := dec.Next()
		if err == io.EOF {
			return true
		}
		if err != nil {
			// Syntax errors and JSON-LD errors name the file already.
			var je *jsonld.Error
			if _, ok := syntax.AsError(err); !ok && !errors.As(err, &je) {
				err = fmt.Errorf("read %s: %w", src.Name, err)
			}
			yield(graph.Quad{}, err)
			return false
		}
		if !yield(q, nil) {
			return false
		}
	}
}
