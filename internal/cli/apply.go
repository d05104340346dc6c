package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

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
			"terminal it refuses unless --auto-approve. With PLANFILE (from plan -o) it makes the plan again\n" +
			"from the configuration and live state and applies it, without asking, only when it equals the\n" +
			"file; it refuses, naming each, any secret, object or step that changed since planning. Exit\n" +
			"status 0 when every step succeeded, 1 otherwise.\n\n" +
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
		if err := confirm(ctx, s.env); err != nil {
			return err
		}
		// The answer can take minutes: check, as for a saved plan, that
		// nothing the plan touches moved while the prompt waited.
		if p, err = e.Verify(ctx, p); err != nil {
			return err
		}
	}
	return carryOut(ctx, s, e, p, o)
}

// runSavedApply applies a saved plan: the plan made again now, once it is
// proven equal to the file's (engine.Verify); never the file's own steps.
func runSavedApply(ctx context.Context, s *session, o engine.ApplyOptions, path string) error {
	saved, err := loadPlan(path)
	if err != nil {
		return err
	}
	e, err := s.load()
	if err != nil {
		return err
	}
	p, err := e.Verify(ctx, saved)
	if err != nil {
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

// carryOut applies a plan with progress and prints the summary. An
// interrupted apply always exits 1 (Summary.OK is false).
func carryOut(ctx context.Context, s *session, e *engine.Engine, p *plan.Plan, o engine.ApplyOptions) error {
	printf(s.env.Stdout, "\n")
	o.Hook = render.NewProgress(s.env.Stdout, s.out)
	stop := notifyInterrupt(ctx, s.env)
	sum, err := e.Apply(ctx, p, o)
	stop(err == nil && sum.Interrupted)
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

// confirm asks for "yes" on a terminal, and refuses without one. Ctrl-C at
// the prompt aborts at once, as in Terraform: the pending read of stdin is
// abandoned (its goroutine ends with the process or when stdin closes).
func confirm(ctx context.Context, env *Env) error {
	if !env.IsTerminal(env.Stdin) {
		return errors.New("apply needs confirmation, but stdin is not a terminal: review the plan and re-run with --auto-approve")
	}
	interrupted := errors.New("apply cancelled by an interrupt at the confirmation prompt: nothing was changed")
	if ctx.Err() != nil {
		return interrupted
	}
	printf(env.Stderr, "\nDo you want to perform these actions? Only 'yes' will be accepted: ")
	type answer struct {
		line string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		got <- answer{line, err}
	}()
	var a answer
	select {
	case <-ctx.Done():
		printf(env.Stderr, "\n")
		return interrupted
	case a = <-got:
	}
	switch {
	case ctx.Err() != nil: // an answer and Ctrl-C together: Ctrl-C wins
		return interrupted
	case a.err != nil && a.line == "":
		return fmt.Errorf("reading confirmation: %w", a.err)
	case strings.TrimSpace(a.line) != "yes":
		return errors.New("apply cancelled: nothing was changed")
	}
	return nil
}

// interruptMessage is what the first Ctrl-C during apply prints.
const interruptMessage = "\nInterrupt received: steps not yet started are cancelled; waiting for the ones in flight to finish. Press Ctrl-C again to exit now."

// notifyInterrupt tells the user what a first Ctrl-C does while apply runs.
// stop ends the watch; interrupted says whether the walk saw the interrupt,
// so the message is printed exactly once whenever the summary will say
// "interrupted", even if the watcher had no time to run.
func notifyInterrupt(ctx context.Context, env *Env) (stop func(interrupted bool)) {
	var once sync.Once
	say := func() { once.Do(func() { fmt.Fprintln(env.Stderr, interruptMessage) }) }
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-ctx.Done():
			say()
		case <-done:
		}
	}()
	return func(interrupted bool) {
		close(done)
		<-finished
		if interrupted {
			say()
		}
	}
}
