package model

import (
	"encoding/json"
	"strings"
)

// FromJSON turns a value decoded from JSON (with json.Decoder.UseNumber)
// back into attribute values: integral numbers become int64, other numbers
// float64, and the JSON forms of Secret, Ref and Unknown become those types
// again. A secret comes back as its digest only; Reveal returns "".
func FromJSON(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil && !strings.ContainsAny(string(t), ".eE") {
			return i
		}
		f, _ := t.Float64()
		return f
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = FromJSON(x)
		}
		return out
	case map[string]any:
		return fromJSONObject(t)
	}
	return v
}

func fromJSONObject(m map[string]any) any {
	if s, ok := m["sensitive"].(bool); ok && s && len(m) <= 3 {
		digest, _ := m["sha256"].(string)
		source, _ := m["source"].(string)
		return SecretFromDigest(digest, source)
	}
	if len(m) == 1 {
		if r, ok := m["ref"].(string); ok {
			if a, err := ParseAddress(r); err == nil {
				return Ref{To: a}
			}
		}
		if id, ok := m["id"].(string); ok {
			return Ref{ID: id}
		}
		if u, ok := m["unknown"].(bool); ok && u {
			return Unknown{}
		}
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		out[k] = FromJSON(x)
	}
	return out
}
