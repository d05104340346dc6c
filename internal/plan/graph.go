package plan

import (
	"sort"

	"github.com/lswctl/lswctl/internal/model"
)

// addEdges derives dependency edges from references: a create, update or
// replace waits for every step of an object its new attributes reference; a
// delete of an object waits for the steps of every object that referenced it
// (deletes walk the graph in reverse).
func addEdges(p *Plan) {
	has := map[model.Address]bool{}
	for _, s := range p.Steps {
		has[s.Addr] = true
	}
	deps := map[model.Address]map[model.Address]bool{}
	add := func(from, to model.Address) {
		if from == to || !has[to] {
			return
		}
		if deps[from] == nil {
			deps[from] = map[model.Address]bool{}
		}
		deps[from][to] = true
	}
	actions := map[model.Address]Action{}
	for _, s := range p.Steps {
		actions[s.Addr] = s.Action
	}
	for _, s := range p.Steps {
		for _, r := range model.Refs(s.After) {
			if actions[r.To] == Delete {
				// The object this one will point at is going away: the
				// delete must wait for this step instead.
				add(r.To, s.Addr)
				continue
			}
			add(s.Addr, r.To)
		}
		for _, r := range model.Refs(s.Before) {
			if actions[r.To].Destroys() && actions[r.To] != CreateThenDelete {
				add(r.To, s.Addr)
			}
		}
	}
	for i := range p.Steps {
		s := &p.Steps[i]
		s.DependsOn = nil
		for to := range deps[s.Addr] {
			s.DependsOn = append(s.DependsOn, to)
		}
		sort.Slice(s.DependsOn, func(a, b int) bool { return s.DependsOn[a].Less(s.DependsOn[b]) })
	}
}

// order sorts steps topologically, ties broken by address, so output is
// deterministic. It returns the members of a cycle when there is one.
func order(steps []Step) ([]Step, []model.Address) {
	byAddr := map[model.Address]Step{}
	indeg := map[model.Address]int{}
	users := map[model.Address][]model.Address{}
	for _, s := range steps {
		byAddr[s.Addr] = s
		indeg[s.Addr] += 0
		for _, d := range s.DependsOn {
			indeg[s.Addr]++
			users[d] = append(users[d], s.Addr)
		}
	}
	var ready, out []model.Address
	for a, n := range indeg {
		if n == 0 {
			ready = append(ready, a)
		}
	}
	for len(ready) > 0 {
		sort.Slice(ready, func(i, j int) bool { return ready[i].Less(ready[j]) })
		a := ready[0]
		ready = ready[1:]
		out = append(out, a)
		for _, u := range users[a] {
			if indeg[u]--; indeg[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	if len(out) < len(steps) {
		return nil, Cycle(edgesOf(steps))
	}
	sorted := make([]Step, len(out))
	for i, a := range out {
		sorted[i] = byAddr[a]
	}
	return sorted, nil
}

func edgesOf(steps []Step) map[model.Address][]model.Address {
	g := map[model.Address][]model.Address{}
	for _, s := range steps {
		g[s.Addr] = s.DependsOn
	}
	return g
}

// Cycle returns the members of one dependency cycle in g (node → the nodes
// it depends on), sorted, or nil when g is acyclic. Validation uses it on the
// references of the configuration before anything is read.
func Cycle(g map[model.Address][]model.Address) []model.Address {
	const (
		unvisited = iota
		active
		done
	)
	state := map[model.Address]int{}
	var stack []model.Address
	var found []model.Address
	var visit func(a model.Address) bool
	visit = func(a model.Address) bool {
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
	nodes := make([]model.Address, 0, len(g))
	for a := range g {
		nodes = append(nodes, a)
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].Less(nodes[j]) })
	for _, a := range nodes {
		if state[a] == unvisited && visit(a) {
			sort.Slice(found, func(i, j int) bool { return found[i].Less(found[j]) })
			return found
		}
	}
	return nil
}
