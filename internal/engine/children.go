package engine

import (
	"strings"

	"github.com/lswctl/lswctl/internal/model"
)

// splitChildren takes a child list (a load balancer's listeners) out of its
// parent and returns one object per item, named "<parent>/<key values>"
// ("edge/HTTPS:443"), pointing back at the parent. Positions and YAML paths
// follow the items. A parent that declares the list owns its children: live
// ones missing from it are deleted.
func (e *Engine) splitChildren(parent *model.Resource, c model.Child) []model.Resource {
	raw, declared := parent.Attrs[c.Attr]
	if !declared {
		return nil
	}
	delete(parent.Attrs, c.Attr)
	e.childLists[parent.Addr] = append(e.childLists[parent.Addr], c.Kind)
	items, _ := raw.([]any)
	out := make([]model.Resource, 0, len(items))
	for i, item := range items {
		attrs, ok := item.(map[string]any)
		if !ok {
			continue
		}
		prefix := model.IndexPath(c.Attr, i)
		child := model.Resource{
			Addr:   model.Address{Kind: c.Kind, Name: model.ChildName(parent.Addr.Name, c.Key, attrs)},
			Attrs:  model.CloneObject(attrs),
			Parent: parent.Addr,
			Ensure: parent.Ensure,
			Pos:    parent.FieldPos(prefix),
			Fields: map[string]model.Pos{},
		}
		child.Attrs[c.ParentAttr] = model.Ref{To: parent.Addr}
		markSensitive(child.Attrs, e.schemas[c.Kind].Sensitive, "literal")
		for path, pos := range parent.Fields {
			if rest, ok := strings.CutPrefix(path, prefix+"."); ok {
				child.Fields[rest] = pos
			}
		}
		e.paths[child.Addr] = e.paths[parent.Addr] + "." + prefix
		out = append(out, child)
	}
	return out
}
