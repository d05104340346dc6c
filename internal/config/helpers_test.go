package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/diag"
)

// web1 is a valid instance document; cases edit it with strings.Replace.
const web1 = `apiVersion: lswctl/v1
instances:
  web-1:
    region: eu-west-3
    type: lsw.m5a.large
    image: UBUNTU_24_04_64BIT
    rootDisk: {size: 50, storageType: CENTRAL}
    contract: {type: HOURLY}
    sshKey: "ssh-ed25519 AAAA ops@example"
    state: RUNNING
`

// edit returns web1 with old replaced by new, failing the test when old is
// not there (so a case cannot silently test the valid document).
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(web1, old) {
		t.Fatalf("web1 has no %q", old)
	}
	return strings.Replace(web1, old, new, 1)
}

// writeFiles writes name → content under a new temporary directory and
// returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// envFrom returns a LookupEnv over a fixed map.
func envFrom(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
}

// mustLoad loads paths relative to dir and fails the test on any error.
func mustLoad(t *testing.T, dir string, opts Options, paths ...string) *Config {
	t.Helper()
	opts.Cwd = dir
	if opts.LookupEnv == nil {
		opts.LookupEnv = envFrom(nil)
	}
	cfg, err := Load(paths, opts)
	if err != nil {
		t.Fatalf("Load: unexpected error:\n%s", formatErr(err, dir))
	}
	return cfg
}

// formatErr renders err the way the CLI prints it, relative to dir.
func formatErr(err error, dir string) string {
	if l := diag.AsList(err); l != nil {
		return l.Format(dir)
	}
	return err.Error()
}
