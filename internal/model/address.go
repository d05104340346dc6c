package model

import (
	"fmt"
	"strings"
)

// Address names one object: its kind and its name, printed "instance.web-1".
// Names are the keys under a kind in the configuration and, for live objects,
// the natural key the provider reads (an instance's reference, for example).
type Address struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// String returns the address as "kind.name".
func (a Address) String() string { return a.Kind + "." + a.Name }

// Less orders addresses by kind, then name.
func (a Address) Less(b Address) bool {
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	return a.Name < b.Name
}

// ParseAddress reads "kind.name". The name may itself contain dots.
func ParseAddress(s string) (Address, error) {
	kind, name, ok := strings.Cut(s, ".")
	if !ok || kind == "" || name == "" {
		return Address{}, fmt.Errorf("address %q: want KIND.NAME, for example instance.web-1", s)
	}
	return Address{Kind: kind, Name: name}, nil
}

// MarshalText encodes an address as "kind.name" so addresses can be map keys in JSON.
func (a Address) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText decodes "kind.name".
func (a *Address) UnmarshalText(b []byte) error {
	p, err := ParseAddress(string(b))
	if err != nil {
		return err
	}
	*a = p
	return nil
}
