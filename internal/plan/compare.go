package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/model"
)

// Compare lists, one line each, every way a saved plan differs from the
// plan made again now from the same configuration and live state: a step
// only one of them holds, and for the steps both hold a different action,
// id, before, after, changes, dependsOn, deposed half or fingerprint. It
// also compares the plan's guard (maxDeletes) and the ids of the objects
// the steps reference without changing them. An empty result proves that
// applying now carries out exactly what the saved plan shows.
//
// Values are compared in their saved (JSON) form, the form the file holds:
// a number saved as 20 equals the configuration's 20 whatever its Go type,
// and a secret equals another with the same digest and source. Reason and
// Warnings are for display only and are not compared.
func Compare(saved, now *Plan) []string {
	var out []string
	if saved.MaxDeletes != now.MaxDeletes {
		out = append(out, fmt.Sprintf("maxDeletes is %d in the plan file, %d in the configuration",
			saved.MaxDeletes, now.MaxDeletes))
	}
	out = append(out, compareKnownIDs(saved.KnownIDs, now.KnownIDs)...)
	savedSteps, nowSteps := stepsByKey(saved), stepsByKey(now)
	for _, k := range unionKeys(savedSteps, nowSteps) {
		s, n := savedSteps[k], nowSteps[k]
		switch {
		case n == nil:
			out = append(out, fmt.Sprintf("%s: the plan file holds a step to %s it, which the configuration and live state do not call for",
				quote(k), verbOf(s.Action)))
		case s == nil:
			out = append(out, fmt.Sprintf("%s: the configuration and live state call for a step to %s it, which the plan file lacks",
				quote(k), verbOf(n.Action)))
		default:
			for _, d := range compareStep(s, n) {
				out = append(out, quote(k)+": "+d)
			}
		}
	}
	return out
}

func compareStep(s, n *Step) []string {
	var out []string
	if s.Action != n.Action {
		return []string{fmt.Sprintf("the plan file says %s, the configuration and live state say %s",
			verbOf(s.Action), verbOf(n.Action))}
	}
	if s.ID != n.ID {
		out = append(out, fmt.Sprintf("id is %s in the plan file, %s now", quoteOr(s.ID, "none"), quoteOr(n.ID, "none")))
	}
	if s.Deposed != n.Deposed {
		out = append(out, fmt.Sprintf("deposed is %t in the plan file, %t now", s.Deposed, n.Deposed))
	}
	out = append(out, compareValues("before", s.Before, n.Before)...)
	out = append(out, compareValues("after", s.After, n.After)...)
	out = append(out, compareChanges(s.Changes, n.Changes)...)
	if (len(s.DependsOn) > 0 || len(n.DependsOn) > 0) && !sameJSON(s.DependsOn, n.DependsOn) {
		out = append(out, fmt.Sprintf("dependsOn is [%s] in the plan file, [%s] now",
			quoteAll(s.DependsOn), quoteAll(n.DependsOn)))
	}
	if s.Fingerprint != n.Fingerprint {
		out = append(out, "the live object's fingerprint differs from the plan file's")
	}
	return out
}

// compareValues names the fields of two attribute maps that differ.
func compareValues(what string, saved, now model.Object) []string {
	if (len(saved) == 0 && len(now) == 0) || sameJSON(saved, now) {
		return nil // an empty map is left out of the file and comes back nil
	}
	var fields []string
	for _, p := range unionPaths(saved, now) {
		a, _ := model.Get(saved, p)
		b, _ := model.Get(now, p)
		if !sameJSON(a, b) {
			fields = append(fields, fmt.Sprintf("%s: %s in the plan file, %s now", quote(p), quote(model.Format(a)), quote(model.Format(b))))
		}
	}
	if len(fields) == 0 {
		return []string{what + " differs"}
	}
	return []string{what + " differs (" + strings.Join(fields, "; ") + ")"}
}

func compareChanges(saved, now []diff.Change) []string {
	if sameJSON(nonNil(saved), nonNil(now)) {
		return nil
	}
	byPath := func(cs []diff.Change) map[string]diff.Change {
		m := map[string]diff.Change{}
		for _, c := range cs {
			m[c.Path] = c
		}
		return m
	}
	a, b := byPath(saved), byPath(now)
	var paths []string
	for _, p := range unionKeys(a, b) {
		ca, inA := a[p]
		cb, inB := b[p]
		if inA != inB || !sameJSON(ca, cb) {
			paths = append(paths, quote(p))
		}
	}
	if len(paths) == 0 {
		return []string{"changes differ"}
	}
	return []string{"changes differ at " + strings.Join(paths, ", ")}
}

func compareKnownIDs(saved, now map[model.Address]string) []string {
	var out []string
	keys := map[string]model.Address{}
	for a := range saved {
		keys[a.String()] = a
	}
	for a := range now {
		keys[a.String()] = a
	}
	for _, k := range model.SortedKeys(keys) {
		a := keys[k]
		if saved[a] != now[a] {
			out = append(out, fmt.Sprintf("%s: the plan file knows it as id %s, live state as %s",
				quote(k), quoteOr(saved[a], "none"), quoteOr(now[a], "none")))
		}
	}
	return out
}

// sameJSON reports whether two values have the same saved form. A value
// that cannot be saved equals nothing.
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

func nonNil(cs []diff.Change) []diff.Change {
	if cs == nil {
		return []diff.Change{}
	}
	return cs
}

func stepsByKey(p *Plan) map[string]*Step {
	m := make(map[string]*Step, len(p.Steps))
	for i := range p.Steps {
		m[p.Steps[i].Key()] = &p.Steps[i]
	}
	return m
}

func unionKeys[V any](a, b map[string]V) []string {
	set := map[string]bool{}
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	return model.SortedKeys(set)
}

func unionPaths(a, b model.Object) []string {
	set := map[string]bool{}
	for _, p := range append(model.Leaves(a), model.Leaves(b)...) {
		set[p] = true
	}
	return model.SortedKeys(set)
}

// verbOf names an action the way the plan's output does.
func verbOf(a Action) string {
	switch a {
	case DeleteThenCreate, CreateThenDelete:
		return "replace (" + string(a) + ")"
	}
	return string(a)
}

func quoteOr(s, none string) string {
	if s == "" {
		return none
	}
	return quote(s)
}

func quoteAll(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quote(s)
	}
	return strings.Join(out, ", ")
}
