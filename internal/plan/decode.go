package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
)

// Decode reads a plan from its JSON form (a saved plan file) and checks its
// structure with Validate. Attribute values come back as model values;
// secrets as digests only. kinds are the singular kinds this lswctl knows
// (the caller asks its providers: this package imports none).
//
// A plan file is data from outside — in CI, an artifact of a run that anyone
// who can open a pull request controls — so nothing in it is trusted to be
// well formed: every malformed input is an error, never a panic or a hang.
func Decode(r io.Reader, kinds map[string]bool) (*Plan, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("not a plan file: %w", err)
	}
	if err := dec.Decode(new(json.RawMessage)); !errors.Is(err, io.EOF) {
		return nil, errors.New("not a plan file: more data follows the plan")
	}
	major, _, _ := strings.Cut(p.FormatVersion, ".")
	if want, _, _ := strings.Cut(FormatVersion, "."); major != want {
		return nil, fmt.Errorf("plan file format %q is not supported (this lswctl writes %s): plan again", p.FormatVersion, FormatVersion)
	}
	var errs problems
	for i := range p.Steps {
		s := &p.Steps[i]
		var err error
		if s.Before, err = object(s.Before); err != nil {
			errs.add(i, s, "before: %v", err)
		}
		if s.After, err = object(s.After); err != nil {
			errs.add(i, s, "after: %v", err)
		}
		for j := range s.Changes {
			s.Changes[j].Before = model.FromJSON(s.Changes[j].Before)
			s.Changes[j].After = model.FromJSON(s.Changes[j].After)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	if err := Validate(&p, kinds); err != nil {
		return nil, err
	}
	return &p, nil
}

// object turns a decoded attribute map back into attribute values. The JSON
// forms of a secret, a reference and an unknown value are maps too, but
// none of them is a set of attributes.
func object(o model.Object) (model.Object, error) {
	if o == nil {
		return nil, nil
	}
	switch v := model.FromJSON(map[string]any(o)).(type) {
	case map[string]any:
		return v, nil
	case model.Secret:
		return nil, errors.New("want an object of attributes, got a secret")
	case model.Ref:
		return nil, fmt.Errorf("want an object of attributes, got a reference to %s", v)
	default:
		return nil, fmt.Errorf("want an object of attributes, got %s", model.Format(v))
	}
}
