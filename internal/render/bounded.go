package render

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// writeBounded assembles head, table rows, detail sections and a tail into
// at most limit bytes. The head and the tail always appear; rows come
// before details; whatever does not fit is counted in a note that says
// where the full plan is.
func writeBounded(w io.Writer, limit int, head string, rows, details []string, tail string) error {
	return writeBoundedTable(w, limit, head, tableHead, rows, details, tail)
}

// writeBoundedTable is writeBounded with a table header of the caller's.
func writeBoundedTable(w io.Writer, limit int, head, table string, rows, details []string, tail string) error {
	const reserve = 400 // room for the notes about what was cut
	budget := limit - len(head) - len(tail) - reserve
	var b strings.Builder
	b.WriteString(head)
	if len(rows) > 0 {
		b.WriteString(table)
		budget -= len(table)
	}
	shownRows := 0
	for _, r := range rows {
		if len(r) > budget {
			break
		}
		b.WriteString(r)
		budget -= len(r)
		shownRows++
	}
	if cut := len(rows) - shownRows; cut > 0 {
		b.WriteString(moreRow(table, cut))
	}
	b.WriteString("\n")
	shownDetails := 0
	for _, d := range details[:shownRows] {
		if len(d) > budget {
			break
		}
		b.WriteString(d)
		budget -= len(d)
		shownDetails++
	}
	if cut := len(details) - shownDetails; cut > 0 {
		fmt.Fprintf(&b, "\n_%d of %d changes are summarised or left out to keep this under %d characters; "+
			"`lswctl show PLANFILE` prints the whole plan._\n", cut, len(details), limit)
	}
	b.WriteString(tail)
	out := b.String()
	if len(out) > limit { // only when head and tail alone are too long
		out = out[:limit]
		for !utf8.ValidString(out) {
			out = out[:len(out)-1]
		}
	}
	_, err := io.WriteString(w, out)
	return err
}

// mdText makes text safe inside a table cell or a quote.
func mdText(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// mdCode makes text safe inside a code span in a table cell.
func mdCode(s string) string {
	s = strings.ReplaceAll(s, "`", "'")
	return strings.ReplaceAll(s, "|", `\|`)
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// moreRow is a table row saying how many rows were left out, with as many
// cells as the table has columns.
func moreRow(table string, n int) string {
	header, _, _ := strings.Cut(table, "\n")
	cols := max(strings.Count(header, "|")-1, 2)
	return fmt.Sprintf("| … | %d more |%s\n", n, strings.Repeat(" |", cols-2))
}
