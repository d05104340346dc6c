package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	_ "github.com/lswctl/lswctl/internal/providers/all"
)

const config = `apiVersion: lswctl/v1
instances:
  web:
    region: eu-west-3
    type: lsw.m5a.large
    image: UBUNTU_24_04_64BIT
    rootDisk: {size: 20, storageType: CENTRAL}
    contract: {type: HOURLY}
`

// run calls Main in-process in a fresh directory holding lswctl.yaml.
type run struct {
	dir            string
	stdin          string
	tty            bool
	vars           map[string]string
	stdout, stderr bytes.Buffer
}

func newRun(t *testing.T) *run {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lswctl.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return &run{dir: dir, vars: map[string]string{"LSWCTL_SANDBOX_DELAY": "-1ms", "NO_COLOR": "1"}}
}

func (r *run) main(args ...string) int {
	r.stdout.Reset()
	r.stderr.Reset()
	env := Env{
		Stdin:  strings.NewReader(r.stdin),
		Stdout: &r.stdout,
		Stderr: &r.stderr,
		LookupEnv: func(k string) (string, bool) {
			v, ok := r.vars[k]
			return v, ok
		},
		Getwd:      func() (string, error) { return r.dir, nil },
		IsTerminal: func(any) bool { return r.tty },
	}
	return Main(context.Background(), append([]string{"lswctl"}, args...), env)
}

func TestApplyAsksOnATerminal(t *testing.T) {
	r := newRun(t)
	r.tty, r.stdin = true, "no\n"
	if code := r.main("apply", "--sandbox"); code != ExitError {
		t.Fatalf("answer no: exit %d, want 1; stderr %s", code, r.stderr.String())
	}
	if !strings.Contains(r.stderr.String(), "Do you want to perform these actions? Only 'yes' will be accepted: ") {
		t.Errorf("no prompt on stderr in %q", r.stderr.String())
	}
	if strings.Contains(r.stdout.String(), "Do you want") {
		t.Errorf("the prompt went to stdout, where a redirect would swallow it: %q", r.stdout.String())
	}
	if !strings.Contains(r.stderr.String(), "apply cancelled: nothing was changed") {
		t.Errorf("stderr = %q", r.stderr.String())
	}
	if code := r.main("plan", "--sandbox", "--detailed-exitcode"); code != ExitChanges {
		t.Fatalf("after a refused apply the plan should still have changes: exit %d", code)
	}

	r.stdin = "yes\n"
	if code := r.main("apply", "--sandbox"); code != ExitOK {
		t.Fatalf("answer yes: exit %d; stderr %s", code, r.stderr.String())
	}
	if !strings.Contains(r.stdout.String(), "Apply complete!") {
		t.Errorf("stdout = %q", r.stdout.String())
	}
	if code := r.main("plan", "--sandbox", "--detailed-exitcode"); code != ExitOK {
		t.Fatalf("after apply the plan should be empty: exit %d; %s", code, r.stdout.String())
	}
}

func TestApplyRefusesWithoutTerminal(t *testing.T) {
	r := newRun(t)
	if code := r.main("apply", "--sandbox"); code != ExitError {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(r.stderr.String(), "stdin is not a terminal") {
		t.Errorf("stderr = %q", r.stderr.String())
	}
}

func TestColourFollowsTerminalAndFlags(t *testing.T) {
	r := newRun(t)
	r.tty = true
	r.main("plan", "--sandbox")
	if strings.Contains(r.stdout.String(), "\x1b[") {
		t.Errorf("NO_COLOR ignored: %q", r.stdout.String())
	}
	delete(r.vars, "NO_COLOR")
	r.main("plan", "--sandbox")
	if !strings.Contains(r.stdout.String(), "\x1b[32m") {
		t.Errorf("no colour on a terminal: %q", r.stdout.String())
	}
	r.main("plan", "--sandbox", "--no-color")
	if strings.Contains(r.stdout.String(), "\x1b[") {
		t.Errorf("--no-color ignored: %q", r.stdout.String())
	}
	r.tty = false
	r.main("plan", "--sandbox")
	if strings.Contains(r.stdout.String(), "\x1b[") {
		t.Errorf("colour on a pipe: %q", r.stdout.String())
	}
}

func TestHoistGlobalFlags(t *testing.T) {
	tests := []struct{ in, want []string }{
		{[]string{"lswctl", "plan", "--sandbox", "-f", "x"}, []string{"lswctl", "--sandbox", "plan", "-f", "x"}},
		{[]string{"lswctl", "--debug", "apply", "--no-color"}, []string{"lswctl", "--debug", "--no-color", "apply"}},
		{[]string{"lswctl", "plan", "--", "--sandbox"}, []string{"lswctl", "plan", "--", "--sandbox"}},
		{[]string{"lswctl"}, []string{"lswctl"}},
	}
	for _, tt := range tests {
		if got := hoistGlobalFlags(tt.in); !cmp.Equal(got, tt.want) {
			t.Errorf("hoist(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSandboxOptionsFromEnvironment(t *testing.T) {
	env := &Env{LookupEnv: func(k string) (string, bool) {
		v, ok := map[string]string{
			"LSWCTL_SANDBOX_DELAY":      "250ms",
			"LSWCTL_SANDBOX_ERROR_RATE": "0.5",
			"LSWCTL_SANDBOX_FAULTS":     "GET /x 503 x2",
		}[k]
		return v, ok
	}}
	o, err := sandboxOptions(env, "state.json")
	if err != nil {
		t.Fatal(err)
	}
	if o.Delay.String() != "250ms" || o.Faults.ErrorRate != 0.5 || len(o.Faults.Rules) != 1 || o.Faults.Rules[0].Times != 2 {
		t.Errorf("options = %+v", o)
	}
	bad := &Env{LookupEnv: func(k string) (string, bool) { return "2", k == "LSWCTL_SANDBOX_ERROR_RATE" }}
	if _, err := sandboxOptions(bad, ""); err == nil || !strings.Contains(err.Error(), "between 0 and 1") {
		t.Errorf("error rate 2 accepted: %v", err)
	}
}
