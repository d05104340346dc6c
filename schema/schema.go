package schema

import _ "embed"

//go:embed lswctl.schema.json
var schemaJSON []byte

// JSON returns the configuration schema. The caller gets its own copy and may
// modify it.
func JSON() []byte {
	out := make([]byte, len(schemaJSON))
	copy(out, schemaJSON)
	return out
}
