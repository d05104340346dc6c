package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// iteration runs one faulted apply and the fault-free checks after it. It
// returns false when the sandbox could not be brought back to a converged
// state, which ends the soak.
func (s *soak) iteration(i int) bool {
	prev := s.variant
	if i == 0 {
		s.variant = soakFirstVariant()
		s.variant.edits = []string{"first variant"}
	} else {
		s.variant = soakNextVariant(s.variant, s.rng)
	}
	s.writeConfig()
	s.inj.begin(i)
	start := time.Now()
	out, code := s.run(true, "apply", "--auto-approve")
	took := time.Since(start)
	s.inj.end()
	s.forgetShrunk(i)
	s.stats.recordApply(i, code, out)
	s.t.Logf("iteration %d: %s: faulted apply exit %d in %s", i, strings.Join(s.variant.edits, "; "), code,
		took.Round(10*time.Millisecond))

	seen := map[string]int{}
	dirty := s.checkDuplicates(i, seen, "faulted apply")
	if code != 0 {
		out, code := s.run(false, "apply", "--auto-approve")
		if code != 0 {
			s.stats.add(&s.stats.cleanFailed, 1, i, "fault-free apply exit %d: %s", code, strings.Join(soakCauses(out), " | "))
			dirty = true
		}
		dirty = s.checkDuplicates(i, seen, "fault-free apply") || dirty
	}
	converged := s.converged(i, true)
	dirty = s.checkLost(i, converged) || !converged || dirty
	if dirty && !s.repair(i, prev) {
		return false
	}
	o, err := openSoakSandbox(s.statePath)
	if err != nil {
		s.t.Fatal(err)
	}
	s.topUp(o)
	if err := o.Close(); err != nil {
		s.t.Fatal(err)
	}
	return true
}

// forgetShrunk removes the strays the shrink step deleted from the ones
// that must survive.
func (s *soak) forgetShrunk(i int) {
	for _, ev := range s.inj.shrinks {
		if ev.iter != i {
			continue
		}
		for _, name := range ev.deleted {
			delete(s.strays, "targetGroup "+name+"@eu-west-3")
		}
		if ev.slid != "" {
			s.t.Logf("iteration %d: shrink deleted %v; target group %q slid onto page 1", i, ev.deleted, ev.slid)
		}
	}
}

// checkDuplicates counts live objects that share a key with another, beyond
// what an earlier check of this iteration (seen) already counted.
func (s *soak) checkDuplicates(i int, seen map[string]int, after string) bool {
	inv, err := readSoakInventory(s.statePath)
	if err != nil {
		s.t.Fatal(err)
	}
	found := false
	for key, objs := range inv {
		if extra := len(objs) - 1 - seen[key]; len(objs) > 1 && extra > 0 {
			s.stats.add(&s.stats.duplicates, extra, i, "after the %s: %d more live %s", after, extra, key)
			seen[key] += extra
			found = true
		}
	}
	return found || len(inv.duplicates()) > 0
}

// converged runs a fault-free plan and reports whether it says "No
// changes."; count records a failure as a non-converging re-run.
func (s *soak) converged(i int, count bool) bool {
	out, code := s.run(false, "plan", "--detailed-exitcode")
	if code == 0 && strings.Contains(out, "No changes.") {
		return true
	}
	if count {
		s.stats.add(&s.stats.nonConverging, 1, i, "plan exit %d: %s", code, strings.Join(soakPlanLines(out), " | "))
	}
	return false
}

// checkLost counts declared objects that are not live (only when the plan
// converged: otherwise a missing object is a non-converging re-run, counted
// already) and strays that are gone although only lswctl touched them.
func (s *soak) checkLost(i int, converged bool) bool {
	inv, err := readSoakInventory(s.statePath)
	if err != nil {
		s.t.Fatal(err)
	}
	var missing []string
	if converged {
		for _, key := range s.variant.declared() {
			if !inv.has(key) {
				missing = append(missing, key)
			}
		}
		have := inv.edgeListeners()
		for _, l := range s.variant.listeners {
			if want := fmt.Sprintf("%s:%d", l.protocol, l.port); !slices.Contains(have, want) {
				missing = append(missing, "listener edge/"+want)
			}
		}
	}
	for key := range s.strays {
		if !inv.has(key) {
			missing = append(missing, key+" (unmanaged)")
			delete(s.strays, key) // count it once
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		s.stats.add(&s.stats.lost, 1, i, "%s is not live", m)
	}
	return len(missing) > 0
}

// declared lists the natural keys of the objects the variant declares
// present (listeners aside).
func (v *soakVariant) declared() []string {
	var keys []string
	for i, in := range v.inst {
		if in.present {
			keys = append(keys, fmt.Sprintf("instance web-%d", i+1))
		}
	}
	keys = append(keys, "targetGroup web@eu-west-3", "loadBalancer edge")
	if v.alt.present {
		keys = append(keys, "targetGroup alt@eu-west-3")
	}
	return keys
}
