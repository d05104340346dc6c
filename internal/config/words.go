package config

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The words messages are made of: how values, types and lists are written
// in a message.

// describe names a value's type, with the value unless it is sensitive:
// `string "fifty"`, `integer 2`, `mapping`.
func describe(n *node, sensitive bool) string {
	switch n.kind {
	case mapNode:
		return "mapping"
	case listNode:
		return "list"
	}
	var t string
	switch n.value.(type) {
	case nil:
		return "null"
	case bool:
		t = "boolean"
	case int64:
		t = "integer"
	case float64:
		t = "number"
	default:
		t = "string"
	}
	if sensitive {
		return t
	}
	return t + " " + render(n.value)
}

// render formats a scalar for a message: strings quoted (and shortened),
// numbers and booleans as written.
func render(v any) string {
	switch x := v.(type) {
	case string:
		if utf8.RuneCountInString(x) > 40 {
			x = string([]rune(x)[:40]) + "…"
		}
		return strconv.Quote(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case json.Number:
		return x.String()
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

func renderList(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = render(v)
	}
	return strings.Join(parts, ", ")
}

// typeWords names JSON Schema types the way YAML users know them.
func typeWords(ts []string) string {
	if len(ts) == 0 {
		return "a value"
	}
	var words []string
	for _, t := range ts {
		switch t {
		case "object":
			t = "mapping"
		case "array":
			t = "list"
		}
		if !slices.Contains(words, t) {
			words = append(words, t)
		}
	}
	return strings.Join(words, " or ")
}

func formatWords(v any) string {
	switch f, _ := v.(string); f {
	case "uuid":
		return "a UUID"
	case "":
		return "a valid value"
	default:
		return "a valid " + f
	}
}

// stringList returns the strings in a JSON list.
func stringList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// joinAnd renders ["a", "b", "c"] as "a, b and c".
func joinAnd(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
