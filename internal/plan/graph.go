package plan

import (
	"sort"

	"github.com/lswctl/lswctl/internal/model"
)

// addEdges derives the dependency edges of every step; nothing is
// hard-coded per kind.
//
//   - A step waits for the steps of the objects its new attributes
//     reference (a listener for its target group and its load balancer).
//   - A step that destroys an object waits for every step whose live
//     attributes mention the object's id: what points at an object must be
//     changed or deleted first (listeners before their target group,
//     deregistration before an instance is terminated). The exception is a
//     step that points at the object's replacement: it has to wait for the
//     replacement instead, and the old object's id is dropped by then.
//   - The delete half of a create-then-delete replacement waits for the
//     create half, and so for everything re-pointed in between.
func addEdges(p *Plan) {
	g := newEdges(p.Steps)
	for i := range p.Steps {
		s := &p.Steps[i]
		for _, r := range model.Refs(s.After) {
			if !r.Named() || r.To == s.Addr {
				continue
			}
			if t := g.byKey[r.To.String()]; t != nil && t.Action == Delete {
				g.add(t.Key(), s.Key()) // it is going away: it waits for s
				continue
			}
			g.add(s.Key(), r.To.String())
		}
		if s.Deposed {
			g.add(s.Key(), s.Addr.String())
		}
	}
	for i := range p.Steps {
		d := &p.Steps[i]
		if !d.Action.Destroys() || d.Action == CreateThenDelete || d.ID == "" {
			continue
		}
		for j := range p.Steps {
			s := &p.Steps[j]
			if i == j || s.Addr == d.Addr || !mentions(s.Before, d.ID) {
				continue
			}
			if d.Action == DeleteThenCreate && refersTo(s.After, d.Addr) {
				continue
			}
			g.add(d.Key(), s.Key())
		}
	}
	for i := range p.Steps {
		p.Steps[i].DependsOn = g.of(p.Steps[i].Key())
	}
}

// edges is a set of dependency edges between step keys.
type edges struct {
	byKey map[string]*Step
	deps  map[string]map[string]bool
}

func newEdges(steps []Step) *edges {
	g := &edges{byKey: map[string]*Step{}, deps: map[string]map[string]bool{}}
	for i := range steps {
		g.byKey[steps[i].Key()] = &steps[i]
	}
	return g
}

// add records that step from waits for step to, when both exist.
func (g *edges) add(from, to string) {
	if from == to || g.byKey[to] == nil || g.byKey[from] == nil {
		return
	}
	if g.deps[from] == nil {
		g.deps[from] = map[string]bool{}
	}
	g.deps[from][to] = true
}

func (g *edges) of(key string) []string {
	out := make([]string, 0, len(g.deps[key]))
	for k := range g.deps[key] {
		out = append(out, k)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

// mentions reports whether id appears as a value anywhere in attrs.
func mentions(attrs model.Object, id string) bool {
	found := false
	model.Walk(attrs, "", func(_ string, v any) {
		if s, ok := v.(string); ok && s == id {
			found = true
		}
	})
	return found
}

func refersTo(attrs model.Object, a model.Address) bool {
	for _, r := range model.Refs(attrs) {
		if r.Named() && r.To == a {
			return true
		}
	}
	return false
}

// order sorts steps topologically, ties broken by key, so output is
// deterministic. It returns the members of a cycle when there is one.
func order(steps []Step) ([]Step, []string) {
	byKey := map[string]Step{}
	indeg := map[string]int{}
	users := map[string][]string{}
	for _, s := range steps {
		byKey[s.Key()] = s
		indeg[s.Key()] = len(s.DependsOn)
		for _, d := range s.DependsOn {
			users[d] = append(users[d], s.Key())
		}
	}
	var ready, out []string
	for k, n := range indeg {
		if n == 0 {
			ready = append(ready, k)
		}
	}
	for len(ready) > 0 {
		sort.Strings(ready)
		k := ready[0]
		ready = ready[1:]
		out = append(out, k)
		for _, u := range users[k] {
			if indeg[u]--; indeg[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	if len(out) < len(steps) {
		g := map[string][]string{}
		for _, s := range steps {
			g[s.Key()] = s.DependsOn
		}
		return nil, Cycle(g)
	}
	sorted := make([]Step, len(out))
	for i, k := range out {
		sorted[i] = byKey[k]
	}
	return sorted, nil
}

// Cycle returns the members of one cycle in g (node → the nodes it depends
// on), sorted, or nil when g is acyclic. Validation uses it on the
// references of the configuration before anything is read.
func Cycle(g map[string][]string) []string {
	const (
		unvisited = iota
		active
		done
	)
	state := map[string]int{}
	var stack, found []string
	var visit func(a string) bool
	visit = func(a string) bool {
		state[a] = active
		stack = append(stack, a)
		for _, b := range g[a] {
			switch state[b] {
			case active:
				for i := len(stack) - 1; i >= 0; i-- {
					found = append(found, stack[i])
					if stack[i] == b {
						break
					}
				}
				return true
			case unvisited:
				if visit(b) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[a] = done
		return false
	}
	nodes := make([]string, 0, len(g))
	for a := range g {
		nodes = append(nodes, a)
	}
	sort.Strings(nodes)
	for _, a := range nodes {
		if state[a] == unvisited && visit(a) {
			sort.Strings(found)
			return found
		}
	}
	return nil
}
