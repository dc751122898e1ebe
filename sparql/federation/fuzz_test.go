package federation

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tessera-fair/tessera/loaders/syntax"
)

// FuzzDecode feeds arbitrary answers, under each content type, through
// the path a member's answer takes — format choice and sniffing, the size
// cap, the result readers, column mapping — and checks that it never
// panics and that every failure is classified as one of the package's
// errors, never as a *syntax.Error a server would take for the user's.
func FuzzDecode(f *testing.F) {
	f.Add("application/sparql-results+json", []byte(`{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://ex/a"}}]}}`))
	f.Add("application/sparql-results+xml", []byte(`<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="s"/></head><results><result><binding name="s"><bnode>b</bnode></binding></result></results></sparql>`))
	f.Add("text/tab-separated-values", []byte("?s\t?o\n<http://ex/a>\t\"x\"@en\n"))
	f.Add("", []byte(`{"head":{},"boolean":true}`))
	f.Add("text/plain", []byte("?s\n_:b\n"))
	f.Add("text/csv", []byte("s\nhttp://ex/a\n"))
	f.Add("text/html", []byte("<html>"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		ctx := context.Background()
		lb := &limitedBody{r: bytes.NewReader(body), left: 512, limit: 512}
		set, err := decode(lb, contentType, "http://member.example/sparql")
		if err == nil {
			cols := columns(set.Vars, []string{"s", "o"})
			for sol, serr := range set.Solutions {
				if serr != nil {
					err = serr
					break
				}
				for i, j := range cols {
					if j >= 2 || i >= len(sol) && j >= 0 {
						t.Fatalf("column %d maps to %d for a row of %d", i, j, len(sol))
					}
				}
			}
		}
		if err == nil {
			return
		}
		err = classify(ctx, ctx, "http://member.example/sparql", time.Second, err)
		if _, ok := syntax.AsError(err); ok {
			t.Fatalf("classified error %v still carries a *syntax.Error", err)
		}
		if !errors.Is(err, ErrBadResponse) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrUnavailable) {
			t.Fatalf("error %v is not classified", err)
		}
	})
}

func TestLimitedBody(t *testing.T) {
	for _, tc := range []struct {
		size, limit int
		tooLarge    bool
	}{{0, 10, false}, {10, 10, false}, {11, 10, true}, {10000, 10, true}, {9, 10, false}} {
		lb := &limitedBody{r: strings.NewReader(strings.Repeat("x", tc.size)), left: int64(tc.limit), limit: int64(tc.limit)}
		b, err := io.ReadAll(lb)
		if tc.tooLarge != errors.Is(err, ErrTooLarge) {
			t.Errorf("%d bytes with a limit of %d: error %v, want too large = %v", tc.size, tc.limit, err, tc.tooLarge)
		}
		if len(b) > tc.limit {
			t.Errorf("%d bytes with a limit of %d: read %d", tc.size, tc.limit, len(b))
		}
	}
}
