package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
)

var schemas = map[string]model.KindSchema{
	"instance":    {Kind: "instance", Plural: "instances", Immutable: []string{"region"}},
	"targetGroup": {Kind: "targetGroup", Plural: "targetGroups", CreateBeforeDestroy: true},
	"listener":    {Kind: "listener", Plural: "listeners"},
}

func inst(name, id string, attrs model.Object) model.Resource {
	return model.Resource{Addr: model.Address{Kind: "instance", Name: name}, ID: id, Attrs: attrs, Ensure: model.Present}
}

func build(t *testing.T, desired, live []model.Resource, mod func(*Input)) (*Plan, []*diff.Problem) {
	t.Helper()
	pairs, ignored, probs := diff.Compute(desired, live, diff.Options{Schemas: schemas})
	if len(probs) > 0 {
		t.Fatalf("diff problems: %v", probs)
	}
	in := Input{Pairs: pairs, Ignored: ignored, Schemas: schemas, MaxDeletes: 5}
	if mod != nil {
		mod(&in)
	}
	return Build(in)
}

func actions(p *Plan) map[string]Action {
	m := map[string]Action{}
	for _, s := range p.Steps {
		if !s.Deposed {
			m[s.Addr.String()] = s.Action
		}
	}
	return m
}

func TestBuildActions(t *testing.T) {
	absent := inst("gone", "", model.Object{})
	absent.Ensure = model.Absent
	absentLive := inst("old", "", model.Object{})
	absentLive.Ensure = model.Absent
	desired := []model.Resource{
		inst("new", "", model.Object{"region": "eu-west-3"}),
		inst("same", "", model.Object{"type": "a"}),
		inst("resize", "", model.Object{"type": "b"}),
		inst("move", "", model.Object{"region": "us-east-1"}),
		inst("forced", "", model.Object{"type": "a"}),
		absent, absentLive,
	}
	live := []model.Resource{
		inst("same", "1", model.Object{"type": "a"}),
		inst("resize", "2", model.Object{"type": "a", "region": "eu-west-3"}),
		inst("move", "3", model.Object{"region": "eu-west-3"}),
		inst("forced", "4", model.Object{"type": "a"}),
		inst("old", "5", model.Object{}),
		inst("stray", "6", model.Object{}),
	}
	p, probs := build(t, desired, live, func(in *Input) {
		in.Replace = []model.Address{{Kind: "instance", Name: "forced"}}
	})
	if probs != nil {
		t.Fatalf("problems: %v", probs)
	}
	want := map[string]Action{
		"instance.new":    Create,
		"instance.resize": Update,
		"instance.move":   DeleteThenCreate,
		"instance.forced": DeleteThenCreate,
		"instance.old":    Delete,
	}
	if d := cmp.Diff(want, actions(p)); d != "" {
		t.Errorf("actions (-want +got):\n%s", d)
	}
	if got := p.Count(); got != (Counts{Add: 1, Change: 1, Replace: 2, Destroy: 1}) {
		t.Errorf("counts = %+v", got)
	}
	if len(p.Unmanaged) != 1 || p.Unmanaged[0].ID != "6" {
		t.Errorf("unmanaged = %+v", p.Unmanaged)
	}
	move := p.Step(model.Address{Kind: "instance", Name: "move"})
	if move.Reason != "forces replacement: region" {
		t.Errorf("reason = %q", move.Reason)
	}
	resize := p.Step(model.Address{Kind: "instance", Name: "resize"})
	if d := cmp.Diff(model.Object{"type": "b", "region": "eu-west-3"}, resize.After); d != "" {
		t.Errorf("update After keeps live fields (-want +got):\n%s", d)
	}
	if !p.CanApply() {
		t.Error("CanApply = false for a plan with steps")
	}
}

func TestBuildNoChanges(t *testing.T) {
	p, probs := build(t, []model.Resource{inst("a", "", model.Object{"type": "x"})}, []model.Resource{inst("a", "1", model.Object{"type": "x"})}, nil)
	if probs != nil || p.CanApply() || len(p.Steps) != 0 {
		t.Fatalf("want an empty plan, got %+v %v", p, probs)
	}
}

