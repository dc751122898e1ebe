package harmonise

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/syntax"
)

// File is a harmonisation opened by Open: a Decoder over a data file. Close
// it when done.
type File struct {
	*Decoder
	ctx    context.Context
	closer []io.Closer
}

var _ syntax.Decoder = (*File)(nil)

// Next returns the next quad, as Decoder.Next, or the context's error once
// it is cancelled.
func (f *File) Next() (graph.Quad, error) {
	if err := f.ctx.Err(); err != nil {
		return graph.Quad{}, err
	}
	return f.Decoder.Next()
}

// Close closes the data file.
func (f *File) Close() error {
	var first error
	for i := len(f.closer) - 1; i >= 0; i-- {
		if err := f.closer[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	f.closer = nil
	return first
}

// FormatForFile returns the record format of a data file from its
// extension (after an optional ".gz"): .json and .jsonld are JSON, .jsonl and
// .ndjson JSON Lines, .csv and .tsv CSV; anything else FormatAuto.
func FormatForFile(path string) (f Format, comma rune) {
	name := strings.TrimSuffix(strings.ToLower(filepath.Base(path)), ".gz")
	switch filepath.Ext(name) {
	case ".json", ".jsonld":
		return FormatJSON, 0
	case ".jsonl", ".ndjson":
		return FormatJSONLines, 0
	case ".csv":
		return FormatCSV, ','
	case ".tsv", ".tab":
		return FormatCSV, '\t'
	}
	return FormatAuto, 0
}

// Open opens a data file and its mapping for loading: the format comes from
// the data file's extension (see FormatForFile; ".gz" files are
// decompressed), the mapping from mappingPath, or, when that is empty, from
// the CSVW convention "<data file>-metadata.json" beside a CSV file. The
// base IRI defaults to the data file's file: IRI and the file name in errors
// to dataPath. Cancelling ctx stops Next.
//
// It is what the command line runs for
//
//	tessera load --context mapping.jsonld --codes sex-codes.csv records.jsonl
//	tessera load --mapping table.csv-metadata.json data.csv
func Open(ctx context.Context, dataPath, mappingPath string, opts Options) (*File, error) {
	if mappingPath == "" {
		cand := dataPath + "-metadata.json"
		if _, err := os.Stat(cand); err != nil {
			return nil, fmt.Errorf("open %s: no mapping given and no %s", dataPath, filepath.Base(cand))
		}
		mappingPath = cand
	}
	m, err := LoadMapping(mappingPath, MappingOptions{Base: fileIRI(mappingPath)})
	if err != nil {
		return nil, err
	}
	f, err := os.Open(dataPath)
	if err != nil {
		return nil, fmt.Errorf("open data: %w", err)
	}
	out := &File{ctx: ctx, closer: []io.Closer{f}}
	var r io.Reader = f
	if strings.HasSuffix(strings.ToLower(dataPath), ".gz") {
		zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<16))
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("read %s: %w", dataPath, err)
		}
		out.closer = append(out.closer, zr)
		r = zr
	}
	format, comma := FormatForFile(dataPath)
	if opts.Format == FormatAuto {
		opts.Format = format
	}
	if opts.Comma == 0 {
		opts.Comma = comma
	}
	if opts.File == "" {
		opts.File = dataPath
	}
	if opts.Base == "" {
		opts.Base = fileIRI(dataPath)
	}
	out.Decoder = NewDecoder(r, m, opts)
	return out, nil
}

// fileIRI returns the file: IRI of a local path.
func fileIRI(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}
