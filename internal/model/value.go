package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Object is a map of attribute name to value.
type Object = map[string]any

// JoinPath appends a field name to a dotted attribute path.
func JoinPath(base, field string) string {
	if base == "" {
		return field
	}
	return base + "." + field
}

// IndexPath appends a list index to an attribute path: "listeners[0]".
func IndexPath(base string, i int) string { return base + "[" + strconv.Itoa(i) + "]" }

// Walk calls fn for v and, depth first in sorted key order, for every value
// nested inside it, with the value's dotted path.
func Walk(v any, path string, fn func(path string, v any)) {
	fn(path, v)
	switch t := v.(type) {
	case map[string]any:
		for _, k := range SortedKeys(t) {
			Walk(t[k], JoinPath(path, k), fn)
		}
	case []any:
		for i, x := range t {
			Walk(x, IndexPath(path, i), fn)
		}
	}
}

// SortedKeys returns the keys of m in order.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Get returns the value at a dotted path of map keys ("rootDisk.size").
// List indexes are not followed; lists are compared as a whole.
func Get(o Object, path string) (any, bool) {
	var cur any = o
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = m[part]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// Set stores v at a dotted path, creating intermediate maps.
func Set(o Object, path string, v any) {
	parts := strings.Split(path, ".")
	m := o
	for _, part := range parts[:len(parts)-1] {
		next, ok := m[part].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[part] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
}

// Leaves returns the dotted paths of every non-map value in o, sorted. A
// list is one leaf: declared lists are authoritative and compared whole.
func Leaves(o Object) []string {
	var out []string
	var walk func(m map[string]any, base string)
	walk = func(m map[string]any, base string) {
		for _, k := range SortedKeys(m) {
			p := JoinPath(base, k)
			if sub, ok := m[k].(map[string]any); ok && len(sub) > 0 {
				walk(sub, p)
				continue
			}
			out = append(out, p)
		}
	}
	walk(o, "")
	return out
}

// Clone deep-copies a value tree. Secrets, refs and scalars are values and
// are copied as they are.
func Clone(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = Clone(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = Clone(x)
		}
		return l
	default:
		return v
	}
}

// CloneObject deep-copies an attribute map; nil stays nil.
func CloneObject(o Object) Object {
	if o == nil {
		return nil
	}
	return Clone(o).(map[string]any)
}

// Format renders a value for humans: strings quoted, secrets as
// "(sensitive)", references as "kind.name", maps and lists inline.
func Format(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(t)
	case Secret, Ref, Unknown:
		return fmt.Sprint(t)
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = Format(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(t))
		for _, k := range SortedKeys(t) {
			parts = append(parts, k+": "+Format(t[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return fmt.Sprint(t)
	}
}

// HasUnknown reports whether v contains an Unknown or an unresolved Ref.
func HasUnknown(v any) bool {
	found := false
	Walk(v, "", func(_ string, x any) {
		switch x.(type) {
		case Unknown, Ref:
			found = true
		}
	})
	return found
}
