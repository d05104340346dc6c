package diff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
)

// Match pairs declared objects with live ones. A declaration with `id:`
// matches the live object with that id whatever its name; otherwise it
// matches by natural key. Two live objects with one key are a problem
// naming both ids, unless a declaration pins one of them.
func Match(desired, live []model.Resource, schemas map[string]model.KindSchema) ([]Pair, []model.Resource, []*Problem) {
	var (
		pairs    []Pair
		ignored  []model.Resource
		problems []*Problem
		byID     = map[string]*model.Resource{}
		byName   = map[string][]*model.Resource{}
		taken    = map[*model.Resource]bool{}
	)
	for i := range live {
		l := &live[i]
		if l.Untouchable != "" {
			ignored = append(ignored, *l)
			continue
		}
		byID[l.Addr.Kind+"\x00"+l.ID] = l
		byName[l.Addr.String()] = append(byName[l.Addr.String()], l)
	}
	// Pinned declarations first, so a pin resolves a duplicate key.
	for i := range desired {
		d := &desired[i]
		if d.ID == "" {
			continue
		}
		l, ok := byID[d.Addr.Kind+"\x00"+d.ID]
		switch {
		case !ok && d.Ensure != model.Absent:
			problems = append(problems, &Problem{Addr: d.Addr, Desired: d,
				Msg: fmt.Sprintf("id %s does not exist (an id can only pin an existing object; remove it to create a new one)", d.ID)})
			pairs = append(pairs, Pair{Addr: d.Addr, Desired: d})
		case !ok:
			pairs = append(pairs, Pair{Addr: d.Addr, Desired: d})
		default:
			taken[l] = true
			pairs = append(pairs, Pair{Addr: d.Addr, Desired: d, Live: l})
		}
	}
	for i := range desired {
		d := &desired[i]
		if d.ID != "" {
			continue
		}
		var free []*model.Resource
		for _, l := range byName[d.Addr.String()] {
			if !taken[l] && sameKey(d, l, schemas[d.Addr.Kind]) {
				free = append(free, l)
			}
		}
		switch len(free) {
		case 0:
			pairs = append(pairs, Pair{Addr: d.Addr, Desired: d})
		case 1:
			taken[free[0]] = true
			pairs = append(pairs, Pair{Addr: d.Addr, Desired: d, Live: free[0]})
		default:
			for _, l := range free {
				taken[l] = true
			}
			problems = append(problems, duplicate(d, free))
		}
	}
	for i := range live {
		l := &live[i]
		if l.Untouchable == "" && !taken[l] {
			pairs = append(pairs, Pair{Addr: l.Addr, Live: l})
		}
	}
	sortPairs(pairs)
	return pairs, ignored, problems
}

// sameKey compares the key attributes beyond the name. An attribute the
// declaration leaves out (an `ensure: absent` target group without its
// region) matches any value.
func sameKey(d, l *model.Resource, ks model.KindSchema) bool {
	for _, a := range ks.KeyAttrs {
		want, ok := model.Get(d.Attrs, a)
		if !ok || want == nil {
			continue
		}
		got, _ := model.Get(l.Attrs, a)
		if !Equal(want, got) {
			return false
		}
	}
	return true
}

func duplicate(d *model.Resource, live []*model.Resource) *Problem {
	ids := make([]string, len(live))
	for i, l := range live {
		ids[i] = l.ID
	}
	sort.Strings(ids)
	return &Problem{Addr: d.Addr, Desired: d, Msg: fmt.Sprintf(
		"%d live objects match this name (ids %s); pin the one to manage with `id:`",
		len(ids), strings.Join(ids, ", "))}
}
