package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// loadErr loads paths in dir and returns the rendered errors.
func loadErr(t *testing.T, dir string, env map[string]string, paths ...string) string {
	t.Helper()
	cfg, err := Load(paths, Options{Cwd: dir, LookupEnv: envFrom(env)})
	if err == nil {
		t.Fatalf("Load succeeded with %d resources, want errors", len(cfg.Resources))
	}
	return formatErr(err, dir)
}

func needUnix(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("needs /dev and FIFOs")
	}
}

// TestConfigurationMustBeARegularFile checks that devices, and symlinks to
// them, are refused before a byte is read: /dev/zero would otherwise grow
// without end.
func TestConfigurationMustBeARegularFile(t *testing.T) {
	needUnix(t)
	dir := t.TempDir()
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")); err != nil {
		t.Fatal(err)
	}
	if got, want := loadErr(t, dir, nil, "/dev/zero"), "/dev/zero: not a regular file (a character device)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := loadErr(t, dir, nil, "zero.yaml"), "./zero.yaml: not a regular file (a character device)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestSymlinkToRegularFileIsRead checks the documented choice: a symlink is
// followed, and a regular file behind it is read like any other.
func TestSymlinkToRegularFileIsRead(t *testing.T) {
	dir := writeFiles(t, map[string]string{"real/a.yaml": web1})
	if err := os.Symlink(filepath.Join("real", "a.yaml"), filepath.Join(dir, "link.yaml")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if cfg := mustLoad(t, dir, Options{}, "link.yaml"); len(cfg.Resources) != 1 {
		t.Errorf("loaded %d resources, want 1", len(cfg.Resources))
	}
}

// TestFIFOIsRefusedWithoutBlocking checks that a named pipe without a
// writer is refused at once: opening it for reading would wait for a
// writer forever. The bound only catches a hang, so it is generous.
func TestFIFOIsRefusedWithoutBlocking(t *testing.T) {
	needUnix(t)
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	done := make(chan string, 1)
	go func() { done <- loadErr(t, dir, nil, "pipe.yaml") }()
	select {
	case got := <-done:
		if want := "./pipe.yaml: not a regular file (a named pipe)"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	case <-time.After(time.Minute):
		t.Fatal("Load blocked on a FIFO")
	}
}

// TestOversizedConfigurationIsRefused uses a sparse file, so the test
// writes nothing to disk.
func TestOversizedConfigurationIsRefused(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "big.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxConfigBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if got, want := loadErr(t, dir, nil, "big.yaml"), "./big.yaml: file is larger than 16 MiB, the limit"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestReadDoesNotTrustStat reads a file whose size Stat reports as 0: the
// limit holds because it is applied to what is read.
func TestReadDoesNotTrustStat(t *testing.T) {
	const p = "/proc/self/status"
	if info, err := os.Stat(p); err != nil || info.Size() != 0 {
		t.Skip("needs Linux's /proc")
	}
	_, err := readRegular(p, 10)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("readRegular(%s, 10) = %v, want too large", p, err)
	}
}

// TestInjectedReadFileIsBounded checks the limit applies to
// Options.ReadFile too.
func TestInjectedReadFileIsBounded(t *testing.T) {
	big := make([]byte, maxConfigBytes+1)
	_, err := Load([]string{"a.yaml"}, Options{Cwd: "/x", ReadFile: func(string) ([]byte, error) { return big, nil }})
	if got := formatErr(err, "/x"); got != "./a.yaml: file is larger than 16 MiB, the limit" {
		t.Errorf("got %q", got)
	}
}

// secretDoc declares web1 with userData read from file.
func secretDoc(t *testing.T, file string) string {
	t.Helper()
	return edit(t, `    sshKey: "ssh-ed25519 AAAA ops@example"`+"\n", "    userData: {file: "+file+"}\n")
}

// TestSecretFileMustBeARegularFileOfBoundedSize covers {file: PATH}: a
// FIFO and a file over 1 MiB are refused; a file of exactly 1 MiB is
// read. (Devices are refused by the same readRegular; see
// TestReadRegularRefusesDevices, which does not depend on whether a
// configuration may name files outside its directory.)
func TestSecretFileMustBeARegularFileOfBoundedSize(t *testing.T) {
	needUnix(t)
	dir := writeFiles(t, map[string]string{
		"ok.txt":  strings.Repeat("a", maxSecretBytes),
		"big.txt": strings.Repeat("a", maxSecretBytes+1),
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o600); err != nil {
		t.Fatal(err)
	}
	const at = "./a.yaml:9:22: instances.web-1.userData: "
	tests := []struct{ file, want string }{
		{"pipe.txt", at + `cannot read secret file "pipe.txt": not a regular file (a named pipe)`},
		{"big.txt", at + `cannot read secret file "big.txt": file is larger than 1 MiB, the limit`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(secretDoc(t, tt.file)), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := loadErr(t, dir, nil, "a.yaml"); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(secretDoc(t, "ok.txt")), 0o644); err != nil {
		t.Fatal(err)
	}
	mustLoad(t, dir, Options{}, "a.yaml")
}

// TestReadRegularRefusesDevices checks /dev/urandom, directly and through
// a symlink, with the secret limit: it would never end.
func TestReadRegularRefusesDevices(t *testing.T) {
	needUnix(t)
	link := filepath.Join(t.TempDir(), "random.txt")
	if err := os.Symlink("/dev/urandom", link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/dev/urandom", link} {
		_, err := readRegular(p, maxSecretBytes)
		if err == nil || !strings.HasSuffix(err.Error(), ": not a regular file (a character device)") {
			t.Errorf("readRegular(%s) = %v, want not a regular file", p, err)
		}
	}
}

// TestNotRegularNamesTheType covers modeWords.
func TestNotRegularNamesTheType(t *testing.T) {
	err := notRegular("x", fs.ModeDir)
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Err.Error() != "not a regular file (a directory)" {
		t.Errorf("notRegular = %v", err)
	}
}
