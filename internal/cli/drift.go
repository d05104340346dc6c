package cli

import (
	ucli "github.com/urfave/cli/v2"

	"github.com/lswctl/lswctl/internal/render"
)

func newDriftCmd(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "drift",
		Usage:     "compare live state with the configuration; changes nothing",
		UsageText: "lswctl drift [-f PATH]... [--format text|json|markdown]",
		Description: "Classifies every difference as modified (a managed field differs), missing (declared, not\n" +
			"live) or unmanaged (live, not declared, in a kind under settings.prune or settings.watch).\n" +
			"Exit status 0 in sync, 2 on drift, 1 on error — made for cron.\n\n" +
			examples("lswctl drift", "lswctl drift --format markdown > drift.md || test $? -eq 2"),
		Flags: []ucli.Flag{configFlag(), formatFlag()},
		Action: func(c *ucli.Context) error {
			format, err := checkFormat(c)
			if err != nil {
				return err
			}
			s, err := newSession(c, env, c.StringSlice("file"))
			if err != nil {
				return err
			}
			defer s.Close()
			e, err := s.load()
			if err != nil {
				return err
			}
			r, err := e.Drift(c.Context)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				err = render.DriftJSON(env.Stdout, r)
			case "markdown":
				err = render.DriftMarkdown(env.Stdout, r, render.MarkdownLimit)
			default:
				err = render.DriftText(env.Stdout, r, s.out)
			}
			if err == nil && !r.InSync() {
				return exitCode(ExitChanges)
			}
			return err
		},
	}
}
