package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestAliasExpansionIsBounded checks that nested aliases cannot expand a
// small file into an enormous document: one error, at the alias whose
// expansion crossed the limit, and nothing reported after it.
func TestAliasExpansionIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: lswctl/v1\nsettings:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 7; i++ {
		p := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&b, "  a%d: &a%d [%s]\n", i, i, strings.Repeat(p+", ", 9)+p)
	}
	dir := writeFiles(t, map[string]string{"a.yaml": b.String()})
	_, err := Load([]string{"a.yaml"}, Options{Cwd: dir})
	want := "./a.yaml:8:12: settings.a5[0]: expanding alias *a4, aliases add more than 200000 values to this document"
	if got := strings.TrimSpace(formatErr(err, dir)); got != want {
		t.Errorf("got:\n%.2000s\nwant:\n%s", got, want)
	}
}

// TestLargeDocumentWithoutAliasesLoads checks that the alias limit counts
// what aliases add, not the document's own values: 25,000 instances
// (written as flow mappings, which go-yaml parses in linear time) hold
// more values than the limit and must load.
func TestLargeDocumentWithoutAliasesLoads(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: lswctl/v1\ninstances: {\n")
	for i := range 25000 {
		fmt.Fprintf(&b, "  web-%d: {region: eu-west-3, type: lsw.m5a.large, image: UBUNTU_24_04_64BIT, rootDisk: {size: 50, storageType: CENTRAL}, contract: {type: HOURLY}},\n", i)
	}
	b.WriteString("}\n")
	dir := writeFiles(t, map[string]string{"a.yaml": b.String()})
	cfg := mustLoad(t, dir, Options{}, "a.yaml")
	if len(cfg.Resources) != 25000 {
		t.Errorf("loaded %d resources, want 25000", len(cfg.Resources))
	}
}

// TestAliasesNestingTooDeep checks the depth limit after alias expansion:
// each alias below nests the one before one level deeper, which prescan,
// reading the file, cannot see.
func TestAliasesNestingTooDeep(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: lswctl/v1\nsettings:\n  a0: &a0 [x]\n")
	for i := 1; i <= 70; i++ {
		fmt.Fprintf(&b, "  a%d: &a%d [*a%d]\n", i, i, i-1)
	}
	dir := writeFiles(t, map[string]string{"a.yaml": b.String()})
	_, err := Load([]string{"a.yaml"}, Options{Cwd: dir})
	want := "./a.yaml:65:14: settings.a62[0]: expanding alias *a61 nests the document more than 64 levels deep"
	if got := strings.TrimSpace(formatErr(err, dir)); got != want {
		t.Errorf("got:\n%.2000s\nwant:\n%s", got, want)
	}
}

func TestJoinDisplay(t *testing.T) {
	tests := []struct{ path, key, want string }{
		{"", "instances", "instances"},
		{"instances", "web-1", "instances.web-1"},
		{"instances", "web.1", `instances."web.1"`},
		{"instances", "", `instances.""`},
	}
	for _, tt := range tests {
		if got := joinDisplay(tt.path, tt.key); got != tt.want {
			t.Errorf("joinDisplay(%q, %q) = %s, want %s", tt.path, tt.key, got, tt.want)
		}
	}
}
