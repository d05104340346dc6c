package render

import (
	"io"
	"strings"

	"github.com/lswctl/lswctl/internal/diag"
)

// Error prints err for the operator, once: a list of configuration errors
// as one "file:line:col: path: message" line each (with its related
// positions on indented lines) and their count, anything else as
// "Error: message". Each part is Cleaned before the lines are assembled, so
// only lswctl's own line breaks remain (see errorText): an API error quotes
// what the server said, and a configuration error may quote a live name.
func Error(w io.Writer, err error, cwd string) error {
	var b strings.Builder
	if l := diag.AsList(err); l != nil {
		for i, e := range l {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(cleanDiag(e).Format(cwd))
		}
		b.WriteString("\n")
		b.WriteString(Plural(len(l), "error") + "\n")
	} else {
		fprintf(&b, "Error: %s\n", styled(errorText(err.Error())))
	}
	_, werr := io.WriteString(w, b.String())
	return werr
}

// errorText Cleans an error message but keeps the line breaks of lswctl's
// own multi-line messages (a stale plan lists what moved), which always
// start an indented continuation line ("\n  "). Any other line break is
// shown escaped, so text from the API can at most add an indented line to
// its own error, never a line of its own at the start of the screen.
func errorText(msg string) string {
	parts := strings.Split(msg, "\n")
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i == 0:
		case strings.HasPrefix(p, "  "):
			b.WriteString("\n")
		default:
			b.WriteString(`\n`)
		}
		b.WriteString(Clean(p))
	}
	return b.String()
}

// cleanDiag returns a copy of e with every text field Cleaned.
func cleanDiag(e *diag.Error) *diag.Error {
	c := *e
	c.File, c.Path, c.Msg = Clean(e.File), Clean(e.Path), Clean(e.Msg)
	c.Related = make([]diag.Related, len(e.Related))
	for i, r := range e.Related {
		r.File, r.Msg = Clean(r.File), Clean(r.Msg)
		c.Related[i] = r
	}
	return &c
}
