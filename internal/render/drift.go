package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lswctl/lswctl/internal/drift"
)

// DriftText renders a drift report for a terminal or a cron mail.
func DriftText(w io.Writer, r *drift.Report, st Style) error {
	var b strings.Builder
	if r.InSync() {
		b.WriteString(st.bold("No drift.") + " Live state matches the configuration.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "%s %s.\n\n", st.red(st.bold("Drift detected:")), driftCounts(r))
	for _, f := range r.Findings {
		line := fmt.Sprintf("%-9s %s", f.Class, f.Addr)
		if f.ID != "" {
			line += st.faint(" (id " + f.ID + ")")
		}
		b.WriteString(line + "\n")
		for _, c := range f.Changes {
			fmt.Fprintf(&b, "      %s: live %s, configuration %s\n", c.Path, show(c.Before), show(c.After))
		}
	}
	b.WriteString("\nRun lswctl plan to see what apply would change.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func driftCounts(r *drift.Report) string {
	return fmt.Sprintf("%d modified, %d missing, %d unmanaged",
		r.Count(drift.Modified), r.Count(drift.Missing), r.Count(drift.Unmanaged))
}

// DriftJSON renders the report's versioned JSON form.
func DriftJSON(w io.Writer, r *drift.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

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
			id = "`" + mdCode(f.ID) + "`"
		}
		rows = append(rows, fmt.Sprintf("| %s | `%s` | %s |\n", f.Class, mdCode(f.Addr.String()), id))
		var b strings.Builder
		if len(f.Changes) > 0 {
			fmt.Fprintf(&b, "<details><summary><code>%s</code> %s</summary>\n\n```diff\n", htmlEscape(f.Addr.String()), f.Class)
			for _, c := range f.Changes {
				fmt.Fprintf(&b, "- %s = %s  # live\n+ %s = %s  # configuration\n", c.Path, show(c.Before), c.Path, show(c.After))
			}
			b.WriteString("```\n\n</details>\n")
		}
		details = append(details, b.String())
	}
	foot := mdFooter(planLike(r))
	return writeBoundedTable(w, limit, head, "| Class | Address | Id |\n|:--|:--|:--|\n", rows, details, foot)
}
