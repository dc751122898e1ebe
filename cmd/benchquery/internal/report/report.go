// Package report holds the formatting the query benchmark's runners share
// (cmd/benchquery and its Virtuoso runner), so their tables read alike.
package report

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Millis formats d in milliseconds with three decimals, as the tables do.
func Millis(d time.Duration) string {
	return fmt.Sprintf("%.3fms", float64(d)/float64(time.Millisecond))
}

// LoadAvg returns the 1-, 5- and 15-minute load averages (Linux), or "?":
// timings mean little without the machine's load beside them.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
