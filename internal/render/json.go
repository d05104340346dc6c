package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lswctl/lswctl/internal/plan"
)

// JSON renders the plan's versioned JSON form, the same document a saved
// plan file holds, with the headline a script needs without counting steps
// itself: summary (the counts of the text's "Plan:" line) and hasChanges
// (CanApply). Readers of a plan file ignore both. Secrets appear only as
// digests.
func JSON(w io.Writer, p *plan.Plan) error {
	c := p.Count()
	return writeJSON(w, struct {
		*plan.Plan
		HasChanges bool        `json:"hasChanges"`
		Summary    jsonSummary `json:"summary"`
	}{p, p.CanApply(), jsonSummary{c.Add, c.Change, c.Replace, c.Destroy}})
}

// jsonSummary is the plan's headline in its JSON form.
type jsonSummary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Replace int `json:"replace"`
	Destroy int `json:"destroy"`
}

// writeJSON encodes v indented. encoding/json already escapes C0 controls
// (and <, >, &, U+2028, U+2029) inside strings; writeJSON also escapes the
// rest of what Clean escapes — DEL, C1 controls and format characters such
// as bidi overrides — so `cat plan.json` is as safe as the text output. The
// escapes decode to the same strings: the document's data is unchanged.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeJSON(buf.Bytes()))
	return err
}

// escapeJSON replaces every raw rune of at least DEL that Clean would
// escape with a \u escape. Such runes can only occur inside JSON strings
// (the document's structure is ASCII), where the escape means the same.
func escapeJSON(doc []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(doc); {
		r, n := utf8.DecodeRune(doc[i:])
		if r >= utf8.RuneSelf-1 && unsafeRune(r) {
			out = append(out, doc[last:i]...)
			if r > 0xFFFF {
				hi, lo := utf16.EncodeRune(r)
				out = fmt.Appendf(out, `\u%04x\u%04x`, hi, lo)
			} else {
				out = fmt.Appendf(out, `\u%04x`, r)
			}
			last = i + n
		}
		i += n
	}
	if out == nil {
		return doc
	}
	return append(out, doc[last:]...)
}
