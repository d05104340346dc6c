package engine

import (
	"context"
	"fmt"

	"github.com/lswctl/lswctl/internal/apply"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
	"github.com/lswctl/lswctl/internal/providers"
)

// ApplyOptions tune Apply.
type ApplyOptions struct {
	Parallelism int
	Hook        apply.Hook
	// AllowDeletes raises settings.maxDeletes for this run (--allow-deletes).
	AllowDeletes int
}

// Apply carries out a plan made by Plan. It refuses a plan that destroys
// more objects than settings.maxDeletes allows, before any write.
func (e *Engine) Apply(ctx context.Context, p *plan.Plan, o ApplyOptions) (*apply.Summary, error) {
	if n := p.Destroying(); n > p.MaxDeletes && n > o.AllowDeletes {
		return nil, fmt.Errorf("refusing to apply: the plan destroys %s and settings.maxDeletes is %d; "+
			"re-run with --allow-deletes %d if that is what you want", plan.Objects(n), p.MaxDeletes, n)
	}
	if err := e.connect(); err != nil {
		return nil, err
	}
	return apply.Run(ctx, p, executor{kinds: e.kinds, locate: e.locate}, apply.Options{
		Parallelism: o.Parallelism,
		Hook:        o.Hook,
		KnownIDs:    p.KnownIDs,
	}), nil
}

// executor turns plan actions into provider calls.
type executor struct {
	kinds map[string]providers.Kind
	// locate adds to an API refusal the declared positions of the
	// attributes it names; nil leaves errors as they are.
	locate func(model.Address, error) error
}

func (x executor) Execute(ctx context.Context, s *plan.Step, env apply.Env) (string, error) {
	id, err := x.execute(ctx, s, env)
	if err != nil && x.locate != nil {
		err = x.locate(s.Addr, err)
	}
	return id, err
}

func (x executor) execute(ctx context.Context, s *plan.Step, env apply.Env) (string, error) {
	k, ok := x.kinds[s.Addr.Kind]
	if !ok {
		return "", fmt.Errorf("no provider for kind %s", s.Addr.Kind)
	}
	after, err := resolveRefs(s.After, env)
	if err != nil {
		return "", err
	}
	op := opOf(s, after)
	gate := providers.Gate(env.Write)
	switch s.Action {
	case plan.Create:
		return k.Create(ctx, gate, op)
	case plan.Update:
		return s.ID, k.Update(ctx, gate, op)
	case plan.Delete:
		return s.ID, k.Delete(ctx, gate, op)
	case plan.DeleteThenCreate, plan.CreateThenDelete:
		// Only the create half: the plan's deposed step deletes the old
		// object, before this step or after it as the action says, once
		// everything that pointed at it has let go.
		op.ID = ""
		return k.Create(ctx, gate, op)
	}
	return s.ID, nil
}

// resolveRefs replaces every reference in attrs with the referenced
// object's id, now that the steps it depends on have run.
func resolveRefs(attrs model.Object, env apply.Env) (model.Object, error) {
	if attrs == nil {
		return nil, nil
	}
	var missing error
	var walk func(v any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case model.Ref:
			id, ok := env.ID(t.To)
			if !ok {
				missing = fmt.Errorf("%s has no id: it was not created", t.To)
			}
			return id
		case map[string]any:
			m := make(map[string]any, len(t))
			for k, x := range t {
				m[k] = walk(x)
			}
			return m
		case []any:
			l := make([]any, len(t))
			for i, x := range t {
				l[i] = walk(x)
			}
			return l
		}
		return v
	}
	out := walk(attrs).(map[string]any)
	return out, missing
}
