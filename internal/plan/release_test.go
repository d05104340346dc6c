package plan

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
)

// closure returns, for every step key, the keys it waits for, transitively.
func closure(p *Plan) map[string]map[string]bool {
	direct := map[string][]string{}
	for _, s := range p.Steps {
		direct[s.Key()] = s.DependsOn
	}
	out := map[string]map[string]bool{}
	var visit func(k string) map[string]bool
	visit = func(k string) map[string]bool {
		if m, ok := out[k]; ok {
			return m
		}
		m := map[string]bool{}
		out[k] = m
		for _, d := range direct[k] {
			m[d] = true
			for x := range visit(d) {
				m[x] = true
			}
		}
		return m
	}
	for k := range direct {
		visit(k)
	}
	return out
}

// checkOrdering checks the promises of graph.go on a built plan, whatever
// edges produced them: the halves of a replacement in their order; every
// step after the objects it references; every delete after whatever held
// the deleted id let go of it, itself or through its release.
func checkOrdering(t *testing.T, p *Plan) {
	t.Helper()
	after := closure(p)
	main := map[model.Address]*Step{}
	release := map[model.Address]*Step{}
	for i := range p.Steps {
		s := &p.Steps[i]
		switch {
		case !s.Deposed:
			main[s.Addr] = s
		case s.Action == Update:
			release[s.Addr] = s
		}
	}
	for i := range p.Steps {
		s := &p.Steps[i]
		m := main[s.Addr]
		switch {
		case s.Deposed && s.Action == Delete && m.Action == DeleteThenCreate && !after[m.Key()][s.Key()]:
			t.Errorf("%s does not wait for %s", m.Key(), s.Key())
		case s.Deposed && s.Action == Delete && m.Action == CreateThenDelete && !after[s.Key()][m.Key()]:
			t.Errorf("%s does not wait for %s", s.Key(), m.Key())
		}
		if !s.Deposed && s.Action != Delete {
			for _, r := range model.Refs(s.After) {
				if tg := main[r.To]; r.Named() && tg != nil && tg != s && tg.Action != Delete && !after[s.Key()][tg.Key()] {
					t.Errorf("%s does not wait for %s, which it references", s.Key(), tg.Key())
				}
			}
		}
		if s.Action == Delete && s.ID != "" {
			checkLetGo(t, p, s, after, release)
		}
	}
}

func checkLetGo(t *testing.T, p *Plan, d *Step, after map[string]map[string]bool, release map[model.Address]*Step) {
	t.Helper()
	for i := range p.Steps {
		s := &p.Steps[i]
		if s.Addr == d.Addr || s.Action.IsReplace() || (s.Deposed && s.Action == Update) || !mentions(s.Before, d.ID) {
			continue
		}
		if after[d.Key()][s.Key()] {
			continue
		}
		if r := release[s.Addr]; r != nil && after[d.Key()][r.Key()] && !mentions(r.After, d.ID) {
			continue
		}
		t.Errorf("%s does not wait for %s to let go of id %s", d.Key(), s.Key(), d.ID)
	}
}

func replaced(addr, path string, before, after any, live model.Object, id string) diff.Pair {
	want := model.CloneObject(live)
	want[path] = after
	return pair(addr, want, live, id, diff.Change{Path: path, Before: before, After: after, ForcesReplacement: true})
}