func TestBuildPrune(t *testing.T) {
	live := []model.Resource{inst("stray", "6", nil)}
	p, _ := build(t, nil, live, func(in *Input) { in.Prune = map[string]bool{"instance": true} })
	if got := actions(p)["instance.stray"]; got != Delete {
		t.Fatalf("stray action = %q, want delete", got)
	}
	if !strings.Contains(p.Steps[0].Reason, "settings.prune lists instances") {
		t.Errorf("reason = %q", p.Steps[0].Reason)
	}
}

func TestBuildProtect(t *testing.T) {
	move := inst("db", "", model.Object{"region": "us-east-1"})
	move.Protect = true
	del := inst("keep", "", nil)
	del.Protect, del.Ensure = true, model.Absent
	live := []model.Resource{inst("db", "1", model.Object{"region": "eu-west-3"}), inst("keep", "2", nil)}
	p, probs := build(t, []model.Resource{move, del}, live, nil)
	if p != nil || len(probs) != 2 {
		t.Fatalf("want 2 problems and no plan, got %v %v", p, probs)
	}
	got := probs[0].Error() + "\n" + probs[1].Error()
	for _, want := range []string{"instance.db: protect: true forbids this plan to replace it (id 1)", "instance.keep: protect: true forbids this plan to delete it (id 2)"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems %q lack %q", got, want)
		}
	}
}

func TestBuildReplaceUnknown(t *testing.T) {
	_, probs := build(t, nil, nil, func(in *Input) { in.Replace = []model.Address{{Kind: "instance", Name: "nope"}} })
	if len(probs) != 1 || !strings.Contains(probs[0].Error(), "--replace names an object") {
		t.Fatalf("problems = %v", probs)
	}
}

func TestBuildMaxDeletesWarns(t *testing.T) {
	var live []model.Resource
	for _, n := range []string{"a", "b", "c"} {
		live = append(live, inst(n, n, nil))
	}
	p, _ := build(t, nil, live, func(in *Input) { in.Prune = map[string]bool{"instance": true}; in.MaxDeletes = 2 })
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "destroys 3 objects, more than settings.maxDeletes (2)") {
		t.Fatalf("warnings = %v", p.Warnings)
	}
}

func TestEdgesFromReferences(t *testing.T) {
	tgRef := model.Ref{To: model.Address{Kind: "targetGroup", Name: "web"}}
	lis := model.Resource{Addr: model.Address{Kind: "listener", Name: "http"}, Attrs: model.Object{"targetGroup": tgRef}, Ensure: model.Present}
	tg := model.Resource{Addr: model.Address{Kind: "targetGroup", Name: "web"}, Attrs: model.Object{"port": int64(80)}, Ensure: model.Present}
	p, probs := build(t, []model.Resource{lis, tg}, nil, nil)
	if probs != nil {
		t.Fatal(probs)
	}
	if p.Steps[0].Addr.Kind != "targetGroup" || p.Steps[1].Addr.Kind != "listener" {
		t.Fatalf("order = %v, %v", p.Steps[0].Addr, p.Steps[1].Addr)
	}
	if d := cmp.Diff([]string{"targetGroup.web"}, p.Steps[1].DependsOn); d != "" {
		t.Errorf("dependsOn (-want +got):\n%s", d)
	}
}

func TestCycle(t *testing.T) {
	g := map[string][]string{"x.a": {"x.b"}, "x.b": {"x.c"}, "x.c": {"x.a"}, "x.d": {"x.a"}}
	if got, want := Cycle(g), []string{"x.a", "x.b", "x.c"}; !cmp.Equal(got, want) {
		t.Errorf("cycle = %v, want %v", got, want)
	}
	if got := Cycle(map[string][]string{"x.a": {"x.b"}, "x.b": nil}); got != nil {
		t.Errorf("acyclic graph reported cycle %v", got)
	}
}
