package engine

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/lswctl/lswctl/internal/config"
	"github.com/lswctl/lswctl/internal/diag"
	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/drift"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
	"github.com/lswctl/lswctl/internal/providers"
)

// checkConcurrency bounds concurrent plan-time checks.
const checkConcurrency = 8

// Plan reads live state and computes the plan. It never writes. Problems
// tied to the configuration (duplicates, protection, checks the API would
// fail) come back as a diag.List.
func (e *Engine) Plan(ctx context.Context) (*plan.Plan, error) {
	p, err := e.compute(ctx)
	if err != nil {
		return nil, err
	}
	if err := e.check(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// compute reads live state and builds the plan, without the plan-time
// checks of what the API would accept.
func (e *Engine) compute(ctx context.Context) (*plan.Plan, error) {
	if err := e.connect(); err != nil {
		return nil, err
	}
	live, err := e.readLive(ctx)
	if err != nil {
		return nil, err
	}
	pairs, ignored, problems := diff.Match(e.desired, live, e.schemas)
	if len(problems) > 0 {
		return nil, e.problems(problems)
	}
	e.liveIDs = liveIDs(pairs)
	if e.opts.Replace != nil {
		if e.replace, err = plan.Replacements(e.opts.Replace, replaceable(pairs)); err != nil {
			return nil, err
		}
	}
	e.compare(pairs)
	p, problems := plan.Build(plan.Input{
		Pairs:      pairs,
		Ignored:    ignored,
		Schemas:    e.schemas,
		Prune:      e.pruned(),
		ChildLists: e.childLists,
		Replace:    e.replace,
		MaxDeletes: e.cfg.Settings.MaxDeletes,
	})
	if len(problems) > 0 {
		return nil, e.problems(problems)
	}
	if err := e.target(p, pairs); err != nil {
		return nil, err
	}
	warnPins(p, pairs)
	p.Version, p.ConfigDigest = e.opts.Version, e.cfg.Digest
	p.Replace = addrStrings(e.replace) // Verify makes a saved plan again with them
	p.KnownIDs = e.referencedIDs(p)
	nameRefs(p, e.liveIDs, e.schemas)
	p.GitCommit = gitCommit(ctx, e.configDir())
	return p, nil
}

// liveIDs maps addresses to live ids. A live object the configuration does
// not declare can share its address with a declared one of another key (the
// target group web in the region the tier moved away from): a reference
// names the declared one, so only its live id counts, if it has one.
func liveIDs(pairs []diff.Pair) map[model.Address]string {
	out := map[model.Address]string{}
	declared := map[model.Address]bool{}
	for _, p := range pairs {
		if p.Desired != nil {
			declared[p.Addr] = true
		}
	}
	for _, p := range pairs {
		if p.Live != nil && (p.Desired != nil || !declared[p.Addr]) {
			out[p.Addr] = p.Live.ID
		}
	}
	return out
}

// compare diffs every pair with references resolved to live ids, except
// references to objects whose id will change: those still to be created,
// and those to be replaced. Replacing one object can force replacing those
// bound to it (a listener of a replaced load balancer), so this repeats
// until no new replacement appears.
func (e *Engine) compare(pairs []diff.Pair) {
	changing := map[model.Address]bool{}
	for _, a := range e.replace {
		changing[a] = true
	}
	for _, p := range pairs {
		if p.Live == nil {
			changing[p.Addr] = true
		}
	}
	resolve := func(r model.Ref) (string, bool) {
		if changing[r.To] {
			return "", false
		}
		id, ok := e.liveIDs[r.To]
		return id, ok
	}
	for {
		diff.Compare(pairs, diff.Options{Schemas: e.schemas, Resolve: resolve})
		grew := false
		for i := range pairs {
			if !changing[pairs[i].Addr] && len(pairs[i].Replacing()) > 0 {
				changing[pairs[i].Addr], grew = true, true
			}
		}
		if !grew {
			return
		}
	}
}

// target limits the plan to --target patterns and what they depend on:
// the objects their declarations reference, and their parents.
func (e *Engine) target(p *plan.Plan, pairs []diff.Pair) error {
	if len(e.opts.Targets) == 0 {
		return nil
	}
	objects := make([]plan.Object, 0, len(pairs))
	for _, pr := range pairs {
		o := plan.Object{Addr: pr.Addr}
		switch {
		case pr.Desired != nil:
			o.Parent = pr.Desired.Parent
			for _, r := range model.Refs(pr.Desired.Attrs) {
				if r.Named() {
					o.Refs = append(o.Refs, r.To)
				}
			}
		case pr.Live != nil:
			o.Parent = pr.Live.Parent
		}
		objects = append(objects, o)
	}
	return plan.Target(p, e.opts.Targets, objects)
}

// replaceable lists the objects --replace can replace: declared, present
// and live.
func replaceable(pairs []diff.Pair) []model.Address {
	var out []model.Address
	for _, p := range pairs {
		if p.Desired != nil && p.Live != nil && p.Desired.Ensure != model.Absent {
			out = append(out, p.Addr)
		}
	}
	return out
}

// referencedIDs collects the live ids of the objects the steps reference.
func (e *Engine) referencedIDs(p *plan.Plan) map[model.Address]string {
	out := map[model.Address]string{}
	for _, s := range p.Steps {
		for _, r := range model.Refs(s.After) {
			if id, ok := e.liveIDs[r.To]; ok && r.Named() {
				out[r.To] = id
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (e *Engine) pruned() map[string]bool {
	m := map[string]bool{}
	for _, plural := range e.cfg.Settings.Prune {
		if k, ok := config.KindOf(plural); ok {
			m[k] = true
		}
	}
	return m
}

func (e *Engine) problems(ps []*diff.Problem) error {
	var l diag.List
	for _, p := range ps {
		l.Add(e.problem(p.Addr, "", p.Msg))
	}
	return l.Err()
}

// check runs the kinds' plan-time checks on every step, concurrently, and
// reports every finding at the line it concerns. The kinds' warnings join
// the plan's, in step order. A half (a deposed delete, a release) is checked
// as part of its step.
func (e *Engine) check(ctx context.Context, p *plan.Plan) error {
	var (
		g        errgroup.Group
		errs     = make([]error, len(p.Steps))
		warnings = make([][]string, len(p.Steps))
	)
	g.SetLimit(checkConcurrency)
	for i := range p.Steps {
		s := &p.Steps[i]
		action := checkAction(s)
		if action == "" {
			continue
		}
		g.Go(func() error {
			op := opOf(s, s.After)
			if w, ok := e.kinds[s.Addr.Kind].(providers.Warner); ok {
				warnings[i] = w.Warn(ctx, action, op)
			}
			if c, ok := e.kinds[s.Addr.Kind].(providers.Checker); ok {
				errs[i] = checkStep(ctx, c, action, op)
			}
			return nil
		})
	}
	_ = g.Wait()
	var l diag.List
	for i, err := range errs {
		for _, w := range warnings[i] {
			p.Warnings = append(p.Warnings, p.Steps[i].Addr.String()+": "+w)
		}
		if err == nil {
			continue
		}
		var fe *providers.FieldError
		if errors.As(err, &fe) {
			l.Add(e.problem(p.Steps[i].Addr, fe.Path, fe.Msg))
			continue
		}
		return fmt.Errorf("checking %s: %w", p.Steps[i].Addr, err)
	}
	return l.Err()
}

// checkAction names a step's action for Checker and Warner; "" for a half.
func checkAction(s *plan.Step) string {
	switch {
	case s.Deposed:
		return ""
	case s.Action.IsReplace():
		return "replace"
	case s.Action == plan.Create, s.Action == plan.Update, s.Action == plan.Delete:
		return string(s.Action)
	}
	return ""
}

// checkStep checks one step; a replacement is checked as a replacement and
// as the create of the new object.
func checkStep(ctx context.Context, c providers.Checker, action string, op providers.Op) error {
	if err := c.Check(ctx, action, op); err != nil || action != "replace" {
		return err
	}
	return c.Check(ctx, "create", op)
}

// opOf builds the provider's view of a step.
func opOf(s *plan.Step, after model.Object) providers.Op {
	changed := make([]string, len(s.Changes))
	for i, c := range s.Changes {
		changed[i] = c.Path
	}
	return providers.Op{Addr: s.Addr, ID: s.ID, Before: s.Before, After: after, Changed: changed}
}

// Drift compares live state with the configuration without proposing an
// apply: the plan is computed and classified, never applied or checked — a
// difference is drift even when apply could not undo it.
func (e *Engine) Drift(ctx context.Context) (*drift.Report, error) {
	p, err := e.compute(ctx)
	if err != nil {
		return nil, err
	}
	watched := map[string]bool{}
	for _, plural := range e.cfg.Settings.Watch {
		if k, ok := config.KindOf(plural); ok {
			watched[k] = true
		}
	}
	return drift.FromPlan(p, watched), nil
}
