package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while Main writes to it. When
// want is set, seen is closed the first time the content contains it.
type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	want  string
	seen  chan struct{}
	fired bool
}

func watching(want string) *syncBuffer { return &syncBuffer{want: want, seen: make(chan struct{})} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.b.Write(p)
	if s.want != "" && !s.fired && strings.Contains(s.b.String(), s.want) {
		close(s.seen)
		s.fired = true
	}
	return n, err
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// bound is how long a test waits for something that should happen at once;
// only a broken build ever reaches it.
const bound = 30 * time.Second

func await(t *testing.T, ch <-chan struct{}, what string, out fmt.Stringer) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(bound):
		t.Fatalf("%s never happened:\n%s", what, out)
	}
}

func interruptEnv(dir string, stdin io.Reader, out, errs io.Writer, tty bool, delay string) Env {
	return Env{Stdin: stdin, Stdout: out, Stderr: errs, Getwd: func() (string, error) { return dir, nil },
		IsTerminal: func(any) bool { return tty },
		LookupEnv: func(k string) (string, bool) {
			v, ok := map[string]string{"LSWCTL_SANDBOX_DELAY": delay, "NO_COLOR": "1"}[k]
			return v, ok
		}}
}

func writeConfigDir(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lswctl.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
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
	dir := writeConfigDir(t, tier)
	out, errs := watching("loadBalancer.edge: Creating..."), &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := interruptEnv(dir, nil, out, errs, false, "400ms")
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"lswctl", "apply", "--sandbox", "--auto-approve"}, env) }()
	await(t, out.seen, "loadBalancer.edge: Creating...", out)
	cancel()
	code := <-done
	got := out.String()
	if code != ExitError {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"loadBalancer.edge: Creation complete", // in flight: finished
		"Apply interrupted.",
		"Not started (interrupted):\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	_, notStarted, _ := strings.Cut(got, "Not started (interrupted):\n")
	if !strings.Contains(notStarted, "  + create listener.edge/HTTP:80\n") {
		t.Errorf("the listener, which waits for the load balancer, is not listed as not started:\n%s", got)
	}
	if !strings.Contains(errs.String(), "Interrupt received: steps not yet started are cancelled") {
		t.Errorf("stderr = %q", errs.String())
	}
}

// TestApplyInterruptCancelsQueuedSteps is the case the issue reports:
// twenty creates at --parallelism 1 and Ctrl-C while the first one is being
// sent. The nineteen queued for the write slot must never be sent; the
// first finishes; the summary lists the rest as not started; exit 1.
func TestApplyInterruptCancelsQueuedSteps(t *testing.T) {
	var cfg strings.Builder
	cfg.WriteString("apiVersion: lswctl/v1\ninstances:\n")
	for i := range 20 {
		fmt.Fprintf(&cfg, "  web-%02d: {region: eu-west-3, type: lsw.m5a.large, image: UBUNTU_24_04_64BIT, "+
			"rootDisk: {size: 20, storageType: CENTRAL}, contract: {type: HOURLY}}\n", i)
	}
	dir := writeConfigDir(t, cfg.String())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// creates counts the instances whose launch was sent: the step in
	// flight may send its launch more than once (the create protocol
	// repeats a launch that provably did not land, and the sleep below
	// outlasts its deadline), but no other step may send one.
	var creates atomic.Int32
	var mu sync.Mutex
	launched := map[string]bool{}
	out, errs := &syncBuffer{}, &syncBuffer{}
	env := interruptEnv(dir, nil, out, errs, false, "-1ms")
	env.WrapTransport = func(base http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method != http.MethodPost || r.URL.Path != "/publicCloud/v1/instances" {
				return base.RoundTrip(r)
			}
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			var launch struct{ Reference string }
			_ = json.Unmarshal(body, &launch)
			mu.Lock()
			first := len(launched) == 0
			if !launched[launch.Reference] {
				launched[launch.Reference] = true
				creates.Add(1)
			}
			mu.Unlock()
			if first {
				// Ctrl-C while the first create is on the wire. The pause
				// first lets the other nineteen steps reach the write-slot
				// queue (with the in-process sandbox the first create can
				// otherwise be sent before they are even scheduled); it only
				// makes the test sensitive, the outcome never depends on it.
				time.Sleep(300 * time.Millisecond)
				cancel()
			}
			return base.RoundTrip(r)
		})
	}
	code := Main(ctx, []string{"lswctl", "apply", "--sandbox", "--auto-approve", "--parallelism", "1"}, env)
	got := out.String()
	if n := creates.Load(); n != 1 {
		t.Errorf("launches of %d instances sent, want 1: queued steps started after the interrupt", n)
	}
	if code != ExitError {
		t.Errorf("exit %d, want 1", code)
	}
	if n := strings.Count(got, ": Creating..."); n != 1 {
		t.Errorf("%d steps announced, want 1:\n%s", n, got)
	}
	for _, want := range []string{"Creation complete", "Apply interrupted. Resources: 1 added, 0 changed, 0 replaced, 0 destroyed; 19 not started.",
		"Not started (interrupted):\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^  \+ create instance\.web-\d\d$`).FindAllString(got, -1)); n != 19 {
		t.Errorf("%d steps listed as not started, want 19:\n%s", n, got)
	}
	if strings.Contains(got, "Apply complete!") {
		t.Errorf("an interrupted apply reported success:\n%s", got)
	}
	// The sandbox agrees: one instance exists, nineteen remain to create.
	out2 := &syncBuffer{}
	if code := Main(context.Background(), []string{"lswctl", "plan", "--sandbox"}, interruptEnv(dir, nil, out2, errs, false, "-1ms")); code != ExitOK ||
		!strings.Contains(out2.String(), "Plan: 19 to add, 0 to change") {
		t.Errorf("plan after the interrupt: exit %d\n%s", code, out2)
	}
}

// TestApplyInterruptAtPrompt: Ctrl-C at "Only 'yes' will be accepted"
// aborts at once with exit 1, without waiting for a line on stdin, and
// nothing is written.
func TestApplyInterruptAtPrompt(t *testing.T) {
	dir := writeConfigDir(t, tier)
	stdin, typing := io.Pipe() // a terminal nobody types on
	defer typing.Close()
	out, errs := &syncBuffer{}, watching("Only 'yes' will be accepted: ") // the prompt is on stderr
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var writes atomic.Int32
	env := interruptEnv(dir, stdin, out, errs, true, "-1ms")
	env.WrapTransport = func(base http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method != http.MethodGet {
				writes.Add(1)
			}
			return base.RoundTrip(r)
		})
	}
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"lswctl", "apply", "--sandbox"}, env) }()
	await(t, errs.seen, "the confirmation prompt", errs)
	cancel()
	var code int
	select {
	case code = <-done:
	case <-time.After(bound):
		typing.Close() // let Main finish before the test ends
		<-done
		t.Fatalf("apply still waits for an answer after Ctrl-C at the prompt")
	}
	if code != ExitError {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(errs.String(), "apply cancelled by an interrupt at the confirmation prompt: nothing was changed") {
		t.Errorf("stderr = %q", errs.String())
	}
	if n := writes.Load(); n != 0 {
		t.Errorf("%d write requests after Ctrl-C at the prompt", n)
	}
}
