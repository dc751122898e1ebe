package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestDemoCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string // in stdout (exit 0) or stderr
	}{
		{[]string{"demo"}, exitOK, "<https://tessera.example/graph/system/providers> ."},
		{[]string{"demo", "--format", "trig"}, exitOK, "<https://tessera.example/graph/system/providers> {"},
		{[]string{"demo", "--format", "turtle"}, exitUsage, "quad format"},
		{[]string{"demo", "--scale", "0"}, exitUsage, "at least 1"},
		{[]string{"demo", "extra"}, exitUsage, "unexpected argument"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(""), &out, &errb)
			got := out.String()
			if tc.code != exitOK {
				got = errb.String()
			}
			if code != tc.code || !strings.Contains(got, tc.want) {
				t.Errorf("run(%q) = %d, output %.200q; want %d containing %q", tc.args, code, got, tc.code, tc.want)
			}
		})
	}
}
