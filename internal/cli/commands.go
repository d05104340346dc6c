package cli

import (
	"fmt"
	"runtime"

	ucli "github.com/urfave/cli/v2"

	"github.com/lswctl/lswctl/internal/plan"
	"github.com/lswctl/lswctl/internal/render"
	"github.com/lswctl/lswctl/schema"
)

type planResult struct {
	plan *plan.Plan
}

func newValidateCmd(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "validate",
		Usage:     "check the configuration against the schema and its own references; contacts nothing",
		UsageText: "lswctl validate [-f PATH]...",
		Description: "Exit status 0 when valid, 1 with every error printed as ./file:line:col: path: message.\n\n" +
			examples("lswctl validate", "lswctl validate -f inventory/"),
		Flags: []ucli.Flag{configFlag()},
		Action: func(c *ucli.Context) error {
			s, err := newSession(c, env, c.StringSlice("file"))
			if err != nil {
				return err
			}
			defer s.Close()
			e, err := s.load()
			if err != nil {
				return err
			}
			cfg := e.Config()
			printf(env.Stdout, "The configuration is valid: %d objects in %d files.\n", len(cfg.Resources), len(cfg.Files))
			return nil
		},
	}
}

func newPlanCmd(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "plan",
		Usage:     "show what apply would change; writes nothing",
		UsageText: "lswctl plan [-f PATH]... [--format text|json] [--detailed-exitcode] [--replace ADDR]...",
		Description: "Exit status 0 on success; with --detailed-exitcode, 0 means no changes and 2 means changes\n" +
			"are pending. 1 is an error.\n\n" +
			examples("lswctl plan --sandbox -f examples/quickstart",
				"lswctl plan --format json > plan.json",
				"lswctl plan --replace instance.web-1"),
		Flags: []ucli.Flag{
			configFlag(),
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "output format: text or json"},
			&ucli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 2 when the plan has changes"},
			replaceFlag(),
		},
		Action: func(c *ucli.Context) error {
			format := c.String("format")
			if format != "text" && format != "json" {
				return fmt.Errorf("--format %q: want text or json", format)
			}
			s, err := newSession(c, env, c.StringSlice("file"))
			if err != nil {
				return err
			}
			defer s.Close()
			s.opts.Replace = c.StringSlice("replace")
			_, res, err := s.plan(c.Context)
			if err != nil {
				return err
			}
			if format == "json" {
				err = render.JSON(env.Stdout, res.plan)
			} else {
				err = render.Text(env.Stdout, res.plan, s.out)
			}
			if err == nil && c.Bool("detailed-exitcode") && res.plan.CanApply() {
				return exitCode(ExitChanges)
			}
			return err
		},
	}
}

func replaceFlag() *ucli.StringSliceFlag {
	return &ucli.StringSliceFlag{Name: "replace", Usage: "force replacement of ADDR (for example instance.web-1); repeatable"}
}

func newSchemaCmd(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:        "schema",
		Usage:       "print the configuration's JSON Schema (for editors: yaml-language-server)",
		Description: examples("lswctl schema > lswctl.schema.json"),
		Action: func(*ucli.Context) error {
			_, err := env.Stdout.Write(schema.JSON())
			return err
		},
	}
}

func newVersionCmd(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "version",
		Usage: "print lswctl's version",
		Action: func(*ucli.Context) error {
			printf(env.Stdout, "lswctl %s (%s %s/%s)\n", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
