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
	// ChildLists says which child kinds each declared parent lists
	// authoritatively ("loadBalancer.edge" → ["listener"]). Live children
	// of such a parent that the list does not declare are deleted.
	ChildLists map[model.Address][]string
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
	d := decider{in: in, byAddr: map[model.Address]*diff.Pair{}}
	for i := range in.Pairs {
		d.byAddr[in.Pairs[i].Addr] = &in.Pairs[i]
	}
	for i := range in.Pairs {
		pair := &in.Pairs[i]
		step, fate, prob := d.decide(pair, replace[pair.Addr])
		switch {
		case prob != nil:
			problems = append(problems, prob)
		case fate == unmanaged:
			p.Unmanaged = append(p.Unmanaged, Unmanaged{Addr: pair.Addr, ID: pair.Live.ID})
		case step.Action != NoOp:
			p.Steps = append(p.Steps, step)
			if step.Action.IsReplace() {
				p.Steps = append(p.Steps, deposed(step))
			}
		}
	}
	for _, a := range in.Replace {
		if d.byAddr[a] == nil {
			problems = append(problems, &diff.Problem{Addr: a, Msg: "--replace names an object that is neither declared nor live"})
		}
	}
	for _, r := range in.Ignored {
		p.Ignored = append(p.Ignored, Ignored{Addr: r.Addr, ID: r.ID, Reason: r.Untouchable})
	}
	problems = append(problems, sharedAddresses(p.Steps, in.Schemas)...)
	if len(problems) > 0 {
		return nil, problems
	}
	addEdges(p, in.Schemas)
	ordered, cycle := order(p.Steps)
	if cycle != nil {
		return nil, []*diff.Problem{{Addr: model.Address{}, Msg: "dependency cycle: " + strings.Join(cycle, ", ")}}
	}
	p.Steps = ordered
	p.warnDeletes()
	return p, nil
}

// sharedAddresses reports the steps that share a key: a declared object
// and a pruned live one of another natural key at one address (a target
// group moved to another region). Steps are keyed by address, so they
// cannot be ordered or applied apart.
func sharedAddresses(steps []Step, schemas map[string]model.KindSchema) []*diff.Problem {
	seen := map[string]bool{}
	var out []*diff.Problem
	for _, s := range steps {
		if seen[s.Key()] && s.Action == Delete {
			out = append(out, &diff.Problem{Addr: s.Addr, Msg: fmt.Sprintf(
				"a declared object and a pruned live one of another key (id %s) share this address, which lswctl "+
					"cannot plan yet: leave %s out of settings.prune, or delete the old one outside lswctl", s.ID, schemas[s.Addr.Kind].Plural)})
		}
		seen[s.Key()] = true
	}
	return out
}

// warnDeletes warns when the plan destroys more than settings.maxDeletes
// allows. Plan only warns (a preview never fails for this); apply refuses.
func (p *Plan) warnDeletes() {
	if n := p.Destroying(); n > p.MaxDeletes {
		p.Warnings = append(p.Warnings, fmt.Sprintf(
			"this plan destroys %s, more than settings.maxDeletes (%d): apply will refuse it unless --allow-deletes %d", Objects(n), p.MaxDeletes, n))
	}
}

// deposed is the delete half of a replacement. It carries the declared
// attributes without their references, as a declared delete does: a kind
// may need them to delete (a cancellation reason), and references may name
// objects that do not exist yet when it runs.
func deposed(s Step) Step {
	return Step{Addr: s.Addr, Action: Delete, ID: s.ID, Before: s.Before, After: withoutRefs(s.After),
		Fingerprint: s.Fingerprint, Reason: "replaced by a new object", Deposed: true}
}

// withoutRefs copies attrs without the references in it, at any depth.
func withoutRefs(attrs model.Object) model.Object {
	var strip func(v any) (any, bool)
	strip = func(v any) (any, bool) {
		switch t := v.(type) {
		case model.Ref:
			return nil, false
		case map[string]any:
			m := make(map[string]any, len(t))
			for k, x := range t {
				if y, ok := strip(x); ok {
					m[k] = y
				}
			}
			return m, true
		case []any:
			l := make([]any, 0, len(t))
			for _, x := range t {
				if y, ok := strip(x); ok {
					l = append(l, y)
				}
			}
			return l, true
		}
		return v, true
	}
	if attrs == nil {
		return nil
	}
	out, _ := strip(attrs)
	return out.(map[string]any)
}

