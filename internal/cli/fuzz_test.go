package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/render"
)

// FuzzShow checks the whole show path — decoding, validation and every
// renderer, with and without colour — never panics or hangs on any plan
// file, and that the markdown stays within its limit. The seed corpus in
// testdata/fuzz/FuzzShow holds the crashers of issue 7.
func FuzzShow(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodePlan(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, format := range []string{"text", "json", "markdown"} {
			for _, colour := range []bool{false, true} {
				var b bytes.Buffer
				if err := renderPlan(&b, p, format, render.NewStyle(colour)); err != nil {
					t.Fatalf("%s: %v", format, err)
				}
				if format == "markdown" && b.Len() > render.MarkdownLimit {
					t.Fatalf("markdown of %d bytes, over the limit", b.Len())
				}
			}
		}
	})
}

// TestShowRefusesCrashers runs `show` and `apply` on each crasher of the
// seed corpus: exit 1 and a message, never a panic (exit 2) or a hang.
func TestShowRefusesCrashers(t *testing.T) {
	want := map[string]string{
		"ref-after":       "after: want an object of attributes, got a reference to instance.x",
		"ref-before":      "before: want an object of attributes, got a reference to instance.x",
		"unknown-kind":    `unknown kind "bogus"`,
		"missing-address": "steps[0]: the address is missing",
		"duplicated-step": "steps[1] (instance.web-1): the same step as steps[0]",
		"dependson-cycle": "dependsOn forms a cycle: instance.web-1, instance.web-2",
		"unknown-action":  `unknown action "destroy"`,
	}
	for name, msg := range want {
		t.Run(name, func(t *testing.T) {
			r := newRun(t)
			file := filepath.Join(r.dir, "plan.json")
			writeSeed(t, filepath.Join("testdata", "fuzz", "FuzzShow", name), file)
			for _, args := range [][]string{{"show", file}, {"show", "--format", "markdown", file},
				{"apply", "--sandbox", file}} {
				if code := r.main(args...); code != ExitError {
					t.Errorf("%s: exit %d, want 1", args, code)
				}
				if !strings.Contains(r.stderr.String(), msg) {
					t.Errorf("%s: stderr = %q, want %q", args, r.stderr.String(), msg)
				}
			}
		})
	}
}

// writeSeed writes the input held by a fuzz corpus file to dst.
func writeSeed(t *testing.T, corpus, dst string) {
	t.Helper()
	b, err := os.ReadFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	_, quoted, _ := strings.Cut(strings.TrimSpace(string(b)), "[]byte(")
	data, err := strconv.Unquote(strings.TrimSuffix(quoted, ")"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}
