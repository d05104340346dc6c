package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTerminalSeesOriginalStreams checks that the redacting wrappers do not
// hide a terminal: colour and the confirmation prompt depend on the streams
// the process was given, not on the wrappers around them.
func TestTerminalSeesOriginalStreams(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lswctl.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	stdin := strings.NewReader("no\n")
	env := Env{
		Stdin: stdin, Stdout: &stdout, Stderr: &stderr,
		LookupEnv: func(k string) (string, bool) {
			v, ok := map[string]string{"LSWCTL_SANDBOX_DELAY": "-1ms"}[k]
			return v, ok
		},
		Getwd:      func() (string, error) { return dir, nil },
		IsTerminal: func(s any) bool { return s == any(&stdout) || s == any(stdin) },
	}
	if code := Main(context.Background(), []string{"lswctl", "apply", "--sandbox"}, env); code != ExitError {
		t.Fatalf("exit %d; stderr %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "\x1b[32m") {
		t.Errorf("no colour on a terminal: %q", stdout.String())
	}
	if !strings.Contains(stderr.String(), "Only 'yes' will be accepted: ") || !strings.Contains(stderr.String(), "apply cancelled") {
		t.Errorf("no prompt on a terminal:\n%s\n%s", stdout.String(), stderr.String())
	}
}

func TestCredentials(t *testing.T) {
	env := map[string]string{
		"LEASEWEB_API_KEY":    "the-api-key",
		"LEASEWEB_TOKEN":      "",
		"CLOUDSIGMA_PASSWORD": "cs-password",
		"LEASEWEB_API_URL":    "https://ops:p%40ss-word@api.example.com/v1",
		"CLOUDSIGMA_API_URL":  "https://zrh.cloudsigma.com/api/2.0/",
		"HTTPS_PROXY":         "http://proxy-token@proxy:3128",
		"NO_COLOR":            "1",
	}
	got := credentials(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	slices.Sort(got)
	want := []string{"cs-password", "p%40ss-word", "p@ss-word", "proxy-token", "the-api-key"}
	if !slices.Equal(got, want) {
		t.Errorf("credentials = %q, want %q", got, want)
	}
}