// fate says what becomes of a pair besides its step.
type fate int

const (
	planned fate = iota
	unmanaged
)

type decider struct {
	in     Input
	byAddr map[model.Address]*diff.Pair
}

// decide picks the action for one pair.
func (d *decider) decide(pair *diff.Pair, forceReplace bool) (Step, fate, *diff.Problem) {
	want, live := pair.Desired, pair.Live
	step := Step{Addr: pair.Addr}
	if live != nil {
		step.ID, step.Before, step.Fingerprint = live.ID, live.Attrs, live.Fingerprint
	}
	switch {
	case want == nil && live.Parent != (model.Address{}):
		return d.decideOrphan(pair, step)
	case want == nil && !d.in.Prune[pair.Addr.Kind]:
		return step, unmanaged, nil
	case want == nil:
		step.Action = Delete
		step.Reason = fmt.Sprintf("not in the configuration, and settings.prune lists %s", d.in.Schemas[pair.Addr.Kind].Plural)
		return step, planned, nil
	case live == nil && want.Ensure == model.Absent:
		step.Action = NoOp
		return step, planned, nil
	case live == nil:
		step.Action, step.After = Create, model.CloneObject(want.Attrs)
		return step, planned, nil
	case want.Ensure == model.Absent:
		// A declared delete keeps its declared attributes: a provider may
		// need them to delete (a cancellation reason, say).
		step.Action, step.Reason, step.After = Delete, "ensure: absent", model.CloneObject(want.Attrs)
		if want.Protect {
			return step, planned, protected(pair, "delete")
		}
		return step, planned, nil
	}
	return d.decideChange(pair, forceReplace, step)
}

// decideOrphan handles a live child the configuration does not declare:
// deleted when its parent goes or lists its children authoritatively,
// otherwise part of an unmanaged parent and not reported on its own.
func (d *decider) decideOrphan(pair *diff.Pair, step Step) (Step, fate, *diff.Problem) {
	parent := d.byAddr[pair.Live.Parent]
	kind := pair.Addr.Kind
	switch {
	case parent == nil:
		step.Action = NoOp
	case parent.Desired == nil && d.in.Prune[pair.Live.Parent.Kind]:
		step.Action, step.Reason = Delete, "its "+pair.Live.Parent.String()+" is pruned"
	case parent.Desired == nil:
		step.Action = NoOp
	case parent.Desired.Ensure == model.Absent:
		step.Action, step.Reason = Delete, "its "+pair.Live.Parent.String()+" is deleted"
	case listsChildren(d.in.ChildLists[parent.Addr], kind):
		step.Action, step.Reason = Delete, "not in the "+kind+"s of "+parent.Addr.String()
	default:
		step.Action = NoOp
	}
	return step, planned, nil
}

func listsChildren(kinds []string, kind string) bool {
	for _, k := range kinds {
		if k == kind {
			return true
		}
	}
	return false
}

func (d *decider) decideChange(pair *diff.Pair, forceReplace bool, step Step) (Step, fate, *diff.Problem) {
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
		return step, planned, nil
	default:
		step.Action = NoOp
		return step, planned, nil
	}
	// The new object is made from the configuration alone: live fields of
	// the old one (a health check method of an HTTP check, say) may not
	// suit it.
	step.After = model.CloneObject(pair.Desired.Attrs)
	step.Action = DeleteThenCreate
	if d.in.Schemas[pair.Addr.Kind].CreateBeforeDestroy {
		step.Action = CreateThenDelete
	}
	if pair.Desired.Protect {
		return step, planned, protected(pair, "replace")
	}
	return step, planned, nil
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

// Objects counts objects in words, singular for one: "1 object", "2 objects".
func Objects(n int) string {
	if n == 1 {
		return "1 object"
	}
	return fmt.Sprintf("%d objects", n)
}
