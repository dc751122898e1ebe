package eval

import (
	"math/big"
	"math/rand/v2"
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

// TestFormatRatio checks the long-division decimal of an AVG over small
// integers against formatDecimal of the exact big.Rat quotient.
func TestFormatRatio(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cases := [][2]int64{{0, 1}, {1, 3}, {2, 3}, {-2, 3}, {10, 4}, {-10, 4}, {7, 7}, {1, 1 << 57}, {-1, 1 << 57},
		{(1 << 62) - 1, 3}, {-(1 << 62) + 1, 7}, {5, 2}, {-5, 2}, {1, 8}, {123456789, 1000}}
	for range 20000 {
		den := rng.Int64N(1<<20) + 1
		if rng.IntN(4) == 0 {
			den = rng.Int64N(1<<57) + 1
		}
		cases = append(cases, [2]int64{rng.Int64N(1<<40) - 1<<39, den})
	}
	for _, c := range cases {
		want := formatDecimal(big.NewRat(c[0], c[1]))
		if got := formatRatio(c[0], c[1]); got != want {
			t.Fatalf("formatRatio(%d, %d) = %s, want %s", c[0], c[1], got, want)
		}
	}
}
