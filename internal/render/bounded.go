package render

import (
	"io"
	"strings"
	"unicode/utf8"
)

// writeBounded assembles head, table rows, detail sections and a tail into
// at most limit bytes. The head and the tail always appear; rows come
// before details, and the rows first in the list are the last cut, so a
// caller lists what a reader must not miss first. labels names each row's
// kind ("create", "delete"), so the note can say plainly what was cut.
func writeBounded(w io.Writer, limit int, head string, rows, details, labels []string, tail string) error {
	return writeBoundedTable(w, limit, head, tableHead, rows, details, labels, tail)
}

// writeBoundedTable is writeBounded with a table header of the caller's.
func writeBoundedTable(w io.Writer, limit int, head, table string, rows, details, labels []string, tail string) error {
	const reserve = 600 // room for the notes about what was cut
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
	if len(rows) > 0 {
		b.WriteString("\n")
	} else {
		// The head ends in a blank line already, and the tail starts
		// with the line break that would make it a second one.
		tail = strings.TrimPrefix(tail, "\n")
	}
	shownDetails := 0
	for _, d := range details[:shownRows] {
		if len(d) > budget {
			break
		}
		b.WriteString(d)
		budget -= len(d)
		shownDetails++
	}
	if shownDetails < len(details) {
		b.WriteString(cutNote(limit, len(rows), shownRows, shownDetails, labels))
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

// cutNote says what the table and the details left out: how many rows, of
// which kinds, and how many details beyond them.
func cutNote(limit, rows, shownRows, shownDetails int, labels []string) string {
	var b strings.Builder
	if shownDetails > 0 {
		b.WriteString("\n") // a blank line after the last details section
	}
	fprintf(&b, "_Cut to stay under %d characters: ", limit)
	if cut := rows - shownRows; cut > 0 {
		fprintf(&b, "the table leaves out the last %s", Plural(cut, "row"))
		if kinds := countLabels(labels[shownRows:]); kinds != "" {
			fprintf(&b, " (%s)", kinds)
		}
		b.WriteString("; ")
	}
	switch {
	case shownDetails == 0:
		b.WriteString("no details are shown. ")
	case shownDetails < shownRows:
		fprintf(&b, "details are shown for the first %s only. ", Plural(shownDetails, "row"))
	default:
		b.WriteString("every row shown has its details. ")
	}
	b.WriteString("`lswctl show PLANFILE` prints everything._\n")
	return b.String()
}

// countLabels tallies labels in order of first appearance: "2 deletes, 1
// create".
func countLabels(labels []string) string {
	var order []string
	n := map[string]int{}
	for _, l := range labels {
		if l == "" {
			continue
		}
		if n[l] == 0 {
			order = append(order, l)
		}
		n[l]++
	}
	parts := make([]string, len(order))
	for i, l := range order {
		parts[i] = Plural(n[l], l)
	}
	return strings.Join(parts, ", ")
}

// Plural writes a count with its noun, singular for one: "1 file", "2
// files". Exported so the CLI can word its own counts the same way.
func Plural(n int, noun string) string {
	if n == 1 {
		return sprintf("%d %s", n, noun)
	}
	return sprintf("%d %ss", n, noun)
}

// mdText makes text safe as markdown prose: in a table cell, a quote or a
// list item. It is Cleaned (so it stays on one line and cannot end the
// table row, the quote or an HTML block), then every character that can
// open an inline construct — emphasis, code, links and images, HTML,
// entities, math, strikethrough, a cell boundary — is backslash-escaped, as
// is a leading character that could open a block (a list item, a heading
// underline). A bare URL in live text still shows as itself.
func mdText(s string) string {
	s = Clean(s)
	lead := leadingBlockMarker(s)
	var b strings.Builder
	for i, r := range s {
		if strings.ContainsRune("\\`*_[]<>!|#~&$", r) || i == lead {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// leadingBlockMarker returns the index of the character that would make s,
// at the start of a line, a list item ("- x", "+ x", "1. x"), a thematic
// break or a setext heading underline ("---", "==="), or -1.
func leadingBlockMarker(s string) int {
	i := len(s) - len(strings.TrimLeft(s, " "))
	ends := func(j int) bool { return j >= len(s) || s[j] == ' ' }
	switch {
	case i >= len(s):
		return -1
	case s[i] == '=', s[i] == '-' && (ends(i+1) || s[i+1] == '-'), s[i] == '+' && ends(i+1):
		return i
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j > i && j < len(s) && (s[j] == '.' || s[j] == ')') && ends(j+1) {
		return j
	}
	return -1
}

// mdCode renders s as a complete code span, backticks included, showing s
// exactly: the fence is one backtick longer than the longest run inside,
// and padded when s starts or ends with a backtick or a space. In a table
// cell, inTable escapes "|", which GitHub would otherwise take for the end
// of the cell even inside code.
func mdCode(s string, inTable bool) string {
	s = Clean(s)
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	run, longest := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if s == "" || strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// htmlEscape makes text safe inside HTML, such as a <summary>.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(Clean(s))
}

// moreRow is a table row saying how many rows were left out, with as many
// cells as the table has columns.
func moreRow(table string, n int) string {
	header, _, _ := strings.Cut(table, "\n")
	cols := max(strings.Count(header, "|")-1, 2)
	return sprintf("| … | %d more |%s\n", n, strings.Repeat(" |", cols-2))
}
