package config

import (
	"fmt"
	"strings"
	"testing"
)

// deepFlow is a settings value nested n flow sequences deep.
func deepFlow(n int) string {
	return "apiVersion: lswctl/v1\nsettings:\n  x: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n"
}

// manyKeys is a document whose settings mapping has n keys.
func manyKeys(n int) string {
	var b strings.Builder
	b.WriteString("apiVersion: lswctl/v1\nsettings:\n")
	for i := range n {
		fmt.Fprintf(&b, "  k%d: 1\n", i)
	}
	return b.String()
}

// TestBoundedInputErrors covers input refused before the YAML parser sees
// it, or refused with one precise error where go-yaml would accept it
// silently or report it as something else.
func TestBoundedInputErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{
			name:  "flow nesting past the limit, as 40,000 levels would take gigabytes to parse",
			files: map[string]string{"a.yaml": deepFlow(40000)},
			want:  []string{`./a.yaml:3:68: nested more than 64 levels deep`},
		},
		{
			name:  "one level past the limit",
			files: map[string]string{"a.yaml": deepFlow(63)}, // two mappings, then 63
			want:  []string{`./a.yaml:3:68: nested more than 64 levels deep`},
		},
		{
			name:  "compact block sequences past the limit",
			files: map[string]string{"a.yaml": "apiVersion: lswctl/v1\nsettings:\n  x: \n" + "    " + strings.Repeat("- ", 20000) + "x\n"},
			want:  []string{`./a.yaml:4:129: nested more than 64 levels deep`},
		},
		{
			name:  "block mappings past the limit",
			files: map[string]string{"a.yaml": nestedBlock(70)},
			want:  []string{`./a.yaml:66:65: nested more than 64 levels deep`},
		},
		{
			name:  "a block mapping with more keys than the parser can bear",
			files: map[string]string{"a.yaml": manyKeys(maxMappingKeys + 1)},
			want: []string{`./a.yaml:100002:3: too many keys in this file's block mappings (about 100000 in one mapping, ` +
				`fewer across several large ones: the YAML parser's cost grows with the square of a mapping's size); split the mapping across files`},
		},
		{
			name:  "an anchor without a name",
			files: map[string]string{"a.yaml": "apiVersion: lswctl/v1\nsettings: & [a]\n"},
			want:  []string{`./a.yaml:2:11: anchor & without a name`},
		},
		{
			name:  "invalid UTF-8",
			files: map[string]string{"a.yaml": edit(t, "lsw.m5a.large", "lsw.m5a.\xff")},
			want:  []string{`./a.yaml:5:19: invalid UTF-8 (byte 0xFF)`},
		},
		{
			name:  "a NUL byte in a value",
			files: map[string]string{"a.yaml": edit(t, "ops@example", "ops\x00example")},
			want:  []string{`./a.yaml:9:34: NUL character (U+0000) is not allowed in YAML`},
		},
		{
			name:  "an escape character",
			files: map[string]string{"a.yaml": edit(t, "ops@example", "ops\x1b[31mexample")},
			want:  []string{`./a.yaml:9:34: control character U+001B is not allowed in YAML (write it as an escape in a double-quoted string)`},
		},
		{
			name:  "UTF-16",
			files: map[string]string{"a.yaml": "\xff\xfea\x00:\x00"},
			want:  []string{`./a.yaml:1:1: file is UTF-16 encoded (lswctl reads UTF-8)`},
		},
		{
			name:  "a NUL written as an escape",
			files: map[string]string{"a.yaml": edit(t, `"ssh-ed25519 AAAA ops@example"`, `"ssh-ed25519 AAAA\0"`)},
			want:  []string{`./a.yaml:9:13: instances.web-1.sshKey: string holds a NUL character (\0)`},
		},
		{
			name:  "a number beyond float64",
			files: map[string]string{"a.yaml": edit(t, "size: 50", "size: 1e309")},
			want:  []string{`./a.yaml:7:22: instances.web-1.rootDisk.size: number 1e309 is out of range`},
		},
		{
			name:  "a number too small to tell from 0",
			files: map[string]string{"a.yaml": edit(t, "size: 50", "size: -1e-400")},
			want:  []string{`./a.yaml:7:22: instances.web-1.rootDisk.size: number -1e-400 is out of range`},
		},
		{
			name:  "an integer beyond 64 bits is a number",
			files: map[string]string{"a.yaml": edit(t, "size: 50", "size: 99999999999999999999")},
			want:  []string{`./a.yaml:7:22: instances.web-1.rootDisk.size: must be between 5 and 1000, got 1e+20`},
		},
		{
			name:  "an exponent without a point is a number",
			files: map[string]string{"a.yaml": edit(t, "size: 50", "size: 1e5")},
			want:  []string{`./a.yaml:7:22: instances.web-1.rootDisk.size: must be between 5 and 1000, got 100000`},
		},
		{
			name:  "an empty variable name",
			files: map[string]string{"a.yaml": edit(t, `sshKey: "ssh-ed25519 AAAA ops@example"`, `sshKey: {env: ''}`)},
			want:  []string{`./a.yaml:9:19: instances.web-1.sshKey.env: empty environment variable name (expected {env: NAME})`},
		},
		{
			name:  "an empty file path",
			files: map[string]string{"a.yaml": edit(t, `sshKey: "ssh-ed25519 AAAA ops@example"`, `sshKey: {file: ""}`)},
			want:  []string{`./a.yaml:9:20: instances.web-1.sshKey.file: empty file path (expected {file: PATH})`},
		},
	})
}

