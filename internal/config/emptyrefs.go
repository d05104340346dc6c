package config

import (
	"strconv"

	"github.com/lswctl/lswctl/internal/diag"
)

// reportEmptySecretRefs reports every {env: ”} and {file: ”} in a
// document, before validation: the schema would only say "must not be
// empty", and the secret could not be read. The value is marked reported,
// so validation adds nothing, and the conversion skips it.
func reportEmptySecretRefs(n *node, path string, errs *diag.List) {
	switch n.kind {
	case listNode:
		for i, it := range n.items {
			reportEmptySecretRefs(it, path+"["+strconv.Itoa(i)+"]", errs)
		}
	case mapNode:
		if isSecretRef(n) {
			k := n.keys[0]
			v := n.fields[k]
			if s, _ := v.value.(string); s == "" && !v.reported {
				what := "empty environment variable name (expected {env: NAME})"
				if k == "file" {
					what = "empty file path (expected {file: PATH})"
				}
				errs.Addf(v.pos.File, v.pos.Line, v.pos.Col, joinDisplay(path, k), "%s", what)
				v.reported = true
			}
			return
		}
		for _, k := range n.keys {
			reportEmptySecretRefs(n.fields[k], joinDisplay(path, k), errs)
		}
	}
}
