package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-fair/tessera/cmd/benchquery/internal/report"
)

// config is what the flags set.
type config struct {
	endpoint string
	queries  string
	expect   string
	only     string
	runs     int
	warmup   int
	budget   time.Duration
	timeout  time.Duration
}

// run parses args, times every query against the endpoint and writes the
// table to stdout; per-query failures go to stderr and do not stop the run.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("virtuoso", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var c config
	fl.StringVar(&c.endpoint, "endpoint", "http://127.0.0.1:8890/sparql", "SPARQL 1.1 Protocol query endpoint")
	fl.StringVar(&c.queries, "queries", "cmd/benchquery/queries", "directory of the *.rq benchmark queries")
	fl.StringVar(&c.expect, "expect", "", "output of cmd/benchquery on the same data; rows that differ from its are flagged")
	fl.StringVar(&c.only, "run", "", "run only the queries whose name contains this")
	fl.IntVar(&c.runs, "runs", 20, "timed runs per query")
	fl.IntVar(&c.warmup, "warmup", 2, "untimed runs per query before the timed ones")
	fl.DurationVar(&c.budget, "budget", time.Minute, "stop a query's timed runs early once they have taken this long in total (after at least 3 runs)")
	fl.DurationVar(&c.timeout, "timeout", 5*time.Minute, "give up on one request after this long")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if c.runs < 1 || c.warmup < 0 {
		return errors.New("need -runs ≥ 1 and -warmup ≥ 0")
	}
	qs, err := loadQueries(c.queries)
	if err != nil {
		return err
	}
	var want map[string]int64
	if c.expect != "" {
		f, err := os.Open(c.expect)
		if err != nil {
			return fmt.Errorf("expected rows: %w", err)
		}
		want, err = readExpected(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("expected rows %s: %w", c.expect, err)
		}
	}
	cl := &client{http: &http.Client{}, endpoint: c.endpoint, timeout: c.timeout}
	server, err := cl.server(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s at %s: %d queries over HTTP, %d runs after %d warm-ups, load average %s\n",
		server, c.endpoint, len(qs), c.runs, c.warmup, report.LoadAvg())
	table := [][]string{{"query", "rows", "median", "p90", "min", "check"}}
	for _, q := range qs {
		if c.only != "" && !strings.Contains(q.Name, c.only) {
			continue
		}
		m, err := measure(ctx, cl, q, c.warmup, c.runs, c.budget)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			fmt.Fprintf(stderr, "virtuoso: query %s: %v\n", q.Name, err)
			table = append(table, []string{q.Name, "-", "-", "-", "-", "ERROR"})
			continue
		}
		table = append(table, []string{q.Name, strconv.FormatInt(m.rows, 10), report.Millis(m.median), report.Millis(m.p90), report.Millis(m.min), check(q.Name, m.rows, want)})
	}
	return writeTable(stdout, table)
}

// form is a query form, which decides the result format asked for.
type form int

const (
	formSelect form = iota // SELECT: SPARQL JSON, one row per solution
	formAsk                // ASK: SPARQL JSON, 1 row when true, 0 when false
	formGraph              // CONSTRUCT and DESCRIBE: N-Triples, one row per triple
)

// query is one benchmark query file.
type query struct {
	Name string
	Text string
	Form form
}

