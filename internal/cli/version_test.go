package cli

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLineReportsModuleCommitAndDirty(t *testing.T) {
	info := &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "true"}}}
	got := versionLine(info, true)
	if !strings.HasPrefix(got, "lswctl 1.2.3 commit abc123 (dirty) (go") {
		t.Errorf("versionLine = %q", got)
	}
	info.Settings[1].Value = "false"
	if got := versionLine(info, true); strings.Contains(got, "dirty") || !strings.Contains(got, "commit abc123") {
		t.Errorf("clean tree: %q", got)
	}
	if got := versionLine(nil, false); !strings.HasPrefix(got, "lswctl "+Version+" (go") {
		t.Errorf("no build info: %q", got)
	}
}

func TestVersionFlagMatchesVersionCommand(t *testing.T) {
	r := newRun(t)
	if code := r.main("version"); code != ExitOK {
		t.Fatalf("version: exit %d", code)
	}
	want := r.stdout.String()
	r2 := newRun(t)
	if code := r2.main("--version"); code != ExitOK {
		t.Fatalf("--version: exit %d: %s", code, r2.stderr.String())
	}
	if r2.stdout.String() != want {
		t.Errorf("--version printed %q, version printed %q", r2.stdout.String(), want)
	}
}

func TestNoColorOnlyWhenNonEmpty(t *testing.T) {
	g := globals{}
	term := func(any) bool { return true }
	for val, want := range map[string]bool{"": true, "1": false} {
		env := &Env{IsTerminal: term, LookupEnv: func(string) (string, bool) { return val, true }}
		if got := colorOn(env, g, nil); got != want {
			t.Errorf("NO_COLOR=%q: colour %v, want %v", val, got, want)
		}
	}
}
