package cli

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// versionLine is what `lswctl version` and `lswctl --version` print: the
// module version and the VCS commit and dirty flag that the Go toolchain
// recorded in the binary, so two binaries can be told apart in CI logs.
func versionLine(info *debug.BuildInfo, ok bool) string {
	v := Version
	var rev, dirty string
	if ok {
		if mv := info.Main.Version; mv != "" && mv != "(devel)" {
			v = strings.TrimPrefix(mv, "v")
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value
			}
		}
	}
	line := "lswctl " + v
	if rev != "" {
		line += " commit " + rev
		if dirty == "true" {
			line += " (dirty)"
		}
	}
	return line + " (" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
}

func printVersion(env *Env) error {
	info, ok := debug.ReadBuildInfo()
	printf(env.Stdout, "%s", versionLine(info, ok))
	return nil
}
