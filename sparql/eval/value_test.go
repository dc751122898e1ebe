package eval

import (
	"testing"
	"time"
)

// TestDaysIn checks the month lengths plainDateTime validates dates with
// against the time package's calendar.
func TestDaysIn(t *testing.T) {
	for y := -400; y <= 2800; y++ {
		for m := 1; m <= 12; m++ {
			if got, want := daysIn(m, y), time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); got != want {
				t.Fatalf("daysIn(%d, %d) = %d, want %d", m, y, got, want)
			}
		}
	}
}
