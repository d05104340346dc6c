package render

import (
	"io"
	"strings"

	"github.com/lswctl/lswctl/internal/drift"
)

// DriftText renders a drift report for a terminal or a cron mail.
func DriftText(w io.Writer, r *drift.Report, st Style) error {
	var b strings.Builder
	if r.InSync() {
		fprintf(&b, "%s Live state matches the configuration.\n", st.bold("No drift."))
		_, err := io.WriteString(w, b.String())
		return err
	}
	fprintf(&b, "%s %s.\n\n", st.boldRed("Drift detected:"), driftCounts(r))
	for _, f := range r.Findings {
		fprintf(&b, "%-9s %s", f.Class, f.Addr)
		if f.ID != "" {
			fprintf(&b, "%s", st.faint(" (id "+f.ID+")"))
		}
		b.WriteString("\n")
		for _, c := range f.Changes {
			fprintf(&b, "      %s: live %s, configuration %s\n", c.Path, show(c.Before, existing), show(c.After, existing))
		}
	}
	b.WriteString("\nRun lswctl plan to see what apply would change.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func driftCounts(r *drift.Report) string {
	return sprintf("%d modified, %d missing, %d unmanaged",
		r.Count(drift.Modified), r.Count(drift.Missing), r.Count(drift.Unmanaged))
}

// DriftJSON renders the report's versioned JSON form.
func DriftJSON(w io.Writer, r *drift.Report) error { return writeJSON(w, r) }

// DriftMarkdown renders the report for an issue body, within limit bytes.
func DriftMarkdown(w io.Writer, r *drift.Report, limit int) error {
	head := "### lswctl drift: none\n\nLive state matches the configuration.\n"
	if !r.InSync() {
		head = "### lswctl drift: " + driftCounts(r) + "\n\n"
	}
	var rows, details []string
	for _, f := range r.Findings {
		id := ""
		if f.ID != "" {
			id = mdCode(f.ID, true)
		}
		rows = append(rows, sprintf("| %s | %s | %s |\n", mdText(string(f.Class)), mdCode(f.Addr.String(), true), id))
		var b strings.Builder
		if len(f.Changes) > 0 {
			fprintf(&b, "<details><summary><code>%s</code> %s</summary>\n\n```diff\n", htmlEscape(f.Addr.String()), htmlEscape(string(f.Class)))
			for _, c := range f.Changes {
				fprintf(&b, "- %s = %s  # live\n+ %s = %s  # configuration\n", c.Path, show(c.Before, existing), c.Path, show(c.After, existing))
			}
			b.WriteString("```\n\n</details>\n")
		}
		details = append(details, b.String())
	}
	foot := mdFooter(planLike(r))
	return writeBoundedTable(w, limit, head, "| Class | Address | Id |\n|:--|:--|:--|\n", rows, details, nil, foot)
}
