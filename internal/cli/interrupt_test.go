package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while Main writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const tier = `apiVersion: lswctl/v1
targetGroups:
  web: {region: eu-west-3, protocol: HTTP, port: 80}
loadBalancers:
  edge:
    region: eu-west-3
    type: lsw.m4.large
    contract: {type: HOURLY}
    listeners:
      - {protocol: HTTP, port: 80, targetGroup: web}
`

// TestApplyInterrupt is Ctrl-C during apply: steps in flight finish, steps
// still waiting for them never start, and the summary says so.
func TestApplyInterrupt(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lswctl.yaml"), []byte(tier), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := Env{Stdout: &out, Stderr: &errs, Getwd: func() (string, error) { return dir, nil },
		IsTerminal: func(any) bool { return false },
		LookupEnv: func(k string) (string, bool) {
			v, ok := map[string]string{"LSWCTL_SANDBOX_DELAY": "400ms", "NO_COLOR": "1"}[k]
			return v, ok
		}}
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"lswctl", "apply", "--sandbox", "--auto-approve"}, env) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "loadBalancer.edge: Creating...") {
		if time.Now().After(deadline) {
			t.Fatalf("apply never started:\n%s%s", out.String(), errs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	code := <-done
	got := out.String()
	if code != ExitError {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"loadBalancer.edge: Creation complete", // in flight: finished
		"Apply interrupted.",
		"Not started (interrupted):\n  + create listener.edge/HTTP:80",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(errs.String(), "Interrupt received: no new steps will start") {
		t.Errorf("stderr = %q", errs.String())
	}
}
