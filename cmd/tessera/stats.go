package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"text/tabwriter"

	"github.com/tessera-fair/tessera/web"
)

func cmdStats(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "stats", "[--json]")
	asJSON := f.Bool("json", false, "print a JSON object")
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	store, err := openStore(f.data, true)
	if err != nil {
		return err
	}
	defer store.Close()
	st, err := store.Stats(ctx)
	if err != nil {
		return err
	}
	out := web.NewStatsDocument(st)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "quads\t%d\t\n", out.Quads)
	fmt.Fprintf(tw, "graphs\t%d\t\n", len(out.Graphs))
	fmt.Fprintf(tw, "terms\t%d\t\n", out.Terms)
	fmt.Fprintf(tw, "predicates\t%d\t\n", out.Predicates)
	fmt.Fprintf(tw, "disk\t%s\t\n", humanBytes(out.DiskBytes))
	tw.Flush()
	if len(out.Graphs) > 0 {
		fmt.Fprintln(e.stdout)
		tw = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "QUADS\tGRAPH")
		for _, name := range slices.Sorted(maps.Keys(out.Graphs)) {
			fmt.Fprintf(tw, "%d\t%s\n", out.Graphs[name], name)
		}
		tw.Flush()
	}
	return nil
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
