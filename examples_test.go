package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lswctl/lswctl/internal/cli"
	"github.com/lswctl/lswctl/internal/contract"
)

// TestExamples plans, applies and re-plans every example against a fresh
// sandbox: the second plan must find nothing to do, and every API exchange
// must follow the OpenAPI document.
func TestExamples(t *testing.T) {
	v := contract.ForTest(t)
	dirs, err := filepath.Glob("examples/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		if yamls, _ := filepath.Glob(filepath.Join(dir, "*.yaml")); len(yamls) == 0 {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			abs, _ := filepath.Abs(dir)
			var mu sync.Mutex
			var violations []string
			report := func(err error) { mu.Lock(); violations = append(violations, err.Error()); mu.Unlock() }
			run := exampleRunner(t, v, report, abs)
			if out, code := run("plan", "--detailed-exitcode"); code != cli.ExitChanges {
				t.Fatalf("first plan: exit %d, want 2:\n%s", code, out)
			}
			if out, code := run("apply", "--auto-approve"); code != cli.ExitOK || !strings.Contains(out, "Apply complete!") {
				t.Fatalf("apply: exit %d:\n%s", code, out)
			}
			if out, code := run("plan", "--detailed-exitcode"); code != cli.ExitOK || !strings.Contains(out, "No changes.") {
				t.Fatalf("plan after apply: exit %d, want 0 and no changes:\n%s", code, out)
			}
			if len(violations) > 0 {
				t.Fatalf("OpenAPI contract violations:\n%s", strings.Join(violations, "\n"))
			}
		})
	}
}

func exampleRunner(t *testing.T, v *contract.Validator, report func(error), dir string) func(args ...string) (string, int) {
	work := t.TempDir()
	vars := map[string]string{
		"LSWCTL_SANDBOX_DELAY": "20ms",
		"NO_COLOR":             "1",
		"EDGE_TLS_KEY":         "-----BEGIN PRIVATE KEY-----\nexample\n-----END PRIVATE KEY-----\n",
	}
	return func(args ...string) (string, int) {
		var out bytes.Buffer
		env := cli.Env{
			Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out,
			LookupEnv: func(k string) (string, bool) { x, ok := vars[k]; return x, ok },
			Getwd:     func() (string, error) { return work, nil },
		}
		if v != nil {
			env.WrapTransport = func(next http.RoundTripper) http.RoundTripper { return v.Transport(next, report) }
		}
		argv := append([]string{"lswctl", "--sandbox"}, args...)
		code := cli.Main(context.Background(), append(argv, "-f", dir), env)
		return out.String(), code
	}
}
