package engine

import (
	"fmt"

	"github.com/lswctl/lswctl/internal/diff"
	"github.com/lswctl/lswctl/internal/plan"
)

// warnPins warns about every `id:` pin whose live object has another name
// than the declaration's. The id wins: the declaration manages that object.
// lswctl never renames, so the live name stays, and the next plan without
// the pin would match by name instead (another object, or a create).
func warnPins(p *plan.Plan, pairs []diff.Pair) {
	for _, pr := range pairs {
		d, l := pr.Desired, pr.Live
		if d == nil || l == nil || d.ID == "" || l.Addr.Name == d.Addr.Name {
			continue
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf(
			"%s: id %s pins a live %s named %q, not %q: the id wins and this declaration manages it, "+
				"but lswctl does not rename it (it stays %q); rename the declaration to %q to match",
			d.Addr, d.ID, d.Addr.Kind, l.Addr.Name, d.Addr.Name, l.Addr.Name, l.Addr.Name))
	}
}
