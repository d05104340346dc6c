package model

import "encoding/json"

// Ref is an attribute value that names another object: either an object of
// the configuration, such as a listener's target group (To), or a live object
// by its id, written {id: UUID} (ID). References to configured objects become
// dependency edges in the plan and are resolved to the object's live id when
// it is known, at plan time or at apply time.
type Ref struct {
	To Address `json:"-"`
	ID string  `json:"-"`
}

// Named reports whether the reference names an object of the configuration.
func (r Ref) Named() bool { return r.ID == "" }

// String renders the reference as "kind.name", or "id:UUID".
func (r Ref) String() string {
	if r.ID != "" {
		return "id:" + r.ID
	}
	return r.To.String()
}

// MarshalJSON writes {"ref": "kind.name"} or {"id": "UUID"}.
func (r Ref) MarshalJSON() ([]byte, error) {
	if r.ID != "" {
		return json.Marshal(map[string]string{"id": r.ID})
	}
	return json.Marshal(map[string]string{"ref": r.To.String()})
}

// Unknown is a value that will only be known after apply, typically the id
// of an object that is still to be created.
type Unknown struct{}

// String renders the placeholder the way Terraform users expect.
func (Unknown) String() string { return "(known after apply)" }

// MarshalJSON writes {"unknown": true}.
func (Unknown) MarshalJSON() ([]byte, error) { return []byte(`{"unknown":true}`), nil }

// Refs lists every reference inside v, in a stable order, literal ids
// included.
func Refs(v any) []Ref {
	var out []Ref
	Walk(v, "", func(_ string, x any) {
		if r, ok := x.(Ref); ok {
			out = append(out, r)
		}
	})
	return out
}
