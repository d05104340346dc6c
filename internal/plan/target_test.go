package plan

import (
	"slices"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/model"
)

func TestTargetBringsDependencies(t *testing.T) {
	p := &Plan{MaxDeletes: 5, Steps: []Step{
		{Addr: addrOf("instance.web-1"), Action: Create},
		{Addr: addrOf("instance.web-2"), Action: Create},
		{Addr: addrOf("instance.db"), Action: Create},
		{Addr: addrOf("targetGroup.web"), Action: Create, DependsOn: []string{"instance.web-1", "instance.web-2"}},
		{Addr: addrOf("loadBalancer.edge"), Action: Create},
		{Addr: addrOf("listener.edge/HTTP:80"), Action: Create, DependsOn: []string{"loadBalancer.edge", "targetGroup.web"}},
	}, Unmanaged: []Unmanaged{{Addr: addrOf("instance.stray")}, {Addr: addrOf("instance.web-9")}}}
	parents := map[model.Address]model.Address{addrOf("listener.edge/HTTP:80"): addrOf("loadBalancer.edge")}

	web := clonePlan(p)
	Target(web, []string{"instance.web-*"}, parents)
	if got := keys(web); !slices.Equal(got, []string{"instance.web-1", "instance.web-2"}) {
		t.Errorf("instance.web-* kept %v", got)
	}
	if len(web.Unmanaged) != 1 || web.Unmanaged[0].Addr != addrOf("instance.web-9") {
		t.Errorf("unmanaged = %v", web.Unmanaged)
	}
	if len(web.Warnings) != 1 || !strings.Contains(web.Warnings[0], "limited to --target instance.web-*") {
		t.Errorf("warnings = %v", web.Warnings)
	}

	edge := clonePlan(p)
	Target(edge, []string{"loadBalancer.edge"}, parents)
	want := []string{"instance.web-1", "instance.web-2", "listener.edge/HTTP:80", "loadBalancer.edge", "targetGroup.web"}
	if got := keys(edge); !slices.Equal(slices.Sorted(slices.Values(got)), want) {
		t.Errorf("loadBalancer.edge kept %v, want its listener and everything that needs", got)
	}
}

func clonePlan(p *Plan) *Plan {
	c := *p
	c.Steps = append([]Step(nil), p.Steps...)
	return &c
}

func TestCheckPatterns(t *testing.T) {
	known := []model.Address{addrOf("instance.web-1")}
	if err := CheckPatterns([]string{"instance.*"}, known); err != nil {
		t.Error(err)
	}
	for pat, want := range map[string]string{
		"instance.db": "matches no declared or live object",
		"instance.[":  "syntax error",
	} {
		if err := CheckPatterns([]string{pat}, known); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckPatterns(%q) = %v, want %q", pat, err, want)
		}
	}
}
