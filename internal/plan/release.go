package plan

import (
	"slices"
	"sort"
	"strings"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
)

// release returns the release of holder s's live object, extended to drop
// the id of d, the early delete that must not wait for s itself; nil when s
// cannot release: it is neither an update nor the old object of a
// create-then-delete, or it holds the id outside its set attributes (or not
// at all).
func (g *graph) release(s *Step, d *Step) *Step {
	update := s.Action == Update && !s.Deposed
	old := s.Deposed && s.Action == Delete
	if !update && !old {
		return nil
	}
	r := g.releases[s.Addr]
	base := s.Before
	if r != nil {
		base = r.After
	}
	sets := g.schemas[s.Addr.Kind].Sets
	after, ok := dropID(base, d.ID, sets)
	if !ok {
		return nil
	}
	if r == nil {
		r = &Step{Addr: s.Addr, Action: Update, ID: s.ID, Before: s.Before, Fingerprint: s.Fingerprint, Deposed: true}
		g.releases[s.Addr] = r
		g.byKey[r.Key()] = r
		for _, k := range []string{s.Addr.String(), s.Addr.String() + deposedSuffix} {
			g.add(k, r.Key())
		}
	}
	r.After = after
	r.Changes = setChanges(r.Before, r.After, sets)
	g.released[s.Addr] = append(g.released[s.Addr], d.Addr.String())
	r.Reason = "first lets go of " + strings.Join(slices.Compact(slices.Sorted(slices.Values(g.released[s.Addr]))), ", ")
	return r
}

// releaseSteps returns the releases made, sorted by address.
func (g *graph) releaseSteps() []Step {
	out := make([]Step, 0, len(g.releases))
	for _, r := range g.releases {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr.Less(out[j].Addr) })
	return out
}

// dropID returns attrs without id in the set attributes holding it. It
// reports false when id is not in attrs or appears anywhere but as an item
// of a set.
func dropID(attrs model.Object, id string, sets []string) (model.Object, bool) {
	var inSets []string
	outside := false
	model.Walk(attrs, "", func(path string, v any) {
		if s, ok := v.(string); !ok || s != id {
			return
		}
		list, ok := setOf(path, sets)
		if !ok {
			outside = true
			return
		}
		inSets = append(inSets, list)
	})
	if outside || len(inSets) == 0 {
		return nil, false
	}
	out := model.CloneObject(attrs)
	for _, path := range inSets {
		items, _ := model.Get(out, path)
		model.Set(out, path, slices.DeleteFunc(slices.Clone(items.([]any)), func(v any) bool { return v == id }))
	}
	return out, true
}

// setOf returns the set attribute path of an item path ("targets[1]" →
// "targets"), and whether the item is one.
func setOf(path string, sets []string) (string, bool) {
	i := strings.LastIndexByte(path, '[')
	if i < 0 || !strings.HasSuffix(path, "]") || strings.ContainsAny(path[:i], "[]") {
		return "", false
	}
	return path[:i], slices.Contains(sets, path[:i])
}

// setChanges lists the set attributes that differ between before and after.
func setChanges(before, after model.Object, sets []string) []diff.Change {
	var out []diff.Change
	for _, path := range slices.Sorted(slices.Values(sets)) {
		b, _ := model.Get(before, path)
		a, _ := model.Get(after, path)
		if model.Format(a) != model.Format(b) {
			out = append(out, diff.Change{Path: path, Before: model.Clone(b), After: model.Clone(a)})
		}
	}
	return out
}
