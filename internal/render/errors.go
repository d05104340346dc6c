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
// only lswctl's own line breaks remain: an API error quotes what the server
// said, and a configuration error may quote a live name.
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
		if len(l) > 1 {
			fprintf(&b, "%d errors\n", len(l))
		}
	} else {
		fprintf(&b, "Error: %v\n", err)
	}
	_, werr := io.WriteString(w, b.String())
	return werr
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
