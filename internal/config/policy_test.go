package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEnvRefusesCredentials checks that no credential variable can be read
// into the configuration, whatever its case, and that the error points at
// the {env:} value.
func TestEnvRefusesCredentials(t *testing.T) {
	for _, name := range append(CredentialVars(), "leaseweb_api_key") {
		dir := writeFiles(t, map[string]string{
			"a.yaml": edit(t, `    sshKey: "ssh-ed25519 AAAA ops@example"`, "    userData: {env: "+name+"}"),
		})
		env := envFrom(map[string]string{name: "the-real-api-key"})
		_, err := Load([]string{"a.yaml"}, Options{Cwd: dir, LookupEnv: env})
		want := "./a.yaml:9:21: instances.web-1.userData: environment variable " + name +
			" holds lswctl's own credentials and cannot be read into the configuration"
		if err == nil {
			t.Errorf("{env: %s} was read", name)
		} else if got := formatErr(err, dir); got != want {
			t.Errorf("{env: %s}:\n got %s\nwant %s", name, got, want)
		}
	}
}

// TestFileStaysInRepository checks where {file:} may read: inside the git
// work tree holding the configuration, or its directory when there is
// none; symbolic links are followed before deciding; the command line can
// allow more.
func TestFileStaysInRepository(t *testing.T) {
	outside := writeFiles(t, map[string]string{"secret.txt": "outside-secret"})
	outsideFile := filepath.Join(outside, "secret.txt")
	refused := `is outside `

	tests := []struct {
		name   string
		files  map[string]string
		link   [2]string // link name → target, relative to the test directory unless absolute
		config string    // directory of a.yaml
		ref    string
		allow  bool
		want   string // "" = reads fine; else a substring of the error
	}{
		{name: "next to the configuration", files: map[string]string{"cfg/ud.txt": "x-data"}, config: "cfg", ref: "ud.txt"},
		{name: "parent without git", files: map[string]string{"ud.txt": "x-data"}, config: "cfg", ref: "../ud.txt",
			want: refused + `the configuration's directory`},
		{name: "parent inside the git work tree", files: map[string]string{"ud.txt": "x-data", ".git/HEAD": "ref"}, config: "cfg", ref: "../ud.txt"},
		{name: "git worktree file", files: map[string]string{"ud.txt": "x-data", ".git": "gitdir: /elsewhere"}, config: "cfg/deep", ref: "../../ud.txt"},
		{name: "absolute path outside", files: map[string]string{".git/HEAD": "ref"}, config: ".", ref: outsideFile,
			want: refused + `the git repository holding the configuration`},
		{name: "proc environ", config: ".", ref: "/proc/self/environ", want: refused},
		{name: "link to a file outside", config: ".", link: [2]string{"ud.txt", outsideFile}, ref: "ud.txt", want: refused},
		{name: "link to environ", files: map[string]string{".git/HEAD": "ref"}, config: ".", link: [2]string{"env", "/proc/self/environ"}, ref: "env", want: refused},
		{name: "link to a directory outside", config: ".", link: [2]string{"d", outside}, ref: "d/secret.txt", want: refused},
		{name: "link inside", files: map[string]string{"real.txt": "x-data"}, config: ".", link: [2]string{"ud.txt", "real.txt"}, ref: "ud.txt"},
		{name: "allowed outside", config: ".", ref: outsideFile, allow: true},
		{name: "allowed link", config: ".", link: [2]string{"ud.txt", outsideFile}, ref: "ud.txt", allow: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range tt.files {
				files[k] = v
			}
			files[filepath.Join(tt.config, "a.yaml")] = edit(t, `    sshKey: "ssh-ed25519 AAAA ops@example"`, "    userData: {file: "+tt.ref+"}")
			dir := writeFiles(t, files)
			if tt.link[0] != "" {
				if err := os.Symlink(tt.link[1], filepath.Join(dir, tt.config, tt.link[0])); err != nil {
					t.Fatal(err)
				}
			}
			var seen []string
			_, err := Load([]string{filepath.Join(tt.config, "a.yaml")}, Options{Cwd: dir, LookupEnv: envFrom(nil),
				AllowExternalFiles: tt.allow, OnSecret: func(v string) { seen = append(seen, v) }})
			got := ""
			if err != nil {
				got = formatErr(err, dir)
			}
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %s", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Fatalf("got %q, want an error containing %q", got, tt.want)
			case tt.want != "" && !strings.Contains(got, ":9:22: instances.web-1.userData: secret file "):
				t.Errorf("the refusal does not point at the value: %s", got)
			case tt.want != "" && len(seen) > 0:
				t.Errorf("a refused file was read: %q", seen)
			}
		})
	}
}

// TestFileRepositoryThroughLink checks that a configuration reached through
// a symbolic link is judged by where it really is: its repository is the one
// the link points into.
func TestFileRepositoryThroughLink(t *testing.T) {
	repo := writeFiles(t, map[string]string{
		".git/HEAD":    "ref",
		"cfg/ud.txt":   "x-data",
		"cfg/a.yaml":   edit(t, `    sshKey: "ssh-ed25519 AAAA ops@example"`, "    userData: {file: ud.txt}"),
		"cfg/b/b.yaml": strings.ReplaceAll(edit(t, `    sshKey: "ssh-ed25519 AAAA ops@example"`, "    userData: {file: ../ud.txt}"), "web-1", "web-2"),
	})
	elsewhere := t.TempDir()
	if err := os.Symlink(filepath.Join(repo, "cfg"), filepath.Join(elsewhere, "cfg")); err != nil {
		t.Fatal(err)
	}
	if _, err := Load([]string{"cfg/a.yaml", "cfg/b/b.yaml"}, Options{Cwd: elsewhere, LookupEnv: envFrom(nil)}); err != nil {
		t.Fatalf("refused: %s", formatErr(err, elsewhere))
	}
}

// TestOnSecret checks that every secret value read reaches OnSecret:
// {env:}, {file:} and an inline value of a sensitive field.
func TestOnSecret(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml":   edit(t, `    sshKey: "ssh-ed25519 AAAA ops@example"`, `    userData: "#cloud-config inline"`),
		"b.yaml":   strings.ReplaceAll(edit(t, `"ssh-ed25519 AAAA ops@example"`, "{env: SSH_KEY}"), "web-1", "web-2"),
		"c.yaml":   strings.ReplaceAll(edit(t, `"ssh-ed25519 AAAA ops@example"`, "{file: id.pub}"), "web-1", "web-3"),
		"id.pub":   "ssh-ed25519 FILE\n",
		".git/x/y": "",
	})
	var seen []string
	mustLoad(t, dir, Options{LookupEnv: envFrom(map[string]string{"SSH_KEY": "ssh-ed25519 ENV"}),
		OnSecret: func(v string) { seen = append(seen, v) }}, "a.yaml", "b.yaml", "c.yaml")
	slices.Sort(seen)
	want := []string{"#cloud-config inline", "ssh-ed25519 ENV", "ssh-ed25519 FILE\n"}
	if !slices.Equal(seen, want) {
		t.Errorf("OnSecret saw %q, want %q", seen, want)
	}
}
