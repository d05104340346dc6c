package cli

import (
	ucli "github.com/urfave/cli/v2"

	"github.com/lswctl/lswctl/schema"
)

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
			printf(env.Stdout, "The configuration is valid: %d objects in %d files.\n", len(e.Declared()), len(e.Config().Files))
			return nil
		},
	}
}

func newPlanCmd(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "plan",
		Usage:     "show what apply would change; writes nothing",
		UsageText: "lswctl plan [-f PATH]... [-o PLANFILE] [--format text|json|markdown] [--detailed-exitcode] [--target ADDR]... [--replace ADDR]...",
		Description: "Exit status 0 on success; with --detailed-exitcode, 0 means no changes and 2 means changes\n" +
			"are pending. 1 is an error.\n\n" +
			examples("lswctl plan --sandbox -f examples/quickstart",
				"lswctl plan -o plan.json --format markdown > plan.md   # a saved plan and a PR comment",
				"lswctl plan --target 'instance.web-*'",
				"lswctl plan --replace instance.web-1"),
		Flags: []ucli.Flag{
			configFlag(),
			&ucli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "save the plan to `PLANFILE`, for lswctl apply PLANFILE"},
			formatFlag(),
			&ucli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 2 when the plan has changes"},
			targetFlag(),
			replaceFlag(),
		},
		Action: func(c *ucli.Context) error {
			format, err := checkFormat(c)
			if err != nil {
				return err
			}
			if err := checkAddressFlags(c.StringSlice("target"), c.StringSlice("replace")); err != nil {
				return err
			}
			s, err := newSession(c, env, c.StringSlice("file"))
			if err != nil {
				return err
			}
			defer s.Close()
			s.opts.Replace, s.opts.Targets = c.StringSlice("replace"), c.StringSlice("target")
			_, p, err := s.plan(c.Context)
			if err != nil {
				return err
			}
			if out := c.String("out"); out != "" {
				if err := savePlan(out, p, env.redactor); err != nil {
					return err
				}
			}
			if err := renderPlan(env.Stdout, p, format, s.out); err != nil {
				return err
			}
			if out := c.String("out"); out != "" {
				// On stderr, so a --format json/markdown stdout stays clean.
				printf(env.Stderr, "\nSaved the plan to: %s\n\nTo perform exactly these actions, run:\n    lswctl apply %q\n", out, out)
			}
			if c.Bool("detailed-exitcode") && p.CanApply() {
				return exitCode(ExitChanges)
			}
			return nil
		},
	}
}

func targetFlag() *ucli.StringSliceFlag {
	return &ucli.StringSliceFlag{Name: "target", Usage: "plan only ADDR and what it depends on; globs allowed (instance.web-*); repeatable"}
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
		Description: "Prints the module version and, when the build recorded them, the VCS commit and\n" +
			"whether the tree was modified. lswctl --version prints the same.\n\n" + examples("lswctl version", "lswctl --version"),
		Action: func(*ucli.Context) error { return printVersion(env) },
	}
}