func TestAReplacedInstanceLeavesItsTargetGroupBeforeItIsTerminated(t *testing.T) {
	p := buildPairs(t, []diff.Pair{
		replaced("instance.web-1", "region", "eu-west-3", "us-east-1", model.Object{"region": "eu-west-3"}, "i-1"),
		pair("targetGroup.web", model.Object{"targets": []any{ref("instance.web-1"), "i-2"}},
			model.Object{"targets": []any{"i-1", "i-2"}, "port": int64(80)}, "tg-1",
			diff.Change{Path: "targets", Before: []any{"i-1", "i-2"}, After: []any{ref("instance.web-1"), "i-2"}}),
	}, nil)
	want := []string{"targetGroup.web (release)", "instance.web-1 (deposed)", "instance.web-1", "targetGroup.web"}
	if got := keys(p); !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	checkOrdering(t, p)
	if got := deps(p, "instance.web-1 (deposed)"); !slices.Equal(got, []string{"targetGroup.web (release)"}) {
		t.Errorf("the terminate waits for %v, want the deregistration", got)
	}
	if got := deps(p, "targetGroup.web"); !slices.Equal(got, []string{"instance.web-1", "targetGroup.web (release)"}) {
		t.Errorf("the registration waits for %v, want the new instance", got)
	}
	r := p.Steps[0]
	wantRelease := Step{Addr: addrOf("targetGroup.web"), Action: Update, ID: "tg-1", Deposed: true,
		Before:  model.Object{"targets": []any{"i-1", "i-2"}, "port": int64(80)},
		After:   model.Object{"targets": []any{"i-2"}, "port": int64(80)},
		Changes: []diff.Change{{Path: "targets", Before: []any{"i-1", "i-2"}, After: []any{"i-2"}}},
		Reason:  "first lets go of instance.web-1"}
	if d := cmp.Diff(wantRelease, r); d != "" {
		t.Errorf("release (-want +got):\n%s", d)
	}
	if c := p.Count(); c != (Counts{Change: 1, Replace: 1}) || p.Destroying() != 1 {
		t.Errorf("counts %+v, destroying %d: halves must not count", c, p.Destroying())
	}
}

// The case of issue 7: a target group replaced create-then-delete (protocol)
// and one of its instances replaced delete-then-create, in one plan. The old
// group lets go of the old instance by a release, since it is deleted only
// once the listeners moved to the new group, which needs the new instance.
func TestReplacingAnInstanceAndItsTargetGroupTogether(t *testing.T) {
	p := buildPairs(t, []diff.Pair{
		replaced("instance.web-2", "region", "eu-west-3", "us-east-1", model.Object{"region": "eu-west-3"}, "i-2"),
		pair("targetGroup.web", model.Object{"protocol": "TCP", "targets": []any{"i-1", ref("instance.web-2")}},
			model.Object{"protocol": "HTTP", "targets": []any{"i-1", "i-2"}}, "tg-1",
			diff.Change{Path: "protocol", Before: "HTTP", After: "TCP", ForcesReplacement: true},
			diff.Change{Path: "targets", Before: []any{"i-1", "i-2"}, After: []any{"i-1", ref("instance.web-2")}}),
		pair("listener.edge/HTTP:80", model.Object{"targetGroup": ref("targetGroup.web"), "loadBalancer": "lb-1"},
			model.Object{"targetGroup": "tg-1", "loadBalancer": "lb-1"}, "l-1",
			diff.Change{Path: "targetGroup", Before: "tg-1", After: ref("targetGroup.web")}),
	}, nil)
	want := []string{"targetGroup.web (release)", "instance.web-2 (deposed)", "instance.web-2", "targetGroup.web",
		"listener.edge/HTTP:80", "targetGroup.web (deposed)"}
	if got := keys(p); !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	checkOrdering(t, p)
	r := p.Steps[0]
	if r.ID != "tg-1" || !cmp.Equal(r.After["targets"], []any{"i-1"}) || r.After["protocol"] != "HTTP" {
		t.Errorf("release = %+v, want the old group without i-2", r)
	}
}

// A load balancer replaced delete-then-create takes its listeners with it
// (an immutable reference): each listener's old object is deleted before
// the old load balancer, and its new one created on the new load balancer.
func TestAReplacedParentLosesItsChildrenFirst(t *testing.T) {
	p := buildPairs(t, []diff.Pair{
		replaced("loadBalancer.edge", "region", "eu-west-3", "us-east-1", model.Object{"region": "eu-west-3"}, "lb-1"),
		pair("listener.edge/HTTP:80", model.Object{"loadBalancer": ref("loadBalancer.edge"), "targetGroup": "tg-1"},
			model.Object{"loadBalancer": "lb-1", "targetGroup": "tg-1"}, "l-1",
			diff.Change{Path: "loadBalancer", Before: "lb-1", After: ref("loadBalancer.edge"), ForcesReplacement: true}),
	}, nil)
	want := []string{"listener.edge/HTTP:80 (deposed)", "loadBalancer.edge (deposed)", "loadBalancer.edge", "listener.edge/HTTP:80"}
	if got := keys(p); !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	checkOrdering(t, p)
	if d := p.Steps[0]; d.After["targetGroup"] != "tg-1" || d.After["loadBalancer"] != nil {
		t.Errorf("deposed After = %v, want the declared attributes without references", d.After)
	}
}

