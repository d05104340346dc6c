package diff

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lswctl/lswctl/internal/model"
)

var instanceSchema = model.KindSchema{
	Kind:      "instance",
	Immutable: []string{"region", "image", "rootDisk.storageType"},
	WriteOnly: []string{"sshKey", "contract.cancelReason"},
}

var schemas = map[string]model.KindSchema{"instance": instanceSchema}

func res(name, id string, attrs model.Object) model.Resource {
	return model.Resource{Addr: model.Address{Kind: "instance", Name: name}, ID: id, Attrs: attrs}
}

func TestFieldsOnlyComparesDeclaredFields(t *testing.T) {
	d := res("web", "", model.Object{
		"type":     "lsw.m5a.large",
		"rootDisk": map[string]any{"size": int64(50)},
		"sshKey":   "ssh-ed25519 AAAA",
		"contract": map[string]any{"type": "HOURLY", "cancelReason": "CANCEL_OTHER"},
	})
	l := res("web", "id-1", model.Object{
		"type":     "lsw.m5a.xlarge",
		"region":   "eu-west-3",
		"rootDisk": map[string]any{"size": float64(50), "storageType": "CENTRAL"},
		"contract": map[string]any{"type": "HOURLY", "term": int64(0)},
	})
	got := Fields(&d, &l, instanceSchema, Options{})
	want := []Change{{Path: "type", Before: "lsw.m5a.xlarge", After: "lsw.m5a.large"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestFieldsMarksImmutableAsReplacing(t *testing.T) {
	d := res("web", "", model.Object{"region": "us-east-1", "rootDisk": map[string]any{"storageType": "LOCAL", "size": int64(60)}})
	l := res("web", "id-1", model.Object{"region": "eu-west-3", "rootDisk": map[string]any{"storageType": "CENTRAL", "size": int64(50)}})
	p := Pair{Changes: Fields(&d, &l, instanceSchema, Options{})}
	if got, want := p.Replacing(), []string{"region", "rootDisk.storageType"}; !cmp.Equal(got, want) {
		t.Errorf("replacing = %v, want %v", got, want)
	}
	if len(p.Changes) != 3 {
		t.Errorf("want 3 changes, got %v", p.Changes)
	}
}

func TestEqual(t *testing.T) {
	s1 := model.NewSecret("key", "env:A")
	s2 := model.NewSecret("key", "file:b")
	tests := []struct {
		name string
		a, b any
		want bool
	}{
		{"int vs float", int64(5), float64(5), true},
		{"different numbers", int64(5), float64(6), false},
		{"secrets by digest", s1, s2, true},
		{"secret differs", s1, model.NewSecret("other", "env:A"), false},
		{"ref is unknown", model.Ref{To: model.Address{Kind: "targetGroup", Name: "web"}}, "uuid", false},
		{"nested", map[string]any{"a": []any{int64(1)}}, map[string]any{"a": []any{float64(1)}}, true},
		{"missing vs value", nil, "x", false},
	}
	for _, tt := range tests {
		if got := Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Equal = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	live := []model.Resource{
		res("web-1", "a", nil),
		res("dup", "b", nil),
		res("dup", "c", nil),
		res("pinned", "d", nil),
		res("pinned", "e", nil),
		res("asg", "f", nil),
		res("stray", "g", nil),
	}
	live[5].Untouchable = "owned by auto scaling group"
	desired := []model.Resource{
		res("web-1", "", nil),
		res("new", "", nil),
		res("dup", "", nil),
		res("pinned", "e", nil),
		res("asg", "", nil),
		res("gone", "zzz", nil),
	}
	pairs, ignored, problems := Match(desired, live, schemas)

	var got []string
	for _, p := range pairs {
		s := p.Addr.Name + ":"
		if p.Desired != nil {
			s += "D"
		}
		if p.Live != nil {
			s += "L=" + p.Live.ID
		}
		got = append(got, s)
	}
	want := []string{"asg:D", "gone:D", "new:D", "pinned:DL=e", "pinned:L=d", "stray:L=g", "web-1:DL=a"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pairs (-want +got):\n%s", diff)
	}
	if len(ignored) != 1 || ignored[0].ID != "f" {
		t.Errorf("ignored = %v", ignored)
	}
	if len(problems) != 2 {
		t.Fatalf("problems = %v", problems)
	}
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"instance.dup: 2 live objects match this name (ids b, c)", "instance.gone: id zzz does not exist"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems %q lack %q", all, want)
		}
	}
}

func TestMatchUsesKeyAttrs(t *testing.T) {
	tg := map[string]model.KindSchema{"targetGroup": {Kind: "targetGroup", KeyAttrs: []string{"region"}}}
	mk := func(region, id string) model.Resource {
		return model.Resource{Addr: model.Address{Kind: "targetGroup", Name: "web"}, ID: id, Attrs: model.Object{"region": region}}
	}
	pairs, _, problems := Match([]model.Resource{mk("eu-west-3", "")}, []model.Resource{mk("eu-west-3", "1"), mk("us-east-1", "2")}, tg)
	if len(problems) != 0 {
		t.Fatalf("problems: %v", problems)
	}
	if len(pairs) != 2 || pairs[0].Live == nil || pairs[0].Desired == nil {
		t.Fatalf("pairs: %+v", pairs)
	}
	matched := pairs[0].Live.ID
	if pairs[1].Desired != nil {
		matched = pairs[1].Live.ID
	}
	if matched != "1" {
		t.Errorf("matched live %s, want 1 (same region)", matched)
	}
}

func TestFieldsResolvesReferencesAndComparesSets(t *testing.T) {
	ks := model.KindSchema{Kind: "targetGroup", Sets: []string{"targets"}}
	web1 := model.Ref{To: model.Address{Kind: "instance", Name: "web-1"}}
	web2 := model.Ref{To: model.Address{Kind: "instance", Name: "web-2"}}
	d := model.Resource{Attrs: model.Object{"targets": []any{web1, web2, model.Ref{ID: "id-9"}}}}
	l := model.Resource{Attrs: model.Object{"targets": []any{"id-9", "id-2", "id-1"}}}
	known := map[string]string{"instance.web-1": "id-1", "instance.web-2": "id-2"}
	resolve := func(r model.Ref) (string, bool) { id, ok := known[r.To.String()]; return id, ok }
	if got := Fields(&d, &l, ks, Options{Resolve: resolve}); len(got) != 0 {
		t.Errorf("same set in another order differs: %v", got)
	}
	// web-2 is being replaced: its id is unknown, so the set changes and
	// the change keeps the reference for display.
	delete(known, "instance.web-2")
	got := Fields(&d, &l, ks, Options{Resolve: resolve})
	if len(got) != 1 || !model.HasUnknown(got[0].After) {
		t.Fatalf("changes = %v", got)
	}
	if s := model.Format(got[0].After); !strings.Contains(s, "instance.web-2") || !strings.Contains(s, `"id-1"`) {
		t.Errorf("After = %s, want id-1 resolved and web-2 still a reference", s)
	}
}

func TestFieldsReplaceOnRemove(t *testing.T) {
	ks := model.KindSchema{Kind: "targetGroup", ReplaceOnRemove: []string{"healthCheck"}}
	live := model.Resource{Attrs: model.Object{"healthCheck": map[string]any{"uri": "/a"}}}
	changed := model.Resource{Attrs: model.Object{"healthCheck": map[string]any{"uri": "/b"}}}
	removed := model.Resource{Attrs: model.Object{"healthCheck": nil}}
	if c := Fields(&changed, &live, ks, Options{}); len(c) != 1 || c[0].ForcesReplacement {
		t.Errorf("changed health check: %+v, want an in-place change", c)
	}
	if c := Fields(&removed, &live, ks, Options{}); len(c) != 1 || !c[0].ForcesReplacement {
		t.Errorf("removed health check: %+v, want a replacement", c)
	}
}

func TestMatchKeyAttrLeftOutMatchesAny(t *testing.T) {
	tg := map[string]model.KindSchema{"targetGroup": {Kind: "targetGroup", KeyAttrs: []string{"region"}}}
	gone := model.Resource{Addr: model.Address{Kind: "targetGroup", Name: "web"}, Ensure: model.Absent, Attrs: model.Object{}}
	live := model.Resource{Addr: model.Address{Kind: "targetGroup", Name: "web"}, ID: "1", Attrs: model.Object{"region": "eu-west-3"}}
	pairs, _, problems := Match([]model.Resource{gone}, []model.Resource{live}, tg)
	if len(problems) != 0 || len(pairs) != 1 || pairs[0].Live == nil || pairs[0].Desired == nil {
		t.Fatalf("pairs %+v problems %v", pairs, problems)
	}
}
