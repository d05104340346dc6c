package render

import (
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

// Symbols and verbs never change: scripts and eyes rely on them.
var symbols = map[plan.Action]string{
	plan.Create:           "+",
	plan.Update:           "~",
	plan.Delete:           "-",
	plan.DeleteThenCreate: "-/+",
	plan.CreateThenDelete: "+/-",
}

var verbs = map[plan.Action]string{
	plan.Create:           "create",
	plan.Update:           "update",
	plan.Delete:           "delete",
	plan.DeleteThenCreate: "replace",
	plan.CreateThenDelete: "replace",
}

// Text renders a plan for a terminal. Creates and updates come first, in
// apply order; deletes and replacements follow under their own heading.
func Text(w io.Writer, p *plan.Plan, st Style) error {
	var b strings.Builder
	for _, warn := range p.Warnings {
		fprintf(&b, "%s %s\n\n", st.yellow("Warning:"), warn)
	}
	if !p.CanApply() {
		fprintf(&b, "%s Live state matches the configuration.\n", st.bold("No changes."))
		if len(p.Unmanaged)+len(p.Ignored) > 0 {
			b.WriteString("\n")
			writeOthers(&b, p, st)
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	keep, destroy := splitSteps(p)
	known := keepsID(p)
	for _, s := range keep {
		writeStep(&b, &s, st, known)
	}
	if len(destroy) > 0 {
		fprintf(&b, "%s\n", st.boldRed("Objects to destroy or replace:"))
		for _, s := range destroy {
			writeStep(&b, &s, st, known)
		}
	}
	writeOthers(&b, p, st)
	c := p.Count()
	fprintf(&b, "%s %d to add, %d to change, %d to replace, %d to destroy.\n",
		st.bold("Plan:"), c.Add, c.Change, c.Replace, c.Destroy)
	_, err := io.WriteString(w, b.String())
	return err
}

func (st Style) action(a plan.Action, text string) styled {
	switch a {
	case plan.Create:
		return st.green(text)
	case plan.Update:
		return st.yellow(text)
	default:
		return st.red(text)
	}
}

func writeStep(b *strings.Builder, s *plan.Step, st Style, known func(model.Address) bool) {
	head := sprintf("%-3s %-7s %s", symbols[s.Action], verbs[s.Action], s.Addr)
	fprintf(b, "%s", st.action(s.Action, head))
	if s.ID != "" {
		fprintf(b, "%s", st.faint(" (id "+s.ID+")"))
	}
	if s.Reason != "" {
		fprintf(b, "%s", st.faint("  # "+s.Reason))
	}
	b.WriteString("\n")
	switch s.Action {
	case plan.Create:
		writeAttrs(b, s.After, known)
	case plan.Update, plan.DeleteThenCreate, plan.CreateThenDelete:
		writeChanges(b, s, st, known)
	}
	b.WriteString("\n")
}

func writeAttrs(b *strings.Builder, attrs model.Object, known func(model.Address) bool) {
	paths := model.Leaves(attrs)
	width := maxLen(paths)
	for _, p := range paths {
		v, _ := model.Get(attrs, p)
		fprintf(b, "      %-*s = %s\n", width, p, show(v, known))
	}
}

func writeChanges(b *strings.Builder, s *plan.Step, st Style, known func(model.Address) bool) {
	paths := make([]string, len(s.Changes))
	for i, c := range s.Changes {
		paths[i] = c.Path
	}
	width := maxLen(paths)
	for _, c := range s.Changes {
		fprintf(b, "      %-*s = %s -> %s", width, c.Path, show(c.Before, existing), show(c.After, known))
		if c.ForcesReplacement {
			fprintf(b, "%s", st.red("  # forces replacement"))
		}
		b.WriteString("\n")
	}
}

// show formats a value. A reference shows by the name of what it points
// at when known says that object exists and keeps its id, and as "(known
// after apply: kind.name)" otherwise; a literal id shows quoted.
func show(v any, known func(model.Address) bool) string {
	switch t := v.(type) {
	case model.Ref:
		switch {
		case !t.Named():
			return strconv.Quote(t.ID)
		case known(t.To):
			return t.To.String()
		}
		return "(known after apply: " + t.To.String() + ")"
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = show(x, known)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(t))
		for _, k := range model.SortedKeys(t) {
			parts = append(parts, k+": "+show(t[k], known))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return model.Format(v)
}

// existing reports true for every reference: a live value and a
// configuration compared with live state name objects that exist.
func existing(model.Address) bool { return true }

// keepsID returns whether a reference in what a plan will write names an
// object whose id is known now and will not change: one whose id the plan
// knows (knownIds) and that the plan neither creates nor replaces.
func keepsID(p *plan.Plan) func(model.Address) bool {
	changing := map[model.Address]bool{}
	for _, s := range p.Steps {
		if !s.Deposed && (s.Action == plan.Create || s.Action.IsReplace()) {
			changing[s.Addr] = true
		}
	}
	return func(a model.Address) bool {
		_, ok := p.KnownIDs[a]
		return ok && !changing[a]
	}
}

func writeOthers(b *strings.Builder, p *plan.Plan, st Style) {
	if len(p.Unmanaged) > 0 {
		fprintf(b, "%s (live, not in the configuration; left alone — list the kind under settings.prune to delete them):\n", st.bold("Unmanaged"))
		for _, u := range p.Unmanaged {
			fprintf(b, "  %s (id %s)\n", u.Addr, u.ID)
		}
		b.WriteString("\n")
	}
	if len(p.Ignored) > 0 {
		ig := append([]plan.Ignored(nil), p.Ignored...)
		sort.Slice(ig, func(i, j int) bool { return ig[i].Addr.Less(ig[j].Addr) })
		fprintf(b, "%s (lswctl never changes these):\n", st.bold("Ignored"))
		for _, i := range ig {
			fprintf(b, "  %s (id %s): %s\n", i.Addr, i.ID, i.Reason)
		}
		b.WriteString("\n")
	}
}

func maxLen(ss []string) int {
	n := 0
	for _, s := range ss {
		n = max(n, len(s))
	}
	return n
}
