package model

// KindSchema is what the engine and the diff need to know about a kind.
// Providers declare one per kind; the diff receives them from the engine and
// never learns about providers.
type KindSchema struct {
	// Kind is the singular name used in addresses ("instance").
	Kind string
	// Plural is the configuration key ("instances").
	Plural string
	// KeyAttrs are attributes that, with the name, identify a live object
	// (target groups: "region"). Empty means the name alone.
	KeyAttrs []string
	// Immutable attribute paths cannot be updated in place: a change forces
	// replacement.
	Immutable []string
	// WriteOnly attribute paths are sent on create but never returned by the
	// API, so they cannot drift and never produce a diff.
	WriteOnly []string
	// Sensitive attribute paths are always treated as secrets.
	Sensitive []string
	// CreateBeforeDestroy says a replacement may create the new object
	// before deleting the old one (the key allows two at once).
	CreateBeforeDestroy bool
}

// Has reports whether path is in list, or nested under one of its entries.
func Has(list []string, path string) bool {
	for _, p := range list {
		if p == path || (len(path) > len(p) && path[:len(p)] == p && path[len(p)] == '.') {
			return true
		}
	}
	return false
}
