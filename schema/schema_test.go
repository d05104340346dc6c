package schema

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"testing"
)

func load(t *testing.T) map[string]any {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal(JSON(), &s); err != nil {
		t.Fatalf("schema is not valid JSON: %v", err)
	}
	return s
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func TestHeader(t *testing.T) {
	s := load(t)
	if s["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", s["$schema"])
	}
	if s["$id"] != "https://lswctl.dev/schema/v1/lswctl.schema.json" {
		t.Errorf("$id = %v", s["$id"])
	}
	if v := obj(obj(s["properties"])["apiVersion"])["const"]; v != "lswctl/v1" {
		t.Errorf("apiVersion const = %v, want lswctl/v1", v)
	}
}

// TestEveryPropertyIsDocumented walks the schema: every property of an
// object type has a title and a description, so editors can show help, and
// every object refuses unknown fields. (Conditions such as if/else also hold
// "properties"; they declare nothing and have no type.)
func TestEveryPropertyIsDocumented(t *testing.T) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if props := obj(x["properties"]); props != nil && x["type"] == "object" {
				if x["additionalProperties"] != false {
					t.Errorf("%s: additionalProperties is not false", path)
				}
				for name, p := range props {
					if obj(p)["title"] == nil || obj(p)["description"] == nil {
						t.Errorf("%s.%s: missing title or description", path, name)
					}
				}
			}
			for k, c := range x {
				walk(path+"/"+k, c)
			}
		case []any:
			for i, c := range x {
				walk(fmt.Sprintf("%s/%d", path, i), c)
			}
		}
	}
	walk("#", load(t))
}

// adoptedOnly are the kinds lswctl adopts but never creates or deletes, so
// settings.prune and settings.watch refuse them.
var adoptedOnly = []string{"autoScalingGroups"}

// TestKindsAreListed checks that settings.prune and watch accept exactly the
// kinds the schema declares with x-lswctl-kind, less the adopted-only ones
// (which they refuse with a reason), and that every x-lswctl-ref names a
// kind.
func TestKindsAreListed(t *testing.T) {
	s := load(t)
	var kinds []string
	for key, p := range obj(s["properties"]) {
		if k, ok := obj(p)["x-lswctl-kind"].(string); ok && k != "" {
			kinds = append(kinds, key)
		}
	}
	sort.Strings(kinds)
	for _, k := range []string{"instances", "targetGroups", "loadBalancers", "autoScalingGroups"} {
		if !slices.Contains(kinds, k) {
			t.Errorf("kinds = %v, want %s among them", kinds, k)
		}
	}
	owned := obj(obj(s["$defs"])["ownedKind"])
	var enum []string
	for _, v := range obj(owned["else"])["enum"].([]any) {
		enum = append(enum, v.(string))
	}
	sort.Strings(enum)
	want := slices.DeleteFunc(slices.Clone(kinds), func(k string) bool { return slices.Contains(adoptedOnly, k) })
	if !slices.Equal(enum, want) {
		t.Errorf("ownedKind enum = %v, want the x-lswctl-kind keys less the adopted ones %v", enum, want)
	}
	if c := obj(owned["if"])["const"]; c != adoptedOnly[0] || len(adoptedOnly) != 1 {
		t.Errorf("ownedKind refuses %v, want %v", c, adoptedOnly)
	}
	if then := obj(owned["then"]); then["not"] == nil || then["x-lswctl-reason"] == nil {
		t.Errorf("ownedKind.then = %v, want a not with a reason", then)
	}
	settings := obj(obj(obj(s["$defs"])["settings"])["properties"])
	for _, list := range []string{"prune", "watch"} {
		if r := obj(obj(settings[list])["items"])["$ref"]; r != "#/$defs/ownedKind" {
			t.Errorf("settings.%s items = %v, want ownedKind", list, r)
		}
	}
	walkSchema(s, func(x map[string]any) {
		if r, ok := x["x-lswctl-ref"].(string); ok && !slices.Contains(kinds, r) {
			t.Errorf("x-lswctl-ref %q names no kind", r)
		}
	})
}

// walkSchema calls fn for every object in the schema.
func walkSchema(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		for _, c := range x {
			walkSchema(c, fn)
		}
	case []any:
		for _, c := range x {
			walkSchema(c, fn)
		}
	}
}

