package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
)

// Decode reads a plan from its JSON form (a saved plan file). Attribute
// values come back as model values; secrets as digests only.
func Decode(r io.Reader) (*Plan, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("not a plan file: %w", err)
	}
	major, _, _ := strings.Cut(p.FormatVersion, ".")
	if want, _, _ := strings.Cut(FormatVersion, "."); major != want {
		return nil, fmt.Errorf("plan file format %q is not supported (this lswctl writes %s): plan again", p.FormatVersion, FormatVersion)
	}
	for i := range p.Steps {
		s := &p.Steps[i]
		s.Before = object(s.Before)
		s.After = object(s.After)
		for j := range s.Changes {
			s.Changes[j].Before = model.FromJSON(s.Changes[j].Before)
			s.Changes[j].After = model.FromJSON(s.Changes[j].After)
		}
	}
	return &p, nil
}

func object(o model.Object) model.Object {
	if o == nil {
		return nil
	}
	return model.FromJSON(map[string]any(o)).(map[string]any)
}
