package plan

import "sort"

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
