package cli

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/sandbox"
)

// servedSandbox starts a sandbox on a loopback port that several runs
// share, as `lswctl sandbox serve` would be shared, and points r at it.
func servedSandbox(t *testing.T, runs ...*run) {
	t.Helper()
	srv, err := sandbox.New(sandbox.Options{Delay: -1})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	for _, r := range runs {
		r.vars["LEASEWEB_API_URL"], r.vars["LEASEWEB_API_KEY"] = hs.URL, "test-key"
	}
}

// onRead is a Stdin that runs before() when first read, then reads r.
type onRead struct {
	before func()
	r      io.Reader
	done   bool
}

func (o *onRead) Read(p []byte) (int, error) {
	if !o.done {
		o.done = true
		o.before()
	}
	return o.r.Read(p)
}

// mainWithStdin is r.main with stdin, on a terminal.
func (r *run) mainWithStdin(stdin io.Reader, args ...string) int {
	r.stdout.Reset()
	r.stderr.Reset()
	env := Env{Stdin: stdin, Stdout: &r.stdout, Stderr: &r.stderr,
		LookupEnv: func(k string) (string, bool) {
			v, ok := r.vars[k]
			return v, ok
		},
		Getwd:      func() (string, error) { return r.dir, nil },
		IsTerminal: func(any) bool { return true },
	}
	return Main(context.Background(), append([]string{"lswctl"}, args...), env)
}

// TestApplyRechecksAfterThePrompt is the prompt window: an object created
// out of band while apply waits for "yes" is not created again; apply
// re-checks what the plan touches, as apply PLANFILE does, and refuses.
func TestApplyRechecksAfterThePrompt(t *testing.T) {
	r, other := newRun(t), newRun(t)
	servedSandbox(t, r, other)
	stdin := &onRead{r: strings.NewReader("yes\n"), before: func() {
		if code := other.main("apply", "--auto-approve"); code != ExitOK {
			t.Errorf("the out-of-band apply: exit %d\n%s", code, other.stderr.String())
		}
	}}
	if code := r.mainWithStdin(stdin, "apply"); code != ExitError {
		t.Fatalf("exit %d, want 1\n%s%s", code, r.stdout.String(), r.stderr.String())
	}
	if !strings.Contains(r.stderr.String(), "Do you want to perform these actions?") {
		t.Fatalf("no prompt on stderr:\n%s", r.stderr.String())
	}
	want := regexp.MustCompile(`(?m)(^|accepted: )Error: the plan is stale: .*\n  instance\.web was to be created, but it exists now \(id [0-9a-f-]{36}\)$`)
	if !want.MatchString(r.stderr.String()) {
		t.Errorf("stderr = %q", r.stderr.String())
	}
	if strings.Contains(r.stdout.String(), "Creating...") {
		t.Errorf("apply created after the re-check:\n%s", r.stdout.String())
	}
	if code := other.main("plan", "--detailed-exitcode"); code != ExitOK {
		t.Errorf("afterwards: exit %d, want one instance and no changes\n%s%s", code, other.stdout.String(), other.stderr.String())
	}
}

// TestApplyRechecksAChangeAfterThePrompt: an object changed out of band
// while apply waits is named, with the field that moved.
func TestApplyRechecksAChangeAfterThePrompt(t *testing.T) {
	r, other := newRun(t), newRun(t)
	servedSandbox(t, r, other)
	if code := r.main("apply", "--auto-approve"); code != ExitOK {
		t.Fatalf("first apply: exit %d\n%s", code, r.stderr.String())
	}
	writeConfig(t, r, strings.Replace(config, "size: 20", "size: 40", 1))
	writeConfig(t, other, config+"    state: STOPPED\n")
	stdin := &onRead{r: strings.NewReader("yes\n"), before: func() {
		if code := other.main("apply", "--auto-approve"); code != ExitOK {
			t.Errorf("the out-of-band apply: exit %d\n%s", code, other.stderr.String())
		}
	}}
	if code := r.mainWithStdin(stdin, "apply"); code != ExitError {
		t.Fatalf("exit %d, want 1\n%s%s", code, r.stdout.String(), r.stderr.String())
	}
	want := regexp.MustCompile(`instance\.web \(id [0-9a-f-]{36}\) changed since the plan was made \(state: "RUNNING" -> "STOPPED"\)`)
	if !want.MatchString(r.stderr.String()) {
		t.Errorf("stderr = %q", r.stderr.String())
	}
}

// TestMainRecoversPanics: a panic is an internal error with exit 1, never
// the runtime's exit 2, which CI reads as "changes pending".
func TestMainRecoversPanics(t *testing.T) {
	r := newRun(t)
	file := filepath.Join(r.dir, "plan.json")
	writeSeed(t, "testdata/fuzz/FuzzShow/valid", file)
	var stderr bytes.Buffer
	env := Env{Stdout: panicWriter{}, Stderr: &stderr, Getwd: func() (string, error) { return r.dir, nil },
		LookupEnv: func(string) (string, bool) { return "", false }, IsTerminal: func(any) bool { return false }}
	if code := Main(context.Background(), []string{"lswctl", "show", file}, env); code != ExitError {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.HasPrefix(stderr.String(), "Error: internal error: the writer broke\nThis is a bug in lswctl") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("the writer broke") }

func writeConfig(t *testing.T, r *run, yaml string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, "lswctl.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
}
