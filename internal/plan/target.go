package plan

import (
	"fmt"
	"path"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
)

// Match reports whether an address matches a --target pattern: a glob over
// "kind.name" (path.Match syntax), where a pattern naming an object also
// names its children ("loadBalancer.edge" matches "listener.edge/HTTP:80"
// when the listener's parent is loadBalancer.edge).
func Match(pattern string, addr, parent model.Address) bool {
	if ok, _ := path.Match(pattern, addr.String()); ok {
		return true
	}
	if parent != (model.Address{}) {
		ok, _ := path.Match(pattern, parent.String())
		return ok
	}
	return false
}

// CheckPatterns rejects malformed patterns and patterns that name nothing
// among the known addresses.
func CheckPatterns(patterns []string, known []model.Address) error {
	for _, pat := range patterns {
		if _, err := path.Match(pat, ""); err != nil {
			return fmt.Errorf("--target %q: %v", pat, err)
		}
		found := false
		for _, a := range known {
			if ok, _ := path.Match(pat, a.String()); ok {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("--target %q matches no declared or live object (addresses look like instance.web-1)", pat)
		}
	}
	return nil
}

// Target keeps the steps of the objects the patterns match and, so that
// the result can be applied on its own, every step they depend on,
// transitively. parents maps child addresses to their parents. Unmanaged and
// ignored objects outside the patterns are dropped from the report.
func Target(p *Plan, patterns []string, parents map[model.Address]model.Address) {
	if len(patterns) == 0 {
		return
	}
	matches := func(a model.Address) bool {
		for _, pat := range patterns {
			if Match(pat, a, parents[a]) {
				return true
			}
		}
		return false
	}
	keep := map[string]bool{}
	byKey := map[string]*Step{}
	var queue []string
	for i := range p.Steps {
		s := &p.Steps[i]
		byKey[s.Key()] = s
		if matches(s.Addr) {
			keep[s.Key()] = true
			queue = append(queue, s.Key())
		}
	}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, d := range byKey[k].DependsOn {
			if !keep[d] {
				keep[d] = true
				queue = append(queue, d)
			}
		}
	}
	steps := p.Steps[:0]
	for _, s := range p.Steps {
		if keep[s.Key()] {
			steps = append(steps, s)
		}
	}
	p.Steps = steps
	p.Unmanaged = filter(p.Unmanaged, func(u Unmanaged) bool { return matches(u.Addr) })
	p.Ignored = filter(p.Ignored, func(i Ignored) bool { return matches(i.Addr) })
	p.Targets = patterns
	p.Warnings = nil
	p.warnDeletes()
	p.Warnings = append(p.Warnings, "this plan is limited to --target "+strings.Join(patterns, ", ")+
		" and what it depends on: other changes are neither shown nor applied, so live state may still differ from the configuration")
}

func filter[T any](in []T, keep func(T) bool) []T {
	var out []T
	for _, x := range in {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}
