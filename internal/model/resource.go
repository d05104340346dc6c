package model

// Ensure says whether a declared object should exist.
type Ensure string

// The two values of Ensure.
const (
	Present Ensure = "present"
	Absent  Ensure = "absent"
)

// Pos is a position in a configuration file, 1-based.
type Pos struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// IsValid reports whether the position names a file.
func (p Pos) IsValid() bool { return p.File != "" }

// Resource is one object, declared (desired) or read from an API (live).
//
// Attrs are in the configuration's shape, for both sides: providers translate
// the API's wire format to and from it, so the diff compares like with like.
type Resource struct {
	Addr Address `json:"address"`
	// ID is the provider's id of a live object, or the id a declaration pins
	// with `id:`.
	ID    string `json:"id,omitempty"`
	Attrs Object `json:"attrs,omitempty"`
	// Parent is the object this one belongs to (a listener's load balancer);
	// zero for top-level objects.
	Parent Address `json:"parent,omitzero"`

	// Declared-only fields.
	Ensure  Ensure         `json:"ensure,omitempty"`
	Protect bool           `json:"protect,omitempty"`
	Pos     Pos            `json:"-"`
	Fields  map[string]Pos `json:"-"` // where each attribute path was written

	// Live-only fields.
	//
	// Untouchable, when set, says why lswctl must never change this object
	// (owned by an auto scaling group, being destroyed, scheduled for
	// deletion); such objects are read and shown but never planned against.
	Untouchable string `json:"untouchable,omitempty"`
	// Fingerprint is a digest of the live fields, used to detect that an
	// object moved between plan and apply.
	Fingerprint string `json:"fingerprint,omitempty"`
}

// FieldPos returns where an attribute path was written, falling back to the
// object's own position.
func (r *Resource) FieldPos(path string) Pos {
	if p, ok := r.Fields[path]; ok {
		return p
	}
	return r.Pos
}

// Refs lists the references in the resource's attributes.
func (r *Resource) Refs() []Ref { return Refs(r.Attrs) }
