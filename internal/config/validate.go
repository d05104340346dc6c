package config

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/lswctl/lswctl/internal/diag"
	"github.com/lswctl/lswctl/internal/model"
)

// validation translates the schema validator's errors for one document into
// positioned diagnostics.
//
// The validator reports a tree of errors: wrappers ($ref, allOf, then/else,
// several errors at once) whose leaves name one failing keyword. Only the
// leaves are reported; each is translated from the keyword and the schema
// object that holds it, never from the validator's own wording. oneOf and
// anyOf are the exception: when exactly one alternative accepts the value's
// type (a mapping where "a string or {env: NAME}" is expected) the errors of
// that alternative are reported, otherwise one "expected …" message.
type validation struct {
	schema *schemaInfo
	root   *node
	errs   *diag.List
}

// failure is one failing keyword at one value.
type failure struct {
	kw        string         // the keyword ("enum")
	sch       map[string]any // the schema object holding the keyword
	n         *node          // the value that failed
	path      string         // display path of n
	inst      []string       // instance location of n
	key       string         // n's key, for propertyNames failures
	name      bool           // the key itself failed (propertyNames)
	sensitive bool           // n is, or is inside, a sensitive field
}

// validate checks a document against the schema and reports every problem.
func validate(s *schemaInfo, root *node, errs *diag.List) {
	err := s.compiled.Validate(root.json())
	if err == nil {
		return
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		errs.Addf(root.pos.File, root.pos.Line, root.pos.Col, "", "cannot validate document: %v", err)
		return
	}
	v := &validation{schema: s, root: root, errs: errs}
	v.walk(ve)
}

func (v *validation) walk(e *jsonschema.ValidationError) {
	segs := pointerSegments(fragment(e.AbsoluteKeywordLocation))
	kw := ""
	if len(segs) > 0 {
		kw = segs[len(segs)-1]
	}
	if (kw == "oneOf" || kw == "anyOf") && len(e.Causes) > 0 {
		v.alternatives(e, segs)
		return
	}
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			v.walk(c)
		}
		return
	}
	v.report(v.failure(e, segs))
}

// failure gathers what the messages need about one leaf error.
func (v *validation) failure(e *jsonschema.ValidationError, segs []string) failure {
	inst := pointerSegments(e.InstanceLocation)
	n, path := v.root.lookup(inst)
	f := failure{n: n, path: path, inst: inst, sensitive: v.sensitiveAt(inst)}
	if len(segs) > 0 {
		f.kw = segs[len(segs)-1]
		f.sch = v.schema.at(segs[:len(segs)-1])
	}
	if underPropertyNames(e.KeywordLocation) && len(inst) > 0 {
		f.name, f.key = true, inst[len(inst)-1]
	}
	return f
}

// underPropertyNames reports whether a keyword location runs through a
// propertyNames schema, where the value that failed is a mapping key.
func underPropertyNames(kwLoc string) bool {
	segs := pointerSegments(kwLoc)
	for i, s := range segs {
		if s == "propertyNames" && (i == 0 || !isSchemaMap(segs[i-1])) {
			return true
		}
	}
	return false
}

// isSchemaMap reports whether a keyword's value maps names to schemas, so
// that the next segment is a name rather than a keyword.
func isSchemaMap(kw string) bool {
	switch kw {
	case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas":
		return true
	}
	return false
}

// sensitiveAt reports whether the value at the instance location is, or is
// inside, a field the schema marks sensitive.
func (v *validation) sensitiveAt(inst []string) bool {
	sensitive := false
	v.schemaAt(inst, func(set []map[string]any) { sensitive = sensitive || flag(set, annSensitive) })
	return sensitive
}

// schemaAt returns the schemas that apply at an instance location, calling
// visit with those of every value on the way there.
func (v *validation) schemaAt(inst []string, visit func([]map[string]any)) []map[string]any {
	set := v.schema.resolve(v.schema.raw)
	cur := v.root
	for _, seg := range inst {
		switch cur.kind {
		case mapNode:
			set, cur = v.schema.prop(set, seg), cur.fields[seg]
		case listNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(cur.items) {
				return nil
			}
			set, cur = v.schema.items(set), cur.items[i]
		default:
			return nil
		}
		if cur == nil {
			return nil
		}
		if visit != nil {
			visit(set)
		}
	}
	return set
}

// alternatives handles a failed oneOf or anyOf.
func (v *validation) alternatives(e *jsonschema.ValidationError, segs []string) {
	kw := segs[len(segs)-1]
	holder := v.schema.at(segs[:len(segs)-1])
	f := v.failure(e, segs)
	branches, _ := holder[kw].([]any)
	var match []int
	for i, b := range branches {
		if typeMatches(types(v.schema.resolve(obj(b))), f.n) {
			match = append(match, i)
		}
	}
	if len(match) == 1 {
		prefix := fragment(e.AbsoluteKeywordLocation) + "/" + strconv.Itoa(match[0])
		for _, c := range e.Causes {
			if cf := fragment(c.AbsoluteKeywordLocation); cf == prefix || strings.HasPrefix(cf, prefix+"/") {
				v.walk(c)
			}
		}
		return
	}
	if f.n.reported {
		return
	}
	expected := annotation([]map[string]any{holder}, annExpected)
	if expected == "" {
		var ts []string
		for _, b := range branches {
			ts = append(ts, types(v.schema.resolve(obj(b)))...)
		}
		expected = typeWords(ts)
	}
	v.add(f.n.pos, f.path, "expected "+expected+", got "+describe(f.n, f.sensitive))
}

func (v *validation) add(p model.Pos, path, msg string) {
	v.errs.Add(&diag.Error{File: p.File, Line: p.Line, Col: p.Col, Path: path, Msg: msg})
}

// jsonType names a node's JSON Schema type; whole numbers are "integer".
func jsonType(n *node) string {
	switch n.kind {
	case mapNode:
		return "object"
	case listNode:
		return "array"
	}
	switch x := n.value.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	}
	return "string"
}

// typeMatches reports whether a node has one of the types ts (empty: any).
func typeMatches(ts []string, n *node) bool {
	if len(ts) == 0 {
		return true
	}
	jt := jsonType(n)
	for _, t := range ts {
		if t == jt || t == "number" && jt == "integer" {
			return true
		}
	}
	return false
}
