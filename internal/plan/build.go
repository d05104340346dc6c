package plan

import (
	"fmt"
	"strings"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
)

// Input is what Build decides from.
type Input struct {
	Pairs   []diff.Pair
	Ignored []model.Resource
	Schemas map[string]model.KindSchema
	// Prune lists the singular kinds whose undeclared live objects are
	// deleted.
	Prune map[string]bool
	// Replace forces replacement of these addresses (--replace).
	Replace    []model.Address
	MaxDeletes int
}

// Build turns compared pairs into a plan. Problems — a protected object the
// plan would destroy, a --replace naming nothing, a dependency cycle — are
// returned together; the plan is nil when there are any.
func Build(in Input) (*Plan, []*diff.Problem) {
	p := &Plan{FormatVersion: FormatVersion, MaxDeletes: in.MaxDeletes, Steps: []Step{}}
	var problems []*diff.Problem
	replace := map[model.Address]bool{}
	for _, a := range in.Replace {
		replace[a] = true
	}
	seen := map[model.Address]bool{}
	for i := range in.Pairs {
		pair := &in.Pairs[i]
		seen[pair.Addr] = true
		step, unmanaged, prob := decide(pair, in, replace[pair.Addr])
		if prob != nil {
			problems = append(problems, prob)
			continue
		}
		if unmanaged {
			p.Unmanaged = append(p.Unmanaged, Unmanaged{Addr: pair.Addr, ID: pair.Live.ID})
			continue
		}
		if step.Action != NoOp {
			p.Steps = append(p.Steps, step)
		}
	}
	for _, a := range in.Replace {
		if !seen[a] {
			problems = append(problems, &diff.Problem{Addr: a, Msg: "--replace names an object that is neither declared nor live"})
		}
	}
	for _, r := range in.Ignored {
		p.Ignored = append(p.Ignored, Ignored{Addr: r.Addr, ID: r.ID, Reason: r.Untouchable})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	addEdges(p)
	ordered, cycle := order(p.Steps)
	if cycle != nil {
		return nil, []*diff.Problem{{Addr: cycle[0], Msg: "dependency cycle: " + joinAddrs(cycle)}}
	}
	p.Steps = ordered
	if n := p.Destroying(); n > in.MaxDeletes {
		p.Warnings = append(p.Warnings, fmt.Sprintf(
			"this plan destroys %d objects, more than settings.maxDeletes (%d): apply will refuse it unless --allow-deletes %d", n, in.MaxDeletes, n))
	}
	return p, nil
}

// decide picks the action for one pair.
func decide(pair *diff.Pair, in Input, forceReplace bool) (Step, bool, *diff.Problem) {
	d, l := pair.Desired, pair.Live
	step := Step{Addr: pair.Addr}
	if l != nil {
		step.ID, step.Before, step.Fingerprint = l.ID, l.Attrs, l.Fingerprint
	}
	switch {
	case d == nil && !in.Prune[pair.Addr.Kind]:
		return step, true, nil
	case d == nil:
		step.Action = Delete
		step.Reason = fmt.Sprintf("not in the configuration, and settings.prune lists %s", in.Schemas[pair.Addr.Kind].Plural)
	case l == nil && d.Ensure == model.Absent:
		step.Action = NoOp
	case l == nil:
		step.Action, step.After = Create, model.CloneObject(d.Attrs)
	case d.Ensure == model.Absent:
		step.Action, step.Reason = Delete, "ensure: absent"
	default:
		return decideChange(pair, in, forceReplace, step)
	}
	if step.Action == Delete && d != nil {
		// A declared delete keeps its declared attributes: a provider may
		// need them to delete (a cancellation reason, say).
		step.After = model.CloneObject(d.Attrs)
		if d.Protect {
			return step, false, protected(pair, "delete")
		}
	}
	return step, false, nil
}

func decideChange(pair *diff.Pair, in Input, forceReplace bool, step Step) (Step, bool, *diff.Problem) {
	step.Changes = pair.Changes
	step.After = overlay(pair.Live.Attrs, pair.Desired.Attrs)
	replacing := pair.Replacing()
	switch {
	case forceReplace:
		step.Reason = "replacement requested with --replace"
	case len(replacing) > 0:
		step.Reason = "forces replacement: " + strings.Join(replacing, ", ")
	case len(pair.Changes) > 0:
		step.Action = Update
		return step, false, nil
	default:
		step.Action = NoOp
		return step, false, nil
	}
	step.Action = DeleteThenCreate
	if in.Schemas[pair.Addr.Kind].CreateBeforeDestroy {
		step.Action = CreateThenDelete
	}
	if pair.Desired.Protect {
		return step, false, protected(pair, "replace")
	}
	return step, false, nil
}

func protected(pair *diff.Pair, verb string) *diff.Problem {
	return &diff.Problem{Addr: pair.Addr, Desired: pair.Desired, Msg: fmt.Sprintf(
		"protect: true forbids this plan to %s it (id %s); remove protect: true first if you mean it", verb, pair.Live.ID)}
}

// overlay lays the declared attributes over the live ones: the object as it
// will be after the update.
func overlay(live, desired model.Object) model.Object {
	out := model.CloneObject(live)
	if out == nil {
		out = model.Object{}
	}
	for _, path := range model.Leaves(desired) {
		v, _ := model.Get(desired, path)
		model.Set(out, path, model.Clone(v))
	}
	return out
}

func joinAddrs(as []model.Address) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}