// nestedBlock is a document whose settings nest n block mappings deep.
func nestedBlock(n int) string {
	var b strings.Builder
	b.WriteString("apiVersion: lswctl/v1\nsettings:\n")
	for i := range n {
		fmt.Fprintf(&b, "%sk:\n", strings.Repeat(" ", i+1))
	}
	return b.String()
}

// TestBOMIsAccepted checks that a UTF-8 byte order mark, which some
// Windows editors write, does not become part of the first key.
func TestBOMIsAccepted(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.yaml": "\xef\xbb\xbf" + web1})
	cfg := mustLoad(t, dir, Options{}, "a.yaml")
	if len(cfg.Resources) != 1 {
		t.Errorf("loaded %d resources, want 1", len(cfg.Resources))
	}
}

// TestPrescanLimits checks both limits at their edge, and that several
// large mappings share the key budget, with small limits.
func TestPrescanLimits(t *testing.T) {
	lim := scanLimits{depth: 3, keys: 10}
	tests := []struct {
		name, src string
		want      string // "" for accepted, else line:col: message
	}{
		{"depth at the limit", "[[[x]]]", ""},
		{"depth past the limit", "[[[[x]]]]", "1:4: nested more than 3 levels deep"},
		{"block depth past the limit", "a:\n  b:\n    c: [d]\n", "3:8: nested more than 3 levels deep"},
		{"quoted brackets do not count", `a: "[[[[[["` + "\n", ""},
		{"comments do not count", "a: b # [[[[[[\n", ""},
		{"block scalar text does not count", "a: |\n  [[[[[[\nb: c\n", ""},
		{"brackets continuing a plain scalar are text, as for go-yaml", "a: b\n  [[[[\n", ""},
		{"keys at the limit", strings.Repeat("k: 1\n", 10), ""},
		{"keys past the limit", strings.Repeat("k: 1\n", 11), "11:1: too many keys"},
		{"two mappings share the budget", "a:\n" + strings.Repeat("  k: 1\n", 8) + "b:\n" + strings.Repeat("  k: 1\n", 8), "16:3: too many keys"},
		{"a mapping per list item starts its own", strings.Repeat("- a: 1\n  b: 2\n  c: 3\n", 5), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issue, _ := prescan([]byte(tt.src), lim)
			got := ""
			if issue != nil {
				got = fmt.Sprintf("%d:%d: %s", issue.line, issue.col, issue.msg)
			}
			if (tt.want == "") != (got == "") || !strings.HasPrefix(got, tt.want) {
				t.Errorf("prescan(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}
