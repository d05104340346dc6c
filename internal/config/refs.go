package config

import (
	"fmt"
	"slices"
	"sort"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/suggest"
)

// References come in two forms. A string where the schema says
// x-lswctl-ref: KINDS names an object of the configuration and becomes
// model.Ref{To: address}; it is checked once every file has been read. Where
// the schema offers {id: UUID} as the alternative to such a string (a oneOf
// or anyOf of the two), the mapping {id: X} becomes model.Ref{ID: X}, a live
// object the configuration does not declare; the schema checks that X is a
// UUID. The same mapping anywhere else stays a plain mapping.

// pendingRef is a reference to check once every file has been read.
type pendingRef struct {
	to     model.Address
	plural string
	pos    model.Pos
	path   string
}

// namedRef converts a string at a position the schema marks x-lswctl-ref,
// recording it for checkRefs.
func (c *converter) namedRef(s string, set []map[string]any, pos model.Pos, path string) (model.Ref, bool) {
	plural := annotation(set, annRef)
	kind, ok := c.l.schema.kinds[plural]
	if plural == "" || !ok {
		return model.Ref{}, false
	}
	to := model.Address{Kind: kind, Name: s}
	c.l.refs = append(c.l.refs, pendingRef{to: to, plural: plural, pos: pos, path: path})
	return model.Ref{To: to}, true
}

// literalID returns X for a mapping that is exactly {id: X} with a string X.
func literalID(n *node) (string, bool) {
	if n.kind != mapNode || len(n.keys) != 1 || n.keys[0] != "id" {
		return "", false
	}
	v := n.fields["id"]
	s, ok := v.value.(string)
	return s, ok && v.kind == scalarNode
}

// idRefAlternative reports whether the schemas that apply to a value offer
// {id: …} as an alternative to a reference: a oneOf or anyOf with one branch
// carrying x-lswctl-ref and another that is an object whose only property
// is id.
func (s *schemaInfo) idRefAlternative(set []map[string]any) bool {
	for _, m := range set {
		for _, kw := range []string{"oneOf", "anyOf"} {
			branches, _ := m[kw].([]any)
			ref, id := false, false
			for _, b := range branches {
				bs := s.resolve(obj(b))
				ref = ref || annotation(bs, annRef) != ""
				id = id || idOnlyObject(bs)
			}
			if ref && id {
				return true
			}
		}
	}
	return false
}

// idOnlyObject reports whether a branch describes an object (or any value)
// whose only declared property is id.
func idOnlyObject(set []map[string]any) bool {
	for _, m := range set {
		props := obj(m["properties"])
		ts := types([]map[string]any{m})
		if _, ok := props["id"]; ok && len(props) == 1 && (len(ts) == 0 || slices.Contains(ts, "object")) {
			return true
		}
	}
	return false
}

// checkRefs reports references to objects the configuration does not
// declare, suggesting the closest declared name of that kind.
func (l *loader) checkRefs() {
	names := map[string][]string{}
	for a := range l.declared {
		names[a.Kind] = append(names[a.Kind], a.Name)
	}
	for _, list := range names {
		sort.Strings(list)
	}
	for _, r := range l.refs {
		if _, ok := l.declared[r.to]; ok {
			continue
		}
		msg := fmt.Sprintf("no %s named %q in the configuration", r.plural, r.to.Name)
		if s, ok := suggest.Closest(r.to.Name, names[r.to.Kind]); ok {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		l.errs.Addf(r.pos.File, r.pos.Line, r.pos.Col, r.path, "%s", msg)
	}
}
