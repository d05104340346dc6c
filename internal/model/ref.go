package model

import "encoding/json"

// Ref is an attribute value that names another object of the configuration,
// such as a listener's target group. References become dependency edges in
// the plan and are resolved to the object's live id at apply time.
type Ref struct {
	To Address
}

// String renders the reference as "kind.name".
func (r Ref) String() string { return r.To.String() }

// MarshalJSON writes {"ref": "kind.name"}.
func (r Ref) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"ref": r.To.String()})
}

// Unknown is a value that will only be known after apply, typically the id
// of an object that is still to be created.
type Unknown struct{}

// String renders the placeholder the way Terraform users expect.
func (Unknown) String() string { return "(known after apply)" }

// MarshalJSON writes {"unknown": true}.
func (Unknown) MarshalJSON() ([]byte, error) { return []byte(`{"unknown":true}`), nil }

// Refs lists every reference inside v, in a stable order.
func Refs(v any) []Ref {
	var out []Ref
	Walk(v, "", func(_ string, x any) {
		if r, ok := x.(Ref); ok {
			out = append(out, r)
		}
	})
	return out
}