// loadQueries reads dir/*.rq sorted by name, as cmd/benchquery does.
func loadQueries(dir string) ([]query, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.rq"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []query
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read query: %w", err)
		}
		f, err := queryForm(string(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, query{Name: strings.TrimSuffix(filepath.Base(name), ".rq"), Text: string(b), Form: f})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s/*.rq", dir)
	}
	return out, nil
}

var (
	// prologue matches comments, IRIs and PREFIX/BASE declarations, which
	// may contain words such as "ask" that are not the query form.
	prologue = regexp.MustCompile(`(?im)#[^\n]*$|(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)?<[^>\s]*>`)
	keyword  = regexp.MustCompile(`(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b`)
)

// queryForm tells the form of a SPARQL query from its first keyword after
// the prologue. It is no parser: string literals before the form keyword
// would mislead it, and the benchmark queries have none.
func queryForm(text string) (form, error) {
	m := keyword.FindStringSubmatch(prologue.ReplaceAllString(text, " "))
	if m == nil {
		return 0, errors.New("no SELECT, ASK, CONSTRUCT or DESCRIBE")
	}
	switch strings.ToUpper(m[1]) {
	case "ASK":
		return formAsk, nil
	case "CONSTRUCT", "DESCRIBE":
		return formGraph, nil
	}
	return formSelect, nil
}

// client sends queries to one SPARQL endpoint.
type client struct {
	http     *http.Client
	endpoint string
	timeout  time.Duration
}

// server asks the endpoint a trivial query and returns its Server header,
// which names the Virtuoso build, so that the table says what was measured.
func (c *client) server(ctx context.Context) (string, error) {
	resp, err := c.post(ctx, "ASK {}", "application/sparql-results+json")
	if err != nil {
		return "", fmt.Errorf("endpoint %s: %w", c.endpoint, err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return "", fmt.Errorf("endpoint %s: %w", c.endpoint, err)
	}
	if s := resp.Header.Get("Server"); s != "" {
		return s, nil
	}
	return "endpoint", nil
}

// post sends text as an urlencoded POST (SPARQL 1.1 Protocol §2.1.2) and
// returns the response when its status is 2xx.
func (c *client) post(ctx context.Context, text, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, strings.NewReader(url.Values{"query": {text}}.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", accept)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		return nil, fmt.Errorf("HTTP %s: %s", resp.Status, bytes.TrimSpace(b))
	}
	return resp, nil
}

// once runs q and reads the whole result, returning its row count: solutions
// for SELECT, triples for CONSTRUCT, 1 or 0 for ASK.
func (c *client) once(ctx context.Context, q query) (int64, error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	accept := "application/sparql-results+json"
	if q.Form == formGraph {
		accept = "application/n-triples"
	}
	resp, err := c.post(ctx, q.Text, accept)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if q.Form == formGraph {
		return countNTriples(resp.Body)
	}
	return countSolutions(resp.Body, q.Form == formAsk)
}

// binding is one solution of SPARQL JSON results; only the values matter.
type binding map[string]struct {
	Value string `json:"value"`
}

// countSolutions streams SPARQL JSON results (SPARQL 1.1 Query Results JSON
// Format) from r, decoding every solution, and returns their number, or for
// ASK 1 when true and 0 when false. Virtuoso 7 answers ASK with one
// solution binding __ASK_RETVAL to 1 or 0 rather than a "boolean" member;
// both are understood.
func countSolutions(r io.Reader, ask bool) (int64, error) {
	dec := json.NewDecoder(r)
	var (
		n       int64
		boolean *bool
		retval  string
	)
	if err := expectDelim(dec, '{'); err != nil {
		return 0, err
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return n, fmt.Errorf("read results: %w", err)
		}
		switch key {
		case "boolean":
			var b bool
			if err := dec.Decode(&b); err != nil {
				return n, fmt.Errorf("read boolean: %w", err)
			}
			boolean = &b
		case "results":
			if err := expectDelim(dec, '{'); err != nil {
				return n, err
			}
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return n, fmt.Errorf("read results: %w", err)
				}
				if key != "bindings" {
					if err := skip(dec); err != nil {
						return n, err
					}
					continue
				}
				if err := expectDelim(dec, '['); err != nil {
					return n, err
				}
				for dec.More() {
					var b binding
					if err := dec.Decode(&b); err != nil {
						return n, fmt.Errorf("read solution %d: %w", n+1, err)
					}
					if v, ok := b["__ASK_RETVAL"]; ok {
						retval = v.Value
					}
					n++
				}
				if err := expectDelim(dec, ']'); err != nil {
					return n, err
				}
			}
			if err := expectDelim(dec, '}'); err != nil {
				return n, err
			}
		default:
			if err := skip(dec); err != nil {
				return n, err
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return n, err
	}
	if !ask {
		if boolean != nil {
			return 0, errors.New("boolean result to a SELECT query")
		}
		return n, nil
	}
	switch {
	case boolean != nil && *boolean:
		return 1, nil
	case boolean != nil:
		return 0, nil
	case n == 1 && (retval == "1" || retval == "true"):
		return 1, nil
	case n == 1 && (retval == "0" || retval == "false"):
		return 0, nil
	}
	return 0, fmt.Errorf("no boolean in the result of an ASK query (%d solutions)", n)
}

// expectDelim reads the next JSON token and checks that it is d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("read results: %w", err)
	}
	if t != d {
		return fmt.Errorf("read results: got %v, want %v", t, d)
	}
	return nil
}

// skip reads and drops the next JSON value.
func skip(dec *json.Decoder) error {
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("read results: %w", err)
	}
	return nil
}

// countNTriples reads N-Triples from r and returns the number of triples:
// lines that are neither blank nor comments.
func countNTriples(r io.Reader) (int64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var n int64
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) > 0 && line[0] != '#' {
			n++
		}
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("read triples: %w", err)
	}
	return n, nil
}

// measurement is the timing of one query.
type measurement struct {
	rows             int64
	runs             int
	median, p90, min time.Duration
}

// measure runs q warmup times untimed, then up to runs times timed, stopping
// early once the timed runs have taken budget in total (after at least 3),
// as cmd/benchquery does.
func measure(ctx context.Context, c *client, q query, warmup, runs int, budget time.Duration) (measurement, error) {
	for range warmup {
		if _, err := c.once(ctx, q); err != nil {
			return measurement{}, err
		}
	}
	lat := make([]time.Duration, 0, runs)
	var (
		total time.Duration
		rows  int64
	)
	for i := 0; i < runs && (budget <= 0 || total < budget || i < 3); i++ {
		start := time.Now()
		n, err := c.once(ctx, q)
		if err != nil {
			return measurement{}, err
		}
		d := time.Since(start)
		lat = append(lat, d)
		total += d
		rows = n
	}
	m := summarize(lat)
	m.rows = rows
	return m, nil
}

// summarize returns the median, p90 and minimum of lat (which it sorts),
// computed as cmd/benchquery and bench.mjs compute them.
func summarize(lat []time.Duration) measurement {
	if len(lat) == 0 {
		return measurement{}
	}
	slices.Sort(lat)
	m := measurement{runs: len(lat), min: lat[0], median: lat[len(lat)/2]}
	if len(lat)%2 == 0 {
		m.median = (lat[len(lat)/2-1] + lat[len(lat)/2]) / 2
	}
	m.p90 = lat[min(len(lat)-1, (len(lat)*9+9)/10-1)]
	return m
}

// readExpected reads the row counts from a table printed by cmd/benchquery
// (or bench.mjs): the lines after the header that starts "query rows",
// whose second field is a number.
func readExpected(r io.Reader) (map[string]int64, error) {
	sc := bufio.NewScanner(r)
	out := map[string]int64{}
	header := false
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		if f[0] == "query" && f[1] == "rows" {
			header = true
			continue
		}
		if !header {
			continue
		}
		if n, err := strconv.ParseInt(f[1], 10, 64); err == nil {
			out[f[0]] = n
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New(`no table with a "query rows" header`)
	}
	return out, nil
}

// check compares a query's row count with the expected one: "ok", a
// warning naming the expected count, or "" when there is none.
func check(name string, rows int64, want map[string]int64) string {
	w, ok := want[name]
	switch {
	case want == nil:
		return ""
	case !ok:
		return "no go rows"
	case w != rows:
		return fmt.Sprintf("ROWS DIFFER (go %d)", w)
	}
	return "ok"
}

// writeTable writes rows right-aligned with two spaces between columns, as
// bench.mjs does.
func writeTable(w io.Writer, rows [][]string) error {
	var width []int
	for _, r := range rows {
		for c, v := range r {
			if c == len(width) {
				width = append(width, 0)
			}
			width[c] = max(width[c], len([]rune(v)))
		}
	}
	bw := bufio.NewWriter(w)
	for _, r := range rows {
		for c, v := range r {
			if c > 0 {
				bw.WriteString("  ")
			}
			bw.WriteString(strings.Repeat(" ", width[c]-len([]rune(v))))
			bw.WriteString(v)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
