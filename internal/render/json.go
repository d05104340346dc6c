package render

import (
	"encoding/json"
	"io"

	"github.com/lswctl/lswctl/internal/plan"
)

// JSON renders the plan's versioned JSON form, the same document a saved
// plan file holds. Secrets appear only as digests.
func JSON(w io.Writer, p *plan.Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}
