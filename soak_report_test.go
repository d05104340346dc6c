package main

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// soakStats are the soak's figures; events say which iteration did what.
type soakStats struct {
	applies, exit0, exit1 int
	causes                map[string]int // why faulted applies exited 1, normalised
	cleanFailed           int            // fault-free applies (after a failed faulted one) that failed
	duplicates            int            // live objects beyond the first for a key
	lost                  int            // declared or unmanaged objects that were not live
	nonConverging         int            // fault-free plans that did not say "No changes."
	repairs               int            // out-of-band clean-ups the soak needed
	abandoned             int            // variants that did not converge even without faults
	events                []string

	requests int
	faults   [soakFaultKinds]int
	shrinks  []soakShrinkEvent
	wall     time.Duration
}

func newSoakStats() soakStats { return soakStats{causes: map[string]int{}} }

// add adds n to a counter and records why.
func (st *soakStats) add(counter *int, n, iter int, format string, args ...any) {
	*counter += n
	st.events = append(st.events, fmt.Sprintf("iteration %d: ", iter)+fmt.Sprintf(format, args...))
}

func (st *soakStats) recordApply(iter, code int, out string) {
	st.applies++
	if code == 0 {
		st.exit0++
		return
	}
	st.exit1++
	cs := soakCauses(out)
	if len(cs) == 0 {
		cs = []string{fmt.Sprintf("exit %d without an error line", code)}
	}
	for _, c := range slices.Compact(slices.Sorted(slices.Values(cs))) {
		st.causes[c]++
	}
}

var (
	soakCorrRE     = regexp.MustCompile(` \[correlationId [^\]]*\]`)
	soakWebNameRE  = regexp.MustCompile(`web-\d`)
	soakAttemptsRE = regexp.MustCompile(`after \d+ attempts`)
	soakDurationRE = regexp.MustCompile(`\b\d+(\.\d+)?(ms|s)\b`)
	soakPlanLineRE = regexp.MustCompile(`^((\+|~|-|-/\+|\+/-)\s+(create|update|delete|replace)\s|Error|\./|\.:)`)
)

// causes returns the error lines of an apply's output, normalised so that
// the same failure reads the same in every iteration: the steps listed
// under "Failed:" and every "Error:" line.
func soakCauses(out string) []string {
	var cs []string
	inFailed := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "Failed:"):
			inFailed = true
			continue
		case inFailed && strings.HasPrefix(line, "  "):
			cs = append(cs, soakNormaliseCause(strings.TrimSpace(line)))
			continue
		case strings.HasPrefix(line, "Error:") || strings.HasPrefix(line, "./") || strings.HasPrefix(line, ".:"):
			cs = append(cs, soakNormaliseCause(line))
		}
		inFailed = false
	}
	return cs
}

func soakNormaliseCause(s string) string {
	s = soakCorrRE.ReplaceAllString(s, "")
	s = soakUUIDs.ReplaceAllString(s, "{id}")
	s = soakWebNameRE.ReplaceAllString(s, "web-N")
	s = soakAttemptsRE.ReplaceAllString(s, "after N attempts")
	s = soakDurationRE.ReplaceAllString(s, "D")
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	return s
}

// soakPlanLines returns the lines of a plan that say what it would change or
// why it failed, at most eight.
func soakPlanLines(out string) []string {
	var ls []string
	for _, line := range strings.Split(out, "\n") {
		if t := strings.TrimSpace(line); soakPlanLineRE.MatchString(t) && len(ls) < 8 {
			ls = append(ls, soakUUIDs.ReplaceAllString(strings.Join(strings.Fields(t), " "), "{id}"))
		}
	}
	return ls
}

// table renders the figures.
func (st *soakStats) table() string {
	var b strings.Builder
	injected, slid := 0, 0
	var kinds []string
	for k := soak503; k < soakFaultKinds; k++ {
		injected += st.faults[k]
		kinds = append(kinds, fmt.Sprintf("%s %d", soakFaultNames[k], st.faults[k]))
	}
	for _, ev := range st.shrinks {
		if ev.slid != "" {
			slid++
		}
	}
	row := func(name string, format string, args ...any) {
		fmt.Fprintf(&b, "  %-46s %s\n", name, fmt.Sprintf(format, args...))
	}
	b.WriteString("chaos soak figures\n")
	row("faulted applies", "%d", st.applies)
	row("API requests during faulted applies", "%d", st.requests)
	row("faults injected", "%d (%.1f %%): %s", injected, 100*float64(injected)/float64(max(st.requests, 1)),
		strings.Join(kinds, ", "))
	row("shrinks that slid a managed group", "%d of %d", slid, len(st.shrinks))
	row("faulted applies exit 0 / exit 1", "%d / %d", st.exit0, st.exit1)
	row("fault-free applies that failed", "%d", st.cleanFailed)
	row("duplicates", "%d", st.duplicates)
	row("lost", "%d", st.lost)
	row("non-converging re-runs", "%d", st.nonConverging)
	row("clean-ups needed", "%d", st.repairs)
	row("variants abandoned (no fault-free convergence)", "%d", st.abandoned)
	row("wall time", "%s", st.wall.Round(100*time.Millisecond))
	if len(st.causes) > 0 {
		b.WriteString("causes of exit 1 (faulted applies that show it):\n")
		keys := slices.SortedFunc(maps.Keys(st.causes), func(x, y string) int {
			return cmp.Or(st.causes[y]-st.causes[x], strings.Compare(x, y))
		})
		for _, c := range keys {
			fmt.Fprintf(&b, "  %4d  %s\n", st.causes[c], c)
		}
	}
	if len(st.events) > 0 {
		b.WriteString("events:\n")
		for _, e := range st.events {
			b.WriteString("  " + e + "\n")
		}
	}
	return b.String()
}

// assert checks the figures issue 7 promises.
func (st *soakStats) assert(t *testing.T) {
	t.Helper()
	if st.duplicates != 0 {
		t.Errorf("%d duplicate objects, want 0 (see events above)", st.duplicates)
	}
	if st.lost != 0 {
		t.Errorf("%d lost objects, want 0 (see events above)", st.lost)
	}
	if st.nonConverging != 0 {
		t.Errorf("%d fault-free re-runs did not say \"No changes.\", want 0 (see events above)", st.nonConverging)
	}
}
