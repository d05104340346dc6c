package render

import (
	"io"
	"strings"

	"github.com/lswctl/lswctl/internal/drift"
	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

// MarkdownLimit keeps a pull-request comment under GitHub's 65,536
// character limit, with room for a bot's own header.
const MarkdownLimit = 65000

// Markdown renders a plan for a pull-request comment: a headline, a table
// of changes, and the details of each change in a collapsible section. It
// never writes more than limit bytes: when the whole would not fit, it
// keeps the headline and as much of the table and the details as fit, and
// says what was cut and where to find it.
func Markdown(w io.Writer, p *plan.Plan, limit int) error {
	var head strings.Builder
	if p.CanApply() {
		c := p.Count()
		fprintf(&head, "### lswctl plan: %d to add, %d to change, %d to replace, %d to destroy\n\n", c.Add, c.Change, c.Replace, c.Destroy)
	} else {
		head.WriteString("### lswctl plan: No changes.\n\nLive state matches the configuration.\n\n")
	}
	for _, warn := range p.Warnings {
		fprintf(&head, "> [!WARNING]\n> %s\n\n", mdText(warn))
	}
	steps := mdSteps(p)
	rows := make([]string, len(steps))
	details := make([]string, len(steps))
	labels := make([]string, len(steps))
	known := keepsID(p)
	for i := range steps {
		rows[i] = mdRow(&steps[i])
		details[i] = mdDetails(&steps[i], known)
		labels[i] = verbs[steps[i].Action]
	}
	foot := mdFooter(p)
	return writeBounded(w, limit, head.String(), rows, details, labels, mdOthers(p)+foot)
}

// mdSteps are the steps a reader sees, deletes and replacements first:
// a comment too long for its limit is cut from the end, and what a plan
// destroys must be the last thing a reviewer misses.
func mdSteps(p *plan.Plan) []plan.Step {
	keep, destroy := splitSteps(p)
	return append(destroy, keep...)
}

// splitSteps separates the steps that keep objects from those that destroy
// them; deposed halves are shown as part of their replacement.
func splitSteps(p *plan.Plan) (keep, destroy []plan.Step) {
	for _, s := range p.Steps {
		switch {
		case s.Deposed:
		case s.Action.Destroys():
			destroy = append(destroy, s)
		default:
			keep = append(keep, s)
		}
	}
	return keep, destroy
}

const tableHead = "| | Action | Address | What changes |\n|:-:|:--|:--|:--|\n"

func mdRow(s *plan.Step) string {
	what := s.Reason
	if s.Action == plan.Create {
		what = strings.Join(model.Leaves(s.After), ", ")
	} else if len(s.Changes) > 0 {
		parts := make([]string, len(s.Changes))
		for i, c := range s.Changes {
			parts[i] = c.Path
		}
		what = strings.Join(parts, ", ")
		if s.Reason != "" {
			what += " (" + s.Reason + ")"
		}
	}
	return sprintf("| `%s` | %s | %s | %s |\n", symbols[s.Action], verbs[s.Action], mdCode(s.Key(), true), mdText(what))
}

func mdDetails(s *plan.Step, known func(model.Address) bool) string {
	var b strings.Builder
	fprintf(&b, "<details><summary><code>%s</code> %s</summary>\n\n```diff\n", htmlEscape(s.Key()), verbs[s.Action])
	switch s.Action {
	case plan.Create:
		for _, path := range model.Leaves(s.After) {
			v, _ := model.Get(s.After, path)
			fprintf(&b, "+ %s = %s\n", path, show(v, known))
		}
	case plan.Delete:
		fprintf(&b, "- %s (id %s)\n", s.Addr, s.ID)
	default:
		for _, c := range s.Changes {
			note := ""
			if c.ForcesReplacement {
				note = "  # forces replacement"
			}
			fprintf(&b, "- %s = %s\n+ %s = %s%s\n", c.Path, show(c.Before, existing), c.Path, show(c.After, known), note)
		}
	}
	if s.Reason != "" {
		fprintf(&b, "# %s\n", s.Reason)
	}
	b.WriteString("```\n\n</details>\n")
	return b.String()
}

func mdOthers(p *plan.Plan) string {
	var b strings.Builder
	if len(p.Unmanaged) > 0 {
		fprintf(&b, "\n<details><summary>%d unmanaged (live, not in the configuration, left alone)</summary>\n\n", len(p.Unmanaged))
		for _, u := range p.Unmanaged {
			fprintf(&b, "- %s (id %s)\n", mdCode(u.Addr.String(), false), mdCode(u.ID, false))
		}
		b.WriteString("\n</details>\n")
	}
	if len(p.Ignored) > 0 {
		fprintf(&b, "\n<details><summary>%d ignored (lswctl never changes these)</summary>\n\n", len(p.Ignored))
		for _, i := range p.Ignored {
			fprintf(&b, "- %s (id %s): %s\n", mdCode(i.Addr.String(), false), mdCode(i.ID, false), mdText(i.Reason))
		}
		b.WriteString("\n</details>\n")
	}
	return b.String()
}

// planLike carries a drift report's provenance into the shared footer.
func planLike(r *drift.Report) *plan.Plan {
	return &plan.Plan{Version: r.Version, GitCommit: r.GitCommit, ConfigDigest: r.ConfigDigest}
}

func mdFooter(p *plan.Plan) string {
	parts := []string{"lswctl " + mdText(p.Version)}
	if p.GitCommit != "" {
		parts = append(parts, "commit "+mdText(short(p.GitCommit)))
	}
	if p.ConfigDigest != "" {
		parts = append(parts, "config "+mdText(short(p.ConfigDigest)))
	}
	return "\n<sub>" + strings.Join(parts, " · ") + "</sub>\n"
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
