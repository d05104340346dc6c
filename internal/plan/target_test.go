package plan

import (
	"slices"
	"strings"
	"testing"

	"github.com/lswctl/lswctl/internal/model"
)

// webTier is the objects of the web tier: two instances in a target group,
// a load balancer and its listener pointing at the group.
func webTier() []Object {
	return []Object{
		{Addr: addrOf("instance.web-1")},
		{Addr: addrOf("instance.web-2")},
		{Addr: addrOf("instance.db")},
		{Addr: addrOf("targetGroup.web"), Refs: []model.Address{addrOf("instance.web-1"), addrOf("instance.web-2")}},
		{Addr: addrOf("loadBalancer.edge")},
		{Addr: addrOf("listener.edge/HTTP:80"), Parent: addrOf("loadBalancer.edge"),
			Refs: []model.Address{addrOf("loadBalancer.edge"), addrOf("targetGroup.web")}},
	}
}

func TestTargetBringsDependencies(t *testing.T) {
	p := &Plan{MaxDeletes: 5, Steps: []Step{
		{Addr: addrOf("instance.web-1"), Action: Create},
		{Addr: addrOf("instance.web-2"), Action: Create},
		{Addr: addrOf("instance.db"), Action: Create},
		{Addr: addrOf("targetGroup.web"), Action: Create, DependsOn: []string{"instance.web-1", "instance.web-2"}},
		{Addr: addrOf("loadBalancer.edge"), Action: Create},
		{Addr: addrOf("listener.edge/HTTP:80"), Action: Create, DependsOn: []string{"loadBalancer.edge", "targetGroup.web"}},
	}, Unmanaged: []Unmanaged{{Addr: addrOf("instance.stray")}, {Addr: addrOf("instance.web-9")}}}
	objects := append(webTier(), Object{Addr: addrOf("instance.stray")}, Object{Addr: addrOf("instance.web-9")})

	web := clonePlan(p)
	if err := Target(web, []string{"instance.web-*"}, objects); err != nil {
		t.Fatal(err)
	}
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
	if err := Target(edge, []string{"loadBalancer.edge"}, objects); err != nil {
		t.Fatal(err)
	}
	want := []string{"instance.web-1", "instance.web-2", "listener.edge/HTTP:80", "loadBalancer.edge", "targetGroup.web"}
	if got := keys(edge); !slices.Equal(slices.Sorted(slices.Values(got)), want) {
		t.Errorf("loadBalancer.edge kept %v, want its listener and everything that needs", got)
	}
}

// TestTargetUnchangedObjectBringsPendingDependencies: a listener with no
// change of its own still brings the pending updates of its load balancer,
// its target group and the group's instances; they are what it depends on.
func TestTargetUnchangedObjectBringsPendingDependencies(t *testing.T) {
	p := &Plan{MaxDeletes: 5, Steps: []Step{
		{Addr: addrOf("instance.web-2"), Action: Update},
		{Addr: addrOf("instance.db"), Action: Update},
		{Addr: addrOf("targetGroup.web"), Action: Update},
		{Addr: addrOf("loadBalancer.edge"), Action: Update},
	}}
	if err := Target(p, []string{"listener.edge/HTTP:80"}, webTier()); err != nil {
		t.Fatal(err)
	}
	want := []string{"instance.web-2", "loadBalancer.edge", "targetGroup.web"}
	if got := keys(p); !slices.Equal(slices.Sorted(slices.Values(got)), want) {
		t.Errorf("listener.edge/HTTP:80 kept %v, want %v", got, want)
	}
}

// TestTargetGlobCrossesSlash: listener.* matches listeners, whose names
// hold "/".
func TestTargetGlobCrossesSlash(t *testing.T) {
	p := &Plan{MaxDeletes: 5, Steps: []Step{
		{Addr: addrOf("instance.db"), Action: Create},
		{Addr: addrOf("listener.edge/HTTP:80"), Action: Update},
	}}
	if err := Target(p, []string{"listener.*"}, webTier()); err != nil {
		t.Fatal(err)
	}
	if got := keys(p); !slices.Equal(got, []string{"listener.edge/HTTP:80"}) {
		t.Errorf("listener.* kept %v", got)
	}
}

func clonePlan(p *Plan) *Plan {
	c := *p
	c.Steps = append([]Step(nil), p.Steps...)
	return &c
}

func TestTargetRefusesPatterns(t *testing.T) {
	for pat, want := range map[string]string{
		"instance.nope": `--target "instance.nope" matches no declared or live object`,
		"instance.[":    `--target "instance.[": malformed pattern: [ without its closing ]`,
		"web-1":         `--target "web-1": want KIND.NAME`,
	} {
		err := Target(&Plan{}, []string{pat}, webTier())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Target(%q) = %v, want %q", pat, err, want)
		}
	}
}

func TestReplacements(t *testing.T) {
	live := []model.Address{addrOf("instance.web-1"), addrOf("instance.web-2"), addrOf("instance.db"),
		addrOf("listener.edge/HTTP:80"), addrOf("listener.edge/HTTPS:443")}
	got, err := Replacements([]string{"instance.web-*", "listener.edge/HTTP:80", "instance.web-1", "instance.new"}, live)
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Address{addrOf("instance.web-1"), addrOf("instance.web-2"), addrOf("listener.edge/HTTP:80"), addrOf("instance.new")}
	if !slices.Equal(got, want) {
		t.Errorf("Replacements = %v, want %v (a literal passes through for Build to check)", got, want)
	}
	if got, _ := Replacements([]string{"listener.*"}, live); len(got) != 2 {
		t.Errorf("listener.* = %v, want both listeners", got)
	}
	for pat, want := range map[string]string{
		"instance.x-*": `--replace "instance.x-*" matches no declared object that exists live`,
		"instance.[a":  `--replace "instance.[a": malformed pattern`,
	} {
		if _, err := Replacements([]string{pat}, live); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Replacements(%q) = %v, want %q", pat, err, want)
		}
	}
}
