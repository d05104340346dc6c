package plan

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/lswctl/lswctl/internal/model"
)

// maxProblems bounds how many problems a malformed plan file reports: a
// fuzzed or truncated file can have thousands, and the first few say it.
const maxProblems = 20

// knownActions are the actions a plan's step may hold: no-ops are left out of
// plans, and anything else is not an action at all.
var knownActions = map[Action]bool{Create: true, Update: true, Delete: true, DeleteThenCreate: true, CreateThenDelete: true}

// Validate checks the structure of a decoded plan, so that nothing
// downstream — the renderers, the comparison apply makes, the walker — ever
// sees a plan that a plan run could not have produced in shape: every
// action known; every address present, parseable and of a known kind; step
// keys unique; every dependsOn naming another step and no dependency
// cycle; a create with no id and no live attributes, every other step with
// an id; deposed only on a delete (a replacement's old half) or an update
// (a release); references only to known kinds.
// Validate says nothing about whether the plan is still right: apply makes
// the plan again and compares (see Compare).
func Validate(p *Plan, kinds map[string]bool) error {
	var errs problems
	keys := map[string]int{}
	for i := range p.Steps {
		s := &p.Steps[i]
		validateStep(&errs, i, s, kinds)
		if s.Addr.Kind == "" || s.Addr.Name == "" {
			continue
		}
		if j, dup := keys[s.Key()]; dup {
			errs.add(i, s, "the same step as steps[%d]: a plan holds one step per key", j)
			continue
		}
		keys[s.Key()] = i
	}
	g := map[string][]string{}
	for i := range p.Steps {
		s := &p.Steps[i]
		for _, d := range s.DependsOn {
			switch _, ok := keys[d]; {
			case d == s.Key():
				errs.add(i, s, "dependsOn names the step itself")
			case !ok:
				errs.add(i, s, "dependsOn names %s, which is not a step of the plan", quote(d))
			default:
				g[s.Key()] = append(g[s.Key()], d)
			}
		}
	}
	if cycle := Cycle(g); cycle != nil {
		quoted := make([]string, 0, maxProblems+1)
		for _, k := range cycle[:min(len(cycle), maxProblems)] {
			quoted = append(quoted, quote(k))
		}
		if len(cycle) > maxProblems {
			quoted = append(quoted, fmt.Sprintf("and %d more", len(cycle)-maxProblems))
		}
		errs.addf("dependsOn forms a cycle: %s", strings.Join(quoted, ", "))
	}
	validateRest(&errs, p, kinds)
	return errs.err()
}

func validateStep(errs *problems, i int, s *Step, kinds map[string]bool) {
	if s.Addr.Kind == "" || s.Addr.Name == "" {
		errs.add(i, s, "the address is missing")
	} else if !kinds[s.Addr.Kind] {
		errs.add(i, s, "unknown kind %s", strconv.Quote(s.Addr.Kind))
	}
	switch {
	case !knownActions[s.Action]:
		errs.add(i, s, "unknown action %s (want create, update, delete, delete-then-create or create-then-delete)", strconv.Quote(string(s.Action)))
	case s.Action == Create && (s.ID != "" || s.Before != nil):
		errs.add(i, s, "a create has neither an id nor live attributes (before)")
	case s.Action != Create && s.ID == "":
		errs.add(i, s, "a %s needs the id of the live object", s.Action)
	case s.Deposed && s.Action != Delete && s.Action != Update:
		errs.add(i, s, "only a delete (the old half of a replacement) or an update (a release) can be deposed")
	}
	for j, c := range s.Changes {
		if c.Path == "" {
			errs.add(i, s, "changes[%d] has no path", j)
		}
	}
	for _, r := range stepRefs(s) {
		if r.Named() && !kinds[r.To.Kind] {
			errs.add(i, s, "refers to %s, of an unknown kind", quote(r.To.String()))
		}
	}
}

// stepRefs lists the references in a step's values.
func stepRefs(s *Step) []model.Ref {
	out := append(model.Refs(s.Before), model.Refs(s.After)...)
	for _, c := range s.Changes {
		out = append(append(out, model.Refs(c.Before)...), model.Refs(c.After)...)
	}
	return out
}

// validateRest checks what surrounds the steps.
func validateRest(errs *problems, p *Plan, kinds map[string]bool) {
	for _, u := range p.Unmanaged {
		checkAddr(errs, "unmanaged", u.Addr, kinds)
	}
	for _, ig := range p.Ignored {
		checkAddr(errs, "ignored", ig.Addr, kinds)
	}
	for a := range p.KnownIDs {
		checkAddr(errs, "knownIds", a, kinds)
	}
	for _, pat := range p.Targets {
		if _, err := path.Match(pat, ""); err != nil {
			errs.addf("targets: %s is not a valid pattern: %v", strconv.Quote(pat), err)
		}
	}
	for _, r := range p.Replace {
		a, err := model.ParseAddress(r)
		if err != nil {
			errs.addf("replace: %s is not an address (want KIND.NAME)", strconv.Quote(r))
			continue
		}
		checkAddr(errs, "replace", a, kinds)
	}
	if p.MaxDeletes < 0 {
		errs.addf("maxDeletes is %d: it cannot be negative", p.MaxDeletes)
	}
}

func checkAddr(errs *problems, field string, a model.Address, kinds map[string]bool) {
	switch {
	case a.Kind == "" || a.Name == "":
		errs.addf("%s: an address is missing", field)
	case !kinds[a.Kind]:
		errs.addf("%s: %s is of an unknown kind", field, quote(a.String()))
	}
}

// problems collects what is wrong with a plan file, up to maxProblems.
type problems struct {
	list []string
	more int
}

func (p *problems) addf(format string, args ...any) {
	if len(p.list) == maxProblems {
		p.more++
		return
	}
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

// add records a problem with step i, named by its index and its address.
func (p *problems) add(i int, s *Step, format string, args ...any) {
	where := fmt.Sprintf("steps[%d]", i)
	if s.Addr.Kind != "" || s.Addr.Name != "" {
		where += " (" + quote(s.Key()) + ")"
	}
	p.addf(where+": "+format, args...)
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	msg := "not a valid plan file:\n  " + strings.Join(p.list, "\n  ")
	if p.more > 0 {
		msg += fmt.Sprintf("\n  and %d more", p.more)
	}
	return errors.New(msg)
}

// quote returns s as it is when every character is printable, and quoted
// with escapes otherwise: a plan file's strings must not be able to move
// the cursor or forge lines in the message that reports them.
func quote(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}
