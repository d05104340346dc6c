package config

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lswctl/lswctl/internal/suggest"
)

// shortEnum is the largest enum whose values a message lists in full.
const shortEnum = 10

// report adds the message for one failing keyword. Most messages sit at the
// value; missing fields at the object's key, unknown fields at each unknown
// key, and conflicting fields at the one written last.
func (v *validation) report(f failure) {
	if f.n.reported {
		return
	}
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
// A conditional requirement (then: {required: [method]}) says why with its
// x-lswctl-reason.
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
			v.add(f.n.keyPos, f.path, fmt.Sprintf("missing required field %q", name)+reasonSuffix(f.sch))
		}
	}
}

// misspelled reports whether an object has an undeclared key that looks like
// a typo of name; that key is reported as an unknown field with name as the
// suggestion, which says the same more precisely.
func misspelled(n *node, known map[string]bool, name string) bool {
	for _, k := range n.keys {
		if _, ok := suggest.Closest(k, []string{name}); ok && !known[k] {
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
		if s, ok := suggest.Closest(k, known); ok {
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

// not reports a "not" rule, with its x-lswctl-reason:
//   - not: {required: [a, b]} means the fields exclude each other; it is
//     reported at the one written last;
//   - not: {required: [a]}, usually in a then, forbids one field; it is
//     reported at that field;
//   - any other not refuses the value itself.
func (v *validation) not(f failure) {
	inner := obj(f.sch["not"])
	suffix := reasonSuffix(inner, f.sch)
	req := stringList(inner["required"])
	switch {
	case f.n.kind == mapNode && len(req) == 1 && f.n.fields[req[0]] != nil:
		v.add(f.n.fields[req[0]].keyPos, joinDisplay(f.path, req[0]), fmt.Sprintf("field %q is not allowed", req[0])+suffix)
		return
	case f.n.kind == scalarNode:
		v.add(f.n.pos, f.path, f.got()+" is not allowed here"+suffix)
		return
	case len(req) < 2 || f.n.kind != mapNode:
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

// reasonSuffix returns " (reason)" from the first x-lswctl-reason among the
// schemas, or "".
func reasonSuffix(schemas ...map[string]any) string {
	if r := annotation(schemas, annReason); r != "" {
		return " (" + r + ")"
	}
	return ""
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
	if sug, ok := suggest.Closest(s, names); ok {
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
