package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestAliasExpansionIsBounded checks that nested aliases cannot expand a
// small file into an enormous document.
func TestAliasExpansionIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: lswctl/v1\nsettings:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 7; i++ {
		p := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&b, "  a%d: &a%d [%s]\n", i, i, strings.Repeat(p+", ", 9)+p)
	}
	dir := writeFiles(t, map[string]string{"a.yaml": b.String()})
	_, err := Load([]string{"a.yaml"}, Options{Cwd: dir})
	if got := formatErr(err, dir); !strings.Contains(got, "document is too large after expanding aliases (more than 200000 values)") {
		t.Errorf("errors do not mention the expansion limit:\n%.2000s", got)
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
