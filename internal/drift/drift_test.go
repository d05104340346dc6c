package drift

import (
	"testing"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

func addr(s string) model.Address { a, _ := model.ParseAddress(s); return a }

func TestFromPlanClassifies(t *testing.T) {
	p := &plan.Plan{Version: "0.1.0", Steps: []plan.Step{
		{Addr: addr("instance.new"), Action: plan.Create},
		{Addr: addr("instance.web"), Action: plan.Update, ID: "1", Changes: []diff.Change{{Path: "type", Before: "a", After: "b"}}},
		{Addr: addr("instance.db"), Action: plan.DeleteThenCreate, ID: "2"},
		{Addr: addr("instance.old"), Action: plan.Delete, ID: "3", After: model.Object{}},
		{Addr: addr("instance.stray"), Action: plan.Delete, ID: "4"},
		{Addr: addr("targetGroup.tg"), Action: plan.CreateThenDelete, ID: "5"},
		{Addr: addr("targetGroup.tg"), Action: plan.Delete, ID: "5", Deposed: true},
	}, Unmanaged: []plan.Unmanaged{{Addr: addr("loadBalancer.lb"), ID: "6"}, {Addr: addr("instance.other"), ID: "7"}}}
	r := FromPlan(p, map[string]bool{"loadBalancer": true})
	want := map[string]Class{
		"instance.new": Missing, "instance.web": Modified, "instance.db": Modified, "instance.old": Modified,
		"instance.stray": Unmanaged, "targetGroup.tg": Modified, "loadBalancer.lb": Unmanaged,
	}
	if len(r.Findings) != len(want) {
		t.Fatalf("findings = %+v", r.Findings)
	}
	for _, f := range r.Findings {
		if want[f.Addr.String()] != f.Class {
			t.Errorf("%s: class %s, want %s", f.Addr, f.Class, want[f.Addr.String()])
		}
	}
	if r.InSync() || r.Count(Modified) != 4 || r.Count(Missing) != 1 || r.Count(Unmanaged) != 2 {
		t.Errorf("counts wrong: %+v", r.Findings)
	}
	if FromPlan(&plan.Plan{}, nil).InSync() != true {
		t.Error("an empty plan is not in sync")
	}
}
