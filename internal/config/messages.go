package config

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// shortEnum is the largest enum whose values a message lists in full.
const shortEnum = 10

// report adds the message for one failing keyword. Most messages sit at the
// value; missing fields at the object's key, unknown fields at each unknown
// key, and conflicting fields at the one written last.
func (v *validation) report(f failure) {
	switch f.kw {
	case "required":
		v.required(f)
	case "additionalProperties":
		v.unknownFields(f)
	case "not":
		v.not(f)
	default:
		p := f.n.pos
		if f.name {
			p = f.n.keyPos
		}
		v.add(p, f.path, f.message())
	}
}

// required reports each missing field at the key of the object lacking it.
func (v *validation) required(f failure) {
	if f.n.kind != mapNode {
		return
	}
	known := map[string]bool{}
	for _, m := range v.schemaAt(f.inst, nil) {
		for k := range obj(m["properties"]) {
			known[k] = true
		}
	}
	req, _ := f.sch["required"].([]any)
	for _, r := range req {
		name, _ := r.(string)
		if _, ok := f.n.fields[name]; !ok && !misspelled(f.n, known, name) {
			v.add(f.n.keyPos, f.path, fmt.Sprintf("missing required field %q", name))
		}
	}
}

// misspelled reports whether an object has an undeclared key that looks like
// a typo of name; that key is reported as an unknown field with name as the
// suggestion, which says the same more precisely.
func misspelled(n *node, known map[string]bool, name string) bool {
	for _, k := range n.keys {
		if _, ok := closest(k, []string{name}); ok && !known[k] {
			return true
		}
	}
	return false
}

