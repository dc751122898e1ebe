package eval

import (
	"regexp"
	"testing"
)

// TestRegexPrefilter checks that the literal prefilter never changes a
// REGEX answer: every pattern and text agrees with Go's regexp alone,
// including case folding that maps non-ASCII letters to ASCII ones.
func TestRegexPrefilter(t *testing.T) {
	patterns := []string{
		"longitudinal.*prostate", "(?i)longitudinal.*prostate", "(?i)kelvin", "(?i)sky",
		"ab|cd", "(?i)a(bc)+de", "^start", "(?s)one.two", "(?i)ΣΤ.*x", "x{3}y",
	}
	texts := []string{
		"", "A LONGITUDINAL study of PROSTATE cancer", "longitudinal prostate", "prostate longitudinal",
		"\u212Aelvin", "ſky", "SKY", "abcd", "ABCBCDE", "start here", "one\ntwo", "στ and x", "xxxy", "xxy",
	}
	for _, p := range patterns {
		c := &regexEntry{re: regexp.MustCompile(p), ok: true, required: requiredLiterals(p)}
		for _, s := range texts {
			if got, want := c.match(s), c.re.MatchString(s); got != want {
				t.Errorf("REGEX(%q, %q): prefiltered %v, regexp %v (required %v)", s, p, got, want, c.required)
			}
		}
	}
	if lits := requiredLiterals("(?i)longitudinal.*prostate"); len(lits) != 2 || lits[0].s != "longitudinal" || !lits[0].fold {
		t.Errorf("required literals of (?i)longitudinal.*prostate: %v", lits)
	}
}