// An id held in a single-valued attribute cannot be released: the early
// delete does not wait for its holder (which waits for the replacement),
// instead of making a cycle.
func TestASingleValuedHolderCannotMakeACycle(t *testing.T) {
	p := buildPairs(t, []diff.Pair{
		replaced("instance.db", "region", "eu-west-3", "us-east-1", model.Object{"region": "eu-west-3"}, "i-1"),
		pair("targetGroup.db", model.Object{"primary": ref("instance.db")}, model.Object{"primary": "i-1"}, "tg-1",
			diff.Change{Path: "primary", Before: "i-1", After: ref("instance.db")}),
	}, nil)
	if got := keys(p); !slices.Equal(got, []string{"instance.db (deposed)", "instance.db", "targetGroup.db"}) {
		t.Fatalf("order = %v", got)
	}
}

// Two replaced instances in one group share one release; a plain delete of
// a third, dropped from the targets by the update itself, waits for the
// update as before.
func TestOneReleaseLetsGoOfEveryReplacedInstance(t *testing.T) {
	absent := pair("instance.old", model.Object{}, model.Object{}, "i-3")
	absent.Desired.Ensure = model.Absent
	p := buildPairs(t, []diff.Pair{
		replaced("instance.web-1", "region", "eu-west-3", "us-east-1", model.Object{"region": "eu-west-3"}, "i-1"),
		replaced("instance.web-2", "region", "eu-west-3", "us-east-1", model.Object{"region": "eu-west-3"}, "i-2"),
		absent,
		pair("targetGroup.web", model.Object{"targets": []any{ref("instance.web-1"), ref("instance.web-2")}},
			model.Object{"targets": []any{"i-1", "i-2", "i-3"}}, "tg-1",
			diff.Change{Path: "targets", Before: []any{"i-1", "i-2", "i-3"}, After: []any{ref("instance.web-1"), ref("instance.web-2")}}),
	}, nil)
	checkOrdering(t, p)
	var releases []Step
	for _, s := range p.Steps {
		if strings.HasSuffix(s.Key(), "(release)") {
			releases = append(releases, s)
		}
	}
	if len(releases) != 1 || !cmp.Equal(releases[0].After["targets"], []any{"i-3"}) ||
		releases[0].Reason != "first lets go of instance.web-1, instance.web-2" {
		t.Fatalf("releases = %+v", releases)
	}
	if got := deps(p, "instance.old"); !slices.Equal(got, []string{"targetGroup.web"}) {
		t.Errorf("the plain delete waits for %v, want the update that drops it", got)
	}
}

// A target group moved to another region is a new object (the region is
// part of its key); with settings.prune listing target groups the old one
// would be deleted at the same address. Steps are keyed by address, so the
// plan refuses, naming the way out, rather than crash or report a cycle.
func TestAPrunedObjectSharingAnAddressIsRefused(t *testing.T) {
	old := diff.Pair{Addr: addrOf("targetGroup.web"), Live: &model.Resource{Addr: addrOf("targetGroup.web"), ID: "tg-old"}}
	moved := pair("targetGroup.web", model.Object{"region": "us-east-1"}, nil, "")
	_, probs := Build(Input{Pairs: []diff.Pair{moved, old}, Schemas: tierSchemas, Prune: map[string]bool{"targetGroup": true}})
	if len(probs) != 1 || !strings.Contains(probs[0].Error(), "targetGroup.web: a declared object and a pruned live one of another key (id tg-old)") ||
		!strings.Contains(probs[0].Error(), "leave targetGroups out of settings.prune") {
		t.Fatalf("problems = %v", probs)
	}
}
