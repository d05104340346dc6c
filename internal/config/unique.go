package config

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lswctl/lswctl/internal/diag"
)

// Child objects without a name, such as a load balancer's listeners, are
// identified by some of their fields. The schema says which with
// x-lswctl-unique: ["protocol", "port"] on the list; two items with the same
// values for all of them would name the same live child, so the second is an
// error. uniqueItems cannot say this: it compares whole items.

// checkUnique reports items of a list node that repeat the x-lswctl-unique
// fields of an earlier item, at the later one with the first as related.
// Items lacking one of the fields, or holding a non-scalar in one, are
// skipped: validation reports them.
func (c *converter) checkUnique(n *node, set []map[string]any, path string) {
	var fields []string
	for _, m := range set {
		if fields = stringList(m[annUnique]); len(fields) > 0 {
			break
		}
	}
	if len(fields) == 0 {
		return
	}
	noun := annotation(c.l.schema.items(set), annNoun)
	if noun == "" {
		noun = "item"
	}
	first := map[string]int{}
	for i, it := range n.items {
		key, shown, ok := uniqueKey(it, fields)
		if !ok {
			continue
		}
		j, dup := first[key]
		if !dup {
			first[key] = i
			continue
		}
		p, fp := it.pos, n.items[j].pos
		c.l.errs.Add(&diag.Error{File: p.File, Line: p.Line, Col: p.Col, Path: fmt.Sprintf("%s[%d]", path, i),
			Msg:     fmt.Sprintf("duplicate %s %s (first at %s[%d])", noun, shown, lastSegment(path), j),
			Related: []diag.Related{{File: fp.File, Line: fp.Line, Col: fp.Col, Msg: "first declared here"}}})
	}
}

// uniqueKey returns an item's values for fields, as a comparable key and as
// shown in messages ("HTTP:80").
func uniqueKey(it *node, fields []string) (key, shown string, ok bool) {
	if it.kind != mapNode {
		return "", "", false
	}
	vals := make([]any, len(fields))
	parts := make([]string, len(fields))
	for i, f := range fields {
		v := it.fields[f]
		if v == nil || v.kind != scalarNode || v.value == nil {
			return "", "", false
		}
		vals[i], parts[i] = v.value, fmt.Sprint(v.value)
	}
	b, err := json.Marshal(vals)
	if err != nil {
		return "", "", false
	}
	return string(b), strings.Join(parts, ":"), true
}

// lastSegment returns the last key of a display path with its indexes
// ("loadBalancers.edge.listeners" → "listeners").
func lastSegment(path string) string {
	return path[strings.LastIndexByte(path, '.')+1:]
}
