package plan

import (
	"fmt"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
)

// Object is what targeting knows of one declared or live object: the
// object it belongs to and the objects its declared attributes reference.
type Object struct {
	Addr, Parent model.Address
	Refs         []model.Address
}

// ParsePatterns compiles the patterns of one flag, naming the flag and the
// pattern in an error.
func ParsePatterns(flag string, patterns []string) ([]Pattern, error) {
	out := make([]Pattern, 0, len(patterns))
	for _, s := range patterns {
		p, err := ParsePattern(s)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %v", flag, s, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Target keeps the steps of the objects the patterns match, with their
// children (a pattern naming loadBalancer.edge names its listeners), and,
// so that the result can be applied on its own, the steps of everything
// they depend on, transitively: the objects they reference or belong to,
// whether or not the matched objects change themselves, and every step the
// kept steps wait for. A pattern that matches no object is an error.
// Unmanaged and ignored objects the patterns do not match are dropped from
// the report.
func Target(p *Plan, patterns []string, objects []Object) error {
	if len(patterns) == 0 {
		return nil
	}
	pats, err := ParsePatterns("--target", patterns)
	if err != nil {
		return err
	}
	byAddr := map[model.Address][]Object{}
	for _, o := range objects {
		byAddr[o.Addr] = append(byAddr[o.Addr], o)
	}
	matches := func(a model.Address) bool {
		for _, pat := range pats {
			if pat.Match(a) || matchesParent(pat, byAddr[a]) {
				return true
			}
		}
		return false
	}
	if err := checkMatched(pats, objects); err != nil {
		return err
	}
	in := dependencies(objects, byAddr, matches)
	p.Steps = keepSteps(p.Steps, in)
	p.Unmanaged = filter(p.Unmanaged, func(u Unmanaged) bool { return matches(u.Addr) })
	p.Ignored = filter(p.Ignored, func(i Ignored) bool { return matches(i.Addr) })
	p.Targets = patterns
	p.Warnings = nil
	p.warnDeletes()
	p.Warnings = append(p.Warnings, "this plan is limited to --target "+strings.Join(patterns, ", ")+
		" and what it depends on: other changes are neither shown nor applied, so live state may still differ from the configuration")
	return nil
}

func matchesParent(pat Pattern, objs []Object) bool {
	for _, o := range objs {
		if o.Parent != (model.Address{}) && pat.Match(o.Parent) {
			return true
		}
	}
	return false
}

func checkMatched(pats []Pattern, objects []Object) error {
	for _, pat := range pats {
		found := false
		for _, o := range objects {
			if pat.Match(o.Addr) {
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

// dependencies returns the matched objects and everything they reference
// or belong to, transitively.
func dependencies(objects []Object, byAddr map[model.Address][]Object, matches func(model.Address) bool) map[model.Address]bool {
	in := map[model.Address]bool{}
	var queue []model.Address
	add := func(a model.Address) {
		if a != (model.Address{}) && !in[a] {
			in[a] = true
			queue = append(queue, a)
		}
	}
	for _, o := range objects {
		if matches(o.Addr) {
			add(o.Addr)
		}
	}
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		for _, o := range byAddr[a] {
			add(o.Parent)
			for _, r := range o.Refs {
				add(r)
			}
		}
	}
	return in
}

// keepSteps keeps the steps of the given addresses and every step they
// wait for, transitively (a release, the deposed half of a replacement),
// in their order.
func keepSteps(all []Step, in map[model.Address]bool) []Step {
	keep := map[string]bool{}
	byKey := map[string]*Step{}
	var queue []string
	for i := range all {
		s := &all[i]
		byKey[s.Key()] = s
		if in[s.Addr] {
			keep[s.Key()] = true
			queue = append(queue, s.Key())
		}
	}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, d := range byKey[k].DependsOn {
			if !keep[d] && byKey[d] != nil {
				keep[d] = true
				queue = append(queue, d)
			}
		}
	}
	steps := all[:0]
	for _, s := range all {
		if keep[s.Key()] {
			steps = append(steps, s)
		}
	}
	return steps
}

// Replacements expands --replace patterns into the addresses to replace.
// A pattern without wildcards is an address and is kept as given (Build
// reports one that names nothing). A glob stands for every matching object
// among replaceable (the declared objects that exist live: only those can
// be replaced) and is an error when it matches none of them.
func Replacements(patterns []string, replaceable []model.Address) ([]model.Address, error) {
	pats, err := ParsePatterns("--replace", patterns)
	if err != nil {
		return nil, err
	}
	var out []model.Address
	seen := map[model.Address]bool{}
	add := func(a model.Address) {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	for _, pat := range pats {
		if a, ok := pat.Literal(); ok {
			add(a)
			continue
		}
		found := false
		for _, a := range replaceable {
			if pat.Match(a) {
				found = true
				add(a)
			}
		}
		if !found {
			return nil, fmt.Errorf("--replace %q matches no declared object that exists live (only those can be replaced)", pat)
		}
	}
	return out, nil
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
