package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/lswctl/lswctl/internal/engine"
	"github.com/lswctl/lswctl/internal/plan"
	"github.com/lswctl/lswctl/internal/render"
)

func newApplyCmd(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "apply",
		Usage:     "plan, confirm, and carry out the changes",
		UsageText: "lswctl apply [-f PATH]... [--auto-approve] [--parallelism N] [--target ADDR]... [--replace ADDR]... [--allow-deletes N] [PLANFILE]",
		Description: "Without PLANFILE, apply plans, shows the plan and asks for 'yes' on a terminal; without a\n" +
			"terminal it refuses unless --auto-approve. With PLANFILE (from plan -o) it applies exactly that\n" +
			"plan, without asking, after checking that the configuration, its secrets and every object the\n" +
			"plan touches are unchanged since planning. Exit status 0 when every step succeeded, 1 otherwise.\n\n" +
			examples("lswctl apply --sandbox -f examples/quickstart --auto-approve",
				"lswctl apply plan.json",
				"lswctl apply --parallelism 4 --target 'instance.web-*'"),
		Flags: []ucli.Flag{
			configFlag(),
			&ucli.BoolFlag{Name: "auto-approve", Usage: "apply without asking"},
			&ucli.IntFlag{Name: "parallelism", Value: 10, Usage: "maximum concurrent API writes"},
			&ucli.IntFlag{Name: "allow-deletes", Usage: "allow up to N deletions and replacements, above settings.maxDeletes"},
			targetFlag(),
			replaceFlag(),
		},
		Action: func(c *ucli.Context) error {
			if c.Int("parallelism") < 1 {
				return fmt.Errorf("--parallelism %d: must be at least 1", c.Int("parallelism"))
			}
			if c.NArg() > 1 {
				return fmt.Errorf("apply takes at most one PLANFILE, got %d arguments", c.NArg())
			}
			if err := checkAllowDeletes(c.Int("allow-deletes")); err != nil {
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
			o := engine.ApplyOptions{Parallelism: c.Int("parallelism"), AllowDeletes: c.Int("allow-deletes")}
			if c.NArg() == 1 {
				if len(s.opts.Replace)+len(s.opts.Targets) > 0 {
					return errors.New("--target and --replace shape a new plan: they cannot be used with a saved PLANFILE")
				}
				return runSavedApply(c.Context, s, o, c.Args().First())
			}
			return runApply(c.Context, s, o, c.Bool("auto-approve"))
		},
	}
}

func runApply(ctx context.Context, s *session, o engine.ApplyOptions, autoApprove bool) error {
	e, p, err := s.plan(ctx)
	if err != nil {
		return err
	}
	if err := render.Text(s.env.Stdout, p, s.out); err != nil {
		return err
	}
	if !p.CanApply() {
		return nil
	}
	if !autoApprove {
		if err := confirm(s.env); err != nil {
			return err
		}
	}
	return carryOut(ctx, s, e, p, o)
}

// runSavedApply applies a saved plan after checking it is not stale.
func runSavedApply(ctx context.Context, s *session, o engine.ApplyOptions, path string) error {
	p, err := loadPlan(path)
	if err != nil {
		return err
	}
	e, err := s.load()
	if err != nil {
		return err
	}
	if err := e.Verify(ctx, p); err != nil {
		return err
	}
	if err := render.Text(s.env.Stdout, p, s.out); err != nil {
		return err
	}
	if !p.CanApply() {
		return nil
	}
	return carryOut(ctx, s, e, p, o)
}

// carryOut applies a plan with progress and prints the summary.
func carryOut(ctx context.Context, s *session, e *engine.Engine, p *plan.Plan, o engine.ApplyOptions) error {
	printf(s.env.Stdout, "\n")
	o.Hook = render.NewProgress(s.env.Stdout, s.out)
	stop := notifyInterrupt(ctx, s.env)
	sum, err := e.Apply(ctx, p, o)
	stop()
	if err != nil {
		return err
	}
	if err := render.Summary(s.env.Stdout, sum, s.out); err != nil {
		return err
	}
	if !sum.OK() {
		return errAlreadyReported
	}
	return nil
}

// confirm asks for "yes" on a terminal, and refuses without one.
func confirm(env *Env) error {
	if !env.IsTerminal(env.Stdin) {
		return errors.New("apply needs confirmation, but stdin is not a terminal: review the plan and re-run with --auto-approve")
	}
	printf(env.Stdout, "\nDo you want to perform these actions? Only 'yes' will be accepted: ")
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("reading confirmation: %w", err)
	}
	if strings.TrimSpace(line) != "yes" {
		return errors.New("apply cancelled: nothing was changed")
	}
	return nil
}

// notifyInterrupt tells the user what a first Ctrl-C does while apply runs.
func notifyInterrupt(ctx context.Context, env *Env) (stop func()) {
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			fmt.Fprintln(env.Stderr, "\nInterrupt received: no new steps will start; waiting for the ones in flight. Press Ctrl-C again to exit now.")
		case <-done:
		}
	}()
	return func() { close(done) }
}
