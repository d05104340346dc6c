package engine

import (
	"slices"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/plan"
)

// nameRefs rewrites the changes of every step at the attributes that hold
// references, so a reviewer reads names, not UUIDs: the declared value
// (references as {"ref": "kind.name"}, literal ids as {"id": "UUID"})
// replaces the resolved one, and each live id in the value before becomes
// a reference to the object that has it, or {"id": "UUID"} when no object
// read has it. A release's changes hold only ids, and are named the same
// way on both sides. Changes are for display and for comparing a saved
// plan: apply never reads them.
func nameRefs(p *plan.Plan, liveIDs map[model.Address]string, schemas map[string]model.KindSchema) {
	byID := make(map[string]model.Address, len(liveIDs))
	for a, id := range liveIDs {
		byID[id] = a
	}
	for i := range p.Steps {
		s := &p.Steps[i]
		release := s.Deposed && s.Action == plan.Update
		for j := range s.Changes {
			c := &s.Changes[j]
			if release {
				c.Before, c.After = namedIDs(c.Before, byID), namedIDs(c.After, byID)
				continue
			}
			want, ok := model.Get(s.After, c.Path)
			if !ok || len(model.Refs(want)) == 0 {
				continue
			}
			c.Before, c.After = namedIDs(c.Before, byID), model.Clone(want)
			if model.Has(schemas[s.Addr.Kind].Sets, c.Path) {
				c.Before, c.After = byName(c.Before), byName(c.After)
			}
		}
	}
}

// byName orders the items of a set by how they read, as the diff orders
// them by id: the order of a set means nothing, and a reader compares the
// two sides more easily in one order.
func byName(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	return slices.SortedStableFunc(slices.Values(l), func(a, b any) int {
		return strings.Compare(model.Format(a), model.Format(b))
	})
}

// namedIDs returns v with every string in it taken for a live id and made
// a reference: by name when an object read has that id, by id otherwise.
func namedIDs(v any, byID map[string]model.Address) any {
	switch t := v.(type) {
	case string:
		if a, ok := byID[t]; ok {
			return model.Ref{To: a}
		}
		return model.Ref{ID: t}
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = namedIDs(x, byID)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = namedIDs(x, byID)
		}
		return out
	}
	return v
}
