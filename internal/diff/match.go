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
	m := matcher{byID: map[string]*model.Resource{}, byName: map[string][]*model.Resource{}, taken: map[*model.Resource]bool{}}
	var ignored []model.Resource
	for i := range live {
		l := &live[i]
		if l.Untouchable != "" {
			ignored = append(ignored, *l)
			continue
		}
		m.byID[l.Addr.Kind+"\x00"+l.ID] = l
		m.byName[l.Addr.String()] = append(m.byName[l.Addr.String()], l)
	}
	// Pinned declarations first, so a pin resolves a duplicate key.
	for i := range desired {
		if desired[i].ID != "" {
			m.pinned(&desired[i])
		}
	}
	for i := range desired {
		if desired[i].ID == "" {
			m.keyed(&desired[i], schemas[desired[i].Addr.Kind])
		}
	}
	for i := range live {
		l := &live[i]
		if l.Untouchable == "" && !m.taken[l] {
			m.pairs = append(m.pairs, Pair{Addr: l.Addr, Live: l})
		}
	}
	sortPairs(m.pairs)
	return m.pairs, ignored, m.problems
}

// matcher is the state of one Match.
type matcher struct {
	byID     map[string]*model.Resource
	byName   map[string][]*model.Resource
	taken    map[*model.Resource]bool
	pairs    []Pair
	problems []*Problem
}

// pinned pairs a declaration with the live object its id names.
func (m *matcher) pinned(d *model.Resource) {
	l, ok := m.byID[d.Addr.Kind+"\x00"+d.ID]
	switch {
	case !ok && d.Ensure != model.Absent:
		m.problems = append(m.problems, &Problem{Addr: d.Addr, Desired: d,
			Msg: fmt.Sprintf("id %s does not exist (an id can only pin an existing object; remove it to create a new one)", d.ID)})
		m.pairs = append(m.pairs, Pair{Addr: d.Addr, Desired: d})
	case !ok:
		m.pairs = append(m.pairs, Pair{Addr: d.Addr, Desired: d})
	default:
		m.taken[l] = true
		m.pairs = append(m.pairs, Pair{Addr: d.Addr, Desired: d, Live: l})
	}
}

// keyed pairs a declaration with the one live object of its key.
func (m *matcher) keyed(d *model.Resource, ks model.KindSchema) {
	var free []*model.Resource
	for _, l := range m.byName[d.Addr.String()] {
		if !m.taken[l] && sameKey(d, l, ks) {
			free = append(free, l)
		}
	}
	switch len(free) {
	case 0:
		m.pairs = append(m.pairs, Pair{Addr: d.Addr, Desired: d})
	case 1:
		m.taken[free[0]] = true
		m.pairs = append(m.pairs, Pair{Addr: d.Addr, Desired: d, Live: free[0]})
	default:
		for _, l := range free {
			m.taken[l] = true
		}
		m.problems = append(m.problems, duplicate(d, free))
	}
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
