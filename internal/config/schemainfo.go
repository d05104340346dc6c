package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/lswctl/lswctl/schema"
)

// Annotation keywords read from the schema; see package schema.
const (
	annKind      = "x-lswctl-kind"
	annSensitive = "x-lswctl-sensitive"
	annSecret    = "x-lswctl-secret"
	annRef       = "x-lswctl-ref"
	annNoun      = "x-lswctl-noun"
	annExpected  = "x-lswctl-expected"
	annReason    = "x-lswctl-reason"
	annUnique    = "x-lswctl-unique"
)

// defaultMaxDeletes applies when the schema declares no default for
// settings.maxDeletes.
const defaultMaxDeletes = 5

// schemaInfo is a compiled schema together with its raw JSON, which the
// error translation and the conversion read (enum values, bounds, titles,
// annotations).
type schemaInfo struct {
	raw        map[string]any
	compiled   *jsonschema.Schema
	kinds      map[string]string // plural key → singular kind
	version    string            // the const of apiVersion
	maxDeletes int               // default of settings.maxDeletes
}

// defaultSchema compiles the embedded schema once.
var defaultSchema = sync.OnceValues(func() (*schemaInfo, error) {
	return newSchemaInfo(schema.JSON())
})

// newSchemaInfo parses and compiles a schema document.
func newSchemaInfo(data []byte) (*schemaInfo, error) {
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("reading schema: %w", err)
	}
	id, _ := raw["$id"].(string)
	if id == "" {
		id = "mem:///lswctl.schema.json"
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	if err := c.AddResource(id, bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("loading schema: %w", err)
	}
	compiled, err := c.Compile(id)
	if err != nil {
		return nil, fmt.Errorf("compiling schema: %w", err)
	}
	info := &schemaInfo{raw: raw, compiled: compiled, kinds: map[string]string{}, maxDeletes: defaultMaxDeletes}
	props, _ := raw["properties"].(map[string]any)
	for key, p := range props {
		if kind, ok := obj(p)[annKind].(string); ok && kind != "" {
			info.kinds[key] = kind
		}
	}
	info.version, _ = obj(props["apiVersion"])["const"].(string)
	settings := info.prop(info.resolve(raw), "settings")
	for _, s := range info.prop(settings, "maxDeletes") {
		if n, ok := s["default"].(json.Number); ok {
			if v, err := n.Int64(); err == nil {
				info.maxDeletes = int(v)
			}
		}
	}
	return info, nil
}

// KindOf returns the singular kind name of a top-level configuration key, as
// declared by the schema's x-lswctl-kind annotations ("instances" →
// "instance").
func KindOf(plural string) (kind string, ok bool) {
	info, err := defaultSchema()
	if err != nil {
		return "", false
	}
	kind, ok = info.kinds[plural]
	return kind, ok
}

// obj returns v as a JSON object, or nil.
func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// pointerSegments splits a JSON pointer ("/a/b~1c") into unescaped segments.
// The validator also URL-escapes each segment, which is undone too.
func pointerSegments(ptr string) []string {
	ptr = strings.TrimPrefix(ptr, "/")
	if ptr == "" {
		return nil
	}
	parts := strings.Split(ptr, "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		p = strings.ReplaceAll(p, "~1", "/")
		parts[i] = strings.ReplaceAll(p, "~0", "~")
	}
	return parts
}

// fragment returns the JSON pointer part of a schema location URL.
func fragment(loc string) string {
	if i := strings.IndexByte(loc, '#'); i >= 0 {
		return loc[i+1:]
	}
	return ""
}

// at returns the schema object at the given pointer segments, or nil.
func (s *schemaInfo) at(segs []string) map[string]any {
	var cur any = s.raw
	for _, seg := range segs {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return obj(cur)
}

// maxResolveDepth bounds $ref and applicator chasing in resolve.
const maxResolveDepth = 16

// resolve returns sch and every schema that applies in place alongside it:
// its $ref target and the members of allOf, anyOf, oneOf, then and else,
// recursively. Annotations found on any of them apply to the value.
func (s *schemaInfo) resolve(sch map[string]any) []map[string]any {
	var out []map[string]any
	var walk func(m map[string]any, depth int)
	walk = func(m map[string]any, depth int) {
		if m == nil || depth > maxResolveDepth {
			return
		}
		out = append(out, m)
		if ref, ok := m["$ref"].(string); ok {
			walk(s.at(pointerSegments(fragment(ref))), depth+1)
		}
		for _, k := range []string{"allOf", "anyOf", "oneOf"} {
			list, _ := m[k].([]any)
			for _, x := range list {
				walk(obj(x), depth+1)
			}
		}
		walk(obj(m["then"]), depth+1)
		walk(obj(m["else"]), depth+1)
	}
	walk(sch, 0)
	return out
}

// prop returns the resolved schemas that apply to property key of an object
// described by set: its "properties" entry, else "additionalProperties".
func (s *schemaInfo) prop(set []map[string]any, key string) []map[string]any {
	var out []map[string]any
	for _, m := range set {
		if p := obj(obj(m["properties"])[key]); p != nil {
			out = append(out, s.resolve(p)...)
		} else if ap := obj(m["additionalProperties"]); ap != nil {
			out = append(out, s.resolve(ap)...)
		}
	}
	return out
}

// items returns the resolved schemas that apply to the items of a list.
func (s *schemaInfo) items(set []map[string]any) []map[string]any {
	var out []map[string]any
	for _, m := range set {
		out = append(out, s.resolve(obj(m["items"]))...)
	}
	return out
}

// flag reports whether any schema in set has the annotation set to true.
func flag(set []map[string]any, ann string) bool {
	for _, m := range set {
		if b, _ := m[ann].(bool); b {
			return true
		}
	}
	return false
}

// annotation returns the first string value of ann in set.
func annotation(set []map[string]any, ann string) string {
	for _, m := range set {
		if v, ok := m[ann].(string); ok && v != "" {
			return v
		}
	}
	return ""
}

// types returns the JSON types a schema set allows ("string", "object", …);
// empty means any.
func types(set []map[string]any) []string {
	var out []string
	for _, m := range set {
		switch t := m["type"].(type) {
		case string:
			out = append(out, t)
		case []any:
			for _, x := range t {
				if s, ok := x.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	return out
}
