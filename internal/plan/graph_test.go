package plan

import (
	"slices"
	"testing"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
)

// The web tier's kinds, as the plan sees them.
var tierSchemas = map[string]model.KindSchema{
	"instance":     {Kind: "instance", Plural: "instances", Immutable: []string{"region"}},
	"targetGroup":  {Kind: "targetGroup", Plural: "targetGroups", Immutable: []string{"protocol"}, Sets: []string{"targets"}, CreateBeforeDestroy: true},
	"loadBalancer": {Kind: "loadBalancer", Plural: "loadBalancers"},
	"listener":     {Kind: "listener", Immutable: []string{"loadBalancer"}},
}

func addrOf(s string) model.Address { a, _ := model.ParseAddress(s); return a }

func ref(s string) model.Ref { return model.Ref{To: addrOf(s)} }

// pair builds a compared pair; want or live may be nil.
func pair(addr string, want, live model.Object, liveID string, changes ...diff.Change) diff.Pair {
	p := diff.Pair{Addr: addrOf(addr), Changes: changes}
	if want != nil {
		p.Desired = &model.Resource{Addr: p.Addr, Attrs: want, Ensure: model.Present}
	}
	if live != nil {
		p.Live = &model.Resource{Addr: p.Addr, ID: liveID, Attrs: live}
	}
	return p
}

func buildPairs(t *testing.T, pairs []diff.Pair, mod func(*Input)) *Plan {
	t.Helper()
	in := Input{Pairs: pairs, Schemas: tierSchemas, MaxDeletes: 10}
	if mod != nil {
		mod(&in)
	}
	p, probs := Build(in)
	if probs != nil {
		t.Fatalf("problems: %v", probs[0])
	}
	return p
}

func deps(p *Plan, key string) []string {
	for _, s := range p.Steps {
		if s.Key() == key {
			return s.DependsOn
		}
	}
	return []string{"<no step " + key + ">"}
}

func keys(p *Plan) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Key())
	}
	return out
}

func TestReplacingATargetGroupRepointsListenersBeforeDeletingIt(t *testing.T) {
	p := buildPairs(t, []diff.Pair{
		pair("targetGroup.web", model.Object{"protocol": "HTTPS"}, model.Object{"protocol": "HTTP"}, "tg-old",
			diff.Change{Path: "protocol", Before: "HTTP", After: "HTTPS", ForcesReplacement: true}),
		pair("listener.edge/HTTP:80", model.Object{"targetGroup": ref("targetGroup.web"), "loadBalancer": "lb-1"},
			model.Object{"targetGroup": "tg-old", "loadBalancer": "lb-1"}, "l-1",
			diff.Change{Path: "targetGroup", Before: "tg-old", After: ref("targetGroup.web")}),
	}, nil)
	want := []string{"targetGroup.web", "listener.edge/HTTP:80", "targetGroup.web (deposed)"}
	if got := keys(p); !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	if got := deps(p, "targetGroup.web (deposed)"); !slices.Equal(got, []string{"listener.edge/HTTP:80", "targetGroup.web"}) {
		t.Errorf("deposed waits for %v", got)
	}
	if c := p.Count(); c != (Counts{Change: 1, Replace: 1}) || p.Destroying() != 1 {
		t.Errorf("counts %+v, destroying %d: the deposed half must not count twice", c, p.Destroying())
	}
}

func TestDeletesWaitForWhatPointsAtThem(t *testing.T) {
	// The load balancer and the target group go; the listener goes with its
	// load balancer; an instance leaves the target group's targets first.
	p := buildPairs(t, []diff.Pair{
		{Addr: addrOf("loadBalancer.edge"), Desired: &model.Resource{Addr: addrOf("loadBalancer.edge"), Ensure: model.Absent},
			Live: &model.Resource{Addr: addrOf("loadBalancer.edge"), ID: "lb-1"}},
		{Addr: addrOf("listener.edge/HTTP:80"), Live: &model.Resource{Addr: addrOf("listener.edge/HTTP:80"), ID: "l-1",
			Parent: addrOf("loadBalancer.edge"), Attrs: model.Object{"loadBalancer": "lb-1", "targetGroup": "tg-1"}}},
		{Addr: addrOf("targetGroup.api"), Desired: &model.Resource{Addr: addrOf("targetGroup.api"), Ensure: model.Absent},
			Live: &model.Resource{Addr: addrOf("targetGroup.api"), ID: "tg-1", Attrs: model.Object{"targets": []any{"i-1"}}}},
		pair("targetGroup.web", model.Object{"targets": []any{}}, model.Object{"targets": []any{"i-2"}}, "tg-2",
			diff.Change{Path: "targets", Before: []any{"i-2"}, After: []any{}}),
		{Addr: addrOf("instance.old"), Desired: &model.Resource{Addr: addrOf("instance.old"), Ensure: model.Absent},
			Live: &model.Resource{Addr: addrOf("instance.old"), ID: "i-2"}},
	}, nil)
	if got := deps(p, "loadBalancer.edge"); !slices.Equal(got, []string{"listener.edge/HTTP:80"}) {
		t.Errorf("load balancer delete waits for %v, want its listener", got)
	}
	if got := deps(p, "targetGroup.api"); !slices.Equal(got, []string{"listener.edge/HTTP:80"}) {
		t.Errorf("target group delete waits for %v, want the listener forwarding to it", got)
	}
	if got := deps(p, "instance.old"); !slices.Equal(got, []string{"targetGroup.web"}) {
		t.Errorf("instance delete waits for %v, want its deregistration", got)
	}
	if s := p.Step(addrOf("listener.edge/HTTP:80")); s == nil || s.Action != Delete || s.Reason != "its loadBalancer.edge is deleted" {
		t.Errorf("listener step = %+v", s)
	}
}

func TestOrphanChildren(t *testing.T) {
	child := func(parent string) diff.Pair {
		a := addrOf("listener." + parent + "/HTTP:80")
		return diff.Pair{Addr: a, Live: &model.Resource{Addr: a, ID: "l-" + parent, Parent: addrOf("loadBalancer." + parent)}}
	}
	lb := func(name string) diff.Pair {
		return pair("loadBalancer."+name, model.Object{}, model.Object{}, "lb-"+name)
	}
	unmanagedLB := diff.Pair{Addr: addrOf("loadBalancer.other"), Live: &model.Resource{Addr: addrOf("loadBalancer.other"), ID: "lb-o"}}
	p := buildPairs(t, []diff.Pair{lb("listed"), child("listed"), lb("unlisted"), child("unlisted"), unmanagedLB, child("other")},
		func(in *Input) {
			in.ChildLists = map[model.Address][]string{addrOf("loadBalancer.listed"): {"listener"}}
		})
	if got := keys(p); !slices.Equal(got, []string{"listener.listed/HTTP:80"}) {
		t.Errorf("steps = %v, want only the listener missing from a declared list", got)
	}
	if len(p.Unmanaged) != 1 || p.Unmanaged[0].Addr != addrOf("loadBalancer.other") {
		t.Errorf("unmanaged = %+v, want the load balancer only, not its listeners", p.Unmanaged)
	}
}
