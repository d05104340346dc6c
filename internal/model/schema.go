package model

import (
	"fmt"
	"strings"
)

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
	// before deleting the old one (the key allows two at once). Objects that
	// others point at need it, so the pointers can move to the new object
	// before the old one goes.
	CreateBeforeDestroy bool
	// ReplaceOnRemove are attribute paths that can be changed in place but
	// not removed: declaring them null forces replacement (a target group's
	// health check).
	ReplaceOnRemove []string
	// Sets are list attributes compared as sets: order does not matter.
	Sets []string
	// Children are lists of sub-objects declared inside this kind (a load
	// balancer's listeners) that are objects of their own kind.
	Children []Child
}

// Child describes a list attribute whose items are objects of another kind.
//
// Each item becomes a resource of Kind named "<parent name>/<key values>"
// (listener "edge/HTTPS:443"), with ParentAttr set to a reference to the
// parent. A declared list is authoritative: live children missing from it
// are deleted. An undeclared list is not managed.
type Child struct {
	Attr       string   // the parent's list attribute ("listeners")
	Kind       string   // the child kind ("listener")
	Key        []string // item attributes that identify a child ("protocol", "port")
	ParentAttr string   // the child attribute that refers to the parent ("loadBalancer")
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

// ChildName names a child object after its parent's name and its key
// attributes: "edge/HTTPS:443". The engine names declared children with it
// and providers name live ones, so the two match.
func ChildName(parent string, key []string, attrs Object) string {
	parts := make([]string, len(key))
	for i, k := range key {
		v, _ := Get(attrs, k)
		parts[i] = fmt.Sprint(v)
	}
	return parent + "/" + strings.Join(parts, ":")
}
