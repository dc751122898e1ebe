package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/badgerstore"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the command failed
	exitUsage = 2 // the command line was wrong
)

const usage = `tessera: a FAIR metadata knowledge-graph server

Usage:
  tessera <command> [flags] [arguments]

Commands:
  serve     run the HTTP server (default address 127.0.0.1:8080)
  load      load RDF files, directories or standard input into the store
  export    write the store (or one graph) as RDF, in the format of --output's extension
  stats     show quad, graph and term counts and disk size
  graphs    list named graphs, or drop some: tessera graphs drop IRI...
  demo      write the generated demo federation as RDF: tessera demo [--scale N] [--output FILE[.gz]]
  harvest   copy a FAIR Data Point or DCAT catalogue into one named graph: tessera harvest URL
  validate  check RDF data against SHACL shapes (exit 0 conforms, 1 violations, 2 bad input)
  query     run a SPARQL query on the store: tessera query 'SELECT …' | --file q.rq
  update    run a SPARQL update on the store: tessera update 'INSERT DATA …' | --file u.ru
  help      show this text

Every command takes --data DIR (default $TESSERA_DATA or ./data); load,
update, harvest and serve create the store there, the others need one.
Formats: ntriples, nquads, turtle, trig, rdfxml, jsonld, or a media type.
Run 'tessera <command> -h' for a command's flags.
`

// usageError marks errors in the command line; they exit with code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// env carries what a command talks to; tests replace all of it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command func(ctx context.Context, e *env, args []string) error

// run executes one command line and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	commands := map[string]command{
		"serve":    cmdServe,
		"load":     cmdLoad,
		"export":   cmdExport,
		"stats":    cmdStats,
		"graphs":   cmdGraphs,
		"query":    cmdQuery,
		"update":   cmdUpdate,
		"validate": cmdValidate,
		"demo":     cmdDemo,
		"harvest":  cmdHarvest,
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "tessera: unknown command %q\n\n%s", name, usage)
		return exitUsage
	}
	err := cmd(ctx, e, args[1:])
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "tessera %s: %v\n", name, err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "tessera %s: %v\n", name, err)
		return exitError
	}
}

// flags is a flag set with the options every command shares.
type flags struct {
	*flag.FlagSet
	data string
}

func newFlags(e *env, name, synopsis string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	f := &flags{FlagSet: fs}
	def := e.getenv("TESSERA_DATA")
	if def == "" {
		def = "./data"
	}
	fs.StringVar(&f.data, "data", def, "data directory of the store (env TESSERA_DATA)")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: tessera %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return f
}

// parse parses flags and positional arguments in any order
// (`tessera load file.ttl --graph g` works as well as the usual order).
func (f *flags) parse(args []string) ([]string, error) {
	var positional []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		rest := f.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
		if rest[0] == "--" {
			positional = append(positional[:len(positional)-1], args...)
			return positional, nil
		}
	}
}

// openStore opens the store in dir with the default options;
// openStoreWith takes options (serve's cache sizes). With existing set
// (stats, graphs, export, query) the store must already be there: only load,
// update, harvest and serve create one, so a command that reads never turns
// a missing or unrelated directory into an empty store.
func openStore(dir string, existing bool) (*badgerstore.Store, error) {
	return openStoreWith(dir, existing, badgerstore.Options{})
}

func openStoreWith(dir string, existing bool, opts badgerstore.Options) (*badgerstore.Store, error) {
	if existing {
		ok, err := badgerstore.Exists(dir)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("no store at %s (load data first, or pass --data)", dir)
		}
	}
	s, err := badgerstore.Open(dir, opts)
	if err != nil {
		if strings.Contains(err.Error(), "Cannot acquire directory lock") || strings.Contains(err.Error(), "resource temporarily unavailable") {
			return nil, fmt.Errorf("store %s is in use by another tessera process (stop the server first): %w", dir, err)
		}
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	return s, nil
}

// parseGraph turns a graph name given on the command line into a graph
// term: an absolute IRI, "default" for the default graph, or "" for none.
// what names the value in messages: "--graph" for the flag, "graph" for an
// argument such as those of `graphs drop`, so an error never cites a flag
// the user did not give.
func parseGraph(what, s string) (graph.Term, error) {
	switch {
	case s == "":
		return graph.Term{}, nil
	case s == "default" || s == "DEFAULT":
		return graph.DefaultGraph, nil
	case strings.HasPrefix(s, "_:"):
		return graph.Term{}, usagef("%s %q: a blank node cannot name a graph from the command line", what, s)
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	if !strings.Contains(s, ":") || strings.ContainsAny(s, " <>\"{}|\\^`") {
		return graph.Term{}, usagef("%s %q is not an absolute IRI (e.g. https://example.org/graph/provider1)", what, s)
	}
	return graph.IRI(s), nil
}
