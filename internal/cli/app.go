package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// globals are the flags every command honours.
type globals struct {
	noColor, debug, sandbox bool
	allowExternalFiles      bool
}

func readGlobals(c *ucli.Context) globals {
	return globals{noColor: c.Bool("no-color"), debug: c.Bool("debug"), sandbox: c.Bool("sandbox"),
		allowExternalFiles: c.Bool("allow-external-files")}
}

func newApp(env *Env) *ucli.App {
	app := &ucli.App{
		Name:  "lswctl",
		Usage: "declarative inventory for Leaseweb infrastructure: validate, plan, apply",
		Description: "lswctl reads the inventory you want from YAML, reads live state from the Leaseweb APIs,\n" +
			"shows an ordered plan and applies it. Global flags may come before or after the command.",
		Version:         Version,
		HideVersion:     true,
		HideHelp:        true,
		Reader:          env.Stdin,
		Writer:          env.Stdout,
		ErrWriter:       env.Stderr,
		ExitErrHandler:  func(*ucli.Context, error) {},
		HideHelpCommand: true,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "no-color", Usage: "disable colour (also NO_COLOR)"},
			&ucli.BoolFlag{Name: "debug", Usage: "log every API request and response to stderr, credentials and secret values redacted"},
			&ucli.BoolFlag{Name: "sandbox", Usage: "use the built-in Leaseweb emulator (state in .lswctl/sandbox.json); no credentials needed"},
			&ucli.BoolFlag{Name: "allow-external-files", Usage: "let {file: PATH} secrets read outside the repository holding the configuration"},
			&ucli.BoolFlag{Name: "help", Aliases: []string{"h"}, Usage: "show help"},
			&ucli.BoolFlag{Name: "version", Usage: "print lswctl's version (as lswctl version)"},
		},
		Commands: []*ucli.Command{
			newValidateCmd(env),
			newPlanCmd(env),
			newApplyCmd(env),
			newShowCmd(env),
			newDriftCmd(env),
			newSchemaCmd(env),
			newSandboxCmd(env),
			newVersionCmd(env),
		},
		Action: func(c *ucli.Context) error {
			if c.Bool("version") {
				return printVersion(env)
			}
			if c.Args().First() == "help" {
				return showHelpFor(c, c.Args().Tail())
			}
			if c.Args().Present() {
				return fmt.Errorf("unknown command %q (see lswctl --help)", c.Args().First())
			}
			return ucli.ShowAppHelp(c)
		},
		OnUsageError: func(_ *ucli.Context, err error, _ bool) error {
			return fmt.Errorf("%v (see lswctl --help)", err)
		},
	}
	shortUsageErrors(app.Commands, "lswctl")
	return app
}

// shortUsageErrors makes a flag error on any command one line on stderr
// naming where help is, instead of urfave/cli's default of the whole help
// on stdout (which would land in `plan --fromat x > plan.md`).
func shortUsageErrors(cmds []*ucli.Command, parent string) {
	for _, cmd := range cmds {
		path := parent + " " + cmd.Name
		cmd.OnUsageError = func(_ *ucli.Context, err error, _ bool) error {
			return fmt.Errorf("%v (see %s --help)", err, path)
		}
		if len(cmd.Subcommands) == 0 && cmd.Before == nil {
			max := positionalArgs[cmd.Name]
			cmd.Before = func(c *ucli.Context) error {
				if n := c.Args().Len(); n > max {
					return fmt.Errorf("unexpected argument %q (see %s --help)", c.Args().Get(max), path)
				}
				return nil
			}
		}
		shortUsageErrors(cmd.Subcommands, path)
	}
}

// positionalArgs is how many arguments each command takes (PLANFILE);
// any more is a usage error, not silently ignored.
var positionalArgs = map[string]int{"apply": 1, "show": 1}

// showHelpFor is `lswctl help [COMMAND]`.
func showHelpFor(c *ucli.Context, args []string) error {
	if len(args) == 0 {
		return ucli.ShowAppHelp(c)
	}
	if c.App.Command(args[0]) == nil {
		return fmt.Errorf("unknown command %q (see lswctl --help)", args[0])
	}
	return ucli.ShowCommandHelp(c, args[0])
}

// examples formats the Examples: section of a command's help.
func examples(lines ...string) string {
	return "Examples:\n   " + strings.Join(lines, "\n   ")
}

// configFlag is -f, shared by the commands that read configuration.
func configFlag() *ucli.StringSliceFlag {
	return &ucli.StringSliceFlag{
		Name:    "file",
		Aliases: []string{"f"},
		Usage:   "configuration file or directory (every *.yaml/*.yml in it); repeatable",
		Value:   ucli.NewStringSlice("lswctl.yaml"),
	}
}