// TestReferenceForms checks that every reference offers {id: UUID} beside
// the name, in the form the loader converts to a literal-id reference: a
// oneOf of the x-lswctl-ref string and idRef, whose id is a UUID.
func TestReferenceForms(t *testing.T) {
	s := load(t)
	defs := obj(s["$defs"])
	id := obj(obj(obj(defs["idRef"])["properties"])["id"])
	if id["format"] != "uuid" || obj(defs["idRef"])["additionalProperties"] != false {
		t.Errorf("idRef = %v, want {id} alone, a uuid", defs["idRef"])
	}
	refs := 0
	walkSchema(s, func(x map[string]any) {
		if _, ok := x["x-lswctl-ref"]; ok {
			refs++
		}
		branches, _ := x["oneOf"].([]any)
		if len(branches) != 2 || obj(branches[0])["x-lswctl-ref"] == nil {
			return
		}
		if r := obj(branches[1])["$ref"]; r != "#/$defs/idRef" {
			t.Errorf("reference to %v: second form is %v, want idRef", obj(branches[0])["x-lswctl-ref"], r)
		}
		if x["x-lswctl-expected"] == nil {
			t.Errorf("reference to %v has no x-lswctl-expected", obj(branches[0])["x-lswctl-ref"])
		}
	})
	if refs != 2 {
		t.Errorf("%d x-lswctl-ref, want 2 (instanceRef, targetGroupRef)", refs)
	}
}

// TestUniqueKeys checks that x-lswctl-unique sits on lists whose items
// require every field it names, so that each item has a key.
func TestUniqueKeys(t *testing.T) {
	s := load(t)
	defs := obj(s["$defs"])
	found := 0
	walkSchema(s, func(x map[string]any) {
		fields, ok := x["x-lswctl-unique"].([]any)
		if !ok {
			return
		}
		found++
		item := obj(x["items"])
		if r, ok := item["$ref"].(string); ok {
			item = obj(defs[r[len("#/$defs/"):]])
		}
		req, _ := item["required"].([]any)
		if x["type"] != "array" || len(fields) == 0 {
			t.Errorf("x-lswctl-unique %v on a %v", fields, x["type"])
		}
		for _, f := range fields {
			if !slices.Contains(req, f) {
				t.Errorf("x-lswctl-unique field %v is not required by the items (required: %v)", f, req)
			}
		}
	})
	if found == 0 {
		t.Error("no x-lswctl-unique: listeners should have one")
	}
}

// TestEnums checks the enums against the API reference (publiccloud.md §1.4).
func TestEnums(t *testing.T) {
	defs := obj(load(t)["$defs"])
	tests := []struct {
		def   string
		count int
		some  []any
	}{
		{"typeName", 84, []any{"lsw.m3.large", "lsw.m5a.large", "lsw.c5a.9xlarge", "lsw.g6.18xlarge", "lsw.gr6.8xlarge"}},
		{"regionName", 8, []any{"eu-west-3", "ap-northeast-1"}},
		{"cancelReason", 19, []any{"CANCEL_OTHER", "CANCEL_SUPPORT_RESOLUTION_TIME"}},
		{"storageType", 2, []any{"LOCAL", "CENTRAL"}},
		{"contractType", 2, []any{"HOURLY", "MONTHLY"}},
		{"protocol", 3, []any{"HTTP", "HTTPS", "TCP"}},
		{"httpMethod", 4, []any{"GET", "HEAD", "POST", "OPTIONS"}},
		{"balance", 3, []any{"roundrobin", "leastconn", "source"}},
	}
	for _, tt := range tests {
		enum, _ := obj(defs[tt.def])["enum"].([]any)
		uniq := map[any]bool{}
		for _, v := range enum {
			uniq[v] = true
		}
		if len(enum) != tt.count || len(uniq) != tt.count {
			t.Errorf("%s: %d values (%d unique), want %d", tt.def, len(enum), len(uniq), tt.count)
		}
		for _, v := range tt.some {
			if !uniq[v] {
				t.Errorf("%s lacks %v", tt.def, v)
			}
		}
	}
}

func TestJSONReturnsACopy(t *testing.T) {
	a := JSON()
	a[0] = 'x'
	if b := JSON(); b[0] == 'x' {
		t.Error("JSON() shares its bytes with callers")
	}
}
