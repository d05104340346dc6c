package main

import (
	"maps"
	"slices"
	"strings"
)

// repair brings the sandbox back to a converged state after a failed check,
// so that one soak measures every kind of failure rather than only the
// first: it deletes duplicates out of band (newest first, keeping one object
// per key; a target group a listener uses cannot be deleted, so that one
// stays), then applies fault-free until a plan says "No changes.". When the
// variant does not converge even so (a planner error), the soak goes back
// to the previous variant, which did, and counts the variant as abandoned.
// It returns false when nothing converges.
func (s *soak) repair(i int, prev soakVariant) bool {
	s.stats.repairs++
	s.removeDuplicates(i)
	if s.settle(i) {
		return true
	}
	s.stats.add(&s.stats.abandoned, 1, i, "variant abandoned: it does not converge even without faults")
	s.variant = prev
	s.writeConfig()
	return s.settle(i)
}

// removeDuplicates deletes all but one live object of every key.
func (s *soak) removeDuplicates(i int) {
	inv, err := readSoakInventory(s.statePath)
	if err != nil {
		s.t.Fatal(err)
	}
	o, err := openSoakSandbox(s.statePath)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, key := range slices.Sorted(maps.Keys(inv)) {
		objs := inv[key]
		left := len(objs)
		for j := len(objs) - 1; j >= 0 && left > 1; j-- {
			if o.remove(objs[j]) == nil {
				left--
			}
		}
		if left > 1 {
			s.t.Logf("iteration %d: clean-up left %d live objects for %s", i, left, key)
		}
	}
	if err := o.Close(); err != nil {
		s.t.Fatal(err)
	}
}

// settle applies and plans fault-free, twice at most, until the plan
// converges.
func (s *soak) settle(i int) bool {
	for range 2 {
		if out, code := s.run(false, "apply", "--auto-approve"); code != 0 {
			s.t.Logf("iteration %d: clean-up apply exit %d: %s", i, code, strings.Join(soakCauses(out), " | "))
		}
		if s.converged(i, false) {
			return true
		}
	}
	return false
}
