package config

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/diag"
)

// rawWordings are fragments of the schema validator's own messages, which
// must never reach users.
var rawWordings = []string{"doesn't validate", "if-then failed", "if-else failed", "oneOf failed",
	"anyOf failed", "allOf failed", "missing properties", "additionalProperties", "but got", "but found", "jsonschema"}

// FuzzLoad checks that Load never panics and always returns either a Config
// or a diag.List of positioned, translated errors.
func FuzzLoad(f *testing.F) {
	for _, p := range []string{"testdata/valid/10-instances.yaml", "testdata/valid/20-workers.yml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	seeds := []string{
		web1,
		webTier,
		web1 + "---\n" + web1,
		web1 + "    userData: {env: X, file: y}\n",
		strings.Replace(web1, "size: 50", "size: 1e400", 1),
		strings.Replace(web1, "size: 50", "size: .inf", 1),
		strings.Replace(web1, "size: 50", "size: 99999999999999999999", 1),
		strings.Replace(web1, "web-1:", "? [a, b]\n  :", 1),
		"", "---\n", "# c\n", "- a\n", "~\n", "apiVersion: lswctl/v1\ninstances: [a, b\n",
		"apiVersion: lswctl/v1\nsettings:\n  prune: &p [*p]\n",
		"apiVersion: lswctl/v1\ninstances:\n  a: &a {<<: *a}\n",
		"apiVersion: lswctl/v1\ninstances:\n  a:\n    <<: [1, 2]\n",
		"apiVersion: !!str lswctl/v1\ninstances: {x: {ensure: absent, !!int 5: 6}}\n",
		"%YAML 1.2\n---\napiVersion: lswctl/v1\n",
		"a:\n\tb: 1\n",
		// bounded input (bounded_test.go): encodings, numbers, secrets,
		// nesting, keys and aliases past the limits
		"\xef\xbb\xbf" + web1,
		"\xff\xfea\x00:\x00",
		strings.Replace(web1, "ops@example", "ops\x00example", 1),
		strings.Replace(web1, "lsw.m5a.large", "lsw.m5a.\xff", 1),
		strings.Replace(web1, "ops@example", "ops\x1b[31m", 1),
		strings.Replace(web1, `"ssh-ed25519 AAAA ops@example"`, `"a\0b"`, 1),
		strings.Replace(web1, "size: 50", "size: 1e309", 1),
		strings.Replace(web1, "size: 50", "size: -1e-400", 1),
		strings.Replace(web1, "size: 50", "size: 1e5", 1),
		strings.Replace(web1, `"ssh-ed25519 AAAA ops@example"`, "{env: ''}", 1),
		strings.Replace(web1, `"ssh-ed25519 AAAA ops@example"`, "{file: ''}", 1),
		deepFlow(100),
		"apiVersion: lswctl/v1\nsettings:\n  x:\n    " + strings.Repeat("- ", 100) + "x\n",
		nestedBlock(70),
		"apiVersion: lswctl/v1\nsettings: & [a]\n",
		"apiVersion: lswctl/v1\nsettings:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
	}
	seeds = append(seeds, trickyYAML...)
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		readFile := func(p string) ([]byte, error) {
			if p == "/fuzz/a.yaml" {
				return data, nil
			}
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		}
		cfg, err := Load([]string{"a.yaml"}, Options{Cwd: "/fuzz", ReadFile: readFile, LookupEnv: envFrom(map[string]string{"X": "x"})})
		if (cfg == nil) == (err == nil) {
			t.Fatalf("Load returned config %v and error %v; want exactly one", cfg != nil, err)
		}
		if err == nil {
			return
		}
		list, ok := err.(diag.List)
		if !ok || len(list) == 0 {
			t.Fatalf("error is %T (%v), want a non-empty diag.List", err, err)
		}
		for _, e := range list {
			if e.File != "a.yaml" || e.Msg == "" || e.Line < 0 || e.Col < 0 {
				t.Errorf("badly formed error %+v", e)
			}
			for _, w := range rawWordings {
				if !strings.HasPrefix(e.Msg, "syntax error: ") && strings.Contains(e.Msg, w) {
					t.Errorf("raw validator wording %q in %q", w, e.Format(""))
				}
			}
		}
	})
}
