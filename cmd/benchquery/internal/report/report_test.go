package report

import (
	"strings"
	"testing"
	"time"
)

func TestMillis(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                       "0.000ms",
		1500 * time.Microsecond: "1.500ms",
		42 * time.Nanosecond:    "0.000ms",
		2 * time.Second:         "2000.000ms",
	} {
		if got := Millis(d); got != want {
			t.Errorf("Millis(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestLoadAvg(t *testing.T) {
	got := LoadAvg()
	if got != "?" && len(strings.Fields(got)) != 3 {
		t.Errorf("LoadAvg() = %q, want three numbers or ?", got)
	}
}