// unknownFields reports each key the schema does not declare, suggesting the
// closest declared one.
func (v *validation) unknownFields(f failure) {
	if f.n.kind != mapNode {
		return
	}
	props := obj(f.sch["properties"])
	known := make([]string, 0, len(props))
	for k := range props {
		known = append(known, k)
	}
	sort.Strings(known)
	var patterns []*regexp.Regexp
	for p := range obj(f.sch["patternProperties"]) {
		if re, err := regexp.Compile(p); err == nil {
			patterns = append(patterns, re)
		}
	}
	for _, k := range f.n.keys {
		if _, ok := props[k]; ok || matchesAny(patterns, k) {
			continue
		}
		msg := fmt.Sprintf("unknown field %q", k)
		if s, ok := closest(k, known); ok {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		v.add(f.n.fields[k].keyPos, joinDisplay(f.path, k), msg)
	}
}

func matchesAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// not reports a "not" rule. The common form, not: {required: [a, b]}, means
// the fields exclude each other; it is reported at the one written last.
func (v *validation) not(f failure) {
	inner := obj(f.sch["not"])
	reason := annotation([]map[string]any{inner, f.sch}, annReason)
	suffix := ""
	if reason != "" {
		suffix = " (" + reason + ")"
	}
	req := stringList(inner["required"])
	if len(req) < 2 || f.n.kind != mapNode {
		v.add(f.n.pos, f.path, "value is not allowed"+suffix)
		return
	}
	last := f.n.fields[req[0]]
	for _, r := range req[1:] {
		if c := f.n.fields[r]; c != nil && (last == nil || posAfter(c, last)) {
			last = c
		}
	}
	if last == nil {
		last = f.n
	}
	v.add(last.keyPos, f.path, joinAnd(req)+" cannot be used together"+suffix)
}

func posAfter(a, b *node) bool {
	if a.keyPos.Line != b.keyPos.Line {
		return a.keyPos.Line > b.keyPos.Line
	}
	return a.keyPos.Col > b.keyPos.Col
}

// message renders the keywords that concern the value itself.
func (f failure) message() string {
	switch f.kw {
	case "type":
		return "expected " + f.expected(typeWords(types([]map[string]any{f.sch}))) + ", got " + describe(f.n, f.sensitive)
	case "enum":
		return f.enumMessage()
	case "const":
		return "expected " + render(f.sch["const"]) + ", got " + f.got()
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return f.rangeMessage()
	case "minLength", "maxLength":
		return f.lengthMessage()
	case "pattern":
		return f.invalid(f.expected("to match " + render(f.sch["pattern"])))
	case "format":
		return f.invalid(formatWords(f.sch["format"]))
	case "minProperties", "maxProperties":
		return f.countMessage("fields", len(f.n.keys))
	case "minItems", "maxItems":
		return f.countMessage("items", len(f.n.items))
	case "uniqueItems":
		return f.uniqueMessage()
	case "multipleOf":
		return "must be a multiple of " + render(f.sch["multipleOf"]) + ", got " + f.got()
	case "oneOf":
		return "matches more than one of the accepted forms"
	case "":
		return "is not allowed here"
	}
	return "invalid value"
}

// value is what failed: the key for propertyNames, else the node's value.
func (f failure) value() any {
	if f.name {
		return f.key
	}
	return f.n.value
}

// got renders the failing value for "got …", hiding sensitive values.
func (f failure) got() string {
	if f.sensitive {
		return "(sensitive value)"
	}
	if f.name {
		return strconv.Quote(f.key)
	}
	if f.n.kind != scalarNode {
		return describe(f.n, false)
	}
	return render(f.n.value)
}

// noun names what the value is ("region"), from x-lswctl-noun or the title.
func (f failure) noun() string {
	if n := annotation([]map[string]any{f.sch}, annNoun); n != "" {
		return n
	}
	if t, _ := f.sch["title"].(string); t != "" {
		return strings.ToLower(t)
	}
	return "value"
}

// expected returns the schema's x-lswctl-expected, or def.
func (f failure) expected(def string) string {
	if e := annotation([]map[string]any{f.sch}, annExpected); e != "" {
		return e
	}
	return def
}

func (f failure) invalid(expected string) string {
	return fmt.Sprintf("invalid %s %s (expected %s)", f.noun(), f.got(), expected)
}

func (f failure) enumMessage() string {
	vals, _ := f.sch["enum"].([]any)
	s, ok := f.value().(string)
	names := stringList(vals)
	if !ok || len(names) != len(vals) || f.sensitive {
		return "must be one of " + renderList(vals) + ", got " + f.got()
	}
	msg := fmt.Sprintf("unknown %s %q", f.noun(), s)
	if sug, ok := closest(s, names); ok {
		return msg + fmt.Sprintf(" (did you mean %q?)", sug)
	}
	if len(names) <= shortEnum {
		return msg + " (expected one of " + strings.Join(names, ", ") + ")"
	}
	return msg
}

func (f failure) rangeMessage() string {
	lo, hasLo := f.sch["minimum"]
	hi, hasHi := f.sch["maximum"]
	switch {
	case f.kw == "exclusiveMinimum":
		return "must be greater than " + render(f.sch[f.kw]) + ", got " + f.got()
	case f.kw == "exclusiveMaximum":
		return "must be less than " + render(f.sch[f.kw]) + ", got " + f.got()
	case hasLo && hasHi:
		return "must be between " + render(lo) + " and " + render(hi) + ", got " + f.got()
	case hasLo:
		return "must be at least " + render(lo) + ", got " + f.got()
	}
	return "must be at most " + render(hi) + ", got " + f.got()
}

func (f failure) lengthMessage() string {
	s, _ := f.value().(string)
	n := utf8.RuneCountInString(s)
	if f.kw == "minLength" {
		if n == 0 {
			return "must not be empty"
		}
		return fmt.Sprintf("must be at least %s characters long, got %d", render(f.sch[f.kw]), n)
	}
	return fmt.Sprintf("must be at most %s characters long, got %d", render(f.sch[f.kw]), n)
}

func (f failure) countMessage(what string, n int) string {
	if e := annotation([]map[string]any{f.sch}, annExpected); e != "" {
		return fmt.Sprintf("expected %s, got a mapping with %d %s", e, n, what)
	}
	if strings.HasPrefix(f.kw, "min") {
		return fmt.Sprintf("must have at least %s %s, got %d", render(f.sch[f.kw]), what, n)
	}
	return fmt.Sprintf("must have at most %s %s, got %d", render(f.sch[f.kw]), what, n)
}

func (f failure) uniqueMessage() string {
	for j := range f.n.items {
		for i := range j {
			if reflect.DeepEqual(f.n.items[i].json(), f.n.items[j].json()) {
				return fmt.Sprintf("items [%d] and [%d] are the same; each may appear once", i, j)
			}
		}
	}
	return "items must be unique"
}

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
