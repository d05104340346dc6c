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

// TestKindsAreListed checks that settings.prune and watch accept exactly the
// kinds the schema declares with x-lswctl-kind, and that every x-lswctl-ref
// names one of them.
func TestKindsAreListed(t *testing.T) {
	s := load(t)
	var kinds []string
	for key, p := range obj(s["properties"]) {
		if k, ok := obj(p)["x-lswctl-kind"].(string); ok && k != "" {
			kinds = append(kinds, key)
		}
	}
	sort.Strings(kinds)
	if !slices.Contains(kinds, "instances") {
		t.Errorf("kinds = %v, want instances among them", kinds)
	}
	var enum []string
	for _, v := range obj(obj(s["$defs"])["kindKey"])["enum"].([]any) {
		enum = append(enum, v.(string))
	}
	sort.Strings(enum)
	if !slices.Equal(enum, kinds) {
		t.Errorf("kindKey enum = %v, want the x-lswctl-kind keys %v", enum, kinds)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["x-lswctl-ref"].(string); ok && !slices.Contains(kinds, r) {
				t.Errorf("x-lswctl-ref %q names no kind", r)
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(s)
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
